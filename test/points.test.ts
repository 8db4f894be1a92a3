import { describe, it, expect, afterEach } from 'vitest';
import { testBot, drain, type TestBot, DAY } from './helpers.js';
import { MAX_POINTS } from '../src/features/points/service.js';

let bot: TestBot;
afterEach(async () => bot?.close());

const ledger = () => bot.db.prisma.ledgerEntry.findMany({ orderBy: { id: 'asc' } });

describe('points ledger', () => {
  it('records every change as a ledger row with the balance after it', async () => {
    bot = await testBot();
    await bot.run('bob', '/points');
    expect((await bot.run('mod', '/give @bob 40 great answer', { role: 'moderator' })).text).toContain('New balance: 40');
    expect((await bot.run('mod', '/take @bob 15 duplicate', { role: 'moderator' })).text).toContain('New balance: 25');
    const rows = await ledger();
    expect(rows.map((r) => [r.delta, r.balanceAfter, r.kind, r.reason])).toEqual([
      [40, 40, 'grant', 'great answer'],
      [-15, 25, 'revoke', 'duplicate'],
    ]);
    const bob = await bot.memberOf('bob');
    expect(bob.balance).toBe(25);
    expect(bob.lifetimePoints).toBe(25);
    const mod = await bot.memberOf('mod');
    expect(rows[0].actorId).toBe(mod.id);
  });

  it('applies a redelivered event once and answers with the first reply', async () => {
    bot = await testBot();
    await bot.run('bob', '/points');
    const first = await bot.run('mod', '/give @bob 10', { role: 'admin', eventKey: 'update-1' });
    const again = await bot.run('mod', '/give @bob 10', { role: 'admin', eventKey: 'update-1' });
    expect(again).toEqual(first);
    expect(await ledger()).toHaveLength(1);
    expect((await bot.memberOf('bob')).balance).toBe(10);
    // A different delivery is a different grant.
    await bot.run('mod', '/give @bob 10', { role: 'admin', eventKey: 'update-2' });
    expect((await bot.memberOf('bob')).balance).toBe(20);
  });

  it('handles concurrent duplicate deliveries without double counting', async () => {
    bot = await testBot();
    await bot.run('bob', '/points');
    const replies = await Promise.all(Array.from({ length: 5 }, () => bot.run('mod', '/give @bob 7', { role: 'admin', eventKey: 'same' })));
    expect(new Set(replies.map((r) => r.text)).size).toBe(1);
    expect(await ledger()).toHaveLength(1);
    expect((await bot.memberOf('bob')).balance).toBe(7);
  });

  it('refuses bad input with a clear message and writes nothing', async () => {
    bot = await testBot();
    const before = await bot.db.prisma.member.count();
    const cases: [string, RegExp][] = [
      ['/give @bob lots', /amount: must be a whole number/],
      ['/give @bob -5', /amount: must be at least 1/],
      ['/give @bob 0', /amount: must be at least 1/],
      ['/give @bob 99999999', /amount: must be at most 1,000,000/],
      ['/give', /Missing member\. Usage: \/give <member> <amount> \[reason\]/],
      ['/give @nobody 5', /I don't know @nobody yet/],
      ['/leaderboard yearly', /period: must be one of: all, week, month/],
      ['/frobnicate', /Unknown command \/frobnicate/],
    ];
    for (const [line, msg] of cases) {
      const r = await bot.run('mod', line, { role: 'admin' });
      expect(r.error, line).toBeTruthy();
      expect(r.ephemeral).toBe(true);
      expect(r.text, line).toMatch(msg);
    }
    expect(await ledger()).toHaveLength(0);
    expect(await bot.db.prisma.member.count()).toBe(before);
  });

  it('refuses to take more points than a member has', async () => {
    bot = await testBot();
    await bot.run('bob', '/points');
    await bot.run('mod', '/give @bob 5', { role: 'admin' });
    const r = await bot.run('mod', '/take @bob 6', { role: 'admin' });
    expect(r.error).toBeTruthy();
    expect(r.text).toMatch(/negative balance \(5 points available\)/);
    expect((await bot.memberOf('bob')).balance).toBe(5);
    expect(await ledger()).toHaveLength(1);
  });

  it('keeps moderator commands from members', async () => {
    bot = await testBot();
    await bot.run('bob', '/points');
    await bot.run('eve', '/points');
    const r = await bot.run('eve', '/give @eve 1000');
    expect(r).toMatchObject({ error: { code: 'errors:precondition.moderator' }, text: '/give is for moderators only.' });
    expect(await ledger()).toHaveLength(0);
    // A stored role works without any platform role.
    await bot.run('boss', '/role @eve moderator', { role: 'admin' });
    expect((await bot.run('eve', '/give @bob 3')).error).toBeFalsy();
  });

  it('ranks the leaderboard with ties and windows', async () => {
    bot = await testBot();
    for (const u of ['ann', 'ben', 'cat', 'dan']) await bot.run(u, '/points');
    await bot.run('mod', '/give @ann 50', { role: 'admin' });
    await bot.run('mod', '/give @ben 30', { role: 'admin' });
    await bot.run('mod', '/give @cat 30', { role: 'admin' });
    const all = await bot.run('cat', '/leaderboard');
    expect(all.text).toContain('🥇 ann: 50');
    expect(all.text).toContain('🥈 ben: 30');
    expect(all.text).toContain('🥈 cat: 30');
    expect(all.text).toContain('You: #2 with 30');
    expect(all.text).not.toContain('dan');
    // Next month: only new points count for month/week, all-time keeps everything.
    bot.clock.advance(40 * DAY);
    await bot.run('mod', '/give @dan 5', { role: 'admin' });
    const month = await bot.run('ann', '/leaderboard month');
    expect(month.text).toContain('🥇 dan: 5');
    expect(month.text).toContain('You are not on the board yet.');
    expect((await bot.run('dan', '/leaderboard week')).text).toContain('You: #1 with 5');
    expect((await bot.run('ann', '/leaderboard all 2')).text.split('\n')).toHaveLength(4);
    const p = await bot.run('ben', '/points');
    expect(p.text).toContain('Rank #2 of 4');
  });

  it('shows tiers by points earned, not spent', async () => {
    bot = await testBot();
    await bot.run('ann', '/points');
    await bot.run('mod', '/give @ann 600', { role: 'admin' });
    await bot.run('boss', '/reward add 500 "Hoodie"', { role: 'admin' });
    await bot.run('ann', '/redeem 1');
    const p = await bot.run('ann', '/points');
    expect(p.text).toContain('**100 points** to spend · 600 earned in all · tier **Silver**');
    expect(p.text).toContain('1,400 more to reach Gold');
  });

  it('shows history to the member and to moderators only', async () => {
    bot = await testBot();
    await bot.run('ann', '/points');
    await bot.run('mod', '/give @ann 12 welcome', { role: 'admin' });
    expect((await bot.run('ann', '/history')).text).toMatch(/\+12 {2}welcome/);
    expect((await bot.run('bob', '/history @ann')).error).toBeTruthy();
    expect((await bot.run('mod', '/history @ann', { role: 'moderator' })).text).toContain('Points history: ann');
  });
});

describe('communities', () => {
  it('keeps members, points and giveaways of different communities apart', async () => {
    bot = await testBot();
    const other = { communityKey: 'other-server' };
    await bot.run('ann', '/points');
    await bot.run('ann', '/points', other);
    await bot.run('mod', '/give @ann 30', { role: 'admin' });
    expect((await bot.run('ann', '/points', other)).text).toContain('You have **0 points**');
    await bot.run('mod', '/contest create Mug 1 1d', { role: 'admin' });
    expect((await bot.run('ann', '/contest enter 1', other)).text).toBe('There is no giveaway #1. See /contest list.');
    expect((await bot.run('ann', '/leaderboard', other)).text).toBe('🏆 No points earned all time yet.');
    expect(await bot.db.prisma.community.count()).toBe(2);
    expect(await bot.db.prisma.member.count({ where: { displayName: 'ann' } })).toBe(2);
  });
});

describe('tiers', () => {
  it('congratulates a member by direct message when they reach a new tier, once', async () => {
    bot = await testBot();
    await bot.run('ann', '/points');
    await bot.run('mod', '/give @ann 450', { role: 'admin' });
    expect(await bot.db.prisma.outboxMessage.count()).toBe(0);
    await bot.run('mod', '/give @ann 60', { role: 'admin' });
    const dms = await drain(bot);
    expect(dms).toHaveLength(1);
    expect(dms[0].to).toEqual({ kind: 'dm', userId: 'ann' });
    expect(dms[0].reply.text).toBe('🎖️ You reached **Silver** in console test with 510 points earned! Next: Gold at 2,000.');
    // More points within the same tier: no new message.
    await bot.run('mod', '/give @ann 5', { role: 'admin' });
    expect(await drain(bot)).toHaveLength(0);
    // Jumping two tiers at once names the highest.
    await bot.run('mod', '/give @ann 9500', { role: 'admin' });
    expect((await drain(bot))[0].reply.text).toMatch(/^🎖️ You reached \*\*Platinum\*\*/);
  });

  it('words the message in the language the member last used, with their tier name translated', async () => {
    bot = await testBot();
    await bot.run('ann', '/points', { actor: { platform: 'console', userId: 'ann', displayName: 'ann', username: 'ann', locale: 'ko-KR' } });
    await bot.run('mod', '/give @ann 510', { role: 'admin' });
    const [dm] = await drain(bot);
    expect(dm.reply.text).toContain('실버');
    expect(dm.reply.text).toContain('510');
  });
});

describe('looking someone up writes nothing', () => {
  it('answers /points and /history for an id it has not met without making a member', async () => {
    bot = await testBot();
    await bot.run('ann', '/points');
    await bot.run('mod', '/points', { role: 'moderator' });
    const members = await bot.db.prisma.member.count();
    const identities = await bot.db.prisma.identity.count();
    for (const [user, line] of [['ann', '/points 100000'], ['ann', '/points <@100001>'], ['ann', '/points <@U99999ZZ|zed>'], ['mod', '/history 100002'], ['mod', '/take 100003 5']]) {
      const r = await bot.run(user, line, { role: user === 'mod' ? 'moderator' : undefined });
      expect(r.error?.code, line).toBe('members:unknownId');
      expect(r.text, line).toMatch(/^I haven't met .+ here yet\. They need to use any bot command once first\.$/);
    }
    expect((await bot.run('ann', '/points 100000')).text).toBe("I haven't met 100000 here yet. They need to use any bot command once first.");
    expect(await bot.db.prisma.member.count()).toBe(members);
    expect(await bot.db.prisma.identity.count()).toBe(identities);
    // Someone already met is found as before.
    expect((await bot.run('mod', '/points ann', { role: 'moderator' })).text).toMatch(/^ann has \*\*0 points\*\*/);
  });

  it('still lets a moderator give points to a platform id before its owner ever speaks', async () => {
    bot = await testBot();
    const r = await bot.run('mod', '/give 100000 5 welcome gift', { role: 'moderator' });
    expect(r.text).toBe('➕ Gave 5 points to 100000 (welcome gift). New balance: 5.');
    expect(await bot.db.prisma.identity.count({ where: { platformUserId: '100000' } })).toBe(1);
    // Now that the bot knows them, a look-up finds them.
    expect((await bot.run('ann', '/points 100000')).text).toContain('100000 has **5 points**');
  });
});

describe('the integer columns', () => {
  const setTotals = async (user: string, balance: number, lifetimePoints: number) =>
    bot.db.prisma.member.update({ where: { id: (await bot.memberOf(user)).id }, data: { balance, lifetimePoints } });

  it('refuses a change that would take a balance or a lifetime total past 2,147,483,647, writing nothing', async () => {
    bot = await testBot();
    await bot.run('ann', '/points');
    await setTotals('ann', MAX_POINTS - 5, 0);
    const r = await bot.run('mod', '/give @ann 10', { role: 'admin' });
    expect(r.error?.code).toBe('points:error.limit');
    expect(r.text).toBe('That would take the points past the limit of 2,147,483,647; nothing was changed.');
    expect((await bot.run('mod', '/give @ann 5', { role: 'admin' })).text).toContain('New balance: 2,147,483,647');
    // The lifetime total has a limit of its own (spending lowers the balance, never what was earned).
    await setTotals('ann', 0, MAX_POINTS - 1);
    expect((await bot.run('mod', '/give @ann 2', { role: 'admin' })).error?.code).toBe('points:error.limit');
    const ann = await bot.memberOf('ann');
    expect([ann.balance, ann.lifetimePoints]).toEqual([0, MAX_POINTS - 1]);
    expect(await ledger()).toHaveLength(1);
    // Refused in Korean and Japanese as well.
    const ko = await bot.run('mod', '/give @ann 2', { role: 'admin', actor: { platform: 'console', userId: 'mod', displayName: 'mod', locale: 'ko', platformRole: 'admin' } });
    expect(ko.text).toBe('포인트 한도(2,147,483,647)를 넘게 되어 처리하지 않았어요.');
  });
});
