import { describe, it, expect, afterEach } from 'vitest';
import { testBot, type TestBot, HOUR, MIN } from './helpers.js';
import { Runtime, type PlatformAdapter } from '../src/runtime.js';
import type { Address, Reply } from '../src/core/types.js';
import { scheduleJob } from '../src/infra/jobs.js';

let bot: TestBot;
afterEach(async () => bot?.close());
const mod = { role: 'moderator' as const };

class FakeAdapter implements PlatformAdapter {
  readonly platform = 'console' as const;
  sent: { to: Address; reply: Reply }[] = [];
  failNext = 0;
  async start() {}
  async stop() {}
  async send(to: Address, reply: Reply) {
    if (this.failNext > 0) {
      this.failNext--;
      throw new Error('platform is down');
    }
    this.sent.push({ to, reply });
  }
}

describe('outbox', () => {
  it('delivers announcements in order, once, and retries failures', async () => {
    bot = await testBot();
    await bot.run('mod', '/contest create A 1 1d', mod);
    await bot.run('mod', '/contest create B 1 1d', mod);
    const a = new FakeAdapter();
    a.failNext = 1;
    expect(await bot.engine.deliverOutbox('console', (c, r) => a.send(c, r))).toBe(1);
    expect(a.sent.map((s) => s.reply.text.split('\n')[0])).toEqual(['🎉 **Giveaway #2: B**']);
    const failed = await bot.db.prisma.outboxMessage.findUniqueOrThrow({ where: { id: 1 } });
    expect(failed).toMatchObject({ status: 'pending', attempts: 1, lastError: 'platform is down' });
    // Not tried again before its backoff (15 s ± 20%) has passed.
    expect(failed.nextAt!.getTime() - bot.clock.now().getTime()).toBeGreaterThanOrEqual(12_000);
    expect(await bot.engine.deliverOutbox('console', (c, r) => a.send(c, r))).toBe(0);
    bot.clock.advance(18_000);
    expect(await bot.engine.deliverOutbox('console', (c, r) => a.send(c, r))).toBe(1);
    expect(await bot.engine.deliverOutbox('console', (c, r) => a.send(c, r))).toBe(0);
    expect(a.sent).toHaveLength(2);
    // Another platform's queue is separate.
    expect(await bot.engine.deliverOutbox('discord', async () => { throw new Error('never'); })).toBe(0);
  });

  it('backs off exponentially, gives up after 12 tries (about 8 hours), and tells moderators once a day per channel', async () => {
    bot = await testBot();
    for (const u of ['root', 'boss', 'mod']) await bot.run(u, '/points');
    expect((await bot.run('root', '/role @boss admin', { role: 'admin' })).error).toBeUndefined();
    expect((await bot.run('root', '/role @mod moderator', { role: 'admin' })).error).toBeUndefined();
    await bot.run('mod', '/contest create A 1 1d', mod);
    await bot.run('mod', '/contest create B 1 1d', mod);
    const told: { to: Address; reply: Reply }[] = [];
    const gaps: number[] = [];
    let last = bot.clock.now().getTime();
    for (let i = 0; i < 200; i++) {
      const before = await bot.db.prisma.outboxMessage.findFirstOrThrow({ where: { id: 1 } });
      if (await bot.db.prisma.outboxMessage.count({ where: { status: 'failed' } }) === 2) break;
      await bot.engine.deliverOutbox('console', async (to, reply) => {
        if (to.kind === 'channel') throw new Error('Missing Access');
        told.push({ to, reply });
      });
      const after = await bot.db.prisma.outboxMessage.findFirstOrThrow({ where: { id: 1 } });
      if (after.attempts !== before.attempts && before.status !== 'failed') { gaps.push(bot.clock.now().getTime() - last); last = bot.clock.now().getTime(); }
      bot.clock.advance(5 * MIN);
    }
    await bot.engine.deliverOutbox('console', async (to, reply) => { told.push({ to, reply }); });
    const first = await bot.db.prisma.outboxMessage.findFirstOrThrow({ where: { id: 1 } });
    expect(first).toMatchObject({ status: 'failed', attempts: 12, lastError: 'Missing Access' });
    // Waits grow: each at least about the previous one (jitter aside), up to hours apart.
    expect(gaps.at(-1)!).toBeGreaterThan(3 * HOUR);
    expect(gaps.reduce((a, b) => a + b, 0)).toBeGreaterThan(6 * HOUR);
    // Both announcements to that channel failed; the admin and the moderator were told once, by DM, in their language.
    expect(await bot.db.prisma.outboxMessage.count({ where: { status: 'failed' } })).toBe(2);
    expect(told.map((t) => t.to)).toEqual([{ kind: 'dm', userId: 'boss' }, { kind: 'dm', userId: 'mod' }]);
    expect(told[0].reply.text).toContain('general');
    expect(told[0].reply.text).toContain('12 tries');
  });

  it('during an outage of several days, tells moderators again each day, not once for the whole outage', async () => {
    bot = await testBot();
    for (const u of ['root', 'mod']) await bot.run(u, '/points');
    expect((await bot.run('root', '/role @mod moderator', { role: 'admin' })).error).toBeUndefined();
    const told: Address[] = [];
    const failing = async (to: Address) => { if (to.kind === 'channel') throw new Error('Missing Access'); told.push(to); };
    // A new giveaway every 6 hours for three days; the channel refuses every post.
    for (let hour = 0; hour < 72; hour += 1) {
      if (hour % 6 === 0) await bot.run('mod', `/contest create P${hour} 1 30d`, mod);
      await bot.engine.deliverOutbox('console', failing);
      bot.clock.advance(HOUR);
    }
    for (let i = 0; i < 12; i++) { await bot.engine.deliverOutbox('console', failing); bot.clock.advance(HOUR); }
    // Failures were given up on all along (each after about 8 hours); the moderator heard once per day of it, not once in all.
    expect(told.length).toBeGreaterThanOrEqual(3);
    expect(told.length).toBeLessThanOrEqual(4);
  });

  it('is not sent twice by two instances draining at once', async () => {
    bot = await testBot();
    for (let i = 0; i < 5; i++) await bot.run('mod', `/contest create P${i} 1 1d`, mod);
    const a = new FakeAdapter();
    const [x, y] = await Promise.all([
      bot.engine.deliverOutbox('console', (c, r) => a.send(c, r)),
      bot.engine.deliverOutbox('console', (c, r) => a.send(c, r)),
    ]);
    expect(x + y).toBe(5);
    expect(a.sent).toHaveLength(5);
  });

  it('does not queue announcements of a refused command', async () => {
    bot = await testBot();
    await bot.run('mod', '/contest create A 1 2001-01-01', mod);
    expect(await bot.db.prisma.outboxMessage.count()).toBe(0);
  });
});

describe('scheduler', () => {
  it('retries a failing job with backoff and then marks it failed', async () => {
    bot = await testBot({ onError: () => {} });
    // A poll.open job for a poll that breaks the handler: point it at a missing row is harmless, so
    // make the handler fail by scheduling an unknown kind.
    await bot.db.prisma.$transaction((tx) => scheduleJob(tx, 'poll.open' as never, 1, bot.clock.now()));
    await bot.db.prisma.scheduledJob.update({ where: { id: 1 }, data: { kind: 'bogus.kind' } });
    expect(await bot.engine.runDueJobs()).toBe(0);
    let job = await bot.db.prisma.scheduledJob.findUniqueOrThrow({ where: { id: 1 } });
    expect(job).toMatchObject({ status: 'pending', attempts: 1 });
    expect(job.lastError).toBeTruthy();
    expect(job.lockedUntil!.getTime() - bot.clock.t).toBe(MIN);
    expect(await bot.engine.runDueJobs()).toBe(0); // still backing off
    expect((await bot.db.prisma.scheduledJob.findUniqueOrThrow({ where: { id: 1 } })).attempts).toBe(1);
    for (let i = 0; i < 6; i++) {
      bot.clock.advance(HOUR);
      await bot.engine.runDueJobs();
    }
    job = await bot.db.prisma.scheduledJob.findUniqueOrThrow({ where: { id: 1 } });
    expect(job).toMatchObject({ status: 'failed', attempts: 5 });
  });

  it('catches up on start and delivers through the adapters (node-cron runtime)', async () => {
    bot = await testBot();
    await bot.run('mod', '/contest create Mug 1 1h', mod);
    await bot.run('ann', '/contest enter 1');
    bot.clock.advance(3 * HOUR); // the bot was down when the giveaway should have ended
    const a = new FakeAdapter();
    const rt = new Runtime(bot.engine, [a], { outboxMs: 60_000 });
    await rt.start();
    await rt.stop();
    expect(a.sent.map((s) => s.reply.text.split('\n')[0])).toEqual(['🎉 **Giveaway #1: Mug**', '🎉 You won giveaway #1: **Mug**!', '🎉 **Giveaway #1 ended: Mug**']);
    expect(a.sent[2].reply.text).toContain('Winner: ann (from 1 entry)');
    expect(a.sent[2].to).toEqual({ kind: 'channel', channelId: 'general' });
  });
});

describe('housekeeping', () => {
  it('forgets old redelivery records and sent announcements, keeps recent ones', async () => {
    bot = await testBot();
    await bot.run('mod', '/contest create A 1 30d', { ...mod, eventKey: 'old' });
    await bot.engine.deliverOutbox('console', async () => {});
    bot.clock.advance(8 * 24 * HOUR);
    await bot.run('mod', '/contest create B 1 1d', { ...mod, eventKey: 'new' });
    expect(await bot.engine.prune()).toBe(2);
    expect((await bot.db.prisma.processedEvent.findMany()).map((e) => e.key)).toEqual(['console:new']);
    expect(await bot.db.prisma.outboxMessage.count()).toBe(1);
  });
});
