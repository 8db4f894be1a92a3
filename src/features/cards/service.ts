import { txOf, type Scope } from '../../core/scope.js';
import type { Platform } from '../../core/types.js';

/**
 * The card key ("poll:7", "contest:12") of a message the bot posted, if it remembered one (Announcement.card).
 * PostedMessage.channelId is the outbox's address key, "<channel>" or "<channel>/<thread>", so a reaction in a
 * thread still finds its card.
 */
export async function cardOfMessage(s: Scope, platform: Platform, channelId: string, messageId: string): Promise<string | null> {
  // The channel is part of the query: Telegram numbers messages per chat, so one message id is in many chats. A
  // reaction reports the thread itself as the channel on Discord (a thread is a channel there), the parent elsewhere.
  const posted = await txOf(s).postedMessage.findFirst({
    where: { platform, messageId, OR: [{ channelId }, { channelId: { startsWith: `${channelId}/` } }, { channelId: { endsWith: `/${channelId}` } }] },
    select: { key: true },
  });
  return posted?.key ?? null;
}
