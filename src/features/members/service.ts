import { randomInt } from 'node:crypto';
import type { Db } from '../../db/client.js';
import { sqlRows, sqlRun } from '../../db/fast.js';
import { communityColumns, communityRow, dateOf, memberColumns, memberRow } from '../../db/rows.js';
import type { Community, Member } from '../../generated/sqlite/client.js';
import { memoOf, txOf, type Scope } from '../../core/scope.js';
import type { Actor, Notice, Platform, Role } from '../../core/types.js';
import { ROLES, roleRank } from '../../core/types.js';
import { UserError } from '../../core/errors.js';
import { toLocale } from '../../i18n/index.js';
import { parsedOnce } from '../../core/parse-once.js';

const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'; // no 0/O/1/I

export function randomCode(length = 8): string {
  let s = '';
  for (let i = 0; i < length; i++) s += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return s;
}

/** Language and zone by community id as this process last read them, and space -> community id per client. */
const settingsSeen = new Map<string, { locale: string; timezone: string; at: number }>();
const communityOfSpace = new WeakMap<object, Map<string, string>>();
/** How long another process's change of language or zone may go unseen here (this process's own: not at all). */
const SETTINGS_TTL_MS = 10_000;

/**
 * Language and zone of the community behind a platform space, read before a command's transaction (null:
 * not met yet). Kept for a few seconds: most commands then read nothing before their transaction.
 */
export async function communitySettings(db: Db, platform: Platform, externalId: string): Promise<{ locale: string; timezone: string } | null> {
  const key = `${platform}\u0000${externalId}`;
  const id = communityOfSpace.get(db)?.get(key);
  const seen = id ? settingsSeen.get(id) : undefined;
  if (seen && Date.now() - seen.at < SETTINGS_TTL_MS) return { locale: seen.locale, timezone: seen.timezone };
  const b = await db.communityBinding.findUnique({
    where: { platform_externalId: { platform, externalId } },
    select: { communityId: true, community: { select: { locale: true, timezone: true } } },
  });
  if (!b) return null;
  let spaces = communityOfSpace.get(db);
  if (!spaces) communityOfSpace.set(db, (spaces = new Map()));
  if (spaces.size > 10_000) spaces.clear();
  if (settingsSeen.size > 10_000) settingsSeen.clear();
  spaces.set(key, b.communityId);
  settingsSeen.set(b.communityId, { ...b.community, at: Date.now() });
  return b.community;
}

/** A community's language or zone changed in this process: the next command reads them again. */
export function forgetSettings(communityId: string): void {
  settingsSeen.delete(communityId);
}

/** The community a platform space belongs to, if the bot has met it (for adapters' deep links). */
export async function communityByKey(db: Db, platform: Platform, externalId: string): Promise<{ id: string; name: string } | null> {
  const b = await db.communityBinding.findUnique({ where: { platform_externalId: { platform, externalId } }, select: { community: { select: { id: true, name: true } } } });
  return b?.community ?? null;
}

/**
 * The account a member acts through when the dashboard runs a command for them: their most recently used
 * identity on a platform where the community has a space (optionally only that platform), with that space.
 */
export async function actingAccount(db: Db, communityId: string, memberId: string, platform?: Platform):
  Promise<{ platform: Platform; platformUserId: string; username: string | null; spaceKey: string; displayName: string } | null> {
  const identities = await db.identity.findMany({
    where: { communityId, memberId, ...(platform ? { platform } : {}) },
    orderBy: [...LAST_SEEN_FIRST],
    select: { platform: true, platformUserId: true, username: true, member: { select: { displayName: true } } },
  });
  for (const i of identities) {
    const space = await db.communityBinding.findFirst({ where: { communityId, platform: i.platform }, orderBy: { createdAt: 'asc' }, select: { externalId: true } });
    if (space) return { platform: i.platform as Platform, platformUserId: i.platformUserId, username: i.username, spaceKey: space.externalId, displayName: i.member.displayName };
  }
  return null;
}

/** Tells each admin and moderator (the role stored with /role) by direct message on their most recently used account. */
export async function tellStaff(s: Scope, communityId: string, notice: Notice): Promise<void> {
  const tx = txOf(s);
  const staff = await tx.member.findMany({ where: { communityId, role: { in: ['admin', 'moderator'] } }, select: { id: true }, take: 20 });
  for (const m of staff) {
    const account = await tx.identity.findFirst({ where: { memberId: m.id }, orderBy: [...LAST_SEEN_FIRST] });
    if (account) await s.announce({ communityId, platform: account.platform as Platform, to: { kind: 'dm', userId: account.platformUserId }, notice, memberId: m.id });
  }
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

/** A name as a platform reports it, without control characters (PostgreSQL refuses NUL) and cut to fit. */
const plainName = (name: string | undefined) => name?.replace(/[\u0000-\u001F\u007F]/g, '').slice(0, 100) || undefined;

export async function resolveCommunity(s: Scope, platform: Platform, externalId: string, name: string | undefined): Promise<Community> {
  const found = await findCommunity(s, platform, externalId);
  if (found) return found;
  return remember(s, await txOf(s).community.create({
    data: { name: plainName(name) ?? `${platform} ${externalId}`.slice(0, 100), createdAt: s.now, bindings: { create: { platform, externalId, createdAt: s.now } } },
  }));
}

/** The community bound to a platform space, or null (one plain statement: every command and activity group starts here). */
export async function findCommunity(s: Scope, platform: Platform, externalId: string): Promise<Community | null> {
  const [row] = await sqlRows(txOf(s), `SELECT ${communityColumns('c')} FROM "CommunityBinding" b JOIN "Community" c ON c."id" = b."communityId" WHERE b."platform" = ? AND b."externalId" = ?`, [platform, externalId]);
  return row ? remember(s, communityRow(row)) : null;
}

/**
 * The community behind a platform space and the member behind the account that acts in it, in one plain
 * statement when both are known (every command starts here); each is created on first contact.
 */
export async function resolveContext(s: Scope, platform: Platform, externalId: string, name: string | undefined, actor: Actor): Promise<{ community: Community; member: Member }> {
  const [row] = await sqlRows(txOf(s),
    `SELECT ${communityColumns('c')}, ${memberColumns('m', 'm_')}, i."username" AS "identityUsername", i."lastSeenAt" AS "identitySeenAt" ` +
    'FROM "CommunityBinding" b JOIN "Community" c ON c."id" = b."communityId" ' +
    'LEFT JOIN "Identity" i ON i."communityId" = c."id" AND i."platform" = ? AND i."platformUserId" = ? ' +
    'LEFT JOIN "Member" m ON m."id" = i."memberId" WHERE b."platform" = ? AND b."externalId" = ?',
    [actor.platform, actor.userId, platform, externalId]);
  if (!row) {
    const community = await resolveCommunity(s, platform, externalId, name);
    return { community, member: await resolveActor(s, community.id, actor) };
  }
  const community = remember(s, communityRow(row));
  if (row.m_id === null || row.m_id === undefined) return { community, member: await createMember(s, community.id, actor) };
  const member = await keepActorCurrent(s, community.id, actor, { username: row.identityUsername as string | null, lastSeenAt: dateOf(row.identitySeenAt) }, memberRow(row, 'm_'));
  return { community, member };
}

/**
 * Makes changes to a community's shared state run one at a time: a no-op update of its row, which a
 * concurrent transaction touching the same row waits for (PostgreSQL) and then reads after the first has
 * committed. Referral caps and cycles, the once-a-day access report and season overlaps depend on it;
 * SQLite serializes writers anyway.
 */
export async function lockCommunity(s: Scope, communityId: string): Promise<void> {
  await sqlRun(txOf(s), 'UPDATE "Community" SET "name" = "name" WHERE "id" = ?', [communityId]);
}

/** Community rows this unit of work read, for services that need a zone or the tiers again (applyPoints). */
const remember = (s: Scope, c: Community) => (memoOf(s).set(`community:${c.id}`, c), c);
export function communityRead(s: Scope, communityId: string): Community | undefined {
  return memoOf(s).get(`community:${communityId}`) as Community | undefined;
}
/** A service changed the community row: later reads in this unit of work go to the database. */
export function forgetCommunityRead(s: Scope, communityId: string): void {
  memoOf(s).delete(`community:${communityId}`);
  memoOf(s).delete(`tiers:${communityId}`);
}

/** The community's tiers, read once per unit of work (`known`: the tiers JSON the caller already read). */
export async function communityTiers(s: Scope, communityId: string, known?: string): Promise<Tier[]> {
  if (known !== undefined) return parseTiers(known);
  const read = communityRead(s, communityId);
  if (read) return parseTiers(read.tiers);
  const memo = memoOf(s);
  const key = `tiers:${communityId}`;
  let json = memo.get(key) as string | undefined;
  if (json === undefined) {
    json = (await sqlRows<{ tiers: string }>(txOf(s), 'SELECT "tiers" FROM "Community" WHERE "id" = ?', [communityId]))[0]?.tiers ?? '[]';
    memo.set(key, json);
  }
  return parseTiers(json);
}

/** The community's JSON settings columns (rules and tiers). */
type JsonSetting = 'activity' | 'referralRules' | 'thanksRules' | 'tiers';

/**
 * Changes one JSON settings column: reads it, `change` makes the new JSON (or refuses with a UserError), and a
 * conditional write on the JSON it read stores it. A concurrent change by another admin makes it read again and
 * change that, never overwrite it. Returns the JSON stored.
 */
export async function changeCommunitySetting(s: Scope, communityId: string, column: JsonSetting, change: (json: string) => string): Promise<string> {
  const tx = txOf(s);
  for (let attempt = 0; attempt < 5; attempt++) {
    const row = await tx.community.findUniqueOrThrow({ where: { id: communityId }, select: { [column]: true } }) as unknown as Record<JsonSetting, string>;
    const next = change(row[column]);
    const done = await tx.community.updateMany({ where: { id: communityId, [column]: row[column] }, data: { [column]: next } });
    if (done.count === 1) { forgetCommunityRead(s, communityId); return next; }
  }
  throw Object.assign(new Error(`${column} kept changing`), { code: 'P2034' });
}

/** lastSeenAt is refreshed at most this often, so most commands write nothing for it. */
const SEEN_PRECISION_MS = 5 * 60_000;

/** Finds the member behind a platform account, creating both on first contact; keeps name and language current. */
export async function resolveActor(s: Scope, communityId: string, reported: Actor): Promise<Member> {
  const tx = txOf(s);
  // The identity and its member in one plain statement.
  const [row] = await sqlRows(tx,
    `SELECT ${memberColumns('m')}, i."username" AS "identityUsername", i."lastSeenAt" AS "identitySeenAt" FROM "Identity" i JOIN "Member" m ON m."id" = i."memberId" ` +
    'WHERE i."communityId" = ? AND i."platform" = ? AND i."platformUserId" = ?', [communityId, reported.platform, reported.userId]);
  if (!row) return createMember(s, communityId, reported);
  const member = memberRow(row);
  return keepActorCurrent(s, communityId, reported, { username: row.identityUsername as string | null, lastSeenAt: dateOf(row.identitySeenAt) }, member);
}

/**
 * Refreshes what the platform reports about a known account, given the identity and member as read: the
 * identity's username and lastSeenAt (the latter at most every few minutes), the member's name and
 * language. Writes nothing when nothing changed; returns the member as it now is.
 */
export async function keepActorCurrent<M extends Pick<Member, 'id' | 'displayName' | 'locale'>>(s: Scope, communityId: string, reported: Actor,
  identity: { username: string | null; lastSeenAt: Date | null }, member: M): Promise<M> {
  const actor = { ...reported, displayName: plainName(reported.displayName) ?? '', username: plainName(reported.username) };
  const now = s.now;
  const stale = !identity.lastSeenAt || now.getTime() - identity.lastSeenAt.getTime() > SEEN_PRECISION_MS;
  const username = actor.username ?? null;
  if (identity.username !== username || stale) {
    await sqlRun(txOf(s), `UPDATE "Identity" SET "username" = ?${stale ? ', "lastSeenAt" = ?' : ''} WHERE "communityId" = ? AND "platform" = ? AND "platformUserId" = ?`,
      [username, ...(stale ? [now] : []), communityId, actor.platform, actor.userId]);
  }
  return keepCurrent(s, member, actor);
}

/** The member with the name and language the platform reports now. */
async function keepCurrent<M extends Pick<Member, 'id' | 'displayName' | 'locale'>>(s: Scope, member: M, actor: Actor & { displayName: string }): Promise<M> {
  const locale = toLocale(actor.locale);
  const rename = !!actor.displayName && member.displayName !== actor.displayName;
  if (!rename && !(locale && member.locale !== locale)) return member;
  const next = { ...member, ...(rename ? { displayName: actor.displayName } : {}), ...(locale ? { locale } : {}) };
  await sqlRun(txOf(s), 'UPDATE "Member" SET "displayName" = ?, "locale" = ? WHERE "id" = ?', [next.displayName, next.locale, member.id]);
  return next;
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
        displayName: plainName(actor.displayName) ?? plainName(actor.username) ?? actor.userId.slice(0, 100),
        referralCode,
        locale: toLocale(actor.locale) ?? null,
        createdAt: s.now,
        identities: { create: { communityId, platform: actor.platform, platformUserId: actor.userId, username: plainName(actor.username) ?? null, createdAt: s.now, lastSeenAt: s.now } },
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
 * <@U123> / <@U123|name>, an @username, or a bare platform user id. A platform id the bot has not met
 * yet becomes a new member only with `create` (commands that give something, so people can receive
 * points before they ever speak); a look-up refuses it, so reading never writes.
 */
export async function resolveMemberRef(s: Scope, communityId: string, platform: Platform, ref: string, opts: { create?: boolean } = {}) {
  const r = ref.trim();
  const mention = /^<@!?([A-Za-z0-9]+)(?:\|([^>]+))?>$/.exec(r);
  const id = mention ? mention[1] : /^\d+$|^[UW][A-Z0-9]{5,}$/.test(r) ? r : null;
  if (id) {
    const known = await memberOf(s, communityId, platform, 'platformUserId', id);
    if (known) return known;
    if (!opts.create) throw new UserError('members:unknownId', { ref: r });
    return createMember(s, communityId, { platform, userId: id, displayName: mention?.[2] ?? id });
  }
  const username = r.replace(/^@/, '');
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(username)) throw new UserError('members:notAMember', { ref: r });
  const named = await memberOf(s, communityId, platform, 'username', username);
  if (!named) throw new UserError('members:unknownUsername', { username });
  return named;
}

/** The member behind an account (by platform user id, or by username: the first one found), or null. */
async function memberOf(s: Scope, communityId: string, platform: Platform, by: 'platformUserId' | 'username', value: string): Promise<Member | null> {
  // By the identity's unique (or username) index, joined to the row: Prisma's relation filter would scan the community's members.
  const [row] = await sqlRows(txOf(s), `SELECT ${memberColumns('m')} FROM "Identity" i JOIN "Member" m ON m."id" = i."memberId" WHERE i."communityId" = ? AND i."platform" = ? AND i."${by}" = ? LIMIT 1`, [communityId, platform, value]);
  return row ? memberRow(row) : null;
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

/** What a tier gives on each platform (src/features/access): ids of a Discord role, Telegram chat, Slack user group or private channel. */
export interface TierAccess { discordRole?: string; telegramChat?: string; slackUsergroup?: string; slackChannel?: string }
export interface Tier { name: string; minPoints: number; access?: TierAccess }

/** Tiers by their JSON text, lowest first: every award reads them, and they rarely change. Shared arrays: do not mutate. */
export const parseTiers = parsedOnce((json: string): Tier[] => {
  try {
    return [...(JSON.parse(json) as Tier[])].sort((a, b) => a.minPoints - b.minPoints);
  } catch {
    return [{ name: 'Member', minPoints: 0 }];
  }
});

/** Tier by lifetime points earned (spending points never drops a tier), and the next one up. */
export function tierFor(tiers: Tier[], lifetime: number): { tier: Tier; next?: Tier } {
  const idx = tierIndex(tiers, lifetime);
  return { tier: tiers[idx], next: tiers[idx + 1] };
}

/** The position of the tier a lifetime total reaches in tiers sorted lowest first (0 below every threshold). */
export const tierIndex = (tiers: Tier[], lifetime: number) => Math.max(0, tiers.findLastIndex((t) => lifetime >= t.minPoints));

/** What moveBinding did: bound the new id, rebound it from an unused community, found it done, refused, or knew no old id. */
export type MoveOutcome = 'moved' | 'rebound' | 'already' | 'conflict' | 'unknown';

/** Whether a community holds anything worth keeping beyond members who merely spoke: points, cards, rewards, other spaces. */
async function hasActivity(s: Scope, communityId: string, besides: { platform: string; externalId: string }): Promise<boolean> {
  const tx = txOf(s);
  const where = { communityId };
  const counts = await Promise.all([
    tx.communityBinding.count({ where: { communityId, NOT: { platform: besides.platform, externalId: besides.externalId } } }),
    tx.ledgerEntry.count({ where }), tx.challenge.count({ where }), tx.contest.count({ where }), tx.poll.count({ where }),
    tx.reward.count({ where }), tx.referral.count({ where }),
  ]);
  return counts.some((n) => n > 0);
}

/**
 * A platform space got a new id (a Telegram group upgraded to a supergroup): the community bound to the
 * old id is bound to the new one, and becomes the one private chats act for. The old binding stays, so
 * invite links, buttons and forms made for the old id still reach the same community; nothing is lost.
 * Idempotent. If the new id already has a community (someone used the bot there first), it is rebound
 * when that community has no activity, else left alone ('conflict': both communities stay as they are).
 */
export async function moveBinding(s: Scope, platform: Platform, fromId: string, toId: string): Promise<MoveOutcome> {
  const tx = txOf(s);
  const key = (externalId: string) => ({ platform_externalId: { platform, externalId } });
  const from = await tx.communityBinding.findUnique({ where: key(fromId) });
  if (!from || fromId === toId) return 'unknown';
  const to = await tx.communityBinding.findUnique({ where: key(toId) });
  // Newer than the old binding, so lastGroupOf picks the new id for private chats.
  const createdAt = new Date(Math.max(s.now.getTime(), from.createdAt.getTime() + 1));
  if (!to) {
    // A concurrent move creates the same row: the unique clash is retried and then finds it done.
    await tx.communityBinding.create({ data: { platform, externalId: toId, communityId: from.communityId, createdAt } });
    return 'moved';
  }
  if (to.communityId === from.communityId) return 'already';
  if (await hasActivity(s, to.communityId, { platform, externalId: toId })) return 'conflict';
  const rebound = await tx.communityBinding.updateMany({
    where: { platform, externalId: toId, communityId: to.communityId },
    data: { communityId: from.communityId, createdAt },
  });
  if (rebound.count === 1) return 'rebound';
  const now = await tx.communityBinding.findUnique({ where: key(toId) });
  return now?.communityId === from.communityId ? 'already' : 'conflict';
}
