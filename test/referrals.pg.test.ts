import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { DAY } from './helpers.js';
import { PG_ADMIN_URL, slackCmd as cmd, twoInstances, type TwoInstances } from './pg.js';
import { checkReferral } from '../src/features/referrals/service.js';
import { recordPresence } from '../src/features/presence/service.js';
import { transaction } from '../src/db/client.js';
import { txScope } from '../src/infra/jobs.js';

/** Referral rules under two bot instances on PostgreSQL: checks and caps hold when everything happens at once. */
describe.skipIf(!PG_ADMIN_URL)('referral rules between two instances (PostgreSQL)', () => {
  let bot: TwoInstances;
  beforeAll(async () => {
    bot = await twoInstances('referrals');
    await bot.e1.handle(cmd('UADMIN', '/referral settings min_days:1 min_activity:0 min_account_age:0 per_day:3 per_month:100'));
  });
  afterAll(async () => bot?.close());
  const prisma = () => bot.a.prisma;
  const memberId = async (user: string) => (await prisma().identity.findFirstOrThrow({ where: { platform: 'slack', platformUserId: user } })).memberId;
  const codeOf = async (user: string) => (await prisma().member.findUniqueOrThrow({ where: { id: await memberId(user) } })).referralCode;

  it('pays a referral once when two checks run at once, and once when both instances run due jobs', async () => {
    await bot.e1.handle(cmd('UREF', '/points'));
    const code = await codeOf('UREF');
    for (let i = 0; i < 3; i++) expect((await bot.e2.handle(cmd(`UNEW${i}`, `/referral redeem ${code}`))).error).toBeUndefined();
    bot.clock.advance(DAY);
    const refs = await prisma().referral.findMany({ where: { referrerId: await memberId('UREF') } });
    // Two checks of the first referral at once, one per instance.
    const check = (db: typeof bot.a, id: number) => transaction(db.prisma, (tx) => checkReferral(txScope(tx, bot.clock.now(), () => 0), id), { maxWait: 20_000, timeout: 60_000 });
    await Promise.all([check(bot.a, refs[0].id), check(bot.b, refs[0].id)]);
    // The other two through the job runners of both instances at once.
    await Promise.all([bot.e1.runDueJobs(), bot.e2.runDueJobs()]);
    expect((await prisma().referral.findMany({ where: { referrerId: await memberId('UREF') } })).map((r) => r.status)).toEqual(['paid', 'paid', 'paid']);
    expect(await prisma().ledgerEntry.count({ where: { kind: 'referral', memberId: await memberId('UREF') } })).toBe(3);
    expect((await prisma().member.findUniqueOrThrow({ where: { id: await memberId('UREF') } })).balance).toBe(300);
    for (let i = 0; i < 3; i++) expect((await prisma().member.findUniqueOrThrow({ where: { id: await memberId(`UNEW${i}`) } })).balance).toBe(50);
  });

  it('holds the daily cap when many new members redeem one code at once on both instances', async () => {
    await bot.e1.handle(cmd('UCAP', '/points'));
    const code = await codeOf('UCAP');
    const users = Array.from({ length: 10 }, (_, i) => `UC${i}`);
    for (const u of users) await bot.e1.handle(cmd(u, '/points'));
    const replies = await Promise.all(users.map((u, i) => (i % 2 ? bot.e2 : bot.e1).handle(cmd(u, `/referral redeem ${code}`))));
    expect(replies.filter((r) => !r.error)).toHaveLength(3);
    expect(new Set(replies.filter((r) => r.error).map((r) => r.error!.code))).toEqual(new Set(['referrals:error.capDay']));
    expect(await prisma().referral.count({ where: { referrerId: await memberId('UCAP') } })).toBe(3);
  });

  it('pays one of two redemptions of the same new member at once', async () => {
    await bot.e1.handle(cmd('UA', '/points'));
    await bot.e1.handle(cmd('UB', '/points'));
    await bot.e1.handle(cmd('UN', '/points'));
    const [a, b] = [await codeOf('UA'), await codeOf('UB')];
    const replies = await Promise.all([bot.e1.handle(cmd('UN', `/referral redeem ${a}`)), bot.e2.handle(cmd('UN', `/referral redeem ${b}`))]);
    expect(replies.filter((r) => !r.error)).toHaveLength(1);
    expect(replies.filter((r) => r.error).map((r) => r.error!.code)).toEqual(['referrals:error.alreadyUsed']);
    bot.clock.advance(DAY);
    await Promise.all([bot.e1.runDueJobs(), bot.e2.runDueJobs()]);
    expect(await prisma().ledgerEntry.count({ where: { kind: 'referral', memberId: await memberId('UN') } })).toBe(1);
    // Every balance is its ledger.
    const sums = await prisma().ledgerEntry.groupBy({ by: ['memberId'], _sum: { delta: true } });
    for (const m of await prisma().member.findMany()) expect(m.balance).toBe(sums.find((s) => s.memberId === m.id)?._sum.delta ?? 0);
  });

  it('never leaves a referral paid when the new member leaves while a check pays it', async () => {
    await bot.e1.handle(cmd('ULREF', '/points'));
    const code = await codeOf('ULREF');
    const users = ['ULN0', 'ULN1', 'ULN2'];
    for (const u of users) expect((await bot.e2.handle(cmd(u, `/referral redeem ${code}`))).error).toBeUndefined();
    bot.clock.advance(DAY);
    const refOf = async (u: string) => prisma().referral.findUniqueOrThrow({ where: { refereeId: await memberId(u) } });
    const leaveEvent = (u: string) => ({ platform: 'slack' as const, communityKey: 'T1', kind: 'leave' as const, actor: { platform: 'slack' as const, userId: u, displayName: u } });
    const opts = { maxWait: 20_000, timeout: 60_000 };
    const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
    // The check (instance b) has paid and holds the row when the leave (instance a) comes; it commits 300 ms later.
    const r0 = await refOf('ULN0');
    await Promise.all([
      transaction(bot.b.prisma, async (tx) => { await checkReferral(txScope(tx, bot.clock.now(), () => 0), r0.id); await pause(300); }, opts),
      pause(100).then(() => bot.e1.presence(leaveEvent('ULN0'))),
    ]);
    expect((await refOf('ULN0')).status).toBe('clawedBack');
    // The leave (instance a) holds the row when the check (instance b) comes: the check pays nothing.
    const r1 = await refOf('ULN1');
    await Promise.all([
      transaction(bot.a.prisma, async (tx) => { await recordPresence(txScope(tx, bot.clock.now(), () => 0), leaveEvent('ULN1')); await pause(300); }, opts),
      pause(100).then(() => transaction(bot.b.prisma, (tx) => checkReferral(txScope(tx, bot.clock.now(), () => 0), r1.id), opts)),
    ]);
    expect((await refOf('ULN1')).status).toBe('cancelled');
    // Both at once through the engines, as they come.
    await Promise.all([bot.e1.presence(leaveEvent('ULN2')), bot.e2.runDueJobs()]);
    expect(['cancelled', 'clawedBack']).toContain((await refOf('ULN2')).status);
    // Whatever the order, nobody keeps a reward for a member who left, and every balance is its ledger.
    for (const u of users) {
      const paid = await prisma().ledgerEntry.aggregate({ where: { kind: 'referral', idempotencyKey: { contains: `:${await memberId(u)}:` } }, _sum: { delta: true } });
      expect(paid._sum.delta ?? 0).toBe(0);
    }
    expect((await prisma().member.findUniqueOrThrow({ where: { id: await memberId('ULREF') } })).balance).toBe(0);
    const sums = await prisma().ledgerEntry.groupBy({ by: ['memberId'], _sum: { delta: true } });
    for (const m of await prisma().member.findMany()) expect(m.balance).toBe(sums.find((x) => x.memberId === m.id)?._sum.delta ?? 0);
  });
});
