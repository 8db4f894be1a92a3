import { memoOf, txOf, type Scope } from '../../core/scope.js';
import { sqlRows, sqlRun } from '../../db/fast.js';
import type { Tx } from '../../db/client.js';
import { UserError } from '../../core/errors.js';
import type { ActivityEvent } from '../../core/types.js';
import { changeCommunitySetting, findCommunity, keepActorCurrent, resolveActor, resolveCommunity } from '../members/service.js';
import { dateOf } from '../../db/rows.js';
import { applyPoints, ledgerReason } from '../points/service.js';
import { activityRulesSchema, dayBefore, localDay, multiplierAt, parseRules, type ActivityRules } from './rules.js';

export type { ActivityRules } from './rules.js';

/** Why an activity event paid nothing (nothing was written for it). */
export type Ignored = 'dm' | 'channel' | 'short' | 'off' | 'duplicate' | 'cooldown' | 'cap' | 'late' | 'limit';
export type ActivityOutcome = { paid: number; bonus: number } | { ignored: Ignored };

/** The ledger key of an activity award: a platform's event id pays once, whatever redelivers it. */
export const activityKey = (e: Pick<ActivityEvent, 'platform' | 'eventId'>) => `activity:${e.platform}:${e.eventId}`;

interface StateRow { lastEarnAt: Date | null; day: string; dayPoints: number; streak: number; version: number }

/**
 * What an event earns given the member's state, or why it earns nothing: the cooldown (messages only),
 * the daily cap in the community's local day, and the streak of local days in a row.
 */
function decide(rules: ActivityRules, e: ActivityEvent, at: Date, day: string, amount: number, st: StateRow | null):
  { ignored: Ignored } | { pay: number; bonus: number; next: Omit<StateRow, 'version'> } {
  if (st?.day && day < st.day) return { ignored: 'late' };
  if (e.kind === 'message' && st?.lastEarnAt && at.getTime() - st.lastEarnAt.getTime() < rules.cooldownSec * 1000) return { ignored: 'cooldown' };
  const sameDay = st?.day === day;
  const dayPoints = sameDay ? st!.dayPoints : 0;
  const pay = rules.dailyCap ? Math.min(amount, rules.dailyCap - dayPoints) : amount;
  if (pay <= 0) return { ignored: 'cap' };
  const streak = sameDay ? st!.streak : st?.day === dayBefore(day) ? st.streak + 1 : 1;
  const bonus = !sameDay && rules.streakBonus > 0 && streak >= rules.streakDays ? rules.streakBonus : 0;
  return { pay, bonus, next: { lastEarnAt: e.kind === 'message' ? at : st?.lastEarnAt ?? null, day, dayPoints: dayPoints + pay, streak } };
}

/** Points the event is worth before the member's state is looked at (rules of the channel, kind and bonus windows). */
function worth(rules: ActivityRules, e: ActivityEvent, at: Date, random: (n: number) => number): number | Ignored {
  if (e.address.kind !== 'channel') return 'dm';
  const channel = e.address.channelId;
  if (rules.noEarnChannels.includes(channel)) return 'channel';
  let base: number;
  if (e.kind === 'message') {
    if (e.length !== undefined && e.length < rules.minLength) return 'short';
    const lo = Math.min(rules.minPoints, rules.maxPoints), hi = Math.max(rules.minPoints, rules.maxPoints);
    base = lo + random(hi - lo + 1);
  } else if (e.kind === 'reaction') {
    base = rules.reactionPoints;
  } else {
    base = rules.voicePerMinute * Math.max(0, Math.floor(e.minutes ?? 0));
  }
  const amount = Math.round(base * multiplierAt(rules, channel, at));
  return amount > 0 ? amount : 'off';
}

/**
 * Pays one activity event inside the caller's transaction (the engine commits a buffered group of them in
 * one): a ledger row of kind `activity` keyed by the platform's event id, plus the streak bonus when the
 * day extends a streak. An event that earns nothing (rules, cooldown, cap, already paid) writes nothing.
 * The member's state changes only by compare-and-set on its version, so two instances paying events of
 * the same member at once each see the other's effect (the loser re-reads and decides again).
 */
export async function awardActivity(s: Scope, e: ActivityEvent): Promise<ActivityOutcome> {
  const tx = txOf(s);
  const at = e.at && e.at.getTime() < s.now.getTime() ? e.at : s.now;
  const key = activityKey(e);
  // The hot path: plain statements (src/db/fast.ts), the community read once per group.
  let community = await communityOfSpace(s, e.platform, e.communityKey);
  const rules = parseRules(community?.activity);
  const amount = worth(rules, e, at, (n) => s.random(n));
  if (typeof amount === 'string') return { ignored: amount };
  for (let attempt = 0; attempt < 5; attempt++) {
    // The account, its member and activity state, and whether this event was paid, in one statement.
    const known = community ? await knownActor(tx, community.id, e, key) : undefined;
    if (known?.paid) return { ignored: 'duplicate' };
    const st = known?.state ?? null;
    const day = localDay(at, community?.timezone ?? 'UTC');
    const d = decide(rules, e, at, day, amount, st);
    if ('ignored' in d) return d;
    if (!community) {
      community = await resolveCommunity(s, e.platform, e.communityKey, e.communityName);
      memoOf(s).set(spaceKey(e.platform, e.communityKey), community);
    }
    const memberId = known
      ? (await keepActorCurrent(s, community.id, e.actor, known.identity, known.member)).id
      : (await resolveActor(s, community.id, e.actor)).id;
    // Compare-and-set on the state as read: a concurrent award of the same member (another instance)
    // makes this one read again and decide again.
    const written = st
      ? await sqlRun(tx, 'UPDATE "ActivityState" SET "lastEarnAt" = ?, "day" = ?, "dayPoints" = ?, "streak" = ?, "version" = "version" + 1 WHERE "communityId" = ? AND "memberId" = ? AND "version" = ?',
        [d.next.lastEarnAt, d.next.day, d.next.dayPoints, d.next.streak, community.id, memberId, st.version])
      : await sqlRun(tx, 'INSERT INTO "ActivityState" ("communityId", "memberId", "lastEarnAt", "day", "dayPoints", "streak", "version") VALUES (?, ?, ?, ?, ?, ?, 0) ON CONFLICT DO NOTHING',
        [community.id, memberId, d.next.lastEarnAt, d.next.day, d.next.dayPoints, d.next.streak]);
    if (written !== 1) continue;
    try {
      await applyPoints(s, {
        communityId: community.id, memberId, delta: d.pay, kind: 'activity', idempotencyKey: key,
        reason: ledgerReason(`activity.${e.kind}`, {}),
      });
      if (d.bonus) {
        await applyPoints(s, {
          communityId: community.id, memberId, delta: d.bonus, kind: 'activity', idempotencyKey: `activity-streak:${memberId}:${day}`,
          reason: ledgerReason('activity.streak', { days: d.next.streak }),
        });
      }
    } catch (err) {
      // The balance column is full (points:error.limit): nothing more to pay this member.
      if (err instanceof UserError) return { ignored: 'limit' };
      throw err;
    }
    return { paid: d.pay, bonus: d.bonus };
  }
  throw Object.assign(new Error('activity state kept changing'), { code: 'P2034' });
}

type Community = Awaited<ReturnType<typeof resolveCommunity>>;
const spaceKey = (platform: string, externalId: string) => `activity.space:${platform}\u0000${externalId}`;

/**
 * The community behind a platform space, or null when the bot has not met it: read once per unit of work
 * (a buffered group of events shares one), and kept where applyPoints finds it (communityRead).
 */
async function communityOfSpace(s: Scope, platform: string, externalId: string): Promise<Community | null> {
  const memo = memoOf(s);
  const id = spaceKey(platform, externalId);
  if (memo.has(id)) return memo.get(id) as Community | null;
  const c = await findCommunity(s, platform as ActivityEvent['platform'], externalId);
  memo.set(id, c);
  return c;
}

interface Known {
  member: { id: string; displayName: string; locale: string | null };
  identity: { username: string | null; lastSeenAt: Date | null };
  state: StateRow | null;
  paid: boolean;
}

/** An account the community knows, with its member, activity state and whether `key` was paid; undefined if unknown. */
async function knownActor(tx: Tx, communityId: string, e: ActivityEvent, key: string): Promise<Known | undefined> {
  const [r] = await sqlRows<Record<string, unknown>>(tx,
    'SELECT m."id", m."displayName", m."locale", i."username", i."lastSeenAt" AS "seenAt", ' +
    's."lastEarnAt", s."day", s."dayPoints", s."streak", s."version", ' +
    'EXISTS (SELECT 1 FROM "LedgerEntry" l WHERE l."communityId" = ? AND l."idempotencyKey" = ?) AS "paid" ' +
    'FROM "Identity" i JOIN "Member" m ON m."id" = i."memberId" ' +
    'LEFT JOIN "ActivityState" s ON s."communityId" = i."communityId" AND s."memberId" = i."memberId" ' +
    'WHERE i."communityId" = ? AND i."platform" = ? AND i."platformUserId" = ?',
    [communityId, key, communityId, e.platform, e.actor.userId]);
  if (!r) return undefined;
  return {
    member: { id: r.id as string, displayName: r.displayName as string, locale: r.locale as string | null },
    identity: { username: r.username as string | null, lastSeenAt: dateOf(r.seenAt) },
    state: r.version === null || r.version === undefined ? null : {
      lastEarnAt: dateOf(r.lastEarnAt), day: r.day as string, dayPoints: r.dayPoints as number, streak: r.streak as number, version: r.version as number,
    },
    // 0/1 on SQLite, a boolean on PostgreSQL.
    paid: r.paid === true || Number(r.paid) === 1,
  };
}

/** The community's activity rules, defaults filled in. */
export async function activityRules(s: Scope, communityId: string): Promise<ActivityRules> {
  const c = await txOf(s).community.findUniqueOrThrow({ where: { id: communityId }, select: { activity: true } });
  return parseRules(c.activity);
}

export interface RulesChange {
  cooldownSec?: number;
  minPoints?: number;
  maxPoints?: number;
  minLength?: number;
  dailyCap?: number;
  reactionPoints?: number;
  voicePerMinute?: number;
  streakBonus?: number;
  streakDays?: number;
  /** Factor for a channel: 0 earns nothing there, 1 is the default (removes the rule). */
  channel?: { id: string; factor: number };
  /** A bonus window to add. */
  bonus?: { start: Date; end: Date; multiplier: number };
  /** Remove every bonus window, or every channel rule. */
  clear?: 'bonus' | 'channels';
}

/**
 * Changes the rules: read, change, and a conditional write on the JSON it read (a concurrent change by
 * another admin is re-read and kept, never overwritten).
 */
export async function updateRules(s: Scope, communityId: string, ch: RulesChange): Promise<ActivityRules> {
  let next!: ActivityRules;
  await changeCommunitySetting(s, communityId, 'activity', (activity) => {
    const r = structuredClone(parseRules(activity)) as ActivityRules;
    for (const k of ['cooldownSec', 'minPoints', 'maxPoints', 'minLength', 'dailyCap', 'reactionPoints', 'voicePerMinute', 'streakBonus', 'streakDays'] as const) {
      if (ch[k] !== undefined) r[k] = ch[k];
    }
    if (r.minPoints > r.maxPoints) throw new UserError('activity:error.range', { min: r.minPoints, max: r.maxPoints }, ch.minPoints !== undefined ? 'points_min' : 'points_max');
    if (ch.clear === 'bonus') r.bonusWindows = [];
    if (ch.clear === 'channels') { r.noEarnChannels = []; r.multipliers = {}; }
    if (ch.channel) {
      const { id, factor } = ch.channel;
      r.noEarnChannels = r.noEarnChannels.filter((c) => c !== id);
      delete r.multipliers[id];
      if (factor === 0) r.noEarnChannels.push(id);
      else if (factor !== 1) r.multipliers[id] = factor;
    }
    if (ch.bonus) {
      if (ch.bonus.end.getTime() <= ch.bonus.start.getTime()) throw new UserError('activity:error.window', {}, 'bonus_end');
      // Windows that are over no longer matter.
      r.bonusWindows = [...r.bonusWindows.filter((w) => w.end.getTime() > s.now.getTime()), ch.bonus];
    }
    const checked = activityRulesSchema.safeParse(r);
    if (!checked.success) throw new UserError('activity:error.tooMany');
    next = checked.data;
    return JSON.stringify(next);
  });
  return next;
}

/**
 * Reverses one member's activity points earned in [from, to): one negative ledger row per award, keyed by
 * the row it undoes (so running it again, or over an overlapping range, never takes anything twice).
 */
export async function reverseActivity(s: Scope, communityId: string, memberId: string, from: Date, to: Date, actorId: string): Promise<{ count: number; points: number }> {
  if (to.getTime() <= from.getTime()) throw new UserError('activity:error.range2', {}, 'to');
  const rows = await txOf(s).ledgerEntry.findMany({
    where: { communityId, memberId, kind: 'activity', delta: { gt: 0 }, createdAt: { gte: from, lt: to } },
    orderBy: { id: 'asc' },
    select: { id: true, delta: true },
  });
  let count = 0, points = 0;
  for (const r of rows) {
    const res = await applyPoints(s, {
      communityId, memberId, delta: -r.delta, kind: 'activity', allowNegative: true, actorId,
      idempotencyKey: `activity-reverse:${r.id}`, reason: ledgerReason('activity.reversed', { id: r.id }),
    });
    if (res.applied) { count++; points += r.delta; }
  }
  return { count, points };
}

/** Local days in a row with activity, counting only while it is still alive (active today or yesterday). */
export async function streakOf(s: Scope, communityId: string, memberId: string, zone: string): Promise<number> {
  const st = await txOf(s).activityState.findUnique({ where: { communityId_memberId: { communityId, memberId } }, select: { day: true, streak: true } });
  if (!st) return 0;
  const today = localDay(s.now, zone);
  return st.day === today || st.day === dayBefore(today) ? st.streak : 0;
}

/**
 * An account merge (/link): the person's activity state (cooldown, today's points, streak) follows them to
 * the member they joined, combined with what that member already had. Both rows' versions move, so an
 * activity commit that read either one before the merge decides again.
 */
export async function mergeActivityState(s: Scope, communityId: string, fromId: string, toId: string): Promise<void> {
  const tx = txOf(s);
  const key = (memberId: string) => ({ communityId_memberId: { communityId, memberId } });
  const from = await tx.activityState.findUnique({ where: key(fromId) });
  if (!from) return;
  const to = await tx.activityState.findUnique({ where: key(toId) });
  if (!to) {
    await tx.activityState.update({ where: key(fromId), data: { memberId: toId, version: { increment: 1 } } });
    return;
  }
  // Local days are YYYY-MM-DD strings, so the later one sorts last.
  const day = from.day > to.day ? from.day : to.day;
  const pointsOn = (st: { day: string; dayPoints: number }) => (st.day === day ? st.dayPoints : 0);
  const last = [from.lastEarnAt, to.lastEarnAt].filter((d): d is Date => !!d).sort((a, b) => b.getTime() - a.getTime())[0] ?? null;
  await tx.activityState.update({
    where: key(toId),
    data: { day, dayPoints: pointsOn(from) + pointsOn(to), streak: Math.max(from.streak, to.streak), lastEarnAt: last, version: { increment: 1 } },
  });
  await tx.activityState.delete({ where: key(fromId) });
}
