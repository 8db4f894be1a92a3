/**
 * `npm run bench -- --pg <url>` (or BENCH_PG_URL): the award and board cases on PostgreSQL. A throwaway database
 * is created on that server, migrated, seeded with raw SQL (INSERT ... SELECT generate_series) and dropped at the
 * end. Raw node-postgres doing the same writes (one transaction per award, and 100 per transaction) is the floor;
 * two engines (two Prisma clients, two pools, as two bot processes) issuing /give concurrently show the scaling
 * against one engine at the same concurrency each.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { availableParallelism } from 'node:os';
import pg from 'pg';
import { openDatabase } from '../src/db/client.js';
import { migrateDeploy } from '../src/db/migrate.js';
import { Engine } from '../src/engine.js';
import { periodKey } from '../src/core/time.js';
import { allCommands } from '../commands/index.js';
import { activityCase, awardCases, benchAdmin, boardCases, concurrentGives, engineReadCases, fmt, mb, time, type BenchCtx, type Report } from './cases.js';

export interface PgBenchOptions {
  /** A server URL whose user may create databases. */
  adminUrl: string;
  members: number;
  awards: number;
  report: Report;
  /** /give requests in flight per engine in the one- vs two-instance case (default 10, the pool size). */
  concurrency?: number;
}

async function admin(adminUrl: string, sql: string) {
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  try { await c.query(sql); } finally { await c.end(); }
}

export async function pgBench(o: PgBenchOptions): Promise<Record<string, number>> {
  const { members: MEMBERS, awards: AWARDS, report } = o;
  const concurrency = o.concurrency ?? 10;
  const name = `engage_bench_${process.pid}_${Date.now()}`;
  await admin(o.adminUrl, `CREATE DATABASE ${name}`);
  const u = new URL(o.adminUrl);
  u.pathname = `/${name}`;
  const url = u.toString();
  // The scaling figures are bound by this machine's cores (shared with the PostgreSQL server when it is local).
  const figures: Record<string, number> = { members: MEMBERS, cpus: availableParallelism() };
  const opened: { close(): Promise<void> }[] = [];
  const raw = new pg.Client({ connectionString: url });
  try {
    await migrateDeploy(url);
    const db = await openDatabase(url);
    opened.push(db);
    const engine = new Engine(db, { commands: allCommands, onError: (e) => { throw e; } });
    await engine.handle({ platform: 'console', communityKey: 'bench', actor: benchAdmin, command: 'points', args: '' });
    const community = await db.prisma.community.findFirstOrThrow();
    const cid = community.id;
    await raw.connect();
    opened.push({ close: () => raw.end() });

    // Seed (setup only, not measured): the same rows bench.ts seeds into SQLite.
    const periods = [periodKey('week', new Date(), 'UTC'), periodKey('month', new Date(), 'UTC')];
    const [, tSeed] = await time(async () => {
      await raw.query(`INSERT INTO "Member" ("id", "communityId", "displayName", "role", "balance", "lifetimePoints", "referralCode")
        SELECT 'm' || i, $1, 'member' || i, 'member', p, p, 'C' || upper(to_hex(i)) FROM (SELECT i, floor(random() * 10000)::int AS p FROM generate_series(0, $2 - 1) i) s`, [cid, MEMBERS]);
      await raw.query(`INSERT INTO "Identity" ("communityId", "platform", "platformUserId", "username", "memberId")
        SELECT $1, 'console', 'u' || i, 'u' || i, 'm' || i FROM generate_series(0, $2 - 1) i`, [cid, MEMBERS]);
      await raw.query(`INSERT INTO "LedgerEntry" ("communityId", "memberId", "delta", "balanceAfter", "kind", "reason", "idempotencyKey")
        SELECT $1, 'm' || i, 1 + i % 50, 0, 'grant', 'seed', 'seed:' || i FROM generate_series(0, $2 - 1) i`, [cid, MEMBERS]);
      await raw.query(`INSERT INTO "PointsTotal" ("communityId", "period", "memberId", "points")
        SELECT $1, p, 'm' || i, 1 + i % 50 FROM generate_series(0, $2 - 1) i, unnest($3::text[]) p`, [cid, MEMBERS, periods]);
      await raw.query('ANALYZE');
    });
    report('seeded', `${fmt(MEMBERS)} members, ${fmt(MEMBERS)} ledger rows, ${fmt(2 * MEMBERS)} week/month totals in ${fmt(tSeed / 1000, 1)} s`);

    const ctx: BenchCtx = { engine, db, communityId: cid, communityKey: 'bench', members: MEMBERS, awards: AWARDS, figures, report };
    const { tEngine } = await awardCases(ctx);

    // Raw node-postgres: the same balance update + ledger insert + week/month totals, one transaction per award.
    const award = async (m: string, key: string, kind: string) => {
      const { rows } = await raw.query('UPDATE "Member" SET "balance" = "balance" + 2, "lifetimePoints" = "lifetimePoints" + 2 WHERE "id" = $1 RETURNING "balance"', [m]);
      await raw.query('INSERT INTO "LedgerEntry" ("communityId", "memberId", "delta", "balanceAfter", "kind", "reason", "idempotencyKey", "createdAt") VALUES ($1, $2, 2, $3, $4, \'bench\', $5, $6)', [cid, m, rows[0].balance, kind, key, new Date()]);
      await raw.query('INSERT INTO "PointsTotal" ("communityId", "period", "memberId", "points") VALUES ($1, $2, $4, 2), ($1, $3, $4, 2) ON CONFLICT ("communityId", "period", "memberId") DO UPDATE SET "points" = "PointsTotal"."points" + excluded."points"', [cid, periods[0], periods[1], m]);
    };
    const [, tRaw] = await time(async () => {
      for (let i = 0; i < AWARDS; i++) {
        await raw.query('BEGIN');
        await award(`m${i % MEMBERS}`, `r${i}`, 'grant');
        await raw.query('COMMIT');
      }
    });
    report('awards/s, raw node-postgres (same update, ledger, totals)', fmt((figures.raw_tx_per_s = (AWARDS / tRaw) * 1000)));
    report('  engine overhead vs raw', `${fmt(tEngine / tRaw, 1)}x`);

    const actBase = Math.min(10_000, MEMBERS - AWARDS);
    await activityCase(ctx, actBase);
    const [, tBatch] = await time(async () => {
      for (let i = 0; i < AWARDS; i += 100) {
        await raw.query('BEGIN');
        for (let k = i; k < Math.min(AWARDS, i + 100); k++) await award(`m${(actBase + AWARDS + k) % MEMBERS}`, `rb${k}`, 'activity');
        await raw.query('COMMIT');
      }
    });
    report('awards/s, raw node-postgres batched (100 per transaction)', fmt((figures.raw_batch_per_s = (AWARDS / tBatch) * 1000)));
    report('  /give vs raw per-transaction; activity vs raw batched', `${fmt((100 * figures.give_per_s) / figures.raw_tx_per_s, 1)}%; ${fmt((100 * figures.activity_per_s) / figures.raw_batch_per_s, 1)}%`);

    // One instance vs two (two Prisma clients, two pools), `concurrency` /give in flight on each, distinct members.
    const db2 = await openDatabase(url);
    opened.push(db2);
    const engine2 = new Engine(db2, { commands: allCommands, onError: (e) => { throw e; } });
    const base = Math.min(20_000, MEMBERS - 6 * AWARDS);
    const gives = (e: Engine, from: number, n: number, tag: string) => concurrentGives(e, { from, n, concurrency, base, members: MEMBERS, tag });
    /** Wall time of fn and the share of it this process spent on CPU. */
    const busy = async (fn: () => Promise<unknown>): Promise<[number, number]> => {
      const c0 = process.cpuUsage();
      const [, ms] = await time(fn);
      const c = process.cpuUsage(c0);
      return [ms, (c.user + c.system) / 1000 / ms];
    };
    await gives(engine2, 0, 100, 'warm'); // the second client's connections and prepared plans
    const [tOne, cpuOne] = await busy(() => gives(engine, 0, AWARDS, 'one'));
    report(`awards/s, one instance, ${concurrency} /give in flight`, `${fmt((figures.one_instance_per_s = (AWARDS / tOne) * 1000))} (bench process CPU ${fmt(100 * cpuOne)}% busy)`);
    const [tTwo, cpuTwo] = await busy(() => Promise.all([gives(engine, AWARDS, AWARDS, 'two'), gives(engine2, 2 * AWARDS, AWARDS, 'two')]));
    report(`awards/s, two instances in this process, ${concurrency} in flight each`, `${fmt((figures.two_instances_per_s = ((2 * AWARDS) / tTwo) * 1000))} (${fmt(figures.two_instances_per_s / figures.one_instance_per_s, 2)}x; CPU ${fmt(100 * cpuTwo)}% busy)`);
    // Two bot processes: the second engine in a child process, so the instances do not share one CPU.
    const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(new URL('./pg-instance.ts', import.meta.url)), url], { stdio: ['pipe', 'pipe', 'inherit'] });
    try {
      const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
      const read = async () => {
        const { value, done } = await lines.next();
        if (done) throw new Error('pg bench: the second process ended early');
        return JSON.parse(String(value));
      };
      child.stdin!.write(`${JSON.stringify({ from: 4 * AWARDS, n: AWARDS, concurrency, base, members: MEMBERS })}\n`);
      await read();
      const [, tProc] = await time(() => {
        child.stdin!.write('go\n');
        return Promise.all([gives(engine, 3 * AWARDS, AWARDS, 'procA'), read()]);
      });
      report(`awards/s, two processes, ${concurrency} in flight each`, `${fmt((figures.two_processes_per_s = ((2 * AWARDS) / tProc) * 1000))} (${fmt(figures.two_processes_per_s / figures.one_instance_per_s, 2)}x)`);
    } finally {
      child.kill();
    }

    // Leaderboards and own rank (counted in the database: PostgreSQL without Redis), then through the engine.
    await boardCases(ctx);
    await engineReadCases(ctx);
    report('memory at end', mb());
    return figures;
  } finally {
    for (const c of opened.reverse()) await c.close().catch(() => undefined);
    await admin(o.adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
}
