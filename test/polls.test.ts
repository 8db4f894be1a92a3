import { describe, it, expect, afterEach } from 'vitest';
import { testBot, type TestBot, DAY, HOUR } from './helpers.js';
import { npsOf } from '../src/services/polls.js';

let bot: TestBot;
afterEach(async () => bot?.close());
const mod = { role: 'moderator' as const };
const outbox = async () => (await bot.db.prisma.outboxMessage.findMany({ orderBy: { id: 'asc' } })).map((m) => JSON.parse(m.payload));

describe('NPS math', () => {
  it('splits promoters 9-10, passives 7-8, detractors 0-6', () => {
    const s = npsOf([10, 9, 9, 8, 7, 6, 0, 3, 10, 5]);
    expect(s).toMatchObject({ responses: 10, promoters: 4, passives: 2, detractors: 4, nps: 0, average: 6.7 });
    expect(npsOf([10, 10, 9]).nps).toBe(100);
    expect(npsOf([0, 6]).nps).toBe(-100);
    expect(npsOf([9, 9, 7]).nps).toBe(67);
    expect(npsOf([]).nps).toBeNull();
    expect(npsOf([10, 0, 0]).histogram).toEqual([2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
  });
});

describe('NPS polls', () => {
  it('posts the poll with 0-10 buttons, takes one answer per member, and reports NPS with comments', async () => {
    bot = await testBot();
    const c = await bot.run('brand', '/poll create How likely are you to recommend us to a friend? duration:2d', mod);
    expect(c.text).toBe('Poll #1 is open and closes 2026-11-27 12:00 UTC. Results: /poll results 1');
    const [card] = await outbox();
    expect(card.text).toContain('**Poll #1: How likely are you to recommend us to a friend?**');
    expect(card.buttons.flat().map((b: { label: string }) => b.label)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10']);
    expect(card.buttons[1][4]).toMatchObject({ command: 'poll answer', args: { poll: 1, score: 10 } });

    const a = await bot.run('ann', '/poll answer 1 10');
    expect(a.text).toBe('Thanks! You answered 10 to poll #1. What do you like most? Add a comment: /poll comment 1 <text>');
    expect(a.buttons![0][0].form).toMatchObject({ command: 'poll comment', args: { poll: 1 } });
    await bot.run('ann', '/poll comment 1 Friendly people');
    await bot.run('ben', '/poll answer 1 3 Too many bots');
    await bot.run('cat', '/poll answer 1 7');
    expect((await bot.run('cat', '/poll answer 1 9')).text).toMatch(/^Updated your answer to poll #1: 7 → 9\. What do you like most\?/);
    expect(await bot.db.prisma.pollResponse.count()).toBe(3);
    expect((await bot.run('dan', '/poll comment 1 hi')).text).toBe('Answer poll #1 with a score first: /poll answer 1 <0-10>.');

    const r = await bot.run('brand', '/poll results 1', mod);
    expect(r.text).toContain('NPS **+33** from 3 answers · average 7.3');
    expect(r.text).toContain('Promoters (9–10): 2 (67%) · Passives (7–8): 0 (0%) · Detractors (0–6): 1 (33%)');
    expect(r.text).toContain('• [3, detractor] Too many bots');
    expect(r.text).toContain('• [10, promoter] Friendly people');
    expect((await bot.run('ann', '/poll results 1')).text).toBe('/poll results is for moderators only.');

    bot.clock.advance(2 * DAY);
    expect(await bot.engine.runDueJobs()).toBe(1);
    const closed = (await outbox()).at(-1);
    expect(closed.text).toContain('(closed)');
    expect(closed.text).toContain('NPS **+33**');
    expect(closed.text).not.toContain('Too many bots'); // comments stay with the brand team
    expect((await bot.run('dan', '/poll answer 1 9')).text).toBe('Poll #1 is closed.');
  });

  it('rejects scores outside 0-10 and writes nothing', async () => {
    bot = await testBot();
    await bot.run('brand', '/poll create Rate us', mod);
    for (const [line, msg] of [['/poll answer 1 11', 'score: must be at most 10.'], ['/poll answer 1 -1', 'score: must be at least 0.'], ['/poll answer 1 great', 'score: must be a whole number.'], ['/poll answer 2 5', 'There is no poll #2. See /poll list.']]) {
      expect((await bot.run('ann', line)).text).toBe(msg);
    }
    expect(await bot.db.prisma.pollResponse.count()).toBe(0);
  });

  it('schedules a poll for later and repeats it weekly', async () => {
    bot = await testBot();
    const c = await bot.run('brand', '/poll create Weekly pulse? opens:2026-11-30 09:00 duration:1d repeat:weekly', mod);
    expect(c.text).toBe('Poll #1 opens 2026-11-30 09:00 UTC and closes 2026-12-01 09:00 UTC; it repeats weekly. Results: /poll results 1');
    expect(await outbox()).toHaveLength(0);
    expect((await bot.run('ann', '/poll answer 1 8')).text).toBe('Poll #1 opens 2026-11-30 09:00 UTC.');
    bot.clock.t = Date.parse('2026-11-30T09:00:00Z');
    expect(await bot.engine.runDueJobs()).toBe(1);
    expect((await outbox())[0].text).toContain('Poll #1: Weekly pulse?');
    await bot.run('ann', '/poll answer 1 8');
    bot.clock.advance(DAY);
    expect(await bot.engine.runDueJobs()).toBe(1);
    const next = await bot.db.prisma.poll.findUniqueOrThrow({ where: { id: 2 } });
    expect(next).toMatchObject({ status: 'scheduled', repeat: 'weekly', opensAt: new Date('2026-12-07T09:00:00Z'), closesAt: new Date('2026-12-08T09:00:00Z') });
    expect((await bot.run('ann', '/poll list')).text).toBe('📊 **Polls**\n#2 Weekly pulse?: opens 2026-12-07 09:00 UTC (weekly)');
    // Closing by hand stops the series.
    bot.clock.t = Date.parse('2026-12-07T10:00:00Z');
    await bot.engine.runDueJobs();
    await bot.run('brand', '/poll close 2', mod);
    expect(await bot.db.prisma.poll.count()).toBe(2);
    bot.clock.advance(30 * DAY);
    expect(await bot.engine.runDueJobs()).toBe(0);
  });

  it('shows the NPS trend across the runs of a repeating poll', async () => {
    bot = await testBot();
    await bot.run('brand', '/poll create Recommend us? duration:1d repeat:weekly', mod);
    const week = 7 * DAY;
    const answers = [[10, 10, 3], [9, 6], [10, 9, 9, 8]];
    for (let run = 0; run < answers.length; run++) {
      const id = run + 1;
      for (const [i, score] of answers[run].entries()) await bot.run(`u${i}`, `/poll answer ${id} ${score}`);
      bot.clock.advance(DAY);
      expect(await bot.engine.runDueJobs()).toBe(1); // close (and schedule the next run)
      bot.clock.advance(week - DAY);
      if (run < answers.length - 1) expect(await bot.engine.runDueJobs()).toBe(1); // next run opens
    }
    const r = await bot.run('brand', '/poll results 3', mod);
    expect(r.text).toContain('NPS **+75** from 4 answers');
    expect(r.text).toContain('Trend: 2026-11-25 +33 (3) → 2026-12-02 0 (2) → 2026-12-09 +75 (4)');
    const first = await bot.run('brand', '/poll results 1', mod);
    expect(first.text).not.toContain('Trend');
    const closing = (await outbox()).filter((m) => m.text.includes('(closed)')).at(-1);
    expect(closing.text).toContain('Trend: 2026-11-25 +33 (3) → 2026-12-02 0 (2) → 2026-12-09 +75 (4)');
  });

  it('validates poll creation', async () => {
    bot = await testBot();
    expect((await bot.run('brand', '/poll create Q? duration:1m', mod)).text).toBe('duration: must be between 5m and 90d.');
    expect((await bot.run('brand', '/poll create Q? duration:soon', mod)).text).toBe('duration: "soon" is not a duration; use e.g. 30m, 2h, 3d or 1w.');
    expect((await bot.run('brand', '/poll create Q? repeat:hourly', mod)).text).toBe('repeat: must be one of: none, daily, weekly, monthly.');
    expect((await bot.run('brand', '/poll create Q? opens:2020-01-01', mod)).text).toBe('The opening time must not be in the past.');
    expect((await bot.run('brand', '/poll create', mod)).text).toMatch(/^Missing question\./);
    expect(await bot.db.prisma.poll.count()).toBe(0);
    bot.clock.advance(HOUR);
  });
});
