import { describe, it, expect, afterEach } from 'vitest';
import { testBot, type TestBot, DAY } from './helpers.js';

/** Linking a second account: one person keeps one entry per open giveaway, one answer per open poll, and no thanks to themselves. */

let bot: TestBot;
afterEach(async () => bot?.close());

const d = { platform: 'discord' as const, communityKey: 'guild-1' };
const t = { platform: 'telegram' as const, communityKey: '-100200' };
const as = (platform: 'discord' | 'telegram', id: string) => ({ actor: { platform, userId: id, displayName: `${platform}-${id}` } });
const dMod = { ...d, actor: { platform: 'discord' as const, userId: '999', displayName: 'mod', platformRole: 'admin' as const } };

/** Discord and Telegram bound to one community; Discord account 111 and Telegram account 77 are one person. */
async function setUp() {
  bot = await testBot();
  await bot.run('x', '/points', { ...d, ...as('discord', '111') });
  const code = (await bot.run('x', '/community bind', dMod)).text.match(/\*\*(\w+)\*\*/)![1];
  await bot.run('x', `/community bind ${code}`, { ...t, actor: { platform: 'telegram', userId: '5', displayName: 'tg-admin', platformRole: 'admin' } });
  await bot.run('x', '/points', { ...t, ...as('telegram', '77') });
}

const link = async () => {
  const code = (await bot.run('x', '/link', { ...d, ...as('discord', '111') })).text.match(/\*\*(\w+)\*\*/)![1];
  return bot.run('x', `/link ${code}`, { ...t, ...as('telegram', '77') });
};

describe('linking accounts', () => {
  it('keeps one entry per open giveaway and one answer per open poll, and takes back thanks between the accounts', async () => {
    await setUp();
    const ok = async (p: Promise<{ error?: unknown; text: string }>) => { const r = await p; expect(r.error, r.text).toBeUndefined(); };
    await ok(bot.run('x', '/contest create Mug 1 3d bonus:Bronze=2', dMod));
    await ok(bot.run('x', '/contest create Cap 1 3d', dMod));
    await ok(bot.run('x', '/contest enter 1', { ...d, ...as('discord', '111') }));
    await ok(bot.run('x', '/contest enter 1', { ...t, ...as('telegram', '77') }));
    await ok(bot.run('x', '/contest enter 2', { ...t, ...as('telegram', '77') }));
    await ok(bot.run('x', '/poll create Day? kind:single options:"Mon|Tue"', dMod));
    await ok(bot.run('x', '/poll create Food? kind:single options:"Rice|Noodles"', dMod));
    await ok(bot.run('x', '/poll vote 1 2', { ...d, ...as('discord', '111') }));
    await ok(bot.run('x', '/poll vote 1 1', { ...t, ...as('telegram', '77') }));
    await ok(bot.run('x', '/poll vote 2 1', { ...t, ...as('telegram', '77') }));
    const kept = await bot.memberOf('111', 'discord');
    const moving = await bot.memberOf('77', 'telegram');
    // A thanks from one account to the other (recorded as /thanks records it; mentions cannot cross platforms).
    const community = (await bot.db.prisma.member.findUniqueOrThrow({ where: { id: kept.id } })).communityId;
    await bot.db.prisma.thanks.create({ data: { communityId: community, giverId: moving.id, receiverId: kept.id, points: 2, reason: 'for the help' } });

    await ok(link());
    const p = bot.db.prisma;
    expect(await p.contestEntry.findMany({ where: { contestId: 1 }, select: { memberId: true, weight: true } })).toEqual([{ memberId: kept.id, weight: 3 }]);
    expect(await p.contestEntry.findMany({ where: { contestId: 2 }, select: { memberId: true } })).toEqual([{ memberId: kept.id }]);
    expect(await p.pollChoice.findMany({ where: { pollId: 1 }, select: { memberId: true, option: true } })).toEqual([{ memberId: kept.id, option: 1 }]);
    expect(await p.pollVoter.count({ where: { pollId: 1 } })).toBe(1);
    expect(await p.pollChoice.findMany({ where: { pollId: 2 }, select: { memberId: true, option: true } })).toEqual([{ memberId: kept.id, option: 0 }]);
    expect(await p.pollVoter.count({ where: { memberId: moving.id } })).toBe(0);
    // The thanks between the two accounts are taken back from the one member.
    const thanked = await p.thanks.aggregate({ _sum: { points: true } });
    const member = await p.member.findUniqueOrThrow({ where: { id: kept.id } });
    const back = await p.ledgerEntry.findFirstOrThrow({ where: { memberId: kept.id, idempotencyKey: { startsWith: 'link:thanks:' } } });
    expect(thanked._sum.points).toBe(2);
    expect(back.delta).toBe(-2);
    expect(member.balance).toBe(kept.balance + moving.balance - 2);
  });

  it('waits for a prize the account must still claim', async () => {
    await setUp();
    await bot.run('x', '/contest create Mug 1 1d claim:24', dMod);
    await bot.run('x', '/contest enter 1', { ...t, ...as('telegram', '77') });
    bot.clock.advance(DAY + 1000);
    await bot.engine.runDueJobs();
    const refused = await link();
    expect(refused.error?.code).toBe('community:error.pendingPrize');
    expect(refused.text).toContain('/contest claim 1');
    expect((await bot.run('x', '/contest claim 1', { ...t, ...as('telegram', '77') })).error).toBeUndefined();
    expect((await link()).error).toBeUndefined();
  });
});
