import { describe, it, expect, afterEach } from 'vitest';
import { PassThrough } from 'node:stream';
import { testBot, type TestBot } from './helpers.js';
import { ConsoleAdapter } from '../adapters/console/index.js';
import { Runtime } from '../src/runtime.js';

let bot: TestBot;
afterEach(async () => bot?.close());

describe('console adapter', () => {
  it('runs typed commands, switches users, presses buttons and prints announcements', async () => {
    bot = await testBot();
    const input = new PassThrough();
    const output = new PassThrough();
    let printed = '';
    output.on('data', (d) => (printed += d));
    let exited!: () => void;
    const done = new Promise<void>((resolve) => (exited = resolve));
    const adapter: ConsoleAdapter = new ConsoleAdapter(bot.engine, { input, output, community: 'test', onExit: () => exited(), tick: () => runtime.tick() });
    const runtime = new Runtime(bot.engine, [adapter], { outboxMs: 60_000 });
    await adapter.start();
    await runtime.start();
    input.write('/contest create "Hoodie" 1 1d\n');
    input.write(':as alice\n');
    input.write(':press 1\n');
    input.write('/points\n');
    input.write(':as bob moderator\n');
    input.write('/give @alice 5 thanks\n');
    input.write('/give @alice five\n');
    input.end();
    await done;
    expect(printed).toContain('Giveaway #1 for "Hoodie" is live until');
    expect(printed).toContain('[#general] 🎉 Giveaway #1: Hoodie');
    expect(printed).toContain('[1] 🎉 Enter');
    expect(printed).toContain("🎟️ You're in giveaway #1");
    expect(printed).toContain('You are now "bob" (moderator).');
    expect(printed).toContain('➕ Gave 5 points to alice (thanks). New balance: 5.');
    expect(printed).toContain('⚠ amount: must be a whole number.');
    expect(await bot.db.prisma.contestEntry.count()).toBe(1);
    await runtime.stop();
  });

  it('switches language and time zone, and moves the clock so a draw can be shown', async () => {
    bot = await testBot();
    const input = new PassThrough();
    const output = new PassThrough();
    let printed = '';
    output.on('data', (d) => (printed += d));
    let exited!: () => void;
    const done = new Promise<void>((resolve) => (exited = resolve));
    let offset = 0;
    const clock = bot.clock;
    const adapter: ConsoleAdapter = new ConsoleAdapter(bot.engine, {
      input, output, community: 'test', onExit: () => exited(), tick: () => runtime.tick(), advance: (ms) => { offset += ms; clock.advance(ms); },
    });
    const runtime = new Runtime(bot.engine, [adapter], { outboxMs: 60_000 });
    await adapter.start();
    await runtime.start();
    input.write(':tz Asia/Seoul\n');
    input.write(':lang ko\n');
    input.write('/contest create 「후드티」 1 2026-11-26 18:00\n');
    input.write(':as minji\n');
    input.write(':press 1\n');
    input.write(':tick 2d\n');
    input.write(':as you\n');
    input.write(':tz Mars/Olympus\n');
    input.end();
    await done;
    await runtime.stop();
    expect(offset).toBe(2 * 86_400_000);
    const contest = await bot.db.prisma.contest.findFirstOrThrow();
    expect(contest.endsAt).toEqual(new Date('2026-11-26T09:00:00Z')); // 18:00 in Seoul
    expect(contest.status).toBe('ended');
    expect((await bot.db.prisma.community.findFirstOrThrow()).timezone).toBe('Asia/Seoul');
    expect(printed).toContain('11월 26일 (목) 오후 6:00');
    expect(printed).toMatch(/minji/);
    expect(printed).toContain('Mars/Olympus');
  });
});
