import type { Deps } from '../core/context.js';
import { UserError } from '../core/errors.js';
import { applyPoints } from './ledger.js';

/** How long after their first contact a new member may still redeem a referral code. */
export const REFERRAL_WINDOW_DAYS = 30;

/**
 * The referee redeems the referrer's code once. Both sides are rewarded through the ledger with keys
 * derived from the referee, so a retried or repeated redemption never pays twice. Self-referral and
 * cycles (A referred B, B referred ... A) are refused.
 */
export async function redeemReferral(
  d: Deps,
  community: { id: string; referrerReward: number; refereeReward: number },
  referee: { id: string; referredById: string | null; createdAt: Date },
  rawCode: string,
) {
  const code = rawCode.trim().toUpperCase();
  const referrer = await d.tx.member.findUnique({ where: { communityId_referralCode: { communityId: community.id, referralCode: code } } });
  if (!referrer) throw new UserError(`"${rawCode}" is not a referral code here. Check it with the person who invited you.`);
  if (referrer.id === referee.id) throw new UserError('That is your own referral code; share it with friends instead.');
  if (referee.referredById) throw new UserError('You have already used a referral code.');
  const ageDays = (d.now.getTime() - referee.createdAt.getTime()) / 86_400_000;
  if (ageDays > REFERRAL_WINDOW_DAYS) throw new UserError(`Referral codes are for new members (first ${REFERRAL_WINDOW_DAYS} days).`);
  // Cycle check: walk up the referrer's chain; meeting the referee would close a loop.
  let cursor: string | null = referrer.referredById;
  for (let hops = 0; cursor && hops < 10_000; hops++) {
    if (cursor === referee.id) throw new UserError(`You can't use a code from someone you referred.`);
    const up: { referredById: string | null } | null = await d.tx.member.findUnique({ where: { id: cursor }, select: { referredById: true } });
    cursor = up?.referredById ?? null;
  }
  const claimed = await d.tx.member.updateMany({ where: { id: referee.id, referredById: null }, data: { referredById: referrer.id, referredAt: d.now } });
  if (claimed.count !== 1) throw new UserError('You have already used a referral code.');
  await d.tx.referral.create({ data: { communityId: community.id, referrerId: referrer.id, refereeId: referee.id, code, createdAt: d.now } });
  const reason = 'Referral';
  let referrerBalance = referrer.balance;
  let refereeBalance: number | undefined;
  if (community.referrerReward > 0) {
    referrerBalance = (await applyPoints(d, { communityId: community.id, memberId: referrer.id, delta: community.referrerReward, kind: 'referral', reason: `${reason}: invited a new member`, idempotencyKey: `referral:${referee.id}:referrer` })).balance;
  }
  if (community.refereeReward > 0) {
    refereeBalance = (await applyPoints(d, { communityId: community.id, memberId: referee.id, delta: community.refereeReward, kind: 'referral', reason: `${reason}: joined with ${referrer.displayName}'s code`, idempotencyKey: `referral:${referee.id}:referee` })).balance;
  }
  return { referrer, referrerBalance, refereeBalance };
}

export async function referralStats(d: Deps, communityId: string, memberId: string) {
  const [count, earned] = await Promise.all([
    d.tx.referral.count({ where: { communityId, referrerId: memberId } }),
    d.tx.ledgerEntry.aggregate({ where: { communityId, memberId, kind: 'referral', idempotencyKey: { endsWith: ':referrer' } }, _sum: { delta: true } }),
  ]);
  return { referred: count, earned: earned._sum.delta ?? 0 };
}
