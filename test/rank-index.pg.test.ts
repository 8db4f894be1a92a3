import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { Redis } from 'ioredis';
import { openDatabase, type Database } from '../src/db/client.js';
import { Engine } from '../src/engine.js';
import { allCommands } from '../commands/index.js';
import { Clock, seeded } from './helpers.js';
import { freshPg, PG_ADMIN_URL, slackCmd as cmd } from './pg.js';
import { redisRankIndex, type RedisRankIndex } from '../src/infra/rank-index.js';
import { applyPoints, standingOf } from '../src/features/points/service.js';
import { jobHandlers } from '../src/features/jobs.js';
import { periodKey } from '../src/core/time.js';
import { txScope } from '../src/infra/jobs.js';

/**
 * The Redis rank index against a real Redis server (TEST_REDIS_URL; scripts/start-redis.sh) with two
 * engines on one PostgreSQL database, each with its own Redis client as two processes would have: both
 * rank alike after grants on either, as counting the database does, and a rolled-back change is not seen.
 */
const REDIS_URL = process.env.TEST_REDIS_URL;
if (process.env.CI && !REDIS_URL) throw new Error('TEST_REDIS_URL must be set in CI (scripts/test.sh starts Redis)');

describe.skipIf(!PG_ADMIN_URL || !REDIS_URL)('Redis rank index between two instances (PostgreSQL)', () => {
  let pg: Awaited<ReturnType<typeof freshPg>>;
  let a: Database, b: Database;
  let r1: RedisRankIndex, r2: RedisRankIndex;
  let e1: Engine, e2: Engine;
  let fail = false;
  const clock = new Clock();
  const users = ['UANN', 'UBEN', 'UCAT', 'UDAN', 'UEVE'];

  beforeAll(async () => {
    pg = await freshPg('ranks');
    await pg.migrate();
    a = await openDatabase(pg.url);
    b = await openDatabase(pg.url);
    r1 = redisRankIndex(a, REDIS_URL!);
    r2 = redisRankIndex(b, REDIS_URL!);
    const jobs = { ...jobHandlers, 'contest.end': async (s: Parameters<typeof jobHandlers['contest.end']>[0]) => {
      const id = (await a.prisma.identity.findFirstOrThrow({ where: { platformUserId: 'UANN' } })).memberId;
      const communityId = (await a.prisma.community.findFirstOrThrow()).id;
      await applyPoints(s, { communityId, memberId: id, delta: 1000, kind: 'grant', reason: 'job', idempotencyKey: `job:${fail}` });
      if (fail) throw new Error('the job fails after granting');
    } };
    e1 = new Engine(a, { commands: allCommands, now: clock.now, random: seeded(1), onError: () => {}, ranks: r1, jobs });
    e2 = new Engine(b, { commands: allCommands, now: clock.now, random: seeded(2), onError: () => {}, ranks: r2 });
  });
  afterAll(async () => {
    await r1?.close(); await r2?.close();
    await a?.close(); await b?.close();
    await pg?.drop();
  });

  /** Both indexes and the database count agree on every member's rank and standing, on every board. */
  async function agree(communityId: string, label: string) {
    const keys = ['all', periodKey('week', clock.now(), 'UTC'), periodKey('month', clock.now(), 'UTC')];
    for (const key of keys) {
      const scores = key === 'all'
        ? (await a.prisma.member.findMany({ where: { communityId }, select: { lifetimePoints: true } })).map((m) => m.lifetimePoints)
        : (await a.prisma.pointsTotal.findMany({ where: { communityId, period: key } })).map((t) => t.points);
      for (const p of new Set([...scores, 1].filter((x) => x > 0))) {
        const want = 1 + scores.filter((x) => x > p).length;
        expect([await r1.rank(communityId, key, p), await r2.rank(communityId, key, p)], `${label} ${key} rank of ${p}`).toEqual([want, want]);
      }
      expect(await r2.size(communityId, key)).toBe(scores.filter((x) => x > 0).length);
    }
    for (const u of users) {
      const id = (await a.prisma.identity.findFirstOrThrow({ where: { platformUserId: u } })).memberId;
      for (const p of ['all', 'week', 'month'] as const) {
        const counted = await standingOf(txScope(a.prisma as never, clock.now(), Math.random), communityId, id, p, 'UTC');
        expect(await standingOf(txScope(b.prisma as never, clock.now(), Math.random, { ranks: r2 }), communityId, id, p, 'UTC'), `${label} ${p} standing of ${u}`).toEqual(counted);
      }
    }
  }

  it('ranks alike on both instances after grants and takes on either, ties included', async () => {
    for (const u of users) await e1.handle(cmd(u, '/points'));
    const communityId = (await a.prisma.community.findFirstOrThrow()).id;
    const keys = ['all', periodKey('week', clock.now(), 'UTC'), periodKey('month', clock.now(), 'UTC')];
    // /points asked for a rank, which started building 'all' (answered from the database meanwhile);
    // here every board is built and awaited.
    for (const key of keys) await r1.build(communityId, key);
    await agree(communityId, 'start');
    const rnd = seeded(5);
    for (let step = 0; step < 24; step++) {
      const e = step % 2 ? e2 : e1;
      const u = users[rnd(users.length)];
      const r = rnd(4) === 0
        ? await e.handle(cmd('UADMIN', `/take <@${u}> 1`))
        : await e.handle(cmd('UADMIN', `/give <@${u}> ${1 + rnd(3)}`));
      if (r.error) expect(r.error.code).toBe('points:error.negative');
      if (step % 4 === 3) await agree(communityId, `step ${step}`);
    }
    // Concurrent grants on both instances.
    await Promise.all(users.flatMap((u, i) => [e1.handle(cmd('UADMIN', `/give <@${u}> ${i % 2 + 1}`)), e2.handle(cmd('UADMIN', `/give <@${u}> 2`))]));
    await agree(communityId, 'concurrent');
  });

  it('ignores a change older than the one it holds, whichever instance sends it', async () => {
    // The script is sent again when the server has forgotten it.
    const admin = new Redis(REDIS_URL!);
    await admin.script('FLUSH');
    await admin.quit();
    const week = 'w:2026-11-23';
    const change = (period: string, points: number, version: number) => ({ communityId: 'c-versions', period, memberId: 'm1', points, version });
    for (const key of ['all', week]) {
      await r1.build('c-versions', key);
      await r1.update([change(key, 50, 5)]);
      await r2.update([change(key, 20, 4)]);
      await r2.update([change(key, 0, 3)]);
      expect([await r1.rank('c-versions', key, 49), await r2.rank('c-versions', key, 20)], key).toEqual([2, 2]);
      expect(await r2.size('c-versions', key), key).toBe(1);
    }
    // A newer version still applies, a removal included.
    await r2.update([change('all', 0, 6)]);
    expect(await r1.size('c-versions', 'all')).toBe(0);
  });

  it('applies changes without a version whatever it holds', async () => {
    const change = { communityId: 'c-unversioned', period: 'all', memberId: 'm1' };
    await r1.build('c-unversioned', 'all');
    await r1.update([{ ...change, points: 30 }]);
    expect(await r2.rank('c-unversioned', 'all', 29)).toBe(2);
    await r1.update([{ ...change, points: 50, version: 5 }]);
    await r2.update([{ ...change, points: 20 }]);
    expect([await r1.rank('c-unversioned', 'all', 49), await r1.rank('c-unversioned', 'all', 19)]).toEqual([1, 2]);
    await r2.update([{ ...change, points: 0 }]);
    expect(await r1.size('c-unversioned', 'all')).toBe(0);
  });

  it('does not take a rolled-back grant into the index', async () => {
    const communityId = (await a.prisma.community.findFirstOrThrow()).id;
    const before = (await a.prisma.member.findMany({ where: { communityId }, select: { lifetimePoints: true } })).map((m) => m.lifetimePoints);
    const top = Math.max(...before);
    fail = true;
    await a.prisma.scheduledJob.create({ data: { kind: 'contest.end', refId: 1, runAt: clock.now() } });
    await e1.runDueJobs();
    expect(await r2.rank(communityId, 'all', top)).toBe(1);
    expect(await r2.rank(communityId, 'all', top - 1)).toBeGreaterThan(1);
    await agree(communityId, 'after rollback');
    fail = false;
    clock.advance(10 * 60_000);
    await e1.runDueJobs();
    await agree(communityId, 'after the job committed');
    expect(await r2.rank(communityId, 'all', top)).toBe(2);
  });
});
