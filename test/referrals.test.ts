import { describe, it, expect, afterEach } from 'vitest';
import { testBot, type TestBot, DAY, HOUR } from './helpers.js';
import type { ActivityEvent } from '../src/core/types.js';
import { parseReferralRules, referralRulesSchema } from '../src/features/referrals/rules.js';
import { rulesReply } from '../src/features/referrals/present.js';
import { lang } from '../src/i18n/index.js';

let bot: TestBot;
afterEach(async () => bot?.close());
const codeOf = async (u: string) => (await bot.memberOf(u) as unknown as { referralCode: string }).referralCode;
/** The rules before issue 9: paid at once, any account, no caps (for the tests of redemption itself). */
const PAY_AT_ONCE = '/referral settings min_days:0 min_activity:0 min_account_age:0 per_day:0 per_month:0';
const atOnce = async () => { expect((await bot.run('boss', PAY_AT_ONCE, { role: 'admin' })).error).toBeUndefined(); };

describe('referrals', () => {
  it('rewards both sides once through the ledger', async () => {
    bot = await testBot();
    await atOnce();
    const info = await bot.run('ann', '/referral code');
    const code = await codeOf('ann');
    expect(info.text).toContain(`Your referral code: **${code}**`);
    expect(info.text).toContain('get 50 points, and you get 100');
    expect(info.text).toContain('Both sides are paid at once.');
    const r = await bot.run('ben', `/referral redeem ${code.toLowerCase()}`, { eventKey: 'tg-1' });
    expect(r.text).toBe("🤝 Welcome! You joined with ann's code. You got 50 points (balance 50).");
    expect((await bot.memberOf('ann')).balance).toBe(100);
    // The platform re-delivers the same update: same answer, nothing paid twice.
    expect(await bot.run('ben', `/referral redeem ${code}`, { eventKey: 'tg-1' })).toEqual(r);
    // The member tries again by hand.
    expect((await bot.run('ben', `/referral redeem ${code}`)).text).toBe('You have already used a referral code.');
    const rows = await bot.db.prisma.ledgerEntry.findMany({ where: { kind: 'referral' } });
    expect(rows.map((x) => x.delta).sort()).toEqual([100, 50]);
    expect(await bot.db.prisma.referral.findFirstOrThrow()).toMatchObject({ status: 'paid', source: 'code' });
    expect((await bot.run('ann', '/referral code')).text).toContain('So far: 1 paid referral, 100 points earned.');
  });

  it('refuses self-referral, unknown codes, cycles and old members', async () => {
    bot = await testBot();
    await atOnce();
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
    expect(await bot.db.prisma.ledgerEntry.count({ where: { kind: 'referral' } })).toBe(4);
  });

  it('uses the community reward settings', async () => {
    bot = await testBot();
    await atOnce();
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
    await bot.run('x', PAY_AT_ONCE, boss);
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
    expect((await bot.run('x', '/referral code', on('discord', '111'))).text).toContain('So far: 0 paid referrals, 0 points earned.');
    expect(await bot.db.prisma.referral.findFirstOrThrow()).toMatchObject({ status: 'clawedBack', endedAt: bot.clock.now() });
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
    // The row stays, with what happened to it.
    expect(await bot.db.prisma.referral.findFirstOrThrow()).toMatchObject({ status: 'clawedBack' });
  });

  it('cancels a pending referral between accounts later linked, with nothing to take back', async () => {
    const { ann } = await twoAccounts();
    await bot.run('x', '/referral settings min_days:3 min_activity:0', boss);
    await bot.run('x', `/referral redeem ${await codeOfMember(ann.id)}`, on('telegram', '77'));
    expect(await bot.db.prisma.referral.findFirstOrThrow()).toMatchObject({ status: 'pending' });
    expect((await link()).text).toBe('🔗 Linked: this Telegram account now shares points with discord-111 (balance 0).');
    expect(await bot.db.prisma.referral.findFirstOrThrow()).toMatchObject({ status: 'cancelled' });
    bot.clock.advance(4 * DAY);
    await bot.engine.runDueJobs();
    expect(await bot.db.prisma.ledgerEntry.count({ where: { kind: 'referral' } })).toBe(0);
    expect(await bot.db.prisma.scheduledJob.count({ where: { status: 'pending' } })).toBe(0);
  });

  it('leaves referrals with other members alone when accounts are linked', async () => {
    const { ann } = await twoAccounts();
    await bot.run('x', `/referral redeem ${await codeOfMember(ann.id)}`, on('discord', '222'));
    const r = await link();
    expect(r.text).toBe('🔗 Linked: this Telegram account now shares points with discord-111 (balance 100).');
    expect(await bot.db.prisma.referral.count()).toBe(1);
  });

  it('acts on a leave only once the member has left on every linked account', async () => {
    const { ann } = await twoAccounts();
    await bot.run('x', '/points', on('discord', '333'));
    await link();
    await bot.run('x', '/referral settings min_days:3 min_activity:0', boss);
    const presence = (platform: 'discord' | 'telegram', id: string, kind: 'join' | 'leave') => bot.engine.presence({
      platform, communityKey: platform === 'discord' ? d.communityKey : t.communityKey, kind, actor: { platform, userId: id, displayName: `${platform}-${id}` },
    });
    await presence('discord', '111', 'join');
    await presence('telegram', '77', 'join');
    const referrer = await bot.memberOf('333', 'discord');
    expect((await bot.run('x', `/referral redeem ${await codeOfMember(referrer.id)}`, on('discord', '111'))).error).toBeUndefined();
    const referral = () => bot.db.prisma.referral.findUniqueOrThrow({ where: { refereeId: ann.id } });
    // ann leaves the Telegram group but is still on the Discord server: nothing changes, and she is paid when due.
    await presence('telegram', '77', 'leave');
    expect(await referral()).toMatchObject({ status: 'pending' });
    bot.clock.advance(3 * DAY);
    await bot.engine.runDueJobs();
    expect(await referral()).toMatchObject({ status: 'paid' });
    // Then she leaves the Discord server too: gone everywhere, within the claw-back period.
    bot.clock.advance(DAY);
    await presence('discord', '111', 'leave');
    expect(await referral()).toMatchObject({ status: 'clawedBack' });
    expect((await bot.db.prisma.ledgerEntry.findMany({ where: { kind: 'referral' }, orderBy: { id: 'asc' } })).map((e) => e.delta)).toEqual([100, 50, -100, -50]);
    await expectLedgerMatchesBalances();
  });

  it('cancels a pending referral only when the member has left on every linked account', async () => {
    const { ann } = await twoAccounts();
    await bot.run('x', '/points', on('discord', '333'));
    await link();
    await bot.run('x', '/referral settings min_days:3 min_activity:0', boss);
    const leave = (platform: 'discord' | 'telegram', id: string) => bot.engine.presence({
      platform, communityKey: platform === 'discord' ? d.communityKey : t.communityKey, kind: 'leave', actor: { platform, userId: id, displayName: `${platform}-${id}` },
    });
    const referrer = await bot.memberOf('333', 'discord');
    await bot.run('x', `/referral redeem ${await codeOfMember(referrer.id)}`, on('telegram', '77'));
    const referral = () => bot.db.prisma.referral.findUniqueOrThrow({ where: { refereeId: ann.id } });
    await leave('discord', '111');
    expect(await referral()).toMatchObject({ status: 'pending' });
    await leave('telegram', '77');
    expect(await referral()).toMatchObject({ status: 'cancelled', endedAt: bot.clock.now() });
    expect(await bot.db.prisma.scheduledJob.count({ where: { status: 'pending' } })).toBe(0);
  });
});

describe('referral quality rules', () => {
  const admin = { role: 'admin' as const };
  /** A chat message by `user` that earns exactly 10 activity points. */
  let messages = 0;
  const chat = async (user: string, times = 1) => {
    for (let i = 0; i < times; i++) {
      const e: ActivityEvent = {
        platform: 'console', communityKey: 'test', address: { kind: 'channel', channelId: 'general' },
        actor: { platform: 'console', userId: user, displayName: user }, kind: 'message', eventId: `m${++messages}`, length: 20,
      };
      await bot.engine.activity(e);
    }
    await bot.engine.flush();
  };
  const referral = () => bot.db.prisma.referral.findFirstOrThrow();
  const referralLedger = async () => (await bot.db.prisma.ledgerEntry.findMany({ where: { kind: 'referral' }, orderBy: { id: 'asc' } })).map((e) => e.delta);
  /** A community with the default referral rules whose members "ann" (referrer) and "ben" were first seen 8 days ago. */
  async function oldEnough(...more: string[]) {
    bot = await testBot();
    await bot.run('boss', '/activity settings points_min:10 points_max:10 cooldown:0 streak_bonus:0', admin);
    for (const u of ['ann', 'ben', ...more]) await bot.run(u, '/points');
    bot.clock.advance(8 * DAY);
  }

  it('keeps a referral pending until the new member has stayed N days and earned M activity points, then pays once', async () => {
    await oldEnough();
    const code = await codeOf('ann');
    const r = await bot.run('ben', `/referral redeem ${code}`);
    expect(r.text).toBe("🤝 Welcome! You joined with ann's code. Once you have stayed 3 days and earned 20 activity points, you get 50 points and ann gets 100.");
    expect(await referral()).toMatchObject({ status: 'pending', source: 'code', qualifiedAt: null });
    expect(await referralLedger()).toEqual([]);
    const info = (await bot.run('ann', `/referral code`)).text;
    expect(info).toContain('Paid once the new member has stayed 3 days and earned 20 activity points (checked daily).');
    expect(info).toContain('So far: 0 paid referrals, 0 points earned.\n1 more is pending.');
    await chat('ben', 1); // 10 points: not enough
    bot.clock.advance(3 * DAY);
    await bot.engine.runDueJobs();
    expect(await referral()).toMatchObject({ status: 'pending' });
    await chat('ben', 1); // 20 in all
    expect(await bot.engine.runDueJobs()).toBe(0); // the next check is a day later
    bot.clock.advance(DAY);
    expect(await bot.engine.runDueJobs()).toBe(1);
    expect(await referral()).toMatchObject({ status: 'paid', qualifiedAt: bot.clock.now() });
    expect(await referralLedger()).toEqual([100, 50]);
    expect((await bot.memberOf('ann')).balance).toBe(100);
    expect((await bot.memberOf('ben')).balance).toBe(70);
    // Nothing is left to run, and a late check changes nothing.
    bot.clock.advance(30 * DAY);
    expect(await bot.engine.runDueJobs()).toBe(0);
    expect(await referralLedger()).toEqual([100, 50]);
    expect((await bot.run('ann', '/referral code')).text).toContain('So far: 1 paid referral, 100 points earned.');
  });

  it('never pays a new member who stays inactive, and cancels after the window', async () => {
    await oldEnough();
    await bot.run('ben', `/referral redeem ${await codeOf('ann')}`);
    for (let d = 0; d < 31; d++) {
      bot.clock.advance(DAY);
      await bot.engine.runDueJobs();
    }
    expect(await referral()).toMatchObject({ status: 'cancelled' });
    expect(await referralLedger()).toEqual([]);
    expect(await bot.db.prisma.scheduledJob.count({ where: { status: 'pending' } })).toBe(0);
    // A check every day, never more than one live at a time.
    expect(await bot.db.prisma.scheduledJob.count({ where: { kind: 'referral.check' } })).toBeLessThanOrEqual(2);
  });

  it('cancels a pending referral when the new member leaves, and claws a paid one back when they leave within 30 days', async () => {
    await oldEnough('cat');
    await bot.run('ben', `/referral redeem ${await codeOf('ann')}`);
    const leave = (user: string) => bot.engine.presence({ platform: 'console', communityKey: 'test', kind: 'leave', actor: { platform: 'console', userId: user, displayName: user } });
    await leave('ben');
    expect(await referral()).toMatchObject({ status: 'cancelled', endedAt: bot.clock.now() });
    bot.clock.advance(5 * DAY);
    await chat('ben', 3);
    await bot.engine.runDueJobs();
    expect(await referralLedger()).toEqual([]);
    // cat qualifies, is paid, spends nothing, and leaves two weeks later: both rewards are taken back.
    await bot.run('cat', `/referral redeem ${await codeOf('ann')}`);
    await chat('cat', 2);
    bot.clock.advance(3 * DAY);
    await bot.engine.runDueJobs();
    expect(await bot.db.prisma.referral.findFirstOrThrow({ where: { status: 'paid' } })).toBeTruthy();
    bot.clock.advance(14 * DAY);
    await leave('cat');
    expect(await bot.db.prisma.referral.findFirstOrThrow({ where: { refereeId: (await bot.memberOf('cat')).id } })).toMatchObject({ status: 'clawedBack' });
    expect(await referralLedger()).toEqual([100, 50, -100, -50]);
    expect((await bot.memberOf('ann')).balance).toBe(0);
    expect((await bot.run('cat', '/history')).text).toContain('Referral taken back: the new member left within 30 days');
    expect((await bot.run('ann', '/referral code')).text).toContain('So far: 0 paid referrals, 0 points earned.');
  });

  it('keeps a paid referral when the new member leaves after the claw-back period', async () => {
    await oldEnough();
    await bot.run('ben', `/referral redeem ${await codeOf('ann')}`);
    await chat('ben', 2);
    bot.clock.advance(3 * DAY);
    await bot.engine.runDueJobs();
    bot.clock.advance(31 * DAY);
    await bot.engine.presence({ platform: 'console', communityKey: 'test', kind: 'leave', actor: { platform: 'console', userId: 'ben', displayName: 'ben' } });
    expect(await referral()).toMatchObject({ status: 'paid' });
    expect(await referralLedger()).toEqual([100, 50]);
  });

  it('refuses accounts younger than the minimum age, by platform age where known, else since first seen', async () => {
    bot = await testBot();
    await bot.run('ann', '/points');
    const code = await codeOf('ann');
    // First seen by the bot just now (a refused command records nothing, so ben is seen with /points first).
    await bot.run('ben', '/points');
    const young = await bot.run('ben', `/referral redeem ${code}`);
    expect(young.error).toEqual({ code: 'referrals:error.tooNew' });
    expect(young.text).toBe('Your account is too new to use a referral code here (it must be at least 7 days old). Try again from Wed, Dec 2, 12:00 PM.');
    // The platform showed us cat's account 8 days ago (a join before any command).
    const community = await bot.db.prisma.community.findFirstOrThrow();
    await bot.db.prisma.presence.create({ data: { communityId: community.id, platform: 'console', platformUserId: 'cat', firstSeenAt: new Date(bot.clock.t - 8 * DAY) } });
    expect((await bot.run('cat', `/referral redeem ${code}`)).error).toBeUndefined();
    // Where the platform tells the account's age (a Discord id), it decides: dan's account is a year old although
    // it joined an hour ago; fay's was made yesterday.
    const joined = (user: string, ageDays: number) => bot.db.prisma.presence.create({
      data: { communityId: community.id, platform: 'console', platformUserId: user, firstSeenAt: new Date(bot.clock.t - HOUR), accountCreatedAt: new Date(bot.clock.t - ageDays * DAY) },
    });
    await joined('dan', 365);
    await joined('fay', 1);
    expect((await bot.run('dan', `/referral redeem ${code}`)).error).toBeUndefined();
    expect((await bot.run('fay', `/referral redeem ${code}`)).error).toEqual({ code: 'referrals:error.tooNew' });
    // ben, seven days later, is old enough.
    bot.clock.advance(7 * DAY);
    expect((await bot.run('ben', `/referral redeem ${code}`)).error).toBeUndefined();
    // A member first seen by the platform long ago is no newcomer, whatever their first command.
    await bot.db.prisma.presence.create({ data: { communityId: community.id, platform: 'console', platformUserId: 'eve', firstSeenAt: new Date(bot.clock.t - 40 * DAY) } });
    expect((await bot.run('eve', `/referral redeem ${code}`)).error).toEqual({ code: 'referrals:error.tooLate' });
  });

  it('ages a Discord account from its id when no join recorded its age, so old members who first use the bot today may redeem', async () => {
    bot = await testBot();
    const DISCORD_EPOCH = 1_420_070_400_000;
    const idMadeAt = (at: number) => String((BigInt(at - DISCORD_EPOCH) << 22n) | 1n);
    const discord = (id: string) => ({ platform: 'discord' as const, communityKey: 'guild-9', actor: { platform: 'discord' as const, userId: id, displayName: `d${id.slice(-4)}` } });
    const referrerId = idMadeAt(bot.clock.t - 900 * DAY);
    await bot.run('x', '/points', discord(referrerId));
    const code = (await bot.db.prisma.member.findFirstOrThrow()).referralCode;
    // Made two years ago, first seen by the bot just now (no Presence row: it joined before joins were recorded).
    const old = idMadeAt(bot.clock.t - 2 * 365 * DAY);
    await bot.run('x', '/points', discord(old));
    expect((await bot.run('x', `/referral redeem ${code}`, discord(old))).error).toBeUndefined();
    // A join that did not tell the account's age changes nothing.
    const older = idMadeAt(bot.clock.t - 3 * 365 * DAY);
    await bot.engine.presence({ ...discord(older), kind: 'join' });
    expect(await bot.db.prisma.presence.findFirstOrThrow({ where: { platformUserId: older } })).toMatchObject({ accountCreatedAt: null });
    expect((await bot.run('x', `/referral redeem ${code}`, discord(older))).error).toBeUndefined();
    // Made an hour ago: too new, whenever the bot first saw it.
    const fresh = idMadeAt(bot.clock.t - HOUR);
    const refused = await bot.run('x', `/referral redeem ${code}`, discord(fresh));
    expect(refused.error).toEqual({ code: 'referrals:error.tooNew' });
    expect(await bot.db.prisma.referral.count()).toBe(2);
  });

  it('caps the new referrals of a referrer per local day and per month', async () => {
    bot = await testBot();
    await bot.run('boss', '/referral settings min_account_age:0 per_day:2 per_month:3', admin);
    await bot.run('boss', '/settings timezone:Asia/Seoul', admin);
    await bot.run('ann', '/points');
    const code = await codeOf('ann');
    const redeem = async (u: string) => (await bot.run(u, `/referral redeem ${code}`)).error?.code;
    expect(await redeem('u1')).toBeUndefined();
    expect(await redeem('u2')).toBeUndefined();
    const capped = await bot.run('u3', `/referral redeem ${code}`);
    expect(capped.text).toBe('ann has already brought in 2 new members today, the most allowed a day. Try again tomorrow.');
    // 12:00 UTC is 21:00 in Seoul: the local day ends in three hours.
    bot.clock.advance(3 * HOUR);
    expect(await redeem('u3')).toBeUndefined();
    bot.clock.advance(DAY);
    expect(await redeem('u4')).toBe('referrals:error.capMonth');
    // A cancelled referral no longer counts.
    await bot.engine.presence({ platform: 'console', communityKey: 'test', kind: 'leave', actor: { platform: 'console', userId: 'u1', displayName: 'u1' } });
    expect(await redeem('u4')).toBeUndefined();
    // The next local month.
    bot.clock.advance(5 * DAY);
    expect(await redeem('u5')).toBeUndefined();
    expect(await bot.db.prisma.referral.count({ where: { status: { not: 'cancelled' } } })).toBe(4);
  });

  it('records where a referral came from: a typed code, or a Telegram deep link (structured args in the private chat)', async () => {
    bot = await testBot();
    const tg = (user: string, args: string | Record<string, string>, kind: 'dm' | 'channel', command = 'referral redeem') => bot.engine.handle({
      platform: 'telegram', communityKey: '-100', command, args,
      address: kind === 'dm' ? { kind: 'dm', userId: user } : { kind: 'channel', channelId: '-100' },
      actor: { platform: 'telegram', userId: user, displayName: user, platformRole: user === '1' ? 'admin' : undefined },
    });
    expect((await tg('1', PAY_AT_ONCE.replace('/referral settings ', ''), 'channel', 'referral settings')).error).toBeUndefined();
    const code = (await bot.db.prisma.member.findFirstOrThrow()).referralCode;
    expect((await tg('2', { code }, 'dm')).error).toBeUndefined();
    expect((await tg('3', code, 'dm')).error).toBeUndefined();
    expect((await bot.db.prisma.referral.findMany({ orderBy: { id: 'asc' } })).map((r) => r.source)).toEqual(['link', 'code']);
  });

  it('lets admins show and change the rules, kept as JSON with defaults', async () => {
    bot = await testBot();
    expect((await bot.run('ann', '/referral settings min_days:1')).error?.code).toBe('errors:precondition.admin');
    const shown = await bot.run('boss', '/referral settings', admin);
    expect(shown.text).toBe([
      '**Referral rules**',
      'Paid once the new member has stayed 3 days and earned 20 activity points (checked daily).',
      'A code can be used within 30 days of joining.',
      'Accounts newer than 7 days can\'t use a code.',
      'Each member can bring in 5 new members a day and 30 a month.',
      'If the new member leaves before being paid, the referral is cancelled; if they leave within 30 days of being paid, both rewards are taken back.',
    ].join('\n'));
    const changed = await bot.run('boss', '/referral settings min_days:7 min_activity:50 per_month:0 window_days:14', admin);
    expect(changed.text).toContain('stayed 7 days and earned 50 activity points');
    expect(changed.text).toContain('within 14 days of joining');
    expect(changed.text).toContain('Each member can bring in 5 new members a day.\n');
    expect((await bot.run('boss', '/referral settings window_days:0', admin)).error?.field).toBe('window_days');
    const { referralRules } = await bot.db.prisma.community.findFirstOrThrow();
    expect(parseReferralRules(referralRules)).toMatchObject({ minDays: 7, minActivity: 50, perDay: 5, perMonth: 0, windowDays: 14, minAccountAgeDays: 7 });
    expect(parseReferralRules('not json')).toEqual(parseReferralRules('{}'));
    const noCaps = (await bot.run('boss', '/referral settings per_day:0', admin)).text;
    expect(noCaps).not.toContain('Each member can bring in');
    expect(noCaps.split('\n')).toHaveLength(5);
    expect((await bot.run('ann', '/referral code')).text).toContain('stayed 7 days and earned 50 activity points');
  });
});

describe('referral rules as shown', () => {
  const shown = (loc: 'en' | 'ko' | 'ja', caps: { perDay: number; perMonth: number }) => rulesReply(lang(loc), referralRulesSchema.parse(caps)).text.split('\n');
  /** The lines a rule set shows beyond those of the same rules without caps. */
  const capsLines = (loc: 'en' | 'ko' | 'ja', caps: { perDay: number; perMonth: number }) => {
    const without = shown(loc, { perDay: 0, perMonth: 0 });
    return shown(loc, caps).filter((l) => !without.includes(l));
  };

  it('words each cap on its own, and leaves the line out when there is none', () => {
    expect(capsLines('en', { perDay: 5, perMonth: 30 })).toEqual(['Each member can bring in 5 new members a day and 30 a month.']);
    expect(capsLines('en', { perDay: 1, perMonth: 0 })).toEqual(['Each member can bring in 1 new member a day.']);
    expect(capsLines('en', { perDay: 0, perMonth: 30 })).toEqual(['Each member can bring in 30 new members a month.']);
    expect(capsLines('ko', { perDay: 5, perMonth: 30 })).toEqual(['추천인 한 명이 하루 5명, 한 달 30명까지 추천할 수 있어요.']);
    expect(capsLines('ko', { perDay: 5, perMonth: 0 })).toEqual(['추천인 한 명이 하루 5명까지 추천할 수 있어요.']);
    expect(capsLines('ko', { perDay: 0, perMonth: 30 })).toEqual(['추천인 한 명이 한 달 30명까지 추천할 수 있어요.']);
    expect(capsLines('ja', { perDay: 5, perMonth: 0 })).toEqual(['紹介者1人につき1日5人まで紹介できます。']);
    expect(capsLines('ja', { perDay: 0, perMonth: 30 })).toEqual(['紹介者1人につき1か月30人まで紹介できます。']);
    for (const loc of ['en', 'ko', 'ja'] as const) {
      const lines = shown(loc, { perDay: 0, perMonth: 0 });
      expect(lines).toHaveLength(5);
      expect(lines.join('\n')).not.toMatch(/undefined|\{\{/);
    }
  });
});
