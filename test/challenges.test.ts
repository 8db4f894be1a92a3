import { describe, it, expect, afterEach } from 'vitest';
import { testBot, drain, type TestBot, DAY, HOUR } from './helpers.js';

let bot: TestBot;
afterEach(async () => bot?.close());
const mod = { role: 'moderator' as const };

describe('challenges', () => {
  it('runs create -> submit -> approve and rewards once', async () => {
    bot = await testBot();
    const c = await bot.run('mod', '/challenge create "Share a post" 50 3d Post about us and send the link', mod);
    expect(c.error).toBeFalsy();
    expect(c.text).toBe('Challenge #1 "Share a post" is live until Sat, Nov 28, 12:00 PM (3d).');
    const [card] = await drain(bot);
    expect(card.reply.text).toContain('Reward: **50 points**');
    expect(card.reply.buttons![0][0]).toMatchObject({ label: 'Submit proof', form: { command: 'challenge submit', args: { challenge: 1 } } });
    expect(card.to).toEqual({ kind: 'channel', channelId: 'general' });

    const s = await bot.run('ann', '/challenge submit 1 https://example.com/post/1');
    expect(s.text).toContain('submission #1 for challenge #1');
    expect((await bot.run('ann', '/challenge submit 1 again')).text).toContain('already waiting for review');
    const review = await bot.run('mod', '/challenge review', mod);
    expect(review.text).toContain('#1 · challenge #1 "Share a post" · ann: https://example.com/post/1');
    expect(review.buttons![0][0]).toMatchObject({ command: 'challenge approve', args: { submission: 1 } });

    const a = await bot.run('mod', '/challenge approve 1', mod);
    expect(a.text).toContain('ann gets 50 points (balance 50)');
    const again = await bot.run('mod2', '/challenge approve 1', mod);
    expect(again).toMatchObject({ error: { code: 'challenges:error.already.approved' }, text: 'Submission #1 was already approved.' });
    expect((await bot.memberOf('ann')).balance).toBe(50);
    expect(await bot.db.prisma.ledgerEntry.count({ where: { kind: 'challenge' } })).toBe(1);
    expect((await bot.run('ann', '/challenge submit 1 more')).text).toBe('You already completed challenge #1.');
  });

  it('lets a rejected member resubmit and notifies them', async () => {
    bot = await testBot({ platform: 'telegram' });
    await bot.run('mod', '/challenge create Selfie 10 1d', mod);
    await bot.run('ann', '/challenge submit 1 blurry.jpg');
    const r = await bot.run('mod', '/challenge reject 1 too blurry, try again', mod);
    expect(r.text).toBe('❌ Rejected submission #1 from ann (too blurry, try again).');
    const dm = (await drain(bot, 'telegram')).find((m) => m.to.kind === 'dm')!;
    expect(dm.to).toEqual({ kind: 'dm', userId: 'ann' });
    expect(dm.reply.text).toContain('was not accepted: too blurry, try again');
    expect((await bot.run('ann', '/challenge submit 1 sharp.jpg')).error).toBeFalsy();
    await bot.run('mod', '/challenge approve 1', mod);
    expect((await bot.memberOf('ann')).balance).toBe(10);
  });

  it('validates challenge input', async () => {
    bot = await testBot();
    expect((await bot.run('mod', '/challenge create Title 10 2020-01-01', mod)).text).toBe('The deadline must be in the future.');
    expect((await bot.run('mod', '/challenge create Title ten 1d', mod)).text).toBe('reward: must be a whole number.');
    expect((await bot.run('mod', '/challenge create Title 10 someday', mod)).text).toMatch(/deadline: "someday" is not a date/);
    expect((await bot.run('mod', '/challenge create', mod)).text).toMatch(/^Missing title\. Usage: \/challenge create <title> <reward> <deadline> \[description\]/);
    expect((await bot.run('ann', '/challenge create T 10 1d')).text).toBe('/challenge create is for moderators only.');
    expect((await bot.run('ann', '/challenge submit 9 x')).text).toBe('There is no challenge #9. See /challenge list.');
    expect(await bot.db.prisma.challenge.count()).toBe(0);
  });

  it('closes at the deadline through the scheduler; late proof is refused, queued proof still reviewable', async () => {
    bot = await testBot();
    await bot.run('mod', '/challenge create Quiz 5 2h', mod);
    await bot.run('ann', '/challenge submit 1 answer');
    bot.clock.advance(HOUR);
    expect(await bot.engine.runDueJobs()).toBe(0);
    bot.clock.advance(HOUR + 1000);
    expect(await bot.engine.runDueJobs()).toBe(1);
    expect((await bot.db.prisma.challenge.findFirstOrThrow()).status).toBe('closed');
    const closed = await drain(bot);
    expect(closed.at(-1)!.reply.text).toBe('⏰ Challenge #1 "Quiz" is closed. 0 completed, 1 still in review.');
    expect((await bot.run('bob', '/challenge submit 1 late')).text).toBe('Challenge #1 is closed.');
    expect((await bot.run('mod', '/challenge approve 1', mod)).error).toBeFalsy();
    expect(await bot.engine.runDueJobs()).toBe(0);
    expect((await bot.run('ann', '/challenge list')).text).toBe('No open challenges right now.');
  });

  it('lists open challenges with my status', async () => {
    bot = await testBot();
    await bot.run('mod', '/challenge create A 5 2d', mod);
    await bot.run('mod', '/challenge create B 7 1d', mod);
    await bot.run('ann', '/challenge submit 1 done');
    const l = await bot.run('ann', '/challenge list');
    expect(l.text.split('\n')).toEqual(['🏁 **Open challenges**', '#2 B: 7 pts, 1d left', '#1 A: 5 pts, 2d left · yours: pending']);
    bot.clock.advance(DAY);
  });
});
