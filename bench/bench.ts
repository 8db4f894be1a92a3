/**
 * npm run bench: prints speed and memory figures (never asserted in tests).
 *  - points awards/s through the full engine (/give: parse, zod, transaction, ledger row, balance)
 *  - points awards/s through the ledger service alone (one Prisma transaction per award)
 *  - the same update + ledger insert with raw better-sqlite3, in the same run, as the floor to compare with
 *  - activity awards/s through engine.activity + flush, against raw better-sqlite3 doing the same writes 100 per transaction
 *  - leaderboard (all-time, week, month) and own-rank query times with 100k members: own rank counted in the
 *    database and through the in-process rank index (with its build time and memory)
 * Options: `--members N` or BENCH_MEMBERS (default 100000), BENCH_AWARDS (default 2000); `--json` ends with one
 * JSON line of the figures.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { openDatabase } from '../src/db/client.js';
import { migrateDeploy } from '../src/db/migrate.js';
import { Engine } from '../src/engine.js';
import { applyPoints, leaderboard, standingOf } from '../src/features/points/service.js';
import { periodKey } from '../src/core/time.js';
import { txScope } from '../src/infra/jobs.js';
import type { InProcessRankIndex } from '../src/infra/rank-index.js';
import { allCommands } from '../commands/index.js';

const flag = (name: string) => { const i = process.argv.indexOf(name); return i >= 0 ? process.argv[i + 1] : undefined; };
const MEMBERS = Number(flag('--members') ?? process.env.BENCH_MEMBERS ?? 100_000);
if (!Number.isSafeInteger(MEMBERS) || MEMBERS < 1000) throw new Error('--members must be a whole number of at least 1000');
const AWARDS = Number(process.env.BENCH_AWARDS ?? 2_000);

const dir = mkdtempSync(join(tmpdir(), 'engage-bench-'));
const file = join(dir, 'bench.db');
const url = `file:${file}`;
const fmt = (n: number, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
const mb = () => `${fmt(process.memoryUsage().rss / 2 ** 20, 0)} MiB RSS`;
const rows: [string, string][] = [];
const figures: Record<string, number> = { members: MEMBERS };
const report = (label: string, value: string) => {
  rows.push([label, value]);
  console.log(`${label.padEnd(58)} ${value}`);
};

async function time<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t = performance.now();
  const r = await fn();
  return [r, performance.now() - t];
}

async function median(fn: () => Promise<unknown>, runs = 7): Promise<number> {
  const ts: number[] = [];
  for (let i = 0; i < runs; i++) ts.push((await time(fn))[1]);
  return ts.sort((a, b) => a - b)[Math.floor(runs / 2)];
}

try {
  await migrateDeploy(url);
  const db = await openDatabase(url);
  const engine = new Engine(db, { commands: allCommands, onError: (e) => { throw e; } });
  console.log(`engage bench: SQLite file (WAL, synchronous=NORMAL), ${fmt(MEMBERS)} members, ${fmt(AWARDS)} awards per case\n`);

  // Seed the community and members with raw SQL (setup only, not measured).
  await engine.handle({ platform: 'console', communityKey: 'bench', actor: { platform: 'console', userId: 'admin', displayName: 'admin', platformRole: 'admin' }, command: 'points', args: '' });
  const community = await db.prisma.community.findFirstOrThrow();
  const raw = new Database(file);
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = NORMAL');
  const insM = raw.prepare('INSERT INTO Member (id, communityId, displayName, role, balance, lifetimePoints, referralCode, createdAt) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  const insI = raw.prepare('INSERT INTO Identity (communityId, platform, platformUserId, username, memberId, createdAt) VALUES (?, ?, ?, ?, ?, ?)');
  // Prisma stores SQLite DateTime as ISO text; seed rows the same way.
  const iso = (d: Date) => d.toISOString().replace('Z', '+00:00');
  const now = iso(new Date());
  raw.transaction(() => {
    for (let i = 0; i < MEMBERS; i++) {
      const pts = Math.floor(Math.random() * 10_000);
      insM.run(`m${i}`, community.id, `member${i}`, 'member', pts, pts, `C${i.toString(36).toUpperCase()}`, now);
      insI.run(community.id, 'console', `u${i}`, `u${i}`, `m${i}`, now);
    }
  })();
  // Some ledger history this week, with the week and month totals applyPoints would have kept for it.
  const insL = raw.prepare('INSERT INTO LedgerEntry (communityId, memberId, delta, balanceAfter, kind, reason, idempotencyKey, createdAt) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  const insT = raw.prepare('INSERT INTO PointsTotal (communityId, period, memberId, points) VALUES (?, ?, ?, ?)');
  const periods = [periodKey('week', new Date(), 'UTC'), periodKey('month', new Date(), 'UTC')];
  raw.transaction(() => {
    for (let i = 0; i < MEMBERS; i++) {
      insL.run(community.id, `m${i}`, 1 + (i % 50), 0, 'grant', 'seed', `seed:${i}`, now);
      for (const p of periods) insT.run(community.id, p, `m${i}`, 1 + (i % 50));
    }
  })();
  report('seeded', `${fmt(MEMBERS)} members, ${fmt(MEMBERS)} ledger rows, ${fmt(2 * MEMBERS)} week/month totals, ${mb()}`);

  // 1. Full engine path.
  const actor = { platform: 'console' as const, userId: 'admin', displayName: 'admin', platformRole: 'admin' as const };
  const [, tEngine] = await time(async () => {
    for (let i = 0; i < AWARDS; i++) {
      await engine.handle({ platform: 'console', communityKey: 'bench', actor, command: 'give', args: `u${i % MEMBERS} 5 bench`, eventKey: `e${i}` });
    }
  });
  report('awards/s, engine /give (parse+zod+tx+ledger+dedupe row)', fmt((figures.give_per_s = (AWARDS / tEngine) * 1000)));

  // 2. Ledger service alone, one transaction per award.
  const [, tLedger] = await time(async () => {
    for (let i = 0; i < AWARDS; i++) {
      await db.prisma.$transaction((tx) => applyPoints(txScope(tx, new Date(), Math.random), { communityId: community.id, memberId: `m${i % MEMBERS}`, delta: 3, kind: 'grant', reason: 'bench', idempotencyKey: `l${i}` }));
    }
  });
  report('awards/s, Prisma ledger transaction (applyPoints)', fmt((figures.ledger_tx_per_s = (AWARDS / tLedger) * 1000)));

  // 3. Raw better-sqlite3: the same balance update + ledger insert + week/month totals per transaction.
  const upd = raw.prepare('UPDATE Member SET balance = balance + ?, lifetimePoints = lifetimePoints + ? WHERE id = ? RETURNING balance');
  const upT = raw.prepare('INSERT INTO PointsTotal (communityId, period, memberId, points) VALUES (?, ?, ?, ?) ON CONFLICT DO UPDATE SET points = points + excluded.points');
  const award = raw.transaction((i: number) => {
    const { balance } = upd.get(2, 2, `m${i % MEMBERS}`) as { balance: number };
    insL.run(community.id, `m${i % MEMBERS}`, 2, balance, 'grant', 'bench', `r${i}`, iso(new Date()));
    for (const p of periods) upT.run(community.id, p, `m${i % MEMBERS}`, 2);
  });
  const t0 = performance.now();
  for (let i = 0; i < AWARDS; i++) award(i);
  const tRaw = performance.now() - t0;
  report('awards/s, raw better-sqlite3 (same update, ledger, totals)', fmt((figures.raw_tx_per_s = (AWARDS / tRaw) * 1000)));
  report('  engine overhead vs raw', `${fmt(tEngine / tRaw, 1)}x`);

  // 3b. Activity through the real path (engine.activity buffers, group commits) vs raw batched writes.
  const ACT = AWARDS;
  const actBase = Math.min(10_000, MEMBERS - ACT); // members u{actBase}..: none of them has earned activity yet
  const [, tAct] = await time(async () => {
    const pending: Promise<void>[] = [];
    for (let i = 0; i < ACT; i++) {
      const u = actBase + i;
      pending.push(engine.activity({ platform: 'console', communityKey: 'bench', actor: { platform: 'console', userId: `u${u}`, username: `u${u}`, displayName: `member${u}` }, kind: 'message', length: 40, eventId: `act${i}`, address: { kind: 'channel', channelId: 'general' } }));
    }
    await Promise.all(pending);
    await engine.flush();
  });
  report('awards/s, engine.activity + flush (buffered group commits)', fmt((figures.activity_per_s = (ACT / tAct) * 1000)));
  const batch = raw.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const m = `m${(actBase + ACT + i) % MEMBERS}`;
      const { balance } = upd.get(2, 2, m) as { balance: number };
      insL.run(community.id, m, 2, balance, 'activity', 'bench', `rb${i}`, iso(new Date()));
      for (const p of periods) upT.run(community.id, p, m, 2);
    }
  });
  const t1 = performance.now();
  for (let i = 0; i < ACT; i += 100) batch(i, Math.min(ACT, i + 100));
  const tBatch = performance.now() - t1;
  report('awards/s, raw better-sqlite3 batched (100 per transaction)', fmt((figures.raw_batch_per_s = (ACT / tBatch) * 1000)));
  report('  /give vs raw per-transaction; activity vs raw batched', `${fmt((100 * figures.give_per_s) / figures.raw_tx_per_s, 1)}%; ${fmt((100 * figures.activity_per_s) / figures.raw_batch_per_s, 1)}%`);

  // 4. Leaderboard queries with 100k members.
  // Reads outside a transaction: a scope over the client itself.
  const reads = txScope(db.prisma as never, new Date(), Math.random);
  const ms = async (key: string, label: string, fn: () => Promise<unknown>) => report(label, `${fmt((figures[key] = await median(fn)), 2)} ms`);
  await ms('top10_all_ms', `leaderboard top 10, all time (${fmt(MEMBERS)} members), median`, () => leaderboard(reads, community.id, 'all', 'UTC', 10));
  await ms('top10_week_ms', 'leaderboard top 10, this week (stored totals), median', () => leaderboard(reads, community.id, 'week', 'UTC', 10));
  await ms('top10_month_ms', 'leaderboard top 10, this month (stored totals), median', () => leaderboard(reads, community.id, 'month', 'UTC', 10));
  // Own rank: counted in the database (PostgreSQL without Redis does this), then through the in-process
  // rank index SQLite uses (src/infra/rank-index.ts), built once from the database first.
  await ms('rank_all_db_ms', 'own rank, all time, database count, median', () => standingOf(reads, community.id, 'm777', 'all', 'UTC'));
  await ms('rank_week_db_ms', 'own rank, this week, database count, median', () => standingOf(reads, community.id, 'm777', 'week', 'UTC'));
  await ms('rank_month_db_ms', 'own rank, this month, database count, median', () => standingOf(reads, community.id, 'm777', 'month', 'UTC'));
  const index = engine.ranks as InProcessRankIndex;
  const rssBefore = process.memoryUsage().rss;
  const [, tBuild] = await time(() => Promise.all(['all', ...periods].map((p) => index.warm(community.id, p))));
  report('rank index build (all time, week, month boards)', `${fmt((figures.rank_index_build_ms = tBuild), 0)} ms, +${fmt((figures.rank_index_mib = (process.memoryUsage().rss - rssBefore) / 2 ** 20), 0)} MiB RSS`);
  const ranked = txScope(db.prisma as never, new Date(), Math.random, { ranks: index });
  await ms('rank_all_ms', 'own rank, all time, rank index, median', () => standingOf(ranked, community.id, 'm777', 'all', 'UTC'));
  await ms('rank_week_ms', 'own rank, this week, rank index, median', () => standingOf(ranked, community.id, 'm777', 'week', 'UTC'));
  await ms('rank_month_ms', 'own rank, this month, rank index, median', () => standingOf(ranked, community.id, 'm777', 'month', 'UTC'));
  await ms('engine_points_ms', '/points (balance, tier, rank) through the engine, median', () => engine.handle({ platform: 'console', communityKey: 'bench', actor: { ...actor, userId: 'u777' }, command: 'points', args: '' }));
  await ms('engine_leaderboard_ms', '/leaderboard through the engine, median', () => engine.handle({ platform: 'console', communityKey: 'bench', actor, command: 'leaderboard', args: '' }));
  report('memory at end', mb());
  figures.rss_mib = process.memoryUsage().rss / 2 ** 20;
  if (process.argv.includes('--json')) console.log(JSON.stringify(Object.fromEntries(Object.entries(figures).map(([k, v]) => [k, Math.round(v * 100) / 100]))));
  raw.close();
  await db.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
