import { Routes, type MessageReaction, type PartialMessageReaction, type PartialUser, type REST, type User } from 'discord.js';
import type { ReactionEvent } from '../../src/core/types.js';
import { discordActor, permissionsOf, roleIds } from './activity.js';

/**
 * Reactions both ways: the emoji the bot puts under a card it posted (Reply.reactions, an emoji poll's
 * answers), and members' reactions to a server message as engine.reaction events (a vote on a remembered
 * poll card). Activity points for reactions are separate (./activity.ts, reactionActivity).
 */

/**
 * A member's reaction added or removed in a server channel -> a ReactionEvent; null for the bot's own
 * reactions (and other bots'), custom emoji (engine.reaction takes Unicode emoji only) and direct messages.
 * Discord gives a reaction event no id of its own, so there is no eventKey: `poll vote` add/remove is
 * applied as a state (adding a vote that is there changes nothing), so a replayed event is harmless.
 */
export function reactionEvent(r: MessageReaction | PartialMessageReaction, user: User | PartialUser, kind: ReactionEvent['kind'], botId?: string): ReactionEvent | null {
  const guild = r.message.guild;
  if (!guild || user.bot || user.id === botId || r.emoji.id || !r.emoji.name) return null;
  // Only the bot's own messages can be cards: a cached message by someone else needs no look-up.
  if (!r.message.partial && botId && r.message.author && r.message.author.id !== botId) return null;
  const member = guild.members.cache.get(user.id);
  if (member?.user.bot) return null;
  const roles = roleIds(member);
  return {
    platform: 'discord',
    communityKey: guild.id,
    ...(guild.name ? { communityName: guild.name } : {}),
    channelId: r.message.channelId,
    messageId: r.message.id,
    emoji: r.emoji.name,
    actor: { ...discordActor(user, member, permissionsOf(member)), ...(roles ? { roles } : {}) },
    kind,
  };
}

/**
 * Adds the reply's emoji under a posted message, one after another in their order (Discord shows them
 * in the order they were added). A refusal (a removed emoji, missing Add Reactions permission) is logged
 * and the rest are still tried: the message itself was posted, so the send must not fail or be retried.
 */
export async function addReactions(rest: REST, channelId: string, messageId: string, emoji: string[] | undefined, log: (m: string) => void): Promise<void> {
  for (const e of emoji ?? []) {
    try {
      await rest.put(Routes.channelMessageOwnReaction(channelId, messageId, encodeURIComponent(e)));
    } catch (err) {
      log(`discord: could not add reaction ${e} to message ${messageId} in ${channelId}: ${(err as Error)?.message ?? err}`);
    }
  }
}
