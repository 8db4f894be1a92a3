import { inOwnTx, transaction, type Db, type Tx } from '../db/client.js';
import { runAfterCommit, sealScope, type JobKind, type Scope } from '../core/scope.js';
import type { RankIndex } from './rank-index.js';
import { enqueue } from './outbox.js';
import { PROCESS_OWNER } from './owner.js';
import { doubling } from './backoff.js';

/** What a scheduled job does, per kind (src/features/jobs.ts). */
/** A job handler; returning `{ again }` runs the same job again at that moment (a check that repeats until it settles). */
export type JobHandlers = Record<JobKind, (scope: Scope, refId: number) => Promise<void | { again: Date }>>;

const MAX_ATTEMPTS = 5;
/** Waits between a failed job's tries. */
const JOB_RETRY = { baseMs: 60_000, capMs: 30 * 60_000 };
const LOCK_MS = 5 * 60_000;

/** Creates the job, or moves its time if it has not run yet (e.g. a contest ended early). */
export async function scheduleJob(tx: Tx, kind: JobKind, refId: number, runAt: Date): Promise<void> {
  await tx.scheduledJob.upsert({
    where: { kind_refId: { kind, refId } },
    create: { kind, refId, runAt },
    update: { runAt },
  });
}

/** Arms the job at `runAt` unless it is pending already (a throttled refresh; see Scope.scheduleIfIdle). */
export async function scheduleJobIfIdle(tx: Tx, kind: JobKind, refId: number, runAt: Date): Promise<void> {
  const rearmed = await tx.scheduledJob.updateMany({
    where: { kind, refId, status: { in: ['done', 'failed'] } },
    data: { status: 'pending', runAt, attempts: 0, lockedUntil: null, lockedBy: null, lastError: null, doneAt: null },
  });
  if (rearmed.count) return;
  // Missing: create it; pending: leave its time alone (the update is a no-op).
  await tx.scheduledJob.upsert({ where: { kind_refId: { kind, refId } }, create: { kind, refId, runAt }, update: {} });
}

/** Marks a pending job done without running it. */
export async function unscheduleJob(tx: Tx, kind: JobKind, refId: number, now: Date): Promise<void> {
  await tx.scheduledJob.updateMany({ where: { kind, refId, status: 'pending' }, data: { status: 'done', doneAt: now } });
}

/** What a runner adds to a scope: where after-commit hooks go (dropped when absent) and the rank index. */
export interface ScopeExtras {
  afterCommit?: (fn: () => Promise<void> | void) => void;
  ranks?: RankIndex;
}

/** One transaction as a Scope: clock, randomness, outbox and scheduler bound to `tx`. */
export function txScope(tx: Tx, now: Date, random: (n: number) => number, extras: ScopeExtras = {}): Scope {
  return sealScope(tx, {
    now,
    random,
    afterCommit: extras.afterCommit ?? (() => {}),
    ...(extras.ranks ? { ranks: extras.ranks } : {}),
    announce: (a) => enqueue(tx, a),
    schedule: (kind, refId, runAt) => scheduleJob(tx, kind, refId, runAt),
    scheduleIfIdle: (kind, refId, runAt) => scheduleJobIfIdle(tx, kind, refId, runAt),
    unschedule: (kind, refId) => unscheduleJob(tx, kind, refId, now),
  });
}

/** The job was taken over by another run while this one worked: this run's effect is rolled back. */
class ClaimLost extends Error {}

/**
 * Runs due jobs. Each job is claimed with a conditional update that records its holder (so two
 * instances never both run it, and a holder that died is released at start-up, see claims.ts), and its
 * effect plus its "done" mark commit in one transaction, only while the claim is still this run's (so a
 * crash re-runs it, never half of it). Every write is a transaction of its own (see inOwnTx). Jobs
 * missed while the bot was down are simply due now: calling this at start-up catches up.
 */
export async function runDueJobs(prisma: Db, handlers: JobHandlers, now: Date, opts: { random(n: number): number; onError(e: unknown): void; ranks?: RankIndex }): Promise<number> {
  const due = await inOwnTx(prisma, (tx) => tx.scheduledJob.findMany({
    where: { status: 'pending', runAt: { lte: now }, OR: [{ lockedUntil: null }, { lockedUntil: { lt: now } }] },
    orderBy: { runAt: 'asc' },
    take: 100,
  }));
  let ran = 0;
  for (const job of due) {
    const claim = await inOwnTx(prisma, (tx) => tx.scheduledJob.updateMany({
      where: { id: job.id, status: 'pending', attempts: job.attempts },
      data: { lockedUntil: new Date(now.getTime() + LOCK_MS), lockedBy: PROCESS_OWNER, attempts: { increment: 1 } },
    }));
    if (claim.count !== 1) continue;
    // This run's claim: the attempt number is its fencing token. (The handler may itself unschedule the
    // job, e.g. a giveaway's end, so the status is not part of it.)
    const mine = { id: job.id, attempts: job.attempts + 1, lockedBy: PROCESS_OWNER };
    const hooks: (() => Promise<void> | void)[] = [];
    try {
      await transaction(prisma, async (tx) => {
        hooks.length = 0;
        const next = await handlers[job.kind as JobKind](txScope(tx, now, opts.random, { ranks: opts.ranks, afterCommit: (fn) => hooks.push(fn) }), job.refId);
        const data = next
          ? { status: 'pending', runAt: next.again, attempts: 0, lockedUntil: null, lockedBy: null, lastError: null }
          : { status: 'done', doneAt: now, lockedUntil: null, lockedBy: null, lastError: null };
        const done = await tx.scheduledJob.updateMany({ where: mine, data });
        if (done.count !== 1) throw new ClaimLost(`job ${job.id} was taken over`);
      }, { maxWait: 20_000, timeout: 60_000 });
      ran++;
      await runAfterCommit(hooks, opts.onError);
    } catch (err) {
      if (err instanceof ClaimLost) continue;
      opts.onError(err);
      const failed = job.attempts + 1 >= MAX_ATTEMPTS;
      await inOwnTx(prisma, (tx) => tx.scheduledJob.updateMany({
        where: mine,
        data: {
          status: failed ? 'failed' : 'pending',
          lastError: String((err as Error)?.message ?? err).slice(0, 500),
          // back off: 1, 2, 4, 8 minutes (at most JOB_RETRY.capMs)
          lockedUntil: failed ? null : new Date(now.getTime() + doubling(job.attempts + 1, JOB_RETRY.baseMs, JOB_RETRY.capMs)),
          lockedBy: null,
        },
      }));
    }
  }
  return ran;
}
