import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { MIN } from './helpers.js';
import { PG_ADMIN_URL, slackCmd as cmd, twoInstances, type TwoInstances } from './pg.js';
import { backfillDifferences, ledgerViolations, totalsViolations } from './invariants.js';
import { EARNING_KINDS } from '../src/features/points/service.js';

/**
 * Week/month totals on PostgreSQL with two instances: concurrent changes to one member's totals all count
 * (an atomic upsert, never read-then-write), across a week and a month boundary in the community's zone.
 */
const ROUNDS = 20;

describe.skipIf(!PG_ADMIN_URL)('week and month totals between two instances (PostgreSQL)', () => {
  let bot: TwoInstances;
  beforeAll(async () => {
    bot = await twoInstances('totals');
    // Monday 2026-11-30 22:00 in Seoul: the month turns at 2026-11-30T15:00Z, two hours on.
    bot.clock.t = Date.parse('2026-11-30T11:00:00Z');
    await bot.e1.handle(cmd('UADMIN', '/settings timezone:Asia/Seoul'));
  });
  afterAll(async () => bot?.close());

  const prisma = () => bot.a.prisma;
  const memberId = async (user: string) => (await prisma().identity.findFirstOrThrow({ where: { platform: 'slack', platformUserId: user } })).memberId;

  it('adds up concurrent grants and takes to the same member on both instances', async () => {
    await bot.e1.handle(cmd('UHOT01', '/points'));
    await bot.e1.handle(cmd('UADMIN', '/give <@UHOT01> 1000'));
    for (let i = 0; i < ROUNDS; i++) {
      const lines = ['/give <@UHOT01> 7', '/give <@UHOT01> 11', '/take <@UHOT01> 3', '/give <@UHOT01> 5', '/take <@UHOT01> 2', '/give <@UHOT01> 13'];
      const replies = await Promise.all(lines.map((l, k) => (k % 2 ? bot.e2 : bot.e1).handle(cmd('UADMIN', l))));
      expect(replies.filter((r) => r.error).map((r) => r.text)).toEqual([]);
      bot.clock.advance(20 * MIN); // 20 rounds: 6h40m, over the month boundary
    }
    expect(await ledgerViolations(prisma())).toEqual([]);
    expect(await totalsViolations(prisma())).toEqual([]);
    const id = await memberId('UHOT01');
    const rows = Object.fromEntries((await prisma().pointsTotal.findMany({ where: { memberId: id } })).map((r) => [r.period, r.points]));
    expect(Object.keys(rows).sort()).toEqual(['m:2026-11', 'm:2026-12', 'w:2026-11-30']);
    expect(rows['w:2026-11-30']).toBe(1000 + ROUNDS * 31);
    expect(rows['m:2026-11'] + rows['m:2026-12']).toBe(1000 + ROUNDS * 31);
  });

  it('loses nothing when points land on an account while it is linked to another member', async () => {
    const tg = (user: string, line: string) => cmd(user, line, { platform: 'telegram', communityKey: '-100', actor: { platform: 'telegram', userId: user, displayName: `tg${user}`, platformRole: user === '1' ? 'admin' : undefined } });
    const bind = (await bot.e1.handle(cmd('UADMIN', '/community bind'))).text.match(/\*\*(\w+)\*\*/)![1];
    expect((await bot.e2.handle(tg('1', `/community bind ${bind}`))).error).toBeUndefined();
    for (let i = 0; i < ROUNDS / 2; i++) {
      const [slack, telegram] = [`ULNK${i}`, `${500 + i}`];
      await bot.e1.handle(cmd(slack, '/points'));
      await bot.e2.handle(tg(telegram, '/points'));
      await bot.e1.handle(cmd('UADMIN', `/give <@${slack}> 20`));
      await bot.e2.handle(tg('1', `/give ${telegram} 30`));
      // The Telegram account's member merges into the Slack account's (who made the code).
      const [target, source] = [await memberId(slack), (await prisma().identity.findFirstOrThrow({ where: { platform: 'telegram', platformUserId: telegram } })).memberId];
      const code = (await bot.e1.handle(cmd(slack, '/link'))).text.match(/\*\*(\w+)\*\*/)![1];
      const replies = await Promise.all([
        bot.e2.handle(tg(telegram, `/link ${code}`)),
        bot.e1.handle(tg('1', `/give ${telegram} 4`)),
        bot.e2.handle(tg('1', `/give ${telegram} 6`)),
        bot.e1.handle(cmd('UADMIN', `/give <@${slack}> 1`)),
      ]);
      expect(replies.map((r) => r.error?.code)).toEqual([undefined, undefined, undefined, undefined]);
      // Whatever the order, the two members' totals together are what the ledger says they earned.
      const earned = (await prisma().ledgerEntry.aggregate({ where: { memberId: { in: [source, target] }, kind: { in: EARNING_KINDS } }, _sum: { delta: true } }))._sum.delta;
      const totals = await prisma().pointsTotal.groupBy({ by: ['period'], where: { memberId: { in: [source, target] } }, _sum: { points: true } });
      expect(totals.map((t) => t._sum.points)).toEqual([earned, earned]);
      // The Telegram account's 30 moved over: the member has at least 20 + 30 + 1 in both periods.
      const mine = await prisma().pointsTotal.findMany({ where: { memberId: target } });
      expect(mine.map((t) => t.points >= 51)).toEqual([true, true]);
      // The merged-away member keeps no empty rows (only what a change made after the move could leave).
      expect(await prisma().pointsTotal.count({ where: { memberId: source, points: 0 } })).toBe(0);
    }
  });

  it('backfills from the ledger what the totals say, in the community\'s zone, merged accounts with their members', async () => {
    expect(await prisma().pointsTotal.count()).toBeGreaterThan(ROUNDS);
    expect(await backfillDifferences(prisma(), 'postgres')).toEqual([]);
  });
});
