import type { Tx } from '../db/client.js';
import { UserError } from '../core/errors.js';
import type { Deps } from '../core/context.js';
import type { Platform } from '../core/types.js';
import { LAST_SEEN_FIRST, parseTiers, tierFor } from './members.js';

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
export async function applyPoints(d: Pick<Deps, 'tx' | 'now'> & Partial<Pick<Deps, 'announce'>>, c: PointsChange): Promise<PointsResult> {
  const { tx, now } = d;
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
      ...(earns(c.kind) ? { lifetimePoints: { increment: c.delta } } : {}),
    },
    select: { balance: true, communityId: true, lifetimePoints: true },
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
  if (d.announce && c.delta > 0 && earns(c.kind)) await announceTierUp(d as Deps, c, member.lifetimePoints);
  return { applied: true, balance: member.balance, entryId: entry.id };
}

/** Lifetime points count what was earned (minus what was taken back), never spending or merges. */
const earns = (kind: LedgerKind) => kind !== 'redeem' && kind !== 'link';

/** Congratulates a member by direct message when earning points moves them into a higher tier. */
async function announceTierUp(d: Deps, c: PointsChange, lifetimeAfter: number) {
  const community = await d.tx.community.findUniqueOrThrow({ where: { id: c.communityId }, select: { tiers: true, name: true } });
  const tiers = parseTiers(community.tiers);
  const before = tierFor(tiers, lifetimeAfter - c.delta).tier;
  const { tier, next } = tierFor(tiers, lifetimeAfter);
  if (tier.minPoints <= before.minPoints) return;
  const identity = await d.tx.identity.findFirst({
    where: { memberId: c.memberId },
    orderBy: [...LAST_SEEN_FIRST],
  });
  if (!identity) return;
  await d.announce({
    communityId: c.communityId, platform: identity.platform as Platform, channelId: `user:${identity.platformUserId}`,
    reply: { text: `🎖️ You reached **${tier.name}** in ${community.name} with ${lifetimeAfter} points earned!${next ? ` Next: ${next.name} at ${next.minPoints}.` : ''}` },
  });
}
