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

describe('referrals between accounts later linked as one member', () => {
  const d = { platform: 'discord' as const, communityKey: 'guild-1' };
  const t = { platform: 'telegram' as const, communityKey: '-100200' };
  const boss = { ...d, actor: { platform: 'discord' as const, userId: '999', displayName: 'boss', platformRole: 'admin' as const } };
  const on = (platform: 'discord' | 'telegram', id: string) => ({ ...(platform === 'discord' ? d : t), actor: { platform, userId: id, displayName: `${platform}-${id}` } });
  const codeOfMember = async (memberId: string) => (await bot.db.prisma.member.findUniqueOrThrow({ where: { id: memberId } })).referralCode;
  /** ann on Discord (111) and her new Telegram account (77), in one community across both platforms. */
  async function twoAccounts() {
    bot = await testBot();
    await bot.run('x', '/points', on('discord', '111'));
    const bind = (await bot.run('x', '/community bind', boss)).text.match(/\*\*(\w+)\*\*/)![1];
    await bot.run('x', `/community bind ${bind}`, { ...t, actor: { platform: 'telegram', userId: '5', displayName: 'tg-admin', platformRole: 'admin' } });
    await bot.run('x', '/points', on('telegram', '77'));
    return { ann: await bot.memberOf('111', 'discord'), alt: await bot.memberOf('77', 'telegram') };
  }
  const link = async () => {
    const code = (await bot.run('x', '/link', on('discord', '111'))).text.match(/\*\*(\w+)\*\*/)![1];
    return bot.run('x', `/link ${code}`, on('telegram', '77'));
  };
  async function expectLedgerMatchesBalances() {
    for (const m of await bot.db.prisma.member.findMany({ include: { ledger: true } })) {
      expect(m.ledger.reduce((sum, e) => sum + e.delta, 0)).toBe(m.balance);
    }
  }

  it('takes back the rewards when a member\'s new account used their own code, and retires the old code', async () => {
    const { ann, alt } = await twoAccounts();
    const altCode = await codeOfMember(alt.id);
    expect((await bot.run('x', `/referral redeem ${await codeOfMember(ann.id)}`, on('telegram', '77'))).text).toContain('You got 50 points');
    expect((await bot.memberOf('111', 'discord')).balance).toBe(100);
    const r = await link();
    expect(r.text).toBe('🔗 Linked: this Telegram account now shares points with discord-111 (balance 0).\n'
      + 'One of these accounts had joined with the other\'s referral code, so its rewards (150 points) were taken back.');
    const merged = await bot.memberOf('77', 'telegram');
    expect(merged).toMatchObject({ id: ann.id, balance: 0, lifetimePoints: 0 });
    const rows = await bot.db.prisma.ledgerEntry.findMany({ where: { kind: 'referral' }, orderBy: { id: 'asc' } });
    expect(rows.map((x) => [x.memberId === ann.id ? 'ann' : 'alt', x.delta])).toEqual([['ann', 100], ['alt', 50], ['ann', -100], ['alt', -50]]);
    await expectLedgerMatchesBalances();
    expect((await bot.run('x', '/referral code', on('discord', '111'))).text).toContain('So far: 0 referrals, 0 points earned.');
    expect((await bot.run('x', '/history', on('discord', '111'))).text).toContain('Referral reversed: both accounts belong to the same member');
    // The Telegram account's old code belonged to a member who no longer has any account: it pays nobody.
    const late = await bot.run('x', `/referral redeem ${altCode}`, on('telegram', '88'));
    expect(late.error).toEqual({ code: 'referrals:error.unknownCode', field: 'code' });
    expect(await bot.db.prisma.ledgerEntry.count({ where: { kind: 'referral' } })).toBe(4);
  });

  it('takes back the rewards the other way round too, even if they were spent', async () => {
    const { ann, alt } = await twoAccounts();
    // ann (Discord, joined today) redeems the code of her own new Telegram account and spends the reward.
    await bot.run('x', `/referral redeem ${await codeOfMember(alt.id)}`, on('discord', '111'));
    await bot.run('x', '/reward add 40 Mug', boss);
    expect((await bot.run('x', '/redeem 1', on('discord', '111'))).error).toBeUndefined();
    await bot.run('x', '/give 77 5', { ...t, actor: { platform: 'telegram', userId: '5', displayName: 'tg-admin', platformRole: 'admin' } });
    const r = await link();
    // ann: 50 - 40 spent - 50 taken back + 5 the Telegram account kept after its 100 were taken back.
    expect(r.text).toContain('(balance -35)');
    expect(r.text).toContain('its rewards (150 points) were taken back');
    expect(await bot.memberOf('111', 'discord')).toMatchObject({ id: ann.id, balance: -35, lifetimePoints: 5 });
    await expectLedgerMatchesBalances();
    expect(await bot.db.prisma.referral.count()).toBe(0);
  });

  it('leaves referrals with other members alone when accounts are linked', async () => {
    const { ann } = await twoAccounts();
    await bot.run('x', `/referral redeem ${await codeOfMember(ann.id)}`, on('discord', '222'));
    const r = await link();
    expect(r.text).toBe('🔗 Linked: this Telegram account now shares points with discord-111 (balance 100).');
    expect(await bot.db.prisma.referral.count()).toBe(1);
  });
});
