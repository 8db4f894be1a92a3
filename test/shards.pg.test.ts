import { describe, it, expect, afterEach } from 'vitest';
import { PG_ADMIN_URL, twoInstances, type TwoInstances } from './pg.js';
import { DAY, MIN } from './helpers.js';
import { Runtime, type PlatformAdapter } from '../src/runtime.js';
import { loadConfig } from '../src/config.js';
import type { Address, Inbound, Reply } from '../src/core/types.js';

/*
 * Several bot processes sharing PostgreSQL, each with its share of the Discord shards: every one runs the
 * scheduler and the outbox, and the claims make each job run once and each announcement go out once.
 */

let t: TwoInstances | undefined;
afterEach(async () => { await t?.close(); t = undefined; });

/** What a Discord shard process hands the runtime: it sends through Discord's REST API, so any shard can post anywhere. */
function shardAdapter(sent: string[]): PlatformAdapter {
  return {
    platform: 'discord', ownsBackgroundWork: false,
    start: async () => {}, stop: async () => {},
    send: async (to: Address, reply: Reply) => { sent.push(`${to.kind === 'channel' ? to.channelId : to.userId}: ${reply.text.split('\n')[0]}`); },
  };
}

const discordCmd = (user: string, line: string, channelId = 'C1'): Inbound => {
  const m = /^\/?(\S+)\s*([\s\S]*)$/.exec(line)!;
  return {
    platform: 'discord', communityKey: 'G1', address: { kind: 'channel', channelId },
    actor: { platform: 'discord', userId: user, displayName: user, platformRole: user === 'admin' ? 'admin' : undefined },
    command: m[1], args: m[2],
  };
};

describe('shards across processes', () => {
  it('reads its shard ids and the total from DISCORD_SHARDS and DISCORD_SHARD_COUNT, and refuses a bad set', () => {
    const cfg = loadConfig({ DISCORD_TOKEN: 'x', DISCORD_SHARDS: '2, 3', DISCORD_SHARD_COUNT: '4' });
    expect(cfg).toMatchObject({ DISCORD_SHARDS: '2, 3', DISCORD_SHARD_COUNT: 4, platforms: ['discord'] });
    expect(() => loadConfig({ DISCORD_TOKEN: 'x', DISCORD_SHARDS: '1' })).toThrow(/DISCORD_SHARDS needs DISCORD_SHARD_COUNT/);
    expect(() => loadConfig({ DISCORD_TOKEN: 'x', DISCORD_SHARDS: '4', DISCORD_SHARD_COUNT: '4' })).toThrow(/ids go from 0 to 3/);
    expect(() => loadConfig({ DISCORD_TOKEN: 'x', DISCORD_SHARDS: 'zero', DISCORD_SHARD_COUNT: '4' })).toThrow(/DISCORD_SHARDS must be shard ids/);
  });

  it.skipIf(!PG_ADMIN_URL)('two processes both running the scheduler and outbox end each giveaway once and post each announcement once', async () => {
    t = await twoInstances('shards');
    for (let i = 0; i < 8; i++) {
      const r = await (i % 2 ? t.e2 : t.e1).handle(discordCmd('admin', `/contest create Prize${i} 1 1d`, `C${i % 3}`));
      expect(r.error, r.text).toBeUndefined();
    }
    for (let i = 0; i < 8; i++) await t.e1.handle(discordCmd(`m${i}`, `/contest enter ${i + 1}`));
    const sent1: string[] = [], sent2: string[] = [];
    const r1 = new Runtime(t.e1, [shardAdapter(sent1)], { jobsCron: '0 0 1 1 *', outboxMs: 3_600_000 });
    const r2 = new Runtime(t.e2, [shardAdapter(sent2)], { jobsCron: '0 0 1 1 *', outboxMs: 3_600_000 });
    await Promise.all([r1.start(), r2.start()]); // each drains the cards posted so far
    t.clock.advance(DAY + MIN);
    // Both processes tick at once, several times: the giveaways end once, their results are posted once.
    for (let round = 0; round < 3; round++) await Promise.all([r1.tick(), r2.tick()]);
    await Promise.all([r1.pump(), r2.pump()]);
    expect(await t.a.prisma.contest.count({ where: { status: 'ended' } })).toBe(8);
    expect(await t.a.prisma.contestWinner.count()).toBe(8);
    const all = [...sent1, ...sent2];
    expect(all).toHaveLength(new Set(all).size);
    expect(await t.a.prisma.outboxMessage.count({ where: { status: { not: 'sent' } } })).toBe(0);
    // Every message but the card edits (live count, "over"), which this adapter cannot make, was posted.
    expect(all.length).toBe(await t.a.prisma.outboxMessage.count({ where: { NOT: { payload: { contains: '"edit":"contest:' } } } }));
    // Both did part of the work.
    expect(sent1.length).toBeGreaterThan(0);
    await Promise.all([r1.stop(), r2.stop()]);
  });
});
