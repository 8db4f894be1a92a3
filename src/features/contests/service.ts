import { txOf, type Scope } from '../../core/scope.js';
import type { Address, Platform } from '../../core/types.js';
import { UserError } from '../../core/errors.js';
import { applyPoints, ledgerReason } from '../points/service.js';
import { channelOf } from '../../core/address.js';
import { emitEvent } from '../webhooks/service.js';
import { displayNames } from '../members/service.js';

const DAY = 86_400_000;

export interface NewContest {
  communityId: string;
  prize: string;
  prizePoints: number;
  winnersCount: number;
  endsAt: Date;
  minPoints: number;
  minMemberDays: number;
  createdById: string;
  platform: Platform;
  address?: Address;
}

export type ContestStatus = 'open' | 'ended' | 'cancelled';

/** What a giveaway card shows: prize, how many win, when it ends and who may enter. */
export interface ContestCard { id: number; prize: string; prizePoints: number; winnersCount: number; endsAt: Date; minPoints: number; minMemberDays: number }

/** A drawn winner: their name, and their account on the platform the giveaway runs on (to mention them there). */
export interface Winner { name: string; userId?: string }

/** Notices this feature sends. */
export type ContestNotice =
  | { type: 'contest.card'; contest: ContestCard }
  | { type: 'contest.ended'; contestId: number; prize: string; platform: Platform; winners: Winner[]; entries: number }
  | { type: 'contest.noEntries'; contestId: number; prize: string }
  | { type: 'contest.rerolled'; contestId: number; prize: string; platform: Platform; winners: Winner[] }
  | { type: 'contest.cancelled'; contestId: number; prize: string };

const cardOf = (c: ContestCard): ContestCard => ({
  id: c.id, prize: c.prize, prizePoints: c.prizePoints, winnersCount: c.winnersCount, endsAt: c.endsAt, minPoints: c.minPoints, minMemberDays: c.minMemberDays,
});

type ContestRow = ContestCard & { communityId: string; status: string; platform: string | null; channelId: string | null; threadId: string | null };

/** Queues a notice in the channel the giveaway was created in (nothing when it has none). */
async function tell(s: Scope, c: ContestRow, notice: ContestNotice) {
  const to = channelOf(c);
  if (c.platform && to) await s.announce({ communityId: c.communityId, platform: c.platform as Platform, to, notice });
}

export async function createContest(s: Scope, c: NewContest) {
  if (c.endsAt.getTime() <= s.now.getTime()) throw new UserError('contests:error.endsPast', {}, 'ends');
  const where = c.address?.kind === 'channel' ? c.address : undefined;
  const contest = await txOf(s).contest.create({
    data: {
      communityId: c.communityId, prize: c.prize, prizePoints: c.prizePoints, winnersCount: c.winnersCount, endsAt: c.endsAt,
      minPoints: c.minPoints, minMemberDays: c.minMemberDays, createdById: c.createdById, platform: c.platform,
      channelId: where?.channelId ?? null, threadId: where?.threadId ?? null,
    },
  });
  await s.schedule('contest.end', contest.id, contest.endsAt);
  await tell(s, contest, { type: 'contest.card', contest: cardOf(contest) });
  return contest;
}

export async function getContest(s: Scope, communityId: string, id: number) {
  const c = await txOf(s).contest.findUnique({ where: { id } });
  if (!c || c.communityId !== communityId) throw new UserError('contests:error.notFound', { id });
  return c;
}

/** Running giveaways, soonest end first, with their entry count and whether the member is in. */
export async function openContests(s: Scope, communityId: string, memberId: string) {
  const tx = txOf(s);
  const open = await tx.contest.findMany({
    where: { communityId, status: 'open' }, orderBy: { endsAt: 'asc' }, take: 20, include: { _count: { select: { entries: true } } },
  });
  const mine = await tx.contestEntry.findMany({ where: { memberId, contestId: { in: open.map((c) => c.id) } }, select: { contestId: true } });
  const entered = new Set(mine.map((e) => e.contestId));
  return open.map((c) => ({ ...cardOf(c), entries: c._count.entries, mine: entered.has(c.id) }));
}

/** One giveaway with its current winners (rerolled-away winners left out), in the order they were drawn. */
export async function contestDetails(s: Scope, communityId: string, id: number) {
  const c = await getContest(s, communityId, id);
  const rows = c.status === 'open' ? [] : await txOf(s).contestWinner.findMany({
    where: { contestId: c.id, replaced: false }, orderBy: [{ round: 'asc' }, { createdAt: 'asc' }],
  });
  return { contest: { ...cardOf(c), status: c.status as ContestStatus }, winners: await winnersOf(s, rows.map((w) => w.memberId), c.platform) };
}

/**
 * Holds the giveaway in `status` (open: and before its end time) until this transaction commits, through a
 * conditional update that matches only while it is still so. A racing end, cancel or reroll waits for the
 * holder on PostgreSQL (and the holder for it), so an entry is either in the draw or refused, and rerolls run
 * one after the other. False when the giveaway is no longer in that state.
 */
async function holdContest(s: Scope, id: number, status: 'open' | 'ended') {
  const where = status === 'open' ? { id, status, endsAt: { gt: s.now } } : { id, status };
  return (await txOf(s).contest.updateMany({ where, data: { status } })).count === 1;
}

export async function enterContest(s: Scope, communityId: string, contestId: number, member: { id: string; lifetimePoints: number; createdAt: Date }) {
  const tx = txOf(s);
  const c = await getContest(s, communityId, contestId);
  if (!(await holdContest(s, c.id, 'open'))) throw new UserError('contests:error.ended', { id: c.id });
  if (member.lifetimePoints < c.minPoints) {
    throw new UserError('contests:error.minPoints', { id: c.id, min: c.minPoints, have: member.lifetimePoints });
  }
  const days = (s.now.getTime() - member.createdAt.getTime()) / DAY;
  if (days < c.minMemberDays) {
    throw new UserError('contests:error.minDays', { id: c.id, min: c.minMemberDays, joined: Math.floor(days) });
  }
  const existing = await tx.contestEntry.findUnique({ where: { contestId_memberId: { contestId, memberId: member.id } } });
  if (existing) throw new UserError('contests:error.alreadyEntered', { id: c.id });
  await tx.contestEntry.create({ data: { contestId, memberId: member.id, createdAt: s.now } });
  const entries = await tx.contestEntry.count({ where: { contestId } });
  return { contest: c, entries };
}

/** Draws `count` distinct members uniformly from `pool` (partial Fisher–Yates). */
export function draw<T>(pool: T[], count: number, random: (n: number) => number): T[] {
  const a = [...pool];
  const n = Math.min(count, a.length);
  for (let i = 0; i < n; i++) {
    const j = i + random(a.length - i);
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a.slice(0, n);
}

/** Winners in draw order, each with their account on `platform` (if they have one there). */
async function winnersOf(s: Scope, memberIds: string[], platform: string | null): Promise<Winner[]> {
  const members = await txOf(s).member.findMany({
    where: { id: { in: memberIds } },
    select: { id: true, displayName: true, identities: { where: { platform: platform ?? '' }, select: { platformUserId: true }, take: 1 } },
  });
  return memberIds.map((id) => {
    const m = members.find((x) => x.id === id)!;
    const userId = m.identities[0]?.platformUserId;
    return { name: m.displayName, ...(userId ? { userId } : {}) };
  });
}

async function awardPrizePoints(s: Scope, c: { id: number; communityId: string; prize: string; prizePoints: number }, memberIds: string[]) {
  if (c.prizePoints <= 0) return;
  for (const memberId of memberIds) {
    await applyPoints(s, {
      communityId: c.communityId, memberId, delta: c.prizePoints, kind: 'contest',
      reason: ledgerReason('contest', { id: c.id, prize: c.prize }), idempotencyKey: `contest:${c.id}:${memberId}`,
    });
  }
}

/** Refuses a transition because the giveaway is no longer open ("already ended", "already cancelled"). */
async function refuseNotOpen(s: Scope, id: number): Promise<never> {
  const { status } = await txOf(s).contest.findUniqueOrThrow({ where: { id }, select: { status: true } });
  throw new UserError(`contests:error.already.${status}`, { id });
}

/**
 * Ends an open contest and draws its winners fairly. Safe to call twice (the job and a moderator): only
 * the call that moves it from open to ended draws; the other gets null.
 */
export async function endContest(s: Scope, id: number): Promise<{ id: number; winners: Winner[]; entries: number } | null> {
  const tx = txOf(s);
  const c = await tx.contest.findUnique({ where: { id } });
  if (!c) return null;
  const claimed = await tx.contest.updateMany({ where: { id, status: 'open' }, data: { status: 'ended', endedAt: s.now } });
  if (claimed.count !== 1) return null;
  await s.unschedule('contest.end', id);
  const entries = await tx.contestEntry.findMany({ where: { contestId: id }, orderBy: { memberId: 'asc' } });
  const drawn = draw(entries.map((e) => e.memberId), c.winnersCount, s.random);
  if (drawn.length) await tx.contestWinner.createMany({ data: drawn.map((memberId) => ({ contestId: id, memberId, round: 1, createdAt: s.now })) });
  await awardPrizePoints(s, c, drawn);
  const winners = await winnersOf(s, drawn, c.platform);
  await emitEvent(s, c.communityId, 'giveaway.ended', `giveaway.ended:${id}`,
    { giveawayId: id, prize: c.prize, entries: entries.length, winners: drawn });
  await tell(s, c, winners.length
    ? { type: 'contest.ended', contestId: id, prize: c.prize, platform: c.platform as Platform, winners, entries: entries.length }
    : { type: 'contest.noEntries', contestId: id, prize: c.prize });
  return { id, winners, entries: entries.length };
}

/** A moderator ends a giveaway before its time. */
export async function endContestNow(s: Scope, communityId: string, id: number) {
  const c = await getContest(s, communityId, id);
  return (await endContest(s, c.id)) ?? refuseNotOpen(s, c.id);
}

/** Draws `count` new winners among entrants who have not won yet; optionally replaces one winner first. */
export async function rerollContest(s: Scope, communityId: string, id: number, count: number, replaceMemberId?: string): Promise<Winner[]> {
  const tx = txOf(s);
  const c = await getContest(s, communityId, id);
  if (!(await holdContest(s, c.id, 'ended'))) throw new UserError('contests:error.notEnded', { id });
  const prior = await tx.contestWinner.findMany({ where: { contestId: id } });
  if (replaceMemberId) {
    const replaced = await tx.contestWinner.updateMany({ where: { contestId: id, memberId: replaceMemberId, replaced: false }, data: { replaced: true } });
    if (replaced.count !== 1) throw new UserError('contests:error.notWinner', { id });
  }
  const won = new Set(prior.map((p) => p.memberId));
  const entries = await tx.contestEntry.findMany({ where: { contestId: id }, orderBy: { memberId: 'asc' } });
  const pool = entries.map((e) => e.memberId).filter((m) => !won.has(m));
  if (!pool.length) throw new UserError('contests:error.nobodyLeft', { id });
  const round = Math.max(0, ...prior.map((p) => p.round)) + 1;
  const drawn = draw(pool, count, s.random);
  await tx.contestWinner.createMany({ data: drawn.map((memberId) => ({ contestId: id, memberId, round, createdAt: s.now })) });
  await awardPrizePoints(s, c, drawn);
  const winners = await winnersOf(s, drawn, c.platform);
  await tell(s, c, { type: 'contest.rerolled', contestId: id, prize: c.prize, platform: c.platform as Platform, winners });
  return winners;
}

/** Cancels a running giveaway without drawing. */
export async function cancelContest(s: Scope, communityId: string, id: number) {
  const c = await getContest(s, communityId, id);
  const claimed = await txOf(s).contest.updateMany({ where: { id, status: 'open' }, data: { status: 'cancelled', endedAt: s.now } });
  if (claimed.count !== 1) return refuseNotOpen(s, id);
  await s.unschedule('contest.end', id);
  await tell(s, c, { type: 'contest.cancelled', contestId: id, prize: c.prize });
  return c;
}

/* The dashboard's giveaways page (read only). */

export interface BoardWinner { memberId: string; name: string; round: number; replaced: boolean }
export interface BoardContest { id: number; prize: string; prizePoints: number; winnersCount: number; endsAt: Date; endedAt: Date | null; entries: number }
export interface GiveawaysBoard {
  open: BoardContest[];
  /** The last 20 ended, most recent first, with every winner drawn (replaced ones marked), in draw order. */
  ended: (BoardContest & { winners: BoardWinner[] })[];
  /** The last 20 cancelled, most recent first. */
  cancelled: BoardContest[];
}

/** Open giveaways (soonest end first, up to 50), the last 20 ended with their winners, and the last 20 cancelled. */
export async function giveawaysBoard(s: Scope, communityId: string): Promise<GiveawaysBoard> {
  const tx = txOf(s);
  const counted = { _count: { select: { entries: true } } } as const;
  const [open, ended, cancelled] = await Promise.all([
    tx.contest.findMany({ where: { communityId, status: 'open' }, orderBy: [{ endsAt: 'asc' }, { id: 'asc' }], take: 50, include: counted }),
    tx.contest.findMany({
      where: { communityId, status: 'ended' }, orderBy: [{ endedAt: 'desc' }, { id: 'desc' }], take: 20,
      include: { ...counted, winners: { orderBy: [{ round: 'asc' }, { createdAt: 'asc' }, { memberId: 'asc' }], take: 100 } },
    }),
    tx.contest.findMany({ where: { communityId, status: 'cancelled' }, orderBy: [{ endedAt: 'desc' }, { id: 'desc' }], take: 20, include: counted }),
  ]);
  // One look-up for every winner's name.
  const names = await displayNames(s, [...new Set(ended.flatMap((c) => c.winners.map((w) => w.memberId)))]);
  const row = (c: (typeof open)[number]): BoardContest => ({
    id: c.id, prize: c.prize, prizePoints: c.prizePoints, winnersCount: c.winnersCount, endsAt: c.endsAt, endedAt: c.endedAt, entries: c._count.entries,
  });
  return {
    open: open.map(row),
    ended: ended.map((c) => ({
      ...row(c), winners: c.winners.map((w) => ({ memberId: w.memberId, name: names.get(w.memberId) ?? '?', round: w.round, replaced: w.replaced })),
    })),
    cancelled: cancelled.map(row),
  };
}

/** A member's accounts in a community (platform and user id), most recently used first: how commands can name them. */
export async function memberAccounts(s: Scope, communityId: string, memberId: string): Promise<{ platform: Platform; platformUserId: string }[]> {
  const rows = await txOf(s).identity.findMany({
    where: { communityId, memberId }, orderBy: [{ lastSeenAt: { sort: 'desc', nulls: 'last' } }, { createdAt: 'desc' }], take: 10,
    select: { platform: true, platformUserId: true },
  });
  return rows.map((r) => ({ platform: r.platform as Platform, platformUserId: r.platformUserId }));
}
