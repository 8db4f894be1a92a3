import { describe, it, expect, afterEach, beforeEach } from 'vitest';
import { testBot, seeded, drain, type TestBot, DAY, HOUR } from './helpers.js';
import { drawRound } from '../src/features/contests/draw.js';
import { contestNotices } from '../src/features/contests/present.js';
import { lang } from '../src/i18n/index.js';
import { openDatabase } from '../src/db/client.js';
import { Engine } from '../src/engine.js';
import { allCommands } from '../commands/index.js';
import type { Address, Reply } from '../src/core/types.js';

let bot: TestBot;
afterEach(async () => bot?.close());
const mod = { role: 'moderator' as const };
/** Everything announced so far in this test, worded as it is sent. */
let sent: { to: Address; reply: Reply }[] = [];
beforeEach(() => { sent = []; });
const outbox = async () => {
  sent.push(...await drain(bot));
  return sent.map((m) => m.reply.text);
};

describe('giveaways', () => {
  it('lets each member enter once and draws distinct winners when the job fires', async () => {
    bot = await testBot();
    const c = await bot.run('mod', '/contest create "Hoodie" 2 1d points:25', mod);
    expect(c.text).toBe('Giveaway #1 for "Hoodie" is live until Thu, Nov 26, 12:00 PM.');
    await outbox();
    const [card] = sent;
    expect(card.to).toEqual({ kind: 'channel', channelId: 'general' });
    expect(card.reply.text).toMatch(/^🎉 \*\*Giveaway #1: Hoodie \+ 25 points\*\*\n2 winners · Ends Thu, Nov 26, 12:00 PM\nOpen to everyone\n🔒 Draw commitment: `[0-9a-f]{64}` \(check the draw afterwards with \/contest verify 1\)\nEnter with the button or \/contest enter 1$/);
    expect(card.reply.buttons![0][0]).toMatchObject({ label: '🎉 Enter', command: 'contest enter', args: { contest: 1 } });
    for (const u of ['ann', 'ben', 'cat', 'dan', 'eve']) {
      expect((await bot.run(u, '/contest enter 1')).text).toContain("You're in giveaway #1");
    }
    expect((await bot.run('ann', '/contest enter 1')).text).toBe('You are already entered in giveaway #1. Good luck!');
    expect(await bot.db.prisma.contestEntry.count()).toBe(5);

    bot.clock.advance(DAY);
    // The live card refresh (armed by the entries) and the end.
    expect(await bot.engine.runDueJobs()).toBe(2);
    expect(await bot.engine.runDueJobs()).toBe(0);
    const winners = await bot.db.prisma.contestWinner.findMany();
    expect(winners).toHaveLength(2);
    expect(new Set(winners.map((w) => w.memberId)).size).toBe(2);
    const ledger = await bot.db.prisma.ledgerEntry.findMany({ where: { kind: 'contest' } });
    expect(ledger.map((l) => l.memberId).sort()).toEqual(winners.map((w) => w.memberId).sort());
    expect(ledger.every((l) => l.delta === 25)).toBe(true);
    const announce = (await outbox()).at(-1)!;
    expect(announce).toMatch(/^🎉 \*\*Giveaway #1 ended: Hoodie\*\*\nWinners: \w+, \w+ \(from 5 entries\)\. Congratulations!\n🔓 Draw seed: `[0-9a-f]{64}` \(check it with \/contest verify 1\)$/);
    expect((await bot.run('fay', '/contest enter 1')).text).toBe('Giveaway #1 has ended.');
  });

  it('checks entry requirements', async () => {
    bot = await testBot();
    await bot.run('old', '/points');
    bot.clock.advance(10 * DAY);
    await bot.run('new', '/points');
    await bot.run('mod', '/give @old 100', mod);
    await bot.run('mod', '/give @new 100', mod);
    await bot.run('mod', '/contest create Mug 1 2d min_points:50 min_days:7', mod);
    expect((await bot.run('new', '/contest enter 1')).text).toBe('Giveaway #1 is for members of 7+ days; you joined 0 day(s) ago.');
    expect((await bot.run('poor', '/contest enter 1')).text).toBe('Giveaway #1 needs at least 50 points earned; you have 0.');
    expect((await bot.run('old', '/contest enter 1')).error).toBeFalsy();
    expect(await bot.db.prisma.contestEntry.count()).toBe(1);
    expect((await bot.run('old', '/contest list')).text).toContain("#1 Mug: 1 winner, ends in 2d, 1 entry · you're in. Requirements: at least 50 points earned, member for 7+ days");
  });

  it('rerolls without picking a previous winner and can replace one', async () => {
    bot = await testBot();
    await bot.run('mod', '/contest create Keyboard 1 1h', mod);
    for (const u of ['ann', 'ben', 'cat']) await bot.run(u, '/contest enter 1');
    expect((await bot.run('mod', '/contest reroll 1', mod)).text).toBe('Giveaway #1 has not ended yet; end it first with /contest end 1.');
    expect((await bot.run('mod', '/contest end 1', mod)).text).toMatch(/^Giveaway #1 ended\. Winners: \w+\.$/);
    const [first] = await bot.db.prisma.contestWinner.findMany();
    const firstName = (await bot.db.prisma.member.findUniqueOrThrow({ where: { id: first.memberId } })).displayName;
    const r = await bot.run('mod', `/contest reroll 1 replace:@${firstName}`, mod);
    expect(r.text).toContain(`(replacing ${firstName})`);
    const r2 = await bot.run('mod', '/contest reroll 1', mod);
    expect(r2.error).toBeFalsy();
    const all = await bot.db.prisma.contestWinner.findMany({ orderBy: { round: 'asc' } });
    expect(new Set(all.map((w) => w.memberId)).size).toBe(3);
    expect(all.map((w) => w.replaced)).toEqual([true, false, false]);
    expect((await bot.run('mod', '/contest reroll 1', mod)).text).toBe('Everyone who entered giveaway #1 has already won; nobody is left to draw.');
    // The end job was settled by the manual end: it does not draw again.
    bot.clock.advance(2 * HOUR);
    expect(await bot.engine.runDueJobs()).toBe(0);
    const show = await bot.run('ann', '/contest show 1');
    expect(show.text.match(/Winners: (.*)\./)![1].split(', ')).toHaveLength(2);
  });

  it('announces an empty giveaway and supports cancel', async () => {
    bot = await testBot();
    await bot.run('mod', '/contest create Nothing 1 1h', mod);
    await bot.run('mod', '/contest create Other 1 1h', mod);
    expect((await bot.run('mod', '/contest cancel 2', mod)).text).toBe('Giveaway #2 cancelled.');
    bot.clock.advance(HOUR);
    expect(await bot.engine.runDueJobs()).toBe(1);
    const texts = await outbox();
    expect(texts).toContain('Giveaway #1 (Nothing) ended with no entries, so there is no winner.');
    expect(texts).toContain('Giveaway #2 (Other) was cancelled.');
    expect(await bot.db.prisma.contestWinner.count()).toBe(0);
  });

  it('catches up after a restart and fires once with two instances', async () => {
    bot = await testBot();
    await bot.run('mod', '/contest create Sticker 1 1h', mod);
    await bot.run('ann', '/contest enter 1');
    bot.clock.advance(10_000);
    expect(await bot.engine.runDueJobs()).toBe(1); // the live card refresh
    // The bot was down past the end time; two instances start at once on the same database.
    bot.clock.advance(5 * HOUR);
    const db2 = await openDatabase(bot.db.url);
    const engine2 = new Engine(db2, { commands: allCommands, now: bot.clock.now, random: seeded(7) });
    const [a, b] = await Promise.all([bot.engine.runDueJobs(), engine2.runDueJobs()]);
    expect(a + b).toBe(1);
    expect(await bot.db.prisma.contestWinner.count()).toBe(1);
    expect((await bot.db.prisma.scheduledJob.findFirstOrThrow({ where: { kind: 'contest.end' } })).status).toBe('done');
    await db2.close();
  });

  it('validates giveaway input', async () => {
    bot = await testBot();
    expect((await bot.run('mod', '/contest create Hoodie 0 1d', mod)).text).toBe('winners: must be at least 1.');
    expect((await bot.run('mod', '/contest create Hoodie 1 yesterday', mod)).text).toMatch(/^ends: "yesterday" is not a date/);
    expect((await bot.run('mod', '/contest create Hoodie 1 2001-01-01', mod)).text).toBe('The end time must be in the future.');
    expect((await bot.run('ann', '/contest enter 42')).text).toBe('There is no giveaway #42. See /contest list.');
    expect((await bot.run('ann', '/contest enter abc')).text).toBe('contest: must be a whole number.');
    const past = await bot.run('mod', '/contest create Hoodie 1 2001-01-01', mod);
    expect(past.error).toEqual({ code: 'contests:error.endsPast', field: 'ends' });
    const dm = await bot.run('mod', '/contest create Hoodie 1 1d', { ...mod, address: { kind: 'dm', userId: 'mod' } });
    expect(dm.error?.code).toBe('errors:precondition.inChannel');
    expect(await bot.db.prisma.contest.count()).toBe(0);
  });

  it('refuses to end or cancel twice, and shows ended and cancelled giveaways', async () => {
    bot = await testBot();
    await bot.run('mod', '/contest create Cap 1 1h', mod);
    await bot.run('mod', '/contest create Pin 1 1h', mod);
    await bot.run('ann', '/contest enter 1');
    expect((await bot.run('mod', '/contest end 1', mod)).text).toBe('Giveaway #1 ended. Winners: ann.');
    expect((await bot.run('mod', '/contest end 1', mod)).error?.code).toBe('contests:error.already.ended');
    expect((await bot.run('mod', '/contest cancel 1', mod)).text).toBe('Giveaway #1 has already ended.');
    expect((await bot.run('mod', '/contest end 2', mod)).text).toBe('Giveaway #2 ended with no entries.');
    expect((await bot.run('ann', '/contest show 1')).text).toMatch(/^Giveaway #1 "Cap" ended\. Winners: ann\.\n🔓 Draw seed: `[0-9a-f]{64}`/);
    expect((await bot.run('ann', '/contest show 2')).text).toMatch(/^Giveaway #2 "Pin" ended\.\n🔓 Draw seed/);
    await bot.run('mod', '/contest create Mug 1 1h', mod);
    expect((await bot.run('ann', '/contest show 3')).buttons![0][0]).toMatchObject({ command: 'contest enter', args: { contest: 3 } });
    expect((await bot.run('mod', '/contest cancel 3', mod)).text).toBe('Giveaway #3 cancelled.');
    expect((await bot.run('mod', '/contest cancel 3', mod)).error?.code).toBe('contests:error.already.cancelled');
    expect((await bot.run('ann', '/contest show 3')).text).toBe('Giveaway #3 "Mug" cancelled.');
    expect((await bot.run('ann', '/contest list')).text).toBe('No giveaways running right now.');
    expect(await bot.db.prisma.scheduledJob.count({ where: { status: 'pending' } })).toBe(0);
  });

  it('groups large numbers in requirements and prize points', async () => {
    bot = await testBot();
    await bot.run('mod', '/contest create Laptop 1 1d points:1500 min_points:2500', mod);
    const [card] = await drain(bot);
    expect(card.reply.text).toContain('🎉 **Giveaway #1: Laptop + 1,500 points**');
    expect(card.reply.text).toContain('Requirements: at least 2,500 points earned');
    expect((await bot.run('ann', '/contest enter 1')).text).toBe('Giveaway #1 needs at least 2,500 points earned; you have 0.');
  });

  it('mentions winners on Discord and Slack, names them elsewhere', async () => {
    bot = await testBot({ platform: 'discord' });
    await bot.run('mod', '/contest create Shirt 1 1h', mod);
    await bot.run('123', '/contest enter 1');
    bot.clock.advance(HOUR);
    expect(await bot.engine.runDueJobs()).toBe(2); // the live card refresh, then the end
    const ended = (await drain(bot, 'discord')).find((m) => m.reply.text.includes('ended: Shirt'))!;
    expect(ended.reply.text.split('\n').slice(0, 2).join('\n')).toBe('🎉 **Giveaway #1 ended: Shirt**\nWinner: <@123> (from 1 entry). Congratulations!');
    const L = lang('en', 'UTC', new Date());
    const winners = [{ name: 'ann', userId: 'U1' }, { name: 'ben' }];
    expect(contestNotices['contest.rerolled'](L, { type: 'contest.rerolled', contestId: 2, prize: 'Cap', platform: 'slack', winners }).text)
      .toBe('🔁 Giveaway #2 (Cap) reroll: new winners <@U1>, ben. Congratulations!');
    expect(contestNotices['contest.rerolled'](L, { type: 'contest.rerolled', contestId: 2, prize: 'Cap', platform: 'telegram', winners }).text)
      .toBe('🔁 Giveaway #2 (Cap) reroll: new winners ann, ben. Congratulations!');
  });
});

describe('draw', () => {
  it('picks distinct entries uniformly when every weight is 1', () => {
    const entries = ['a', 'b', 'c', 'd', 'e'].map((_, i) => ({ n: i + 1, weight: 1 }));
    const counts = new Map(entries.map((e) => [e.n, 0]));
    const rounds = 4000;
    for (let i = 0; i < rounds; i++) {
      const seed = i.toString(16).padStart(64, '0');
      const w = drawRound(seed, 1, 1, entries, 2, new Set());
      expect(new Set(w).size).toBe(2);
      for (const x of w) counts.set(x, counts.get(x)! + 1);
    }
    // Each entry should win 2/5 of the time; chi-square with 4 degrees of freedom, 99.9% bound 18.47.
    const expected = (rounds * 2) / 5;
    const chi = [...counts.values()].reduce((s, c) => s + (c - expected) ** 2 / expected, 0);
    expect(chi).toBeLessThan(18.47);
    expect(drawRound('ab'.repeat(32), 1, 1, entries, 10, new Set()).sort()).toEqual([1, 2, 3, 4, 5]);
    expect(drawRound('ab'.repeat(32), 1, 1, [], 3, new Set())).toEqual([]);
  });
});
