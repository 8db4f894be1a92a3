import { describe, it, expect, beforeEach, afterEach, beforeAll, afterAll, vi, type MockInstance } from 'vitest';
import type { Chat, Update, User } from 'grammy/types';
import { freshSqlite, Clock, seeded } from './helpers.js';
import { openDatabase, type Database } from '../src/db/client.js';
import { Engine } from '../src/engine.js';
import { allCommands } from '../commands/index.js';
import { lang } from '../src/i18n/index.js';
import { TelegramAdapter, telegramCommands, membersGroups, toHtml, referralLink, encodeStartPayload, decodeStartPayload, type TelegramOptions } from '../adapters/telegram/index.js';
import { CallbackCodec } from '../adapters/telegram/callbacks.js';
import { FakeTelegram } from './fakes/telegram.js';
import { PG_ADMIN_URL, twoInstances, type TwoInstances } from './pg.js';
import type { Inbound } from '../src/core/types.js';

const SECRET = 'test_secret-123';
const HOOK_PATH = '/telegram/hook';
const GROUP: Chat = { id: -1001234567890, type: 'supergroup', title: 'Acme <Community>' };
const ADMIN: User = { id: 111, is_bot: false, first_name: 'Ada', last_name: 'Admin', username: 'ada' };
const ALICE: User = { id: 222, is_bot: false, first_name: 'Alice', username: 'alice' };
const BOB: User = { id: 333, is_bot: false, first_name: 'Bob', username: 'bob' };
const CAROL: User = { id: 444, is_bot: false, first_name: 'Carol' };
const dm = (u: User): Chat => ({ id: u.id, type: 'private', first_name: u.first_name, username: u.username });
const TOPIC = 42;

let fake: FakeTelegram;
let db: Database;
let engine: Engine;
let adapter: TelegramAdapter;
let cleanup: () => void;
let clock: Clock;
let logs: string[];
let updateId = 500_000;
let messageId = 1;
let queryId = 1;

async function makeAdapter(opts: Partial<TelegramOptions> = {}, e: Engine = engine): Promise<TelegramAdapter> {
  const a = new TelegramAdapter(e, {
    token: fake.token, apiRoot: fake.apiRoot, throttle: false, botInfo: fake.me,
    webhookUrl: `https://bot.example.com${HOOK_PATH}`, webhookSecret: SECRET, port: 0, host: '127.0.0.1',
    log: (m) => logs.push(m), ...opts,
  });
  await a.start();
  return a;
}

beforeEach(async () => {
  logs = [];
  fake = new FakeTelegram();
  await fake.start();
  const tmp = await freshSqlite();
  cleanup = tmp.cleanup;
  db = await openDatabase(tmp.url);
  clock = new Clock(new Date().toISOString());
  engine = new Engine(db, { commands: allCommands, now: clock.now, random: seeded(), onError: (e) => { throw e; } });
  adapter = await makeAdapter();
  fake.setStatus(GROUP.id as number, ADMIN.id, 'administrator');
});

afterEach(async () => {
  await adapter.stop();
  await fake.close();
  // Activity events wait in the engine's buffer: they are stored (without errors) before the database closes.
  await engine.flush();
  await db.close();
  cleanup();
});

// ---- realistic updates ----

function command(from: User, chat: Chat, text: string, topic?: number): Update {
  const length = text.split(/\s/)[0].length;
  return {
    update_id: ++updateId,
    message: {
      message_id: ++messageId, date: Math.floor(Date.now() / 1000), chat, from, text, entities: [{ type: 'bot_command', offset: 0, length }],
      ...(topic ? { message_thread_id: topic, is_topic_message: true } : {}),
    },
  } as Update;
}

function message(from: User, chat: Chat, text: string, replyTo?: any): Update {
  return {
    update_id: ++updateId,
    message: { message_id: ++messageId, date: Math.floor(Date.now() / 1000), chat, from, text, ...(replyTo ? { reply_to_message: replyTo } : {}) },
  } as Update;
}

/** A message with extra fields: a service message (migrate_to_chat_id) or a forwarded one (forward_origin). */
function withFields(from: User, chat: Chat, fields: Record<string, unknown>, text?: string): Update {
  const entities = text?.startsWith('/') ? [{ type: 'bot_command', offset: 0, length: text.split(/\s/)[0].length }] : undefined;
  return {
    update_id: ++updateId,
    message: { message_id: ++messageId, date: Math.floor(Date.now() / 1000), chat, from, ...(text ? { text, entities } : {}), ...fields },
  } as Update;
}

function press(from: User, msg: any, data: string): Update {
  return { update_id: ++updateId, callback_query: { id: String(++queryId), from, chat_instance: '-42', message: msg, data } } as Update;
}

async function post(update: unknown, secret: string | null = SECRET, path = HOOK_PATH): Promise<number> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (secret !== null) headers['x-telegram-bot-api-secret-token'] = secret;
  const res = await fetch(`http://127.0.0.1:${adapter.webhookPort}${path}`, { method: 'POST', headers, body: JSON.stringify(update) });
  await res.text();
  return res.status;
}

async function ok(update: Update): Promise<void> {
  expect(await post(update)).toBe(200);
}

const deliver = () => engine.deliverOutbox('telegram', (ch, r) => adapter.send(ch, r));
const lastSent = (chatId: number) => fake.sent(chatId).at(-1)!;
const lastMessage = (chatId: number) => fake.messages(chatId).at(-1)!;
const answers = () => fake.callsTo('answerCallbackQuery').map((c) => c.body);

async function memberOf(user: User) {
  const id = await engine.db.prisma.identity.findFirstOrThrow({ where: { platform: 'telegram', platformUserId: String(user.id) }, include: { member: true } });
  return id.member;
}

describe('telegram adapter', () => {
  it('registers the top-level commands and the webhook with its secret on start', () => {
    const cmds = fake.commandsFor()!;
    expect(cmds.map((c) => c.command)).toEqual(expect.arrayContaining(['help', 'points', 'challenge', 'contest', 'referral', 'poll']));
    // Members' menu leaves out commands only moderators and admins can use; group administrators see them all.
    expect(cmds.map((c) => c.command)).not.toContain('give');
    expect(cmds.map((c) => c.command)).not.toContain('role');
    expect(fake.commandsFor('', 'all_chat_administrators')!.map((c) => c.command)).toEqual(expect.arrayContaining(['give', 'role', 'points']));
    for (const c of cmds) {
      expect(c.command).toMatch(/^[a-z0-9_]{1,32}$/);
      expect(c.description.length).toBeGreaterThanOrEqual(3);
      expect(c.description.length).toBeLessThanOrEqual(256);
    }
    expect(cmds.find((c) => c.command === 'challenge')!.description).toContain('create');
    expect(new Set(cmds.map((c) => c.command)).size).toBe(cmds.length);
    // The English menu is the default; Korean and Japanese users get theirs from those catalogs.
    expect(fake.callsTo('setMyCommands').map((c) => c.body.language_code)).toEqual([undefined, 'ko', 'ja', undefined, 'ko', 'ja']);
    expect(cmds).toEqual(telegramCommands(membersGroups(engine.commandGroups()), lang('en')));
    for (const l of ['ko', 'ja'] as const) {
      expect(fake.commandsFor(l)).toEqual(telegramCommands(membersGroups(engine.commandGroups()), lang(l)));
      expect(fake.commandsFor(l, 'all_chat_administrators')).toEqual(telegramCommands(engine.commandGroups(), lang(l)));
    }
    const hook = fake.callsTo('setWebhook')[0].body;
    expect(hook).toMatchObject({ url: `https://bot.example.com${HOOK_PATH}`, secret_token: SECRET });
    expect(hook.allowed_updates).toEqual(['message', 'callback_query', 'message_reaction', 'chat_member']);
    expect(fake.callsTo('deleteWebhook')).toHaveLength(0);
  });

  it('rejects webhook requests without the right secret header, and changes nothing', async () => {
    const update = command(ALICE, GROUP, '/points');
    expect(await post(update, 'wrong-secret')).toBe(401);
    expect(await post(update, null)).toBe(401);
    expect(await post(update, SECRET, '/elsewhere')).toBe(404);
    expect(fake.callsTo('sendMessage')).toHaveLength(0);
    expect(fake.callsTo('getChatMember')).toHaveLength(0);
    expect(await engine.db.prisma.identity.count()).toBe(0);
    expect(await engine.db.prisma.communityBinding.count()).toBe(0);
    expect((await fetch(`http://127.0.0.1:${adapter.webhookPort}/healthz`)).status).toBe(200);
    // The same update with the secret is then applied.
    await ok(update);
    expect(await engine.db.prisma.identity.count()).toBe(1);
  });

  it('answers a plain command in a group; ephemeral replies go by DM, never in the group; other messages are ignored', async () => {
    await ok(command(ALICE, GROUP, '/points'));
    // Native ephemeral was tried first (refused by this fake), then a private message worked.
    const tried = fake.callsTo('sendMessage')[0];
    expect(tried.body.ephemeral_message_parameters).toEqual({ receiver_user_id: ALICE.id });
    expect(tried.status).toBe(400);
    const toAlice = lastSent(ALICE.id);
    expect(toAlice.parse_mode).toBe('HTML');
    expect(toAlice.text).toContain('You have <b>0 points</b>');
    expect(toAlice.text).toContain('Acme &lt;Community&gt;');
    expect(fake.sent(GROUP.id as number)).toHaveLength(0);
    const alice = await memberOf(ALICE);
    expect(alice.displayName).toBe('Alice');
    const binding = await engine.db.prisma.communityBinding.findFirstOrThrow({ where: { platform: 'telegram' }, include: { community: true } });
    expect(binding.externalId).toBe(String(GROUP.id));
    expect(binding.community.name).toBe('Acme <Community>');
    expect(fake.callsTo('getChatMember')[0].body).toMatchObject({ chat_id: GROUP.id, user_id: ALICE.id });

    // Bob never started the bot: the group only gets a hint, as a reply to his command; his reply stays private.
    fake.notStarted.add(BOB.id);
    const bobCmd = command(BOB, GROUP, '/points@EngageBot');
    await ok(bobCmd);
    const inGroup = lastSent(GROUP.id as number);
    expect(inGroup.text).not.toContain('points');
    expect(inGroup.text).toBe(toHtml(lang('en').t('telegram:startPrivately', { name: '@' })).replace('@', '<a href="tg://user?id=333">Bob</a>'));
    expect(inGroup.reply_markup.inline_keyboard[0][0]).toEqual({ text: 'Open private chat', url: 'https://t.me/EngageBot' });
    expect(inGroup.reply_parameters).toMatchObject({ message_id: bobCmd.message!.message_id });
    // Telegram refused native ephemeral messages in this chat, so it was not tried again.
    expect(fake.callsTo('sendMessage').filter((c) => c.body.ephemeral_message_parameters)).toHaveLength(1);

    const before = fake.callsTo('sendMessage').length;
    await ok(message(ALICE, GROUP, 'hello everyone'));
    await ok(command(ALICE, GROUP, '/points@SomeOtherBot'));
    await ok(command(ALICE, GROUP, '/weather'));
    expect(fake.callsTo('sendMessage').length).toBe(before);
    // Public replies stay in the group.
    await ok(command(ALICE, GROUP, '/leaderboard'));
    expect(lastSent(GROUP.id as number).text).toContain('No points earned');
  });

  it('uses native ephemeral messages when Telegram accepts them', async () => {
    fake.acceptEphemeral = true;
    const cmd = command(ALICE, GROUP, '/points');
    await ok(cmd);
    const sent = lastSent(GROUP.id as number);
    expect(sent.ephemeral_message_parameters).toEqual({ receiver_user_id: ALICE.id });
    expect(sent.reply_parameters).toMatchObject({ message_id: cmd.message!.message_id });
    expect(sent.text).toContain('You have <b>0 points</b>');
    expect(fake.sent(ALICE.id)).toHaveLength(0);
  });

  it('runs a subcommand with options for a chat admin, stores it and announces it with an inline keyboard', async () => {
    await ok(command(ADMIN, GROUP, '/challenge@EngageBot create "Share <b>it</b>" 50 3d Post & send the link'));
    const ch = await engine.db.prisma.challenge.findFirstOrThrow();
    expect(ch).toMatchObject({ title: 'Share <b>it</b>', reward: 50, description: 'Post & send the link', platform: 'telegram', channelId: String(GROUP.id) });
    expect(lastSent(ADMIN.id).text).toContain(`Challenge #${ch.id} "Share &lt;b&gt;it&lt;/b&gt;" is live`);
    expect((await memberOf(ADMIN)).displayName).toBe('Ada Admin');

    expect(await deliver()).toBe(1);
    const card = lastSent(GROUP.id as number);
    expect(card.parse_mode).toBe('HTML');
    expect(card.text).toContain(`<b>Challenge #${ch.id}: Share &lt;b&gt;it&lt;/b&gt;</b>`);
    expect(card.text).toContain('Post &amp; send the link');
    const button = card.reply_markup.inline_keyboard[0][0];
    expect(button.text).toBe('Submit proof');
    expect(button.style).toBe('primary');
    expect(Buffer.byteLength(button.callback_data)).toBeLessThanOrEqual(64);
    expect((await engine.db.prisma.outboxMessage.findFirstOrThrow()).status).toBe('sent');
  });

  it('refuses bad input and members running admin commands; platform admins (creator) are allowed', async () => {
    await ok(command(ADMIN, GROUP, '/challenge create "Share" lots 3d'));
    expect(lastSent(ADMIN.id).text).toMatch(/\n⚠️ reward: must be a whole number/);
    await ok(command(ALICE, GROUP, '/challenge create "Share" 50 3d'));
    expect(lastSent(ALICE.id).text).toContain('/challenge create is for moderators only');
    expect(await engine.db.prisma.challenge.count()).toBe(0);
    expect(await engine.db.prisma.outboxMessage.count()).toBe(0);

    fake.setStatus(GROUP.id as number, CAROL.id, 'creator');
    await ok(command(CAROL, GROUP, '/challenge create "Share" 50 3d'));
    expect(await engine.db.prisma.challenge.count()).toBe(1);
    // The stored role stays "member": admin comes from Telegram each time (cached per chat + user).
    expect((await memberOf(CAROL)).role).toBe('member');
    await ok(command(CAROL, GROUP, '/challenge list'));
    expect(fake.callsTo('getChatMember').filter((c) => c.body.user_id === CAROL.id)).toHaveLength(1);
  });

  it('enters a giveaway with a button press; answers every callback, stale data included', async () => {
    await ok(command(ADMIN, GROUP, '/contest create "Hoodie" 1 2d'));
    await deliver();
    const card = lastMessage(GROUP.id as number);
    const data = card.reply_markup.inline_keyboard[0][0].callback_data;
    const sendsBefore = fake.callsTo('sendMessage').length;

    const first = press(ALICE, card, data);
    await ok(first);
    const alice = await memberOf(ALICE);
    expect(await engine.db.prisma.contestEntry.findMany()).toEqual([expect.objectContaining({ memberId: alice.id })]);
    expect(answers().at(-1)).toMatchObject({ callback_query_id: first.callback_query!.id, show_alert: false });
    expect(answers().at(-1)!.text).toContain("You're in giveaway #1");
    // A short ephemeral answer is only the toast.
    expect(fake.callsTo('sendMessage').length).toBe(sendsBefore);

    await ok(press(ALICE, card, data));
    expect(answers().at(-1)).toMatchObject({ show_alert: true });
    expect(answers().at(-1)!.text).toContain('already entered');
    expect(await engine.db.prisma.contestEntry.count()).toBe(1);

    await ok(press(BOB, card, 'rZZZZ|1'));
    await ok(press(BOB, card, 't99.zz'));
    expect(answers().slice(-2).map((a) => a.show_alert)).toEqual([true, true]);
    expect(answers().at(-1)!.text).toContain('expired');
    expect(await engine.db.prisma.contestEntry.count()).toBe(1);
  });

  it('asks for challenge proof with a force_reply prompt and runs the form on the reply', async () => {
    const activity = vi.spyOn(engine, 'activity');
    await ok(command(ADMIN, GROUP, '/challenge create "Share" 50 3d'));
    await deliver();
    const card = lastMessage(GROUP.id as number);
    await ok(press(ALICE, card, card.reply_markup.inline_keyboard[0][0].callback_data));
    const prompt = lastSent(GROUP.id as number);
    expect(prompt.reply_markup).toMatchObject({ force_reply: true, selective: true });
    expect(prompt.text).toContain('tg://user?id=222');
    expect(prompt.text).toContain('Proof (link or description)');
    expect(answers().at(-1)!.text).toContain('reply to my message');
    const promptMsg = lastMessage(GROUP.id as number);

    // Someone else replying to the prompt is just chatting.
    await ok(message(BOB, GROUP, 'me too', promptMsg));
    expect(await engine.db.prisma.submission.count()).toBe(0);
    // Too long: asked again.
    await ok(message(ALICE, GROUP, 'x'.repeat(1001), promptMsg));
    expect(lastSent(GROUP.id as number).text).toContain('That is 1,001 characters; the limit is 1,000.');
    expect(await engine.db.prisma.submission.count()).toBe(0);
    const again = lastMessage(GROUP.id as number);
    const answer = message(ALICE, GROUP, '  https://example.com/my-post  ', again);
    await ok(answer);
    const sub = await engine.db.prisma.submission.findFirstOrThrow();
    expect(sub).toMatchObject({ proof: 'https://example.com/my-post', memberId: (await memberOf(ALICE)).id, status: 'pending' });
    expect(lastSent(ALICE.id).text).toContain('waiting for a moderator');
    // The prompt is used up.
    await ok(message(ALICE, GROUP, 'https://example.com/second', again));
    expect(await engine.db.prisma.submission.count()).toBe(1);
    // Answers to the prompt are not chat activity; the other replies are.
    expect(activity.mock.calls.map((c) => [c[0].actor.userId, c[0].length])).toEqual([[String(BOB.id), 6], [String(ALICE.id), 26]]);

    // Approval notifies the member by DM through the outbox (a dm address).
    await ok(command(ADMIN, GROUP, `/challenge approve ${sub.id}`));
    expect(lastSent(GROUP.id as number).text).toContain('Approved submission');
    expect(await deliver()).toBe(1);
    expect(lastSent(ALICE.id).text).toContain('was approved: +50 points');
    expect((await memberOf(ALICE)).balance).toBe(50);
  });

  it('a form asked before a restart is finished after it (the pending form is kept by the engine), and expires', async () => {
    await ok(command(ADMIN, GROUP, '/challenge create "Share" 50 3d'));
    await deliver();
    const card = lastMessage(GROUP.id as number);
    await ok(press(ALICE, card, card.reply_markup.inline_keyboard[0][0].callback_data));
    const promptMsg = lastMessage(GROUP.id as number);
    expect(await engine.db.prisma.pendingForm.count()).toBe(1);
    // The bot restarts: a new adapter (new process memory) receives the reply.
    await adapter.stop();
    adapter = await makeAdapter();
    await ok(message(ALICE, GROUP, 'https://example.com/after-restart', promptMsg));
    expect(await engine.db.prisma.submission.findFirstOrThrow()).toMatchObject({ proof: 'https://example.com/after-restart' });
    expect(await engine.db.prisma.pendingForm.count()).toBe(0);
    // A prompt nobody answered in time is an ordinary message afterwards, and housekeeping removes it.
    await ok(command(ADMIN, GROUP, '/challenge create "Second" 10 3d'));
    await deliver();
    const card2 = lastMessage(GROUP.id as number);
    await ok(press(BOB, card2, card2.reply_markup.inline_keyboard[0][0].callback_data));
    const prompt2 = lastMessage(GROUP.id as number);
    clock.advance(16 * 60_000);
    await ok(message(BOB, GROUP, 'too late', prompt2));
    expect(await engine.db.prisma.submission.count()).toBe(1);
    await engine.prune(7, clock.now());
    expect(await engine.db.prisma.pendingForm.count()).toBe(0);
  });

  it('answers an NPS poll with a score button, then takes the comment through the form in a private chat', async () => {
    await ok(command(ADMIN, GROUP, '/poll create How likely are you to recommend us?'));
    await deliver();
    const card = lastMessage(GROUP.id as number);
    const rows = card.reply_markup.inline_keyboard;
    expect(rows.map((r: unknown[]) => r.length)).toEqual([6, 5]);
    const nine = rows[1].find((b: { text: string }) => b.text === '9');
    await ok(press(ALICE, card, nine.callback_data));
    const poll = await engine.db.prisma.poll.findFirstOrThrow();
    expect(await engine.db.prisma.pollResponse.findMany()).toEqual([expect.objectContaining({ pollId: poll.id, score: 9, comment: null })]);
    expect(answers().at(-1)!.text).toContain('You answered 9');
    // The reply has a comment button, so it is also sent (by DM here) and pinned to the group.
    const dmCard = lastMessage(ALICE.id);
    const comment = dmCard.reply_markup.inline_keyboard[0][0];
    expect(comment.text).toBe('Add a comment');
    expect(comment.callback_data).toContain(`|@${GROUP.id}`);

    await ok(press(ALICE, dmCard, comment.callback_data));
    const prompt = lastMessage(ALICE.id);
    expect(lastSent(ALICE.id).reply_markup).toMatchObject({ force_reply: true });
    await ok(message(ALICE, dm(ALICE), 'Fast answers & friendly people', prompt));
    expect((await engine.db.prisma.pollResponse.findFirstOrThrow()).comment).toBe('Fast answers & friendly people');
    expect(lastSent(ALICE.id).text).toContain('Thanks for the comment');
  });

  it('applies a redelivered update once, in the same process and after a restart', async () => {
    await ok(command(ALICE, GROUP, '/points'));
    const give = command(ADMIN, GROUP, '/give @alice 10 welcome');
    await ok(give);
    await ok(give);
    const replies = () => fake.sent(GROUP.id as number).filter((m) => m.text.includes('Gave 10 points'));
    expect(replies()).toHaveLength(1);
    expect(await engine.db.prisma.ledgerEntry.count()).toBe(1);
    expect((await memberOf(ALICE)).balance).toBe(10);

    // A restarted process has no memory of it: the engine's eventKey returns the first reply and changes nothing.
    await adapter.stop();
    adapter = await makeAdapter();
    await ok(give);
    expect(replies()).toHaveLength(2);
    expect(replies()[1].text).toBe(replies()[0].text);
    expect(await engine.db.prisma.ledgerEntry.count()).toBe(1);
    expect((await memberOf(ALICE)).balance).toBe(10);
    expect(await engine.db.prisma.processedEvent.findUnique({ where: { key: `telegram:${fake.me.id}:${give.update_id}` } })).not.toBeNull();

    // Sending the reply fails: the webhook answers 500 so Telegram redelivers; the retry replies without applying twice.
    fake.failSends = true;
    const again = command(ADMIN, GROUP, '/give @alice 5 retry');
    expect(await post(again)).toBe(500);
    expect(logs.join('\n')).toContain('webhook update failed');
    fake.failSends = false;
    await ok(again);
    expect(fake.sent(GROUP.id as number).filter((m) => m.text.includes('Gave 5 points'))).toHaveLength(1);
    expect(await engine.db.prisma.ledgerEntry.count()).toBe(2);
    expect((await memberOf(ALICE)).balance).toBe(15);

    // The same for a button press.
    await ok(command(ADMIN, GROUP, '/contest create "Mug" 1 2d'));
    await deliver();
    const card = lastMessage(GROUP.id as number);
    const p = press(BOB, card, card.reply_markup.inline_keyboard[0][0].callback_data);
    await ok(p);
    await ok(p);
    expect(await engine.db.prisma.contestEntry.count()).toBe(1);
    expect(answers().filter((a) => a.callback_query_id === p.callback_query!.id)).toHaveLength(1);
  });

  it('acts for the most recent group in private chats and redeems deep-link referrals', async () => {
    await ok(command(BOB, dm(BOB), '/points'));
    expect(lastSent(BOB.id).text).toContain('Use any command (for example /points) in your Telegram group first');
    expect(await engine.db.prisma.community.count()).toBe(0);

    // Paid at once, for accounts of any age (the default rules hold a referral until the new member qualifies).
    await ok(command(ADMIN, GROUP, '/referral settings min_days:0 min_activity:0 min_account_age:0'));
    await ok(command(ALICE, GROUP, '/referral code'));
    const alice = await memberOf(ALICE);
    const link = referralLink('EngageBot', GROUP.id, alice.referralCode);
    expect(link).toBe(`https://t.me/EngageBot?start=r${GROUP.id}_${alice.referralCode}`);
    expect(lastSent(ALICE.id).text).toContain(link);
    expect(adapter.referralLink(GROUP.id, alice.referralCode)).toBe(link);

    const payload = new URL(link).searchParams.get('start')!;
    expect(payload.length).toBeLessThanOrEqual(64);
    expect(payload).toMatch(/^[A-Za-z0-9_-]+$/);
    await ok(command(BOB, dm(BOB), `/start ${payload}`));
    expect(lastSent(BOB.id).text).toContain("Welcome! You joined with Alice's code");
    const referral = await engine.db.prisma.referral.findFirstOrThrow();
    expect(referral).toMatchObject({ referrerId: alice.id, refereeId: (await memberOf(BOB)).id });
    expect((await memberOf(BOB)).balance).toBe(50);
    expect((await memberOf(ALICE)).balance).toBe(100);

    await ok(command(BOB, dm(BOB), '/points'));
    expect(lastSent(BOB.id).text).toContain('You have <b>50 points</b>');
    // After a restart the group comes from the database.
    await adapter.stop();
    adapter = await makeAdapter();
    await ok(command(BOB, dm(BOB), '/history'));
    expect(lastSent(BOB.id).text).toContain('Referral: joined with Alice');

    await ok(command(CAROL, dm(CAROL), '/start r-100999_ABCDEFGH'));
    expect(lastSent(CAROL.id).text).toContain('invite link is not valid');
    await ok(command(CAROL, dm(CAROL), '/start'));
    expect(lastSent(CAROL.id).text).toContain('/help');
    expect(await engine.db.prisma.referral.count()).toBe(1);
  });

  it('after a restart, a private chat acts for the group where the user was seen last', async () => {
    const OTHER: Chat = { id: -1009999, type: 'supergroup', title: 'Other group' };
    fake.setStatus(OTHER.id as number, ADMIN.id, 'administrator');
    await ok(command(BOB, OTHER, '/points'));
    await ok(command(ADMIN, OTHER, '/give @bob 7'));
    clock.advance(10 * 60_000);
    await ok(command(BOB, GROUP, '/points'));
    clock.advance(10 * 60_000);
    await ok(command(BOB, OTHER, '/points'));
    await adapter.stop();
    adapter = await makeAdapter();
    await ok(command(BOB, dm(BOB), '/points'));
    expect(lastSent(BOB.id).text).toContain('You have <b>7 points</b>');
  });

  it('send(): posts announcements and DMs, and throws on failure so the outbox retries', async () => {
    await adapter.send({ kind: 'dm', userId: '222' }, { text: 'You won **Hoodie** <3' });
    expect(lastSent(222)).toMatchObject({ chat_id: 222, text: 'You won <b>Hoodie</b> &lt;3', parse_mode: 'HTML' });
    await adapter.send({ kind: 'channel', channelId: String(GROUP.id) }, { text: 'Hi', buttons: [[{ label: 'Enter', command: 'contest enter', args: { contest: 7 } }]] });
    const data = lastSent(GROUP.id as number).reply_markup.inline_keyboard[0][0].callback_data;
    expect(new CallbackCodec(engine.commands).decode(data)).toEqual({ kind: 'run', command: 'contest enter', args: { contest: '7' }, group: undefined });

    await ok(command(ADMIN, GROUP, '/contest create "Hoodie" 1 2d'));
    fake.failSends = true;
    await expect(adapter.send({ kind: 'dm', userId: '222' }, { text: 'x' })).rejects.toThrow();
    expect(await deliver()).toBe(0);
    const row = await engine.db.prisma.outboxMessage.findFirstOrThrow();
    expect(row).toMatchObject({ status: 'pending', attempts: 1 });
    expect(row.lastError).toBeTruthy();
    fake.failSends = false;
    await engine.db.prisma.outboxMessage.updateMany({ data: { nextAt: null } }); // as if its backoff had passed
    expect(await deliver()).toBe(1);
    expect((await engine.db.prisma.outboxMessage.findFirstOrThrow()).status).toBe('sent');
    await expect(adapter.send({ kind: 'channel', channelId: 'general' }, { text: 'x' })).rejects.toThrow('Not a Telegram chat id');
    await expect(adapter.send({ kind: 'dm', userId: 'U123' }, { text: 'x' })).rejects.toThrow('Not a Telegram chat id');
  });

  it('waits out a 429 (retry_after) and sends, instead of failing the announcement; the throttler spaces messages to one group', async () => {
    await ok(command(ADMIN, GROUP, '/contest create Mug 1 1d'));
    fake.refuseNext.push({ method: 'sendMessage', refusal: { error_code: 429, description: 'Too Many Requests: retry after 1', parameters: { retry_after: 1 } } });
    const started = Date.now();
    expect(await deliver()).toBe(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(fake.callsTo('sendMessage').filter((c) => c.body.chat_id === GROUP.id || c.body.chat_id === String(GROUP.id)).length).toBeGreaterThanOrEqual(2);
    expect((await engine.db.prisma.outboxMessage.findFirstOrThrow({ where: { platform: 'telegram' }, orderBy: { id: 'desc' } })).status).toBe('sent');

    // With the throttler on (the default outside tests: 20 a minute per group), messages past a group's
    // allowance are queued, not refused. Here the allowance is 3 a second, so 7 messages take two refills.
    await adapter.stop();
    adapter = await makeAdapter({ throttle: { group: { maxConcurrent: 1, minTime: 0, reservoir: 3, reservoirRefreshAmount: 3, reservoirRefreshInterval: 1000 } } });
    const sent: number[] = [];
    const t0 = Date.now();
    await Promise.all(Array.from({ length: 7 }, (_, i) => adapter.send({ kind: 'channel', channelId: String(GROUP.id) }, { text: `n${i}` }).then(() => sent.push(Date.now() - t0))));
    expect(sent).toHaveLength(7);
    expect(Math.max(...sent)).toBeGreaterThan(1500);
  }, 30_000);

  it('runs with long polling when no webhook URL is set', async () => {
    await adapter.stop();
    adapter = await makeAdapter({ webhookUrl: undefined });
    expect(fake.callsTo('deleteWebhook')).toHaveLength(1);
    fake.pending.push(command(ALICE, GROUP, '/leaderboard'));
    for (let i = 0; i < 200 && !fake.sent(GROUP.id as number).length; i++) await new Promise((r) => setTimeout(r, 10));
    expect(lastSent(GROUP.id as number).text).toContain('No points earned');
    expect(await engine.db.prisma.identity.count()).toBe(1);
  });

  it('takes the member language from language_code, and words its own texts in it', async () => {
    const JIRO: User = { id: 555, is_bot: false, first_name: 'Jiro', language_code: 'ja' };
    await ok(command(JIRO, GROUP, '/points'));
    const jiro = () => engine.db.prisma.member.findFirstOrThrow({ where: { displayName: 'Jiro' } });
    expect((await jiro()).locale).toBe('ja');
    await ok(command({ ...JIRO, language_code: 'ko-KR' }, GROUP, '/points'));
    expect((await jiro()).locale).toBe('ko');
    // No language reported: the stored one stays.
    await ok(command({ ...JIRO, language_code: undefined }, GROUP, '/points'));
    expect((await jiro()).locale).toBe('ko');

    await ok(press(JIRO, lastMessage(JIRO.id), 't99.zz'));
    expect(answers().at(-1)).toMatchObject({ text: lang('ja').t('telegram:stale'), show_alert: true });
    await ok(command(JIRO, dm(JIRO), '/start'));
    expect(lastSent(JIRO.id).text).toContain(lang('ja').t('telegram:start.help'));
  });

  it('keeps forum topics: commands there are answered and announced in the same topic', async () => {
    await ok(command(ADMIN, GROUP, '/challenge create "Topic post" 10 3d', TOPIC));
    const ch = await engine.db.prisma.challenge.findFirstOrThrow();
    expect(ch).toMatchObject({ channelId: String(GROUP.id), threadId: String(TOPIC) });
    expect(await deliver()).toBe(1);
    const card = lastSent(GROUP.id as number);
    expect(card).toMatchObject({ message_thread_id: TOPIC });
    expect(card.text).toContain('Topic post');
    // The form prompt of a button pressed in the topic stays there.
    await ok(press(ALICE, lastMessage(GROUP.id as number), card.reply_markup.inline_keyboard[0][0].callback_data));
    expect(lastSent(GROUP.id as number)).toMatchObject({ message_thread_id: TOPIC, reply_markup: { force_reply: true } });
    // Public replies too; outside a topic there is none.
    await ok(command(ALICE, GROUP, '/leaderboard', TOPIC));
    expect(lastSent(GROUP.id as number)).toMatchObject({ message_thread_id: TOPIC });
    await ok(command(ALICE, GROUP, '/leaderboard'));
    expect(lastSent(GROUP.id as number).message_thread_id).toBeUndefined();
    // send() to a topic address.
    await adapter.send({ kind: 'channel', channelId: String(GROUP.id), threadId: '7' }, { text: 'In topic 7' });
    expect(lastSent(GROUP.id as number)).toMatchObject({ chat_id: GROUP.id, message_thread_id: 7, text: 'In topic 7' });
    await expect(adapter.send({ kind: 'channel', channelId: String(GROUP.id), threadId: 'abc' }, { text: 'x' })).rejects.toThrow('Not a Telegram chat id');
  });

  it('routes private chats, invite links and deep links through engine look-ups, never the database', async () => {
    // An engine whose database the adapter cannot reach; it records the look-ups used.
    const used = new Set<string>();
    const sealed = new Proxy(engine, {
      get(target, prop) {
        if (prop === 'db') throw new Error('the telegram adapter read the database');
        const v = Reflect.get(target, prop, target);
        if (typeof v !== 'function') return v;
        used.add(String(prop));
        return v.bind(target);
      },
    });
    await adapter.stop();
    adapter = await makeAdapter({}, sealed);

    // Paid at once, for accounts of any age (the default rules hold a referral until the new member qualifies).
    await ok(command(ADMIN, GROUP, '/referral settings min_days:0 min_activity:0 min_account_age:0'));
    await ok(command(ALICE, GROUP, '/referral code'));
    const alice = await memberOf(ALICE);
    expect(lastSent(ALICE.id).text).toContain(`Invite link (opens me and applies your code): ${referralLink('EngageBot', GROUP.id, alice.referralCode)}`);
    await ok(command(BOB, dm(BOB), `/start r${GROUP.id}_${alice.referralCode}`));
    expect(lastSent(BOB.id).text).toContain('Send /help to see what I can do in <b>Acme &lt;Community&gt;</b>.');
    expect((await memberOf(BOB)).balance).toBe(50);
    await ok(command(CAROL, dm(CAROL), `/start r-100999_${alice.referralCode}`));
    expect(lastSent(CAROL.id).text).toBe(`⚠️ ${lang('en').t('telegram:invalidInvite')}`);

    // After a restart, Bob's private chat finds his group through the engine.
    await adapter.stop();
    adapter = await makeAdapter({}, sealed);
    await ok(command(BOB, dm(BOB), '/points'));
    expect(lastSent(BOB.id).text).toContain('You have <b>50 points</b>');
    expect([...used]).toEqual(expect.arrayContaining(['communityByKey', 'referralCodeOf', 'lastGroupOf', 'handle']));
    expect(await engine.db.prisma.referral.count()).toBe(1);
  });

  it('formats **bold** as HTML, escapes the rest, and encodes buttons within 64 bytes', () => {
    expect(toHtml('**A & B** <i>x</i> **c**')).toBe('<b>A &amp; B</b> &lt;i&gt;x&lt;/i&gt; <b>c</b>');
    expect(toHtml('5 ** 2')).toBe('5 ** 2');
    expect(decodeStartPayload(encodeStartPayload(-100123, 'AB12'))).toEqual({ groupChatId: '-100123', code: 'AB12' });
    expect(decodeStartPayload('hello')).toBeNull();
    const codec = new CallbackCodec(engine.commands);
    const long = codec.encode({ label: 'x', command: 'poll comment', args: { poll: 1, comment: 'é'.repeat(40) } });
    expect(long.startsWith('t')).toBe(true);
    expect(codec.decode(long)).toMatchObject({ kind: 'run', command: 'poll comment', args: { comment: 'é'.repeat(40) } });
    expect(new CallbackCodec(engine.commands).decode(long)).toEqual({ kind: 'stale' });
    // A form button decodes to a form even in a fresh process (rebuilt from the command's options).
    const f = codec.encode({ label: 'c', command: 'poll comment', args: { poll: 3 }, form: { title: 'T', command: 'poll comment', args: { poll: 3 }, fields: [{ name: 'comment', label: 'Why?' }] } });
    expect(new CallbackCodec(engine.commands).decode(f)).toMatchObject({ kind: 'form', form: { command: 'poll comment', args: { poll: '3' }, fields: [{ name: 'comment' }] } });
    const cmds = telegramCommands(engine.commandGroups());
    expect(cmds.length).toBeLessThanOrEqual(100);
  });
});

describe('telegram adapter: groups that move, forwards, topics and private replies', () => {
  const now = () => Math.floor(Date.now() / 1000);
  /** A basic group and the supergroup it becomes, with ADMIN as an administrator of both. */
  const groupPair = (n: number, title: string): { OLD: Chat; NEW: Chat } => {
    const pair = { OLD: { id: -4000 - n, type: 'group', title } as Chat, NEW: { id: -1004000 - n, type: 'supergroup', title } as Chat };
    for (const chat of [pair.OLD, pair.NEW]) fake.setStatus(chat.id as number, ADMIN.id, 'administrator');
    return pair;
  };
  const bindingOf = (chatId: number) => engine.db.prisma.communityBinding.findUnique({ where: { platform_externalId: { platform: 'telegram', externalId: String(chatId) } } });

  it('follows a group upgraded to a supergroup: the same community, once, and cards queued for the old id', async () => {
    const { OLD, NEW } = groupPair(1, 'Acme');
    await ok(command(ALICE, OLD, '/points'));
    await ok(command(ADMIN, OLD, '/give @alice 30 early bird'));
    await ok(command(ADMIN, OLD, '/contest create "Mug" 1 2d'));
    const community = await engine.db.prisma.community.findFirstOrThrow();

    // Telegram says it in the old group and again in the new supergroup; a redelivery changes nothing either.
    fake.migrated.set(OLD.id as number, NEW.id as number);
    await ok(withFields(ADMIN, OLD, { migrate_to_chat_id: NEW.id }));
    await ok(withFields(ADMIN, NEW, { migrate_from_chat_id: OLD.id }));
    await ok(withFields(ADMIN, NEW, { migrate_from_chat_id: OLD.id }));
    expect(await engine.db.prisma.community.count()).toBe(1);
    expect((await bindingOf(NEW.id as number))?.communityId).toBe(community.id);
    // The old id stays bound too: invite links and buttons made for it still reach the same community.
    expect((await bindingOf(OLD.id as number))?.communityId).toBe(community.id);
    expect(await engine.moveSpace('telegram', String(OLD.id), String(NEW.id))).toBe('already');

    await ok(command(ALICE, NEW, '/points'));
    expect(lastSent(ALICE.id).text).toContain('You have <b>30 points</b>');
    expect(await engine.db.prisma.community.count()).toBe(1);

    // A restarted process has forgotten the move: the card queued for the old group is refused there
    // (400 with migrate_to_chat_id) and posted in the supergroup.
    await adapter.stop();
    adapter = await makeAdapter();
    expect(await deliver()).toBe(1);
    const refused = fake.callsTo('sendMessage').filter((c) => Number(c.body.chat_id) === OLD.id);
    expect(refused.at(-1)!.status).toBe(400);
    expect(lastSent(NEW.id as number).text).toContain('Mug');
    // Private chats act for the supergroup now.
    expect(await engine.lastGroupOf('telegram', String(ALICE.id))).toEqual({ key: String(NEW.id), name: 'Acme' });
    await ok(command(ALICE, dm(ALICE), '/points'));
    expect(lastSent(ALICE.id).text).toContain('You have <b>30 points</b>');
  });

  it('rebinds a supergroup used before the move arrived, unless its community is in use; the old community is never lost', async () => {
    const { OLD, NEW } = groupPair(2, 'Old');
    await ok(command(ALICE, OLD, '/points'));
    await ok(command(ADMIN, OLD, '/give @alice 30'));
    const old = (await bindingOf(OLD.id as number))!.communityId;
    // Bob used the supergroup before the migration messages were handled: an empty community.
    await ok(command(BOB, NEW, '/points'));
    expect((await bindingOf(NEW.id as number))!.communityId).not.toBe(old);
    await ok(withFields(BOB, NEW, { migrate_from_chat_id: OLD.id }));
    expect((await bindingOf(NEW.id as number))!.communityId).toBe(old);
    await ok(command(ADMIN, NEW, '/give @alice 5'));
    expect((await engine.db.prisma.member.findFirstOrThrow({ where: { communityId: old, displayName: 'Alice' } })).balance).toBe(35);

    // This supergroup already has points of its own: both communities stay as they are.
    const { OLD: OLD2, NEW: NEW2 } = groupPair(3, 'Two');
    for (const chat of [OLD2, NEW2]) {
      await ok(command(BOB, chat, '/points'));
      await ok(command(ADMIN, chat, '/give @bob 2'));
    }
    const [old2, new2] = [(await bindingOf(OLD2.id as number))!.communityId, (await bindingOf(NEW2.id as number))!.communityId];
    await ok(withFields(ADMIN, OLD2, { migrate_to_chat_id: NEW2.id }));
    expect((await bindingOf(NEW2.id as number))!.communityId).toBe(new2);
    expect((await bindingOf(OLD2.id as number))!.communityId).toBe(old2);
    expect(logs.join('\n')).toContain(`group ${OLD2.id} became ${NEW2.id}, which already has its own community`);
    // A migration of a group the bot never used does nothing; nor do such fields outside groups.
    expect(await engine.moveSpace('telegram', '-4999', '-1004999')).toBe('unknown');
    await ok(withFields(ALICE, dm(ALICE), { migrate_to_chat_id: -1004004 }));
    expect(await bindingOf(-1004004)).toBeNull();
  });

  it('never runs a forwarded command as the person forwarding it', async () => {
    await ok(command(ALICE, GROUP, '/points'));
    const sends = fake.callsTo('sendMessage').length;
    // Alice's "/give" forwarded by an admin, in the group and in the admin's private chat, in every form Telegram has used.
    const forwards = [
      { forward_origin: { type: 'user', date: now(), sender_user: ALICE } },
      { forward_origin: { type: 'hidden_user', date: now(), sender_user_name: 'Alice' } },
      { forward_from: ALICE, forward_date: now() },
      { forward_date: now(), forward_sender_name: 'Alice' },
    ];
    for (const f of forwards) {
      await ok(withFields(ADMIN, GROUP, f, '/give @alice 1000 forwarded'));
      await ok(withFields(ADMIN, dm(ADMIN), f, '/give @alice 1000 forwarded'));
    }
    expect(await engine.db.prisma.ledgerEntry.count()).toBe(0);
    expect(fake.callsTo('sendMessage').length).toBe(sends);
    // Typed by the admin, it runs.
    await ok(command(ADMIN, GROUP, '/give @alice 10'));
    expect((await memberOf(ALICE)).balance).toBe(10);
  });

  it('posts cards made in a forum topic to that topic, and everything that follows from them', async () => {
    await ok(command(ADMIN, GROUP, '/contest create "Topic mug" 1 2d', TOPIC));
    await ok(command(ADMIN, GROUP, '/poll create Topic question?', TOPIC));
    expect(await engine.db.prisma.contest.findFirstOrThrow()).toMatchObject({ channelId: String(GROUP.id), threadId: String(TOPIC) });
    expect(await engine.db.prisma.poll.findFirstOrThrow()).toMatchObject({ channelId: String(GROUP.id), threadId: String(TOPIC) });
    expect(await deliver()).toBe(2);
    const [contestCard, pollCard] = fake.messages(GROUP.id as number).slice(-2);
    expect([contestCard, pollCard].map((m) => m.message_thread_id)).toEqual([TOPIC, TOPIC]);
    await ok(press(ALICE, contestCard, contestCard.reply_markup.inline_keyboard[0][0].callback_data));
    await ok(press(BOB, pollCard, pollCard.reply_markup.inline_keyboard[1][3].callback_data));
    expect(await engine.db.prisma.contestEntry.count()).toBe(1);
    expect(await engine.db.prisma.pollResponse.count()).toBe(1);

    // The winner (when the giveaway ends on its own) and the poll results (closed by a command outside the
    // topic) are announced in the topic too.
    await ok(command(ADMIN, GROUP, '/poll close 1'));
    clock.advance(3 * 86_400_000);
    // The draw (and the live card's refresh, an edit of the card in the topic).
    expect(await engine.runDueJobs()).toBeGreaterThanOrEqual(1);
    const before = fake.sent(GROUP.id as number).length;
    expect(await deliver()).toBeGreaterThanOrEqual(2);
    const after = fake.sent(GROUP.id as number).slice(before);
    expect(after.map((m) => m.text).join('\n')).toMatch(/Topic mug[\s\S]*Topic question|Topic question[\s\S]*Topic mug/);
    for (const m of after) expect(m.message_thread_id).toBe(TOPIC);

    // A private-chat hint for someone who never started the bot stays in the topic as well.
    fake.notStarted.add(CAROL.id);
    await ok(command(CAROL, GROUP, '/points', TOPIC));
    expect(lastSent(GROUP.id as number)).toMatchObject({ message_thread_id: TOPIC, text: expect.stringContaining('tg://user?id=444') });
  });

  it('keeps a private reply private: clipped with its heading, and by the cause when Telegram refuses it', async () => {
    // A group title of 128 characters (Telegram's maximum) and poll results with five long comments.
    const LONG: Chat = { id: -1007777, type: 'supergroup', title: `Acme ${'T'.repeat(123)}` };
    const PEOPLE: User[] = [ALICE, BOB, CAROL, { id: 901, is_bot: false, first_name: 'Dan' }, { id: 902, is_bot: false, first_name: 'Eve' }];
    fake.setStatus(LONG.id as number, ADMIN.id, 'administrator');
    await ok(command(ADMIN, LONG, '/poll create How likely are you to recommend us?'));
    await deliver();
    const poll = await engine.db.prisma.poll.findFirstOrThrow();
    for (const [i, u] of PEOPLE.entries()) await ok(command(u, LONG, `/poll answer ${poll.id} ${i + 5} PRIVATE-${i} ${'x'.repeat(950)}`));
    const inGroup = () => fake.sent(LONG.id as number).map((m) => m.text).join('\n');
    const results = () => command(ADMIN, LONG, `/poll results ${poll.id} 5`);
    const toAdmin = () => fake.callsTo('sendMessage').filter((c) => Number(c.body.chat_id) === ADMIN.id);

    // Native ephemeral refused (not an admin bot), so privately: heading and reply together within 4,096 characters.
    await ok(results());
    const dmResult = toAdmin().at(-1)!;
    expect(dmResult.status).toBe(200);
    expect(dmResult.result.text.length).toBeLessThanOrEqual(4096);
    expect(dmResult.result.text.length).toBeGreaterThan(4000);
    expect(dmResult.body.text.startsWith('<i>Acme TTT')).toBe(true);
    expect(dmResult.body.text).toMatch(/PRIVATE-\d/);
    expect(inGroup()).not.toContain('PRIVATE');

    // Our markup is refused ("can't parse entities"): a bug of ours, sent again privately as plain text.
    fake.refuseNext.push({ method: 'sendMessage', refusal: { error_code: 400, description: 'Bad Request: can\'t parse entities: Unsupported start tag "x" at byte offset 3' } });
    await ok(results());
    expect(toAdmin().slice(-2).map((c) => c.status)).toEqual([400, 200]);
    expect(toAdmin().at(-1)!.body.parse_mode).toBeUndefined();
    expect(toAdmin().at(-1)!.body.text).toMatch(/PRIVATE-\d/);
    expect(logs.join('\n')).toContain('refused our text');

    // Any other refusal is logged, and nothing is posted publicly.
    const groupSends = fake.sent(LONG.id as number).length;
    fake.refuseNext.push({ method: 'sendMessage', refusal: { error_code: 400, description: 'Bad Request: something new' } });
    await ok(results());
    expect(logs.join('\n')).toContain('not posted in the group');
    // A rate limit is waited out (retry_after) and the private reply is sent within the same update.
    fake.refuseNext.push({ method: 'sendMessage', refusal: { error_code: 429, description: 'Too Many Requests: retry after 1', parameters: { retry_after: 1 } } });
    await ok(results());
    expect(toAdmin().at(-1)!.status).toBe(200);
    expect(fake.sent(LONG.id as number).length).toBe(groupSends);

    // The moderator blocked the bot: the group gets a short hint without the results, then again without retrying the DM.
    fake.blocked.add(ADMIN.id);
    for (let i = 0; i < 2; i++) {
      const cmd = results();
      await ok(cmd);
      const hint = lastSent(LONG.id as number);
      expect(hint.text).toContain('tg://user?id=111');
      expect(hint.text).toContain('open a private chat with me');
      expect(hint.reply_parameters).toMatchObject({ message_id: cmd.message!.message_id });
    }
    expect(toAdmin().filter((c) => c.status === 403)).toHaveLength(1);
    expect(inGroup()).not.toContain('PRIVATE');
    expect(inGroup()).not.toContain('NPS');

    // "chat not found" means the same; a private message to the user clears it.
    fake.refuseNext.push({ method: 'sendMessage', refusal: { error_code: 400, description: 'Bad Request: chat not found' } });
    await ok(command(CAROL, LONG, '/points'));
    expect(lastSent(LONG.id as number).text).toContain('tg://user?id=444');
    fake.blocked.delete(ADMIN.id);
    await ok(command(ADMIN, dm(ADMIN), '/start'));
    await ok(results());
    expect(toAdmin().at(-1)!.body.text).toMatch(/PRIVATE-\d/);
    expect(inGroup()).not.toContain('PRIVATE');
  });

  it('the fake refuses what Telegram refuses, and the bot stays within the limits', async () => {
    const api = adapter.bot.api;
    const refusal = (p: Promise<unknown>) => p.then(() => 'sent', (e: { description: string }) => e.description);
    expect(await refusal(api.sendMessage(GROUP.id, 'x'.repeat(4097)))).toBe('Bad Request: message is too long');
    // Counted after entity parsing: tags are free, an entity is one character.
    expect(await refusal(api.sendMessage(GROUP.id, `<b>${'&amp;'.repeat(4096)}</b>`, { parse_mode: 'HTML' }))).toBe('sent');
    expect(await refusal(api.sendMessage(GROUP.id, `<b>${'&amp;'.repeat(4097)}</b>`, { parse_mode: 'HTML' }))).toBe('Bad Request: message is too long');
    expect(await refusal(api.sendMessage(GROUP.id, '<b>bold', { parse_mode: 'HTML' }))).toBe('Bad Request: can\'t parse entities: Can\'t find end tag corresponding to start tag "b"');
    expect(await refusal(api.sendMessage(GROUP.id, 'a <3 b', { parse_mode: 'HTML' }))).toMatch(/^Bad Request: can't parse entities: Unsupported start tag/);
    expect(await refusal(api.sendMessage(GROUP.id, '<b>', { parse_mode: 'HTML' }))).toMatch(/can't parse entities/);
    expect(await refusal(api.sendMessage(GROUP.id, '<b></b>', { parse_mode: 'HTML' }))).toBe('Bad Request: message text is empty');
    const kb = (b: Record<string, string>) => ({ reply_markup: { inline_keyboard: [[b as never]] } });
    expect(await refusal(api.sendMessage(GROUP.id, 'hi', kb({ text: 'ok', callback_data: 'x'.repeat(65) })))).toBe('Bad Request: BUTTON_DATA_INVALID');
    expect(await refusal(api.sendMessage(GROUP.id, 'hi', kb({ text: 'ok', callback_data: '' })))).toBe('Bad Request: BUTTON_DATA_INVALID');
    expect(await refusal(api.sendMessage(GROUP.id, 'hi', kb({ text: '', callback_data: 'x' })))).toMatch(/can't parse inline keyboard button/);
    expect(await refusal(api.answerCallbackQuery('1', { text: 'x'.repeat(201) }))).toBe('Bad Request: MESSAGE_TOO_LONG');
    fake.notStarted.add(CAROL.id);
    expect(await refusal(api.sendMessage(CAROL.id, 'hi'))).toBe("Forbidden: bot can't initiate conversation with a user");

    // What the bot sends stays within the limits: long text, markup-like text, empty labels, long toasts.
    const refusedBefore = fake.calls.filter((c) => c.status !== 200).length;
    await adapter.send({ kind: 'channel', channelId: String(GROUP.id) }, {
      text: `**${'<&>'.repeat(2000)}**`, buttons: [[{ label: '', command: 'contest enter', args: { contest: 1 } }]],
    });
    const sent = fake.callsTo('sendMessage').at(-1)!;
    expect(sent.status).toBe(200);
    expect(sent.result.text.length).toBeLessThanOrEqual(4096);
    expect(sent.result.text.endsWith('…')).toBe(true);
    await ok(command(ADMIN, GROUP, '/contest create "Hoodie" 1 2d'));
    await deliver();
    const card = lastMessage(GROUP.id as number);
    await ok(press(ALICE, card, card.reply_markup.inline_keyboard[0][0].callback_data));
    expect(fake.callsTo('answerCallbackQuery').at(-1)!.status).toBe(200);
    // Only native ephemeral attempts (this bot is no admin) were refused.
    expect(fake.calls.slice(0).filter((c) => c.status !== 200).slice(refusedBefore).every((c) => c.body.ephemeral_message_parameters)).toBe(true);
  });
});

describe('telegram adapter: activity points', () => {
  let activity: MockInstance<Engine['activity']>;
  const events = () => activity.mock.calls.map((c) => c[0]);
  const BOT: User = { id: 999, is_bot: true, first_name: 'OtherBot', username: 'other_bot' };

  beforeEach(() => {
    activity = vi.spyOn(engine, 'activity');
  });

  it('a member\'s plain text message in a group is a message event with its visible length (in its forum topic)', async () => {
    const u = message({ ...BOB, language_code: 'ko' }, GROUP, '  Hello   there 👨‍👩‍👧  ');
    await ok(u);
    const topical = withFields(ALICE, GROUP, { message_thread_id: TOPIC, is_topic_message: true }, 'in a topic');
    await ok(topical);
    expect(events()).toEqual([
      {
        platform: 'telegram', communityKey: String(GROUP.id), communityName: GROUP.title, address: { kind: 'channel', channelId: String(GROUP.id) },
        kind: 'message', eventId: `${GROUP.id}:${u.message!.message_id}`, length: 13,
        actor: { platform: 'telegram', userId: String(BOB.id), displayName: 'Bob', username: 'bob', platformRole: undefined, locale: 'ko' },
      },
      expect.objectContaining({ eventId: `${GROUP.id}:${topical.message!.message_id}`, address: { kind: 'channel', channelId: String(GROUP.id), threadId: String(TOPIC) }, length: 10 }),
    ]);
    // The same actor as for commands: a chat administrator is an admin.
    await ok(message(ADMIN, GROUP, 'from the admin'));
    expect(events()[2].actor).toMatchObject({ userId: String(ADMIN.id), platformRole: 'admin' });
  });

  it('commands, forwarded messages, bots, posts as the group, private chats and form answers earn nothing', async () => {
    await ok(command(ALICE, GROUP, '/points'));
    await ok(withFields(ALICE, GROUP, { forward_origin: { type: 'user', date: 1, sender_user: BOB } }, 'forwarded words'));
    await ok(withFields(ALICE, GROUP, { is_automatic_forward: true }, 'a channel post in its discussion group'));
    await ok(message(BOT, GROUP, 'beep'));
    await ok(withFields(ADMIN, GROUP, { sender_chat: GROUP }, 'anonymous admin'));
    await ok(withFields(ALICE, GROUP, { via_bot: BOT }, 'inline result'));
    await ok(message(ALICE, dm(ALICE), 'hello in private'));
    await ok(withFields(ALICE, GROUP, { photo: [{ file_id: 'p', file_unique_id: 'p', width: 1, height: 1 }], caption: 'no text' }));
    expect(events()).toEqual([]);
  });

  it('reactions a member adds to a group message are reaction events, one per emoji; removals, bots and anonymous ones are not', async () => {
    const reaction = (user: User | undefined, old: unknown[], now: unknown[], chat: Chat = GROUP) => ({
      update_id: ++updateId,
      message_reaction: { chat, message_id: 77, ...(user ? { user } : { actor_chat: GROUP }), date: Math.floor(Date.now() / 1000), old_reaction: old, new_reaction: now },
    }) as Update;
    const thumbs = { type: 'emoji', emoji: '👍' };
    await ok(reaction(BOB, [thumbs], [thumbs, { type: 'emoji', emoji: '🔥' }, { type: 'custom_emoji', custom_emoji_id: '5368324170671202286' }]));
    await ok(reaction(BOB, [thumbs], []));
    await ok(reaction(BOT, [], [thumbs]));
    await ok(reaction(undefined, [], [thumbs]));
    await ok(reaction(BOB, [], [thumbs], dm(BOB)));
    expect(events().map((e) => [e.kind, e.eventId, e.actor.userId, e.address])).toEqual([
      ['reaction', `${GROUP.id}:77:${BOB.id}:🔥`, String(BOB.id), { kind: 'channel', channelId: String(GROUP.id) }],
      ['reaction', `${GROUP.id}:77:${BOB.id}:5368324170671202286`, String(BOB.id), { kind: 'channel', channelId: String(GROUP.id) }],
    ]);
    expect(events()[0]).toMatchObject({ communityKey: String(GROUP.id), communityName: GROUP.title });
  });
});

describe.skipIf(!PG_ADMIN_URL)('telegram group migration on PostgreSQL, two instances', () => {
  let pgi: TwoInstances;
  beforeAll(async () => { pgi = await twoInstances('tgmove'); });
  afterAll(async () => { await pgi?.close(); });

  const tg = (chat: number, user: number, line: string): Inbound => {
    const [command, ...rest] = line.split(' ');
    return {
      platform: 'telegram', communityKey: String(chat), communityName: 'Group', address: { kind: 'channel', channelId: String(chat) },
      actor: { platform: 'telegram', userId: String(user), displayName: `U${user}`, platformRole: user === 1 ? 'admin' : undefined },
      command, args: rest.join(' '),
    };
  };

  it('both migration messages and a first command in the supergroup, at once on two instances, end in the old community', async () => {
    const { e1, e2, a } = pgi;
    // Each round ends either way: the move binds first, or the command creates an empty community first and the move rebinds it.
    for (let round = 0; round < 15; round++) {
      const [oldId, newId] = [-5000 - round, -1005000 - round];
      await e1.handle(tg(oldId, 2, 'points'));
      expect((await e1.handle(tg(oldId, 1, 'give <@2> 7'))).error).toBeUndefined();
      const old = (await a.prisma.communityBinding.findUniqueOrThrow({ where: { platform_externalId: { platform: 'telegram', externalId: String(oldId) } } })).communityId;
      const [m1, m2, r] = await Promise.all([
        e1.moveSpace('telegram', String(oldId), String(newId)),
        e2.moveSpace('telegram', String(oldId), String(newId)),
        e2.handle(tg(newId, 2, 'points')),
      ]);
      expect([m1, m2].filter((m) => m === 'moved' || m === 'rebound')).toHaveLength(1);
      const bound = await a.prisma.communityBinding.findUniqueOrThrow({ where: { platform_externalId: { platform: 'telegram', externalId: String(newId) } } });
      expect(bound.communityId).toBe(old);
      // The member sees the old community's points in the supergroup from now on.
      expect(r.error).toBeUndefined();
      expect((await e1.handle(tg(newId, 2, 'points'))).text).toContain('7 points');
    }
  }, 60_000);
});
