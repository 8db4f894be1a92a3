import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { PG_ADMIN_URL, slackCmd as cmd, twoInstances, type TwoInstances } from './pg.js';
import { DAY } from './helpers.js';

/** The dashboard's NPS report on PostgreSQL (grouped counts come back as bigint there). */
describe.skipIf(!PG_ADMIN_URL)('NPS report (PostgreSQL)', () => {
  let bot: TwoInstances;
  beforeAll(async () => { bot = await twoInstances('nps'); });
  afterAll(async () => bot?.close());

  it('charts each run of a repeating poll and breaks the chosen run down', async () => {
    const { e1, e2 } = bot;
    expect((await e1.handle(cmd('UADMIN', '/poll create Recommend us? duration:1d repeat:weekly'))).error).toBeUndefined();
    for (const [u, line] of [['UA', '/poll answer 1 10 Great'], ['UB', '/poll answer 1 9'], ['UC', '/poll answer 1 3 Slow']] as const) {
      expect((await e2.handle(cmd(u, line))).error).toBeUndefined();
    }
    bot.clock.advance(DAY);
    await e1.runDueJobs();
    bot.clock.advance(6 * DAY);
    await e1.runDueJobs();
    expect((await e2.handle(cmd('UA', '/poll answer 2 6'))).error).toBeUndefined();
    const id = (await e1.communityByKey('slack', 'T1'))!.id;
    const report = await e1.npsReport(id);
    expect(report.series).toHaveLength(1);
    expect(report.series[0].runs.map((r) => [r.nps, r.responses])).toEqual([[33, 3], [-100, 1]]);
    const first = await e2.npsReport(id, { run: 1, group: 'detractors' });
    expect(first.selected?.summary).toMatchObject({ responses: 3, promoters: 2, detractors: 1 });
    expect(first.selected?.comments.map((c) => c.comment)).toEqual(['Slow']);
  });

  it('marks a detractor answer done once when two instances act at once', async () => {
    const { e1, e2, a } = bot;
    const id = (await e1.communityByKey('slack', 'T1'))!.id;
    const mod = await a.prisma.identity.findFirstOrThrow({ where: { platform: 'slack', platformUserId: 'UADMIN' } });
    const uc = await a.prisma.identity.findFirstOrThrow({ where: { platform: 'slack', platformUserId: 'UC' } });
    const who = { communityId: id, memberId: mod.memberId };
    const answer = { pollId: 1, memberId: uc.memberId };
    expect((await e1.npsReport(id)).openFollowUps).toBe(2); // UC on #1, UA on #2
    // Segments and response rate read through one joined query (PostgreSQL timestamps and counts).
    const run1 = (await e2.npsReport(id, { run: 1 })).selected!;
    expect(run1.rate).toMatchObject({ responses: 3, members: 4 });
    expect(run1.segments.platform.map((r) => [r.key, r.summary.responses, r.summary.nps])).toEqual([['slack', 3, 33]]);
    expect(run1.segments.tenure.map((r) => r.key)).toEqual(['under30']);
    expect(run1.segments.source.map((r) => r.key)).toEqual(['organic']);
    // Two moderators' forms (two one-time values): one wins, the other is told it was already done.
    const raced = await Promise.allSettled([e1.npsFollowUpMark(who, answer, true, 'pg-form-a'), e2.npsFollowUpMark(who, answer, true, 'pg-form-b')]);
    expect(raced.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const lost = raced.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(lost.reason).toMatchObject({ code: 'dashboard:nps.followups.error.alreadyDone' });
    expect(await a.prisma.pollFollowUp.count({ where: { kind: 'done' } })).toBe(1);
    // One form sent twice at once (a double click reaching both instances): applied once, both get its outcome.
    const twice = await Promise.all([e1.npsFollowUpMark(who, answer, false, 'pg-form-c'), e2.npsFollowUpMark(who, answer, false, 'pg-form-c')]);
    expect(twice.map((o) => o.kind)).toEqual(['reopened', 'reopened']);
    expect(await a.prisma.pollFollowUp.count({ where: { kind: 'reopened' } })).toBe(1);
    expect((await e2.npsFollowUps(id, 'open')).items.map((i) => i.memberId)).toContain(uc.memberId);
  });
});
