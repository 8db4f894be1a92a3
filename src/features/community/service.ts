import { txOf, type Scope } from '../../core/scope.js';
import { UserError } from '../../core/errors.js';
import { isValidZone } from '../../core/time.js';
import { PLATFORMS, roleRank, type Address, type Locale, type Platform, type Role } from '../../core/types.js';
import { forgetCommunityRead, forgetSettings, setRole } from '../members/service.js';
import { endSessionsOf } from '../dashboard/service.js';

/** Gives a member a bot role; an admin may not lower their own (a community could lose its last admin). */
export async function changeRole(s: Scope, by: { id: string; role: Role }, target: { id: string; displayName: string }, role: Role) {
  if (target.id === by.id && roleRank(role) < roleRank(by.role)) throw new UserError('community:error.ownRole', {}, 'role');
  const before = await txOf(s).member.findUniqueOrThrow({ where: { id: target.id }, select: { role: true } });
  await setRole(s, target.id, role);
  // Lowered: the dashboard sessions opened with the old role end now.
  if (roleRank(role) < roleRank(before.role as Role)) await endSessionsOf(s, target.id);
  return { name: target.displayName, role };
}

export interface SettingsChange {
  referrerReward?: number;
  refereeReward?: number;
  name?: string;
  locale?: Locale;
  timezone?: string;
}

export interface Settings { name: string; referrerReward: number; refereeReward: number; locale: string; timezone: string }

/** The zone as IANA spells it ("asia/seoul" -> "Asia/Seoul"; aliases such as "EST" stay as typed); a name that is no zone is refused. */
function zoneName(zone: string): string {
  if (!isValidZone(zone)) throw new UserError('errors:arg.timezone', { field: 'timezone', value: zone }, 'timezone');
  const resolved = new Intl.DateTimeFormat('en', { timeZone: zone }).resolvedOptions().timeZone;
  return resolved.toLowerCase() === zone.toLowerCase() ? resolved : zone;
}

/** Changes what was given (nothing when `change` is empty) and returns every setting. */
export async function updateSettings(s: Scope, communityId: string, change: SettingsChange): Promise<Settings> {
  const tx = txOf(s);
  const data = Object.fromEntries(Object.entries(change).filter(([, v]) => v !== undefined)) as SettingsChange;
  if (data.timezone !== undefined) data.timezone = zoneName(data.timezone);
  const select = { name: true, referrerReward: true, refereeReward: true, locale: true, timezone: true };
  // Forgotten once the change is committed: forgetting earlier would let a command running meanwhile
  // cache the old values again for the whole TTL.
  if (data.locale !== undefined || data.timezone !== undefined) s.afterCommit(() => forgetSettings(communityId));
  forgetCommunityRead(s, communityId);
  return Object.keys(data).length
    ? tx.community.update({ where: { id: communityId }, data, select })
    : tx.community.findUniqueOrThrow({ where: { id: communityId }, select });
}

/** A channel (or thread) of the community the bot has posted in or been used in. */
export interface KnownChannel { platform: Platform; channelId: string; threadId: string | null; lastUsedAt: Date }

/**
 * The channels the bot knows for a community, newest first: where its polls, challenges and giveaways were
 * created and where seasons are announced. The dashboard may only post where the bot has been used (it knows
 * no channel names or permissions otherwise).
 */
export async function knownChannels(s: Scope, communityId: string, max = 50): Promise<KnownChannel[]> {
  const tx = txOf(s);
  const where = { communityId, platform: { not: null }, channelId: { not: null } };
  const by = ['platform', 'channelId', 'threadId'] as const;
  const grouped = await Promise.all([
    tx.poll.groupBy({ by: [...by], where, _max: { createdAt: true } }),
    tx.challenge.groupBy({ by: [...by], where, _max: { createdAt: true } }),
    tx.contest.groupBy({ by: [...by], where, _max: { createdAt: true } }),
  ]);
  const seasons = await tx.season.findMany({ where: { communityId }, orderBy: { createdAt: 'desc' }, take: 50, select: { announceTo: true, createdAt: true } });
  const found = grouped.flat().map((g) => ({ platform: g.platform, channelId: g.channelId, threadId: g.threadId, at: g._max.createdAt }));
  for (const season of seasons) {
    for (const t of JSON.parse(season.announceTo) as { platform: string; address?: Address }[]) {
      if (t.address?.kind === 'channel') found.push({ platform: t.platform, channelId: t.address.channelId, threadId: t.address.threadId ?? null, at: season.createdAt });
    }
  }
  const byKey = new Map<string, KnownChannel>();
  for (const f of found) {
    if (!f.channelId || !(PLATFORMS as readonly (string | null)[]).includes(f.platform)) continue;
    const key = JSON.stringify([f.platform, f.channelId, f.threadId ?? null]);
    const at = f.at ?? new Date(0);
    const seen = byKey.get(key);
    if (!seen || seen.lastUsedAt < at) byKey.set(key, { platform: f.platform as Platform, channelId: f.channelId, threadId: f.threadId ?? null, lastUsedAt: at });
  }
  return [...byKey.values()].sort((a, b) => b.lastUsedAt.getTime() - a.lastUsedAt.getTime()).slice(0, max);
}

/* --- announce here (issue 11: giveaways posted on every bound platform) --- */

/** Where community-wide announcements go on one bound space (null: not set there). */
export interface AnnounceSpot { platform: Platform; channelId: string | null; threadId: string | null; here: boolean }

/**
 * An admin makes this channel the place where announcements for the whole community (a giveaway started on
 * another platform) go on this platform's space. A conditional update on this space's binding to this
 * community; returns every bound space's announce channel.
 */
export async function setAnnounceChannel(s: Scope, communityId: string, platform: Platform, externalId: string, address: Address): Promise<AnnounceSpot[]> {
  if (address.kind !== 'channel') throw new UserError('errors:precondition.inChannel');
  const tx = txOf(s);
  const set = await tx.communityBinding.updateMany({
    where: { platform, externalId, communityId },
    data: { announceChannelId: address.channelId, announceThreadId: address.threadId ?? null },
  });
  if (set.count !== 1) throw new UserError('community:error.notBound');
  const all = await tx.communityBinding.findMany({ where: { communityId }, orderBy: { createdAt: 'asc' } });
  return all.map((b) => ({
    platform: b.platform as Platform, channelId: b.announceChannelId, threadId: b.announceThreadId, here: b.platform === platform && b.externalId === externalId,
  }));
}
