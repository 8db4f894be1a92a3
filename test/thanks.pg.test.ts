import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { PG_ADMIN_URL, slackCmd as cmd, twoInstances, type TwoInstances } from './pg.js';

/** Peer thanks under two bot instances on PostgreSQL: the daily allowance and the weekly pair cap hold when thanks arrive at once. */
describe.skipIf(!PG_ADMIN_URL)('peer thanks between two instances (PostgreSQL)', () => {
  let bot: TwoInstances;
  beforeAll(async () => { bot = await twoInstances('thanks'); });
  afterAll(async () => bot?.close());
  const prisma = () => bot.a.prisma;
  const memberId = async (user: string) => (await prisma().identity.findFirstOrThrow({ where: { platform: 'slack', platformUserId: user } })).memberId;
  const balance = async (user: string) => (await prisma().member.findUniqueOrThrow({ where: { id: await memberId(user) } })).balance;

  it('lets exactly the allowance through when ten thanks from one giver arrive at once', async () => {
    const receivers = Array.from({ length: 10 }, (_, i) => `UR${i}`);
    for (const u of ['UGIVER', ...receivers]) await bot.e1.handle(cmd(u, '/points'));
    const replies = await Promise.all(receivers.map((u, i) => (i % 2 ? bot.e2 : bot.e1).handle(cmd('UGIVER', `/thanks <@${u}> 1 for the help at once`))));
    expect(replies.filter((r) => !r.error)).toHaveLength(5);
    expect(new Set(replies.filter((r) => r.error).map((r) => r.error!.code))).toEqual(new Set(['thanks:error.allowanceGone']));
    const giver = await memberId('UGIVER');
    expect((await prisma().thanksAllowance.findMany({ where: { memberId: giver } })).map((a) => a.spent)).toEqual([5]);
    const rows = await prisma().ledgerEntry.findMany({ where: { kind: 'thanks', actorId: giver } });
    expect(rows).toHaveLength(5);
    expect(await prisma().thanks.count({ where: { giverId: giver } })).toBe(5);
    let total = 0;
    for (const u of receivers) total += await balance(u);
    expect(total).toBe(5);
    // Every receiver's balance is its ledger; the giver's balance is untouched.
    for (const r of rows) expect((await prisma().member.findUniqueOrThrow({ where: { id: r.memberId } })).balance).toBe(r.delta);
    expect(await balance('UGIVER')).toBe(0);
  });

  it('holds the weekly pair cap when many thanks to one receiver arrive at once', async () => {
    await bot.e1.handle(cmd('UADMIN', '/thanks settings daily:50 pair_weekly:3 max:10'));
    for (const u of ['UA', 'UB']) await bot.e1.handle(cmd(u, '/points'));
    const replies = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? bot.e2 : bot.e1).handle(cmd('UA', `/thanks <@UB> 1 for thing number ${i}`))));
    expect(replies.filter((r) => !r.error)).toHaveLength(3);
    expect(new Set(replies.filter((r) => r.error).map((r) => r.error!.code))).toEqual(new Set(['thanks:error.pairFull']));
    const [a, b] = [await memberId('UA'), await memberId('UB')];
    expect((await prisma().thanksPair.findMany({ where: { giverId: a, receiverId: b } })).map((p) => p.points)).toEqual([3]);
    // Refused thanks spent nothing of the allowance.
    expect((await prisma().thanksAllowance.findMany({ where: { memberId: a } })).map((p) => p.spent)).toEqual([3]);
    expect(await balance('UB')).toBe(3);
    expect(await prisma().ledgerEntry.count({ where: { kind: 'thanks', memberId: b } })).toBe(3);
  });

  it('applies one delivery once when both instances receive it at once', async () => {
    for (const u of ['UC', 'UD']) await bot.e1.handle(cmd(u, '/points'));
    const same = cmd('UC', '/thanks <@UD> 2 for the review', { eventKey: 'Ev-thanks-1' });
    const replies = await Promise.all([bot.e1.handle(same), bot.e2.handle(same), bot.e1.handle(same)]);
    expect(new Set(replies.map((r) => r.text)).size).toBe(1);
    expect(await balance('UD')).toBe(2);
    expect((await prisma().thanksAllowance.findMany({ where: { memberId: await memberId('UC') } })).map((p) => p.spent)).toEqual([2]);
  });
});
