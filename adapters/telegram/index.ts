import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Bot, GrammyError, webhookCallback } from 'grammy';
import type { CallbackQuery, Chat, InlineKeyboardButton, InlineKeyboardMarkup, Message, MessageEntity, User, UserFromGetMe } from 'grammy/types';
import type { Engine } from '../../src/engine.js';
import type { Config } from '../../src/config.js';
import type { PlatformAdapter } from '../../src/runtime.js';
import type { CommandDef } from '../../src/core/command.js';
import type { Button, Form, Reply, Role } from '../../src/core/types.js';
import { LAST_SEEN_FIRST } from '../../src/services/members.js';
import { CallbackCodec } from './callbacks.js';
import { decodeStartPayload, referralLink } from './deeplink.js';
import { clip, escapeHtml, mentionHtml, MAX_CALLBACK_TEXT, toHtml, toPlain } from './format.js';
import { PendingForms } from './forms.js';

export { encodeStartPayload, decodeStartPayload, referralLink } from './deeplink.js';
export { toHtml, toPlain } from './format.js';

export interface TelegramOptions {
  /** Bot token from @BotFather. */
  token: string;
  /** Bot API root (default https://api.telegram.org); tests point it at a local fake. */
  apiRoot?: string;
  /** Known bot info; when missing, start() calls getMe. */
  botInfo?: UserFromGetMe;
  /** Public HTTPS URL Telegram posts updates to; when set the adapter runs a webhook server, else long polling. */
  webhookUrl?: string;
  /** Sent by Telegram in X-Telegram-Bot-Api-Secret-Token; requests without it are rejected (401). */
  webhookSecret?: string;
  /** Port and host of the webhook server (default 8443 on all interfaces; 0 picks a free port). */
  port?: number;
  host?: string;
  /** Try Telegram's native ephemeral messages (Bot API 10.2) for ephemeral replies in groups (default true). */
  nativeEphemeral?: boolean;
  /** How long a getChatMember answer is trusted (default 5 minutes). */
  roleTtlMs?: number;
  /** How long a form prompt waits for its reply (default 15 minutes). */
  formTtlMs?: number;
  log?: (msg: string) => void;
}

/** Where a reply goes: the chat the interaction happened in, who did it, and the group it acts for. */
interface Where {
  chat: Chat;
  user: User;
  /** The user's message to reply to (absent for ephemeral command messages). */
  replyTo?: number;
  /** The user's command arrived as an ephemeral message (Bot API 10.2 ephemeral commands). */
  ephemeralMessageId?: number;
  /** The button press being answered. */
  callbackQueryId?: string;
  /** The group whose community is acted on. */
  community?: Community;
}

interface Community { key: string; name?: string }

const ALLOWED_UPDATES = ['message', 'callback_query'] as const;
const NEGATIVE_CACHE_MS = 10 * 60_000;
const MAX_DONE = 2000;

const NO_GROUP = 'I don\'t know your group yet. Use any command (for example /points) in your Telegram group first; after that you can talk to me here and I act for the group you used me in most recently.';
const STALE = 'This button has expired. Run the command again (see /help).';
const ANONYMOUS = 'I can\'t tell who you are while you post as the group. Turn off "Remain anonymous" in your admin rights, or message me privately.';

export const displayName = (u: User): string => [u.first_name, u.last_name].filter(Boolean).join(' ') || u.username || String(u.id);
const isGroup = (chat: Chat) => chat.type === 'group' || chat.type === 'supergroup';
const titleOf = (chat: Chat) => ('title' in chat ? chat.title : undefined);

/** Telegram refused the request for this chat/user (no rights, never started, blocked): try another route. */
function refused(err: unknown): boolean {
  return err instanceof GrammyError && (err.error_code === 400 || err.error_code === 403);
}

/**
 * Bot commands for setMyCommands: one per top-level name ("challenge"), with a short description.
 * Telegram allows [a-z0-9_]{1,32} and descriptions of 3-256 characters, at most 100 commands.
 */
export function telegramCommands(groups: Map<string, CommandDef[]>): { command: string; description: string }[] {
  const out: { command: string; description: string }[] = [];
  for (const [top, defs] of groups) {
    if (!/^[a-z0-9_]{1,32}$/.test(top)) continue;
    const self = defs.find((d) => d.name === top);
    const subs = defs.filter((d) => d !== self).map((d) => d.name.slice(top.length + 1));
    let description: string;
    if (!subs.length) description = self?.description ?? top;
    else if (subs.length === 1 && !self) description = `${subs[0]}: ${defs[0].description}`;
    else description = `${top[0].toUpperCase()}${top.slice(1)}: ${subs.join(', ')}`;
    description = clip(description, 256);
    if (description.length < 3) description = description.padEnd(3, '.');
    out.push({ command: top, description });
  }
  return out.slice(0, 100);
}

/** The argument text after the command; text mentions (users without @username) become <@id>. */
function argsText(text: string, entities: MessageEntity[], commandLength: number): string {
  let out = '';
  let pos = commandLength;
  const mentions = entities
    .filter((e): e is MessageEntity.TextMentionMessageEntity => e.type === 'text_mention' && e.offset >= commandLength)
    .sort((a, b) => a.offset - b.offset);
  for (const e of mentions) {
    out += `${text.slice(pos, e.offset)} <@${e.user.id}> `;
    pos = e.offset + e.length;
  }
  return (out + text.slice(pos)).trim();
}

/**
 * Telegram adapter (grammY). Commands in groups act on the group's community (communityKey = chat id);
 * commands in a private chat act on the group the user most recently used the bot in. Long polling by
 * default; a webhook server when webhookUrl is set. See README.md for the rules on ephemeral replies,
 * forms and deep-link referrals.
 */
export class TelegramAdapter implements PlatformAdapter {
  readonly platform = 'telegram' as const;
  readonly bot: Bot;
  private readonly codec: CallbackCodec;
  private readonly forms: PendingForms;
  private readonly roles = new Map<string, { role?: Role; expiresAt: number }>();
  private readonly lastGroup = new Map<number, Community>();
  private readonly noDm = new Map<number, number>();
  private readonly noNative = new Map<number, number>();
  private readonly done = new Set<number>();
  private readonly inflight = new Set<number>();
  private server?: Server;
  private polling?: Promise<void>;
  private readonly log: (msg: string) => void;

  constructor(private readonly engine: Engine, private readonly opts: TelegramOptions) {
    this.log = opts.log ?? ((m) => console.error(m));
    this.bot = new Bot(opts.token, { botInfo: opts.botInfo, client: opts.apiRoot ? { apiRoot: opts.apiRoot } : undefined });
    this.codec = new CallbackCodec(engine.commands);
    this.forms = new PendingForms(opts.formTtlMs);
    this.bot.on('message', (ctx) => this.once(ctx.update.update_id, () => this.onMessage(ctx.update.update_id, ctx.message)));
    this.bot.on('callback_query', (ctx) => this.once(ctx.update.update_id, () => this.onCallback(ctx.update.update_id, ctx.callbackQuery)));
    // Long polling only (webhook errors become HTTP 500 so Telegram redelivers; eventKey keeps that safe).
    this.bot.catch((err) => this.log(`telegram: update ${err.ctx.update.update_id} failed: ${(err.error as Error)?.message ?? err.error}`));
  }

  /** The port the webhook server listens on (after start in webhook mode). */
  get webhookPort(): number | undefined {
    return (this.server?.address() as AddressInfo | null)?.port;
  }

  async start(): Promise<void> {
    await this.bot.init();
    await this.bot.api.setMyCommands(telegramCommands(this.engine.commandGroups()));
    if (this.opts.webhookUrl) await this.startWebhook(this.opts.webhookUrl);
    else await this.startPolling();
  }

  async stop(): Promise<void> {
    if (this.polling) {
      await this.bot.stop().catch((err) => this.log(`telegram: stop: ${(err as Error).message}`));
      await this.polling.catch(() => undefined);
      this.polling = undefined;
    }
    const server = this.server;
    if (server) {
      this.server = undefined;
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    }
  }

  /** Posts an announcement; "user:<id>" is a private message. Throws on failure so the outbox retries. */
  async send(channelId: string, reply: Reply): Promise<void> {
    const chatId = channelId.startsWith('user:') ? channelId.slice(5) : channelId;
    if (!/^-?\d{1,20}$/.test(chatId)) throw new Error(`Not a Telegram chat id: ${channelId}`);
    const formRow: Button[][] = reply.form ? [[{ label: reply.form.title, command: reply.form.command, args: reply.form.args, form: reply.form }]] : [];
    await this.sendReply(Number(chatId), { ...reply, buttons: [...(reply.buttons ?? []), ...formRow] });
  }

  /** The t.me link that starts the bot and redeems `referralCode` in the community of `groupChatId`. */
  referralLink(groupChatId: number | string, referralCode: string): string {
    return referralLink(this.bot.botInfo.username, groupChatId, referralCode);
  }

  // ---- delivery modes ----

  private async startWebhook(url: string): Promise<void> {
    const secret = this.opts.webhookSecret;
    if (!secret) throw new Error('Configuration error: TELEGRAM_WEBHOOK_URL needs TELEGRAM_WEBHOOK_SECRET (A-Z, a-z, 0-9, _ and -).');
    const path = new URL(url).pathname || '/';
    const handle = webhookCallback(this.bot, 'http', { secretToken: secret, timeoutMilliseconds: 50_000 });
    const server = createServer((req, res) => {
      const reqPath = (req.url ?? '/').split('?')[0];
      if (req.method === 'GET' && reqPath === '/healthz') return void res.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok');
      if (req.method !== 'POST' || reqPath !== path) return void res.writeHead(404).end();
      handle(req, res).catch((err: unknown) => {
        // Telegram redelivers on non-2xx; the engine's eventKey makes the retry safe.
        this.log(`telegram: webhook update failed: ${(err as Error)?.message ?? err}`);
        if (!res.headersSent) res.writeHead(500).end();
        else res.end();
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.opts.port ?? 8443, this.opts.host ?? '0.0.0.0', () => resolve());
    });
    this.server = server;
    await this.bot.api.setWebhook(url, { secret_token: secret, allowed_updates: [...ALLOWED_UPDATES] });
  }

  private async startPolling(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.polling = this.bot.start({ allowed_updates: [...ALLOWED_UPDATES], onStart: () => resolve() });
      this.polling.catch((err: unknown) => {
        this.log(`telegram: polling stopped: ${(err as Error)?.message ?? err}`);
        reject(err);
      });
    });
  }

  /** Handles each update_id once per process (a redelivery after success is skipped; the engine covers restarts). */
  private async once(updateId: number, fn: () => Promise<void>): Promise<void> {
    if (this.done.has(updateId) || this.inflight.has(updateId)) return;
    this.inflight.add(updateId);
    try {
      await fn();
      this.done.add(updateId);
      if (this.done.size > MAX_DONE) this.done.delete(this.done.values().next().value!);
    } finally {
      this.inflight.delete(updateId);
    }
  }

  private eventKey(updateId: number): string {
    return `${this.bot.botInfo.id}:${updateId}`;
  }

  // ---- inbound ----

  private async onMessage(updateId: number, msg: Message): Promise<void> {
    const from = msg.from;
    const text = msg.text;
    if (!from || !text || !(isGroup(msg.chat) || msg.chat.type === 'private')) return;
    if (msg.chat.type === 'private') this.noDm.delete(from.id);
    const cmd = msg.entities?.[0];
    if (cmd?.type === 'bot_command' && cmd.offset === 0) return this.onCommand(updateId, msg, from, text, cmd.length);
    if (msg.reply_to_message) return this.onFormReply(updateId, msg, from, text);
  }

  private async onCommand(updateId: number, msg: Message, from: User, text: string, length: number): Promise<void> {
    const [rawName, target] = text.slice(1, length).split('@');
    if (target && target.toLowerCase() !== this.bot.botInfo.username.toLowerCase()) return; // for another bot
    const name = rawName.toLowerCase();
    const args = argsText(text, msg.entities ?? [], length);
    const groups = this.engine.commandGroups();
    const where: Where = {
      chat: msg.chat, user: from,
      replyTo: msg.ephemeral_message_id ? undefined : msg.message_id,
      ephemeralMessageId: msg.ephemeral_message_id,
    };
    if (from.is_bot || msg.sender_chat) {
      if (groups.has(name) || target) await this.sendReply(msg.chat.id, { text: ANONYMOUS, error: true }, { replyTo: where.replyTo });
      return;
    }
    if (name === 'start') return this.onStart(updateId, where, args);
    if (!groups.has(name)) {
      // In groups an unknown command is probably another bot's, unless it names us.
      if (msg.chat.type === 'private' || target) await this.deliver(where, { text: `Unknown command /${name}. Try /help.`, error: true, ephemeral: true });
      return;
    }
    const community = await this.communityFor(msg.chat, from.id);
    if (!community) return this.deliver(where, { text: NO_GROUP, error: true, ephemeral: true });
    const reply = await this.run(updateId, name, args, from, community);
    await this.deliver({ ...where, community }, reply);
  }

  private async onStart(updateId: number, where: Where, payload: string): Promise<void> {
    const link = where.chat.type === 'private' && payload ? decodeStartPayload(payload) : null;
    if (!link) {
      const lines = [
        `👋 Hi ${displayName(where.user)}! I run points, challenges, giveaways, referrals, rewards and NPS polls for Telegram groups.`,
        isGroup(where.chat)
          ? 'Use my commands right here in the group.'
          : 'Add me to your group and use my commands there. In this private chat I act for the group you used me in most recently.',
        'Send /help to see what I can do.',
      ];
      return this.deliver(where, { text: lines.join('\n') });
    }
    const binding = await this.engine.prisma.communityBinding.findUnique({
      where: { platform_externalId: { platform: 'telegram', externalId: link.groupChatId } },
      include: { community: true },
    });
    if (!binding) return this.deliver(where, { text: 'This invite link is not valid: I don\'t know that group. Ask for a new link.', error: true, ephemeral: true });
    const community = { key: link.groupChatId, name: binding.community.name };
    this.lastGroup.set(where.user.id, community);
    const reply = await this.run(updateId, 'referral redeem', { code: link.code }, where.user, community);
    await this.deliver({ ...where, community }, { ...reply, text: `${reply.text}\n\nSend /help to see what I can do in **${binding.community.name}**.` });
  }

  private async onCallback(updateId: number, cq: CallbackQuery): Promise<void> {
    const answer = (text: string, alert: boolean) =>
      this.bot.api.answerCallbackQuery(cq.id, { text: toPlain(text, MAX_CALLBACK_TEXT), show_alert: alert })
        .then(() => undefined, (err: unknown) => this.log(`telegram: answerCallbackQuery: ${(err as Error).message}`));
    const msg = cq.message;
    if (!cq.data || !msg) return answer('This button does not work here.', true);
    const decoded = this.codec.decode(cq.data);
    if (decoded.kind === 'stale') return answer(STALE, true);
    const community = isGroup(msg.chat)
      ? await this.communityFor(msg.chat, cq.from.id)
      : decoded.group ? { key: decoded.group } : await this.privateCommunity(cq.from.id);
    if (!community) return answer(NO_GROUP, true);
    const where: Where = { chat: msg.chat, user: cq.from, replyTo: msg.message_id || undefined, callbackQueryId: cq.id, community };
    if (decoded.kind === 'form') {
      await this.askForm(where, decoded.form, {}, 0);
      return answer(`${decoded.form.title}: reply to my message with your answer.`, false);
    }
    const reply = await this.run(updateId, decoded.command, decoded.args, cq.from, community);
    // The answer is a toast (an alert for errors). Anything more than a short ephemeral note is also sent:
    // public replies to the chat, ephemeral ones with buttons or long text by the ephemeral rule.
    const more = !reply.error && (!reply.ephemeral || !!reply.buttons?.length || !!reply.form || toPlain(reply.text).length > MAX_CALLBACK_TEXT);
    if (more) await this.deliver(where, reply);
    await answer(reply.text, !!reply.error);
  }

  private async onFormReply(updateId: number, msg: Message, from: User, text: string): Promise<void> {
    const key = PendingForms.key(msg.chat.id, from.id, msg.reply_to_message!.message_id);
    const pending = this.forms.peek(key);
    if (!pending) return; // an ordinary reply
    const field = pending.form.fields[pending.field];
    const value = text.trim();
    const where: Where = { chat: msg.chat, user: from, replyTo: msg.message_id, community: pending.community };
    const problem = !value && field.required !== false ? 'Please send some text.'
      : field.maxLength && value.length > field.maxLength ? `That is ${value.length} characters; the limit is ${field.maxLength}.` : null;
    if (problem) {
      await this.askForm(where, pending.form, pending.values, pending.field, `⚠️ ${problem}`);
      this.forms.delete(key);
      return;
    }
    const values = { ...pending.values, [field.name]: value };
    if (pending.field + 1 < pending.form.fields.length) {
      await this.askForm(where, pending.form, values, pending.field + 1);
      this.forms.delete(key);
      return;
    }
    const reply = await this.run(updateId, pending.form.command, { ...pending.form.args, ...values }, from, pending.community);
    this.forms.delete(key);
    await this.deliver(where, reply);
  }

  // ---- engine ----

  private async run(updateId: number, command: string, args: Record<string, unknown> | string, user: User, community: Community): Promise<Reply> {
    const platformRole = await this.roleOf(community.key, user.id);
    const reply = await this.engine.handle({
      platform: 'telegram',
      communityKey: community.key,
      communityName: community.name,
      channelId: community.key,
      actor: { platform: 'telegram', userId: String(user.id), displayName: displayName(user), username: user.username, platformRole },
      command,
      args,
      eventKey: this.eventKey(updateId),
    });
    if (!reply.error && this.engine.resolve(command, args).def?.name === 'referral code') return this.withInviteLink(reply, community, user);
    return reply;
  }

  /** "/referral code" on Telegram also gives the member their t.me invite link. */
  private async withInviteLink(reply: Reply, community: Community, user: User): Promise<Reply> {
    const prisma = this.engine.prisma;
    const binding = await prisma.communityBinding.findUnique({ where: { platform_externalId: { platform: 'telegram', externalId: community.key } } });
    if (!binding) return reply;
    const identity = await prisma.identity.findUnique({
      where: { communityId_platform_platformUserId: { communityId: binding.communityId, platform: 'telegram', platformUserId: String(user.id) } },
      include: { member: true },
    });
    if (!identity) return reply;
    return { ...reply, text: `${reply.text}\nInvite link (opens me and applies your code): ${this.referralLink(community.key, identity.member.referralCode)}` };
  }

  private async communityFor(chat: Chat, userId: number): Promise<Community | null> {
    if (isGroup(chat)) {
      const c = { key: String(chat.id), name: titleOf(chat) };
      this.lastGroup.set(userId, c);
      return c;
    }
    return this.privateCommunity(userId);
  }

  /**
   * A private chat acts for the group the user most recently used the bot in: remembered in memory while
   * the process runs, else the group where their Telegram account was last seen (a read through engine.prisma).
   */
  private async privateCommunity(userId: number): Promise<Community | null> {
    const known = this.lastGroup.get(userId);
    if (known) return known;
    const prisma = this.engine.prisma;
    const identities = await prisma.identity.findMany({
      where: { platform: 'telegram', platformUserId: String(userId) },
      orderBy: [...LAST_SEEN_FIRST],
      select: { communityId: true },
      take: 20,
    });
    for (const { communityId } of identities) {
      // Group and supergroup ids are negative; a private chat is never a community.
      const binding = await prisma.communityBinding.findFirst({
        where: { platform: 'telegram', communityId, externalId: { startsWith: '-' } },
        orderBy: { createdAt: 'desc' },
        include: { community: true },
      });
      if (binding) return { key: binding.externalId, name: binding.community.name };
    }
    return null;
  }

  /** Chat creator/administrator => 'admin' (getChatMember, cached per chat + user). */
  private async roleOf(groupKey: string, userId: number): Promise<Role | undefined> {
    const key = `${groupKey}:${userId}`;
    const now = Date.now();
    const hit = this.roles.get(key);
    if (hit && hit.expiresAt > now) return hit.role;
    let role: Role | undefined;
    try {
      const m = await this.bot.api.getChatMember(Number(groupKey), userId);
      role = m.status === 'creator' || m.status === 'administrator' ? 'admin' : undefined;
    } catch (err) {
      this.log(`telegram: getChatMember ${groupKey}/${userId}: ${(err as Error).message}`);
    }
    this.roles.set(key, { role, expiresAt: now + (this.opts.roleTtlMs ?? 5 * 60_000) });
    if (this.roles.size > 10_000) this.roles.delete(this.roles.keys().next().value!);
    return role;
  }

  // ---- outbound ----

  /**
   * Renders a reply where the interaction happened. Private chat: there. Group, public reply: in the group,
   * as a reply. Group, ephemeral reply: see sendEphemeral. A reply form is asked with force_reply prompts.
   */
  private async deliver(where: Where, reply: Reply): Promise<void> {
    if (reply.form && !reply.error) {
      if (reply.buttons?.length) await this.deliver(where, { ...reply, form: undefined });
      return this.askForm(where, reply.form, {}, 0, reply.buttons?.length ? undefined : reply.text);
    }
    if (!isGroup(where.chat)) {
      await this.sendReply(where.chat.id, reply, { replyTo: where.replyTo, group: where.community?.key });
      return;
    }
    if (!reply.ephemeral) {
      await this.sendReply(where.chat.id, reply, { replyTo: where.replyTo });
      return;
    }
    await this.sendEphemeral(where, reply);
  }

  /**
   * Ephemeral replies in groups, in order of preference:
   * 1. a native ephemeral message (Bot API 10.2) only the user sees, in the group, tied to the button press or
   *    ephemeral command when there is one; skipped for 10 minutes in a chat where Telegram refused it;
   * 2. a private message, when the user has started the bot (Telegram refuses otherwise);
   * 3. a normal reply in the group.
   */
  private async sendEphemeral(where: Where, reply: Reply): Promise<void> {
    const chatId = where.chat.id;
    const user = where.user;
    const now = Date.now();
    const trigger = !!(where.callbackQueryId || where.ephemeralMessageId);
    if (this.opts.nativeEphemeral !== false && (trigger || !((this.noNative.get(chatId) ?? 0) > now))) {
      try {
        await this.sendReply(chatId, reply, {
          extra: {
            ephemeral_message_parameters: { receiver_user_id: user.id, ...(where.callbackQueryId ? { callback_query_id: where.callbackQueryId } : {}) },
            reply_parameters: where.ephemeralMessageId ? { ephemeral_message_id: where.ephemeralMessageId }
              : where.replyTo && !where.callbackQueryId ? { message_id: where.replyTo, allow_sending_without_reply: true } : undefined,
          },
        });
        return;
      } catch (err) {
        if (!refused(err)) throw err;
        if (!trigger) this.noNative.set(chatId, now + NEGATIVE_CACHE_MS);
      }
    }
    if (!((this.noDm.get(user.id) ?? 0) > now)) {
      try {
        const title = titleOf(where.chat);
        await this.sendReply(user.id, reply, { group: where.community?.key, prefixHtml: title ? `<i>${escapeHtml(title)}</i>\n` : '' });
        return;
      } catch (err) {
        if (!refused(err)) throw err;
        this.noDm.set(user.id, now + NEGATIVE_CACHE_MS);
      }
    }
    const mention = !where.replyTo || where.callbackQueryId ? `${mentionHtml(user.id, displayName(user))} ` : '';
    await this.sendReply(chatId, reply, { replyTo: where.replyTo, prefixHtml: mention });
  }

  /** Asks for one form field with a force_reply prompt and remembers the pending form. */
  private async askForm(where: Where, form: Form, values: Record<string, string>, index: number, intro?: string): Promise<void> {
    const field = form.fields[index];
    if (!field || !where.community) return;
    const lines = [
      ...(intro ? [intro, ''] : []),
      `**${form.title}**${form.fields.length > 1 ? ` (${index + 1}/${form.fields.length})` : ''}`,
      `${field.label}${field.maxLength ? ` (up to ${field.maxLength} characters)` : ''}`,
      'Reply to this message with your answer.',
    ];
    const mention = isGroup(where.chat) ? `${mentionHtml(where.user.id, displayName(where.user))}\n` : '';
    const sent = await this.bot.api.sendMessage(where.chat.id, mention + toHtml(lines.join('\n')), {
      parse_mode: 'HTML',
      link_preview_options: { is_disabled: true },
      reply_markup: { force_reply: true, selective: true, input_field_placeholder: clip(field.label, 64) },
      reply_parameters: where.replyTo && !where.callbackQueryId ? { message_id: where.replyTo, allow_sending_without_reply: true } : undefined,
    });
    this.forms.add(PendingForms.key(where.chat.id, where.user.id, sent.message_id), { form, field: index, values, community: where.community });
  }

  private async sendReply(
    chatId: number,
    reply: Reply,
    o: { replyTo?: number; group?: string; prefixHtml?: string; extra?: Record<string, unknown> } = {},
  ): Promise<Message.TextMessage> {
    return this.bot.api.sendMessage(chatId, (o.prefixHtml ?? '') + toHtml((reply.error ? '⚠️ ' : '') + reply.text), {
      parse_mode: 'HTML',
      link_preview_options: { is_disabled: true },
      reply_markup: this.keyboard(reply.buttons, o.group),
      reply_parameters: o.replyTo ? { message_id: o.replyTo, allow_sending_without_reply: true } : undefined,
      ...o.extra,
    });
  }

  /** Reply.buttons as an inline keyboard; in private chats the buttons carry the group they act for. */
  private keyboard(buttons: Button[][] | undefined, group?: string): InlineKeyboardMarkup | undefined {
    const rows = (buttons ?? []).filter((r) => r.length);
    if (!rows.length) return undefined;
    return {
      inline_keyboard: rows.map((row) => row.map((b): InlineKeyboardButton => ({
        text: clip(b.label, 64),
        callback_data: this.codec.encode(b, group),
        ...(b.style && b.style !== 'secondary' ? { style: b.style } : {}),
      }))),
    };
  }
}

/** Called by src/main.ts when TELEGRAM_BOT_TOKEN is set. */
export async function createAdapter(engine: Engine, cfg: Config): Promise<PlatformAdapter> {
  if (!cfg.TELEGRAM_BOT_TOKEN) throw new Error('Configuration error: TELEGRAM_BOT_TOKEN is not set.');
  if (cfg.TELEGRAM_WEBHOOK_URL) {
    if (!cfg.TELEGRAM_WEBHOOK_SECRET) throw new Error('Configuration error: TELEGRAM_WEBHOOK_URL needs TELEGRAM_WEBHOOK_SECRET (A-Z, a-z, 0-9, _ and -).');
    if (!cfg.TELEGRAM_WEBHOOK_URL.startsWith('https://')) throw new Error('Configuration error: TELEGRAM_WEBHOOK_URL must be an https:// URL (Telegram only posts to HTTPS).');
  }
  return new TelegramAdapter(engine, {
    token: cfg.TELEGRAM_BOT_TOKEN,
    webhookUrl: cfg.TELEGRAM_WEBHOOK_URL,
    webhookSecret: cfg.TELEGRAM_WEBHOOK_SECRET,
    port: cfg.TELEGRAM_PORT,
  });
}
