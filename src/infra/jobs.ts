import type { Db, Tx } from '../db/client.js';
import { sealScope, type JobKind, type Scope } from '../core/scope.js';
import { enqueue } from './outbox.js';

/** What a scheduled job does, per kind (src/features/jobs.ts). */
export type JobHandlers = Record<JobKind, (scope: Scope, refId: number) => Promise<void>>;

const MAX_ATTEMPTS = 5;
const LOCK_MS = 5 * 60_000;

/** Creates the job, or moves its time if it has not run yet (e.g. a contest ended early). */
export async function scheduleJob(tx: Tx, kind: JobKind, refId: number, runAt: Date): Promise<void> {
  await tx.scheduledJob.upsert({
    where: { kind_refId: { kind, refId } },
    create: { kind, refId, runAt },
    update: { runAt },
  });
}

/** Marks a pending job done without running it. */
export async function unscheduleJob(tx: Tx, kind: JobKind, refId: number, now: Date): Promise<void> {
  await tx.scheduledJob.updateMany({ where: { kind, refId, status: 'pending' }, data: { status: 'done', doneAt: now } });
}

/** One transaction as a Scope: clock, randomness, outbox and scheduler bound to `tx`. */
export function txScope(tx: Tx, now: Date, random: (n: number) => number): Scope {
  return sealScope(tx, {
    now,
    random,
    announce: (a) => enqueue(tx, a),
    schedule: (kind, refId, runAt) => scheduleJob(tx, kind, refId, runAt),
    unschedule: (kind, refId) => unscheduleJob(tx, kind, refId, now),
  });
}

/**
 * Runs due jobs. Each job is claimed with a conditional update (so two instances never both run it),
 * and its effect plus its "done" mark commit in one transaction (so a crash re-runs it, never half of
 * it). Jobs missed while the bot was down are simply due now: calling this at start-up catches up.
 */
export async function runDueJobs(prisma: Db, handlers: JobHandlers, now: Date, opts: { random(n: number): number; onError(e: unknown): void }): Promise<number> {
  const due = await prisma.scheduledJob.findMany({
    where: { status: 'pending', runAt: { lte: now }, OR: [{ lockedUntil: null }, { lockedUntil: { lt: now } }] },
    orderBy: { runAt: 'asc' },
    take: 100,
  });
  let ran = 0;
  for (const job of due) {
    const claim = await prisma.scheduledJob.updateMany({
      where: { id: job.id, status: 'pending', attempts: job.attempts },
      data: { lockedUntil: new Date(now.getTime() + LOCK_MS), attempts: { increment: 1 } },
    });
    if (claim.count !== 1) continue;
    try {
      await prisma.$transaction(async (tx) => {
        await handlers[job.kind as JobKind](txScope(tx, now, opts.random), job.refId);
        await tx.scheduledJob.update({ where: { id: job.id }, data: { status: 'done', doneAt: now, lockedUntil: null, lastError: null } });
      }, { maxWait: 20_000, timeout: 60_000 });
      ran++;
    } catch (err) {
      opts.onError(err);
      const failed = job.attempts + 1 >= MAX_ATTEMPTS;
      await prisma.scheduledJob.update({
        where: { id: job.id },
        data: {
          status: failed ? 'failed' : 'pending',
          lastError: String((err as Error)?.message ?? err).slice(0, 500),
          // back off: 1, 2, 4, 8 minutes
          lockedUntil: failed ? null : new Date(now.getTime() + 60_000 * 2 ** job.attempts),
        },
      });
    }
  }
  return ran;
}
