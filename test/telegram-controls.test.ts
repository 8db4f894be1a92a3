import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import type { Chat, Update, User } from 'grammy/types';
import { freshSqlite, Clock, seeded } from './helpers.js';
import { openDatabase, transaction, type Database } from '../src/db/client.js';
import { Engine } from '../src/engine.js';
import { allCommands } from '../commands/index.js';
import { defineCommand, opt, type CommandDef } from '../src/core/command.js';
import { pollVote } from '../commands/polls.js';
import type { Address, Reply, Select } from '../src/core/types.js';
import type { Scope } from '../src/core/scope.js';
import { txScope } from '../src/infra/jobs.js';
import type { NoticeRenderers } from '../src/features/notices.js';
import { TelegramAdapter } from '../adapters/telegram/index.js';
import { FakeTelegram } from './fakes/telegram.js';
import { PG_ADMIN_URL, twoInstances } from './pg.js';

/*
 * Issue 11's native controls on Telegram, through grammY against the fake Bot API: select menus as their
 * fallback buttons, message ids and edits (editMessageText), and reactions routed to engine.reaction.
 */

const SECRET = 'test_secret-123';
const HOOK_PATH = '/telegram/hook';
const GROUP: Chat = { id: -1001234567890, type: 'supergroup', title: 'Acme' };
const ADMIN: User = { id: 111, is_bot: false, first_name: 'Ada', username: 'ada' };
const ALICE: User = { id: 222, is_bot: false, first_name: 'Alice', username: 'alice' };
const BOB: User = { id: 333, is_bot: false, first_name: 'Bob', username: 'bob' };
const CAROL: User = { id: 444, is_bot: false, first_name: 'Carol' };
const group: Address = { kind: 'channel', channelId: String(GROUP.id) };

let seen: { command: string; args: Record<string, unknown>; user: string; roles?: string[] }[];

const pollSelect = (): Select => ({
  placeholder: 'Pick any',
  command: 'probe pick',
  args: { poll: 7 },
  name: 'choice',
  options: [{ label: 'Pizza', value: '1', emoji: '🍕' }, { label: 'Sushi', value: '2' }, { label: 'Tacos', value: '3' }],
  min: 1,
  max: 3,
  fallback: [[1, 2, 3].map((n) => ({ label: ['🍕 Pizza', 'Sushi', 'Tacos'][n - 1], command: 'probe pick', args: { poll: 7, choice: String(n) } }))],
});

const probes = [
  defineCommand({
    name: 'probe pick', permission: 'member',
    options: { poll: opt.id(), choice: opt.string({ max: 200 }) },
    async run(ctx, a) {
      seen.push({ command: 'probe pick', args: { ...a }, user: ctx.inbound.actor.userId, roles: ctx.inbound.actor.roles });
      return { text: `Picked ${a.choice}`, ephemeral: true };
    },
  }),
  defineCommand({
    name: 'probe card', permission: 'member', options: {},
    async run() {
      return { text: 'Lunch?', selects: [pollSelect()], buttons: [[{ label: 'Results', command: 'probe pick', args: { poll: 7, choice: 'results' } }]], reactions: ['👍'] };
    },
  }),
  defineCommand({
    name: 'poll vote', permission: 'member',
    // The real command's options, so the stand-in reads its arguments the same way.
    options: pollVote.options,
    async run(ctx, a) {
      seen.push({ command: 'poll vote', args: { ...a }, user: ctx.inbound.actor.userId, roles: ctx.inbound.actor.roles });
      if (a.option === '💩') return { text: 'Not one of the answers.', error: { code: 'polls:error.option' }, ephemeral: true };
      return { text: 'Voted', ephemeral: true };
    },
  }),
] as unknown as CommandDef[];

const renderers = { 'test.card': (_L: unknown, n: { reply: Reply }) => n.reply } as unknown as NoticeRenderers;

let fake: FakeTelegram;
let db: Database;
let engine: Engine;
let adapter: TelegramAdapter;
let cleanup: () => void;
let logs: string[];
let clock: Clock;
let updateId = 700_000;
let messageId = 1;
let queryId = 1;

function command(from: User, chat: Chat, text: string): Update {
  const length = text.split(/\s/)[0].length;
  return { update_id: ++updateId, message: { message_id: ++messageId, date: Math.floor(Date.now() / 1000), chat, from, text, entities: [{ type: 'bot_command', offset: 0, length }] } } as Update;
}

function press(from: User, msg: any, data: string): Update {
  return { update_id: ++updateId, callback_query: { id: String(++queryId), from, chat_instance: '-42', message: msg, data } } as Update;
}

const emoji = (e: string) => ({ type: 'emoji', emoji: e });
function reaction(user: User, message: number, old: unknown[], now: unknown[]): Update {
  return { update_id: ++updateId, message_reaction: { chat: GROUP, message_id: message, user, date: Math.floor(Date.now() / 1000), old_reaction: old, new_reaction: now } } as Update;
}

async function ok(update: Update): Promise<void> {
  const res = await fetch(`http://127.0.0.1:${adapter.webhookPort}${HOOK_PATH}`, {
    method: 'POST', headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET }, body: JSON.stringify(update),
  });
  await res.text();
  expect(res.status).toBe(200);
}

const deliver = () => engine.deliverOutbox('telegram', { send: (to, r, meta) => adapter.send(to, r, meta), edit: (to, id, r, meta) => adapter.edit(to, id, r, meta) });
const inTx = <T>(fn: (s: Scope) => Promise<T>) => transaction(db.prisma, (tx) => fn(txScope(tx, engine.now(), () => 0)), { maxWait: 5_000, timeout: 10_000 });
const buttonsOf = (body: any) => (body.reply_markup?.inline_keyboard ?? []).map((r: any[]) => r.map((b) => b.text));

async function communityId(): Promise<string> {
  await ok(command(ADMIN, GROUP, '/points'));
  return (await db.prisma.communityBinding.findFirstOrThrow({ where: { platform: 'telegram', externalId: String(GROUP.id) } })).communityId;
}

beforeEach(async () => {
  logs = [];
  seen = [];
  fake = new FakeTelegram();
  await fake.start();
  const tmp = await freshSqlite();
  cleanup = tmp.cleanup;
  db = await openDatabase(tmp.url);
  const names = new Set(probes.map((c) => c.name));
  engine = new Engine(db, {
    commands: [...allCommands.filter((c) => !names.has(c.name)), ...probes], notices: renderers,
    now: (clock = new Clock(new Date().toISOString())).now, random: seeded(), onError: (e) => { throw e; },
  });
  adapter = new TelegramAdapter(engine, {
    token: fake.token, apiRoot: fake.apiRoot, throttle: false, botInfo: fake.me,
    webhookUrl: `https://bot.example.com${HOOK_PATH}`, webhookSecret: SECRET, port: 0, host: '127.0.0.1', log: (m) => logs.push(m),
  });
  await adapter.start();
  fake.setStatus(GROUP.id as number, ADMIN.id, 'administrator');
});

afterEach(async () => {
  await adapter.stop();
  await fake.close();
  await engine.flush();
  await db.close();
  cleanup();
});

describe('select menus on Telegram', () => {
  it('shows a multi-choice select as its fallback buttons (before the reply\'s own); a press runs the option', async () => {
    await ok(command(BOB, GROUP, '/probe card'));
    const card = fake.messages(GROUP.id as number).at(-1)!;
    expect(buttonsOf(card)).toEqual([['🍕 Pizza', 'Sushi', 'Tacos'], ['Results']]);
    // Telegram has nothing to react with on the bot's behalf: no reaction call is made.
    expect(fake.calls.filter((c) => /reaction/i.test(c.method))).toEqual([]);
    await ok(press(BOB, card, card.reply_markup.inline_keyboard[0][0].callback_data));
    await ok(press(BOB, card, card.reply_markup.inline_keyboard[0][2].callback_data));
    expect(seen.map((s) => [s.args, s.user, s.roles])).toEqual([
      [{ poll: 7, choice: '1' }, String(BOB.id), undefined],
      [{ poll: 7, choice: '3' }, String(BOB.id), undefined],
    ]);
    const toasts = fake.callsTo('answerCallbackQuery').map((c) => c.body.text);
    expect(toasts).toEqual(['Picked 1', 'Picked 3']);
  });
});

describe('message ids and edits', () => {
  it('send returns the message_id (DMs too); an edit announcement edits that message with its new keyboard', async () => {
    const community = await communityId();
    const card = (text: string, buttons = true): Reply => ({ text, ...(buttons ? { buttons: [[{ label: 'Enter', command: 'probe pick', args: { poll: 1, choice: 'in' } }]] } : {}) });
    await inTx((s) => s.announce({ communityId: community, platform: 'telegram', to: group, notice: { type: 'test.card', reply: card('Entries: 1') }, card: 'contest:1' }));
    expect(await deliver()).toBe(1);
    const posted = fake.messages(GROUP.id as number).at(-1)!;
    expect(await db.prisma.postedMessage.findFirstOrThrow()).toMatchObject({ key: 'contest:1', platform: 'telegram', channelId: String(GROUP.id), messageId: String(posted.message_id) });

    await inTx((s) => s.announce({ communityId: community, platform: 'telegram', to: group, notice: { type: 'test.card', reply: { ...card('Entries: **2**'), selects: [pollSelect()] } }, edit: 'contest:1' }));
    expect(await deliver()).toBe(1);
    const [edit] = fake.callsTo('editMessageText');
    expect(edit.body).toMatchObject({ chat_id: GROUP.id, message_id: posted.message_id, text: 'Entries: <b>2</b>', parse_mode: 'HTML' });
    expect(buttonsOf(edit.body)).toEqual([['🍕 Pizza', 'Sushi', 'Tacos'], ['Enter']]);

    // The same card again: Telegram says "not modified", which is success.
    await inTx((s) => s.announce({ communityId: community, platform: 'telegram', to: group, notice: { type: 'test.card', reply: { ...card('Entries: **2**'), selects: [pollSelect()] } }, edit: 'contest:1' }));
    expect(await deliver()).toBe(1);
    expect(fake.callsTo('editMessageText').map((c) => c.status)).toEqual([200, 400]);
    // The giveaway ended: the card loses its keyboard.
    await inTx((s) => s.announce({ communityId: community, platform: 'telegram', to: group, notice: { type: 'test.card', reply: card('Ended', false) }, edit: 'contest:1' }));
    expect(await deliver()).toBe(1);
    expect(fake.stored.get(`${GROUP.id}:${posted.message_id}`)).toEqual({ text: 'Ended', parseMode: 'HTML', markup: undefined });
    // Deleted in the chat: dropped and logged, never retried.
    fake.deletedMessages.add(`${GROUP.id}:${posted.message_id}`);
    await inTx((s) => s.announce({ communityId: community, platform: 'telegram', to: group, notice: { type: 'test.card', reply: card('Entries: 3') }, edit: 'contest:1' }));
    expect(await deliver()).toBe(1);
    expect(await db.prisma.outboxMessage.count({ where: { status: { not: 'sent' } } })).toBe(0);
    expect(logs.some((l) => l.includes(`could not edit message ${posted.message_id}`) && l.includes('not found'))).toBe(true);
    // A passing failure throws, so the outbox tries again.
    fake.refuseNext.push({ method: 'editMessageText', refusal: { error_code: 502, description: 'Bad Gateway' } });
    await expect(adapter.edit(group, String(posted.message_id), { text: 'x' })).rejects.toThrow();

    const dm = await adapter.send({ kind: 'dm', userId: String(BOB.id) }, { text: 'You won' });
    expect(dm).toBe(String(fake.messages(BOB.id).at(-1)!.message_id));
  });
});

describe('reactions in', () => {
  it('a reaction on a remembered poll card runs `poll vote` for each emoji added or removed; a refusal is told privately once', async () => {
    const community = await communityId();
    await inTx((s) => s.announce({ communityId: community, platform: 'telegram', to: group, notice: { type: 'test.card', reply: { text: 'React!' } }, card: 'poll:5' }));
    expect(await deliver()).toBe(1);
    const card = fake.messages(GROUP.id as number).at(-1)!.message_id as number;
    await ok(reaction(BOB, card, [], [emoji('👍')]));
    await ok(reaction(BOB, card, [emoji('👍')], [emoji('🔥'), { type: 'custom_emoji', custom_emoji_id: '5368324170671202286' }]));
    await ok(reaction(CAROL, card, [], [emoji('💩')]));
    await ok(reaction(CAROL, card, [emoji('💩')], []));
    await ok(reaction(CAROL, card, [], [emoji('💩'), emoji('👍')]));
    expect(seen.map((s) => [s.user, s.args])).toEqual([
      [String(BOB.id), { poll: 5, option: '👍', mode: 'add', via: 'reaction' }],
      [String(BOB.id), { poll: 5, option: '🔥', mode: 'add', via: 'reaction' }],
      [String(BOB.id), { poll: 5, option: '👍', mode: 'remove', via: 'reaction' }],
      [String(CAROL.id), { poll: 5, option: '💩', mode: 'add', via: 'reaction' }],
      [String(CAROL.id), { poll: 5, option: '💩', mode: 'remove', via: 'reaction' }],
      [String(CAROL.id), { poll: 5, option: '💩', mode: 'add', via: 'reaction' }],
      [String(CAROL.id), { poll: 5, option: '👍', mode: 'add', via: 'reaction' }],
    ]);
    // The refusal goes to Carol privately, once for this card however often she tries.
    expect(fake.sent(CAROL.id).map((m) => m.text)).toEqual(['⚠️ Not one of the answers.']);
    // Another message of the group is not a card: nothing runs (the reaction still counts as activity).
    await ok(reaction(BOB, card + 100, [], [emoji('👍')]));
    expect(seen).toHaveLength(7);
  });
});

describe('end to end with the real commands', () => {
  beforeEach(async () => {
    await adapter.stop();
    engine = new Engine(db, { commands: allCommands, now: clock.now, random: seeded(), onError: (e) => { throw e; } });
    adapter = new TelegramAdapter(engine, {
      token: fake.token, apiRoot: fake.apiRoot, throttle: false, botInfo: fake.me,
      webhookUrl: `https://bot.example.com${HOOK_PATH}`, webhookSecret: SECRET, port: 0, host: '127.0.0.1', log: (m) => logs.push(m),
    });
    await adapter.start();
  });
  const cardOf = async (key: string) => Number((await db.prisma.postedMessage.findFirstOrThrow({ where: { key, platform: 'telegram' } })).messageId);
  const posted = (id: number) => fake.messages(GROUP.id as number).find((m) => m.message_id === id)!;

  it('a multi-choice poll: the select shows as buttons; pressing two options votes for both', async () => {
    await ok(command(ADMIN, GROUP, '/poll create "Which days?" kind:multi options:"Mon|Wed|Fri"'));
    expect(await deliver()).toBe(1);
    const card = posted(await cardOf('poll:1'));
    const buttons = card.reply_markup.inline_keyboard.flat() as { text: string; callback_data: string }[];
    const find = (label: string) => buttons.find((b) => b.text.includes(label))!;
    expect(['Mon', 'Wed', 'Fri'].map((l) => !!find(l))).toEqual([true, true, true]);
    await ok(press(BOB, card, find('Mon').callback_data));
    await ok(press(BOB, card, find('Fri').callback_data));
    expect(fake.callsTo('answerCallbackQuery').map((c) => c.body.show_alert)).toEqual([false, false]);
    expect((await db.prisma.pollChoice.findMany()).map((c) => c.option).sort()).toHaveLength(2);
  });

  it('an emoji poll: a member\'s reaction on the card is a vote', async () => {
    await ok(command(ADMIN, GROUP, '/poll create "Lunch?" kind:emoji options:"👍 🔥"'));
    expect(await deliver()).toBe(1);
    const card = await cardOf('poll:1');
    await ok(reaction(BOB, card, [], [emoji('🔥')]));
    await ok(reaction(ALICE, card, [], [emoji('👍')]));
    await ok(reaction(ALICE, card, [emoji('👍')], []));
    expect(await db.prisma.pollVoter.count()).toBeGreaterThanOrEqual(1);
    await ok(command(ADMIN, GROUP, '/poll close 1'));
    await deliver();
    const results = fake.sent(GROUP.id as number).map((m) => m.text).join('\n');
    expect(results).toMatch(/🔥[^\n]* 1 \(/);
    expect(results).toMatch(/👍[^\n]* 0 \(/);
  });

  it('a live giveaway card is edited in place after entries (the refresh job)', async () => {
    await ok(command(ADMIN, GROUP, '/contest create "Hoodie" 1 2d'));
    expect(await deliver()).toBe(1);
    const id = await cardOf('contest:1');
    const card = posted(id);
    await ok(press(ALICE, card, card.reply_markup.inline_keyboard[0][0].callback_data));
    await ok(press(BOB, card, card.reply_markup.inline_keyboard[0][0].callback_data));
    expect(await db.prisma.contestEntry.count()).toBe(2);
    clock.advance(60_000);
    expect(await engine.runDueJobs()).toBeGreaterThanOrEqual(1);
    await deliver();
    const edits = fake.callsTo('editMessageText').filter((c) => c.body.message_id === id);
    expect(edits.map((e) => e.status)).toEqual([200]);
    expect(edits[0].body.text).not.toBe(card.text);
    expect(fake.stored.get(`${GROUP.id}:${id}`)!.text).toBe(edits[0].body.text);
  });

  it('a winner\'s claim button in their private chat acts for the group it came from', async () => {
    const OTHER: Chat = { id: -1009999, type: 'supergroup', title: 'Other' };
    await ok(command(ADMIN, GROUP, '/contest create "Mug" 1 2d claim:24'));
    expect(await deliver()).toBe(1);
    const card = posted(await cardOf('contest:1'));
    await ok(press(ALICE, card, card.reply_markup.inline_keyboard[0][0].callback_data));
    // Alice uses the bot in another group last: the button must still act for this one.
    await ok(command(ALICE, OTHER, '/points'));
    await ok(command(ADMIN, GROUP, '/contest end 1'));
    await deliver();
    const dm = fake.messages(ALICE.id).find((m) => m.reply_markup)!;
    const button = dm.reply_markup.inline_keyboard[0][0];
    expect(button.callback_data).toMatch(new RegExp(`\\|@${GROUP.id}$`));
    await ok(press(ALICE, dm, button.callback_data));
    expect(fake.callsTo('answerCallbackQuery').at(-1)!.body.show_alert).toBe(false);
    expect((await db.prisma.contestWinner.findFirstOrThrow()).claimedAt).not.toBeNull();
  });

  it('/thanks as typed text, and /thanks left', async () => {
    await ok(command(ALICE, GROUP, '/points'));
    await ok(command(BOB, GROUP, '/thanks @alice 2 for the great guide'));
    expect(await db.prisma.thanks.count()).toBe(1);
    const said = fake.sent().map((m) => m.text).join('\n');
    expect(said).toContain('Alice');
    await ok(command(BOB, GROUP, '/thanks left'));
    expect(fake.sent(BOB.id).at(-1)?.text ?? fake.sent(GROUP.id as number).at(-1)!.text).not.toContain('⚠️');
  });
});

describe.skipIf(!PG_ADMIN_URL)('two instances on PostgreSQL', () => {
  it('one reaction update delivered to two instances at once (a webhook retry) votes once', async () => {
    const pgi = await twoInstances('tgcontrols');
    const mk = async (e: Engine) => {
      const a = new TelegramAdapter(e, {
        token: fake.token, apiRoot: fake.apiRoot, throttle: false, botInfo: fake.me,
        webhookUrl: `https://bot.example.com${HOOK_PATH}`, webhookSecret: SECRET, port: 0, host: '127.0.0.1', log: (m) => logs.push(m),
      });
      await a.start();
      return a;
    };
    const [a1, a2] = [await mk(pgi.e1), await mk(pgi.e2)];
    const postTo = async (a: TelegramAdapter, u: Update) => {
      const res = await fetch(`http://127.0.0.1:${a.webhookPort}${HOOK_PATH}`, {
        method: 'POST', headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET }, body: JSON.stringify(u),
      });
      await res.text();
      return res.status;
    };
    try {
      expect(await postTo(a1, command(ADMIN, GROUP, '/poll create "Lunch?" kind:emoji options:"👍 🔥"'))).toBe(200);
      expect(await pgi.e1.deliverOutbox('telegram', { send: (to, r, meta) => a1.send(to, r, meta) })).toBe(1);
      const card = Number((await pgi.a.prisma.postedMessage.findFirstOrThrow({ where: { key: 'poll:1' } })).messageId);
      for (const [who, e] of [[BOB, '🔥'], [CAROL, '👍']] as const) {
        const u = reaction(who, card, [], [emoji(e)]);
        expect(await Promise.all([postTo(a1, u), postTo(a2, u)])).toEqual([200, 200]);
      }
      expect(await pgi.a.prisma.pollVoter.count({ where: { pollId: 1 } })).toBe(2);
      expect((await pgi.a.prisma.pollChoice.findMany({ where: { pollId: 1 } })).map((c) => c.option)).toHaveLength(2);
    } finally {
      await a1.stop();
      await a2.stop();
      await pgi.close();
    }
  }, 60_000);
});
