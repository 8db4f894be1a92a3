/**
 * The bench cases both databases run (bench/bench.ts on SQLite, bench/pg.ts on PostgreSQL): awards through
 * the engine and the ledger service, buffered activity, and the leaderboard / own-rank reads.
 */
import { performance } from 'node:perf_hooks';
import type { Database } from '../src/db/client.js';
import type { Engine } from '../src/engine.js';
import { applyPoints, leaderboard, standingOf } from '../src/features/points/service.js';
import { txScope } from '../src/infra/jobs.js';

export const fmt = (n: number, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
export const mb = () => `${fmt(process.memoryUsage().rss / 2 ** 20, 0)} MiB RSS`;

export async function time<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t = performance.now();
  const r = await fn();
  return [r, performance.now() - t];
}

export async function median(fn: () => Promise<unknown>, runs = 7): Promise<number> {
  const ts: number[] = [];
  for (let i = 0; i < runs; i++) ts.push((await time(fn))[1]);
  return ts.sort((a, b) => a - b)[Math.floor(runs / 2)];
}

/** The p-th percentile (0..100) of some samples, nearest rank. */
export function percentile(samples: number[], p: number): number {
  const s = [...samples].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

/** Prints one figure line (label padded, value). */
export type Report = (label: string, value: string) => void;
export const printReport: Report = (label, value) => console.log(`${label.padEnd(58)} ${value}`);

export interface BenchCtx {
  engine: Engine;
  db: Database;
  communityId: string;
  /** The console community key the seeded members are in; members are u<i> / m<i>. */
  communityKey: string;
  members: number;
  awards: number;
  figures: Record<string, number>;
  report: Report;
}

export const benchAdmin = { platform: 'console' as const, userId: 'admin', displayName: 'admin', platformRole: 'admin' as const };

/** Full engine /give, then the ledger service alone (one Prisma transaction per award). Sets give_per_s, ledger_tx_per_s. */
export async function awardCases(c: BenchCtx, keyPrefix = ''): Promise<{ tEngine: number }> {
  const { engine, db, communityId, members, awards, figures, report } = c;
  const [, tEngine] = await time(async () => {
    for (let i = 0; i < awards; i++) {
      await engine.handle({ platform: 'console', communityKey: c.communityKey, actor: benchAdmin, command: 'give', args: `u${i % members} 5 bench`, eventKey: `${keyPrefix}e${i}` });
    }
  });
  report('awards/s, engine /give (parse+zod+tx+ledger+dedupe row)', fmt((figures.give_per_s = (awards / tEngine) * 1000)));
  const [, tLedger] = await time(async () => {
    for (let i = 0; i < awards; i++) {
      await db.prisma.$transaction((tx) => applyPoints(txScope(tx, new Date(), Math.random), { communityId, memberId: `m${i % members}`, delta: 3, kind: 'grant', reason: 'bench', idempotencyKey: `${keyPrefix}l${i}` }));
    }
  });
  report('awards/s, Prisma ledger transaction (applyPoints)', fmt((figures.ledger_tx_per_s = (awards / tLedger) * 1000)));
  return { tEngine };
}

/** Activity through engine.activity (buffered group commits) for members none of whom has earned activity yet. Sets activity_per_s. */
export async function activityCase(c: BenchCtx, actBase: number): Promise<void> {
  const n = c.awards;
  const [, tAct] = await time(async () => {
    const pending: Promise<void>[] = [];
    for (let i = 0; i < n; i++) {
      const u = actBase + i;
      pending.push(c.engine.activity({ platform: 'console', communityKey: c.communityKey, actor: { platform: 'console', userId: `u${u}`, username: `u${u}`, displayName: `member${u}` }, kind: 'message', length: 40, eventId: `act${i}`, address: { kind: 'channel', channelId: 'general' } }));
    }
    await Promise.all(pending);
    await c.engine.flush();
  });
  c.report('awards/s, engine.activity + flush (buffered group commits)', fmt((c.figures.activity_per_s = (n / tAct) * 1000)));
}

/** A median-of-7 timing stored under `key`. */
export const timed = (c: BenchCtx) => async (key: string, label: string, fn: () => Promise<unknown>) => c.report(label, `${fmt((c.figures[key] = await median(fn)), 2)} ms`);

/** Leaderboard top 10 and own rank counted in the database, all time / week / month. */
export async function boardCases(c: BenchCtx): Promise<void> {
  // Reads outside a transaction: a scope over the client itself.
  const reads = txScope(c.db.prisma as never, new Date(), Math.random);
  const ms = timed(c);
  await ms('top10_all_ms', `leaderboard top 10, all time (${fmt(c.members)} members), median`, () => leaderboard(reads, c.communityId, 'all', 'UTC', 10));
  await ms('top10_week_ms', 'leaderboard top 10, this week (stored totals), median', () => leaderboard(reads, c.communityId, 'week', 'UTC', 10));
  await ms('top10_month_ms', 'leaderboard top 10, this month (stored totals), median', () => leaderboard(reads, c.communityId, 'month', 'UTC', 10));
  await ms('rank_all_db_ms', 'own rank, all time, database count, median', () => standingOf(reads, c.communityId, 'm777', 'all', 'UTC'));
  await ms('rank_week_db_ms', 'own rank, this week, database count, median', () => standingOf(reads, c.communityId, 'm777', 'week', 'UTC'));
  await ms('rank_month_db_ms', 'own rank, this month, database count, median', () => standingOf(reads, c.communityId, 'm777', 'month', 'UTC'));
}

/** /points and /leaderboard through the engine (with whatever rank index the engine uses). */
export async function engineReadCases(c: BenchCtx): Promise<void> {
  const ms = timed(c);
  await ms('engine_points_ms', '/points (balance, tier, rank) through the engine, median', () => c.engine.handle({ platform: 'console', communityKey: c.communityKey, actor: { ...benchAdmin, userId: 'u777' }, command: 'points', args: '' }));
  await ms('engine_leaderboard_ms', '/leaderboard through the engine, median', () => c.engine.handle({ platform: 'console', communityKey: c.communityKey, actor: benchAdmin, command: 'leaderboard', args: '' }));
}

/** Rounds every figure to 2 decimals (nested objects too) for the JSON line. */
export function rounded(v: unknown): unknown {
  if (typeof v === 'number') return Math.round(v * 100) / 100;
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, rounded(x)]));
  return v;
}

/** /give to members u<base + i> for i in [from, from + n), `concurrency` requests in flight on this engine. */
export async function concurrentGives(e: Engine, o: { from: number; n: number; concurrency: number; base: number; members: number; tag: string }): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: o.concurrency }, async () => {
    while (next < o.n) {
      const i = o.from + next++;
      await e.handle({ platform: 'console', communityKey: 'bench', actor: benchAdmin, command: 'give', args: `u${(o.base + i) % o.members} 5 bench`, eventKey: `${o.tag}${i}` });
    }
  }));
}
