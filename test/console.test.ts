import { describe, it, expect, afterEach } from 'vitest';
import { PassThrough } from 'node:stream';
import { testBot, type TestBot } from './helpers.js';
import { ConsoleAdapter } from '../adapters/console/index.js';
import { Runtime } from '../src/runtime.js';

let bot: TestBot;
afterEach(async () => bot?.close());

/** Types `lines` into a console adapter with a running scheduler; resolves with what it printed once input ends. */
async function session(lines: string[], advance?: (ms: number) => void): Promise<string> {
  const input = new PassThrough();
  const output = new PassThrough();
  let printed = '';
  output.on('data', (d) => (printed += d));
  let exited!: () => void;
  const done = new Promise<void>((resolve) => (exited = resolve));
  const adapter: ConsoleAdapter = new ConsoleAdapter(bot.engine, { input, output, community: 'test', onExit: () => exited(), tick: () => runtime.tick(), advance });
  const runtime = new Runtime(bot.engine, [adapter], { outboxMs: 60_000 });
  await adapter.start();
  await runtime.start();
  for (const l of lines) input.write(l + '\n');
  input.end();
  await done;
  await runtime.stop();
  return printed;
}

describe('console adapter', () => {
  it('runs typed commands, switches users, presses buttons and prints announcements', async () => {
    bot = await testBot();
    const printed = await session([
      '/contest create "Hoodie" 1 1d',
      ':as alice',
      ':press 1',
      '/points',
      ':as bob moderator',
      '/give @alice 5 thanks',
      '/give @alice five',
    ]);
    expect(printed).toContain('Giveaway #1 for "Hoodie" is live until');
    expect(printed).toContain('[#general] 🎉 Giveaway #1: Hoodie');
    expect(printed).toContain('[1] 🎉 Enter');
    expect(printed).toContain("🎟️ You're in giveaway #1");
    expect(printed).toContain('You are now "bob" (moderator).');
    expect(printed).toContain('➕ Gave 5 points to alice (thanks). New balance: 5.');
    expect(printed).toContain('⚠ amount: must be a whole number.');
    expect(await bot.db.prisma.contestEntry.count()).toBe(1);
  });

  it('switches language and time zone, and moves the clock so a draw can be shown', async () => {
    bot = await testBot();
    let offset = 0;
    const printed = await session([
      ':tz Asia/Seoul',
      ':lang ko',
      '/contest create 「후드티」 1 2026-11-26 18:00',
      ':as minji',
      ':press 1',
      ':tick 2d',
      ':as you',
      ':tz Mars/Olympus',
    ], (ms) => { offset += ms; bot.clock.advance(ms); });
    expect(offset).toBe(2 * 86_400_000);
    const contest = await bot.db.prisma.contest.findFirstOrThrow();
    expect(contest.endsAt).toEqual(new Date('2026-11-26T09:00:00Z')); // 18:00 in Seoul
    expect(contest.status).toBe('ended');
    expect((await bot.db.prisma.community.findFirstOrThrow()).timezone).toBe('Asia/Seoul');
    expect(printed).toContain('11월 26일 (목) 오후 6:00');
    expect(printed).toContain('minji');
    expect(printed).toContain('Mars/Olympus');
  });
});
