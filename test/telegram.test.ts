import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import type { Chat, Update, User } from 'grammy/types';
import { freshSqlite, Clock, seeded } from './helpers.js';
import { openDatabase, type Database } from '../src/db/client.js';
import { Engine } from '../src/engine.js';
import { allCommands } from '../commands/index.js';
import { lang } from '../src/i18n/index.js';
import { TelegramAdapter, telegramCommands, toHtml, referralLink, encodeStartPayload, decodeStartPayload, type TelegramOptions } from '../adapters/telegram/index.js';
import { CallbackCodec } from '../adapters/telegram/callbacks.js';
import { FakeTelegram } from './fakes/telegram.js';

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
    token: fake.token, apiRoot: fake.apiRoot, botInfo: fake.me,
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
    for (const c of cmds) {
      expect(c.command).toMatch(/^[a-z0-9_]{1,32}$/);
      expect(c.description.length).toBeGreaterThanOrEqual(3);
      expect(c.description.length).toBeLessThanOrEqual(256);
    }
    expect(cmds.find((c) => c.command === 'challenge')!.description).toContain('create');
    expect(new Set(cmds.map((c) => c.command)).size).toBe(cmds.length);
    // The English menu is the default; Korean and Japanese users get theirs from those catalogs.
    expect(fake.callsTo('setMyCommands').map((c) => c.body.language_code)).toEqual([undefined, 'ko', 'ja']);
    expect(cmds).toEqual(telegramCommands(engine.commandGroups(), lang('en')));
    for (const l of ['ko', 'ja'] as const) expect(fake.commandsFor(l)).toEqual(telegramCommands(engine.commandGroups(), lang(l)));
    const hook = fake.callsTo('setWebhook')[0].body;
    expect(hook).toMatchObject({ url: `https://bot.example.com${HOOK_PATH}`, secret_token: SECRET });
    expect(hook.allowed_updates).toEqual(['message', 'callback_query']);
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

  it('answers a plain command in a group; ephemeral replies go by DM, else in the group; other messages are ignored', async () => {
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

    // Bob never started the bot: his ephemeral reply lands in the group, as a reply to his command.
    fake.notStarted.add(BOB.id);
    const bobCmd = command(BOB, GROUP, '/points@EngageBot');
    await ok(bobCmd);
    const inGroup = lastSent(GROUP.id as number);
    expect(inGroup.text).toContain('You have <b>0 points</b>');
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

    // Approval notifies the member by DM through the outbox (a dm address).
    await ok(command(ADMIN, GROUP, `/challenge approve ${sub.id}`));
    expect(lastSent(GROUP.id as number).text).toContain('Approved submission');
    expect(await deliver()).toBe(1);
    expect(lastSent(ALICE.id).text).toContain('was approved: +50 points');
    expect((await memberOf(ALICE)).balance).toBe(50);
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
    expect(await deliver()).toBe(1);
    expect((await engine.db.prisma.outboxMessage.findFirstOrThrow()).status).toBe('sent');
    await expect(adapter.send({ kind: 'channel', channelId: 'general' }, { text: 'x' })).rejects.toThrow('Not a Telegram chat id');
    await expect(adapter.send({ kind: 'dm', userId: 'U123' }, { text: 'x' })).rejects.toThrow('Not a Telegram chat id');
  });

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
