import { txOf, type Scope } from '../../core/scope.js';
import { UserError } from '../../core/errors.js';
import type { Platform } from '../../core/types.js';
import { periodKey, type Period } from '../../core/time.js';
import type { Tx } from '../../db/client.js';
import { sqlRows, sqlRun } from '../../db/fast.js';
import { runningSeasonPeriods } from '../seasons/service.js';
import { tierCrossed } from '../access/service.js';
import { communityRead, displayNames, dmTarget, parseTiers, tierFor, type Tier } from '../members/service.js';

export type { Period } from '../../core/time.js';

/** A board: all time, this week or month, or a season's ("s:<id>", see features/seasons). */
export type Board = Period | `s:${number}`;
const boardKey = (b: Exclude<Board, 'all'>, now: Date, zone: string) => (b.startsWith('s:') ? b : periodKey(b as 'week' | 'month', now, zone));

export const LEDGER_KINDS = ['grant', 'revoke', 'challenge', 'referral', 'contest', 'link', 'redeem', 'activity', 'thanks', 'poll'] as const;
export type LedgerKind = (typeof LEDGER_KINDS)[number];

/**
 * The one definition of "earned": every kind except spending (redeem, and its refunds) and account merges
 * (link). Earned points decide tiers and leaderboards; spending never drops either.
 */
export const EARNING_KINDS: LedgerKind[] = LEDGER_KINDS.filter((k) => k !== 'redeem' && k !== 'link');
export const earns = (kind: LedgerKind) => EARNING_KINDS.includes(kind);

export interface PointsChange {
  communityId: string;
  memberId: string;
  delta: number;
  kind: LedgerKind;
  /** Shown in the member's history as typed (a moderator's reason) or as a catalog key with params (ledger:*). */
  reason: string;
  /** Unique per community: the same key never applies twice (retries, redeliveries, double clicks). */
  idempotencyKey: string;
  actorId?: string | null;
  /** Refuse a change that would take the balance below zero. */
  allowNegative?: boolean;
  /** Count it on the seasons running now (default). A season's own prizes do not: they would start the next season's board. */
  seasonBoards?: boolean;
}

export interface PointsResult {
  applied: boolean;
  balance: number;
  entryId: number;
}

/** Notices this feature sends. */
export type PointsNotice = { type: 'points.tierUp'; community: string; tier: string; lifetime: number; next?: Tier };

/** Balances, lifetime totals and ledger amounts are 32-bit integer columns: nothing may leave this range. */
export const MAX_POINTS = 2_147_483_647;
const MIN_POINTS = -MAX_POINTS - 1;

/**
 * The only way points change: one ledger row plus the balance update, inside the caller's transaction.
 * Re-applying the same idempotency key returns the first result without changing anything.
 */
export async function applyPoints(s: Scope, c: PointsChange): Promise<PointsResult> {
  const tx = txOf(s);
  if (!Number.isSafeInteger(c.delta) || c.delta === 0) throw new UserError('points:error.amount');
  if (c.delta > MAX_POINTS || c.delta < MIN_POINTS) throw new UserError('points:error.limit', { max: MAX_POINTS });
  const earning = earns(c.kind);
  // What the totals may be before the change so that after it they stay within the columns (and the
  // balance at or above zero unless allowed). One conditional update: a concurrent change waits for the
  // row lock and the conditions are checked again on the row it left.
  const inRange = c.delta > 0 ? [MIN_POINTS, MAX_POINTS - c.delta] : [MIN_POINTS - c.delta, MAX_POINTS];
  const balanceRange = c.delta < 0 && !c.allowNegative ? [-c.delta, MAX_POINTS] : inRange;
  const lifetimeRange = earning ? inRange : [MIN_POINTS, MAX_POINTS];
  const lifetimeDelta = earning ? c.delta : 0;
  const [member] = await sqlRows<{ balance: number; lifetimePoints: number }>(tx,
    'UPDATE "Member" SET "balance" = "balance" + ?, "lifetimePoints" = "lifetimePoints" + ? ' +
    'WHERE "id" = ? AND "communityId" = ? AND "balance" BETWEEN ? AND ? AND "lifetimePoints" BETWEEN ? AND ? RETURNING "balance", "lifetimePoints"',
    [c.delta, lifetimeDelta, c.memberId, c.communityId, ...balanceRange, ...lifetimeRange]);
  if (!member) {
    // Applied before (so nothing to do), or refused: which limit, or no such member here.
    const done = await appliedBefore(tx, c);
    if (done) return done;
    const m = await tx.member.findUnique({ where: { id: c.memberId }, select: { balance: true, communityId: true } });
    if (!m || m.communityId !== c.communityId) throw new Error('member is not in this community');
    if (c.delta < 0 && !c.allowNegative && m.balance + c.delta < 0) throw new UserError('points:error.negative', { available: m.balance });
    throw new UserError('points:error.limit', { max: MAX_POINTS });
  }
  // The unique key decides whether this change is new: a clash inserts nothing (and, unlike a failed
  // INSERT, leaves a PostgreSQL transaction usable); a concurrent insert of the same key is waited for.
  const [entry] = await sqlRows<{ id: number }>(tx,
    'INSERT INTO "LedgerEntry" ("communityId", "memberId", "delta", "balanceAfter", "kind", "reason", "idempotencyKey", "actorId", "createdAt") ' +
    'VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT ("communityId", "idempotencyKey") DO NOTHING RETURNING "id"',
    [c.communityId, c.memberId, c.delta, member.balance, c.kind, c.reason.slice(0, 300), c.idempotencyKey, c.actorId ?? null, s.now]);
  if (!entry) {
    // Applied before (a retry, a redelivery): the balance change above is taken back, in this same
    // transaction, and the first result returned. Nothing else was written.
    await sqlRun(tx, 'UPDATE "Member" SET "balance" = "balance" - ?, "lifetimePoints" = "lifetimePoints" - ? WHERE "id" = ?', [c.delta, lifetimeDelta, c.memberId]);
    const done = await appliedBefore(tx, c);
    if (!done) throw Object.assign(new Error('ledger key clash without a row'), { code: 'P2034' });
    return done;
  }
  if (earning) {
    const community = communityRead(s, c.communityId)
      ?? (await sqlRows<{ timezone: string; tiers: string; name: string }>(tx, 'SELECT "timezone", "tiers", "name" FROM "Community" WHERE "id" = ?', [c.communityId]))[0];
    const zone = community?.timezone ?? 'UTC';
    const periods = [periodKey('week', s.now, zone), periodKey('month', s.now, zone), ...(c.seasonBoards === false ? [] : await runningSeasonPeriods(s, c.communityId))];
    noteRanks(s, c.communityId, c.memberId, entry.id, [{ period: 'all', points: member.lifetimePoints }, ...await addToTotals(tx, c.communityId, c.memberId, periods, c.delta)]);
    if (c.delta > 0 && community) await announceTierUp(s, c, member.lifetimePoints, community);
    await tierCrossed(s, c.communityId, c.memberId, member.lifetimePoints - c.delta, member.lifetimePoints, community?.tiers);
  }
  return { applied: true, balance: member.balance, entryId: entry.id };
}

/** The first result of a change whose key was applied before (null: it was not). */
async function appliedBefore(tx: Tx, c: PointsChange): Promise<PointsResult | null> {
  const existing = await tx.ledgerEntry.findUnique({
    where: { communityId_idempotencyKey: { communityId: c.communityId, idempotencyKey: c.idempotencyKey } },
    select: { id: true, balanceAfter: true },
  });
  return existing && { applied: false, balance: existing.balanceAfter, entryId: existing.id };
}

/**
 * Adds `delta` to a member's totals of the given periods, each one atomic upsert (insert the row, or add
 * to the stored one: INSERT ... ON CONFLICT DO UPDATE on PostgreSQL), so concurrent changes all count.
 */
async function addToTotals(tx: Tx, communityId: string, memberId: string, periods: string[], delta: number): Promise<{ period: string; points: number }[]> {
  if (periods.length === 0) return [];
  const rows = await sqlRows<{ period: string; points: number }>(tx,
    `INSERT INTO "PointsTotal" ("communityId", "period", "memberId", "points") VALUES ${periods.map(() => '(?, ?, ?, ?)').join(', ')} ` +
    'ON CONFLICT ("communityId", "period", "memberId") DO UPDATE SET "points" = "PointsTotal"."points" + excluded."points" RETURNING "period", "points"',
    periods.flatMap((period) => [communityId, period, memberId, delta]));
  return periods.map((period) => ({ period, points: rows.find((r) => r.period === period)?.points ?? delta }));
}

/**
 * Feeds the rank index (Scope.ranks) a member's new totals once the transaction commits; they are read in
 * the transaction after the change, under its row locks. `version` orders the member's changes (the index
 * ignores one older than what it holds): the ledger id written under the member's row lock, so later
 * commits carry larger ones. A failed update only costs a stale index: the in-process one drops the board
 * (rebuilt from the database), and the failure is reported.
 */
function noteRanks(s: Scope, communityId: string, memberId: string, version: number, totals: { period: string; points: number }[]) {
  const ranks = s.ranks;
  if (!ranks) return;
  s.afterCommit(async () => {
    try {
      await ranks.update(totals.map((t) => ({ communityId, memberId, version, ...t })));
    } catch (err) {
      for (const t of totals) ranks.drop?.(communityId, t.period);
      throw err;
    }
  });
}

/**
 * An account merge (/link): every week/month/season total of `fromId` moves to `toId` (added to theirs), so the
 * merged member's boards are not split. Each amount moves as a decrement of the source row and an
 * increment of the target row, so points a concurrent change adds to the source meanwhile are kept, not
 * overwritten; the emptied source rows go.
 */
export async function mergeTotals(s: Scope, communityId: string, fromId: string, toId: string) {
  const tx = txOf(s);
  const rows = await tx.pointsTotal.findMany({ where: { communityId, memberId: fromId, points: { not: 0 } }, select: { period: true, points: true } });
  for (const r of rows) {
    await tx.pointsTotal.update({ where: { communityId_period_memberId: { communityId, period: r.period, memberId: fromId } }, data: { points: { decrement: r.points } } });
    await addToTotals(tx, communityId, toId, [r.period], r.points);
  }
  await tx.pointsTotal.deleteMany({ where: { communityId, memberId: fromId, points: 0 } });
  // Both members' boards changed (the caller moved the lifetime total before): the index follows.
  // Version: the member's newest ledger id plus a half, read in the same statement as the lifetime total.
  // The 'link' rows this merge wrote (only when the balance was not 0) and the earning changes of this
  // transaction come before it; a later commit for the member waits for the rows locked here (the member
  // row, or the totals rows moved above) and writes a larger id. Without the half, a merge that wrote no
  // ledger row would tie with the commit before it, and an equal version is ignored.
  const lifetimes = await sqlRows<{ id: string; lifetimePoints: number; lastEntry: number | null }>(tx,
    'SELECT m."id", m."lifetimePoints", (SELECT MAX(l."id") FROM "LedgerEntry" l WHERE l."memberId" = m."id") AS "lastEntry" FROM "Member" m WHERE m."id" IN (?, ?)',
    [fromId, toId]);
  const now = await tx.pointsTotal.findMany({ where: { communityId, memberId: toId, period: { in: rows.map((r) => r.period) } }, select: { period: true, points: true } });
  for (const m of lifetimes) {
    const totals = [{ period: 'all', points: m.lifetimePoints }, ...(m.id === fromId ? rows.map((r) => ({ period: r.period, points: 0 })) : now)];
    noteRanks(s, communityId, m.id, (m.lastEntry ?? 0) + 0.5, totals);
  }
}

/** Congratulates a member by direct message when earning points moves them into a higher tier. */
async function announceTierUp(s: Scope, c: PointsChange, lifetimeAfter: number, community: { tiers: string; name: string }) {
  const tiers = parseTiers(community.tiers);
  const before = tierFor(tiers, lifetimeAfter - c.delta).tier;
  const { tier, next } = tierFor(tiers, lifetimeAfter);
  if (tier.minPoints <= before.minPoints) return;
  const identity = await dmTarget(s, c.memberId);
  if (!identity) return;
  const notice: PointsNotice = { type: 'points.tierUp', community: community.name, tier: tier.name, lifetime: lifetimeAfter, ...(next ? { next } : {}) };
  await s.announce({ communityId: c.communityId, platform: identity.platform as Platform, to: { kind: 'dm', userId: identity.platformUserId }, notice, memberId: c.memberId });
}

export interface Standing {
  memberId: string;
  displayName: string;
  points: number;
  rank: number;
}

/**
 * Top members by points earned: all-time uses the stored lifetime total, week/month the stored total of the
 * period in the community's zone, a season its own total (all indexed; never the ledger). Ties share a rank
 * (1, 2, 2, 4); rows of equal points come in member id order.
 */
export async function leaderboard(s: Scope, communityId: string, period: Board, zone: string, limit: number): Promise<Standing[]> {
  const tx = txOf(s);
  let rows: { memberId: string; points: number }[];
  if (period === 'all') {
    const members = await tx.member.findMany({
      where: { communityId, lifetimePoints: { gt: 0 } },
      orderBy: [{ lifetimePoints: 'desc' }, { createdAt: 'asc' }],
      take: limit,
      select: { id: true, lifetimePoints: true },
    });
    rows = members.map((m) => ({ memberId: m.id, points: m.lifetimePoints }));
  } else {
    rows = await tx.pointsTotal.findMany({
      where: { communityId, period: boardKey(period, s.now, zone), points: { gt: 0 } },
      orderBy: [{ points: 'desc' }, { memberId: 'asc' }],
      take: limit,
      select: { memberId: true, points: true },
    });
  }
  const names = await displayNames(s, rows.map((r) => r.memberId));
  const out: Standing[] = [];
  rows.forEach((r, i) => {
    const rank = i > 0 && out[i - 1].points === r.points ? out[i - 1].rank : i + 1;
    out.push({ memberId: r.memberId, displayName: names.get(r.memberId) ?? '?', points: r.points, rank });
  });
  return out;
}

/** A member's points in the period and rank (1 + how many earned strictly more); `ranked` is all-time only. */
export async function standingOf(s: Scope, communityId: string, memberId: string, period: Board, zone: string): Promise<{ points: number; rank: number | null; ranked?: number }> {
  // The points come from the row; the rank from the rank index (src/infra/rank-index.ts) when this database
  // has one and it can answer, else from an index range count of the members ahead in the database.
  const tx = txOf(s);
  if (period === 'all') {
    const me = await tx.member.findUniqueOrThrow({ where: { id: memberId }, select: { lifetimePoints: true } });
    const ranked = (await s.ranks?.size(communityId, 'all')) ?? await tx.member.count({ where: { communityId, lifetimePoints: { gt: 0 } } });
    if (me.lifetimePoints <= 0) return { points: me.lifetimePoints, rank: null, ranked };
    const rank = (await s.ranks?.rank(communityId, 'all', me.lifetimePoints)) ?? 1 + await tx.member.count({ where: { communityId, lifetimePoints: { gt: me.lifetimePoints } } });
    return { points: me.lifetimePoints, rank, ranked };
  }
  const key = boardKey(period, s.now, zone);
  const mine = (await tx.pointsTotal.findUnique({ where: { communityId_period_memberId: { communityId, period: key, memberId } }, select: { points: true } }))?.points ?? 0;
  if (mine <= 0) return { points: mine, rank: null };
  const rank = (await s.ranks?.rank(communityId, key, mine)) ?? 1 + await tx.pointsTotal.count({ where: { communityId, period: key, points: { gt: mine } } });
  return { points: mine, rank };
}

/** The latest ledger rows of one member. */
export async function recentHistory(s: Scope, memberId: string, take = 10) {
  return txOf(s).ledgerEntry.findMany({ where: { memberId }, orderBy: { id: 'desc' }, take, select: { delta: true, reason: true, createdAt: true } });
}

/**
 * Ledger reasons the bot writes are stored as a catalog key with params ("@challenge {...}"), so history
 * reads in each reader's language; a moderator's typed reason is stored as typed.
 */
export function ledgerReason(key: string, params: Record<string, unknown> = {}): string {
  return `@${key} ${JSON.stringify(params)}`;
}
