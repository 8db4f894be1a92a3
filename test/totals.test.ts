import { describe, it, expect, afterEach } from 'vitest';
import { testBot, seeded, Clock, MIN, type TestBot } from './helpers.js';
import { backfillDifferences, totalsViolations } from './invariants.js';
import { EARNING_KINDS, leaderboard, standingOf, type Period } from '../src/features/points/service.js';
import { periodStart } from '../src/core/time.js';
import { txScope } from '../src/infra/jobs.js';

/**
 * Week and month boards read stored totals (PointsTotal), kept in the same transaction as the ledger:
 * they must say what the ledger says, across week and month boundaries in the community's zone.
 */
let bot: TestBot;
afterEach(async () => bot?.close());

const ZONE = 'Asia/Seoul';
const USERS = ['ann', 'ben', 'cat', 'dan', 'eve', 'fay'];
const admin = { role: 'admin' as const };

/** The board as the ledger has it: earning rows since the period began, summed per member, ranked 1, 2, 2, 4. */
async function ledgerBoard(period: Exclude<Period, 'all'>, communityId: string, now: Date, merged = new Map<string, string>()) {
  const rows = await bot.db.prisma.ledgerEntry.findMany({ where: { communityId, kind: { in: EARNING_KINDS }, createdAt: { gte: periodStart(period, now, ZONE)! } } });
  const sums = new Map<string, number>();
  for (const r of rows) {
    const who = merged.get(r.memberId) ?? r.memberId;
    sums.set(who, (sums.get(who) ?? 0) + r.delta);
  }
  const rank = (points: number) => points > 0 ? 1 + [...sums.values()].filter((p) => p > points).length : null;
  const board = [...sums].filter(([, p]) => p > 0).map(([memberId, points]) => ({ memberId, points, rank: rank(points)! }));
  return { sums, rank, board: board.sort((a, b) => a.memberId.localeCompare(b.memberId)) };
}

/** What the service answers (board and everyone's standing) next to what the ledger says. */
async function compare(communityId: string, memberIds: string[], merged?: Map<string, string>) {
  const now = bot.clock.now();
  const s = txScope(bot.db.prisma as never, now, Math.random);
  for (const period of ['week', 'month'] as const) {
    const want = await ledgerBoard(period, communityId, now, merged);
    const got = await leaderboard(s, communityId, period, ZONE, 100);
    expect(got.map(({ memberId, points, rank }) => ({ memberId, points, rank })).sort((a, b) => a.memberId.localeCompare(b.memberId)), `${period} board at ${now.toISOString()}`).toEqual(want.board);
    // A short board is the top of the full one, best first.
    const top3 = await leaderboard(s, communityId, period, ZONE, 3);
    expect(top3.map((r) => r.points)).toEqual(want.board.map((r) => r.points).sort((a, b) => b - a).slice(0, 3));
    for (const id of memberIds) {
      const points = want.sums.get(id) ?? 0;
      expect(await standingOf(s, communityId, id, period, ZONE), `${period} standing of ${id}`).toEqual({ points, rank: want.rank(points) });
    }
  }
}

/** Random grants, takes and redemptions (reward #1) among USERS until `end`, with `check` every few steps. */
async function randomActivity(seed: number, end: number, check: () => Promise<void>) {
  const rnd = seeded(seed);
  let steps = 0;
  while (bot.clock.t < end) {
    const user = USERS[rnd(USERS.length)];
    const balance = (await bot.memberOf(user)).balance;
    const roll = rnd(10);
    let r;
    if (roll < 5 || balance === 0) r = await bot.run('boss', `/give @${user} ${1 + rnd(30)}`, admin);
    else if (roll < 8) r = await bot.run('boss', `/take @${user} ${1 + rnd(balance)}`, admin);
    else r = await bot.run(user, '/redeem 1');
    expect(r.error?.code === 'errors:internal', r.text).toBe(false);
    if (++steps % 6 === 0) await check();
    bot.clock.advance((20 + rnd(100)) * MIN);
  }
  return steps;
}

describe('week and month totals', () => {
  it('match the ledger over random grants, takes and spending across a week and a month boundary in Asia/Seoul', async () => {
    // Sunday 2026-11-29 19:00 in Seoul: the week turns at 2026-11-29T15:00Z, the month at 2026-11-30T15:00Z.
    bot = await testBot({ clock: new Clock('2026-11-29T10:00:00Z') });
    await bot.run('boss', `/settings timezone:${ZONE}`, admin);
    await bot.run('boss', '/reward add 5 Sticker', admin);
    for (const u of USERS) await bot.run(u, '/points');
    const ids = await Promise.all(USERS.map(async (u) => (await bot.memberOf(u)).id));
    const { id: communityId } = await bot.db.prisma.community.findFirstOrThrow();
    const steps = await randomActivity(7, Date.parse('2026-12-01T06:00:00Z'), () => compare(communityId, ids));
    await compare(communityId, ids);
    expect(steps).toBeGreaterThan(30);
    expect(await totalsViolations(bot.db.prisma, communityId)).toEqual([]);
    // Both boundaries were crossed: three weeks' and two months' rows.
    const periods = new Set((await bot.db.prisma.pointsTotal.findMany()).map((t) => t.period));
    expect([...periods].sort()).toEqual(['m:2026-11', 'm:2026-12', 'w:2026-11-23', 'w:2026-11-30']);
  });

  it('move to the member an account is linked to, so the merged boards are not split', async () => {
    bot = await testBot({ clock: new Clock('2026-11-20T10:00:00Z') });
    const d = { platform: 'discord' as const, communityKey: 'guild-1' };
    const t = { platform: 'telegram' as const, communityKey: '-100200' };
    const as = (platform: 'discord' | 'telegram', id: string) => ({ actor: { platform, userId: id, displayName: `${platform}-${id}` } });
    const dAdmin = { ...d, actor: { platform: 'discord' as const, userId: '999', displayName: 'admin', platformRole: 'admin' as const } };
    const tAdmin = { ...t, actor: { platform: 'telegram' as const, userId: '5', displayName: 'tg-admin', platformRole: 'admin' as const } };
    await bot.run('x', `/settings timezone:${ZONE}`, dAdmin);
    const bind = (await bot.run('x', '/community bind', dAdmin)).text.match(/\*\*(\w+)\*\*/)![1];
    await bot.run('x', `/community bind ${bind}`, tAdmin);
    await bot.run('x', '/points', { ...d, ...as('discord', '111') });
    await bot.run('x', '/points', { ...t, ...as('telegram', '77') });
    await bot.run('x', '/points', { ...d, ...as('discord', '222') });
    // Last week (same month): both accounts earn; this week too, and a take on the Telegram account.
    await bot.run('x', '/give <@111> 40', dAdmin);
    await bot.run('x', '/give 77 25', tAdmin);
    bot.clock.advance(4 * 86_400_000); // Tuesday 2026-11-24
    await bot.run('x', '/give <@111> 10', dAdmin);
    await bot.run('x', '/give 77 30', tAdmin);
    await bot.run('x', '/take 77 4', tAdmin);
    await bot.run('x', '/give <@222> 35', dAdmin);
    const discord = (await bot.memberOf('111', 'discord')).id;
    const telegram = (await bot.memberOf('77', 'telegram')).id;
    const other = (await bot.memberOf('222', 'discord')).id;
    const { id: communityId } = await bot.db.prisma.community.findFirstOrThrow();
    const s = () => txScope(bot.db.prisma as never, bot.clock.now(), Math.random);
    // Before: the week board has three people, the Telegram account (26) below the other member (35).
    expect((await leaderboard(s(), communityId, 'week', ZONE, 10)).map((r) => [r.memberId, r.points, r.rank])).toEqual([[other, 35], [telegram, 26], [discord, 10]].map((r, i) => [...r, i + 1]));

    const code = (await bot.run('x', '/link', { ...d, ...as('discord', '111') })).text.match(/\*\*(\w+)\*\*/)![1];
    expect((await bot.run('x', `/link ${code}`, { ...t, ...as('telegram', '77') })).error).toBeUndefined();

    const totals = async (memberId: string) => Object.fromEntries((await bot.db.prisma.pointsTotal.findMany({ where: { memberId } })).map((r) => [r.period, r.points]));
    expect(await totals(telegram)).toEqual({});
    expect(await totals(discord)).toEqual({ 'w:2026-11-16': 65, 'w:2026-11-23': 36, 'm:2026-11': 101 });
    expect((await leaderboard(s(), communityId, 'week', ZONE, 10)).map((r) => [r.memberId, r.points, r.rank])).toEqual([[discord, 36, 1], [other, 35, 2]]);
    expect(await standingOf(s(), communityId, discord, 'month', ZONE)).toEqual({ points: 101, rank: 1 });
    expect(await standingOf(s(), communityId, telegram, 'week', ZONE)).toEqual({ points: 0, rank: null });
    const week = await bot.run('x', '/leaderboard week', { ...t, ...as('telegram', '77') });
    expect(week.text).toContain('You: #1 with 36');
    // The boards agree with the ledger read with the merged account's rows as the member's.
    await compare(communityId, [discord, other], new Map([[telegram, discord]]));
    // Points after the merge land on the member's rows.
    await bot.run('x', '/give 77 4', tAdmin);
    expect(await totals(discord)).toMatchObject({ 'w:2026-11-23': 40, 'm:2026-11': 105 });
    expect(await totals(telegram)).toEqual({});
  });

  it('are what the migration backfills from the ledger (UTC community, with a linked account)', async () => {
    bot = await testBot({ clock: new Clock('2026-11-29T20:00:00Z') });
    await bot.run('boss', '/reward add 5 Sticker', admin);
    for (const u of USERS) await bot.run(u, '/points');
    await randomActivity(11, Date.parse('2026-12-01T12:00:00Z'), async () => {});
    // A Telegram group joins the community; ann's console account then joins a Telegram member's.
    const tg = (id: string, role?: 'admin') => ({ platform: 'telegram' as const, communityKey: '-100', actor: { platform: 'telegram' as const, userId: id, displayName: `tg${id}`, platformRole: role } });
    const bind = (await bot.run('boss', '/community bind', admin)).text.match(/\*\*(\w+)\*\*/)![1];
    expect((await bot.run('x', `/community bind ${bind}`, tg('1', 'admin'))).error).toBeUndefined();
    await bot.run('x', '/points', tg('42'));
    await bot.run('x', '/give 42 9', tg('1', 'admin'));
    const code = (await bot.run('x', '/link', tg('42'))).text.match(/\*\*(\w+)\*\*/)![1];
    expect((await bot.run('ann', `/link ${code}`)).error).toBeUndefined();
    await bot.run('boss', '/give @ann 3', admin);
    expect(await bot.db.prisma.pointsTotal.count()).toBeGreaterThan(12);
    expect(await backfillDifferences(bot.db.prisma, 'sqlite')).toEqual([]);
  });
});
