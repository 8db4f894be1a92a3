import { GrammyError, type Api } from 'grammy';
import type { Chat, InlineKeyboardButton, InlineKeyboardMarkup, Message, User } from 'grammy/types';
import type { Address, Button, Form, Reply } from '../../src/core/types.js';
import { adapterLang, clip, withFormButton, withSelectFallback } from '../shared/text.js';
import type { CallbackCodec } from './callbacks.js';
import { displayName, escapeHtml, htmlToPlain, mentionHtml, MAX_CALLBACK_TEXT, MAX_TEXT, messageHtml, toHtml, toPlain } from './format.js';
import { PendingForms } from './forms.js';

/**
 * Delivery: turns replies into Telegram messages (HTML text, inline keyboards, force_reply form prompts)
 * where the interaction happened, with the rules for ephemeral replies in groups, and posts outbox
 * announcements to an Address.
 */

/** The group a command acts for (communityKey = its chat id). */
export interface Community { key: string; name?: string }

/** Where a reply goes: the chat the interaction happened in, who did it, and the group it acts for. */
export interface Where {
  chat: Chat;
  user: User;
  /** The forum topic the interaction happened in. */
  threadId?: number;
  /** The user's message to reply to (absent for ephemeral command messages). */
  replyTo?: number;
  /** The user's command arrived as an ephemeral message (Bot API 10.2 ephemeral commands). */
  ephemeralMessageId?: number;
  /** The button press being answered. */
  callbackQueryId?: string;
  /** The group whose community is acted on. */
  community?: Community;
}

export const isGroup = (chat: Chat) => chat.type === 'group' || chat.type === 'supergroup';

/** The chat (and forum topic) of an address; throws for anything that is not a Telegram chat id. */
function chatOf(to: Address): { chatId: number; threadId?: number } {
  const chatId = to.kind === 'dm' ? to.userId : to.channelId;
  const threadId = to.kind === 'channel' ? to.threadId : undefined;
  if (!CHAT_ID.test(chatId) || (threadId !== undefined && !/^\d{1,20}$/.test(threadId))) {
    throw new Error(`Not a Telegram chat id: ${chatId}${threadId ? `/${threadId}` : ''}`);
  }
  return { chatId: Number(chatId), ...(threadId ? { threadId: Number(threadId) } : {}) };
}
const titleOf = (chat: Chat) => ('title' in chat ? chat.title : undefined);
const CHAT_ID = /^-?\d{1,20}$/;
const NEGATIVE_CACHE_MS = 10 * 60_000;
/** Stands for the user's mention in the "open a private chat" hint until the catalog text is escaped. */
const MENTION = '\uE000';

/**
 * Why Telegram refused a message, which decides what happens next:
 * - unreachable: the user cannot be written to privately (never started the bot, blocked it, unknown);
 * - ours: our text was wrong (too long, broken markup, empty), a bug: fixed and sent again;
 * - migrated: the group became a supergroup with a new chat id;
 * - refused: any other 400/403: logged, nothing is sent elsewhere instead;
 * - transient: rate limits, Telegram or network trouble: thrown, so the update or the outbox retries.
 */
export type Refusal = 'unreachable' | 'ours' | 'migrated' | 'refused' | 'transient';

export function refusalOf(err: unknown): Refusal {
  if (!(err instanceof GrammyError)) return 'transient';
  if (err.parameters?.migrate_to_chat_id) return 'migrated';
  const d = err.description.toLowerCase();
  if (/bot can't initiate conversation|bot was blocked by the user|chat not found|user is deactivated/.test(d)) return 'unreachable';
  if (/message is too long|can't parse entities|message text is empty/.test(d)) return 'ours';
  return err.error_code === 400 || err.error_code === 403 ? 'refused' : 'transient';
}

type SendOther = NonNullable<Parameters<Api['sendMessage']>[2]>;

interface SendOptions {
  replyTo?: number;
  /** In a private chat, the group the buttons act for. */
  group?: string;
  threadId?: number;
  prefixHtml?: string;
  extra?: Record<string, unknown>;
}

export interface DeliveryOptions {
  nativeEphemeral?: boolean;
  log: (msg: string) => void;
  /** The bot's username, for the "open a private chat" button. */
  botUsername: () => string;
  /** A group turned out to be a supergroup now (Telegram refused a message with migrate_to_chat_id). */
  onMigrated?: (fromChatId: number, toChatId: number) => Promise<void>;
}

export class Delivery {
  private readonly noDm = new Map<number, number>();
  private readonly noNative = new Map<number, number>();
  /** Groups that became supergroups: old chat id -> new chat id. */
  private readonly moved = new Map<number, number>();

  constructor(
    private readonly api: Api,
    private readonly codec: CallbackCodec,
    private readonly forms: PendingForms,
    private readonly opts: DeliveryOptions,
  ) {}

  /** The user wrote to the bot privately, so private messages to them work now. */
  started(userId: number): void {
    this.noDm.delete(userId);
  }

  /** Messages for a group that became a supergroup go to its new chat id from now on. */
  follow(fromChatId: number, toChatId: number): void {
    if (fromChatId !== toChatId) this.moved.set(fromChatId, toChatId);
  }

  /**
   * Posts an announcement to a group (or one of its forum topics) or privately, and returns its message_id
   * (kept for cards, to edit them later). Buttons in a private chat act for the community's group (`space`,
   * the group's chat id: a prize claim button). Throws on failure so the outbox retries.
   */
  async send(to: Address, reply: Reply, space?: string): Promise<string> {
    const { chatId, threadId } = chatOf(to);
    const group = to.kind === 'dm' && space && CHAT_ID.test(space) ? space : undefined;
    const sent = await this.sendReply(chatId, { ...reply, buttons: withFormButton(reply) }, { threadId, group });
    return String(sent.message_id);
  }

  /**
   * Edits a card posted by send: its text and inline keyboard (a reply without buttons removes the keyboard).
   * "Message is not modified" is success; a message that is gone or can no longer be edited, or any other
   * refusal, is logged and dropped (it would never work); a passing failure throws so the outbox retries.
   */
  async edit(to: Address, messageId: string, reply: Reply, space?: string): Promise<void> {
    const { chatId } = chatOf(to);
    const target = this.moved.get(chatId) ?? chatId;
    const html = messageHtml((reply.error ? '⚠️ ' : '') + reply.text);
    const group = to.kind === 'dm' && space && CHAT_ID.test(space) ? space : undefined;
    const markup = this.keyboard(withSelectFallback({ ...reply, buttons: withFormButton(reply) }), group);
    const other = { link_preview_options: { is_disabled: true }, ...(markup ? { reply_markup: markup } : {}) };
    try {
      await this.api.editMessageText(target, Number(messageId), html, { parse_mode: 'HTML', ...other });
    } catch (err) {
      if (err instanceof GrammyError && /message is not modified/i.test(err.description)) return;
      const why = refusalOf(err);
      if (why === 'transient') throw err;
      if (why === 'ours') {
        this.opts.log(`telegram: editMessageText in ${target} refused our text (${(err as GrammyError).description}); edited again as plain text`);
        await this.api.editMessageText(target, Number(messageId), htmlToPlain(html), other).catch((again: unknown) => {
          if (refusalOf(again) === 'transient') throw again;
        });
        return;
      }
      this.opts.log(`telegram: could not edit message ${messageId} in ${target} (${(err as GrammyError).description}); the edit is dropped`);
    }
  }

  /** Answers a button press: a toast, or an alert for refusals. Never throws (an old query cannot be answered). */
  async answer(callbackQueryId: string, text: string, alert: boolean): Promise<void> {
    await this.api.answerCallbackQuery(callbackQueryId, { text: toPlain(text, MAX_CALLBACK_TEXT), show_alert: alert })
      .catch((err: unknown) => this.opts.log(`telegram: answerCallbackQuery: ${(err as Error).message}`));
  }

  /**
   * Renders a reply where the interaction happened. Private chat: there. Group, public reply: in the group,
   * as a reply. Group, ephemeral reply: see sendEphemeral. A reply form is asked with force_reply prompts;
   * the reply's own text goes first by the same rules when it has buttons or is ephemeral in a group (the
   * prompt itself is public there, so it never carries an ephemeral text).
   */
  async deliver(where: Where, reply: Reply): Promise<void> {
    if (reply.form && !reply.error) {
      const apart = !!reply.buttons?.length || !!reply.selects?.length || (!!reply.ephemeral && isGroup(where.chat));
      if (apart) await this.deliver(where, { ...reply, form: undefined });
      return this.askForm(where, reply.form, {}, 0, apart ? undefined : reply.text);
    }
    if (!isGroup(where.chat)) {
      await this.sendReply(where.chat.id, reply, { replyTo: where.replyTo, group: where.community?.key });
      return;
    }
    if (!reply.ephemeral) {
      await this.sendReply(where.chat.id, reply, { replyTo: where.replyTo, threadId: where.threadId });
      return;
    }
    await this.sendEphemeral(where, reply);
  }

  /** Sends one reply to a chat, as HTML with its keyboard (refusals are marked ⚠️), prefix included within Telegram's limit. */
  async sendReply(chatId: number, reply: Reply, o: SendOptions = {}): Promise<Message.TextMessage> {
    return this.post(chatId, messageHtml((reply.error ? '⚠️ ' : '') + reply.text, o.prefixHtml), {
      // Telegram has no select menus: a select is shown as its fallback buttons.
      reply_markup: this.keyboard(withSelectFallback(reply), o.group),
      reply_parameters: o.replyTo ? { message_id: o.replyTo, allow_sending_without_reply: true } : undefined,
      ...(o.threadId ? { message_thread_id: o.threadId } : {}),
      ...o.extra,
    });
  }

  /**
   * Asks for one form field with a force_reply prompt (worded in the user's Telegram language) and
   * remembers the pending form; the answer is the user's reply to the prompt.
   */
  async askForm(where: Where, form: Form, values: Record<string, string>, index: number, intro?: string): Promise<void> {
    const field = form.fields[index];
    if (!field || !where.community) return;
    const L = adapterLang(where.user.language_code);
    const step = form.fields.length > 1 ? ` ${L.t('telegram:form.step', { n: index + 1, total: form.fields.length })}` : '';
    const ask = [
      `**${form.title}**${step}`,
      field.maxLength ? L.t('telegram:form.fieldMax', { label: field.label, max: field.maxLength }) : field.label,
      L.t('telegram:form.reply'),
    ].join('\n');
    // A long intro is what gets shortened, never the question.
    const text = intro ? `${clip(intro, MAX_TEXT - ask.length - 80)}\n\n${ask}` : ask;
    const group = isGroup(where.chat);
    const mention = group ? `${mentionHtml(where.user.id, displayName(where.user))}\n` : '';
    const sent = await this.post(where.chat.id, messageHtml(text, mention), {
      reply_markup: { force_reply: true, selective: true, input_field_placeholder: clip(field.label, 64) || undefined },
      reply_parameters: where.replyTo && !where.callbackQueryId ? { message_id: where.replyTo, allow_sending_without_reply: true } : undefined,
      ...(group && where.threadId ? { message_thread_id: where.threadId } : {}),
    });
    await this.forms.add(PendingForms.key(where.chat.id, where.user.id, sent.message_id), { form, field: index, values, community: where.community });
  }

  /**
   * sendMessage as HTML, correcting what Telegram tells us: a group that became a supergroup is followed
   * to its new chat id (and its community with it), and text Telegram could not take (too long, broken
   * markup) is our bug: logged, and sent once more to the same chat as plain text within the limit.
   */
  private async post(chatId: number, html: string, other: SendOther): Promise<Message.TextMessage> {
    const to = this.moved.get(chatId) ?? chatId;
    const base = { link_preview_options: { is_disabled: true }, ...other };
    try {
      return await this.api.sendMessage(to, html, { parse_mode: 'HTML', ...base });
    } catch (err) {
      const why = refusalOf(err);
      if (why === 'migrated' && to === chatId) {
        const next = Number((err as GrammyError).parameters.migrate_to_chat_id);
        this.follow(chatId, next);
        await this.opts.onMigrated?.(chatId, next);
        return this.post(chatId, html, other);
      }
      if (why !== 'ours') throw err;
      this.opts.log(`telegram: sendMessage to ${to} refused our text (${(err as GrammyError).description}); sent again as plain text`);
      return this.api.sendMessage(to, htmlToPlain(html), base);
    }
  }

  /**
   * Ephemeral replies in groups, in order of preference:
   * 1. a native ephemeral message (Bot API 10.2) only the user sees, in the group, tied to the button press or
   *    ephemeral command when there is one; skipped for 10 minutes in a chat where Telegram refused it;
   * 2. a private message, headed by the group's name, the whole within Telegram's limit;
   * 3. when the user cannot be reached privately (never started the bot, blocked it): a short hint in the
   *    group to open a private chat, without the reply. An ephemeral reply never becomes public: any other
   *    refusal of the private message is logged, and a passing failure is thrown so the update is retried.
   */
  private async sendEphemeral(where: Where, reply: Reply): Promise<void> {
    const chatId = where.chat.id;
    const user = where.user;
    const now = Date.now();
    const trigger = !!(where.callbackQueryId || where.ephemeralMessageId);
    if (this.opts.nativeEphemeral !== false && (trigger || !((this.noNative.get(chatId) ?? 0) > now))) {
      try {
        await this.sendReply(chatId, reply, {
          threadId: where.threadId,
          extra: {
            ephemeral_message_parameters: { receiver_user_id: user.id, ...(where.callbackQueryId ? { callback_query_id: where.callbackQueryId } : {}) },
            reply_parameters: where.ephemeralMessageId ? { ephemeral_message_id: where.ephemeralMessageId }
              : where.replyTo && !where.callbackQueryId ? { message_id: where.replyTo, allow_sending_without_reply: true } : undefined,
          },
        });
        return;
      } catch (err) {
        if (refusalOf(err) === 'transient') throw err;
        if (!trigger) this.noNative.set(chatId, now + NEGATIVE_CACHE_MS);
      }
    }
    if (!((this.noDm.get(user.id) ?? 0) > now)) {
      try {
        const title = titleOf(where.chat);
        await this.sendReply(user.id, reply, { group: where.community?.key, prefixHtml: title ? `<i>${escapeHtml(clip(title, 64))}</i>\n` : '' });
        return;
      } catch (err) {
        const why = refusalOf(err);
        if (why === 'transient') throw err;
        if (why !== 'unreachable') {
          this.opts.log(`telegram: private reply to ${user.id} refused (${(err as Error).message}); not posted in the group`);
          return;
        }
        this.noDm.set(user.id, now + NEGATIVE_CACHE_MS);
      }
    }
    await this.askToStartPrivately(where);
  }

  /** In the group: "@name, open a private chat with me to see this", with a button that opens it. Never the reply itself. */
  private async askToStartPrivately(where: Where): Promise<void> {
    const user = where.user;
    const L = adapterLang(user.language_code);
    const html = toHtml(L.t('telegram:startPrivately', { name: MENTION })).replace(MENTION, mentionHtml(user.id, displayName(user)));
    await this.post(where.chat.id, html, {
      reply_markup: { inline_keyboard: [[{ text: L.t('telegram:openPrivateChat'), url: `https://t.me/${this.opts.botUsername()}` }]] },
      reply_parameters: where.replyTo ? { message_id: where.replyTo, allow_sending_without_reply: true } : undefined,
      ...(where.threadId ? { message_thread_id: where.threadId } : {}),
    });
  }

  /** Reply.buttons as an inline keyboard; in private chats the buttons carry the group they act for. */
  private keyboard(buttons: Button[][] | undefined, group?: string): InlineKeyboardMarkup | undefined {
    const rows = (buttons ?? []).filter((r) => r.length);
    if (!rows.length) return undefined;
    return {
      inline_keyboard: rows.map((row) => row.map((b): InlineKeyboardButton => ({
        text: clip(b.label, 64) || '…',
        callback_data: this.codec.encode(b, group),
        ...(b.style && b.style !== 'secondary' ? { style: b.style } : {}),
      }))),
    };
  }
}
