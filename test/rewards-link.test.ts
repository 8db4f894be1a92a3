import { describe, it, expect, afterEach } from 'vitest';
import { testBot, type TestBot, MIN } from './helpers.js';

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
    expect(r).toMatchObject({ error: true, text: '"Mug" costs 100 points; you have 0.' });
    expect((await bot.db.prisma.reward.findUniqueOrThrow({ where: { id: 1 } })).stock).toBe(5);
    expect(await bot.db.prisma.redemption.count()).toBe(0);
    expect((await bot.run('ann', '/reward add 1 Free')).text).toBe('/reward add is for admins only.');
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
    expect(r.text).toBe('🔗 Linked: this telegram account now shares points with discord-111 (balance 50).');
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
