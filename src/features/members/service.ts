import { randomInt } from 'node:crypto';
import type { Db } from '../../db/client.js';
import { txOf, type Scope } from '../../core/scope.js';
import type { Actor, Platform, Role } from '../../core/types.js';
import { ROLES, roleRank } from '../../core/types.js';
import { UserError } from '../../core/errors.js';
import { toLocale } from '../../i18n/index.js';

const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'; // no 0/O/1/I

export function randomCode(length = 8): string {
  let s = '';
  for (let i = 0; i < length; i++) s += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return s;
}

/** Language and zone of the community behind a platform space, read before a command's transaction (null: not met yet). */
export async function communitySettings(db: Db, platform: Platform, externalId: string): Promise<{ locale: string; timezone: string } | null> {
  const b = await db.communityBinding.findUnique({
    where: { platform_externalId: { platform, externalId } },
    select: { community: { select: { locale: true, timezone: true } } },
  });
  return b?.community ?? null;
}

/** The community a platform space belongs to, if the bot has met it (for adapters' deep links). */
export async function communityByKey(db: Db, platform: Platform, externalId: string): Promise<{ id: string; name: string } | null> {
  const b = await db.communityBinding.findUnique({ where: { platform_externalId: { platform, externalId } }, select: { community: { select: { id: true, name: true } } } });
  return b?.community ?? null;
}

/** Orders a member's identities by the account they used most recently. */
export const LAST_SEEN_FIRST = [{ lastSeenAt: { sort: 'desc', nulls: 'last' } }, { createdAt: 'desc' }] as const;

/**
 * The group space (externalId starting with "-", as Telegram group ids do) where this account was seen
 * last: a Telegram private chat acts for it.
 */
export async function lastGroupOf(db: Db, platform: Platform, platformUserId: string): Promise<{ key: string; name: string } | null> {
  const identities = await db.identity.findMany({
    where: { platform, platformUserId },
    orderBy: [...LAST_SEEN_FIRST],
    select: { communityId: true },
    take: 20,
  });
  for (const { communityId } of identities) {
    const binding = await db.communityBinding.findFirst({
      where: { platform, communityId, externalId: { startsWith: '-' } },
      orderBy: { createdAt: 'desc' },
      include: { community: true },
    });
    if (binding) return { key: binding.externalId, name: binding.community.name };
  }
  return null;
}

/** A member's referral code, by their platform account in a platform space (null if unknown). */
export async function referralCodeOf(db: Db, platform: Platform, externalId: string, platformUserId: string): Promise<string | null> {
  const community = await communityByKey(db, platform, externalId);
  if (!community) return null;
  const identity = await db.identity.findUnique({
    where: { communityId_platform_platformUserId: { communityId: community.id, platform, platformUserId } },
    select: { member: { select: { referralCode: true } } },
  });
  return identity?.member.referralCode ?? null;
}

export async function resolveCommunity(s: Scope, platform: Platform, externalId: string, name: string | undefined) {
  const tx = txOf(s);
  const binding = await tx.communityBinding.findUnique({ where: { platform_externalId: { platform, externalId } }, include: { community: true } });
  if (binding) return binding.community;
  return tx.community.create({
    data: { name: (name || `${platform} ${externalId}`).slice(0, 100), createdAt: s.now, bindings: { create: { platform, externalId, createdAt: s.now } } },
  });
}

/** lastSeenAt is refreshed at most this often, so most commands write nothing for it. */
const SEEN_PRECISION_MS = 5 * 60_000;

/** Finds the member behind a platform account, creating both on first contact; keeps name and language current. */
export async function resolveActor(s: Scope, communityId: string, actor: Actor) {
  const tx = txOf(s);
  const now = s.now;
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
    const locale = toLocale(actor.locale);
    const rename = actor.displayName && identity.member.displayName !== actor.displayName;
    if (rename || (locale && identity.member.locale !== locale)) {
      return tx.member.update({
        where: { id: identity.memberId },
        data: { ...(rename ? { displayName: actor.displayName.slice(0, 100) } : {}), ...(locale ? { locale } : {}) },
      });
    }
    return identity.member;
  }
  return createMember(s, communityId, actor);
}

export async function createMember(s: Scope, communityId: string, actor: Pick<Actor, 'platform' | 'userId' | 'displayName' | 'username' | 'locale'>) {
  const tx = txOf(s);
  for (let attempt = 0; ; attempt++) {
    const referralCode = randomCode(8);
    const clash = await tx.member.findUnique({ where: { communityId_referralCode: { communityId, referralCode } } });
    if (clash && attempt < 5) continue;
    return tx.member.create({
      data: {
        communityId,
        displayName: (actor.displayName || actor.username || actor.userId).slice(0, 100),
        referralCode,
        locale: toLocale(actor.locale) ?? null,
        createdAt: s.now,
        identities: { create: { communityId, platform: actor.platform, platformUserId: actor.userId, username: actor.username ?? null, createdAt: s.now, lastSeenAt: s.now } },
      },
    });
  }
}

/** The effective role: the stronger of the stored role and what the platform grants. */
export function effectiveRole(stored: string, platformRole?: Role): Role {
  const r = (ROLES as readonly string[]).includes(stored) ? (stored as Role) : 'member';
  return platformRole && roleRank(platformRole) > roleRank(r) ? platformRole : r;
}

/**
 * Resolves a member reference typed by a user: a Discord mention <@123> / <@!123>, a Slack mention
 * <@U123> / <@U123|name>, an @username, or a bare platform user id. Unknown people are created when
 * the reference carries a platform id (they can receive points before they ever speak).
 */
export async function resolveMemberRef(s: Scope, communityId: string, platform: Platform, ref: string) {
  const tx = txOf(s);
  const r = ref.trim();
  const mention = /^<@!?([A-Za-z0-9]+)(?:\|([^>]+))?>$/.exec(r);
  const id = mention ? mention[1] : /^\d+$|^[UW][A-Z0-9]{5,}$/.test(r) ? r : null;
  if (id) {
    const identity = await tx.identity.findUnique({
      where: { communityId_platform_platformUserId: { communityId, platform, platformUserId: id } },
      include: { member: true },
    });
    if (identity) return identity.member;
    return createMember(s, communityId, { platform, userId: id, displayName: mention?.[2] ?? id });
  }
  const username = r.replace(/^@/, '');
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(username)) throw new UserError('members:notAMember', { ref: r });
  const identity = await tx.identity.findFirst({
    where: { communityId, platform, username: { equals: username } },
    include: { member: true },
  });
  if (!identity) throw new UserError('members:unknownUsername', { username });
  return identity.member;
}

/** Display names by member id, for lists (review queues, winners, boards). */
export async function displayNames(s: Scope, ids: string[]): Promise<Map<string, string>> {
  const rows = await txOf(s).member.findMany({ where: { id: { in: ids } }, select: { id: true, displayName: true } });
  return new Map(rows.map((m) => [m.id, m.displayName]));
}

export async function setRole(s: Scope, memberId: string, role: Role) {
  return txOf(s).member.update({ where: { id: memberId }, data: { role } });
}

/** The account a direct message to this member goes to: the one they used most recently (on `platform` when given). */
export async function dmTarget(s: Scope, memberId: string, platform?: string) {
  return txOf(s).identity.findFirst({
    where: { memberId, ...(platform ? { platform } : {}) },
    orderBy: [...LAST_SEEN_FIRST],
  });
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
