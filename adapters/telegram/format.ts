/** Text rendering for Telegram: parse_mode HTML, where only **bold** becomes markup and everything else is escaped. */
import type { User } from 'grammy/types';
import { clip } from '../shared/text.js';

// Telegram counts lengths (message text, button labels, toasts, descriptions) in UTF-16 units, as clip does.

/** Telegram accepts 4096 characters per message (after entity parsing); leave room for the markup we add. */
export const MAX_TEXT = 4000;
/** answerCallbackQuery shows at most 200 characters. */
export const MAX_CALLBACK_TEXT = 200;

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Core markup (**bold** only) to Telegram HTML: everything is escaped, then **x** becomes <b>x</b>. */
export function toHtml(text: string, max = MAX_TEXT): string {
  return escapeHtml(clip(text, max)).replace(/\*\*([\s\S]+?)\*\*/g, '<b>$1</b>');
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
