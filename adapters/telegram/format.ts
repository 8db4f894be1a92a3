/** Text rendering for Telegram: parse_mode HTML, where only **bold** becomes markup and everything else is escaped. */
import type { User } from 'grammy/types';
import { clip } from '../shared/text.js';

// Telegram counts lengths (message text, button labels, toasts, descriptions) in UTF-16 units, as clip does.

/** Telegram accepts 1-4096 characters per message, counted after entity parsing (the visible text). */
export const MAX_TEXT = 4096;
/** answerCallbackQuery shows at most 200 characters. */
export const MAX_CALLBACK_TEXT = 200;

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Core markup (**bold** only) to Telegram HTML: everything is escaped, then **x** becomes <b>x</b>. */
export function toHtml(text: string, max = MAX_TEXT): string {
  return escapeHtml(clip(text, max)).replace(/\*\*([\s\S]+?)\*\*/g, '<b>$1</b>');
}

/** How many characters Telegram counts for our HTML: the text left once tags are parsed and entities decoded. */
export function visibleLength(html: string): number {
  return html.replace(/<[^>]*>/g, '').replace(/&(?:lt|gt|amp|quot|#\d+);/g, '.').length;
}

/**
 * One message: HTML we built ourselves (a mention, the group's name) followed by core text, which is
 * clipped so that the whole message, prefix included, stays within Telegram's limit.
 */
export function messageHtml(text: string, prefixHtml = ''): string {
  return prefixHtml + toHtml(text, Math.max(1, MAX_TEXT - visibleLength(prefixHtml)));
}

/** Our HTML as plain text within the limit: the retry when Telegram could not take the HTML. */
export function htmlToPlain(html: string): string {
  const text = html.replace(/<[^>]*>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
  return clip(text, MAX_TEXT);
}

/** Core markup to plain text (callback query answers cannot be formatted). */
export function toPlain(text: string, max = Infinity): string {
  const plain = text.replace(/\*\*([\s\S]+?)\*\*/g, '$1');
  return max === Infinity ? plain : clip(plain, max);
}

/** An HTML mention of a user by id (works without a username). */
export function mentionHtml(userId: number, name: string): string {
  return `<a href="tg://user?id=${userId}">${escapeHtml(clip(name || String(userId), 64))}</a>`;
}

/** How a Telegram user is named: first and last name, else the username, else the id. */
export const displayName = (u: User): string => [u.first_name, u.last_name].filter(Boolean).join(' ') || u.username || String(u.id);
