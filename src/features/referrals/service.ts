import { txOf, type Scope } from '../../core/scope.js';
import { UserError } from '../../core/errors.js';
import { applyPoints, ledgerReason } from '../points/service.js';

/** How long after their first contact a new member may still redeem a referral code. */
export const REFERRAL_WINDOW_DAYS = 30;

export interface Redeemed {
  referrerName: string;
  /** Set when the new member was paid (the community's referee reward is above zero). */
  refereeReward?: number;
  refereeBalance?: number;
}

/**
 * Referral changes in a community run one at a time. The cycle check reads other members' referrers, which
 * a concurrent redemption may be writing (A redeems B's code while B redeems A's: at READ COMMITTED both
 * would see no cycle). Touching the community row first makes the second wait for the first to commit and
 * then read what it wrote; SQLite serializes writers anyway.
 */
async function lockReferrals(s: Scope, communityId: string) {
  await txOf(s).community.updateMany({ where: { id: communityId }, data: { referrerReward: { increment: 0 } } });
}

/** The ledger keys of a referral's two rewards, derived from the referee (reversals end the same way, so stats net out). */
const rewardKey = (refereeId: string, side: 'referrer' | 'referee', reversed = false) => `referral${reversed ? '-reversed' : ''}:${refereeId}:${side}`;

/**
 * The referee redeems the referrer's code once. Both sides are rewarded through the ledger with keys
 * derived from the referee, so a retried or repeated redemption never pays twice. Self-referral,
 * cycles (A referred B, B referred ... A) and codes of accounts merged into another member are refused.
 */
export async function redeemReferral(
  s: Scope,
  community: { id: string; referrerReward: number; refereeReward: number },
  referee: { id: string; referredById: string | null; createdAt: Date },
  rawCode: string,
): Promise<Redeemed> {
  const tx = txOf(s);
  await lockReferrals(s, community.id);
  const code = rawCode.trim().toUpperCase();
  const referrer = await tx.member.findUnique({
    where: { communityId_referralCode: { communityId: community.id, referralCode: code } },
    include: { _count: { select: { identities: true } } },
  });
  // A member with no accounts left was merged into another by /link: their old code no longer pays anyone.
  if (!referrer || referrer._count.identities === 0) throw new UserError('referrals:error.unknownCode', { code: rawCode }, 'code');
  if (referrer.id === referee.id) throw new UserError('referrals:error.ownCode', {}, 'code');
  // This account was linked into another member while the command ran: it now acts for that member.
  if (!(await tx.identity.count({ where: { memberId: referee.id } }))) throw new UserError('referrals:error.ownCode', {}, 'code');
  if (referee.referredById) throw new UserError('referrals:error.alreadyUsed');
  const ageDays = (s.now.getTime() - referee.createdAt.getTime()) / 86_400_000;
  if (ageDays > REFERRAL_WINDOW_DAYS) throw new UserError('referrals:error.tooLate', { days: REFERRAL_WINDOW_DAYS });
  // Cycle check: walk up the referrer's chain; meeting the referee would close a loop.
  let cursor: string | null = referrer.referredById;
  for (let hops = 0; cursor && hops < 10_000; hops++) {
    if (cursor === referee.id) throw new UserError('referrals:error.cycle', {}, 'code');
    const up: { referredById: string | null } | null = await tx.member.findUnique({ where: { id: cursor }, select: { referredById: true } });
    cursor = up?.referredById ?? null;
  }
  const claimed = await tx.member.updateMany({ where: { id: referee.id, referredById: null }, data: { referredById: referrer.id, referredAt: s.now } });
  if (claimed.count !== 1) throw new UserError('referrals:error.alreadyUsed');
  await tx.referral.create({ data: { communityId: community.id, referrerId: referrer.id, refereeId: referee.id, code, createdAt: s.now } });
  if (community.referrerReward > 0) {
    await applyPoints(s, {
      communityId: community.id, memberId: referrer.id, delta: community.referrerReward, kind: 'referral',
      reason: ledgerReason('referrer'), idempotencyKey: rewardKey(referee.id, 'referrer'),
    });
  }
  const out: Redeemed = { referrerName: referrer.displayName };
  if (community.refereeReward > 0) {
    const r = await applyPoints(s, {
      communityId: community.id, memberId: referee.id, delta: community.refereeReward, kind: 'referral',
      reason: ledgerReason('referee', { name: referrer.displayName }), idempotencyKey: rewardKey(referee.id, 'referee'),
    });
    out.refereeReward = community.refereeReward;
    out.refereeBalance = r.balance;
  }
  return out;
}

/**
 * Two members are being linked as one person (`a` merges into `b`, or the other way): a referral between them
 * was a member inviting themselves. Its rewards are taken back through the ledger (the balance may go below
 * zero if they were spent) and it no longer counts. Returns the points taken back.
 */
export async function reverseReferralBetween(s: Scope, communityId: string, a: string, b: string): Promise<number> {
  const tx = txOf(s);
  await lockReferrals(s, communityId);
  const ref = await tx.referral.findFirst({ where: { communityId, OR: [{ referrerId: a, refereeId: b }, { referrerId: b, refereeId: a }] } });
  if (!ref) return 0;
  let taken = 0;
  for (const side of ['referrer', 'referee'] as const) {
    const paid = await tx.ledgerEntry.findUnique({ where: { communityId_idempotencyKey: { communityId, idempotencyKey: rewardKey(ref.refereeId, side) } } });
    if (!paid) continue;
    await applyPoints(s, {
      communityId, memberId: paid.memberId, delta: -paid.delta, kind: 'referral', allowNegative: true,
      reason: ledgerReason('referralReversed'), idempotencyKey: rewardKey(ref.refereeId, side, true),
    });
    taken += paid.delta;
  }
  await tx.referral.delete({ where: { id: ref.id } });
  return taken;
}

/** A member joined the community's space (recordPresence): Discord invite attribution may start a referral. TODO(issue 9). */
export async function onJoined(_s: Scope, _c: { communityId: string; memberId: string; inviterId?: string | null; accountCreatedAt?: Date | null }): Promise<void> {}

/** A member left the community's space (recordPresence): a pending referral is cancelled, a paid one may be clawed back. TODO(issue 9). */
export async function onLeft(_s: Scope, _c: { communityId: string; memberId: string }): Promise<void> {}

/** Scheduled job: a pending referral may have qualified. TODO(issue 9). */
export async function checkReferral(_s: Scope, _id: number): Promise<void> {}

/** How many members joined with this member's code, and the points it earned them. */
export async function referralStats(s: Scope, communityId: string, memberId: string) {
  const tx = txOf(s);
  const [count, earned] = await Promise.all([
    tx.referral.count({ where: { communityId, referrerId: memberId } }),
    tx.ledgerEntry.aggregate({ where: { communityId, memberId, kind: 'referral', idempotencyKey: { endsWith: ':referrer' } }, _sum: { delta: true } }),
  ]);
  return { referred: count, earned: earned._sum.delta ?? 0 };
}
