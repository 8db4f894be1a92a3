import { describe, it, expect, afterEach } from 'vitest';
import { testBot, type TestBot } from './helpers.js';

let bot: TestBot;
afterEach(async () => bot?.close());
const admin = { role: 'admin' as const };
const community = () => bot.db.prisma.community.findFirstOrThrow({ select: { name: true, locale: true, timezone: true, referrerReward: true } });

describe('settings', () => {
  it('shows every setting', async () => {
    bot = await testBot();
    const s = await bot.run('boss', '/settings', admin);
    expect(s.text).toBe('**console test** · referral rewards: 100 points to the inviter, 50 to the new member.\nLanguage: English · time zone: UTC');
    expect((await bot.run('ann', '/settings')).error?.code).toBe('errors:precondition.admin');
  });

  it('changes language and time zone: later replies use them', async () => {
    bot = await testBot();
    const s = await bot.run('boss', '/settings locale:ko timezone:asia/seoul', admin);
    expect(s.error).toBeUndefined();
    expect(s.text).toContain('Asia/Seoul');
    // The answer itself already uses the language just chosen.
    expect(s.text).toContain('언어: 한국어 · 시간대: Asia/Seoul');
    expect(await community()).toMatchObject({ locale: 'ko', timezone: 'Asia/Seoul' });
    expect((await bot.run('boss', '/settings', admin)).text).toContain('Asia/Seoul');
    // 12:00 UTC + 15 minutes is 21:15 in Seoul, written the Korean way.
    const link = await bot.run('ann', '/link');
    expect(link.text).toContain('11월 25일 (수) 오후 9:15');
  });

  it('refuses a zone that does not exist and changes nothing', async () => {
    bot = await testBot();
    await bot.run('boss', '/settings locale:ja timezone:Asia/Tokyo', admin);
    const bad = await bot.run('boss', '/settings name:Renamed referrer_reward:7 timezone:Mars/Olympus', admin);
    expect(bad.error).toEqual({ code: 'errors:arg.timezone', field: 'timezone' });
    // Worded in the community's language now (the ja errors catalog is translated).
    expect(bad.text).toContain('「Mars/Olympus」');
    expect(await community()).toEqual({ name: 'console test', locale: 'ja', timezone: 'Asia/Tokyo', referrerReward: 100 });
    expect((await bot.run('boss', '/settings locale:fr', admin)).error).toMatchObject({ code: 'errors:arg.choice', field: 'locale' });
  });
});

describe('roles and help', () => {
  it('gives roles, but an admin cannot lower their own', async () => {
    bot = await testBot();
    await bot.run('ann', '/points');
    expect((await bot.run('boss', '/role @ann moderator', admin)).text).toBe('ann is now a moderator.');
    expect((await bot.db.prisma.member.findFirstOrThrow({ where: { displayName: 'ann' } })).role).toBe('moderator');
    await bot.run('boss', '/role @boss admin', admin);
    const own = await bot.run('boss', '/role @boss member');
    expect(own.error).toEqual({ code: 'community:error.ownRole', field: 'role' });
    expect(own.text).toBe('You cannot lower your own role.');
  });

  it('lists what a member may run and explains one command', async () => {
    bot = await testBot();
    const all = await bot.run('ann', '/help');
    expect(all.text).toContain('**Everyone**');
    expect(all.text).toContain('/redeem <reward>: Spend points on a reward');
    expect(all.text).not.toContain('**Admins**');
    expect((await bot.run('boss', '/help', admin)).text).toContain('/settings [referrer_reward]');
    const one = await bot.run('ann', '/help redeem');
    expect(one.text).toContain('reward: Reward number or name (see /rewards)');
    expect(one.text).toContain('e.g. /redeem "Sticker pack"');
    const none = await bot.run('ann', '/help settings');
    expect(none.error?.code).toBe('help:unknown');
    expect(none.text).toBe('No command "settings". Try /help.');
  });
});
