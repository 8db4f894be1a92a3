import type { Tx } from '../db/client.js';
import { displayNames } from './members.js';

export type Period = 'all' | 'week' | 'month';

/** Ledger kinds that count as earning (spending and account merges do not move leaderboards). */
export const EARNING_KINDS = ['grant', 'revoke', 'challenge', 'referral', 'contest'];

/** Start of the current calendar week (Monday 00:00 UTC) or month (1st 00:00 UTC). */
export function periodStart(period: Period, now: Date): Date | null {
  if (period === 'all') return null;
  if (period === 'month') return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const day = (now.getUTCDay() + 6) % 7; // Monday = 0
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - day));
}

export interface Standing {
  memberId: string;
  displayName: string;
  points: number;
  rank: number;
}

/**
 * Top members by points earned: all-time uses the stored lifetime total (indexed), week/month sum the
 * earning ledger rows in the window. Ties share a rank (1, 2, 2, 4).
 */
export async function leaderboard(tx: Tx, communityId: string, period: Period, now: Date, limit: number): Promise<Standing[]> {
  const start = periodStart(period, now);
  let rows: { memberId: string; points: number }[];
  if (!start) {
    const members = await tx.member.findMany({
      where: { communityId, lifetimePoints: { gt: 0 } },
      orderBy: [{ lifetimePoints: 'desc' }, { createdAt: 'asc' }],
      take: limit,
      select: { id: true, lifetimePoints: true },
    });
    rows = members.map((m) => ({ memberId: m.id, points: m.lifetimePoints }));
  } else {
    const sums = await tx.ledgerEntry.groupBy({
      by: ['memberId'],
      where: { communityId, createdAt: { gte: start }, kind: { in: EARNING_KINDS } },
      _sum: { delta: true },
      orderBy: { _sum: { delta: 'desc' } },
      take: limit,
    });
    rows = sums.map((s) => ({ memberId: s.memberId, points: s._sum.delta ?? 0 })).filter((r) => r.points > 0);
  }
  const names = await displayNames(tx, rows.map((r) => r.memberId));
  const out: Standing[] = [];
  rows.forEach((r, i) => {
    const rank = i > 0 && out[i - 1].points === r.points ? out[i - 1].rank : i + 1;
    out.push({ memberId: r.memberId, displayName: names.get(r.memberId) ?? '?', points: r.points, rank });
  });
  return out;
}

/** A member's points in the period and rank (1 + how many earned strictly more); `ranked` is all-time only. */
export async function standingOf(tx: Tx, communityId: string, memberId: string, period: Period, now: Date): Promise<{ points: number; rank: number | null; ranked?: number }> {
  const start = periodStart(period, now);
  if (!start) {
    const me = await tx.member.findUniqueOrThrow({ where: { id: memberId }, select: { lifetimePoints: true } });
    const ranked = await tx.member.count({ where: { communityId, lifetimePoints: { gt: 0 } } });
    if (me.lifetimePoints <= 0) return { points: me.lifetimePoints, rank: null, ranked };
    const ahead = await tx.member.count({ where: { communityId, lifetimePoints: { gt: me.lifetimePoints } } });
    return { points: me.lifetimePoints, rank: ahead + 1, ranked };
  }
  const window = { communityId, createdAt: { gte: start }, kind: { in: EARNING_KINDS } };
  const mine = (await tx.ledgerEntry.aggregate({ where: { ...window, memberId }, _sum: { delta: true } }))._sum.delta ?? 0;
  if (mine <= 0) return { points: mine, rank: null };
  // Only the members ahead come back from the database, not the whole board.
  const ahead = await tx.ledgerEntry.groupBy({ by: ['memberId'], where: window, having: { delta: { _sum: { gt: mine } } } });
  return { points: mine, rank: ahead.length + 1 };
}

export const periodLabel = (p: Period) => (p === 'all' ? 'all time' : p === 'week' ? 'this week' : 'this month');
