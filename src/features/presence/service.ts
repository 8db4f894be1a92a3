import { txOf, type Scope } from '../../core/scope.js';
import type { PresenceEvent } from '../../core/types.js';
import { sqlRows, sqlRun } from '../../db/fast.js';
import { displayNames, resolveActor, resolveCommunity } from '../members/service.js';
import { onJoined, onLeft, referralRules } from '../referrals/service.js';

const DAY_MS = 86_400_000;

/**
 * Records a join or a leave (Presence), credits Discord invite attribution, and tells the referral rules
 * (referrals/service onJoined / onLeft). The moment `s.now` (the event's `at`) decides whether it applies:
 * a join applies when it is later than the account's last join and not earlier than its last leave; a leave
 * applies when the account is present (no leave since its last join) and it is not earlier than that join.
 * So a redelivered or out-of-date event changes nothing.
 */
export async function recordPresence(s: Scope, e: PresenceEvent): Promise<void> {
  const tx = txOf(s);
  const at = s.now;
  const community = await resolveCommunity(s, e.platform, e.communityKey, e.communityName);
  const member = await resolveActor(s, community.id, e.actor);
  const key = { communityId: community.id, platform: e.platform, platformUserId: e.actor.userId };
  // A second instance may create the same row at the same time: the insert then does nothing.
  await sqlRun(tx,
    'INSERT INTO "Presence" ("communityId", "platform", "platformUserId", "firstSeenAt", "accountCreatedAt") VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
    [key.communityId, key.platform, key.platformUserId, at, e.accountCreatedAt ?? null]);

  if (e.kind === 'leave') {
    const left = await tx.presence.updateMany({
      where: { ...key, leftAt: null, OR: [{ joinedAt: null }, { joinedAt: { lte: at } }] },
      data: { leftAt: at },
    });
    if (left.count === 1) await onLeft(s, { communityId: community.id, memberId: member.id });
    return;
  }

  const row = await tx.presence.findUniqueOrThrow({ where: { communityId_platform_platformUserId: key } });
  const accountCreatedAt = e.accountCreatedAt ?? row.accountCreatedAt;
  const inviterId = e.invite?.inviterUserId ? await inviterOf(s, community.id, e, member.id) : null;
  // Slack and Telegram tell no account age: the first time the platform showed us the account stands in.
  const since = accountCreatedAt ?? row.firstSeenAt;
  // The youngest account whose join through an invite counts as real: the community's referral rules.
  const fake = !!inviterId && at.getTime() - since.getTime() < (await referralRules(s, community.id)).minAccountAgeDays * DAY_MS;
  const joined = await tx.presence.updateMany({
    where: { ...key, OR: [{ joinedAt: null }, { joinedAt: { lt: at } }], AND: [{ OR: [{ leftAt: null }, { leftAt: { lte: at } }] }] },
    data: {
      joinedAt: at, leftAt: null, joins: { increment: 1 }, accountCreatedAt,
      // A join through a known member's invite moves the credit to them; an unknown one leaves it as it was.
      ...(inviterId ? { inviterId, inviteCode: e.invite!.code.slice(0, 100), fake } : {}),
    },
  });
  if (joined.count === 1) await onJoined(s, { communityId: community.id, memberId: member.id, inviterId, accountCreatedAt: since });
}

/** The member who made the invite, if the bot knows their account (none is created); not the newcomer themselves. */
async function inviterOf(s: Scope, communityId: string, e: PresenceEvent, memberId: string): Promise<string | null> {
  const identity = await txOf(s).identity.findUnique({
    where: { communityId_platform_platformUserId: { communityId, platform: e.platform, platformUserId: e.invite!.inviterUserId! } },
    select: { memberId: true },
  });
  return identity && identity.memberId !== memberId ? identity.memberId : null;
}

export interface InviteStats {
  /** Accounts that joined with this member's invites. */
  total: number;
  /** Of those, still here and not fake. */
  real: number;
  /** Of those, gone again. */
  left: number;
  /** Of those, accounts younger than the community's minimum age. */
  fake: number;
}

/** What a member's invites brought in: joined, still here, left, fake. */
export async function inviteStats(s: Scope, communityId: string, memberId: string): Promise<InviteStats> {
  const [row] = await sqlRows<{ total: number; real: number | null; left: number | null; fake: number | null }>(txOf(s),
    'SELECT COUNT(*) AS "total", ' +
    'SUM(CASE WHEN NOT "fake" AND "leftAt" IS NULL THEN 1 ELSE 0 END) AS "real", ' +
    'SUM(CASE WHEN "leftAt" IS NOT NULL THEN 1 ELSE 0 END) AS "left", ' +
    'SUM(CASE WHEN "fake" THEN 1 ELSE 0 END) AS "fake" ' +
    'FROM "Presence" WHERE "communityId" = ? AND "inviterId" = ?',
    [communityId, memberId]);
  return { total: Number(row?.total ?? 0), real: Number(row?.real ?? 0), left: Number(row?.left ?? 0), fake: Number(row?.fake ?? 0) };
}

export interface InviteStanding {
  rank: number;
  memberId: string;
  displayName: string;
  /** Real invites: members still here, fake ones not counted. */
  invites: number;
}

/** Members by real invites (still here, not fake), most first; ties share a rank. */
export async function inviteLeaderboard(s: Scope, communityId: string, size: number): Promise<InviteStanding[]> {
  const groups = await txOf(s).presence.groupBy({
    by: ['inviterId'],
    where: { communityId, inviterId: { not: null }, fake: false, leftAt: null },
    _count: { _all: true },
    orderBy: [{ _count: { inviterId: 'desc' } }, { inviterId: 'asc' }],
    take: size,
  });
  const names = await displayNames(s, groups.map((g) => g.inviterId!));
  let rank = 0;
  return groups.map((g, i) => {
    if (i === 0 || g._count._all !== groups[i - 1]._count._all) rank = i + 1;
    return { rank, memberId: g.inviterId!, displayName: names.get(g.inviterId!) ?? '?', invites: g._count._all };
  }).sort((a, b) => a.rank - b.rank || a.displayName.localeCompare(b.displayName));
}
