import { describe, it, expect, afterEach } from 'vitest';
import { testBot, seeded, Clock, HOUR, type TestBot } from './helpers.js';
import { InProcessRankIndex, SortedScores } from '../src/infra/rank-index.js';
import { applyPoints, standingOf } from '../src/features/points/service.js';
import { jobHandlers } from '../src/features/jobs.js';
import { periodKey } from '../src/core/time.js';
import { txScope } from '../src/infra/jobs.js';

/**
 * The in-process rank index (SQLite): what it answers must be what counting the database answers, after
 * every committed change, and nothing of a rolled-back one.
 */
let bot: TestBot;
afterEach(async () => bot?.close());

const admin = { role: 'admin' as const };

describe('sorted scores', () => {
  it('count strictly greater like a brute-force list, over random inserts and removals with ties and negatives', () => {
    const rnd = seeded(7);
    const s = new SortedScores();
    const model: number[] = [];
    for (let step = 0; step < 6000; step++) {
      if (model.length > 0 && rnd(3) === 0) {
        const v = model.splice(rnd(model.length), 1)[0];
        expect(s.remove(v)).toBe(true);
      } else {
        const v = rnd(60) - 20; // many ties, some negatives
        model.push(v);
        s.insert(v);
      }
      if (step % 97 === 0) {
        for (let q = -25; q <= 45; q += 3) expect(s.countGreater(q)).toBe(model.filter((x) => x > q).length);
        expect(s.length).toBe(model.length);
      }
    }
    expect(s.remove(1_000_000)).toBe(false);
  });
});

describe('in-process rank index', () => {
  it('answers what the database counts over random grants and takes, with ties, zeros and a new week', async () => {
    const clock = new Clock('2026-11-27T12:00:00Z'); // Friday: the week turns on Monday
    bot = await testBot({ clock });
    const users = Array.from({ length: 10 }, (_, i) => `u${i}`);
    for (const u of users) await bot.run(u, '/points');
    const communityId = (await bot.db.prisma.community.findFirstOrThrow()).id;
    const ranks = bot.engine.ranks as InProcessRankIndex;
    expect(ranks).toBeInstanceOf(InProcessRankIndex);
    const keys = () => ['all', periodKey('week', clock.now(), 'UTC'), periodKey('month', clock.now(), 'UTC')];

    /** Every probe score on every board: the index's rank and size against counting rows. */
    const check = async (label: string) => {
      for (const key of keys()) {
        await ranks.warm(communityId, key);
        const scores = key === 'all'
          ? (await bot.db.prisma.member.findMany({ where: { communityId }, select: { lifetimePoints: true } })).map((m) => m.lifetimePoints)
          : (await bot.db.prisma.pointsTotal.findMany({ where: { communityId, period: key } })).map((t) => t.points);
        // Ranks are asked for members with more than 0 points (the others are unranked).
        for (const p of new Set([...scores, 1, 1000].filter((x) => x > 0))) {
          expect(await ranks.rank(communityId, key, p), `${label} ${key} rank of ${p}`).toBe(1 + scores.filter((x) => x > p).length);
        }
        expect(await ranks.size(communityId, key), `${label} ${key} size`).toBe(scores.filter((x) => x > 0).length);
      }
      // And standingOf through the index is standingOf counting rows.
      const withIndex = txScope(bot.db.prisma as never, clock.now(), Math.random, { ranks });
      const without = txScope(bot.db.prisma as never, clock.now(), Math.random);
      for (const u of users) {
        const id = (await bot.memberOf(u)).id;
        for (const p of ['all', 'week', 'month'] as const) {
          expect(await standingOf(withIndex, communityId, id, p, 'UTC'), `${label} ${p} standing of ${u}`).toEqual(await standingOf(without, communityId, id, p, 'UTC'));
        }
      }
    };

    await check('empty');
    const rnd = seeded(11);
    for (let step = 0; step < 60; step++) {
      const u = users[rnd(users.length)];
      const { balance } = await bot.memberOf(u);
      const r = balance > 0 && rnd(3) === 0
        ? await bot.run('boss', `/take @${u} ${rnd(2) ? balance : 1 + rnd(balance)}`, admin) // sometimes down to 0
        : await bot.run('boss', `/give @${u} ${1 + rnd(4)}`, admin); // small amounts: ties
      expect(r.error).toBeUndefined();
      if (step % 6 === 5) await check(`step ${step}`);
      clock.advance(3 * HOUR); // 60 steps: 7.5 days, over a week boundary (and into December)
    }
    expect(clock.now() > new Date('2026-12-01T00:00:00Z')).toBe(true);
    await check('end');
  });

  it('follows a /link merge, and takes nothing from a rolled-back job', async () => {
    let fail = false;
    const clock = new Clock();
    bot = await testBot({
      clock,
      jobs: { ...jobHandlers, 'contest.end': async (s) => {
        const communityId = (await bot.db.prisma.community.findFirstOrThrow()).id;
        const m = await bot.memberOf('ann');
        await applyPoints(s, { communityId, memberId: m.id, delta: 500, kind: 'grant', reason: 'job', idempotencyKey: `job:${fail}` });
        if (fail) throw new Error('the job fails after granting');
      } },
      onError: () => {},
    });
    const tg = { platform: 'telegram' as const, communityKey: '-100' };
    const cat = { ...tg, actor: { platform: 'telegram' as const, userId: '77', displayName: 'cat' } };
    const tgAdmin = { ...tg, actor: { platform: 'telegram' as const, userId: '5', displayName: 'tg-admin', platformRole: 'admin' as const } };
    for (const u of ['ann', 'ben']) await bot.run(u, '/points');
    const bind = (await bot.run('boss', '/community bind', admin)).text.match(/\*\*(\w+)\*\*/)![1];
    expect((await bot.run('x', `/community bind ${bind}`, tgAdmin)).error).toBeUndefined();
    await bot.run('x', '/points', cat);
    await bot.run('boss', '/give @ann 10', admin);
    await bot.run('boss', '/give @ben 20', admin);
    expect((await bot.run('x', '/give 77 30', tgAdmin)).error).toBeUndefined();
    const communityId = (await bot.db.prisma.community.findFirstOrThrow()).id;
    const ranks = bot.engine.ranks as InProcessRankIndex;
    await ranks.warm(communityId, 'all');
    expect(await ranks.rank(communityId, 'all', 10)).toBe(3);

    // A job that grants 500 and then fails: rolled back, the index does not see the 500.
    fail = true;
    await bot.db.prisma.scheduledJob.create({ data: { kind: 'contest.end', refId: 1, runAt: clock.now() } });
    await bot.engine.runDueJobs();
    expect((await bot.memberOf('ann')).lifetimePoints).toBe(10);
    expect(await ranks.rank(communityId, 'all', 10)).toBe(3);
    expect(await ranks.rank(communityId, 'all', 510)).toBe(1);
    // The same job committing: the index follows after the commit.
    fail = false;
    clock.advance(10 * 60_000);
    await bot.engine.runDueJobs();
    expect((await bot.memberOf('ann')).lifetimePoints).toBe(510);
    expect(await ranks.rank(communityId, 'all', 30)).toBe(2);
    expect(await ranks.size(communityId, 'all')).toBe(3);

    // ben links a Telegram account (cat's member): its 30 become ben's, that member leaves the boards.
    const code = (await bot.run('ben', '/link')).text.match(/\*\*(\w+)\*\*/)![1];
    expect((await bot.run('x', `/link ${code}`, cat)).error).toBeUndefined();
    expect(await ranks.size(communityId, 'all')).toBe(2);
    expect(await ranks.rank(communityId, 'all', 50)).toBe(2);
    expect(await ranks.rank(communityId, 'all', 49)).toBe(3);
    const week = periodKey('week', clock.now(), 'UTC');
    await ranks.warm(communityId, week);
    expect(await ranks.size(communityId, week)).toBe(await bot.db.prisma.pointsTotal.count({ where: { communityId, period: week, points: { gt: 0 } } }));
  });

  it('ignores a change older than the one it holds for the member, built or while building', async () => {
    bot = await testBot();
    const ranks = new InProcessRankIndex(bot.db.prisma);
    const change = (points: number, version: number) => ({ communityId: 'c-versions', period: 'all', memberId: 'm1', points, version });
    await ranks.warm('c-versions', 'all');
    await ranks.update([change(50, 5)]);
    await ranks.update([change(20, 4)]);
    await ranks.update([change(0, 3)]);
    expect(await ranks.rank('c-versions', 'all', 49)).toBe(2);
    expect(await ranks.size('c-versions', 'all')).toBe(1);
    // Changes that arrive while the board is read from the database keep the same rule.
    const building = ranks.warm('c-versions', 'w:2026-11-23');
    await ranks.update([{ ...change(50, 5), period: 'w:2026-11-23' }, { ...change(20, 4), period: 'w:2026-11-23' }]);
    await building;
    expect(await ranks.rank('c-versions', 'w:2026-11-23', 49)).toBe(2);
    expect(await ranks.rank('c-versions', 'w:2026-11-23', 20)).toBe(2);
  });

  it('applies changes without a version whatever it holds', async () => {
    bot = await testBot();
    const ranks = new InProcessRankIndex(bot.db.prisma);
    const change = { communityId: 'c-versions', period: 'all', memberId: 'm1' };
    await ranks.warm('c-versions', 'all');
    await ranks.update([{ ...change, points: 30 }]);
    expect(await ranks.rank('c-versions', 'all', 29)).toBe(2);
    await ranks.update([{ ...change, points: 50, version: 5 }]);
    await ranks.update([{ ...change, points: 20 }]);
    expect(await ranks.rank('c-versions', 'all', 49)).toBe(1);
    expect(await ranks.rank('c-versions', 'all', 19)).toBe(2);
    await ranks.update([{ ...change, points: 0 }]);
    expect(await ranks.size('c-versions', 'all')).toBe(0);
  });

  it('keeps no more boards than asked, and only the newest week of a community', async () => {
    bot = await testBot();
    await bot.run('ann', '/points');
    const communityId = (await bot.db.prisma.community.findFirstOrThrow()).id;
    const ranks = new InProcessRankIndex(bot.db.prisma, { maxBoards: 2 });
    await ranks.warm(communityId, 'w:2026-11-16');
    await ranks.warm(communityId, 'w:2026-11-23'); // newer week: the older one goes
    expect(await ranks.rank(communityId, 'w:2026-11-16', 1)).toBeNull(); // not held: asked again, it is rebuilt
    await ranks.warm(communityId, 'all');
    await ranks.warm(communityId, 'm:2026-11');
    expect((ranks as unknown as { slots: Map<string, unknown> }).slots.size).toBeLessThanOrEqual(2);
  });
});
