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
});
