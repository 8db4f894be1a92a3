import type { Chat, ChatMember, ChatMemberUpdated, Message, User } from 'grammy/types';
import type { Actor, PresenceEvent } from '../../src/core/types.js';
import { isGroup } from './delivery.js';
import { displayName } from './format.js';

/**
 * Joins and leaves in a group, as presence events for its community. Telegram tells in two ways: a
 * chat_member update (only where the bot is an administrator, and only when asked for in allowed_updates)
 * and the "joined" / "left" service messages (not always sent in large groups). Both may come for one
 * join; engine.presence takes the second as the same fact. Telegram gives no account creation time.
 */

const isIn = (m: ChatMember): boolean =>
  m.status === 'creator' || m.status === 'administrator' || m.status === 'member' || (m.status === 'restricted' && m.is_member);

const actorOf = (u: User): Actor => ({
  platform: 'telegram', userId: String(u.id), displayName: displayName(u), username: u.username, locale: u.language_code,
});

function event(chat: Chat, user: User, kind: PresenceEvent['kind'], date: number): PresenceEvent {
  return {
    platform: 'telegram',
    communityKey: String(chat.id),
    communityName: 'title' in chat ? chat.title : undefined,
    actor: actorOf(user),
    kind,
    at: new Date(date * 1000),
  };
}

/** A chat_member update: a join (now in, before not), a leave (before in, now left or banned), else nothing. */
export function chatMemberPresence(u: ChatMemberUpdated): PresenceEvent | null {
  const user = u.new_chat_member.user;
  if (user.is_bot || !isGroup(u.chat)) return null;
  const was = isIn(u.old_chat_member);
  const is = isIn(u.new_chat_member);
  if (was === is) return null;
  return event(u.chat, user, is ? 'join' : 'leave', u.date);
}

/** The "joined" / "left" service messages of a group. */
export function serviceMessagePresence(msg: Message): PresenceEvent[] {
  if (!isGroup(msg.chat)) return [];
  const joined = (msg.new_chat_members ?? []).filter((u) => !u.is_bot).map((u) => event(msg.chat, u, 'join', msg.date));
  const left = msg.left_chat_member && !msg.left_chat_member.is_bot ? [event(msg.chat, msg.left_chat_member, 'leave', msg.date)] : [];
  return [...joined, ...left];
}
