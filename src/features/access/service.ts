import { txOf, type Scope } from '../../core/scope.js';
import type { AccessKind, AccessOutcome, Platform } from '../../core/types.js';
import { sqlRun } from '../../db/fast.js';
import { communityTiers, LAST_SEEN_FIRST, lockCommunity, parseTiers, tierIndex, type Tier, tellStaff } from '../members/service.js';
import { doubling } from '../../infra/backoff.js';

/**
 * Access follows tiers cumulatively: a member gets what every tier at or below theirs gives. Each platform
 * account gets one AccessGrant row per target, whose `wanted` flips as the member crosses thresholds;
 * src/infra/access.ts tells the platform.
 */

/** Which platform and kind each tier access field is. */
const FIELDS = [
  ['discordRole', 'discord', 'discord.role'],
  ['telegramChat', 'telegram', 'telegram.chat'],
  ['slackUsergroup', 'slack', 'slack.usergroup'],
  ['slackChannel', 'slack', 'slack.channel'],
] as const;

export interface AccessItem { platform: Platform; kind: AccessKind; target: string; tier: string }

const itemKey = (i: { platform: string; kind: string; target: string }) => `${i.platform}|${i.kind}|${i.target}`;

/** Everything a tier gives, as items. */
export function tierAccessItems(tier: Tier): AccessItem[] {
  return FIELDS.flatMap(([field, platform, kind]) => (tier.access?.[field] ? [{ platform, kind, target: tier.access[field]!, tier: tier.name }] : []));
}

export const anyAccess = (tiers: Tier[]) => tiers.some((t) => tierAccessItems(t).length > 0);

/** Index of the tier for `points` in ascending tiers (the lowest when below every threshold). */

/** The access a member with `points` lifetime points is owed: that of every tier at or below theirs. */
export function wantedAccess(tiers: Tier[], points: number): Map<string, AccessItem> {
  const out = new Map<string, AccessItem>();
  tiers.slice(0, tierIndex(tiers, points) + 1).forEach((t) => tierAccessItems(t).forEach((i) => out.set(itemKey(i), i)));
  return out;
}


/**
 * A member's lifetime points moved from `before` to `after` (applyPoints, in its transaction): when that
 * crosses a tier threshold either way, the access the tiers give is wanted or no longer wanted. Cheap when
 * no tier gives access or the tier did not change (runs on every award). `tiersJson`: the community's
 * tiers as applyPoints already read them, so an award reads the community row at most once.
 */
export async function tierCrossed(s: Scope, communityId: string, memberId: string, before: number, after: number, tiersJson?: string): Promise<void> {
  const tiers = await communityTiers(s, communityId, tiersJson);
  if (!anyAccess(tiers) || tierIndex(tiers, before) === tierIndex(tiers, after)) return;
  await planAccess(s, communityId, [memberId], tiers);
}

/**
 * Accounts were merged (/link): the grants of `fromId` go with its accounts to `toId` (a row `toId`
 * already has for the same target wins), and so do the events of the moved grants (everGranted looks
 * them up by member, so a role given before the link is still taken away), then `toId` is planned again
 * at its new total.
 */
export async function accessMerged(s: Scope, communityId: string, fromId: string, toId: string): Promise<void> {
  const tx = txOf(s);
  const tiers = await communityTiers(s, communityId);
  if (!anyAccess(tiers)) return;
  const moving = await tx.accessGrant.findMany({ where: { communityId, memberId: fromId } });
  const kept = new Set((await tx.accessGrant.findMany({ where: { communityId, memberId: toId } })).map(itemKey));
  for (const g of moving) {
    if (kept.has(itemKey(g))) await tx.accessGrant.delete({ where: { id: g.id } });
    else {
      await tx.accessGrant.update({ where: { id: g.id }, data: { memberId: toId } });
      await tx.accessEvent.updateMany({ where: { communityId, memberId: fromId, platform: g.platform, kind: g.kind, target: g.target }, data: { memberId: toId } });
    }
  }
  // The lifetime total moved with the accounts (not through applyPoints): the kept member may now be in another tier.
  await planAccess(s, communityId, [toId], tiers);
}

/**
 * The tiers changed (/tier add|edit|remove): every member at or above `fromPoints` is planned again with
 * the new tiers, in batches, in the caller's transaction. Grants waiting after failures are tried again
 * now (a moderator may just have fixed a permission); 'failed' rows are from before grants kept trying.
 */
export async function tiersChanged(s: Scope, communityId: string, tiers: Tier[], fromPoints: number): Promise<number> {
  const tx = txOf(s);
  await tx.accessGrant.updateMany({
    where: { communityId, OR: [{ state: 'failed' }, { state: 'pending', attempts: { gt: 0 }, lockedBy: null }] },
    data: { state: 'pending', attempts: 0, nextAttemptAt: s.now, updatedAt: s.now },
  });
  let planned = 0;
  for (let after: string | undefined; ;) {
    const batch = await tx.member.findMany({
      where: { communityId, lifetimePoints: { gte: fromPoints }, ...(after ? { id: { gt: after } } : {}) },
      orderBy: { id: 'asc' }, take: 500, select: { id: true },
    });
    if (!batch.length) return planned;
    await planAccess(s, communityId, batch.map((m) => m.id), tiers);
    planned += batch.length;
    after = batch.at(-1)!.id;
  }
}

/**
 * Sets `wanted` on each member's grant rows to what their tier owes them now: a row is written only when
 * `wanted` changes (then pending, to be told to the platform), so planning again writes nothing.
 * One account per platform: the one the member used last (the row is unique per member and target).
 */
async function planAccess(s: Scope, communityId: string, memberIds: string[], tiers: Tier[]): Promise<void> {
  const tx = txOf(s);
  const [members, identities, bindings, grants] = await Promise.all([
    tx.member.findMany({ where: { id: { in: memberIds } }, select: { id: true, lifetimePoints: true } }),
    tx.identity.findMany({ where: { memberId: { in: memberIds }, platform: { in: ['discord', 'telegram', 'slack'] } }, orderBy: [...LAST_SEEN_FIRST], select: { memberId: true, platform: true, platformUserId: true } }),
    tx.communityBinding.findMany({ where: { communityId, platform: { in: ['discord', 'slack'] } }, orderBy: { createdAt: 'desc' }, select: { platform: true, externalId: true } }),
    tx.accessGrant.findMany({ where: { communityId, memberId: { in: memberIds } } }),
  ]);
  // The guild or workspace the targets live in: the community's latest binding on that platform.
  const space = (p: string) => (p === 'telegram' ? '' : bindings.find((b) => b.platform === p)?.externalId);
  const flip = (id: number, wanted: boolean, extra: Record<string, string> = {}) => tx.accessGrant.updateMany({
    where: { id, wanted: !wanted },
    data: { wanted, state: 'pending', attempts: 0, nextAttemptAt: s.now, lastError: null, updatedAt: s.now, ...extra },
  });
  for (const m of members) {
    const want = wantedAccess(tiers, m.lifetimePoints);
    const rows = grants.filter((g) => g.memberId === m.id);
    for (const g of rows) if (g.wanted && !want.has(itemKey(g))) await flip(g.id, false);
    for (const [key, item] of want) {
      const account = identities.find((i) => i.memberId === m.id && i.platform === item.platform);
      const where = space(item.platform);
      if (!account || where === undefined) continue;
      const row = rows.find((g) => itemKey(g) === key);
      if (row) {
        if (!row.wanted) await flip(row.id, true, { platformUserId: account.platformUserId, space: where });
        continue;
      }
      // A concurrent plan for the same member inserts the same row: the unique key keeps one.
      await sqlRun(tx,
        'INSERT INTO "AccessGrant" ("communityId", "memberId", "platform", "platformUserId", "space", "kind", "target", "wanted", "state", "attempts", "nextAttemptAt", "updatedAt") ' +
        'VALUES (?, ?, ?, ?, ?, ?, ?, TRUE, \'pending\', 0, ?, ?) ON CONFLICT ("communityId", "memberId", "platform", "kind", "target") DO NOTHING',
        [communityId, m.id, item.platform, account.platformUserId, where, item.kind, item.target, s.now, s.now]);
    }
  }
}

/** A grant row as claimed by src/infra/access.ts. */
export interface ClaimedGrant {
  id: number; communityId: string; memberId: string; platform: string; platformUserId: string; kind: string; target: string; wanted: boolean;
  attempts: number; lockedUntil: Date; lockedBy: string;
}

/** Notices of access: a Telegram invite link for the member, a missing permission for the moderators. */
export type AccessNotice =
  | { type: 'access.invite'; community: string; tier: string; link: string }
  | { type: 'access.noPermission'; community: string; platform: string; kind: string; target: string; tier: string; detail?: string };

/** Passing failures are retried quickly this many times (30 s doubling up to 1 h), then once a day. */
const QUICK_ATTEMPTS = 8;
const BACKOFF_MS = 30_000;
const MAX_BACKOFF_MS = 3_600_000;
const DAY_MS = 24 * 3_600_000;
/** A missing permission is tried again after 1 h, doubling up to a day, until a moderator fixes it. */
const NO_PERMISSION_BACKOFF_MS = 3_600_000;
/** A missing permission for one target is reported to moderators at most this often. */
const REPORT_EVERY_MS = DAY_MS;

/** When a grant that failed `attempts` times before this failure is tried again. No grant is given up on. */
function retryDelay(reason: 'retry' | 'noPermission', attempts: number): number {
  if (reason === 'noPermission') return doubling(attempts + 1, NO_PERMISSION_BACKOFF_MS, DAY_MS);
  return attempts + 1 >= QUICK_ATTEMPTS ? DAY_MS : doubling(attempts + 1, BACKOFF_MS, MAX_BACKOFF_MS);
}

/** Whether this member's account was ever given this target (a removal of something never given is a no-op). */
export async function everGranted(s: Scope, g: ClaimedGrant): Promise<boolean> {
  const done = await txOf(s).accessEvent.findFirst({
    where: { communityId: g.communityId, memberId: g.memberId, platform: g.platform, kind: g.kind, target: g.target, action: 'grant', outcome: 'done' },
    select: { id: true },
  });
  return !!done;
}

/**
 * Records what the platform said about a claimed grant (its own transaction, see src/infra/access.ts): an
 * AccessEvent, and the row's next state while the claim is still this run's and `wanted` did not flip
 * meanwhile (if it did, the row is only released, to be told again). `outcome` null: nothing had to be
 * told (a removal of something never given). Failures stay pending with a backoff: 'failed' on the event
 * marks a passing failure that outlasted the quick retries (then tried daily).
 */
export async function settleAccess(s: Scope, g: ClaimedGrant, outcome: AccessOutcome | null): Promise<void> {
  const tx = txOf(s);
  const failure = outcome && !outcome.ok ? outcome.reason : null;
  // The report below locks the community row: take it first, as /tier edit does (community, then grants).
  if (failure === 'noPermission') await lockCommunity(s, g.communityId);
  const action = g.wanted ? 'grant' : 'remove';
  const result = !failure ? 'done' : failure === 'retry' && g.attempts + 1 >= QUICK_ATTEMPTS ? 'failed' : failure;
  const detail = outcome && !outcome.ok ? outcome.detail?.slice(0, 500) ?? null : null;
  const claim = { id: g.id, lockedBy: g.lockedBy, lockedUntil: g.lockedUntil };
  if (outcome) await tx.accessEvent.create({ data: { communityId: g.communityId, memberId: g.memberId, platform: g.platform, kind: g.kind, target: g.target, action, outcome: result, detail, createdAt: s.now } });
  const release = { lockedBy: null, lockedUntil: null, updatedAt: s.now };
  const next = failure === 'retry' || failure === 'noPermission'
    ? { attempts: g.attempts + 1, nextAttemptAt: new Date(s.now.getTime() + retryDelay(failure, g.attempts)), lastError: detail }
    : { state: 'done', lastError: detail };
  const settled = await tx.accessGrant.updateMany({ where: { ...claim, wanted: g.wanted }, data: { ...release, ...next } });
  if (settled.count !== 1) {
    await tx.accessGrant.updateMany({ where: claim, data: release });
    return;
  }
  if (!outcome) return;
  if (outcome.ok && outcome.inviteLink) await sendInvite(s, g, outcome.inviteLink);
  if (failure === 'noPermission') await reportNoPermission(s, g, detail ?? undefined);
}


async function communityOf(s: Scope, communityId: string) {
  return txOf(s).community.findUniqueOrThrow({ where: { id: communityId }, select: { name: true, tiers: true } });
}

const tierGiving = (tiers: Tier[], g: { platform: string; kind: string; target: string }) =>
  tiers.find((t) => tierAccessItems(t).some((i) => itemKey(i) === itemKey(g)))?.name ?? '';

/** A one-time invite link goes to the member's account on that platform by direct message. */
async function sendInvite(s: Scope, g: ClaimedGrant, link: string) {
  const c = await communityOf(s, g.communityId);
  const notice: AccessNotice = { type: 'access.invite', community: c.name, tier: tierGiving(parseTiers(c.tiers), g), link };
  await s.announce({ communityId: g.communityId, platform: g.platform as Platform, to: { kind: 'dm', userId: g.platformUserId }, notice, memberId: g.memberId });
}

/**
 * The bot lacks a permission for a target: each admin and moderator (the role stored with /role) is told
 * by direct message on their most recently used account, once a day per target across instances: the
 * report is an AccessEvent with outcome 'reported', checked and written under the community lock
 * (settleAccess took it).
 */
async function reportNoPermission(s: Scope, g: ClaimedGrant, detail?: string) {
  const tx = txOf(s);
  const reported = await tx.accessEvent.findFirst({
    where: { communityId: g.communityId, platform: g.platform, kind: g.kind, target: g.target, outcome: 'reported', createdAt: { gt: new Date(s.now.getTime() - REPORT_EVERY_MS) } },
    select: { id: true },
  });
  if (reported) return;
  await tx.accessEvent.create({ data: { communityId: g.communityId, memberId: g.memberId, platform: g.platform, kind: g.kind, target: g.target, action: g.wanted ? 'grant' : 'remove', outcome: 'reported', detail: detail ?? null, createdAt: s.now } });
  const c = await communityOf(s, g.communityId);
  const notice: AccessNotice = { type: 'access.noPermission', community: c.name, platform: g.platform, kind: g.kind, target: g.target, tier: tierGiving(parseTiers(c.tiers), g), ...(detail ? { detail } : {}) };
  await tellStaff(s, g.communityId, notice);
}
