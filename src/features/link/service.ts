import { txOf, type Scope } from '../../core/scope.js';
import type { Platform } from '../../core/types.js';
import { UserError } from '../../core/errors.js';
import { applyPoints, ledgerReason, mergeTotals } from '../points/service.js';
import { mergeActivityState } from '../activity/service.js';
import { accessMerged } from '../access/service.js';
import { randomCode } from '../members/service.js';
import { reverseReferralBetween } from '../referrals/service.js';
import { mergeOpenEntries, pendingPrizeOf } from '../contests/service.js';
import { mergeOpenAnswers } from '../polls/service.js';
import { reverseThanksBetween } from '../thanks/service.js';

const CODE_TTL_MS = 15 * 60_000;

export type CodeKind = 'member' | 'community';

/** A short-lived code that links this member's other account (member) or another platform space (community). */
export async function createLinkCode(s: Scope, kind: CodeKind, communityId: string, memberId: string) {
  const tx = txOf(s);
  // One live code per member and kind: a new one replaces the old.
  await tx.linkCode.updateMany({ where: { memberId, kind, usedAt: null }, data: { usedAt: s.now } });
  const code = randomCode(kind === 'member' ? 6 : 10);
  const expiresAt = new Date(s.now.getTime() + CODE_TTL_MS);
  await tx.linkCode.create({ data: { code, kind, communityId, memberId, expiresAt } });
  return { code, expiresAt };
}

/** Claims a code once: unknown, used and expired codes are refused. */
async function useCode(s: Scope, kind: CodeKind, raw: string) {
  const tx = txOf(s);
  const code = raw.trim().toUpperCase();
  const row = await tx.linkCode.findUnique({ where: { code } });
  if (!row || row.kind !== kind) throw new UserError(kind === 'member' ? 'community:error.badLinkCode' : 'community:error.badBindCode', { code: raw }, 'code');
  if (row.usedAt) throw new UserError('community:error.codeUsed', {}, 'code');
  if (row.expiresAt.getTime() <= s.now.getTime()) throw new UserError('community:error.codeExpired', {}, 'code');
  const claimed = await tx.linkCode.updateMany({ where: { code, usedAt: null }, data: { usedAt: s.now } });
  if (claimed.count !== 1) throw new UserError('community:error.codeUsed', {}, 'code');
  return row;
}

/**
 * Links the platform account that runs the command to the member who made the code (on another
 * platform), so points, tiers and referrals are shared. Points the account had already earned move
 * over through two 'link' ledger rows, and its lifetime, week and month totals with them; a referral
 * between the two accounts is reversed first (one person cannot invite themselves). The merged-away
 * member keeps no account, so their referral code stops working.
 */
export async function redeemLinkCode(
  s: Scope, communityId: string, platform: Platform, platformUserId: string,
  current: { id: string }, raw: string,
) {
  const tx = txOf(s);
  const row = await useCode(s, 'member', raw);
  if (row.communityId !== communityId) throw new UserError('community:error.otherCommunity', {}, 'code');
  if (row.memberId === current.id) throw new UserError('community:error.sameMember', {}, 'code');
  const target = await tx.member.findUniqueOrThrow({ where: { id: row.memberId }, include: { identities: true } });
  if (target.identities.some((i) => i.platform === platform)) throw new UserError('community:error.platformTaken', { platform });
  const others = await tx.identity.count({ where: { memberId: current.id, NOT: { platform, platformUserId } } });
  if (others > 0) throw new UserError('community:error.alreadyLinked');
  // A prize this account won and must claim is claimed by this account: link after claiming it.
  const prize = await pendingPrizeOf(s, current.id);
  if (prize !== null) throw new UserError('community:error.pendingPrize', { id: prize });
  await tx.identity.update({
    where: { communityId_platform_platformUserId: { communityId, platform, platformUserId } },
    data: { memberId: target.id },
  });
  // One person's two accounts: a referral between them is taken back before the points move over.
  const referralReversed = await reverseReferralBetween(s, communityId, current.id, target.id);
  const moving = await tx.member.findUniqueOrThrow({ where: { id: current.id }, select: { balance: true, lifetimePoints: true } });
  const key = `link:${current.id}:${target.id}`;
  if (moving.balance !== 0) {
    await applyPoints(s, { communityId, memberId: current.id, delta: -moving.balance, kind: 'link', reason: ledgerReason('linkOut', { name: target.displayName }), idempotencyKey: `${key}:out`, allowNegative: true });
    await applyPoints(s, { communityId, memberId: target.id, delta: moving.balance, kind: 'link', reason: ledgerReason('linkIn', { platform }), idempotencyKey: `${key}:in`, allowNegative: true });
  }
  if (moving.lifetimePoints !== 0) {
    await tx.member.update({ where: { id: current.id }, data: { lifetimePoints: 0 } });
    await tx.member.update({ where: { id: target.id }, data: { lifetimePoints: { increment: moving.lifetimePoints } } });
  }
  // Week and month boards follow the lifetime total: the account's totals become the member's.
  await mergeTotals(s, communityId, current.id, target.id);
  await mergeActivityState(s, communityId, current.id, target.id);
  await accessMerged(s, communityId, current.id, target.id);
  // One person: one entry per open giveaway, one answer per open poll, no thanks to themselves.
  await mergeOpenEntries(s, current.id, target.id);
  await mergeOpenAnswers(s, current.id, target.id);
  await reverseThanksBetween(s, communityId, current.id, target.id, target.id);
  const merged = await tx.member.findUniqueOrThrow({ where: { id: target.id }, select: { displayName: true, balance: true } });
  return { name: merged.displayName, balance: merged.balance, referralReversed };
}

/** Binds this platform's server/workspace/chat to the community that made the code. */
export async function bindCommunity(s: Scope, currentCommunityId: string, platform: Platform, externalId: string, raw: string) {
  const tx = txOf(s);
  const row = await useCode(s, 'community', raw);
  if (row.communityId === currentCommunityId) throw new UserError('community:error.sameCommunity', {}, 'code');
  const activity = await Promise.all([
    tx.ledgerEntry.count({ where: { communityId: currentCommunityId } }),
    tx.challenge.count({ where: { communityId: currentCommunityId } }),
    tx.contest.count({ where: { communityId: currentCommunityId } }),
    tx.poll.count({ where: { communityId: currentCommunityId } }),
  ]);
  if (activity.some((n) => n > 0)) throw new UserError('community:error.hasActivity');
  await tx.communityBinding.update({ where: { platform_externalId: { platform, externalId } }, data: { communityId: row.communityId } });
  const c = await tx.community.findUniqueOrThrow({ where: { id: row.communityId }, select: { name: true } });
  return { name: c.name };
}
