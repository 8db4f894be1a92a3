import { txOf, type Scope } from '../../core/scope.js';
import type { Address, Platform } from '../../core/types.js';
import { UserError } from '../../core/errors.js';
import { emitEvent } from '../webhooks/service.js';
import { communityTiers, displayNames, dmTarget } from '../members/service.js';
import { applyPoints, ledgerReason } from '../points/service.js';
import {
  checkRequirements, entryWeight, parseBonus, parseRoles, storedBonus, storedRoles, tierNamed, type Bonus, type Entrant, type PlatformRole,
} from './entries.js';
import { DRAW_ALGORITHM, drawRound, newSeed, recheck, seedHashOf, winChance } from './draw.js';
import { tellAll, type ContestTarget } from './targets.js';

export type { Bonus, PlatformRole } from './entries.js';

const DAY = 86_400_000;
/** How long a burst of entries waits before the cards show the new count (one edit per burst). */
export const REFRESH_MS = 10_000;

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
  /** The space the command came from (Discord guild, Slack team, Telegram chat, console name). */
  externalId: string;
  address?: Address;
  /** "Gold=2, <@&123>=3" (extra entries), "<@&1> <!subteam^S2>" (one of them needed), a tier name. */
  bonus?: string;
  roles?: string;
  tier?: string;
  /** Hours a winner has to claim the prize (0: no claim needed). */
  claimHours?: number;
}

export type ContestStatus = 'open' | 'ended' | 'cancelled';

/** What a giveaway card shows: prize, winners, end, who may enter, bonus entries, the draw's commitment. */
export interface ContestCard {
  id: number; prize: string; prizePoints: number; winnersCount: number; endsAt: Date; minPoints: number; minMemberDays: number;
  bonus: Bonus[]; requiredRoles: PlatformRole[]; requiredTier: string | null; claimHours: number; seedHash: string | null; status: ContestStatus;
}

/** Members in and entries held (1 each plus bonus entries). */
export interface Tally { entrants: number; entries: number }

/** A member's entries and chances: their entries of all entries, and the chance to be among the winners. */
export interface Odds { mine: number; total: number; entrants: number; winners: number; chance: number; exact: boolean }

/** A drawn winner: their name, and their account on the platform a post goes to (to mention them there). */
export interface Winner { name: string; userId?: string }

/** Notices this feature sends. */
export type ContestNotice =
  | { type: 'contest.card'; contest: ContestCard; platform: Platform; tally?: Tally }
  | { type: 'contest.ended'; contestId: number; prize: string; platform: Platform; winners: Winner[]; entries: number; seed: string; claimBy?: Date }
  | { type: 'contest.noEntries'; contestId: number; prize: string }
  | { type: 'contest.rerolled'; contestId: number; prize: string; platform: Platform; winners: Winner[] }
  | { type: 'contest.unclaimed'; contestId: number; prize: string; platform: Platform; expired: string[]; winners: Winner[] }
  | { type: 'contest.cancelled'; contestId: number; prize: string }
  | WonNotice;

type ContestRow = Awaited<ReturnType<typeof getContest>>;

/** The card's data: never the seed. */
export const cardOf = (c: ContestRow): ContestCard => ({
  id: c.id, prize: c.prize, prizePoints: c.prizePoints, winnersCount: c.winnersCount, endsAt: c.endsAt, minPoints: c.minPoints, minMemberDays: c.minMemberDays,
  bonus: storedBonus(c.bonusEntries), requiredRoles: storedRoles(c.requiredRoles), requiredTier: c.requiredTier, claimHours: c.claimHours,
  seedHash: c.seedHash, status: c.status as ContestStatus,
});

export const cardKey = (id: number) => `contest:${id}`;

export async function createContest(s: Scope, c: NewContest) {
  if (c.endsAt.getTime() <= s.now.getTime()) throw new UserError('contests:error.endsPast', {}, 'ends');
  const tiers = await communityTiers(s, c.communityId);
  const bonus = c.bonus ? parseBonus(c.bonus, tiers) : [];
  const roles = c.roles ? parseRoles(c.roles) : [];
  const requiredTier = c.tier ? tierNamed(tiers, c.tier, 'tier').name : null;
  const where = c.address?.kind === 'channel' ? c.address : undefined;
  const targets: ContestTarget[] = await initialTargets(s, c.communityId, { platform: c.platform, externalId: c.externalId, address: where });
  // Commit to the draw now: the hash is published, the seed kept until the draw (see draw.ts).
  const seed = newSeed(s.random);
  const contest = await txOf(s).contest.create({
    data: {
      communityId: c.communityId, prize: c.prize, prizePoints: c.prizePoints, winnersCount: c.winnersCount, endsAt: c.endsAt,
      minPoints: c.minPoints, minMemberDays: c.minMemberDays, createdById: c.createdById, platform: c.platform,
      channelId: where?.channelId ?? null, threadId: where?.threadId ?? null, createdAt: s.now,
      bonusEntries: JSON.stringify(bonus), requiredRoles: JSON.stringify(roles), requiredTier, claimHours: c.claimHours ?? 0,
      seed, seedHash: seedHashOf(seed), announceTo: JSON.stringify(targets),
    },
  });
  await s.schedule('contest.end', contest.id, contest.endsAt);
  const card = cardOf(contest);
  await tellAll(s, contest, (t) => ({ type: 'contest.card', contest: card, platform: t.platform }), { card: cardKey(contest.id) });
  return { ...card, targets: targets.map((t) => t.platform) };
}

export async function getContest(s: Scope, communityId: string, id: number) {
  const c = await txOf(s).contest.findUnique({ where: { id } });
  if (!c || c.communityId !== communityId) throw new UserError('contests:error.notFound', { id });
  return c;
}

/** Members in and entries held so far (the odds already hold them, when there are odds). */
const tallyFrom = (odds: Odds): Tally => ({ entrants: odds.entrants, entries: odds.total });

/** Members in and entries held so far. */
export async function tallyOf(s: Scope, contestId: number): Promise<Tally> {
  const r = await txOf(s).contestEntry.aggregate({ where: { contestId }, _count: { _all: true }, _sum: { weight: true } });
  return { entrants: r._count._all, entries: r._sum.weight ?? 0 };
}

/** A member's entries and chance to win (null when they have not entered). */
export async function oddsOf(s: Scope, c: { id: number; winnersCount: number }, memberId: string): Promise<Odds | null> {
  const tx = txOf(s);
  const entry = await tx.contestEntry.findUnique({ where: { contestId_memberId: { contestId: c.id, memberId } }, select: { weight: true } });
  if (!entry) return null;
  const groups = await tx.contestEntry.groupBy({ by: ['weight'], where: { contestId: c.id }, _count: { _all: true } });
  const weights = groups.map((g) => ({ weight: g.weight, count: g._count._all }));
  const { chance, exact } = winChance(entry.weight, weights, c.winnersCount);
  return {
    mine: entry.weight, total: weights.reduce((sum, w) => sum + w.weight * w.count, 0), entrants: weights.reduce((sum, w) => sum + w.count, 0),
    winners: c.winnersCount, chance, exact,
  };
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

/** One giveaway: its card, the member's odds while open, its current winners and (once drawn) the seed. */
export async function contestDetails(s: Scope, communityId: string, id: number, memberId: string) {
  const c = await getContest(s, communityId, id);
  const rows = c.status === 'open' ? [] : await txOf(s).contestWinner.findMany({
    where: { contestId: c.id, replaced: false }, orderBy: [{ round: 'asc' }, { createdAt: 'asc' }, { memberId: 'asc' }],
  });
  const odds = c.status === 'open' ? await oddsOf(s, c, memberId) : null;
  return {
    contest: cardOf(c), platform: c.platform as Platform, tally: odds ? tallyFrom(odds) : await tallyOf(s, c.id), odds,
    seed: c.status === 'ended' ? c.seed : null,
    winners: await winnersOn(s, rows.map((w) => w.memberId), (c.platform ?? 'console') as Platform),
  };
}

/**
 * Holds the giveaway in `status` (open: and before its end time) until this transaction commits, through a
 * conditional update that matches only while it is still so. A racing end, cancel or reroll waits for the
 * holder on PostgreSQL (and the holder for it), so an entry is either in the draw or refused, and rerolls run
 * one after the other. False when the giveaway is no longer in that state.
 */
export async function holdContest(s: Scope, id: number, status: 'open' | 'ended') {
  const where = status === 'open' ? { id, status, endsAt: { gt: s.now } } : { id, status };
  return (await txOf(s).contest.updateMany({ where, data: { status } })).count === 1;
}

export async function enterContest(s: Scope, communityId: string, contestId: number,
  member: { id: string; lifetimePoints: number; createdAt: Date }, from: Pick<Entrant, 'platform' | 'roles'>) {
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
  const rules = { bonus: storedBonus(c.bonusEntries), requiredRoles: storedRoles(c.requiredRoles), requiredTier: c.requiredTier };
  const tiers = await communityTiers(s, communityId);
  const entrant: Entrant = { lifetimePoints: member.lifetimePoints, ...from };
  checkRequirements(c.id, rules, tiers, entrant);
  const existing = await tx.contestEntry.findUnique({ where: { contestId_memberId: { contestId, memberId: member.id } } });
  if (existing) throw new UserError('contests:error.alreadyEntered', { id: c.id });
  await tx.contestEntry.create({ data: { contestId, memberId: member.id, weight: entryWeight(rules, tiers, entrant), createdAt: s.now } });
  // The cards show the new count within REFRESH_MS: one edit for a whole burst of entries.
  await s.scheduleIfIdle('contest.refresh', c.id, new Date(s.now.getTime() + REFRESH_MS));
  const odds = (await oddsOf(s, c, member.id))!;
  return { contest: cardOf(c), odds, tally: tallyFrom(odds) };
}

/** Winners in draw order, each with their account on `platform` (if they have one there). */
export async function winnersOn(s: Scope, memberIds: string[], platform: Platform): Promise<Winner[]> {
  const [names, accounts] = await Promise.all([displayNames(s, memberIds), accountsOn(s, memberIds, platform)]);
  return memberIds.map((id) => ({ name: names.get(id) ?? '?', ...(accounts.has(id) ? { userId: accounts.get(id)! } : {}) }));
}

/** Every entry in draw order (entry time, then member id), numbered from 1. */
export async function drawEntries(s: Scope, contestId: number) {
  const rows = await txOf(s).contestEntry.findMany({ where: { contestId }, orderBy: [{ createdAt: 'asc' }, { memberId: 'asc' }] });
  return rows.map((e, i) => ({ n: i + 1, memberId: e.memberId, weight: e.weight }));
}

/** The seed of a giveaway from before seeds were stored is made at its first draw (there was no commitment). */
async function seedOf(s: Scope, c: { id: number; seed: string | null }): Promise<string> {
  if (c.seed) return c.seed;
  const seed = newSeed(s.random);
  await txOf(s).contest.update({ where: { id: c.id }, data: { seed, seedHash: seedHashOf(seed) } });
  return seed;
}

/**
 * Draws round `max + 1` (the first is round 1): `count` winners among entrants who never won this giveaway,
 * weighted by their entries, from the seed (draw.ts); records them, tells them and arms the claim check.
 */
export async function drawNextRound(s: Scope, c: ContestRow, count: number, opts: { armClaims?: boolean } = {}): Promise<string[]> {
  const tx = txOf(s);
  const prior = await tx.contestWinner.findMany({ where: { contestId: c.id }, select: { memberId: true, round: true } });
  const entries = await drawEntries(s, c.id);
  const won = new Set(prior.map((p) => p.memberId));
  const excluded = new Set(entries.filter((e) => won.has(e.memberId)).map((e) => e.n));
  const round = Math.max(0, ...prior.map((p) => p.round)) + 1;
  const picked = drawRound(await seedOf(s, c), c.id, round, entries, count, excluded);
  const memberIds = picked.map((n) => entries[n - 1].memberId);
  await seatWinners(s, c, memberIds, round);
  if (opts.armClaims !== false) await armClaimCheck(s, c.id);
  return memberIds;
}

/** The cards of a giveaway show its current state (live count while open, "over" once ended or cancelled). */
async function editCards(s: Scope, c: ContestRow) {
  const card = cardOf(c);
  const tally = await tallyOf(s, c.id);
  await tellAll(s, c, (t) => ({ type: 'contest.card', contest: card, platform: t.platform, tally }), { edit: cardKey(c.id) });
}

/** Job: the live card refresh, armed by entries (at most one every REFRESH_MS). */
export async function refreshCards(s: Scope, id: number): Promise<void> {
  // Held open until this commits: an end or cancel waits, so its "over" edit is queued after this one, never before.
  if (!(await holdContest(s, id, 'open'))) return;
  const c = await txOf(s).contest.findUnique({ where: { id } });
  if (c) await editCards(s, c);
}

/** Refuses a transition because the giveaway is no longer open ("already ended", "already cancelled"). */
async function refuseNotOpen(s: Scope, id: number): Promise<never> {
  const { status } = await txOf(s).contest.findUniqueOrThrow({ where: { id }, select: { status: true } });
  throw new UserError(`contests:error.already.${status}`, { id });
}

/**
 * Ends an open contest and draws its winners. Safe to call twice (the job and a moderator): only the call
 * that moves it from open to ended draws; the other gets null.
 */
export async function endContest(s: Scope, id: number): Promise<{ id: number; winners: Winner[]; entries: number } | null> {
  const tx = txOf(s);
  const claimed = await tx.contest.updateMany({ where: { id, status: 'open' }, data: { status: 'ended', endedAt: s.now } });
  if (claimed.count !== 1) return null;
  const c = await tx.contest.findUniqueOrThrow({ where: { id } });
  await s.unschedule('contest.end', id);
  // The cards are edited below to show it is over: a pending live refresh has nothing left to do.
  await s.unschedule('contest.refresh', id);
  const drawn = await drawNextRound(s, c, c.winnersCount);
  const seed = (await tx.contest.findUniqueOrThrow({ where: { id }, select: { seed: true } })).seed!;
  const { entrants } = await tallyOf(s, id);
  await emitEvent(s, c.communityId, 'giveaway.ended', `giveaway.ended:${id}`,
    { giveawayId: id, prize: c.prize, entries: entrants, winners: drawn, seed, seedHash: seedHashOf(seed) });
  const claimBy = c.claimHours > 0 ? new Date(s.now.getTime() + c.claimHours * HOUR) : undefined;
  await tellAll(s, c, async (t) => (drawn.length
    ? { type: 'contest.ended', contestId: id, prize: c.prize, platform: t.platform, winners: await winnersOn(s, drawn, t.platform), entries: entrants, seed, ...(claimBy ? { claimBy } : {}) }
    : { type: 'contest.noEntries', contestId: id, prize: c.prize }));
  await editCards(s, { ...c, status: 'ended' });
  return { id, winners: await winnersOn(s, drawn, (c.platform ?? 'console') as Platform), entries: entrants };
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
  if (replaceMemberId) {
    // A winner who has claimed keeps the prize (it may be paid already): only an unclaimed winner is replaced.
    const replaced = await tx.contestWinner.updateMany({
      where: { contestId: id, memberId: replaceMemberId, replaced: false, claimedAt: null }, data: { replaced: true, replacedReason: 'rerolled' },
    });
    if (replaced.count !== 1) {
      const claimed = await tx.contestWinner.findFirst({ where: { contestId: id, memberId: replaceMemberId, replaced: false, claimedAt: { not: null } }, select: { memberId: true } });
      throw new UserError(claimed ? 'contests:error.winnerClaimed' : 'contests:error.notWinner', { id });
    }
  }
  const drawn = await drawNextRound(s, c, count);
  if (!drawn.length) throw new UserError('contests:error.nobodyLeft', { id });
  await tellAll(s, c, async (t) => ({ type: 'contest.rerolled', contestId: id, prize: c.prize, platform: t.platform, winners: await winnersOn(s, drawn, t.platform) }));
  return winnersOn(s, drawn, (c.platform ?? 'console') as Platform);
}

/** Cancels a running giveaway without drawing. */
export async function cancelContest(s: Scope, communityId: string, id: number) {
  const c = await getContest(s, communityId, id);
  const claimed = await txOf(s).contest.updateMany({ where: { id, status: 'open' }, data: { status: 'cancelled', endedAt: s.now } });
  if (claimed.count !== 1) return refuseNotOpen(s, id);
  await s.unschedule('contest.end', id);
  await s.unschedule('contest.refresh', id);
  await tellAll(s, c, () => ({ type: 'contest.cancelled', contestId: id, prize: c.prize }));
  await editCards(s, { ...c, status: 'cancelled' });
  return c;
}

/* Where a giveaway is posted (see targets.ts). */

/** The creating channel first, then each other bound space's announce channel (no channel twice). */
export async function initialTargets(s: Scope, communityId: string, from: { platform: Platform; externalId: string; address?: Address }): Promise<ContestTarget[]> {
  const out: ContestTarget[] = from.address?.kind === 'channel' ? [{ platform: from.platform, address: from.address }] : [];
  const bound = await txOf(s).communityBinding.findMany({
    where: { communityId, announceChannelId: { not: null } }, orderBy: { createdAt: 'asc' },
  });
  for (const b of bound) {
    if (b.platform === from.platform && b.externalId === from.externalId) continue;
    const address: Address = { kind: 'channel', channelId: b.announceChannelId!, ...(b.announceThreadId ? { threadId: b.announceThreadId } : {}) };
    const t = { platform: b.platform as Platform, address };
    if (!out.some((o) => o.platform === t.platform && JSON.stringify(o.address) === JSON.stringify(t.address))) out.push(t);
  }
  return out;
}

/** Each member's account on `platform` (to mention them there). */
export async function accountsOn(s: Scope, memberIds: string[], platform: Platform): Promise<Map<string, string>> {
  if (!memberIds.length) return new Map();
  const rows = await txOf(s).identity.findMany({ where: { memberId: { in: memberIds }, platform }, select: { memberId: true, platformUserId: true } });
  return new Map(rows.map((r) => [r.memberId, r.platformUserId]));
}

/* Winners: recorded, told by direct message, paid at the draw or on their claim. */

const HOUR = 3_600_000;

/** What seating winners needs of a giveaway. */
export interface SeatContest { id: number; communityId: string; prize: string; prizePoints: number; claimHours: number }

/** The direct message a winner gets: the prize, and the deadline to claim it when claims are needed. */
export type WonNotice = { type: 'contest.won'; contestId: number; prize: string; prizePoints: number; claimBy?: Date };

/** Pays a winner the prize points once (the same key at the draw and on a claim). */
export async function payPrize(s: Scope, c: SeatContest, memberId: string) {
  if (c.prizePoints <= 0) return;
  await applyPoints(s, {
    communityId: c.communityId, memberId, delta: c.prizePoints, kind: 'contest',
    reason: ledgerReason('contest', { id: c.id, prize: c.prize }), idempotencyKey: `contest:${c.id}:${memberId}`,
  });
}

/**
 * Records the winners of one round, tells each by direct message (in their language) and, when the prize
 * must be claimed, gives them until now + claimHours; else pays them now.
 */
export async function seatWinners(s: Scope, c: SeatContest, memberIds: string[], round: number) {
  if (!memberIds.length) return;
  const claimBy = c.claimHours > 0 ? new Date(s.now.getTime() + c.claimHours * HOUR) : null;
  await txOf(s).contestWinner.createMany({ data: memberIds.map((memberId) => ({ contestId: c.id, memberId, round, claimBy, createdAt: s.now })) });
  for (const memberId of memberIds) {
    if (!claimBy) await payPrize(s, c, memberId);
    const to = await dmTarget(s, memberId);
    if (!to) continue;
    const notice: WonNotice = { type: 'contest.won', contestId: c.id, prize: c.prize, prizePoints: c.prizePoints, ...(claimBy ? { claimBy } : {}) };
    await s.announce({ communityId: c.communityId, platform: to.platform as Platform, to: { kind: 'dm', userId: to.platformUserId }, notice, memberId });
  }
}

/** The earliest deadline of a winner who has not claimed yet (null: none left). */
export async function nextClaimDeadline(s: Scope, contestId: number): Promise<Date | null> {
  const w = await txOf(s).contestWinner.findFirst({
    where: { contestId, replaced: false, claimedAt: null, claimBy: { not: null } }, orderBy: { claimBy: 'asc' }, select: { claimBy: true },
  });
  return w?.claimBy ?? null;
}

/**
 * Makes sure the claim check runs at the earliest open deadline. Every deadline is the draw time plus the
 * same number of hours, so a pending check is never later than a new one: it keeps its time.
 */
export async function armClaimCheck(s: Scope, contestId: number) {
  const at = await nextClaimDeadline(s, contestId);
  if (at) await s.scheduleIfIdle('contest.claim', contestId, at);
}

/*
 * Claiming a prize: when a giveaway asks for claims (claimHours > 0), each winner has until ContestWinner.claimBy
 * to claim; prize points are paid on the claim. The claim check (job contest.claim) replaces winners who did
 * not claim with a new round. A claim and the check race on one row through opposite conditions
 * (claimBy > now vs <= now, both only while unclaimed and not replaced): exactly one of them wins.
 */

/** The winner claims their prize: once, only before the deadline. */
export async function claimPrize(s: Scope, communityId: string, id: number, memberId: string) {
  const tx = txOf(s);
  const c = await getContest(s, communityId, id);
  const w = await tx.contestWinner.findUnique({ where: { contestId_memberId: { contestId: id, memberId } } });
  if (!w || c.status !== 'ended') throw new UserError('contests:error.notYourPrize', { id });
  if (!w.claimBy) throw new UserError('contests:error.noClaimNeeded', { id });
  const set = await tx.contestWinner.updateMany({
    where: { contestId: id, memberId, replaced: false, claimedAt: null, claimBy: { gt: s.now } }, data: { claimedAt: s.now },
  });
  if (set.count !== 1) {
    const now = await tx.contestWinner.findUniqueOrThrow({ where: { contestId_memberId: { contestId: id, memberId } } });
    if (now.claimedAt) throw new UserError('contests:error.alreadyClaimed', { id });
    if (now.replaced && now.replacedReason !== 'unclaimed') throw new UserError('contests:error.notYourPrize', { id });
    throw new UserError('contests:error.claimExpired', { id, claimBy: now.claimBy! });
  }
  await payPrize(s, c, memberId);
  return { id, prize: c.prize, prizePoints: c.prizePoints };
}

/**
 * Job: winners whose claim time ran out are replaced (reason "unclaimed") by a new round drawn among those
 * who never won, who are told by direct message with their own deadline; the channels are told. Runs again
 * at the next open deadline.
 */
export async function expireClaims(s: Scope, id: number): Promise<void | { again: Date }> {
  const tx = txOf(s);
  // Holding the giveaway makes this and a moderator's reroll draw one after the other (never the same round).
  if (!(await holdContest(s, id, 'ended'))) return;
  const c = await tx.contest.findUniqueOrThrow({ where: { id } });
  const due = await tx.contestWinner.findMany({ where: { contestId: id, replaced: false, claimedAt: null, claimBy: { lte: s.now } }, orderBy: { claimBy: 'asc' } });
  const expired: string[] = [];
  for (const w of due) {
    const gone = await tx.contestWinner.updateMany({
      where: { contestId: id, memberId: w.memberId, replaced: false, claimedAt: null, claimBy: { lte: s.now } },
      data: { replaced: true, replacedReason: 'unclaimed' },
    });
    if (gone.count === 1) expired.push(w.memberId);
  }
  if (expired.length) {
    const drawn = await drawNextRound(s, c, expired.length, { armClaims: false });
    const names = await displayNames(s, expired);
    await tellAll(s, c, async (t) => ({
      type: 'contest.unclaimed', contestId: id, prize: c.prize, platform: t.platform,
      expired: expired.map((m) => names.get(m) ?? '?'), winners: await winnersOn(s, drawn, t.platform),
    }));
  }
  const next = await nextClaimDeadline(s, id);
  return next ? { again: next } : undefined;
}

/* The public record of a draw (GET /giveaways/<community>/<id>/draw.json, /contest verify). */

export interface DrawRecord {
  algorithm: string;
  communityId: string;
  contestId: number;
  prize: string;
  status: ContestStatus;
  winnersCount: number;
  seedHash: string | null;
  /** Only once drawn. */
  seed: string | null;
  /** Names only where members of the community read it (/contest verify); the public JSON has numbers and weights. */
  entries: { n: number; weight: number; name?: string }[];
  /** Each round's winners by entry number, in draw order (empty while open). */
  rounds: { round: number; winners: number[]; replaced: { n: number; reason: string | null }[] }[];
}

/** What anyone may check about a giveaway's draw; null when there is no such giveaway in this community. Nothing secret before the draw. */
export async function drawRecord(s: Scope, communityId: string, id: number): Promise<DrawRecord | null> {
  return (await recordWithEntries(s, communityId, id, {}))?.record ?? null;
}

/** The record and the entry list it was made from (member ids included: for the service only). */
async function recordWithEntries(s: Scope, communityId: string, id: number, opts: { names?: boolean }) {
  const tx = txOf(s);
  const c = await tx.contest.findUnique({ where: { id } });
  // A cancelled giveaway was never drawn: there is nothing to check.
  if (!c || c.communityId !== communityId || (c.status === 'cancelled' && !opts.names)) return null;
  const entries = await drawEntries(s, id);
  const names = opts.names ? await displayNames(s, entries.map((e) => e.memberId)) : new Map<string, string>();
  const numberOf = new Map(entries.map((e) => [e.memberId, e.n]));
  const winners = await tx.contestWinner.findMany({ where: { contestId: id }, orderBy: [{ round: 'asc' }, { createdAt: 'asc' }] });
  const byRound = new Map<number, typeof winners>();
  for (const w of winners) byRound.set(w.round, [...(byRound.get(w.round) ?? []), w]);
  // Within a round, the draw order: recompute it (the rows share one time), then list them in it.
  const ended = c.status === 'ended';
  const record: DrawRecord = {
    algorithm: DRAW_ALGORITHM, communityId, contestId: id, prize: c.prize, status: c.status as ContestStatus, winnersCount: c.winnersCount,
    seedHash: c.seedHash, seed: ended ? c.seed : null,
    entries: entries.map((e) => ({ n: e.n, weight: e.weight, ...(opts.names ? { name: names.get(e.memberId) ?? '?' } : {}) })),
    rounds: [...byRound.entries()].map(([round, rows]) => ({
      round,
      winners: drawOrder(c.seed, id, round, entries, rows.map((r) => numberOf.get(r.memberId)!), winners.filter((w) => w.round < round).map((w) => numberOf.get(w.memberId)!)),
      replaced: rows.filter((r) => r.replaced).map((r) => ({ n: numberOf.get(r.memberId)!, reason: r.replacedReason })),
    })),
  };
  return { record, entries };
}

/** /contest verify: the record with names (members of the community read it), its recomputation once drawn, and the member's own entry number. */
export async function verifyDraw(s: Scope, communityId: string, id: number, memberId?: string) {
  const found = await recordWithEntries(s, communityId, id, { names: true });
  if (!found) throw new UserError('contests:error.notFound', { id });
  const { record, entries } = found;
  const check = recheck(record);
  const mine = memberId ? entries.find((e) => e.memberId === memberId)?.n ?? null : null;
  return { record, check: check ? { hashOk: check.hashOk, drawOk: check.drawOk } : null, mine };
}

/** The round's winners in the order they were picked (recomputed from the seed; stored order if that fails). */
function drawOrder(seed: string | null, id: number, round: number, entries: { n: number; weight: number }[], got: number[], before: number[]): number[] {
  if (!seed) return got;
  const again = drawRound(seed, id, round, entries, got.length, new Set(before));
  return again.length === got.length && again.every((n) => got.includes(n)) ? again : got;
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

/* --- linking a member's other account (src/features/link) --- */

/** A prize the account still has to claim: linking waits for it (the claim is made by that account's member). */
export async function pendingPrizeOf(s: Scope, memberId: string): Promise<number | null> {
  const w = await txOf(s).contestWinner.findFirst({ where: { memberId, replaced: false, claimedAt: null, claimBy: { gt: s.now } }, select: { contestId: true } });
  return w?.contestId ?? null;
}

/**
 * One person, one entry: the linked account's entries in giveaways still open become the member's; where both
 * entered, the account's entry goes and the member keeps the larger number of entries. Drawn giveaways are left as
 * they are (their entry list is what the published draw is checked against).
 */
export async function mergeOpenEntries(s: Scope, fromId: string, toId: string): Promise<void> {
  const tx = txOf(s);
  const entries = await tx.contestEntry.findMany({ where: { memberId: fromId, contest: { status: 'open' } } });
  for (const e of entries) {
    const key = (memberId: string) => ({ contestId_memberId: { contestId: e.contestId, memberId } });
    const theirs = await tx.contestEntry.findUnique({ where: key(toId) });
    if (!theirs) {
      await tx.contestEntry.update({ where: key(fromId), data: { memberId: toId } });
      continue;
    }
    await tx.contestEntry.delete({ where: key(fromId) });
    if (e.weight > theirs.weight) await tx.contestEntry.update({ where: key(toId), data: { weight: e.weight } });
  }
}

