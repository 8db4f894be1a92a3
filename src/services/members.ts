import { randomInt } from 'node:crypto';
import type { Tx } from '../db/client.js';
import type { Actor, Platform, Role } from '../core/types.js';
import { ROLES, roleRank } from '../core/types.js';
import { UserError } from '../core/errors.js';

const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'; // no 0/O/1/I

export function randomCode(length = 8): string {
  let s = '';
  for (let i = 0; i < length; i++) s += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return s;
}

export async function resolveCommunity(tx: Tx, platform: Platform, externalId: string, name: string | undefined, now: Date) {
  const binding = await tx.communityBinding.findUnique({ where: { platform_externalId: { platform, externalId } }, include: { community: true } });
  if (binding) return binding.community;
  return tx.community.create({
    data: { name: (name || `${platform} ${externalId}`).slice(0, 100), createdAt: now, bindings: { create: { platform, externalId, createdAt: now } } },
  });
}

/** Orders a member's identities by the account they used most recently. */
export const LAST_SEEN_FIRST = [{ lastSeenAt: { sort: 'desc', nulls: 'last' } }, { createdAt: 'desc' }] as const;

/** lastSeenAt is refreshed at most this often, so most commands write nothing for it. */
const SEEN_PRECISION_MS = 5 * 60_000;

/** Finds the member behind a platform account, creating both on first contact. */
export async function resolveActor(tx: Tx, communityId: string, actor: Actor, now: Date) {
  const identity = await tx.identity.findUnique({
    where: { communityId_platform_platformUserId: { communityId, platform: actor.platform, platformUserId: actor.userId } },
    include: { member: true },
  });
  if (identity) {
    const stale = !identity.lastSeenAt || now.getTime() - identity.lastSeenAt.getTime() > SEEN_PRECISION_MS;
    if (identity.username !== (actor.username ?? null) || stale) {
      await tx.identity.update({
        where: { communityId_platform_platformUserId: { communityId, platform: actor.platform, platformUserId: actor.userId } },
        data: { username: actor.username ?? null, ...(stale ? { lastSeenAt: now } : {}) },
      });
    }
    if (actor.displayName && identity.member.displayName !== actor.displayName) {
      return tx.member.update({ where: { id: identity.memberId }, data: { displayName: actor.displayName.slice(0, 100) } });
    }
    return identity.member;
  }
  return createMember(tx, communityId, actor, now);
}

export async function createMember(tx: Tx, communityId: string, actor: Pick<Actor, 'platform' | 'userId' | 'displayName' | 'username'>, now: Date) {
  for (let attempt = 0; ; attempt++) {
    const referralCode = randomCode(8);
    const clash = await tx.member.findUnique({ where: { communityId_referralCode: { communityId, referralCode } } });
    if (clash && attempt < 5) continue;
    return tx.member.create({
      data: {
        communityId,
        displayName: (actor.displayName || actor.username || actor.userId).slice(0, 100),
        referralCode,
        createdAt: now,
        identities: { create: { communityId, platform: actor.platform, platformUserId: actor.userId, username: actor.username ?? null, createdAt: now, lastSeenAt: now } },
      },
    });
  }
}

/** The effective role: the stronger of the stored role and what the platform grants. */
export function effectiveRole(stored: string, platformRole?: Role): Role {
  const s = (ROLES as readonly string[]).includes(stored) ? (stored as Role) : 'member';
  return platformRole && roleRank(platformRole) > roleRank(s) ? platformRole : s;
}

/**
 * Resolves a member reference typed by a user: a Discord mention <@123> / <@!123>, a Slack mention
 * <@U123> / <@U123|name>, an @username, or a bare platform user id. Unknown people are created when
 * the reference carries a platform id (they can receive points before they ever speak).
 */
export async function resolveMemberRef(tx: Tx, communityId: string, platform: Platform, ref: string, now: Date) {
  const r = ref.trim();
  const mention = /^<@!?([A-Za-z0-9]+)(?:\|([^>]+))?>$/.exec(r);
  const id = mention ? mention[1] : /^\d+$|^[UW][A-Z0-9]{5,}$/.test(r) ? r : null;
  if (id) {
    const identity = await tx.identity.findUnique({
      where: { communityId_platform_platformUserId: { communityId, platform, platformUserId: id } },
      include: { member: true },
    });
    if (identity) return identity.member;
    return createMember(tx, communityId, { platform, userId: id, displayName: mention?.[2] ?? id }, now);
  }
  const username = r.replace(/^@/, '');
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(username)) throw new UserError(`"${r}" is not a member. Mention them (@name).`);
  const identity = await tx.identity.findFirst({
    where: { communityId, platform, username: { equals: username } },
    include: { member: true },
  });
  if (!identity) throw new UserError(`I don't know @${username} yet. They need to use any bot command once first.`);
  return identity.member;
}

/** Display names by member id, for lists (review queues, winners, boards). */
export async function displayNames(tx: Tx, ids: string[]): Promise<Map<string, string>> {
  const rows = await tx.member.findMany({ where: { id: { in: ids } }, select: { id: true, displayName: true } });
  return new Map(rows.map((m) => [m.id, m.displayName]));
}

export async function setRole(tx: Tx, memberId: string, role: Role) {
  return tx.member.update({ where: { id: memberId }, data: { role } });
}

export interface Tier { name: string; minPoints: number }

export function parseTiers(json: string): Tier[] {
  try {
    const t = JSON.parse(json) as Tier[];
    return [...t].sort((a, b) => a.minPoints - b.minPoints);
  } catch {
    return [{ name: 'Member', minPoints: 0 }];
  }
}

/** Tier by lifetime points earned (spending points never drops a tier), and the next one up. */
export function tierFor(tiers: Tier[], lifetime: number): { tier: Tier; next?: Tier } {
  let idx = 0;
  tiers.forEach((t, i) => { if (lifetime >= t.minPoints) idx = i; });
  return { tier: tiers[idx], next: tiers[idx + 1] };
}
