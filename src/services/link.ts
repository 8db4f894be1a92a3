import type { Deps } from '../core/context.js';
import type { Platform } from '../core/types.js';
import { UserError } from '../core/errors.js';
import { applyPoints } from './ledger.js';
import { randomCode } from './members.js';

const CODE_TTL_MS = 15 * 60_000;

export async function createLinkCode(d: Deps, kind: 'member' | 'community', communityId: string, memberId: string) {
  // One live code per member and kind: a new one replaces the old.
  await d.tx.linkCode.updateMany({ where: { memberId, kind, usedAt: null }, data: { usedAt: d.now } });
  const code = randomCode(kind === 'member' ? 6 : 10);
  const expiresAt = new Date(d.now.getTime() + CODE_TTL_MS);
  await d.tx.linkCode.create({ data: { code, kind, communityId, memberId, expiresAt } });
  return { code, expiresAt };
}

async function useCode(d: Deps, kind: 'member' | 'community', raw: string) {
  const code = raw.trim().toUpperCase();
  const row = await d.tx.linkCode.findUnique({ where: { code } });
  if (!row || row.kind !== kind) throw new UserError(`"${raw}" is not a valid ${kind === 'member' ? 'link' : 'community'} code.`);
  if (row.usedAt) throw new UserError('That code was already used. Ask for a new one.');
  if (row.expiresAt.getTime() <= d.now.getTime()) throw new UserError('That code has expired. Ask for a new one.');
  const claimed = await d.tx.linkCode.updateMany({ where: { code, usedAt: null }, data: { usedAt: d.now } });
  if (claimed.count !== 1) throw new UserError('That code was already used. Ask for a new one.');
  return row;
}

/**
 * Links the platform account that runs the command to the member who made the code (on another
 * platform), so points, tiers and referrals are shared. Points the account had already earned move
 * over through two 'link' ledger rows.
 */
export async function redeemLinkCode(d: Deps, communityId: string, platform: Platform, platformUserId: string, current: { id: string; balance: number; lifetimePoints: number }, raw: string) {
  const row = await useCode(d, 'member', raw);
  if (row.communityId !== communityId) {
    throw new UserError('That code belongs to another community. An admin can connect this server to it with /community bind.');
  }
  if (row.memberId === current.id) throw new UserError('This account is already linked to that member.');
  const target = await d.tx.member.findUniqueOrThrow({ where: { id: row.memberId }, include: { identities: true } });
  if (target.identities.some((i) => i.platform === platform)) {
    throw new UserError(`That member already has a ${platform} account linked.`);
  }
  const others = await d.tx.identity.count({ where: { memberId: current.id, NOT: { platform, platformUserId } } });
  if (others > 0) throw new UserError('This account is already linked with other accounts; run /link on it from here instead.');
  await d.tx.identity.update({
    where: { communityId_platform_platformUserId: { communityId, platform, platformUserId } },
    data: { memberId: target.id },
  });
  const key = `link:${current.id}:${target.id}`;
  if (current.balance !== 0) {
    await applyPoints(d, { communityId, memberId: current.id, delta: -current.balance, kind: 'link', reason: `Merged into ${target.displayName}`, idempotencyKey: `${key}:out`, allowNegative: true });
    await applyPoints(d, { communityId, memberId: target.id, delta: current.balance, kind: 'link', reason: `Merged ${platform} account`, idempotencyKey: `${key}:in`, allowNegative: true });
  }
  if (current.lifetimePoints !== 0) {
    await d.tx.member.update({ where: { id: current.id }, data: { lifetimePoints: 0 } });
    await d.tx.member.update({ where: { id: target.id }, data: { lifetimePoints: { increment: current.lifetimePoints } } });
  }
  return d.tx.member.findUniqueOrThrow({ where: { id: target.id } });
}

/** Binds this platform's server/workspace/chat to the community that made the code. */
export async function bindCommunity(d: Deps, currentCommunityId: string, platform: Platform, externalId: string, raw: string) {
  const row = await useCode(d, 'community', raw);
  if (row.communityId === currentCommunityId) throw new UserError('This server is already part of that community.');
  const activity = await Promise.all([
    d.tx.ledgerEntry.count({ where: { communityId: currentCommunityId } }),
    d.tx.challenge.count({ where: { communityId: currentCommunityId } }),
    d.tx.contest.count({ where: { communityId: currentCommunityId } }),
    d.tx.poll.count({ where: { communityId: currentCommunityId } }),
  ]);
  if (activity.some((n) => n > 0)) {
    throw new UserError('This server already has its own points, challenges, giveaways or polls, so it cannot join another community.');
  }
  await d.tx.communityBinding.update({ where: { platform_externalId: { platform, externalId } }, data: { communityId: row.communityId } });
  return d.tx.community.findUniqueOrThrow({ where: { id: row.communityId } });
}
