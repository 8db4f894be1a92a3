import { describe, it, expect, afterEach } from 'vitest';
import { testBot, type TestBot, DAY } from './helpers.js';

let bot: TestBot;
afterEach(async () => bot?.close());
const codeOf = async (u: string) => (await bot.memberOf(u) as unknown as { referralCode: string }).referralCode;

describe('referrals', () => {
  it('rewards both sides once through the ledger', async () => {
    bot = await testBot();
    const info = await bot.run('ann', '/referral code');
    const code = await codeOf('ann');
    expect(info.text).toContain(`Your referral code: **${code}**`);
    expect(info.text).toContain('get 50 points, and you get 100');
    const r = await bot.run('ben', `/referral redeem ${code.toLowerCase()}`, { eventKey: 'tg-1' });
    expect(r.text).toBe("🤝 Welcome! You joined with ann's code. You got 50 points (balance 50).");
    expect((await bot.memberOf('ann')).balance).toBe(100);
    // The platform re-delivers the same update: same answer, nothing paid twice.
    expect(await bot.run('ben', `/referral redeem ${code}`, { eventKey: 'tg-1' })).toEqual(r);
    // The member tries again by hand.
    expect((await bot.run('ben', `/referral redeem ${code}`)).text).toBe('You have already used a referral code.');
    const rows = await bot.db.prisma.ledgerEntry.findMany({ where: { kind: 'referral' } });
    expect(rows.map((x) => x.delta).sort()).toEqual([100, 50]);
    expect(await bot.db.prisma.referral.count()).toBe(1);
    expect((await bot.run('ann', '/referral code')).text).toContain('So far: 1 referral, 100 points earned.');
  });

  it('refuses self-referral, unknown codes, cycles and old members', async () => {
    bot = await testBot();
    await bot.run('ann', '/points');
    const ann = await codeOf('ann');
    expect((await bot.run('ann', `/referral redeem ${ann}`)).text).toBe('That is your own referral code; share it with friends instead.');
    const unknown = await bot.run('ann', '/referral redeem NOPE1234');
    expect(unknown.text).toBe('"NOPE1234" is not a referral code here. Check it with the person who invited you.');
    expect(unknown.error).toEqual({ code: 'referrals:error.unknownCode', field: 'code' });
    expect((await bot.run('ann', '/referral redeem bad-code!')).text).toBe('code: is letters and digits only.');
    // ann -> ben -> cat; ann may not then use cat's (or ben's) code.
    await bot.run('ben', `/referral redeem ${ann}`);
    await bot.run('cat', `/referral redeem ${await codeOf('ben')}`);
    expect((await bot.run('ann', `/referral redeem ${await codeOf('cat')}`)).text).toBe("You can't use a code from someone you referred.");
    expect((await bot.run('ann', `/referral redeem ${await codeOf('ben')}`)).text).toBe("You can't use a code from someone you referred.");
    bot.clock.advance(31 * DAY);
    await bot.run('dan', '/points');
    bot.clock.advance(31 * DAY);
    expect((await bot.run('dan', `/referral redeem ${ann}`)).text).toBe('Referral codes are for new members (first 30 days).');
    expect(await bot.db.prisma.referral.count()).toBe(2);
    expect(await bot.db.prisma.ledgerEntry.count()).toBe(4);
  });

  it('uses the community reward settings', async () => {
    bot = await testBot();
    const s = await bot.run('boss', '/settings referrer_reward:10 referee_reward:0', { role: 'admin' });
    expect(s.text).toContain('referral rewards: 10 points to the inviter, 0 to the new member');
    await bot.run('ben', `/referral redeem ${await codeOf('boss')}`);
    expect((await bot.memberOf('boss')).balance).toBe(10);
    expect((await bot.memberOf('ben')).balance).toBe(0);
  });
});
