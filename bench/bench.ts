/**
 * npm run bench: prints speed and memory figures (never asserted in tests).
 *  - points awards/s through the full engine (/give: parse, zod, transaction, ledger row, balance)
 *  - points awards/s through the ledger service alone (one Prisma transaction per award)
 *  - the same update + ledger insert with raw better-sqlite3, in the same run, as the floor to compare with
 *  - activity awards/s through engine.activity + flush, against raw better-sqlite3 doing the same writes 100 per transaction
 *  - leaderboard (all-time, week, month) and own-rank query times with 100k members: own rank counted in the
 *    database and through the in-process rank index (with its build time and memory)
 * Options: `--members N` or BENCH_MEMBERS (default 100000), BENCH_AWARDS (default 2000), `--ledger-per-member N`
 *  (default 10: 1M members come with 10M ledger rows); `--json` ends with one
 * JSON line of the figures.
 *  `--slack`: the real Slack adapter (HTTP mode) on this database, signed /give slash commands at 50 concurrent
 *    (bench/slack.ts): ack and user-visible (response_url) latency, RSS, CPU per request.
 *  `--pg <url>` or BENCH_PG_URL: the award and board cases again on a throwaway PostgreSQL database on that server,
 *    with raw node-postgres as the floor and two instances vs one (bench/pg.ts); the JSON gets a `pg` object.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { openDatabase } from '../src/db/client.js';
import { migrateDeploy } from '../src/db/migrate.js';
import { Engine } from '../src/engine.js';
import { standingOf } from '../src/features/points/service.js';
import { periodKey } from '../src/core/time.js';
import { txScope } from '../src/infra/jobs.js';
import type { InProcessRankIndex } from '../src/infra/rank-index.js';
import { allCommands } from '../commands/index.js';
import { activityCase, awardCases, benchAdmin, boardCases, engineReadCases, fmt, mb, printReport, rounded, time, timed, type BenchCtx } from './cases.js';
import { slackBench } from './slack.js';
import { pgBench } from './pg.js';

const flag = (name: string) => { const i = process.argv.indexOf(name); return i >= 0 ? process.argv[i + 1] : undefined; };
const MEMBERS = Number(flag('--members') ?? process.env.BENCH_MEMBERS ?? 100_000);
if (!Number.isSafeInteger(MEMBERS) || MEMBERS < 1000) throw new Error('--members must be a whole number of at least 1000');
const AWARDS = Number(process.env.BENCH_AWARDS ?? 2_000);
/** Ledger rows seeded per member (history the write path's indexes carry; boards never read it). */
const LEDGER_PER_MEMBER = Number(flag('--ledger-per-member') ?? process.env.BENCH_LEDGER_PER_MEMBER ?? 10);
const PG_URL = flag('--pg') ?? process.env.BENCH_PG_URL;

const dir = mkdtempSync(join(tmpdir(), 'engage-bench-'));
const file = join(dir, 'bench.db');
const url = `file:${file}`;
const figures: Record<string, number> = { members: MEMBERS };
const report = printReport;

try {
  await migrateDeploy(url);
  const db = await openDatabase(url);
  const engine = new Engine(db, { commands: allCommands, onError: (e) => { throw e; } });
  console.log(`engage bench: SQLite file (WAL, synchronous=NORMAL), ${fmt(MEMBERS)} members, ${fmt(AWARDS)} awards per case\n`);

  // Seed the community and members with raw SQL (setup only, not measured).
  await engine.handle({ platform: 'console', communityKey: 'bench', actor: benchAdmin, command: 'points', args: '' });
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
      for (let k = 0; k < LEDGER_PER_MEMBER; k++) insL.run(community.id, `m${i}`, k === 0 ? 1 + (i % 50) : 0, 0, 'grant', 'seed', `seed:${i}:${k}`, now);
      for (const p of periods) insT.run(community.id, p, `m${i}`, 1 + (i % 50));
    }
  })();
  report('seeded', `${fmt(MEMBERS)} members, ${fmt(MEMBERS * LEDGER_PER_MEMBER)} ledger rows, ${fmt(2 * MEMBERS)} week/month totals, ${mb()}`);

  // 1-2. Full engine path, then the ledger service alone (one transaction per award).
  const ctx: BenchCtx = { engine, db, communityId: community.id, communityKey: 'bench', members: MEMBERS, awards: AWARDS, figures, report };
  const { tEngine } = await awardCases(ctx);

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
  await activityCase(ctx, actBase);
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
  // Own rank: counted in the database (PostgreSQL without Redis does this), then through the in-process
  // rank index SQLite uses (src/infra/rank-index.ts), built once from the database first.
  await boardCases(ctx);
  const ms = timed(ctx);
  const index = engine.ranks as InProcessRankIndex;
  const rssBefore = process.memoryUsage().rss;
  const [, tBuild] = await time(() => Promise.all(['all', ...periods].map((p) => index.warm(community.id, p))));
  report('rank index build (all time, week, month boards)', `${fmt((figures.rank_index_build_ms = tBuild), 0)} ms, +${fmt((figures.rank_index_mib = (process.memoryUsage().rss - rssBefore) / 2 ** 20), 0)} MiB RSS`);
  const ranked = txScope(db.prisma as never, new Date(), Math.random, { ranks: index });
  await ms('rank_all_ms', 'own rank, all time, rank index, median', () => standingOf(ranked, community.id, 'm777', 'all', 'UTC'));
  await ms('rank_week_ms', 'own rank, this week, rank index, median', () => standingOf(ranked, community.id, 'm777', 'week', 'UTC'));
  await ms('rank_month_ms', 'own rank, this month, rank index, median', () => standingOf(ranked, community.id, 'm777', 'month', 'UTC'));
  await engineReadCases(ctx);
  report('memory at end', mb());
  figures.rss_mib = process.memoryUsage().rss / 2 ** 20;

  // 5. The real Slack adapter (HTTP mode) on this database, against a fake Slack Web API.
  if (process.argv.includes('--slack')) {
    console.log('\nSlack adapter (HTTP mode, signed /give slash commands, 50 concurrent)');
    Object.assign(figures, await slackBench({ engine, db, communityId: community.id, members: MEMBERS, report }));
  }
  raw.close();
  await db.close();

  // 6. The same award and board cases on PostgreSQL.
  let pgFigures: Record<string, number> | undefined;
  if (PG_URL) {
    console.log('\nPostgreSQL (@prisma/adapter-pg), throwaway database');
    pgFigures = await pgBench({ adminUrl: PG_URL, members: MEMBERS, awards: AWARDS, report });
  }
  if (process.argv.includes('--json')) console.log(JSON.stringify(rounded({ ...figures, ...(pgFigures ? { pg: pgFigures } : {}) })));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
