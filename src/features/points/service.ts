import { txOf, type Scope } from '../../core/scope.js';
import { UserError } from '../../core/errors.js';
import type { Platform } from '../../core/types.js';
import { periodKey, type Period } from '../../core/time.js';
import type { Tx } from '../../db/client.js';
import { displayNames, dmTarget, parseTiers, tierFor, type Tier } from '../members/service.js';

export type { Period } from '../../core/time.js';

export const LEDGER_KINDS = ['grant', 'revoke', 'challenge', 'referral', 'contest', 'link', 'redeem', 'activity'] as const;
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
  const existing = await tx.ledgerEntry.findUnique({
    where: { communityId_idempotencyKey: { communityId: c.communityId, idempotencyKey: c.idempotencyKey } },
  });
  if (existing) return { applied: false, balance: existing.balanceAfter, entryId: existing.id };
  const earning = earns(c.kind);
  // What the totals may be before the change so that after it they stay within the columns (and the
  // balance at or above zero unless allowed). One conditional update: a concurrent change waits for the
  // row lock and the conditions are checked again on the row it left.
  const inRange = c.delta > 0 ? { lte: MAX_POINTS - c.delta } : { gte: MIN_POINTS - c.delta };
  const changed = await tx.member.updateMany({
    where: {
      id: c.memberId, communityId: c.communityId,
      balance: c.delta < 0 && !c.allowNegative ? { gte: -c.delta } : inRange,
      ...(earning ? { lifetimePoints: inRange } : {}),
    },
    data: { balance: { increment: c.delta }, ...(earning ? { lifetimePoints: { increment: c.delta } } : {}) },
  });
  const member = await tx.member.findUnique({
    where: { id: c.memberId },
    select: { balance: true, communityId: true, lifetimePoints: true, ...(earning ? { community: { select: { timezone: true } } } : {}) },
  });
  if (!member || member.communityId !== c.communityId) throw new Error('member is not in this community');
  if (changed.count !== 1) {
    if (c.delta < 0 && !c.allowNegative && member.balance + c.delta < 0) throw new UserError('points:error.negative', { available: member.balance });
    throw new UserError('points:error.limit', { max: MAX_POINTS });
  }
  if (earning) {
    const zone = member.community?.timezone ?? 'UTC';
    await addToTotals(tx, c.communityId, c.memberId, [periodKey('week', s.now, zone), periodKey('month', s.now, zone)], c.delta);
  }
  const entry = await tx.ledgerEntry.create({
    data: {
      communityId: c.communityId,
      memberId: c.memberId,
      delta: c.delta,
      balanceAfter: member.balance,
      kind: c.kind,
      reason: c.reason.slice(0, 300),
      idempotencyKey: c.idempotencyKey,
      actorId: c.actorId ?? null,
      createdAt: s.now,
    },
  });
  if (c.delta > 0 && earning) await announceTierUp(s, c, member.lifetimePoints);
  return { applied: true, balance: member.balance, entryId: entry.id };
}

/**
 * Adds `delta` to a member's totals of the given periods, each one atomic upsert (insert the row, or add
 * to the stored one: INSERT ... ON CONFLICT DO UPDATE on PostgreSQL), so concurrent changes all count.
 */
async function addToTotals(tx: Tx, communityId: string, memberId: string, periods: string[], delta: number) {
  for (const period of periods) {
    await tx.pointsTotal.upsert({
      where: { communityId_period_memberId: { communityId, period, memberId } },
      create: { communityId, period, memberId, points: delta },
      update: { points: { increment: delta } },
    });
  }
}

/**
 * An account merge (/link): every week/month total of `fromId` moves to `toId` (added to theirs), so the
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
}

/** Congratulates a member by direct message when earning points moves them into a higher tier. */
async function announceTierUp(s: Scope, c: PointsChange, lifetimeAfter: number) {
  const community = await txOf(s).community.findUniqueOrThrow({ where: { id: c.communityId }, select: { tiers: true, name: true } });
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
 * period in the community's zone (both indexed; never the ledger). Ties share a rank (1, 2, 2, 4).
 */
export async function leaderboard(s: Scope, communityId: string, period: Period, zone: string, limit: number): Promise<Standing[]> {
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
      where: { communityId, period: periodKey(period, s.now, zone), points: { gt: 0 } },
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
export async function standingOf(s: Scope, communityId: string, memberId: string, period: Period, zone: string): Promise<{ points: number; rank: number | null; ranked?: number }> {
  const tx = txOf(s);
  if (period === 'all') {
    const me = await tx.member.findUniqueOrThrow({ where: { id: memberId }, select: { lifetimePoints: true } });
    const ranked = await tx.member.count({ where: { communityId, lifetimePoints: { gt: 0 } } });
    if (me.lifetimePoints <= 0) return { points: me.lifetimePoints, rank: null, ranked };
    const ahead = await tx.member.count({ where: { communityId, lifetimePoints: { gt: me.lifetimePoints } } });
    return { points: me.lifetimePoints, rank: ahead + 1, ranked };
  }
  const key = periodKey(period, s.now, zone);
  const mine = (await tx.pointsTotal.findUnique({ where: { communityId_period_memberId: { communityId, period: key, memberId } }, select: { points: true } }))?.points ?? 0;
  if (mine <= 0) return { points: mine, rank: null };
  // An index range count of the members ahead, not the whole board.
  const ahead = await tx.pointsTotal.count({ where: { communityId, period: key, points: { gt: mine } } });
  return { points: mine, rank: ahead + 1 };
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
