import type { Api } from 'grammy';
import type { CallbackQuery, MaybeInaccessibleMessage, Message, MessageEntity, MessageReactionUpdated, ReactionType, User, UserFromGetMe } from 'grammy/types';
import type { Engine } from '../../src/engine.js';
import type { CommandDef } from '../../src/core/command.js';
import { LOCALES, type ActivityEvent, type Actor, type Address, type PresenceEvent, type Reply, type Role } from '../../src/core/types.js';
import { lang, type Lang } from '../../src/i18n/index.js';
import { commandDescription, groupDescription } from '../../src/features/help/present.js';
import { buildActivity, reportActivity, visibleLength } from '../shared/activity.js';
import { buildInbound } from '../shared/inbound.js';
import { adapterLang, clip } from '../shared/text.js';
import type { CallbackCodec } from './callbacks.js';
import { decodeStartPayload, referralLink } from './deeplink.js';
import { isGroup, refusalOf, type Community, type Delivery, type Where } from './delivery.js';
import { RefusalNotes } from '../shared/reactions.js';
import { displayName, MAX_CALLBACK_TEXT, toPlain } from './format.js';
import { PendingForms } from './forms.js';
import { serviceMessagePresence } from './presence.js';

/**
 * Routing: Telegram messages, commands, button presses, form replies and /start deep links become core
 * commands for the right community (the group, or in a private chat the group the user used last), and
 * their replies go to delivery. Everything the adapter says itself comes from the `telegram` catalog, in
 * the user's Telegram language.
 */

/**
 * Bot commands for setMyCommands: one per top-level name ("challenge"), described in `L`'s language.
 * Telegram allows [a-z0-9_]{1,32} and descriptions of 3-256 characters, at most 100 commands.
 */
export function telegramCommands(groups: Map<string, CommandDef[]>, L: Lang = lang('en')): { command: string; description: string }[] {
  const out: { command: string; description: string }[] = [];
  for (const [top, defs] of groups) {
    if (!/^[a-z0-9_]{1,32}$/.test(top)) continue;
    const self = defs.find((d) => d.name === top);
    const subs = defs.filter((d) => d !== self).map((d) => d.name.slice(top.length + 1));
    let description: string;
    if (!subs.length) description = self ? commandDescription(L, self) : top;
    else if (subs.length === 1 && !self) description = `${subs[0]}: ${commandDescription(L, defs[0])}`;
    else description = groupDescription(L, top, subs);
    description = clip(description, 256);
    if (description.length < 3) description = description.padEnd(3, '.');
    out.push({ command: top, description });
  }
  return out.slice(0, 100);
}

/** The groups a member can use at least one command of (the menu members see). */
export function membersGroups(groups: Map<string, CommandDef[]>): Map<string, CommandDef[]> {
  return new Map([...groups].filter(([, defs]) => defs.some((d) => d.permission === 'member')));
}

/**
 * The command menu, English by default and in each catalog language for users whose Telegram is set to
 * it: members see the commands they can use; group administrators (who are the bot's admins) see all.
 */
export async function registerCommands(api: Api, groups: Map<string, CommandDef[]>): Promise<void> {
  const menus = [
    { scope: undefined, groups: membersGroups(groups) },
    { scope: { type: 'all_chat_administrators' as const }, groups },
  ];
  for (const menu of menus) {
    for (const locale of LOCALES) {
      await api.setMyCommands(telegramCommands(menu.groups, lang(locale)), {
        ...(menu.scope ? { scope: menu.scope } : {}),
        ...(locale === 'en' ? {} : { language_code: locale }),
      });
    }
  }
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

/** The forum topic a message was posted in (message_thread_id also marks reply threads, which are not topics). */
const topicOf = (msg: MaybeInaccessibleMessage): number | undefined =>
  'is_topic_message' in msg && msg.is_topic_message ? msg.message_thread_id : undefined;

/** Forwarded from someone (forward_origin since Bot API 7.0; forward_from/forward_date before), or a channel post copied into its discussion group. */
const isForwarded = (msg: Message): boolean =>
  ['forward_origin', 'forward_from', 'forward_from_chat', 'forward_sender_name', 'forward_date', 'is_automatic_forward']
    .some((k) => (msg as unknown as Record<string, unknown>)[k] !== undefined);

/** A reaction as one word: the emoji, a custom emoji's id, or "paid" for a paid (star) reaction. */
const reactionKey = (r: ReactionType): string => (r.type === 'emoji' ? r.emoji : r.type === 'custom_emoji' ? r.custom_emoji_id : 'paid');

/** Where a command came from, as the core sees it: the group (and topic), or the private chat. */
function addressOf(where: Where): Address {
  if (!isGroup(where.chat)) return { kind: 'dm', userId: String(where.user.id) };
  return { kind: 'channel', channelId: String(where.chat.id), ...(where.threadId ? { threadId: String(where.threadId) } : {}) };
}

/** A refusal by the adapter itself, worded from the catalog; `key` is also its code. */
const refusal = (L: Lang, key: string, params?: Record<string, unknown>): Reply =>
  ({ text: L.t(key, params), error: { code: key }, ephemeral: true });

export interface RouterOptions {
  /** How long a getChatMember answer is trusted. */
  roleTtlMs: number;
  log: (msg: string) => void;
}

export class Router {
  private readonly roles = new Map<string, { role?: Role; expiresAt: number }>();
  private readonly lastGroup = new Map<number, Community>();
  private readonly refusals = new RefusalNotes();

  constructor(
    private readonly engine: Engine,
    private readonly api: Api,
    private readonly me: () => UserFromGetMe,
    private readonly codec: CallbackCodec,
    private readonly forms: PendingForms,
    private readonly delivery: Delivery,
    private readonly opts: RouterOptions,
  ) {}

  async message(eventKey: string, msg: Message): Promise<void> {
    // A group upgraded to a supergroup: Telegram says so in the old chat and again in the new one.
    if (msg.migrate_to_chat_id && msg.chat.type === 'group') return this.migrate(msg.chat.id, msg.migrate_to_chat_id);
    if (msg.migrate_from_chat_id && msg.chat.type === 'supergroup') return this.migrate(msg.migrate_from_chat_id, msg.chat.id);
    if (msg.new_chat_members || msg.left_chat_member) return this.presence(serviceMessagePresence(msg));
    const from = msg.from;
    const text = msg.text;
    if (!from || !text || !(isGroup(msg.chat) || msg.chat.type === 'private')) return;
    if (msg.chat.type === 'private') this.delivery.started(from.id);
    // A forwarded message is someone else's words: its command never runs as the person forwarding it.
    if (isForwarded(msg)) return;
    const cmd = msg.entities?.[0];
    if (cmd?.type === 'bot_command' && cmd.offset === 0) return this.onCommand(eventKey, msg, from, text, cmd.length);
    const replyTo = msg.reply_to_message;
    if (replyTo && await this.forms.peek(PendingForms.key(msg.chat.id, from.id, replyTo.message_id))) return this.onFormReply(eventKey, msg, from, text);
    if (isGroup(msg.chat)) return this.onGroupMessage(msg, from, text);
  }

  /**
   * A member's ordinary text message in a group -> a 'message' activity event. Messages sent as the group or
   * a channel, by bots, or through an inline bot earn nothing (forwarded ones never get here).
   */
  private async onGroupMessage(msg: Message, from: User, text: string): Promise<void> {
    if (from.is_bot || msg.sender_chat || msg.via_bot) return;
    await this.activity(msg.chat, from, {
      address: { kind: 'channel', channelId: String(msg.chat.id), ...(topicOf(msg) ? { threadId: String(topicOf(msg)) } : {}) },
      kind: 'message',
      eventId: `${msg.chat.id}:${msg.message_id}`,
      length: visibleLength(text),
    });
  }

  /**
   * Reactions a member changed on a group message. Each one added -> a 'reaction' activity event (removed
   * ones earn nothing back; an anonymous admin's reaction has no user and earns nothing). Each emoji added or
   * removed also goes to engine.reaction (a vote on a remembered poll card); a refused added one is told
   * privately, once per message (RefusalNotes), where the member can be written to.
   */
  async reaction(eventKey: string, r: MessageReactionUpdated): Promise<void> {
    const user = r.user;
    if (!user || user.is_bot || !isGroup(r.chat)) return;
    const before = new Set(r.old_reaction.map(reactionKey));
    const after = new Set(r.new_reaction.map(reactionKey));
    for (const key of after) {
      if (before.has(key)) continue;
      await this.activity(r.chat, user, {
        address: { kind: 'channel', channelId: String(r.chat.id) },
        kind: 'reaction',
        eventId: `${r.chat.id}:${r.message_id}:${user.id}:${key}`,
      });
    }
    const emoji = (list: ReactionType[]) => new Set(list.flatMap((t) => (t.type === 'emoji' ? [t.emoji] : [])));
    const [was, is] = [emoji(r.old_reaction), emoji(r.new_reaction)];
    const changes = [...[...is].filter((e) => !was.has(e)).map((e) => ['add', e] as const), ...[...was].filter((e) => !is.has(e)).map((e) => ['remove', e] as const)];
    if (!changes.length) return;
    const space = { key: String(r.chat.id), name: 'title' in r.chat ? r.chat.title : undefined };
    const actor = await this.actorOf(user, space.key);
    for (const [kind, e] of changes) {
      const reply = await this.engine.reaction({
        platform: 'telegram', communityKey: space.key, ...(space.name ? { communityName: space.name } : {}),
        channelId: space.key, messageId: String(r.message_id), emoji: e, actor, kind,
        // One update may carry several changes: each is its own delivery.
        eventKey: `${eventKey}:${kind}:${e}`,
      });
      if (reply?.error && kind === 'add' && this.refusals.first(String(user.id), `${r.chat.id}:${r.message_id}`)) {
        await this.delivery.sendReply(user.id, { ...reply, ephemeral: false }, { group: space.key }).catch((err: unknown) => {
          if (refusalOf(err) === 'transient') throw err;
          this.opts.log(`telegram: could not tell ${user.id} why their reaction was refused: ${(err as Error).message}`);
        });
      }
    }
  }

  /** Hands an activity event for the group to the engine (failures are logged, never thrown). */
  private async activity(chat: Message['chat'], user: User, e: Pick<ActivityEvent, 'address' | 'kind' | 'eventId' | 'length'>): Promise<void> {
    const space = { key: String(chat.id), name: 'title' in chat ? chat.title : undefined };
    const actor = await this.actorOf(user, space.key);
    await reportActivity(this.engine, buildActivity({ platform: 'telegram', space, actor, ...e }), this.opts.log);
  }

  async callback(eventKey: string, cq: CallbackQuery): Promise<void> {
    const L = adapterLang(cq.from.language_code);
    const msg = cq.message;
    if (!cq.data || !msg) return this.delivery.answer(cq.id, L.t('telegram:buttonHere'), true);
    const decoded = this.codec.decode(cq.data, L);
    if (decoded.kind === 'stale') return this.delivery.answer(cq.id, L.t('telegram:stale'), true);
    const community = isGroup(msg.chat)
      ? this.groupCommunity(msg.chat, cq.from.id)
      : decoded.group ? { key: decoded.group } : await this.privateCommunity(cq.from.id);
    if (!community) return this.delivery.answer(cq.id, L.t('telegram:noGroup'), true);
    const where: Where = { chat: msg.chat, user: cq.from, threadId: topicOf(msg), replyTo: msg.message_id || undefined, callbackQueryId: cq.id, community };
    if (decoded.kind === 'form') {
      await this.delivery.askForm(where, decoded.form, {}, 0);
      return this.delivery.answer(cq.id, L.t('telegram:form.toast', { title: decoded.form.title }), false);
    }
    const reply = await this.run(eventKey, decoded.command, decoded.args, where, community);
    // The answer is a toast (an alert for errors). Anything more than a short ephemeral note is also sent:
    // public replies to the chat, ephemeral ones with buttons or long text by the ephemeral rule.
    const more = !reply.error && (!reply.ephemeral || !!reply.buttons?.length || !!reply.selects?.length || !!reply.form || toPlain(reply.text).length > MAX_CALLBACK_TEXT);
    if (more) await this.delivery.deliver(where, reply);
    await this.delivery.answer(cq.id, reply.text, !!reply.error);
  }

  private async onCommand(eventKey: string, msg: Message, from: User, text: string, length: number): Promise<void> {
    const [rawName, target] = text.slice(1, length).split('@');
    if (target && target.toLowerCase() !== this.me().username.toLowerCase()) return; // for another bot
    const name = rawName.toLowerCase();
    const args = argsText(text, msg.entities ?? [], length);
    const groups = this.engine.commandGroups();
    const L = adapterLang(from.language_code);
    const where: Where = {
      chat: msg.chat, user: from, threadId: topicOf(msg),
      replyTo: msg.ephemeral_message_id ? undefined : msg.message_id,
      ephemeralMessageId: msg.ephemeral_message_id,
    };
    if (from.is_bot || msg.sender_chat) {
      // Answered in the group: whoever posts as the group cannot be reached privately.
      if (groups.has(name) || target) await this.delivery.sendReply(msg.chat.id, refusal(L, 'telegram:anonymous'), { replyTo: where.replyTo, threadId: where.threadId });
      return;
    }
    if (name === 'start') return this.onStart(eventKey, where, args);
    if (!groups.has(name)) {
      // In groups an unknown command is probably another bot's, unless it names us.
      if (msg.chat.type === 'private' || target) await this.delivery.deliver(where, refusal(L, 'errors:unknownCommand', { command: name }));
      return;
    }
    const community = isGroup(msg.chat) ? this.groupCommunity(msg.chat, from.id) : await this.privateCommunity(from.id);
    if (!community) return this.delivery.deliver(where, refusal(L, 'telegram:noGroup'));
    const reply = await this.run(eventKey, name, args, where, community);
    await this.delivery.deliver({ ...where, community }, reply);
  }

  /** /start: a greeting, or with a deep-link payload the referral it carries, redeemed in that group's community. */
  private async onStart(eventKey: string, where: Where, payload: string): Promise<void> {
    const L = adapterLang(where.user.language_code);
    const link = where.chat.type === 'private' && payload ? decodeStartPayload(payload) : null;
    if (!link) {
      const lines = [
        L.t('telegram:start.greeting', { name: displayName(where.user) }),
        L.t(isGroup(where.chat) ? 'telegram:start.inGroup' : 'telegram:start.inPrivate'),
        L.t('telegram:start.help'),
      ];
      return this.delivery.deliver(where, { text: lines.join('\n') });
    }
    const known = await this.engine.communityByKey('telegram', link.groupChatId);
    if (!known) return this.delivery.deliver(where, refusal(L, 'telegram:invalidInvite'));
    const community = { key: link.groupChatId, name: known.name };
    this.lastGroup.set(where.user.id, community);
    const reply = await this.run(eventKey, 'referral redeem', { code: link.code }, where, community);
    await this.delivery.deliver({ ...where, community }, { ...reply, text: `${reply.text}\n\n${L.t('telegram:start.helpIn', { community: known.name })}` });
  }

  private async onFormReply(eventKey: string, msg: Message, from: User, text: string): Promise<void> {
    const key = PendingForms.key(msg.chat.id, from.id, msg.reply_to_message!.message_id);
    const pending = await this.forms.peek(key);
    if (!pending) return; // an ordinary reply
    const L = adapterLang(from.language_code);
    const field = pending.form.fields[pending.field];
    const value = text.trim();
    const where: Where = { chat: msg.chat, user: from, threadId: topicOf(msg), replyTo: msg.message_id, community: pending.community };
    const problem = !value && field.required !== false ? L.t('telegram:form.empty')
      : field.maxLength && value.length > field.maxLength ? L.t('telegram:form.tooLong', { length: value.length, max: field.maxLength }) : null;
    if (problem) {
      await this.delivery.askForm(where, pending.form, pending.values, pending.field, `⚠️ ${problem}`);
      await this.forms.delete(key);
      return;
    }
    const values = { ...pending.values, [field.name]: value };
    if (pending.field + 1 < pending.form.fields.length) {
      await this.delivery.askForm(where, pending.form, values, pending.field + 1);
      await this.forms.delete(key);
      return;
    }
    const reply = await this.run(eventKey, pending.form.command, { ...pending.form.args, ...values }, where, pending.community);
    await this.forms.delete(key);
    await this.delivery.deliver(where, reply);
  }

  /**
   * A group became a supergroup with a new chat id: its community follows it (the engine binds the new id;
   * a second call changes nothing), and so do private chats acting for it and messages still addressed
   * to the old id. Throws when the engine fails, so the update is redelivered.
   */
  async migrate(fromChatId: number, toChatId: number): Promise<void> {
    const outcome = await this.engine.moveSpace('telegram', String(fromChatId), String(toChatId));
    if (outcome === 'conflict') {
      this.opts.log(`telegram: group ${fromChatId} became ${toChatId}, which already has its own community in use; both are kept as they are`);
    }
    this.delivery.follow(fromChatId, toChatId);
    if (outcome === 'conflict' || outcome === 'unknown') return;
    const from = String(fromChatId);
    for (const [user, c] of this.lastGroup) if (c.key === from) this.lastGroup.set(user, { ...c, key: String(toChatId) });
  }

  /**
   * Joins and leaves (adapters/telegram/presence.ts) in groups that are a community's; other groups are not
   * recorded. Throws when the engine fails, so the update is redelivered.
   */
  async presence(events: PresenceEvent[]): Promise<void> {
    if (!events.length || !(await this.engine.communityByKey('telegram', events[0].communityKey))) return;
    for (const e of events) await this.engine.presence(e);
  }

  /** Runs a core command for `community` as the user in `where`. */
  private async run(eventKey: string, command: string, args: Record<string, unknown> | string, where: Where, community: Community): Promise<Reply> {
    const user = where.user;
    const reply = await this.engine.handle(buildInbound({
      platform: 'telegram',
      space: community,
      address: addressOf(where),
      actor: await this.actorOf(user, community.key),
      command,
      args,
      eventKey,
    }));
    if (!reply.error && this.engine.resolve(command, args).def?.name === 'referral code') return this.withInviteLink(reply, community, user);
    return reply;
  }

  /** The Telegram user as the core sees them in a group: name, username, admin (getChatMember), language. */
  private async actorOf(user: User, groupKey: string): Promise<Actor> {
    const platformRole = await this.roleOf(groupKey, user.id);
    return { platform: 'telegram', userId: String(user.id), displayName: displayName(user), username: user.username, platformRole, locale: user.language_code };
  }

  /** "/referral code" on Telegram also gives the member their t.me invite link. */
  private async withInviteLink(reply: Reply, community: Community, user: User): Promise<Reply> {
    const code = await this.engine.referralCodeOf('telegram', community.key, String(user.id));
    if (!code) return reply;
    const link = referralLink(this.me().username, community.key, code);
    return { ...reply, text: `${reply.text}\n${adapterLang(user.language_code).t('telegram:inviteLink', { link })}` };
  }

  /** A group is its own community; remembering it lets the user's private chat act for it. */
  private groupCommunity(chat: Message['chat'], userId: number): Community {
    const c = { key: String(chat.id), name: 'title' in chat ? chat.title : undefined };
    this.lastGroup.set(userId, c);
    return c;
  }

  /**
   * A private chat acts for the group the user most recently used the bot in: remembered in memory while
   * the process runs, else the group where their Telegram account was seen last (asked of the engine).
   */
  private async privateCommunity(userId: number): Promise<Community | null> {
    return this.lastGroup.get(userId) ?? (await this.engine.lastGroupOf('telegram', String(userId)));
  }

  /** Chat creator/administrator => 'admin' (getChatMember, cached per chat + user). */
  private async roleOf(groupKey: string, userId: number): Promise<Role | undefined> {
    const key = `${groupKey}:${userId}`;
    const now = Date.now();
    const hit = this.roles.get(key);
    if (hit && hit.expiresAt > now) return hit.role;
    let role: Role | undefined;
    try {
      const m = await this.api.getChatMember(Number(groupKey), userId);
      role = m.status === 'creator' || m.status === 'administrator' ? 'admin' : undefined;
    } catch (err) {
      this.opts.log(`telegram: getChatMember ${groupKey}/${userId}: ${(err as Error).message}`);
    }
    this.roles.set(key, { role, expiresAt: now + this.opts.roleTtlMs });
    if (this.roles.size > 10_000) this.roles.delete(this.roles.keys().next().value!);
    return role;
  }
}
