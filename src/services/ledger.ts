import type { Tx } from '../db/client.js';
import { UserError } from '../core/errors.js';

export type LedgerKind = 'grant' | 'revoke' | 'challenge' | 'referral' | 'contest' | 'link' | 'redeem';

export interface PointsChange {
  communityId: string;
  memberId: string;
  delta: number;
  kind: LedgerKind;
  reason: string;
  /** Unique per community: the same key never applies twice (retries, redeliveries, double clicks). */
  idempotencyKey: string;
  actorId?: string | null;
  /** Refuse a change that would take the balance below zero. */
  allowNegative?: boolean;
}

export interface PointsResult {
  applied: boolean;
  balance: number;
  entryId: number;
}

/**
 * The only way points change: one ledger row plus the balance update, inside the caller's transaction.
 * Re-applying the same idempotency key returns the first result without changing anything.
 */
export async function applyPoints({ tx, now }: { tx: Tx; now: Date }, c: PointsChange): Promise<PointsResult> {
  if (!Number.isSafeInteger(c.delta) || c.delta === 0) throw new UserError('The amount must be a non-zero whole number.');
  const existing = await tx.ledgerEntry.findUnique({
    where: { communityId_idempotencyKey: { communityId: c.communityId, idempotencyKey: c.idempotencyKey } },
  });
  if (existing) return { applied: false, balance: existing.balanceAfter, entryId: existing.id };
  const member = await tx.member.update({
    where: { id: c.memberId },
    data: {
      balance: { increment: c.delta },
      // lifetime points count what was earned (minus what was taken back), never spending.
      ...(c.kind !== 'redeem' && c.kind !== 'link' ? { lifetimePoints: { increment: c.delta } } : {}),
    },
    select: { balance: true, communityId: true },
  });
  if (member.communityId !== c.communityId) throw new Error('member is not in this community');
  if (member.balance < 0 && !c.allowNegative) {
    throw new UserError(`That would leave a negative balance (${member.balance - c.delta} points available).`);
  }
  const entry = await tx.ledgerEntry.create({
    data: {
      communityId: c.communityId,
      memberId: c.memberId,
      delta: c.delta,
      balanceAfter: member.balance,
      kind: c.kind,
      reason: c.reason.slice(0, 300),
      idempotencyKey: c.idempotencyKey,
      actorId: c.actorId ?? null,
      createdAt: now,
    },
  });
  return { applied: true, balance: member.balance, entryId: entry.id };
}
