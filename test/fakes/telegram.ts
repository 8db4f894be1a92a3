import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Update, UserFromGetMe } from 'grammy/types';

export interface ApiCall {
  method: string;
  body: Record<string, any>;
  /** HTTP status the fake answered with, and the result it returned (when ok). */
  status?: number;
  result?: any;
}

/** What Telegram answers when it refuses a request. */
interface Refusal { error_code: number; description: string; parameters?: Record<string, unknown> }

const TAGS = new Set(['b', 'strong', 'i', 'em', 'u', 'ins', 's', 'strike', 'del', 'span', 'tg-spoiler', 'a', 'tg-emoji', 'code', 'pre', 'blockquote']);
const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"' };

/**
 * Telegram's HTML parse mode: the supported tags must balance, and only &lt; &gt; &amp; &quot; and numeric
 * entities are decoded. Returns the text after entity parsing (what Telegram counts), or the refusal.
 */
export function parseTelegramHtml(html: string): { text: string } | { error: string } {
  const stack: string[] = [];
  let text = '';
  let i = 0;
  const at = () => `at byte offset ${Buffer.byteLength(html.slice(0, i))}`;
  while (i < html.length) {
    const c = html[i];
    if (c === '<') {
      const m = /^<(\/?)([A-Za-z][\w-]*)?((?:\s[^>]*)?)>/.exec(html.slice(i));
      const name = m?.[2]?.toLowerCase() ?? '';
      if (!m || !name) return { error: `Unsupported start tag "${html.slice(i + 1, i + 10).split(/[\s>]/)[0]}" ${at()}` };
      if (!TAGS.has(name)) return { error: `Unsupported ${m[1] ? 'end' : 'start'} tag "${name}" ${at()}` };
      if (m[1]) {
        const open = stack.pop();
        if (open !== name) return { error: `Unmatched end tag ${at()}, expected "</${open ?? ''}>", found "</${name}>"` };
      } else stack.push(name);
      i += m[0].length;
      continue;
    }
    if (c === '&') {
      const m = /^&(#x[0-9a-fA-F]{1,6}|#\d{1,7}|[a-zA-Z]+);/.exec(html.slice(i));
      const e = m?.[1];
      const code = e?.startsWith('#x') ? parseInt(e.slice(2), 16) : e?.startsWith('#') ? Number(e.slice(1)) : undefined;
      const decoded = code !== undefined ? (code <= 0x10ffff ? String.fromCodePoint(code) : undefined) : e && ENTITIES[e];
      if (decoded !== undefined) {
        text += decoded;
        i += m![0].length;
        continue;
      }
    }
    text += c;
    i++;
  }
  if (stack.length) return { error: `Can't find end tag corresponding to start tag "${stack.at(-1)}"` };
  return { text };
}

/** Why Telegram would refuse this inline keyboard (button text non-empty, callback_data 1-64 bytes), if it would. */
function keyboardRefusal(markup: any): string | undefined {
  for (const row of markup?.inline_keyboard ?? []) {
    for (const b of row) {
      if (typeof b.text !== 'string' || !b.text.trim()) return "Bad Request: can't parse inline keyboard button: Text must be non-empty";
      if ('callback_data' in b) {
        const n = Buffer.byteLength(String(b.callback_data));
        if (n < 1 || n > 64) return 'Bad Request: BUTTON_DATA_INVALID';
      } else if (!('url' in b)) return "Bad Request: can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard";
    }
  }
  return undefined;
}

/**
 * A fake Telegram Bot API server: POST /bot<token>/<method> with a JSON body. It records every call and
 * answers with plausible results (sendMessage returns a Message with a fresh message_id, in the forum topic
 * of message_thread_id when given; getChatMember a status; everything else true, setMyCommands per
 * language_code included). It enforces the Bot API's documented limits and refuses the way Telegram does
 * (HTTP 400 with `{ok: false, error_code, description}`): message text 1-4096 characters after entity
 * parsing, balanced HTML, inline buttons with a text and 1-64 bytes of callback_data, toasts of at most 200
 * characters. Knobs: member statuses, users who never started the bot (403) or blocked it, groups that
 * became supergroups (400 with migrate_to_chat_id), whether native ephemeral messages are accepted,
 * failing sendMessage, and one-off refusals.
 */
export class FakeTelegram {
  readonly calls: ApiCall[] = [];
  readonly me: UserFromGetMe = {
    id: 7000001, is_bot: true, first_name: 'Engage', username: 'EngageBot',
    can_join_groups: true, can_read_all_group_messages: false, supports_inline_queries: false,
    can_connect_to_business: false, has_main_web_app: false,
  } as UserFromGetMe;
  /** `${chatId}:${userId}` -> ChatMember status (default "member"). */
  readonly statuses = new Map<string, string>();
  /** Users who never started the bot: private messages to them fail with 403. */
  readonly notStarted = new Set<number>();
  /** Users who blocked the bot: private messages to them fail with 403. */
  readonly blocked = new Set<number>();
  /** Groups upgraded to supergroups (old id -> new id): messages to the old id fail with 400 and migrate_to_chat_id. */
  readonly migrated = new Map<number, number>();
  /** Refusals served, in order, to the next calls of a method (e.g. to play a Telegram outage). */
  readonly refuseNext: { method: string; refusal: Refusal }[] = [];
  /** Whether sendMessage with ephemeral_message_parameters succeeds (else 400). */
  acceptEphemeral = false;
  /** Make every sendMessage fail with a 500 (to test outbox retries). */
  failSends = false;
  // ---- tier access (createChatInviteLink, banChatMember, unbanChatMember) ----
  /** Chats where the bot lacks the admin rights to invite or ban (400 "not enough rights ..."). */
  readonly noRights = new Set<number>();
  /** Chats where the bot is not an administrator at all (400 CHAT_ADMIN_REQUIRED). */
  readonly notAdmin = new Set<number>();
  /** Chats that do not exist (any more) for the bot (400 chat not found). */
  readonly goneChats = new Set<number>();
  /** Users Telegram does not know (400 PARTICIPANT_ID_INVALID). */
  readonly goneUsers = new Set<number>();
  /** Invite links created, in order. */
  readonly inviteLinks: { chatId: number; link: string; name?: string; memberLimit?: number; expireDate?: number }[] = [];

  /** Messages the bot posted, by "<chat id>:<message_id>", as the last send or edit left them (HTML and keyboard). */
  readonly stored = new Map<string, { text: string; parseMode?: string; markup?: unknown }>();
  /** Messages deleted in the chat ("<chat id>:<message_id>"): editing them fails with "message to edit not found". */
  readonly deletedMessages = new Set<string>();

  /** Updates served to getUpdates (long polling). */
  readonly pending: Update[] = [];
  private nextMessageId = 5000;
  private server?: Server;

  constructor(readonly token = '123456:TEST-token_abc') {}

  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', () => resolve()));
  }

  get apiRoot(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    const s = this.server;
    if (!s) return;
    await new Promise<void>((resolve) => {
      s.close(() => resolve());
      s.closeAllConnections();
    });
  }

  setStatus(chatId: number, userId: number, status: 'creator' | 'administrator' | 'member' | 'left' | 'restricted' | 'kicked') {
    this.statuses.set(`${chatId}:${userId}`, status);
  }

  callsTo(method: string): ApiCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Successful sendMessage calls (what the bot "said"), optionally only those to one chat. */
  sent(chatId?: number): Record<string, any>[] {
    return this.callsTo('sendMessage').filter((c) => c.status === 200).map((c) => c.body).filter((b) => chatId === undefined || Number(b.chat_id) === chatId);
  }

  /** The Message objects the fake returned for successful sendMessage calls to a chat. */
  messages(chatId: number): any[] {
    return this.callsTo('sendMessage').filter((c) => c.status === 200 && Number(c.body.chat_id) === chatId).map((c) => c.result);
  }

  /** The command menu set for a language ('' = the default one). */
  /** The menu last set for a language ('' = default) and scope type (default: everyone). */
  commandsFor(languageCode = '', scope = 'default'): { command: string; description: string }[] | undefined {
    return this.callsTo('setMyCommands')
      .filter((c) => (c.body.language_code ?? '') === languageCode && ((c.body.scope as { type?: string } | undefined)?.type ?? 'default') === scope)
      .at(-1)?.body.commands;
  }

  clear(): void {
    this.calls.length = 0;
  }

  private async handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const m = /^\/bot([^/]+)\/(\w+)$/.exec(req.url ?? '');
    let call: ApiCall | undefined;
    const reply = (status: number, json: { ok: boolean; result?: unknown; [k: string]: unknown }) => {
      if (call) { call.status = status; call.result = json.result; }
      res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(json));
    };
    if (req.method !== 'POST' || !m) return reply(404, { ok: false, error_code: 404, description: 'Not Found' });
    if (m[1] !== this.token) return reply(401, { ok: false, error_code: 401, description: 'Unauthorized' });
    const raw = Buffer.concat(chunks).toString('utf8');
    const body = raw ? JSON.parse(raw) : {};
    const method = m[2];
    if (method !== 'getUpdates') this.calls.push((call = { method, body }));
    const ok = (result: unknown) => reply(200, { ok: true, result });
    const fail = (code: number, description: string, parameters?: Record<string, unknown>) =>
      reply(code, { ok: false, error_code: code, description, ...(parameters ? { parameters } : {}) });
    const planned = this.refuseNext.findIndex((r) => r.method === method);
    if (planned >= 0) {
      const { refusal } = this.refuseNext.splice(planned, 1)[0];
      return fail(refusal.error_code, refusal.description, refusal.parameters);
    }
    switch (method) {
      case 'getMe':
        return ok(this.me);
      case 'sendMessage': {
        if (this.failSends) return fail(500, 'Internal Server Error');
        const chatId = Number(body.chat_id);
        if (chatId > 0 && this.notStarted.has(chatId)) return fail(403, "Forbidden: bot can't initiate conversation with a user");
        if (chatId > 0 && this.blocked.has(chatId)) return fail(403, 'Forbidden: bot was blocked by the user');
        const moved = this.migrated.get(chatId);
        if (moved) return fail(400, 'Bad Request: group chat was upgraded to a supergroup chat', { migrate_to_chat_id: moved });
        const parsed = body.parse_mode === 'HTML' ? parseTelegramHtml(String(body.text ?? '')) : { text: String(body.text ?? '') };
        if ('error' in parsed) return fail(400, `Bad Request: can't parse entities: ${parsed.error}`);
        if (!parsed.text.trim()) return fail(400, 'Bad Request: message text is empty');
        if (parsed.text.length > 4096) return fail(400, 'Bad Request: message is too long');
        const badKeyboard = keyboardRefusal(body.reply_markup);
        if (badKeyboard) return fail(400, badKeyboard);
        const eph = body.ephemeral_message_parameters;
        if (eph && !this.acceptEphemeral) return fail(400, 'Bad Request: not enough rights to send ephemeral messages');
        const id = this.nextMessageId++;
        if (!eph) this.stored.set(`${chatId}:${id}`, { text: String(body.text), parseMode: body.parse_mode, markup: body.reply_markup });
        return ok({
          message_id: eph ? 0 : id,
          ...(eph ? { ephemeral_message_id: id, receiver_user: { id: eph.receiver_user_id, is_bot: false, first_name: 'Receiver' } } : {}),
          date: Math.floor(Date.now() / 1000),
          chat: chatId > 0 ? { id: chatId, type: 'private', first_name: 'User' } : { id: chatId, type: 'supergroup', title: 'Group' },
          from: { id: this.me.id, is_bot: true, first_name: this.me.first_name, username: this.me.username },
          ...(body.message_thread_id ? { message_thread_id: body.message_thread_id, is_topic_message: true } : {}),
          text: parsed.text,
          ...(body.reply_markup?.inline_keyboard ? { reply_markup: body.reply_markup } : {}),
        });
      }
      case 'getChatMember': {
        if (this.goneChats.has(Number(body.chat_id))) return fail(400, 'Bad Request: chat not found');
        if (this.goneUsers.has(Number(body.user_id))) return fail(400, 'Bad Request: PARTICIPANT_ID_INVALID');
        const status = this.statuses.get(`${body.chat_id}:${body.user_id}`) ?? 'member';
        const user = { id: Number(body.user_id), is_bot: false, first_name: 'User' };
        if (status === 'administrator') return ok({ status, user, can_be_edited: false, is_anonymous: false, can_manage_chat: true });
        if (status === 'creator') return ok({ status, user, is_anonymous: false });
        return ok({ status, user });
      }
      case 'getUpdates': {
        const offset = Number(body.offset ?? 0);
        const take = () => {
          const out = this.pending.filter((u) => u.update_id >= offset);
          this.pending.splice(0, this.pending.length, ...this.pending.filter((u) => u.update_id < offset));
          return out;
        };
        let updates = take();
        // A short long-poll so an idle bot does not spin.
        for (let i = 0; !updates.length && i < 5 && Number(body.limit ?? 100) > 1; i++) {
          await new Promise((r) => setTimeout(r, 20));
          updates = take();
        }
        return ok(updates);
      }
      case 'createChatInviteLink':
      case 'banChatMember':
      case 'unbanChatMember':
        return this.access(method, body, ok, fail);
      case 'editMessageText': {
        const key = `${Number(body.chat_id)}:${Number(body.message_id)}`;
        const known = this.stored.get(key);
        if (!known || this.deletedMessages.has(key)) return fail(400, 'Bad Request: message to edit not found');
        const parsed = body.parse_mode === 'HTML' ? parseTelegramHtml(String(body.text ?? '')) : { text: String(body.text ?? '') };
        if ('error' in parsed) return fail(400, `Bad Request: can't parse entities: ${parsed.error}`);
        if (!parsed.text.trim()) return fail(400, 'Bad Request: message text is empty');
        if (parsed.text.length > 4096) return fail(400, 'Bad Request: MESSAGE_TOO_LONG');
        const badKeyboard = keyboardRefusal(body.reply_markup);
        if (badKeyboard) return fail(400, badKeyboard);
        if (known.text === String(body.text) && known.parseMode === body.parse_mode && JSON.stringify(known.markup ?? null) === JSON.stringify(body.reply_markup ?? null)) {
          return fail(400, 'Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message');
        }
        this.stored.set(key, { text: String(body.text), parseMode: body.parse_mode, markup: body.reply_markup });
        return ok({
          message_id: Number(body.message_id), date: Math.floor(Date.now() / 1000), edit_date: Math.floor(Date.now() / 1000),
          chat: Number(body.chat_id) > 0 ? { id: Number(body.chat_id), type: 'private', first_name: 'User' } : { id: Number(body.chat_id), type: 'supergroup', title: 'Group' },
          from: { id: this.me.id, is_bot: true, first_name: this.me.first_name, username: this.me.username },
          text: parsed.text, ...(body.reply_markup?.inline_keyboard ? { reply_markup: body.reply_markup } : {}),
        });
      }
      case 'answerCallbackQuery':
        if (String(body.text ?? '').length > 200) return fail(400, 'Bad Request: MESSAGE_TOO_LONG');
        return ok(true);
      default:
        // setMyCommands, setWebhook, deleteWebhook, ...: true
        return ok(true);
    }
  }

  /** The tier access methods, refused the way Telegram does (checks in Telegram's order: chat, rights, user, arguments). */
  private access(method: string, body: Record<string, any>, ok: (r: unknown) => void, fail: (code: number, d: string) => void) {
    const chatId = Number(body.chat_id);
    if (!Number.isSafeInteger(chatId) || this.goneChats.has(chatId)) return fail(400, 'Bad Request: chat not found');
    if (chatId > 0) return fail(400, `Bad Request: method is available for supergroup and channel chats only`);
    if (this.notAdmin.has(chatId)) return fail(400, 'Bad Request: CHAT_ADMIN_REQUIRED');
    if (method === 'createChatInviteLink') {
      if (this.noRights.has(chatId)) return fail(400, 'Bad Request: not enough rights to manage chat invite links');
      const limit = body.member_limit;
      if (limit !== undefined && !(Number.isInteger(limit) && limit >= 1 && limit <= 99999)) return fail(400, 'Bad Request: member limit must be between 1 and 99999');
      if (body.name !== undefined && String(body.name).length > 32) return fail(400, 'Bad Request: invite link name is too long');
      if (body.expire_date !== undefined && Number(body.expire_date) <= Date.now() / 1000) return fail(400, 'Bad Request: EXPIRE_DATE_INVALID');
      const link = `https://t.me/+fake${this.inviteLinks.length + 1}`;
      this.inviteLinks.push({ chatId, link, name: body.name, memberLimit: limit, expireDate: body.expire_date });
      return ok({
        invite_link: link, creator: { id: this.me.id, is_bot: true, first_name: this.me.first_name }, creates_join_request: false,
        is_primary: false, is_revoked: false, ...(body.name ? { name: body.name } : {}), ...(limit ? { member_limit: limit } : {}),
        ...(body.expire_date ? { expire_date: body.expire_date } : {}),
      });
    }
    const userId = Number(body.user_id);
    if (this.noRights.has(chatId)) return fail(400, 'Bad Request: not enough rights to restrict/unrestrict chat member');
    if (!Number.isSafeInteger(userId) || userId <= 0 || this.goneUsers.has(userId)) return fail(400, 'Bad Request: PARTICIPANT_ID_INVALID');
    const status = this.statuses.get(`${chatId}:${userId}`);
    if (status === 'creator' || status === 'administrator') return fail(400, "Bad Request: user is an administrator of the chat");
    if (method === 'banChatMember') this.setStatus(chatId, userId, 'kicked');
    else if (status === 'kicked' || !body.only_if_banned) this.setStatus(chatId, userId, 'left');
    return ok(true);
  }
}

/** A chat_member update: `user` went from status `from` to `to` in `chat` (as Telegram sends it to an admin bot). */
export function chatMemberUpdate(updateId: number, chat: { id: number; type: string; title?: string }, user: { id: number; is_bot: boolean; first_name: string; username?: string },
  from: 'member' | 'left' | 'kicked' | 'administrator' | 'restricted', to: 'member' | 'left' | 'kicked' | 'administrator' | 'restricted', date = Math.floor(Date.now() / 1000)): Update {
  const member = (status: string) => ({
    status, user, ...(status === 'kicked' ? { until_date: 0 } : {}),
    ...(status === 'restricted' ? { is_member: true, until_date: 0 } : {}),
  });
  return { update_id: updateId, chat_member: { chat, from: user, date, old_chat_member: member(from), new_chat_member: member(to) } } as unknown as Update;
}
