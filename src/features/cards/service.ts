import { txOf, type Scope } from '../../core/scope.js';
import type { Platform } from '../../core/types.js';

/**
 * The card key ("poll:7", "contest:12") of a message the bot posted, if it remembered one (Announcement.card).
 * PostedMessage.channelId is the outbox's address key, "<channel>" or "<channel>/<thread>", so a reaction in a
 * thread still finds its card.
 */
export async function cardOfMessage(s: Scope, platform: Platform, channelId: string, messageId: string): Promise<string | null> {
  const posted = await txOf(s).postedMessage.findMany({ where: { platform, messageId }, take: 5, select: { key: true, channelId: true } });
  // A reaction reports the thread itself as the channel on Discord (a thread is a channel there), the parent elsewhere.
  return posted.find((p) => p.channelId === channelId || p.channelId.startsWith(`${channelId}/`) || p.channelId.endsWith(`/${channelId}`))?.key ?? null;
}
