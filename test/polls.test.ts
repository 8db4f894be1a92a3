import { describe, it, expect, afterEach } from 'vitest';
import { testBot, type TestBot, DAY, HOUR } from './helpers.js';
import { npsOf } from '../src/features/polls/nps.js';
import { closePoll } from '../src/features/polls/service.js';
import { txScope } from '../src/infra/jobs.js';
import type { Reply } from '../src/core/types.js';

let bot: TestBot;
afterEach(async () => bot?.close());
const mod = { role: 'moderator' as const };
let sent: Reply[] = [];
afterEach(() => { sent = []; });
/** Every notice delivered so far, worded as the channel reads it. */
const outbox = async (): Promise<any[]> => {
  await bot.engine.deliverOutbox('console', async (_to, reply) => { sent.push(reply); });
  return sent;
};

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
    expect(c.text).toBe('Poll #1 is open and closes Fri, Nov 27, 12:00 PM. Results: /poll results 1');
    const [card] = await outbox();
    expect(card.text).toContain('**Poll #1: How likely are you to recommend us to a friend?**');
    expect(card.buttons.flat().map((b: { label: string }) => b.label)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10']);
    expect(card.buttons[1][4]).toMatchObject({ command: 'poll answer', args: { poll: 1, score: 10 } });

    const a = await bot.run('ann', '/poll answer 1 10');
    // A promoter is also offered their referral code (the advocacy loop, test/polls-advocacy.test.ts).
    expect(a.text.split('\n')[0]).toBe('Thanks! You answered 10 to poll #1. What do you like most? Add a comment: /poll comment 1 <text>');
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
    expect(c.text).toBe('Poll #1 opens Mon, Nov 30, 9:00 AM and closes Tue, Dec 1, 9:00 AM; it repeats weekly. Results: /poll results 1');
    expect(await outbox()).toHaveLength(0);
    expect((await bot.run('ann', '/poll answer 1 8')).text).toBe('Poll #1 opens Mon, Nov 30, 9:00 AM.');
    bot.clock.t = Date.parse('2026-11-30T09:00:00Z');
    expect(await bot.engine.runDueJobs()).toBe(1);
    expect((await outbox())[0].text).toContain('Poll #1: Weekly pulse?');
    await bot.run('ann', '/poll answer 1 8');
    bot.clock.advance(DAY);
    expect(await bot.engine.runDueJobs()).toBe(1);
    const next = await bot.db.prisma.poll.findUniqueOrThrow({ where: { id: 2 } });
    expect(next).toMatchObject({ status: 'scheduled', repeat: 'weekly', opensAt: new Date('2026-12-07T09:00:00Z'), closesAt: new Date('2026-12-08T09:00:00Z') });
    expect((await bot.run('ann', '/poll list')).text).toBe('📊 **Polls**\n#2 Weekly pulse?: opens Mon, Dec 7, 9:00 AM (weekly)');
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
    expect(r.text).toContain('Trend: Nov 25 +33 (3) → Dec 2 0 (2) → Dec 9 +75 (4)');
    const first = await bot.run('brand', '/poll results 1', mod);
    expect(first.text).not.toContain('Trend');
    const closing = (await outbox()).filter((m) => m.text.includes('(closed)')).at(-1);
    expect(closing.text).toContain('Trend: Nov 25 +33 (3) → Dec 2 0 (2) → Dec 9 +75 (4)');
  });

  it('closes once: a moderator racing the close job posts the results once', async () => {
    bot = await testBot();
    await bot.run('brand', '/poll create Rate us', mod);
    await bot.run('ann', '/poll answer 1 9');
    // The close job has claimed its row; a moderator closes the poll just before its handler runs.
    expect((await bot.run('brand', '/poll close 1', mod)).text).toBe('Poll #1 closed.');
    // Closed early, it records when it really closed (dashboard lists, response rates).
    expect((await bot.db.prisma.poll.findUniqueOrThrow({ where: { id: 1 } })).closesAt).toEqual(bot.clock.now());
    const jobClose = () => bot.db.prisma.$transaction((tx) => closePoll(txScope(tx, bot.clock.now(), () => 0), 1));
    expect(await jobClose()).toBe(false);
    expect(await jobClose()).toBe(false);
    expect((await bot.run('brand', '/poll close 1', mod)).error?.code).toBe('polls:error.alreadyClosed');
    expect((await outbox()).filter((m) => m.text.includes('(closed)'))).toHaveLength(1);
    bot.clock.advance(4 * DAY);
    expect(await bot.engine.runDueJobs()).toBe(0);
  });

  it('creates polls only in a channel', async () => {
    bot = await testBot();
    const r = await bot.run('brand', '/poll create Rate us', { ...mod, address: { kind: 'dm', userId: 'brand' } });
    expect(r.error?.code).toBe('errors:precondition.inChannel');
    expect(await bot.db.prisma.poll.count()).toBe(0);
  });

  /** Opens and closes each run of poll #1's series in turn; returns the opening times of runs 2.. as ISO strings. */
  async function runSeries(runs: number): Promise<string[]> {
    for (let id = 1; id <= runs; id++) {
      const p = await bot.db.prisma.poll.findUniqueOrThrow({ where: { id } });
      bot.clock.t = p.opensAt.getTime();
      expect(await bot.engine.runDueJobs()).toBe(1); // opens
      bot.clock.t = p.closesAt.getTime();
      expect(await bot.engine.runDueJobs()).toBe(1); // closes and schedules the next run
    }
    const polls = await bot.db.prisma.poll.findMany({ where: { id: { gt: 1 } }, orderBy: { id: 'asc' } });
    expect(polls.every((p) => p.seriesId === 1)).toBe(true);
    return polls.map((p) => p.opensAt.toISOString());
  }

  const inZone = async (timezone: string) => {
    await bot.run('brand', '/poll list');
    await bot.db.prisma.community.updateMany({ data: { timezone } });
  };

  it('keeps the day of month of a monthly series in the community time zone', async () => {
    bot = await testBot();
    await inZone('Asia/Seoul');
    await bot.run('brand', '/poll create Monthly pulse? opens:2027-01-31 09:00 duration:1d repeat:monthly', mod);
    expect((await bot.db.prisma.poll.findUniqueOrThrow({ where: { id: 1 } })).opensAt).toEqual(new Date('2027-01-31T00:00:00Z'));
    // Jan 31 -> Feb 28 -> Mar 31 (not Mar 28), 09:00 in Seoul.
    expect(await runSeries(2)).toEqual(['2027-02-28T00:00:00.000Z', '2027-03-31T00:00:00.000Z']);
  });

  it('keeps the local hour of a weekly series across a daylight saving change, and skips runs missed while down', async () => {
    bot = await testBot();
    await inZone('America/New_York');
    await bot.run('brand', '/poll create Weekly pulse? opens:2027-03-10 09:00 duration:1d repeat:weekly', mod);
    expect((await bot.db.prisma.poll.findUniqueOrThrow({ where: { id: 1 } })).opensAt).toEqual(new Date('2027-03-10T14:00:00Z')); // 09:00 EST
    expect(await runSeries(1)).toEqual(['2027-03-17T13:00:00.000Z']); // 09:00 EDT after Mar 14
    expect((await bot.run('ann', '/poll list')).text).toBe('📊 **Polls**\n#2 Weekly pulse?: opens Wed, Mar 17, 9:00 AM (weekly)');
    // The bot was down from the second run's opening until after the third run would have closed.
    bot.clock.t = Date.parse('2027-03-25T14:00:00Z');
    await bot.engine.runDueJobs();
    expect((await bot.db.prisma.poll.findUniqueOrThrow({ where: { id: 3 } })).opensAt).toEqual(new Date('2027-03-31T13:00:00Z'));
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
