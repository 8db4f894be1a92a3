import { txOf, type Scope } from '../../core/scope.js';
import { sqlRows } from '../../db/fast.js';
import type { Provider } from '../../db/url.js';
import { EARNING_KINDS, leaderboard } from '../points/service.js';
import { parseTiers, tierFor } from '../members/service.js';
import { dayBounds, dayRange, type LocalDay } from './days.js';
import { FUNNEL_SOURCES, REFERRAL_STATUSES, type EngagementRange, type EngagementReport, type FunnelRow, type Leader, type PointsDay, type ReferralStatus } from './report.js';

export type { EngagementRange, EngagementReport } from './report.js';

/*
 * The dashboard's engagement report: points issued and redeemed per local day, active members per day, the
 * leaderboards, and the newcomer funnel per referral source. Every figure is aggregated in the database
 * (per local day, see days.ts); only per-day and per-source rows come back.
 */

/** Earning kinds as SQL literals (fixed names, not input). Transfers between accounts ('link') and spending ('redeem') are not issuance. */
const EARNING_SQL = EARNING_KINDS.map((k) => `'${k}'`).join(', ');

export async function engagementReport(s: Scope, provider: Provider, communityId: string, range: EngagementRange): Promise<EngagementReport> {
  const tx = txOf(s);
  const community = await tx.community.findUniqueOrThrow({ where: { id: communityId }, select: { timezone: true, tiers: true } });
  const zone = community.timezone;
  const r = dayRange(s.now, zone, range);
  const [daily, funnel, leaders] = [
    await perDay(s, provider, communityId, r.days),
    await funnelOf(s, communityId, r.from, r.to),
    await leadersOf(s, communityId, zone, community.tiers),
  ];
  const points = r.days.map((d, i) => ({ day: d.day, issued: daily[i].issued, takenBack: daily[i].takenBack, redeemed: daily[i].redeemed }));
  const totals = points.reduce((t, d) => ({ issued: t.issued + d.issued, takenBack: t.takenBack + d.takenBack, redeemed: t.redeemed + d.redeemed }), { issued: 0, takenBack: 0, redeemed: 0 });
  const activeDays = r.days.map((d, i) => ({ day: d.day, members: daily[i].members }));
  const last7 = activeDays.slice(-7);
  return {
    range, days: r.days.map((d) => d.day), today: r.today, zone,
    points: { perDay: points, totals },
    active: { perDay: activeDays, today: activeDays.at(-1)!.members, last7Average: last7.reduce((n, d) => n + d.members, 0) / last7.length },
    leaders, funnel,
  };
}

/**
 * Each local day's points (issued, taken back, redeemed) and active members, reading the day's ledger rows once
 * (an index range scan per day; nothing sorted). Active: members with a ledger row that day (earning, spending,
 * a moderator's grant; not an account merge), plus those who only answered a poll, entered a giveaway or sent a
 * challenge submission. The ledger figures come back joined in one text ("issued:takenBack:redeemed:members"):
 * a scalar subquery has one column, and grouping a join by day instead would sort every row of the range.
 */
async function perDay(s: Scope, provider: Provider, communityId: string, days: LocalDay[]): Promise<(Omit<PointsDay, 'day'> & { members: number })[]> {
  const b = dayBounds(provider, days);
  const sum = (expr: string) => `COALESCE(SUM(${expr}), 0)`;
  const inDay = (col: string) => `${col} >= "b"."lo" AND ${col} < "b"."hi"`;
  const rows = await sqlRows<{ i: number; ledger: string | null; others: number }>(txOf(s),
    `${b.sql}SELECT "b"."i", (SELECT ` +
    `${sum(`CASE WHEN l."delta" > 0 AND l."kind" IN (${EARNING_SQL}) THEN l."delta" ELSE 0 END`)} || ':' || ` +
    `${sum(`CASE WHEN l."delta" < 0 AND l."kind" IN (${EARNING_SQL}) THEN -l."delta" ELSE 0 END`)} || ':' || ` +
    `${sum('CASE WHEN l."kind" = \'redeem\' THEN -l."delta" ELSE 0 END')} || ':' || ` +
    'COUNT(DISTINCT CASE WHEN l."kind" <> \'link\' THEN l."memberId" END) ' +
    `FROM "LedgerEntry" l WHERE l."communityId" = ? AND ${inDay('l."createdAt"')}) AS "ledger", ` +
    '(SELECT COUNT(*) FROM (' +
    `SELECT r."memberId" FROM "PollResponse" r JOIN "Poll" p ON p."id" = r."pollId" WHERE p."communityId" = ? AND ${inDay('r."createdAt"')} ` +
    `UNION SELECT e."memberId" FROM "ContestEntry" e JOIN "Contest" c ON c."id" = e."contestId" WHERE c."communityId" = ? AND ${inDay('e."createdAt"')} ` +
    `UNION SELECT u."memberId" FROM "Submission" u JOIN "Challenge" h ON h."id" = u."challengeId" WHERE h."communityId" = ? AND ${inDay('u."createdAt"')}` +
    `) x WHERE NOT EXISTS (SELECT 1 FROM "LedgerEntry" m WHERE m."memberId" = x."memberId" AND ${inDay('m."createdAt"')} AND m."kind" <> 'link')) AS "others" FROM "b"`,
    [...b.values, communityId, communityId, communityId, communityId]);
  const byIndex = new Map(rows.map((x) => [Number(x.i), x]));
  return days.map((_, i) => {
    const row = byIndex.get(i);
    const [issued = 0, takenBack = 0, redeemed = 0, members = 0] = String(row?.ledger ?? '').split(':').map(Number);
    return { issued, takenBack, redeemed, members: members + Number(row?.others ?? 0) };
  });
}

/**
 * Newcomers (Member.createdAt in the range) per referral source, "organic" for those nobody referred; a
 * cancelled or clawed-back referral still counts under its source. Steps are cumulative, whenever they happened.
 */
async function funnelOf(s: Scope, communityId: string, from: Date, to: Date): Promise<FunnelRow[]> {
  const rows = await sqlRows<{ source: string; status: string | null; joined: number; active: number; entered: number; answered: number }>(txOf(s),
    'SELECT f."source", f."status", COUNT(*) AS "joined", ' +
    'SUM(CASE WHEN f."a" + f."g" + f."c" + f."p" > 0 THEN 1 ELSE 0 END) AS "active", ' +
    'SUM(CASE WHEN f."g" + f."c" > 0 THEN 1 ELSE 0 END) AS "entered", ' +
    'SUM(CASE WHEN f."g" + f."c" > 0 AND f."p" > 0 THEN 1 ELSE 0 END) AS "answered" FROM (' +
    'SELECT COALESCE(r."source", \'organic\') AS "source", r."status", ' +
    'CASE WHEN EXISTS (SELECT 1 FROM "LedgerEntry" l WHERE l."memberId" = m."id" AND l."kind" = \'activity\' AND l."delta" > 0) THEN 1 ELSE 0 END AS "a", ' +
    'CASE WHEN m."id" IN (SELECT e."memberId" FROM "ContestEntry" e JOIN "Contest" c ON c."id" = e."contestId" WHERE c."communityId" = ?) THEN 1 ELSE 0 END AS "g", ' +
    'CASE WHEN m."id" IN (SELECT u."memberId" FROM "Submission" u JOIN "Challenge" h ON h."id" = u."challengeId" WHERE h."communityId" = ?) THEN 1 ELSE 0 END AS "c", ' +
    'CASE WHEN m."id" IN (SELECT q."memberId" FROM "PollResponse" q JOIN "Poll" p ON p."id" = q."pollId" WHERE p."communityId" = ?) THEN 1 ELSE 0 END AS "p" ' +
    'FROM "Member" m LEFT JOIN "Referral" r ON r."refereeId" = m."id" ' +
    'WHERE m."communityId" = ? AND m."createdAt" >= ? AND m."createdAt" < ?' +
    ') f GROUP BY f."source", f."status"',
    [communityId, communityId, communityId, communityId, from, to]);
  return FUNNEL_SOURCES.map((source) => {
    const mine = rows.filter((x) => x.source === source);
    const sum = (k: 'joined' | 'active' | 'entered' | 'answered') => mine.reduce((n, x) => n + Number(x[k]), 0);
    const statuses = Object.fromEntries(REFERRAL_STATUSES.map((st) => [st, mine.filter((x) => x.status === st).reduce((n, x) => n + Number(x.joined), 0)])) as Record<ReferralStatus, number>;
    return { source, joined: sum('joined'), active: sum('active'), entered: sum('entered'), answered: sum('answered'), statuses };
  });
}

/** The top 10 of all time and of this month (points service boards), each with the member's tier today. */
async function leadersOf(s: Scope, communityId: string, zone: string, tiersJson: string): Promise<EngagementReport['leaders']> {
  const [all, month] = [await leaderboard(s, communityId, 'all', zone, 10), await leaderboard(s, communityId, 'month', zone, 10)];
  const ids = [...new Set([...all, ...month].map((x) => x.memberId))];
  const lifetimes = new Map((await txOf(s).member.findMany({ where: { id: { in: ids } }, select: { id: true, lifetimePoints: true } })).map((m) => [m.id, m.lifetimePoints]));
  const tiers = parseTiers(tiersJson);
  const withTier = (rows: typeof all): Leader[] => rows.map((x) => ({ ...x, tier: tierFor(tiers, lifetimes.get(x.memberId) ?? 0).tier.name }));
  return { all: withTier(all), month: withTier(month) };
}
