import { describe, it, expect, afterEach } from 'vitest';
import { testBot, type TestBot, MIN } from './helpers.js';
import { matchReward } from '../src/features/rewards/service.js';
import { UserError } from '../src/core/errors.js';

let bot: TestBot;
afterEach(async () => bot?.close());
const admin = { role: 'admin' as const };

describe('rewards', () => {
  it('spends points on a reward with stock, and refunds', async () => {
    bot = await testBot();
    await bot.run('ann', '/points');
    await bot.run('ben', '/points');
    await bot.run('boss', '/give @ann 300', admin);
    await bot.run('boss', '/give @ben 300', admin);
    expect((await bot.run('boss', '/reward add 250 "Sticker pack" 1', admin)).text).toBe('Added reward #1 "Sticker pack" for 250 points (1 in stock).');
    expect((await bot.run('ann', '/rewards')).text).toContain('#1 Sticker pack: 250 pts (1 left)');
    const r = await bot.run('ann', '/redeem 1');
    expect(r.text).toBe('🎁 You redeemed "Sticker pack" for 250 points (balance 50). A moderator will be in touch: request #1.');
    expect((await bot.run('ben', '/redeem 1')).text).toBe('"Sticker pack" is out of stock.');
    expect((await bot.memberOf('ben')).balance).toBe(300);
    expect((await bot.run('ann', '/redeem 1')).text).toBe('"Sticker pack" is out of stock.');
    const list = await bot.run('boss', '/redemptions', admin);
    expect(list.text).toContain('#1 ann: Sticker pack (250 pts)');
    expect((await bot.run('boss', '/redemption refund 1', admin)).text).toBe('Request #1 refunded: 250 points returned.');
    expect((await bot.run('boss', '/redemption fulfill 1', admin)).text).toBe('Redemption #1 was already refunded.');
    expect((await bot.memberOf('ann')).balance).toBe(300);
    expect((await bot.memberOf('ann')).lifetimePoints).toBe(300);
    expect((await bot.db.prisma.reward.findUniqueOrThrow({ where: { id: 1 } })).stock).toBe(1);
  });

  it('refuses a reward the member cannot afford and changes nothing', async () => {
    bot = await testBot();
    await bot.run('boss', '/reward add 100 Mug 5', admin);
    const r = await bot.run('ann', '/redeem 1');
    expect(r).toMatchObject({ error: { code: 'rewards:error.tooExpensive' }, text: '"Mug" costs 100 points; you have 0.' });
    expect((await bot.db.prisma.reward.findUniqueOrThrow({ where: { id: 1 } })).stock).toBe(5);
    expect(await bot.db.prisma.redemption.count()).toBe(0);
    expect((await bot.run('ann', '/reward add 1 Free')).text).toBe('/reward add is for admins only.');
  });
});

describe('redeeming by name', () => {
  /** ann has 1,000 points; on offer: #1 Sticker pack, #2 Sticker sheet, #3 Mug, #4 Coffee mug (#5 Hoodie was removed). */
  async function shop() {
    bot = await testBot();
    await bot.run('ann', '/points');
    await bot.run('boss', '/give @ann 1000', admin);
    for (const r of ['100 "Sticker pack"', '50 "Sticker sheet"', '30 Mug', '40 "Coffee mug"', '10 Hoodie']) await bot.run('boss', `/reward add ${r}`, admin);
    await bot.run('boss', '/reward remove 5', admin);
  }

  it('finds a reward by number or by name: exact first, then a unique prefix or part', async () => {
    await shop();
    expect((await bot.run('ann', '/redeem "STICKER PACK"')).text).toContain('You redeemed "Sticker pack" for 100 points');
    // "mug" is one name exactly and part of another: the exact one wins.
    expect((await bot.run('ann', '/redeem mug')).text).toContain('You redeemed "Mug"');
    expect((await bot.run('ann', '/redeem coff')).text).toContain('You redeemed "Coffee mug"');
    expect((await bot.run('ann', '/redeem sheet')).text).toContain('You redeemed "Sticker sheet"');
    // Full-width letters typed through an IME read like ASCII.
    expect((await bot.run('ann', '/redeem ｃｏｆｆｅｅ')).text).toContain('You redeemed "Coffee mug"');
    expect((await bot.run('ann', '/redeem #3')).text).toContain('You redeemed "Mug"');
    expect((await bot.run('ann', '/redeem 2')).text).toContain('You redeemed "Sticker sheet"');
    expect((await bot.memberOf('ann')).balance).toBe(1000 - 100 - 30 - 40 - 50 - 40 - 30 - 50);
    expect(await bot.db.prisma.redemption.count()).toBe(7);
  });

  it('refuses an ambiguous or unknown name and changes nothing', async () => {
    await shop();
    const both = await bot.run('ann', '/redeem sticker');
    expect(both.error).toEqual({ code: 'rewards:error.ambiguous', field: 'reward' });
    expect(both.text).toBe('"sticker" matches several rewards: #1 Sticker pack, #2 Sticker sheet. Use the number or the full name.');
    const none = await bot.run('ann', '/redeem hoodie');
    expect(none.error).toEqual({ code: 'rewards:error.noMatch', field: 'reward' });
    expect(none.text).toBe('There is no reward called "hoodie". See /rewards.');
    expect((await bot.run('ann', '/redeem 5')).error?.code).toBe('rewards:error.notFound');
    expect(await bot.db.prisma.redemption.count()).toBe(0);
    expect((await bot.memberOf('ann')).balance).toBe(1000);
  });

  it('matches names after NFKC normalisation, case-insensitively', () => {
    const rewards = [{ id: 1, name: 'Ｓｔｉｃｋｅｒ Pack' }, { id: 2, name: 'ステッカー' }, { id: 3, name: 'Sticker pack deluxe' }];
    expect(matchReward(rewards, 'sticker pack').id).toBe(1);
    expect(matchReward(rewards, 'ｽﾃｯｶｰ').id).toBe(2);
    expect(matchReward(rewards, 'deluxe').id).toBe(3);
    expect(() => matchReward(rewards, 'stick')).toThrow(UserError);
    expect(() => matchReward(rewards, 'mug')).toThrow('rewards:error.noMatch');
  });
});

describe('cross-platform identity', () => {
  it('links a Telegram account to a Discord member, merging points', async () => {
    bot = await testBot();
    const d = { platform: 'discord' as const, communityKey: 'guild-1' };
    const t = { platform: 'telegram' as const, communityKey: '-100200' };
    const as = (platform: 'discord' | 'telegram', id: string) => ({ actor: { platform, userId: id, displayName: `${platform}-${id}` } });
    await bot.run('x', '/points', { ...d, ...as('discord', '111') });
    await bot.run('x', '/give <@111> 40', { ...d, actor: { platform: 'discord', userId: '999', displayName: 'admin', platformRole: 'admin' } });
    // Telegram group joins the Discord community.
    const code = (await bot.run('x', '/community bind', { ...d, actor: { platform: 'discord', userId: '999', displayName: 'admin', platformRole: 'admin' } })).text.match(/\*\*(\w+)\*\*/)![1];
    const bound = await bot.run('x', `/community bind ${code}`, { ...t, actor: { platform: 'telegram', userId: '5', displayName: 'tg-admin', platformRole: 'admin' } });
    expect(bound.text).toContain('is now part of **discord guild-1**');
    // The Telegram account earned 10 before linking.
    await bot.run('x', '/points', { ...t, ...as('telegram', '77') });
    await bot.run('x', '/give 77 10', { ...t, actor: { platform: 'telegram', userId: '5', displayName: 'tg-admin', platformRole: 'admin' } });
    const link = (await bot.run('x', '/link', { ...d, ...as('discord', '111') })).text.match(/\*\*(\w+)\*\*/)![1];
    const r = await bot.run('x', `/link ${link.toLowerCase()}`, { ...t, ...as('telegram', '77') });
    expect(r.text).toBe('🔗 Linked: this Telegram account now shares points with discord-111 (balance 50).');
    const p = await bot.run('x', '/points', { ...t, ...as('telegram', '77') });
    expect(p.text).toContain('**50 points**');
    expect((await bot.run('x', `/link ${link}`, { ...t, ...as('telegram', '78') })).text).toBe('That code was already used. Ask for a new one.');
    const links = await bot.db.prisma.ledgerEntry.findMany({ where: { kind: 'link' } });
    expect(links.map((l) => l.delta).sort((a, b) => a - b)).toEqual([-10, 10]);
  });

  it('expires link codes and refuses codes from another community', async () => {
    bot = await testBot();
    const code = (await bot.run('ann', '/link')).text.match(/\*\*(\w+)\*\*/)![1];
    const other = await bot.run('x', `/link ${code}`, { communityKey: 'elsewhere', actor: { platform: 'console', userId: 'zed', displayName: 'zed' } });
    expect(other.text).toBe('That code belongs to another community. An admin can connect this server to it with /community bind.');
    const code2 = (await bot.run('ann', '/link')).text.match(/\*\*(\w+)\*\*/)![1];
    bot.clock.advance(16 * MIN);
    expect((await bot.run('x', `/link ${code2}`, { platform: 'telegram', actor: { platform: 'telegram', userId: '1', displayName: 'a' } })).text).toBe('That code has expired. Ask for a new one.');
    expect((await bot.run('ann', '/link ZZZZZZ')).text).toBe('"ZZZZZZ" is not a valid link code.');
  });

  it('refuses to bind a server that already has activity', async () => {
    bot = await testBot();
    const code = (await bot.run('boss', '/community bind', admin)).text.match(/\*\*(\w+)\*\*/)![1];
    const t = { platform: 'telegram' as const, communityKey: '-1', actor: { platform: 'telegram' as const, userId: '5', displayName: 'a', platformRole: 'admin' as const } };
    await bot.run('x', '/challenge create T 5 1d', t);
    expect((await bot.run('x', `/community bind ${code}`, t)).text).toBe('This server already has its own points, challenges, giveaways or polls, so it cannot join another community.');
  });
});
