import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { HOUR } from './helpers.js';
import { PG_ADMIN_URL, slackCmd as cmd, twoInstances, type TwoInstances } from './pg.js';
import { transaction } from '../src/db/client.js';
import { txScope } from '../src/infra/jobs.js';
import { expireClaims } from '../src/features/contests/service.js';

/**
 * Giveaways on two instances of the bot (PostgreSQL, READ COMMITTED): a winner's claim racing the claim check
 * that replaces them at the deadline has exactly one outcome, and entries made at once from both instances
 * keep their weights and counts exact.
 */
const ROUNDS = 8;
const USERS = ['UA', 'UB', 'UC', 'UD', 'UE', 'UF'];

describe.skipIf(!PG_ADMIN_URL)('giveaway claims and entries on two instances (PostgreSQL)', () => {
  let bot: TwoInstances;
  beforeAll(async () => {
    bot = await twoInstances('contests');
    await bot.e1.handle(cmd('UADMIN', '/points'));
    for (const u of USERS) await bot.e1.handle(cmd(u, '/points'));
  });
  afterAll(async () => bot?.close());
  const prisma = () => bot.a.prisma;

  it('a claim racing the claim check: either claimed and paid once, or replaced and drawn again', async () => {
    const outcomes = { claimed: 0, replaced: 0 };
    for (let round = 0; round < ROUNDS; round++) {
      expect((await bot.e1.handle(cmd('UADMIN', `/contest create "Prize ${round}" 1 1h points:40 claim:1`))).error).toBeUndefined();
      const id = (await prisma().contest.findFirstOrThrow({ orderBy: { id: 'desc' } })).id;
      for (const u of USERS) expect((await bot.e1.handle(cmd(u, `/contest enter ${id}`))).error).toBeUndefined();
      expect((await bot.e1.handle(cmd('UADMIN', `/contest end ${id}`))).error).toBeUndefined();
      const winner = await prisma().contestWinner.findFirstOrThrow({ where: { contestId: id } });
      const account = await prisma().identity.findFirstOrThrow({ where: { memberId: winner.memberId, platform: 'slack' } });
      // The claim arrives a moment before the deadline; the check runs a moment after it, on the other instance.
      bot.clock.t = winner.claimBy!.getTime() - 1;
      const after = new Date(winner.claimBy!.getTime() + 1);
      const [claim] = await Promise.all([
        bot.e1.handle(cmd(account.platformUserId, `/contest claim ${id}`)),
        transaction(bot.b.prisma, (tx) => expireClaims(txScope(tx, after, () => 0), id), { maxWait: 20_000, timeout: 60_000 }),
      ]);
      const w = await prisma().contestWinner.findUniqueOrThrow({ where: { contestId_memberId: { contestId: id, memberId: winner.memberId } } });
      const paid = await prisma().ledgerEntry.count({ where: { idempotencyKey: `contest:${id}:${winner.memberId}` } });
      const others = await prisma().contestWinner.count({ where: { contestId: id, round: 2 } });
      if (claim.error) {
        expect(claim.error.code).toBe('contests:error.claimExpired');
        expect(w).toMatchObject({ replaced: true, replacedReason: 'unclaimed', claimedAt: null });
        expect(paid).toBe(0);
        expect(others).toBe(1);
        outcomes.replaced++;
      } else {
        expect(w).toMatchObject({ replaced: false, claimedAt: new Date(bot.clock.t) });
        expect(paid).toBe(1);
        expect(others).toBe(0);
        outcomes.claimed++;
      }
      bot.clock.advance(HOUR);
    }
    expect(outcomes.claimed + outcomes.replaced).toBe(ROUNDS);
    const sums = await prisma().ledgerEntry.groupBy({ by: ['memberId'], _sum: { delta: true } });
    for (const m of await prisma().member.findMany()) expect(m.balance).toBe(sums.find((x) => x.memberId === m.id)?._sum.delta ?? 0);
  });

  it('entries from both instances at once keep weights and counts exact', async () => {
    await bot.e1.handle(cmd('UADMIN', '/give <@UA> 500'));
    await bot.e1.handle(cmd('UADMIN', '/give <@UB> 2000'));
    expect((await bot.e1.handle(cmd('UADMIN', '/contest create Race 2 1d bonus:"Silver=1, Gold=3"'))).error).toBeUndefined();
    const id = (await prisma().contest.findFirstOrThrow({ orderBy: { id: 'desc' } })).id;
    // Every member enters from both instances at the same time (a double click landing on two instances).
    const replies = await Promise.all(USERS.flatMap((u) => [bot.e1.handle(cmd(u, `/contest enter ${id}`)), bot.e2.handle(cmd(u, `/contest enter ${id}`))]));
    expect(replies.filter((r) => !r.error)).toHaveLength(USERS.length);
    expect(replies.filter((r) => r.error).every((r) => r.error!.code === 'contests:error.alreadyEntered')).toBe(true);
    const entries = await prisma().contestEntry.findMany({ where: { contestId: id } });
    expect(entries).toHaveLength(USERS.length);
    const total = entries.reduce((s, e) => s + e.weight, 0);
    // UA Silver (+1), UB Gold (+3: the largest bonus, not both), the rest 1 each.
    expect(total).toBe(2 + 4 + (USERS.length - 2));
    expect(await prisma().scheduledJob.count({ where: { kind: 'contest.refresh', refId: id, status: 'pending' } })).toBe(1);
    const show = await bot.e2.handle(cmd('UB', `/contest show ${id}`));
    expect(show.text).toContain(`Your odds: 4 entries of ${total}`);
  });
});
