import { describe, it, expect, beforeEach, afterEach, vi } from 'vitest';
import { Api } from 'grammy';
import type { Chat, Update, User } from 'grammy/types';
import { freshSqlite, Clock, seeded } from './helpers.js';
import { openDatabase, type Database } from '../src/db/client.js';
import { Engine } from '../src/engine.js';
import { allCommands } from '../commands/index.js';
import { TelegramAdapter } from '../adapters/telegram/index.js';
import { Runtime } from '../src/runtime.js';
import { telegramAccess } from '../adapters/telegram/access.js';
import { FakeTelegram, chatMemberUpdate } from './fakes/telegram.js';
import type { AccessOutcome, AccessTask, PresenceEvent } from '../src/core/types.js';

const SECRET = 'test_secret-123';
const HOOK_PATH = '/telegram/hook';
const GROUP: Chat = { id: -1001234567890, type: 'supergroup', title: 'Acme' };
const VIP = -1009999999999;
const ADMIN: User = { id: 111, is_bot: false, first_name: 'Ada', username: 'ada' };
const ALICE: User = { id: 222, is_bot: false, first_name: 'Alice', username: 'alice', language_code: 'ko' };
const BOT_USER: User = { id: 999, is_bot: true, first_name: 'Other bot' };

let fake: FakeTelegram;
let db: Database;
let engine: Engine;
let adapter: TelegramAdapter;
let cleanup: () => void;
let apply: (t: AccessTask) => Promise<AccessOutcome>;
let updateId = 900_000;
let messageId = 1;

beforeEach(async () => {
  fake = new FakeTelegram();
  await fake.start();
  const tmp = await freshSqlite();
  cleanup = tmp.cleanup;
  db = await openDatabase(tmp.url);
  engine = new Engine(db, { commands: allCommands, now: new Clock(new Date().toISOString()).now, random: seeded(), onError: (e) => { throw e; } });
  adapter = new TelegramAdapter(engine, {
    token: fake.token, apiRoot: fake.apiRoot, throttle: false, botInfo: fake.me,
    webhookUrl: `https://bot.example.com${HOOK_PATH}`, webhookSecret: SECRET, port: 0, host: '127.0.0.1', log: () => undefined,
  });
  await adapter.start();
  fake.setStatus(GROUP.id as number, ADMIN.id, 'administrator');
  apply = telegramAccess(new Api(fake.token, { apiRoot: fake.apiRoot }));
});

afterEach(async () => {
  await adapter.stop();
  await fake.close();
  await engine.flush();
  await db.close();
  cleanup();
});

const task = (action: 'grant' | 'remove', userId = ALICE.id, chatId = VIP): AccessTask => ({
  id: 1, communityId: 'c1', platform: 'telegram', platformUserId: String(userId), space: '', kind: 'telegram.chat', target: String(chatId), action,
});

async function post(update: unknown): Promise<void> {
  const res = await fetch(`http://127.0.0.1:${adapter.webhookPort}${HOOK_PATH}`, {
    method: 'POST', headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET }, body: JSON.stringify(update),
  });
  await res.text();
  expect(res.status).toBe(200);
}

const serviceMessage = (from: User, fields: Record<string, unknown>): Update =>
  ({ update_id: ++updateId, message: { message_id: ++messageId, date: 1_800_000_000, chat: GROUP, from, ...fields } }) as unknown as Update;

/** Binds GROUP to a community the way it happens in use: someone runs a command there. */
async function bindGroup() {
  const length = '/points'.length;
  await post({ update_id: ++updateId, message: { message_id: ++messageId, date: 1_800_000_000, chat: GROUP, from: ADMIN, text: '/points', entities: [{ type: 'bot_command', offset: 0, length }] } });
  expect(await engine.communityByKey('telegram', String(GROUP.id))).not.toBeNull();
}

describe('telegram access applier (grammY against the fake Bot API)', () => {
  it('grant: lifts an old ban, then a one-use invite link valid for a day', async () => {
    fake.setStatus(VIP, ALICE.id, 'kicked');
    const before = Math.floor(Date.now() / 1000);
    const out = await apply(task('grant'));
    expect(out).toEqual({ ok: true, inviteLink: 'https://t.me/+fake1' });
    expect(fake.callsTo('unbanChatMember').map((c) => c.body)).toEqual([{ chat_id: VIP, user_id: ALICE.id, only_if_banned: true }]);
    const link = fake.callsTo('createChatInviteLink')[0].body;
    expect(link.member_limit).toBe(1);
    expect(link.expire_date).toBeGreaterThanOrEqual(before + 86_400);
    expect(link.expire_date).toBeLessThanOrEqual(before + 86_400 + 5);
    expect(fake.statuses.get(`${VIP}:${ALICE.id}`)).toBe('left');
  });

  it('grant to someone already in the chat needs no link', async () => {
    fake.setStatus(VIP, ALICE.id, 'member');
    expect(await apply(task('grant'))).toEqual({ ok: true });
    expect(fake.callsTo('createChatInviteLink')).toEqual([]);
  });

  it('remove: ban, then unban only if banned, so they are out but may come back', async () => {
    fake.setStatus(VIP, ALICE.id, 'member');
    expect(await apply(task('remove'))).toEqual({ ok: true });
    expect(fake.calls.filter((c) => /banChatMember$/.test(c.method)).map((c) => [c.method, c.body])).toEqual([
      ['banChatMember', { chat_id: VIP, user_id: ALICE.id }],
      ['unbanChatMember', { chat_id: VIP, user_id: ALICE.id, only_if_banned: true }],
    ]);
    expect(fake.statuses.get(`${VIP}:${ALICE.id}`)).toBe('left');
  });

  it('maps refusals: missing rights, not an admin, 403 -> noPermission', async () => {
    fake.setStatus(VIP, ALICE.id, 'left');
    fake.noRights.add(VIP);
    expect(await apply(task('grant'))).toMatchObject({ ok: false, reason: 'noPermission', detail: expect.stringContaining('not enough rights') });
    expect(await apply(task('remove'))).toMatchObject({ ok: false, reason: 'noPermission' });
    fake.noRights.clear();
    fake.notAdmin.add(VIP);
    expect(await apply(task('remove'))).toMatchObject({ ok: false, reason: 'noPermission', detail: expect.stringContaining('CHAT_ADMIN_REQUIRED') });
    fake.notAdmin.clear();
    fake.refuseNext.push({ method: 'banChatMember', refusal: { error_code: 403, description: 'Forbidden: bot was kicked from the supergroup chat' } });
    expect(await apply(task('remove'))).toMatchObject({ ok: false, reason: 'noPermission' });
  });

  it('maps refusals: unknown user or chat -> gone', async () => {
    fake.goneUsers.add(ALICE.id);
    expect(await apply(task('remove'))).toMatchObject({ ok: false, reason: 'gone', detail: expect.stringContaining('PARTICIPANT_ID_INVALID') });
    fake.refuseNext.push({ method: 'banChatMember', refusal: { error_code: 400, description: 'Bad Request: user not found' } });
    expect(await apply(task('remove', 555))).toMatchObject({ ok: false, reason: 'gone' });
    fake.goneChats.add(VIP);
    expect(await apply(task('grant', 555))).toMatchObject({ ok: false, reason: 'gone', detail: expect.stringContaining('chat not found') });
  });

  it('maps passing trouble: 429, 5xx and the network -> retry', async () => {
    fake.setStatus(VIP, ALICE.id, 'left');
    fake.refuseNext.push({ method: 'createChatInviteLink', refusal: { error_code: 429, description: 'Too Many Requests: retry after 5', parameters: { retry_after: 5 } } });
    expect(await apply(task('grant'))).toMatchObject({ ok: false, reason: 'retry' });
    fake.refuseNext.push({ method: 'banChatMember', refusal: { error_code: 502, description: 'Bad Gateway' } });
    expect(await apply(task('remove'))).toMatchObject({ ok: false, reason: 'retry' });
    const offline = telegramAccess(new Api(fake.token, { apiRoot: 'http://127.0.0.1:1' }));
    expect(await offline(task('remove'))).toMatchObject({ ok: false, reason: 'retry' });
  });
});

describe('telegram presence (chat_member updates and service messages)', () => {
  let seen: PresenceEvent[];
  beforeEach(() => {
    seen = [];
    vi.spyOn(engine, 'presence').mockImplementation(async (e) => { seen.push(e); });
  });

  it('asks Telegram for chat_member updates', () => {
    const hook = fake.callsTo('setWebhook')[0].body;
    expect(hook.allowed_updates).toEqual(expect.arrayContaining(['message', 'chat_member']));
  });

  it('a join and a leave in a bound group become presence events with the update date', async () => {
    await bindGroup();
    await post(chatMemberUpdate(++updateId, GROUP as never, ALICE, 'left', 'member', 1_800_000_100));
    await post(chatMemberUpdate(++updateId, GROUP as never, ALICE, 'member', 'kicked', 1_800_000_200));
    await post(chatMemberUpdate(++updateId, GROUP as never, ALICE, 'kicked', 'restricted', 1_800_000_300));
    await post(chatMemberUpdate(++updateId, GROUP as never, ALICE, 'restricted', 'left', 1_800_000_400));
    expect(seen.map((e) => [e.kind, e.at?.getTime()])).toEqual([
      ['join', 1_800_000_100_000], ['leave', 1_800_000_200_000], ['join', 1_800_000_300_000], ['leave', 1_800_000_400_000],
    ]);
    expect(seen[0]).toMatchObject({
      platform: 'telegram', communityKey: String(GROUP.id), actor: { platform: 'telegram', userId: String(ALICE.id), username: 'alice', locale: 'ko' },
    });
    expect(seen[0].accountCreatedAt).toBeUndefined();
  });

  it('status changes that are neither a join nor a leave, bots, and unbound groups are not presence', async () => {
    await post(chatMemberUpdate(++updateId, GROUP as never, ALICE, 'left', 'member'));
    expect(seen).toEqual([]); // GROUP is no community's yet
    await bindGroup();
    await post(chatMemberUpdate(++updateId, GROUP as never, ALICE, 'member', 'administrator'));
    await post(chatMemberUpdate(++updateId, GROUP as never, BOT_USER, 'left', 'member'));
    expect(seen).toEqual([]);
  });

  it('new_chat_members / left_chat_member service messages as the fallback', async () => {
    await bindGroup();
    await post(serviceMessage(ALICE, { new_chat_members: [ALICE, BOT_USER] }));
    await post(serviceMessage(ADMIN, { left_chat_member: ALICE }));
    expect(seen.map((e) => [e.kind, e.actor.userId, e.at?.getTime()])).toEqual([
      ['join', String(ALICE.id), 1_800_000_000_000], ['leave', String(ALICE.id), 1_800_000_000_000],
    ]);
  });
});

describe('telegram tier access end to end (engine.deliverAccess through the runtime pump)', () => {
  const say = (from: User, text: string) => post({
    update_id: ++updateId,
    message: { message_id: ++messageId, date: Math.floor(Date.now() / 1000), chat: GROUP, from, text, entities: [{ type: 'bot_command', offset: 0, length: text.split(/\s/)[0].length }] },
  });

  it('reaching a tier with a Telegram chat sends a one-time invite link by DM; /take below it removes the member', async () => {
    const runtime = new Runtime(engine, [adapter]);
    fake.setStatus(VIP, ALICE.id, 'left');
    await say(ALICE, '/points');
    await say(ADMIN, `/tier add VIP 100 telegram_chat:${VIP}`);
    await say(ADMIN, '/give @alice 150 welcome');
    await runtime.pump();
    expect(fake.callsTo('createChatInviteLink').map((c) => [c.body.chat_id, c.body.member_limit])).toEqual([[VIP, 1]]);
    const dm = fake.sent(ALICE.id).map((b) => String(b.text)).join('\n');
    expect(dm).toContain(fake.inviteLinks[0].link);
    // Delivered once: another pump changes nothing.
    await runtime.pump();
    expect(fake.callsTo('createChatInviteLink')).toHaveLength(1);

    fake.setStatus(VIP, ALICE.id, 'member'); // she used the link
    await say(ADMIN, '/take @alice 100 cleanup');
    await runtime.pump();
    expect(fake.calls.filter((c) => /banChatMember$/.test(c.method)).map((c) => [c.method, c.body.chat_id, c.body.user_id])).toEqual([
      ['unbanChatMember', VIP, ALICE.id], // before the invite: only_if_banned
      ['banChatMember', VIP, ALICE.id],
      ['unbanChatMember', VIP, ALICE.id],
    ]);
    expect(fake.statuses.get(`${VIP}:${ALICE.id}`)).toBe('left');
  });
});
