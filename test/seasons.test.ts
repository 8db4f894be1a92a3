import { describe, it, expect, afterEach } from 'vitest';
import { testBot, drain, type TestBot, DAY, HOUR } from './helpers.js';
import { parsePrizes } from '../src/features/seasons/prizes.js';

let bot: TestBot;
afterEach(async () => bot?.close());
const admin = { role: 'admin' as const };
const mod = { role: 'moderator' as const };
const tgAdmin = { platform: 'telegram' as const, communityKey: '-100', address: { kind: 'channel' as const, channelId: '-100' }, actor: { platform: 'telegram' as const, userId: '5', displayName: 'tg-admin', platformRole: 'admin' as const } };
const seasonTotal = async (user: string, id = 1) => {
  const m = await bot.memberOf(user);
  return (await bot.db.prisma.pointsTotal.findUnique({ where: { communityId_period_memberId: { communityId: (await bot.db.prisma.member.findUniqueOrThrow({ where: { id: m.id } })).communityId, period: `s:${id}`, memberId: m.id } } }))?.points ?? 0;
};
const texts = async (platform: 'console' | 'telegram' = 'console') => (await drain(bot, platform)).map((m) => m.reply.text);

/** A Telegram group bound to the console community "test", so one community spans two platforms. */
async function bindTelegram() {
  const code = (await bot.run('boss', '/community bind', admin)).text.match(/\*\*(\w+)\*\*/)![1];
  expect((await bot.run('x', `/community bind ${code}`, tgAdmin)).error).toBeUndefined();
}

describe('seasons', () => {
  it('counts only points earned during the season, pays the top places once and posts the recap everywhere', async () => {
    bot = await testBot();
    await bindTelegram();
    expect((await bot.run('boss', '/reward add 100 Hoodie', admin)).error).toBeUndefined();
    const created = await bot.run('boss', '/season start "Winter sprint" 8d start:1d prizes:1=500,2=300,3=reward:1', admin);
    expect(created.text).toBe('Season #1 "Winter sprint" starts Thu, Nov 26, 12:00 PM and runs until Thu, Dec 3, 12:00 PM.');
    expect((await bot.run('x', '/season here 1', tgAdmin)).text).toBe('Season #1 "Winter sprint" will also be announced in this channel.');
    expect((await bot.run('x', '/season here 1', tgAdmin)).text).toBe('Season #1 "Winter sprint" is already announced in this channel.');
    // Before the start: earned, but not on the season board.
    await bot.run('mod', '/give @ann 100', mod);
    expect((await bot.run('ann', '/season show')).text).toBe([
      '🏁 **Season #1: Winter sprint**', 'Starts Thu, Nov 26, 12:00 PM, ends Thu, Dec 3, 12:00 PM',
      'Prizes: 🥇 500 points · 🥈 300 points · 🥉 Hoodie', 'No points earned in this season yet.', 'You are not on this season\'s board yet.',
    ].join('\n'));

    bot.clock.advance(DAY);
    expect(await bot.engine.runDueJobs()).toBe(1);
    const started = [...await texts(), ...await texts('telegram')].filter((t) => t.startsWith('🏁'));
    expect(started).toHaveLength(2);
    expect(started[0]).toBe('🏁 **Season #1 has started: Winter sprint**\nEvery point you earn until Thu, Dec 3, 12:00 PM counts on the season board.\n'
      + 'Prizes: 🥇 500 points · 🥈 300 points · 🥉 Hoodie\nSee the board with /season show 1');
    for (const u of ['ben', 'cat', 'dan']) await bot.run(u, '/points');
    for (const [u, n] of [['ann', 30], ['ben', 50], ['cat', 20], ['dan', 5]] as const) await bot.run('mod', `/give @${u} ${n}`, mod);
    await bot.run('mod', '/take @dan 5', mod);
    expect(await seasonTotal('ann')).toBe(30);
    expect(await seasonTotal('dan')).toBe(0);
    expect((await bot.run('ann', '/season show 1')).text).toBe([
      '🏁 **Season #1: Winter sprint**', 'Running until Thu, Dec 3, 12:00 PM', 'Prizes: 🥇 500 points · 🥈 300 points · 🥉 Hoodie',
      '🥇 ben: 50', '🥈 ann: 30', '🥉 cat: 20', 'You: #2 with 30',
    ].join('\n'));
    expect((await bot.run('ann', '/leaderboard season:1')).text).toBe('🏆 **Leaderboard, during season "Winter sprint"**\n🥇 ben: 50\n🥈 ann: 30\n🥉 cat: 20\nYou: #2 with 30');
    expect((await bot.run('ann', '/season list')).text).toBe('🏁 **Seasons**\n#1 Winter sprint: Running until Thu, Dec 3, 12:00 PM');

    // After the end time (the end job has not run yet): not counted.
    bot.clock.advance(8 * DAY);
    await bot.run('mod', '/give @cat 1000', mod);
    expect(await seasonTotal('cat')).toBe(20);
    expect(await bot.engine.runDueJobs()).toBe(1);
    // The job again (as after a crash before its "done" mark): nothing is paid twice.
    await bot.db.prisma.scheduledJob.updateMany({ where: { kind: 'season.end' }, data: { status: 'pending' } });
    expect(await bot.engine.runDueJobs()).toBe(1);

    const prizes = await bot.db.prisma.ledgerEntry.findMany({ where: { idempotencyKey: { startsWith: 'season:' } }, orderBy: { id: 'asc' } });
    expect(prizes.map((p) => [p.idempotencyKey, p.delta, p.kind])).toEqual([['season:1:rank:1', 500, 'contest'], ['season:1:rank:2', 300, 'contest']]);
    expect((await bot.memberOf('ben')).balance).toBe(550);
    const won = await bot.db.prisma.redemption.findMany();
    expect(won).toMatchObject([{ memberId: (await bot.memberOf('cat')).id, rewardId: 1, cost: 0, status: 'pending' }]);
    expect((await bot.run('ben', '/history')).text).toContain('+500  Season #1 "Winter sprint": place 1');

    const recap = '🏁 **Season #1 is over: Winter sprint**\n🥇 ben: 50 points, wins 500 points\n🥈 ann: 30 points, wins 300 points\n'
      + '🥉 cat: 20 points, wins Hoodie\nCongratulations, and thanks to everyone who took part!';
    expect((await texts()).filter((t) => t.startsWith('🏁'))).toEqual([recap]);
    expect((await texts('telegram')).filter((t) => t.startsWith('🏁'))).toEqual([recap]);
    expect((await bot.run('ann', '/season list')).text).toBe('🏁 **Seasons**\n#1 Winter sprint: Ended Thu, Dec 3, 12:00 PM');
    expect((await bot.run('boss', '/season cancel 1', admin)).text).toBe('Season #1 has already ended.');
    // A prize reward is refunded for nothing (it cost nothing).
    expect((await bot.run('mod', `/redemption refund ${won[0].id}`, mod)).error).toBeUndefined();
    expect((await bot.memberOf('cat')).balance).toBe(1020);
  });

  it("a season's prizes do not count on the season that starts as it ends", async () => {
    bot = await testBot();
    expect((await bot.run('boss', '/season start One 2d prizes:1=500', admin)).error).toBeUndefined();
    expect((await bot.run('boss', '/season start Two 4d start:2d', admin)).error).toBeUndefined();
    await bot.run('ann', '/points');
    await bot.run('mod', '/give @ann 10', mod);
    bot.clock.advance(2 * DAY);
    await bot.engine.runDueJobs();
    expect((await bot.memberOf('ann')).balance).toBe(510);
    expect(await seasonTotal('ann', 2)).toBe(0);
  });

  it('starts at once when no start is given, and a season with nobody on the board ends quietly', async () => {
    bot = await testBot();
    expect((await bot.run('boss', '/season start Quick 2h', admin)).text).toBe('Season #1 "Quick" has started and runs until Wed, Nov 25, 2:00 PM.');
    expect((await texts())).toContain('🏁 **Season #1 has started: Quick**\nEvery point you earn until Wed, Nov 25, 2:00 PM counts on the season board.\nNo prizes: just the glory.\nSee the board with /season show 1');
    bot.clock.advance(2 * HOUR);
    expect(await bot.engine.runDueJobs()).toBe(1);
    expect(await texts()).toEqual(['Season #1 (Quick) is over; nobody earned points in it.']);
  });

  it('cancels a season: no start, no prizes', async () => {
    bot = await testBot();
    await bot.run('boss', '/season start Later 3d start:1d prizes:1=100', admin);
    expect((await bot.run('mod', '/season cancel 1', mod)).text).toBe('/season cancel is for admins only.');
    expect((await bot.run('boss', '/season cancel 1', admin)).text).toBe('Season #1 "Later" cancelled.');
    expect((await bot.run('boss', '/season cancel 1', admin)).text).toBe('Season #1 was cancelled.');
    expect(await texts()).toEqual(['Season #1 (Later) was cancelled.']);
    bot.clock.advance(DAY);
    await bot.run('mod', '/give @ann 10', mod);
    bot.clock.advance(3 * DAY);
    expect(await bot.engine.runDueJobs()).toBe(0);
    expect(await bot.db.prisma.pointsTotal.count({ where: { period: 's:1' } })).toBe(0);
    expect(await bot.db.prisma.ledgerEntry.count({ where: { kind: 'contest' } })).toBe(0);
    expect((await bot.run('ann', '/season list')).text).toBe('No seasons yet.');
    // Cancelled: another may take its dates.
    expect((await bot.run('boss', '/season start Again 1d', admin)).error).toBeUndefined();
  });

  it('refuses bad seasons with clear errors, in every language', async () => {
    bot = await testBot();
    const start = async (args: string) => (await bot.run('boss', `/season start ${args}`, admin)).text;
    expect(await start('S 2026-11-01')).toBe('The end time must be in the future.');
    expect(await start('S 2d start:3d')).toBe('The season must end after it starts.');
    expect(await start('S 2d start:2026-11-01')).toBe('The start time must not be in the past (leave it out to start now).');
    expect(await start('S 2d prizes:1=5,2=5,3=5,4=5,5=5,6=5,7=5,8=5,9=5,10=5,1=6')).toBe('A season has at most 10 prizes.');
    expect(await start('S 2d prizes:11=5')).toBe('Prize places go from 1 to 10; 11 is not one.');
    expect(await start('S 2d prizes:1=5,1=6')).toBe('Place 1 has two prizes.');
    expect(await start('S 2d prizes:1=lots')).toBe('Prizes look like 1=500,2=300,3=reward:4; "1=lots" is not one.');
    expect(await start('S 2d prizes:1=0')).toBe('The prize for place 1 must be 1 to 1,000,000 points.');
    expect(await start('S 2d prizes:1=reward:9')).toBe('The prize for place 1 is reward #9, which is not in the shop. See /rewards.');
    expect(await start('S 2d')).toBe('Season #1 "S" has started and runs until Fri, Nov 27, 12:00 PM.');
    expect(await start('T 5d start:1d')).toBe('Season #1 "S" is set to run until Fri, Nov 27, 12:00 PM; seasons may not overlap.');
    expect(await start('T 5d start:2d')).toBe('Season #2 "T" starts Fri, Nov 27, 12:00 PM and runs until Mon, Nov 30, 12:00 PM.');
    expect((await bot.run('ann', '/season start X 1d')).text).toBe('/season start is for admins only.');
    expect((await bot.run('ann', '/season show 9')).text).toBe('There is no season #9. See /season list.');
    const ko = { actor: { platform: 'console' as const, userId: 'boss', displayName: 'boss', platformRole: 'admin' as const, locale: 'ko' } };
    const ja = { actor: { platform: 'console' as const, userId: 'boss', displayName: 'boss', platformRole: 'admin' as const, locale: 'ja' } };
    expect((await bot.run('boss', '/season start S 2d start:3d', ko)).text).toBe('시즌은 시작한 뒤에 끝나야 해요.');
    expect((await bot.run('boss', '/season start S 2d prizes:1=5,1=6', ja)).text).toBe('1位の賞品が2つ指定されています。');
    expect((await bot.run('boss', '/season show', ko)).text).toContain('🏁 **1번 시즌: S**');
  });

  it('reads prize lists', () => {
    expect(parsePrizes('3=reward:4, 1=500 ,2=300')).toEqual([{ rank: 1, points: 500 }, { rank: 2, points: 300 }, { rank: 3, rewardId: 4 }]);
    expect(parsePrizes('1=500、2=r4')).toEqual([{ rank: 1, points: 500 }, { rank: 2, rewardId: 4 }]);
  });

  it('keeps season totals when /link merges two accounts', async () => {
    bot = await testBot();
    await bindTelegram();
    await bot.run('boss', '/season start Merge 7d', admin);
    await bot.run('ann', '/points');
    await bot.run('mod', '/give @ann 40', mod);
    await bot.run('x', '/points', { ...tgAdmin, actor: { platform: 'telegram', userId: '77', displayName: 'tg-ann' } });
    await bot.run('x', '/give 77 25', tgAdmin);
    const code = (await bot.run('ann', '/link')).text.match(/\*\*(\w+)\*\*/)![1];
    expect((await bot.run('x', `/link ${code}`, { ...tgAdmin, actor: { platform: 'telegram', userId: '77', displayName: 'tg-ann' } })).error).toBeUndefined();
    expect(await seasonTotal('ann')).toBe(65);
    expect(await bot.db.prisma.pointsTotal.count({ where: { period: 's:1' } })).toBe(1);
    expect((await bot.run('ann', '/season show')).text).toContain('🥇 ann: 65');
  });
});
