import { txOf, type Scope } from '../../core/scope.js';
import type { Address, Platform } from '../../core/types.js';
import { UserError } from '../../core/errors.js';
import { lockCommunity } from '../members/service.js';
import { applyPoints, ledgerReason, leaderboard, standingOf, type Standing } from '../points/service.js';
import { grantRewardPrize } from '../rewards/service.js';
import { storedPrizes, type Prize } from './prizes.js';

export type { Prize } from './prizes.js';
export type SeasonStatus = 'scheduled' | 'running' | 'ended' | 'cancelled';

/** Where a season's start and recap are posted: the creating channel, and each channel `/season here` added. */
export interface SeasonTarget { platform: Platform; address: Address }

/** A prize as shown: points, or the reward's name. */
export type PrizeView = { rank: number; points: number } | { rank: number; reward: string };

export interface SeasonView { id: number; name: string; startsAt: Date; endsAt: Date; status: SeasonStatus; prizes: PrizeView[] }

/** A member's final place: name, their account on the platform a recap goes to (to mention them), points, prize. */
export interface Placed { rank: number; name: string; userId?: string; points: number; prize?: PrizeView }

/** Notices this feature sends. */
export type SeasonNotice =
  | { type: 'season.started'; season: SeasonView }
  | { type: 'season.ended'; seasonId: number; name: string; platform: Platform; placed: Placed[] }
  | { type: 'season.cancelled'; seasonId: number; name: string };

export interface NewSeason {
  communityId: string;
  name: string;
  startsAt: Date;
  endsAt: Date;
  prizes: Prize[];
  platform: Platform;
  address?: Address;
}

type SeasonRow = { id: number; communityId: string; name: string; startsAt: Date; endsAt: Date; status: string; prizes: string; announceTo: string };

const OPEN: SeasonStatus[] = ['scheduled', 'running'];
/** How many places a recap lists when the prizes reach fewer. */
const RECAP_MIN = 3;
const boardOf = (id: number) => `s:${id}` as const;
const targetsOf = (row: { announceTo: string }) => JSON.parse(row.announceTo) as SeasonTarget[];

// ---- The board key applyPoints adds to: seasons by community, as this process last read them ----

const SEASONS_TTL_MS = 10_000;
const seasonsSeen = new Map<string, { at: number; seasons: { id: number; startsAt: number; endsAt: number }[] }>();
/** Bumped whenever this process changes a season: a read that started before it is not kept. */
let changes = 0;

/** A season of this community was created, started, ended or cancelled here: the next award reads them again. */
function forgetSeasons(s: Scope, communityId: string) {
  s.afterCommit(() => { changes++; seasonsSeen.delete(communityId); });
}

/**
 * The board keys ("s:<id>") of the community's seasons running now (startsAt <= now < endsAt, not ended or
 * cancelled): applyPoints adds earned points to them. Runs on every award, so the community's open seasons
 * are kept for a few seconds; this process's own changes are seen at once, another instance's within 10 s.
 */
export async function runningSeasonPeriods(s: Scope, communityId: string): Promise<string[]> {
  let seen = seasonsSeen.get(communityId);
  if (!seen || Date.now() - seen.at >= SEASONS_TTL_MS) {
    const before = changes;
    const rows = await txOf(s).season.findMany({ where: { communityId, status: { in: OPEN } }, select: { id: true, startsAt: true, endsAt: true } });
    seen = { at: Date.now(), seasons: rows.map((r) => ({ id: r.id, startsAt: r.startsAt.getTime(), endsAt: r.endsAt.getTime() })) };
    if (before === changes) {
      if (seasonsSeen.size > 10_000) seasonsSeen.clear();
      seasonsSeen.set(communityId, seen);
    }
  }
  const t = s.now.getTime();
  return seen.seasons.filter((x) => x.startsAt <= t && t < x.endsAt).map((x) => boardOf(x.id));
}

// ---- Reading ----

async function prizeViews(s: Scope, prizes: Prize[]): Promise<PrizeView[]> {
  const ids = prizes.flatMap((p) => ('rewardId' in p ? [p.rewardId] : []));
  const rewards = ids.length ? await txOf(s).reward.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } }) : [];
  return prizes.map((p) => ('points' in p ? p : { rank: p.rank, reward: rewards.find((r) => r.id === p.rewardId)?.name ?? `#${p.rewardId}` }));
}

async function viewOf(s: Scope, row: SeasonRow): Promise<SeasonView> {
  return { id: row.id, name: row.name, startsAt: row.startsAt, endsAt: row.endsAt, status: row.status as SeasonStatus, prizes: await prizeViews(s, storedPrizes(row.prizes)) };
}

export async function getSeason(s: Scope, communityId: string, id: number): Promise<SeasonRow> {
  const row = await txOf(s).season.findUnique({ where: { id } });
  if (!row || row.communityId !== communityId) throw new UserError('seasons:error.notFound', { id }, 'season');
  return row;
}

/** The latest seasons (not cancelled ones), newest start first. */
export async function listSeasons(s: Scope, communityId: string): Promise<SeasonView[]> {
  const rows = await txOf(s).season.findMany({ where: { communityId, status: { not: 'cancelled' } }, orderBy: { startsAt: 'desc' }, take: 10 });
  return Promise.all(rows.map((r) => viewOf(s, r)));
}

/** The season `/season show` means without a number: the running or next one, else the last that ended. */
async function currentSeason(s: Scope, communityId: string): Promise<SeasonRow> {
  const tx = txOf(s);
  const row = await tx.season.findFirst({ where: { communityId, status: { in: OPEN } }, orderBy: { startsAt: 'asc' } })
    ?? await tx.season.findFirst({ where: { communityId, status: 'ended' }, orderBy: { endsAt: 'desc' } });
  if (!row) throw new UserError('seasons:error.none');
  return row;
}

/** A season with its board (top 10) and the member's place on it. */
export async function seasonDetails(s: Scope, communityId: string, memberId: string, id?: number) {
  const row = id ? await getSeason(s, communityId, id) : await currentSeason(s, communityId);
  const top = await leaderboard(s, communityId, boardOf(row.id), 'UTC', 10);
  const mine = await standingOf(s, communityId, memberId, boardOf(row.id), 'UTC');
  return { season: await viewOf(s, row), top, mine };
}

// ---- Changing ----

/** Posts a notice in every channel the season announces to. */
async function tellAll(s: Scope, row: SeasonRow, notice: (t: SeasonTarget) => Promise<SeasonNotice> | SeasonNotice) {
  for (const t of targetsOf(row)) await s.announce({ communityId: row.communityId, platform: t.platform, to: t.address, notice: await notice(t) });
}

async function checkPrizes(s: Scope, communityId: string, prizes: Prize[]) {
  for (const p of prizes) {
    if (!('rewardId' in p)) continue;
    const r = await txOf(s).reward.findUnique({ where: { id: p.rewardId } });
    if (!r || r.communityId !== communityId || !r.active) throw new UserError('seasons:error.prizes.reward', { rank: p.rank, id: p.rewardId }, 'prizes');
  }
}

/**
 * An admin starts a season: now (it runs at once and its start is posted) or later (a job starts it). One
 * season at a time: one overlapping a scheduled or running season is refused, so each moment has one board.
 */
export async function createSeason(s: Scope, c: NewSeason): Promise<SeasonView> {
  const tx = txOf(s);
  if (c.endsAt.getTime() <= s.now.getTime()) throw new UserError('seasons:error.endsPast', {}, 'end');
  if (c.startsAt.getTime() < s.now.getTime() - 60_000) throw new UserError('seasons:error.startsPast', {}, 'start');
  if (c.endsAt.getTime() <= c.startsAt.getTime()) throw new UserError('seasons:error.endBeforeStart', {}, 'end');
  await checkPrizes(s, c.communityId, c.prizes);
  // Two admins creating overlapping seasons at once: the second waits here and then sees the first below.
  await lockCommunity(s, c.communityId);
  const clash = await tx.season.findFirst({ where: { communityId: c.communityId, status: { in: OPEN }, startsAt: { lt: c.endsAt }, endsAt: { gt: c.startsAt } } });
  if (clash) throw new UserError('seasons:error.overlap', { id: clash.id, name: clash.name, endsAt: clash.endsAt });
  const startsNow = c.startsAt.getTime() <= s.now.getTime();
  const targets: SeasonTarget[] = c.address?.kind === 'channel' ? [{ platform: c.platform, address: c.address }] : [];
  const row = await tx.season.create({
    data: {
      communityId: c.communityId, name: c.name, startsAt: startsNow ? s.now : c.startsAt, endsAt: c.endsAt, prizes: JSON.stringify(c.prizes),
      status: startsNow ? 'running' : 'scheduled', announceTo: JSON.stringify(targets), createdAt: s.now,
    },
  });
  forgetSeasons(s, c.communityId);
  await s.schedule('season.end', row.id, row.endsAt);
  const view = await viewOf(s, row);
  if (startsNow) await tellAll(s, row, () => ({ type: 'season.started', season: view }));
  else await s.schedule('season.start', row.id, row.startsAt);
  return view;
}

/** Scheduled job: a season starts (scheduled -> running) and its start is posted. Nothing if it was cancelled. */
export async function startSeason(s: Scope, id: number): Promise<void> {
  const tx = txOf(s);
  if ((await tx.season.updateMany({ where: { id, status: 'scheduled' }, data: { status: 'running' } })).count !== 1) return;
  const row = await tx.season.findUniqueOrThrow({ where: { id } });
  forgetSeasons(s, row.communityId);
  const season = await viewOf(s, row);
  await tellAll(s, row, () => ({ type: 'season.started', season }));
}

/** Each member's account on `platform` (to mention them there). */
async function accountsOn(s: Scope, memberIds: string[], platform: Platform): Promise<Map<string, string>> {
  const rows = await txOf(s).identity.findMany({ where: { memberId: { in: memberIds }, platform }, select: { memberId: true, platformUserId: true } });
  return new Map(rows.map((r) => [r.memberId, r.platformUserId]));
}

/**
 * Pays each prize to the member at its place on the final board. Places go by points, then member id (so a
 * tie has one order everywhere, the same the board shows); a place nobody reached pays nothing.
 */
async function payPrizes(s: Scope, row: SeasonRow, board: Standing[], prizes: Prize[], views: PrizeView[]) {
  for (const p of prizes) {
    const winner = board[p.rank - 1];
    if (!winner) continue;
    if ('points' in p) {
      await applyPoints(s, {
        communityId: row.communityId, memberId: winner.memberId, delta: p.points, kind: 'contest',
        reason: ledgerReason('season', { id: row.id, name: row.name, rank: p.rank }), idempotencyKey: `season:${row.id}:rank:${p.rank}`,
        seasonBoards: false,
      });
    } else {
      await grantRewardPrize(s, row.communityId, p.rewardId, winner.memberId);
    }
  }
  return board.map((w, i): Omit<Placed, 'userId'> & { memberId: string } => {
    const prize = views.find((v) => v.rank === i + 1);
    return { memberId: w.memberId, rank: i + 1, name: w.displayName, points: w.points, ...(prize ? { prize } : {}) };
  });
}

/**
 * Scheduled job: a season ends, its winners are paid and a recap is posted everywhere it announces. Pays
 * once: only the run that moves it from scheduled/running to ended pays (a second run, or another instance,
 * finds it ended), and each prize's ledger key is unique besides.
 */
export async function endSeason(s: Scope, id: number): Promise<void> {
  const tx = txOf(s);
  const claimed = await tx.season.updateMany({ where: { id, status: { in: OPEN } }, data: { status: 'ended', endedAt: s.now } });
  if (claimed.count !== 1) return;
  const row = await tx.season.findUniqueOrThrow({ where: { id } });
  forgetSeasons(s, row.communityId);
  await s.unschedule('season.start', id);
  const prizes = storedPrizes(row.prizes);
  const places = Math.max(RECAP_MIN, ...prizes.map((p) => p.rank));
  const board = await leaderboard(s, row.communityId, boardOf(id), 'UTC', places);
  const placed = await payPrizes(s, row, board, prizes, await prizeViews(s, prizes));
  await tellAll(s, row, async (t) => {
    const accounts = await accountsOn(s, placed.map((p) => p.memberId), t.platform);
    return {
      type: 'season.ended', seasonId: id, name: row.name, platform: t.platform,
      placed: placed.map(({ memberId, ...p }) => ({ ...p, ...(accounts.has(memberId) ? { userId: accounts.get(memberId)! } : {}) })),
    };
  });
}

/** Refuses a change because the season is over ("already ended", "already cancelled"). */
async function refuseClosed(s: Scope, id: number): Promise<never> {
  const { status } = await txOf(s).season.findUniqueOrThrow({ where: { id }, select: { status: true } });
  throw new UserError(`seasons:error.already.${status}`, { id });
}

/** An admin cancels a scheduled or running season: nobody is paid. */
export async function cancelSeason(s: Scope, communityId: string, id: number): Promise<SeasonView> {
  const row = await getSeason(s, communityId, id);
  const claimed = await txOf(s).season.updateMany({ where: { id, status: { in: OPEN } }, data: { status: 'cancelled', endedAt: s.now } });
  if (claimed.count !== 1) return refuseClosed(s, id);
  forgetSeasons(s, communityId);
  await s.unschedule('season.start', id);
  await s.unschedule('season.end', id);
  await tellAll(s, row, () => ({ type: 'season.cancelled', seasonId: id, name: row.name }));
  return viewOf(s, { ...row, status: 'cancelled' });
}

const sameTarget = (a: SeasonTarget, b: SeasonTarget) => a.platform === b.platform && JSON.stringify(a.address) === JSON.stringify(b.address);

/**
 * An admin has the season's start (if still to come) and recap posted in this channel too: how a platform
 * bound to the community gets them. Compare-and-set on the stored list, so two admins adding at once both
 * count. False when the channel was already on it.
 */
export async function announceSeasonHere(s: Scope, communityId: string, id: number, target: SeasonTarget): Promise<{ season: SeasonView; added: boolean }> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const row = await getSeason(s, communityId, id);
    if (!OPEN.includes(row.status as SeasonStatus)) return refuseClosed(s, id);
    const targets = targetsOf(row);
    if (targets.some((t) => sameTarget(t, target))) return { season: await viewOf(s, row), added: false };
    const announceTo = JSON.stringify([...targets, target]);
    const set = await txOf(s).season.updateMany({ where: { id, status: { in: OPEN }, announceTo: row.announceTo }, data: { announceTo } });
    if (set.count === 1) return { season: await viewOf(s, { ...row, announceTo }), added: true };
  }
  throw new UserError('errors:internal');
}
