import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { DAY } from './helpers.js';
import { PG_ADMIN_URL, slackCmd as cmd, twoInstances, type TwoInstances } from './pg.js';
import { transaction } from '../src/db/client.js';
import { txScope } from '../src/infra/jobs.js';
import { endSeason } from '../src/features/seasons/service.js';

/**
 * A season's end on two instances of the bot at once (PostgreSQL, READ COMMITTED): whether both job runners
 * race for the job or both run the end itself, the winners are paid once and the recap is queued once.
 */
const ROUNDS = 6;

describe.skipIf(!PG_ADMIN_URL)('season end on two instances (PostgreSQL)', () => {
  let bot: TwoInstances;
  beforeAll(async () => {
    bot = await twoInstances('seasons');
    await bot.e1.handle(cmd('UADMIN', '/points'));
    for (const u of ['UA', 'UB', 'UC']) await bot.e1.handle(cmd(u, '/points'));
  });
  afterAll(async () => bot?.close());

  const prisma = () => bot.a.prisma;
  const recaps = async (id: number) => (await prisma().outboxMessage.findMany()).filter((m) => {
    const n = (JSON.parse(m.payload) as { notice: { type: string; seasonId?: number } }).notice;
    return n.type === 'season.ended' && n.seasonId === id;
  }).length;

  /** A season that pays 1=500, 2=reward; UB leads, UA second. Returns its id, once its end time has passed. */
  async function seasonPastItsEnd(round: number): Promise<number> {
    const r = await bot.e1.handle(cmd('UADMIN', `/season start "Round ${round}" 1d prizes:1=500,2=reward:1`));
    expect(r.error).toBeUndefined();
    const id = (await prisma().season.findFirstOrThrow({ orderBy: { id: 'desc' } })).id;
    await Promise.all([bot.e1.handle(cmd('UADMIN', '/give <@UB> 20')), bot.e2.handle(cmd('UADMIN', '/give <@UA> 10'))]);
    bot.clock.advance(DAY);
    return id;
  }

  async function expectPaidOnce(id: number) {
    const prizes = await prisma().ledgerEntry.findMany({ where: { idempotencyKey: { startsWith: `season:${id}:` } } });
    expect(prizes.map((p) => [p.idempotencyKey, p.delta])).toEqual([[`season:${id}:rank:1`, 500]]);
    expect(await prisma().redemption.count({ where: { createdAt: { gt: (await prisma().season.findUniqueOrThrow({ where: { id } })).startsAt }, cost: 0 } })).toBe(1);
    expect(await recaps(id)).toBe(1);
    expect((await prisma().season.findUniqueOrThrow({ where: { id } })).status).toBe('ended');
  }

  it('pays once when both instances run the due end job', async () => {
    expect((await bot.e1.handle(cmd('UADMIN', '/reward add 100 Hoodie'))).error).toBeUndefined();
    for (let round = 0; round < ROUNDS; round++) {
      const id = await seasonPastItsEnd(round);
      const [a, b] = await Promise.all([bot.e1.runDueJobs(), bot.e2.runDueJobs()]);
      expect(a + b).toBe(1);
      await expectPaidOnce(id);
    }
  });

  it('pays once when two runs of the end itself race (the status transition decides)', async () => {
    for (let round = ROUNDS; round < 2 * ROUNDS; round++) {
      const id = await seasonPastItsEnd(round);
      const now = bot.clock.now();
      const end = (db: typeof bot.a, seed: number) => transaction(db.prisma, (tx) => endSeason(txScope(tx, now, () => seed), id), { maxWait: 20_000, timeout: 60_000 });
      await Promise.all([end(bot.a, 0), end(bot.b, 0)]);
      // The job, still due, finds the season ended and does nothing.
      expect(await bot.e1.runDueJobs()).toBe(1);
      await expectPaidOnce(id);
    }
    const sums = await prisma().ledgerEntry.groupBy({ by: ['memberId'], _sum: { delta: true } });
    for (const m of await prisma().member.findMany()) expect(m.balance).toBe(sums.find((x) => x.memberId === m.id)?._sum.delta ?? 0);
  });
});
