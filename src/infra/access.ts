import { randomInt } from 'node:crypto';
import { inOwnTx, type Db } from '../db/client.js';
import type { AccessKind, AccessOutcome, AccessTask, Platform } from '../core/types.js';
import { everGranted, settleAccess, type ClaimedGrant } from '../features/access/service.js';
import { PROCESS_OWNER } from './owner.js';
import { txScope } from './jobs.js';

const LOCK_MS = 60_000;

/**
 * Claims pending AccessGrant rows of one platform (like the outbox), hands each to `apply`, records the
 * outcome (AccessEvent) and retries passing failures with backoff; a missing permission is reported to the
 * community's moderators once. Each claim is a conditional update recording its holder and lock, and the
 * outcome is recorded only while that claim holds, so two instances never apply a row twice. Every write is
 * a transaction of its own (inOwnTx). Returns how many rows were told to the platform.
 */
export async function deliverAccess(prisma: Db, platform: Platform, apply: (task: AccessTask) => Promise<AccessOutcome>,
  o: { now: Date; limit: number; onError(err: unknown): void }): Promise<number> {
  const { now } = o;
  const free = { OR: [{ lockedUntil: null }, { lockedUntil: { lt: now } }] };
  const due = await inOwnTx(prisma, (tx) => tx.accessGrant.findMany({
    where: { platform, state: 'pending', AND: [free, { OR: [{ nextAttemptAt: null }, { nextAttemptAt: { lte: now } }] }] },
    orderBy: { id: 'asc' },
    take: o.limit,
  }));
  const settle = (g: ClaimedGrant, outcome: AccessOutcome | null) =>
    inOwnTx(prisma, (tx) => settleAccess(txScope(tx, now, randomInt), g, outcome));
  let applied = 0;
  for (const row of due) {
    const lockedUntil = new Date(now.getTime() + LOCK_MS);
    const claim = await inOwnTx(prisma, (tx) => tx.accessGrant.updateMany({
      where: { id: row.id, state: 'pending', wanted: row.wanted, attempts: row.attempts, ...free },
      data: { lockedUntil, lockedBy: PROCESS_OWNER },
    }));
    if (claim.count !== 1) continue;
    const g: ClaimedGrant = { ...row, lockedUntil, lockedBy: PROCESS_OWNER };
    try {
      // Taking away what was never given needs no word to the platform.
      if (!g.wanted && !(await inOwnTx(prisma, (tx) => everGranted(txScope(tx, now, randomInt), g)))) {
        await settle(g, null);
        continue;
      }
      let outcome: AccessOutcome;
      try {
        outcome = await apply({
          id: g.id, communityId: g.communityId, platform, platformUserId: g.platformUserId, space: row.space,
          kind: g.kind as AccessKind, target: g.target, action: g.wanted ? 'grant' : 'remove',
        });
      } catch (err) {
        outcome = { ok: false, reason: 'retry', detail: String((err as Error)?.message ?? err) };
      }
      await settle(g, outcome);
      applied++;
    } catch (err) {
      o.onError(err);
    }
  }
  return applied;
}
