import { describe, it, expect, afterEach } from 'vitest';
import { testBot, type TestBot } from './helpers.js';
import { lang } from '../src/i18n/index.js';

let bot: TestBot;
afterEach(async () => bot?.close());
const admin = { role: 'admin' as const };
const mod = { role: 'moderator' as const };
const ROLE = '555555555555555555';

const grants = () => bot.db.prisma.accessGrant.findMany({ orderBy: { id: 'asc' } });
const storedTiers = async () => JSON.parse((await bot.db.prisma.community.findFirstOrThrow()).tiers) as { name: string; minPoints: number; access?: object }[];

describe('/tier', () => {
  it('adds, edits, lists and removes tiers; the list says access adds up', async () => {
    bot = await testBot({ platform: 'discord' });
    expect((await bot.run('boss', `/tier add Diamond 25000 discord_role:<@&${ROLE}>`, admin)).text).toContain('Tier "Diamond" added.');
    expect((await bot.run('boss', '/tier edit Gold points:2500 new_name:Golden telegram_chat:-100123456', admin)).text).toContain('Tier "Golden" updated.');
    expect((await bot.run('boss', '/tier remove Silver', admin)).text).toContain('Tier "Silver" removed.');
    expect(await storedTiers()).toEqual([
      { name: 'Bronze', minPoints: 0 },
      { name: 'Golden', minPoints: 2500, access: { telegramChat: '-100123456' } },
      { name: 'Platinum', minPoints: 10000 },
      { name: 'Diamond', minPoints: 25000, access: { discordRole: ROLE } },
    ]);
    const list = (await bot.run('ann', '/tier list')).text;
    expect(list).toBe([
      '🏅 **Tiers** (by lifetime points earned)',
      '• Bronze: 0 points ← you',
      '• Golden: 2,500 points · Telegram chat -100123456',
      '• Platinum: 10,000 points',
      `• Diamond: 25,000 points · Discord role ${ROLE}`,
      'Access adds up: each tier also keeps the access of every tier below it.',
    ].join('\n'));
    expect((await bot.run('boss', '/tier edit Golden telegram_chat:none', admin)).text).not.toContain('Telegram');
    const ko = await bot.run('ann', '/tier list', { actor: { platform: 'discord', userId: 'ann', displayName: 'ann', locale: 'ko' } });
    expect(ko.text).toContain('• Bronze: 0 포인트 ← 내 등급');
  });

  it('refuses duplicate names and thresholds, changes to the lowest tier, bad ids and non-admins, with clear errors', async () => {
    bot = await testBot({ platform: 'discord' });
    await bot.run('boss', '/tier list');
    const err = async (line: string, extra: { role: 'admin' | 'moderator' } = admin) => (await bot.run('boss', line, extra)).error?.code;
    expect(await err('/tier add gold 3000')).toBe('tiers:error.nameTaken');
    expect(await err('/tier add Ruby 2000')).toBe('tiers:error.pointsTaken');
    expect(await err('/tier remove Bronze')).toBe('tiers:error.lowest');
    expect(await err('/tier edit Bronze points:10')).toBe('tiers:error.lowestFixed');
    expect(await err('/tier edit Nope points:10')).toBe('tiers:error.notFound');
    expect(await err('/tier edit Gold')).toBe('tiers:error.nothingToChange');
    expect(await err('/tier add Ruby 3000 discord_role:@Ruby')).toBe('tiers:error.bad.discordRole');
    expect(await err('/tier add Ruby 3000 telegram_chat:12345')).toBe('tiers:error.bad.telegramChat');
    expect(await err('/tier add Ruby 3000 slack_usergroup:U1234')).toBe('tiers:error.bad.slackUsergroup');
    expect(await err('/tier add Ruby 3000 slack_channel:D1234')).toBe('tiers:error.bad.slackChannel');
    expect(await err('/tier add Ruby 3000', mod)).toBe('errors:precondition.admin');
    expect((await bot.run('boss', '/tier add gold 3000', admin)).text).toBe('There is already a tier named "gold".');
    expect(lang('ja').t('tiers:error.lowest', { name: 'Bronze' })).toContain('削除できません');
    expect(await storedTiers()).toHaveLength(4);
  });
});

describe('tier access follows the member', () => {
  it('plans the role once on reaching the tier, takes it back after /take, and writes nothing for repeated awards', async () => {
    bot = await testBot({ platform: 'discord' });
    await bot.run('bob', '/points');
    await bot.run('boss', `/tier edit Silver discord_role:${ROLE}`, admin);
    expect(await grants()).toEqual([]);
    await bot.run('mod', '/give @bob 400', mod);
    expect(await grants()).toEqual([]);
    await bot.run('mod', '/give @bob 200', mod);
    const bob = await bot.memberOf('bob');
    expect(await grants()).toMatchObject([{ memberId: bob.id, platform: 'discord', platformUserId: 'bob', space: 'test', kind: 'discord.role', target: ROLE, wanted: true, state: 'pending', attempts: 0 }]);
    const [first] = await grants();
    // Further awards, also into Gold, leave the row alone (cumulative: Silver's role stays wanted).
    bot.clock.advance(1000);
    await bot.run('mod', '/give @bob 5000', mod);
    expect(await grants()).toEqual([first]);
    await bot.run('mod', '/take @bob 5500', mod);
    expect(await grants()).toMatchObject([{ id: first.id, wanted: false, state: 'pending' }]);
    const dropped = await grants();
    await bot.run('mod', '/take @bob 10', mod);
    expect(await grants()).toEqual(dropped);
  });

  it('an edit that gives a tier access plans it for the members already at or above it, and taking it away unplans it', async () => {
    bot = await testBot({ platform: 'discord' });
    for (const u of ['ann', 'ben', 'cat']) await bot.run(u, '/points');
    await bot.run('mod', '/give @ann 600', mod);
    await bot.run('mod', '/give @ben 2500', mod);
    await bot.run('boss', `/tier edit Silver discord_role:${ROLE}`, admin);
    const ids = [(await bot.memberOf('ann')).id, (await bot.memberOf('ben')).id].sort();
    expect((await grants()).map((g) => g.memberId).sort()).toEqual(ids);
    expect((await grants()).every((g) => g.wanted)).toBe(true);
    await bot.run('boss', '/tier edit Silver discord_role:none', admin);
    expect((await grants()).every((g) => !g.wanted && g.state === 'pending')).toBe(true);
  });

  it('writes nothing when no tier gives access', async () => {
    bot = await testBot({ platform: 'discord' });
    await bot.run('bob', '/points');
    await bot.run('mod', '/give @bob 20000', mod);
    await bot.run('mod', '/take @bob 20000', mod);
    expect(await grants()).toEqual([]);
    expect(await bot.db.prisma.accessEvent.count()).toBe(0);
  });
});
