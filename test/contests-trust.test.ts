import { describe, it, expect, afterEach } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { testBot, drain, type TestBot, HOUR } from './helpers.js';
import { drawRound, winChance } from '../src/features/contests/draw.js';
import { createWebServer } from '../src/web/server.js';
import type { Address, Inbound, Platform, Reply, Role } from '../src/core/types.js';

let bot: TestBot;
afterEach(async () => bot?.close());
const mod = { role: 'moderator' as const };
const admin = { role: 'admin' as const };

/** Delivers queued notices of `platform` through a port that returns message ids (so cards are remembered) and can edit. */
let ids = 0;
async function deliver(platform: Platform = 'console') {
  const posts: { to: Address; reply: Reply; id: string }[] = [];
  const edits: { to: Address; id: string; reply: Reply }[] = [];
  const port = {
    send: async (to: Address, reply: Reply) => { const id = `m${++ids}`; posts.push({ to, reply, id }); return id; },
    edit: async (to: Address, id: string, reply: Reply) => { edits.push({ to, id, reply }); },
  };
  while (await bot.engine.deliverOutbox(platform, port)) { /* until empty */ }
  return { posts, edits };
}

/** A Discord member of guild "test" with the roles the platform reports (undefined: it reports none). */
const discord = (userId: string, roles?: string[], role?: Role): Partial<Inbound> & { role?: Role } =>
  ({ actor: { platform: 'discord', userId, displayName: userId, platformRole: role, ...(roles ? { roles } : {}) } });

const winnersOf = async () => {
  const rows = await bot.db.prisma.contestWinner.findMany({ orderBy: [{ round: 'asc' }, { createdAt: 'asc' }], include: { contest: false } });
  const names = new Map((await bot.db.prisma.member.findMany()).map((m) => [m.id, m.displayName]));
  return rows.map((r) => ({ ...r, name: names.get(r.memberId)! }));
};

describe('giveaway bonus entries and odds', () => {
  it('weighs entries by the largest bonus and shows the odds', async () => {
    bot = await testBot();
    for (const u of ['ann', 'ben']) await bot.run(u, '/points');
    await bot.run('mod', '/give @ann 2000', mod); // Gold
    await bot.run('mod', '/give @ben 10000', mod); // Platinum
    const created = await bot.run('mod', '/contest create Mug 1 1d bonus:"Gold=2, Platinum=4"', mod);
    expect(created.error).toBeUndefined();
    const card = (await drain(bot)).find((m) => m.to.kind === 'channel')!;
    expect(card.reply.text).toContain('Bonus entries: Gold tier +2, Platinum tier +4 (only the largest bonus you qualify for counts; they do not add up)');
    expect((await bot.run('ann', '/contest enter 1')).text).toBe(
      '🎟️ You\'re in giveaway #1 for "Mug" with 3 entries. Winners are drawn Thu, Nov 26, 12:00 PM.\nYour odds: 3 entries of 3 (100% per pick)\n🎟️ 1 member in, 3 entries in all');
    await bot.run('ben', '/contest enter 1');
    await bot.run('cat', '/contest enter 1');
    const weights = await bot.db.prisma.contestEntry.findMany({ orderBy: { createdAt: 'asc' } });
    expect(weights.map((w) => w.weight)).toEqual([3, 5, 1]);
    const show = await bot.run('ann', '/contest show 1');
    expect(show.ephemeral).toBe(true);
    expect(show.text).toContain('🎟️ 3 members in, 9 entries in all');
    expect(show.text).toContain('Your odds: 3 entries of 9 (33.3% per pick)');
    expect((await bot.run('dan', '/contest show 1')).text).toContain('You have not entered yet.');

    // Several winners: the chance to be among them, labelled approximate when the weights differ.
    await bot.run('mod', '/contest create Cap 2 1d bonus:Gold=2', mod);
    await bot.run('ann', '/contest enter 2');
    for (const u of ['ben', 'cat', 'dan']) await bot.run(u, '/contest enter 2');
    const odds = (await bot.run('ann', '/contest show 2')).text;
    expect(odds).toMatch(/Your odds: 3 entries of 8 \(37\.5% per pick\) · chance to be among the 2 winners: about (\d+(\.\d)?)%$/);
    const about = Number(/about ([\d.]+)%/.exec(odds)![1]) / 100;
    // Weights 3, 3, 1, 1 (ben is Platinum: Gold's bonus applies from Gold up). Exactly, ann is not drawn with
    // 3/8·2/5 + 2·(1/8·4/7) = 0.2929, so she wins with 0.7071; the estimate is within a few points.
    expect(Math.abs(about - 0.7071)).toBeLessThan(0.04);
    const ko = await bot.run('ann', '/contest show 1', { actor: { platform: 'console', userId: 'ann', displayName: 'ann', locale: 'ko' } });
    expect(ko.text).toContain('전체 응모권 9장 중 내 응모권 3장 (1회 추첨당 33.3%)');
  });

  it('validates bonus, role and tier options', async () => {
    bot = await testBot();
    expect((await bot.run('mod', '/contest create Mug 1 1d bonus:Diamond=2', mod)).text).toBe('There is no tier "Diamond". Tiers: Bronze, Silver, Gold, Platinum.');
    expect((await bot.run('mod', '/contest create Mug 1 1d bonus:Gold', mod)).error).toEqual({ code: 'contests:error.bonusSyntax', field: 'bonus' });
    expect((await bot.run('mod', '/contest create Mug 1 1d bonus:Gold=0', mod)).error?.code).toBe('contests:error.bonusRange');
    expect((await bot.run('mod', '/contest create Mug 1 1d bonus:"gold=1, Gold=2"', mod)).error?.code).toBe('contests:error.bonusTwice');
    expect((await bot.run('mod', '/contest create Mug 1 1d role:Gold', mod)).text).toBe('"Gold" is not a role. Mention a Discord role (@role) or a Slack user group.');
    expect((await bot.run('mod', '/contest create Mug 1 1d tier:Mithril', mod)).error).toEqual({ code: 'contests:error.unknownTier', field: 'tier' });
    expect(await bot.db.prisma.contest.count()).toBe(0);
    const ok = await bot.run('mod', '/contest create Mug 1 1d bonus:"<@&123>=3, <!subteam^S9|@team>=2, silver=1" role:"<@&7> <!subteam^S8>" tier:silver', mod);
    expect(ok.error).toBeUndefined();
    const c = await bot.db.prisma.contest.findFirstOrThrow();
    expect(JSON.parse(c.bonusEntries)).toEqual([
      { role: { platform: 'discord', id: '123' }, extra: 3 }, { role: { platform: 'slack', id: 'S9' }, extra: 2 }, { tier: 'Silver', extra: 1 },
    ]);
    expect(JSON.parse(c.requiredRoles)).toEqual([{ platform: 'discord', id: '7' }, { platform: 'slack', id: 'S8' }]);
    expect(c.requiredTier).toBe('Silver');
  });

  it('checks a tier requirement on every platform', async () => {
    bot = await testBot();
    await bot.run('ann', '/points');
    await bot.run('mod', '/give @ann 500', mod);
    await bot.run('mod', '/contest create Mug 1 1d tier:Silver', mod);
    expect((await drain(bot)).find((m) => m.to.kind === 'channel')!.reply.text).toContain('Requirements: Silver tier or higher');
    expect((await bot.run('ben', '/contest enter 1')).text).toBe('Giveaway #1 is for members who reached the Silver tier.');
    expect((await bot.run('ann', '/contest enter 1')).error).toBeUndefined();
  });

  it('checks role requirements against the roles the platform reports', async () => {
    bot = await testBot({ platform: 'discord' });
    await bot.run('mod', '/contest create Mug 1 1d role:<@&555> bonus:<@&777>=2', mod);
    const [card] = await drain(bot, 'discord');
    expect(card.reply.text).toContain('Requirements: role <@&555>');
    expect(card.reply.text).toContain('Bonus entries: <@&777> +2');
    expect((await bot.run('x', '/contest enter 1', discord('1'))).text)
      .toBe('Giveaway #1 needs a role, and Discord did not tell me yours. Enter from the platform whose role it asks for.');
    expect((await bot.run('x', '/contest enter 1', discord('2', ['9']))).text).toBe('Giveaway #1 is for members with one of the required Discord roles.');
    expect((await bot.run('x', '/contest enter 1', discord('3', ['555']))).error).toBeUndefined();
    expect((await bot.run('x', '/contest enter 1', discord('4', ['555', '777']))).error).toBeUndefined();
    expect((await bot.db.prisma.contestEntry.findMany({ orderBy: { createdAt: 'asc' } })).map((e) => e.weight)).toEqual([1, 3]);
  });
});

describe('live giveaway card', () => {
  it('refreshes once per burst of entries, and shows the giveaway is over', async () => {
    bot = await testBot();
    await bot.run('mod', '/contest create Mug 1 1d', mod);
    const first = await deliver();
    expect(first.posts).toHaveLength(1);
    for (const u of ['ann', 'ben', 'cat', 'dan', 'eve']) await bot.run(u, '/contest enter 1');
    const pending = await bot.db.prisma.scheduledJob.findMany({ where: { kind: 'contest.refresh', status: 'pending' } });
    expect(pending).toHaveLength(1);
    expect(pending[0].runAt.getTime()).toBe(bot.clock.now().getTime() + 10_000);
    bot.clock.advance(10_000);
    expect(await bot.engine.runDueJobs()).toBe(1);
    const refreshed = await deliver();
    expect(refreshed.posts).toEqual([]);
    expect(refreshed.edits).toHaveLength(1);
    expect(refreshed.edits[0].id).toBe(first.posts[0].id);
    expect(refreshed.edits[0].reply.text).toContain('🎟️ 5 members in, 5 entries in all');
    expect(refreshed.edits[0].reply.buttons![0][0].command).toBe('contest enter');
    // A later entry arms it again.
    await bot.run('fay', '/contest enter 1');
    expect(await bot.db.prisma.scheduledJob.count({ where: { kind: 'contest.refresh', status: 'pending' } })).toBe(1);
    await bot.run('mod', '/contest end 1', mod);
    const over = await deliver();
    expect(over.edits).toHaveLength(1);
    expect(over.edits[0].reply.text).toBe('🎉 **Giveaway #1: Mug**\nThis giveaway has ended. See the winners with /contest show 1.\n🎟️ 6 members in, 6 entries in all');
    expect(over.edits[0].reply.buttons).toBeUndefined();
    expect(await bot.db.prisma.scheduledJob.count({ where: { status: 'pending' } })).toBe(0);
  });

  it('edits a cancelled giveaway\'s card', async () => {
    bot = await testBot();
    await bot.run('mod', '/contest create Mug 1 1d', mod);
    await deliver();
    await bot.run('mod', '/contest cancel 1', mod);
    const { posts, edits } = await deliver();
    expect(posts.map((p) => p.reply.text)).toEqual(['Giveaway #1 (Mug) was cancelled.']);
    expect(edits[0].reply.text).toContain('This giveaway was cancelled.');
    expect(edits[0].reply.buttons).toBeUndefined();
  });
});

describe('claiming prizes', () => {
  it('pays on claim, once, and only the winner', async () => {
    bot = await testBot();
    await bot.run('mod', '/contest create Mug 1 1d points:50 claim:24', mod);
    expect((await drain(bot))[0].reply.text).toContain('Winners must claim within 24 hours, or the prize is drawn again.');
    for (const u of ['ann', 'ben', 'cat']) await bot.run(u, '/contest enter 1');
    await bot.run('mod', '/contest end 1', mod);
    const [w] = await winnersOf();
    expect(w.claimBy!.getTime()).toBe(bot.clock.now().getTime() + 24 * HOUR);
    const out = await drain(bot);
    const dm = out.find((m) => m.to.kind === 'dm')!;
    expect(dm.to).toEqual({ kind: 'dm', userId: w.name });
    expect(dm.reply.text).toBe('🎉 You won giveaway #1: **Mug** + 50 points!\nClaim it by Thu, Nov 26, 12:00 PM with the button or /contest claim 1, or it goes to someone else.');
    expect(dm.reply.buttons![0][0]).toMatchObject({ command: 'contest claim', args: { contest: 1 } });
    expect(out.find((m) => m.reply.text.includes('ended: Mug'))!.reply.text).toContain('Winners: claim your prize by Thu, Nov 26, 12:00 PM');
    expect(await bot.db.prisma.ledgerEntry.count({ where: { kind: 'contest' } })).toBe(0);
    const loser = ['ann', 'ben', 'cat'].find((u) => u !== w.name)!;
    expect((await bot.run(loser, '/contest claim 1')).text).toBe('You have no prize to claim in giveaway #1.');
    expect((await bot.run(w.name, '/contest claim contest:1')).text).toBe('✅ Prize claimed: "Mug" from giveaway #1, and 50 points are in your balance.');
    expect((await bot.run(w.name, '/contest claim 1')).text).toBe('You already claimed your prize from giveaway #1.');
    expect((await bot.memberOf(w.name)).balance).toBe(50);
    expect(await bot.db.prisma.ledgerEntry.count({ where: { kind: 'contest' } })).toBe(1);
    // Claimed: the check finds nothing to replace and stops.
    bot.clock.advance(25 * HOUR);
    await bot.engine.runDueJobs();
    expect((await winnersOf()).map((x) => x.replaced)).toEqual([false]);
  });

  it('draws again for a prize nobody claimed, tells the new winner and refuses the late claim', async () => {
    bot = await testBot();
    await bot.run('mod', '/contest create Mug 1 1d points:50 claim:2', mod);
    for (const u of ['ann', 'ben', 'cat']) await bot.run(u, '/contest enter 1');
    await bot.run('mod', '/contest end 1', mod);
    await drain(bot);
    const [first] = await winnersOf();
    bot.clock.advance(2 * HOUR);
    // At the deadline (before the check runs) a claim is too late.
    expect((await bot.run(first.name, '/contest claim 1')).text).toBe('The time to claim your prize from giveaway #1 ran out on Wed, Nov 25, 2:00 PM, so it was drawn again.');
    expect(await bot.engine.runDueJobs()).toBe(1);
    const all = await winnersOf();
    expect(all).toHaveLength(2);
    expect(all[0]).toMatchObject({ memberId: first.memberId, replaced: true, replacedReason: 'unclaimed', round: 1 });
    expect(all[1]).toMatchObject({ replaced: false, round: 2 });
    expect(all[1].memberId).not.toBe(first.memberId);
    expect(all[1].claimBy!.getTime()).toBe(bot.clock.now().getTime() + 2 * HOUR);
    const out = await drain(bot);
    expect(out.find((m) => m.to.kind === 'dm')!.to).toEqual({ kind: 'dm', userId: all[1].name });
    expect(out.find((m) => m.to.kind === 'channel')!.reply.text)
      .toBe(`⌛ Giveaway #1 (Mug): ${first.name} did not claim in time. New winner: ${all[1].name}. Congratulations!`);
    expect((await bot.run(first.name, '/contest claim 1')).error?.code).toBe('contests:error.claimExpired');
    // The check runs again at the new deadline; the last entrant is drawn when the second lets it pass too.
    const job = await bot.db.prisma.scheduledJob.findFirstOrThrow({ where: { kind: 'contest.claim' } });
    expect(job).toMatchObject({ status: 'pending', runAt: all[1].claimBy });
    bot.clock.advance(2 * HOUR);
    expect(await bot.engine.runDueJobs()).toBe(1);
    const third = (await winnersOf())[2];
    expect((await bot.run(third.name, '/contest claim 1')).error).toBeUndefined();
    expect((await bot.memberOf(third.name)).balance).toBe(50);
    expect(await bot.db.prisma.ledgerEntry.count({ where: { kind: 'contest' } })).toBe(1);
    // The check at the third deadline finds the prize claimed and stops.
    bot.clock.advance(3 * HOUR);
    expect(await bot.engine.runDueJobs()).toBe(1);
    expect(await bot.db.prisma.contestWinner.count()).toBe(3);
    expect(await bot.db.prisma.scheduledJob.count({ where: { status: 'pending' } })).toBe(0);
    // A moderator reroll keeps working (nobody left here).
    expect((await bot.run('mod', '/contest reroll 1', mod)).error?.code).toBe('contests:error.nobodyLeft');
  });

  it('pays at the draw when no claim is needed, and says so', async () => {
    bot = await testBot();
    await bot.run('mod', '/contest create Mug 1 1d points:10', mod);
    await bot.run('ann', '/contest enter 1');
    await bot.run('mod', '/contest end 1', mod);
    expect((await bot.memberOf('ann')).balance).toBe(10);
    const dm = (await drain(bot)).find((m) => m.to.kind === 'dm')!;
    expect(dm.reply.text).toBe('🎉 You won giveaway #1: **Mug** + 10 points!\nNothing to do: it is yours.');
    expect(dm.reply.buttons).toBeUndefined();
    expect((await bot.run('ann', '/contest claim 1')).text).toBe('Your prize from giveaway #1 does not need to be claimed: you are already confirmed as a winner.');
  });

  it('words the winner\'s direct message in their language', async () => {
    bot = await testBot();
    await bot.run('mod', '/contest create 머그컵 1 1d claim:24', mod);
    await bot.run('x', '/contest enter 1', { actor: { platform: 'console', userId: 'min', displayName: 'min', locale: 'ko' } });
    await bot.run('mod', '/contest end 1', mod);
    const dm = (await drain(bot)).find((m) => m.to.kind === 'dm')!;
    expect(dm.reply.text).toContain('🎉 경품 추첨 #1에 당첨됐어요: **머그컵**!');
    expect(dm.reply.buttons![0][0].label).toBe('🎁 수령하기');
  });
});

describe('giveaways on every bound platform', () => {
  it('posts the card in the announce channel of the other platform and counts entries from both', async () => {
    bot = await testBot();
    const tg = { platform: 'telegram' as const, communityKey: '-100200' };
    const code = (await bot.run('boss', '/community bind', admin)).text.match(/\*\*(\w+)\*\*/)![1];
    await bot.run('x', `/community bind ${code}`, { ...tg, actor: { platform: 'telegram', userId: '5', displayName: 'tg-admin', platformRole: 'admin' } });
    const tgAdmin = { ...tg, address: { kind: 'channel' as const, channelId: '-100200', threadId: '7' }, actor: { platform: 'telegram' as const, userId: '5', displayName: 'tg-admin', platformRole: 'admin' as const } };
    expect((await bot.run('x', '/announce here', { ...tgAdmin, actor: { ...tgAdmin.actor, platformRole: undefined } })).error?.code).toBe('errors:precondition.admin');
    const here = await bot.run('x', '/announce here', tgAdmin);
    expect(here.text).toBe('📣 Community announcements on Telegram (giveaways started on other platforms) now go to this channel.\nconsole: no announcement channel yet; an admin there can run /announce here.');
    const binding = await bot.db.prisma.communityBinding.findFirstOrThrow({ where: { platform: 'telegram' } });
    expect(binding).toMatchObject({ announceChannelId: '-100200', announceThreadId: '7' });

    const created = await bot.run('mod', '/contest create Mug 1 1d role:<@&9>', mod);
    expect(created.text).toBe('Giveaway #1 for "Mug" is live until Thu, Nov 26, 12:00 PM.\nAlso posted on Telegram.');
    const consoleCard = (await deliver('console')).posts;
    const tgCard = (await deliver('telegram')).posts;
    expect(consoleCard.map((p) => p.to)).toEqual([{ kind: 'channel', channelId: 'general' }]);
    expect(tgCard.map((p) => p.to)).toEqual([{ kind: 'channel', channelId: '-100200', threadId: '7' }]);
    expect(tgCard[0].reply.text).toContain('Requirements: role a Discord role');
    expect(tgCard[0].reply.buttons![0][0]).toMatchObject({ command: 'contest enter', args: { contest: 1 } });
    // A Discord role is needed: a Telegram member is told to enter from Discord.
    expect((await bot.run('x', '/contest enter 1', { ...tg, actor: { platform: 'telegram', userId: '77', displayName: 'yan' } })).text)
      .toBe('Giveaway #1 needs a Discord role: enter it from Discord.');
    await bot.run('mod', '/contest create Cap 1 1d', mod);
    await bot.run('ann', '/contest enter 2');
    await bot.run('x', '/contest enter 2', { ...tg, actor: { platform: 'telegram', userId: '77', displayName: 'yan' } });
    expect(await bot.db.prisma.contestEntry.count({ where: { contestId: 2 } })).toBe(2);
    bot.clock.advance(10_000);
    await bot.engine.runDueJobs();
    await deliver('console');
    const tgEdits = (await deliver('telegram')).edits;
    expect(tgEdits).toHaveLength(1);
    expect(tgEdits[0].reply.text).toContain('🎟️ 2 members in, 2 entries in all');
    await bot.run('mod', '/contest end 2', mod);
    const ended = (await deliver('telegram')).posts.filter((p) => p.to.kind === 'channel');
    expect(ended.map((p) => p.reply.text.split('\n')[0])).toEqual(['🎉 **Giveaway #2 ended: Cap**']);
  });
});

describe('verifiable draw', () => {
  it('commits to the seed, reveals it at the draw, and the standalone script recomputes the winners', async () => {
    bot = await testBot();
    const web = createWebServer({ engine: bot.engine });
    await bot.run('ann', '/points');
    await bot.run('mod', '/give @ann 2000', mod);
    await bot.run('mod', '/contest create Mug 2 1d bonus:Gold=3', mod);
    for (const u of ['ann', 'ben', 'cat', 'dan', 'eve']) await bot.run(u, '/contest enter 1');
    const { id: communityId } = await bot.db.prisma.community.findFirstOrThrow();
    const url = `/giveaways/${communityId}/1/draw.json`;
    const before = await web.app.request(url);
    expect(before.status).toBe(200);
    expect(before.headers.get('cache-control')).toBe('no-store');
    const open = await before.json() as { seed: string | null; seedHash: string; entries: { n: number; name?: string; weight: number }[] };
    expect(open.seed).toBeNull();
    expect(JSON.stringify(open)).not.toContain((await bot.db.prisma.contest.findFirstOrThrow()).seed!);
    // Public: numbers and entries, no names (the community may be private).
    expect(open.entries).toEqual([{ n: 1, weight: 4 }, { n: 2, weight: 1 }, { n: 3, weight: 1 }, { n: 4, weight: 1 }, { n: 5, weight: 1 }]);
    expect(JSON.stringify(open)).not.toContain('ann');
    // Members see their own number (and the names) in chat.
    expect((await bot.run('ben', '/contest verify 1')).text).toContain('Your entry is #2 in the list');
    expect((await web.app.request(`/giveaways/other/1/draw.json`)).status).toBe(404);
    expect((await web.app.request(`/giveaways/${communityId}/9/draw.json`)).status).toBe(404);
    expect((await bot.run('ann', '/contest verify 1')).text).toContain('The seed is revealed when the winners are drawn.');

    await bot.run('mod', '/contest end 1', mod);
    await bot.run('mod', '/contest reroll 1', mod);
    const drawn = await web.app.request(url);
    expect(drawn.headers.get('cache-control')).toBe('public, max-age=60');
    const record = await drawn.json() as { seed: string; seedHash: string; rounds: { round: number; winners: number[] }[] };
    expect(createHash('sha256').update(record.seed).digest('hex')).toBe(open.seedHash);
    expect(record.rounds.map((r) => [r.round, r.winners.length])).toEqual([[1, 2], [2, 1]]);
    const verify = await bot.run('ann', '/contest verify 1');
    expect(verify.text).toContain('✅ Recomputed from the seed and the entry list: the hash and the winners match.');
    expect(verify.text).toContain(`http://localhost:3000${url}`);

    const dir = mkdtempSync(join(tmpdir(), 'draw-'));
    const file = join(dir, 'draw.json');
    writeFileSync(file, JSON.stringify(record));
    const out = execFileSync(process.execPath, ['scripts/verify-draw.mjs', file], { encoding: 'utf8' });
    expect(out).toContain('sha256(seed) equals seedHash: yes');
    expect(out).toContain('Round 1: recomputed');
    expect(out).toContain('RESULT: the draw matches.');
    // A published winner changed: the script says so.
    const forged = { ...record, rounds: record.rounds.map((r, i) => (i === 0 ? { ...r, winners: [...r.winners].reverse() } : r)) };
    writeFileSync(file, JSON.stringify(forged));
    const bad = spawnSync(process.execPath, ['scripts/verify-draw.mjs', file], { encoding: 'utf8' });
    expect(bad.status).toBe(1);
    expect(bad.stdout).toContain('MISMATCH');
  });

  it('draws weighted: weight 3 wins about three times as often as weight 1', () => {
    const entries = [{ n: 1, weight: 3 }, { n: 2, weight: 1 }];
    let heavy = 0;
    const runs = 4000;
    for (let i = 0; i < runs; i++) if (drawRound(createHash('sha256').update(String(i)).digest('hex'), 7, 1, entries, 1, new Set())[0] === 1) heavy++;
    // Expected 3000, standard deviation about 27.
    expect(Math.abs(heavy - 3000)).toBeLessThan(120);
    // Later rounds never pick an excluded entry.
    expect(drawRound('ab'.repeat(32), 7, 2, entries, 1, new Set([1]))).toEqual([2]);
  });

  it('estimates the chance to be among several winners close to the real draw', () => {
    const entries = [{ n: 1, weight: 3 }, ...[2, 3, 4, 5, 6].map((n) => ({ n, weight: 1 }))];
    let wins = 0;
    const runs = 4000;
    for (let i = 0; i < runs; i++) if (drawRound(createHash('sha256').update(`x${i}`).digest('hex'), 1, 1, entries, 2, new Set()).includes(1)) wins++;
    const { chance, exact } = winChance(3, [{ weight: 3, count: 1 }, { weight: 1, count: 5 }], 2);
    expect(exact).toBe(false);
    expect(Math.abs(chance - wins / runs)).toBeLessThan(0.05);
    expect(winChance(1, [{ weight: 1, count: 10 }], 3)).toEqual({ chance: 0.3, exact: true });
    expect(winChance(2, [{ weight: 2, count: 1 }, { weight: 1, count: 2 }], 1)).toEqual({ chance: 0.5, exact: true });
  });
});
