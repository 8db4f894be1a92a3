import { describe, it, expect, afterEach } from 'vitest';
import { PassThrough } from 'node:stream';
import { testBot, type TestBot } from './helpers.js';
import { ConsoleAdapter } from '../adapters/console/index.js';
import { Runtime } from '../src/runtime.js';
import { allCommands } from '../commands/index.js';
import { defineCommand, opt, type CommandDef } from '../src/core/command.js';
import { pollVote } from '../commands/polls.js';
import type { Reply } from '../src/core/types.js';
import type { NoticeRenderers } from '../src/features/notices.js';

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

describe('console adapter: select menus, reactions and edited cards', () => {
  const select = {
    placeholder: 'Pick', command: 'probe pick', args: { poll: 9 }, name: 'choice', min: 1, max: 2,
    options: [{ label: 'Pizza', value: '1' }, { label: 'Sushi', value: '2' }],
    fallback: [[{ label: 'Pizza', command: 'probe pick', args: { poll: 9, choice: '1' } }, { label: 'Sushi', command: 'probe pick', args: { poll: 9, choice: '2' } }]],
  };
  const card = (text: string): Reply => ({ text, selects: [select], buttons: [[{ label: 'Results', command: 'probe pick', args: { poll: 9, choice: 'results' } }]], reactions: ['👍', '👎'] });
  const probes = [
    defineCommand({ name: 'probe pick', permission: 'member', options: { poll: opt.id(), choice: opt.string() }, async run(_c, a) { return { text: `Picked ${a.choice}` }; } }),
    defineCommand({
      name: 'probe post', permission: 'member', options: {},
      async run(ctx) {
        await ctx.announce({ communityId: ctx.community.id, platform: 'console', to: { kind: 'channel', channelId: 'general' }, notice: { type: 'test.card', reply: card('Lunch?') }, card: 'poll:9' });
        return { text: 'Posted' };
      },
    }),
    defineCommand({
      name: 'probe edit', permission: 'member', options: {},
      async run(ctx) {
        await ctx.announce({ communityId: ctx.community.id, platform: 'console', to: { kind: 'channel', channelId: 'general' }, notice: { type: 'test.card', reply: { text: 'Lunch? (2 votes)' } }, edit: 'poll:9' });
        return { text: 'Edited' };
      },
    }),
    defineCommand({
      name: 'poll vote', permission: 'member',
      // The real command's options, so the stand-in reads its arguments the same way.
      options: pollVote.options,
      async run(_c, a) { return { text: `Vote ${a.mode} ${a.option} on poll ${a.poll} via ${a.via}`, ephemeral: true }; },
    }),
  ] as unknown as CommandDef[];
  const notices = { 'test.card': (_L: unknown, n: { reply: Reply }) => n.reply } as unknown as NoticeRenderers;

  it('shows selects as numbered fallback buttons and reactions as a line; :react votes on the card; an edit prints the new version', async () => {
    const names = new Set(probes.map((c) => c.name));
    bot = await testBot({ commands: [...allCommands.filter((c) => !names.has(c.name)), ...probes], notices });
    const printed = await session([':react 👍', '/probe post', ':press 2', '/probe post', ':react 👍', ':as bob', ':unreact 👎', '/probe edit']);
    expect(printed).toContain('Nothing here takes reactions yet.');
    expect(printed).toContain('[#general] Lunch?\n(react with 👍 👎: type :react <emoji>)\n  [1] Pizza  [2] Sushi\n  [3] Results');
    expect(printed).toContain('Picked 2');
    expect(printed).toContain('Vote add 👍 on poll 9 via reaction');
    expect(printed).toContain('Vote remove 👎 on poll 9 via reaction');
    // The card was posted twice (message 1, then 2): the edit goes to the one remembered last.
    expect(printed).toContain('[#general, message 2, edited] Lunch? (2 votes)');
  });
});
