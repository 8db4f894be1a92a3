import { GrammyError, type Api } from 'grammy';
import type { ChatMember } from 'grammy/types';
import type { AccessOutcome, AccessTask } from '../../src/core/types.js';

/**
 * Tier access on Telegram: a private group or channel (kind 'telegram.chat', target = its chat id).
 * A grant is a one-time invite link (one use, valid one day) that the core sends the member by direct
 * message: Telegram lets no bot add a user to a chat. A removal bans and at once unbans the member, so
 * they are out but may come back with a new link when they reach the tier again.
 */

const LINK_TTL_S = 24 * 60 * 60;

/** Already in the chat: nothing to invite them to. */
const inChat = (m: ChatMember): boolean =>
  m.status === 'creator' || m.status === 'administrator' || m.status === 'member' || (m.status === 'restricted' && m.is_member);

/** What a Telegram refusal means for an access task (see AccessOutcome). */
export function accessOutcomeOf(err: unknown): AccessOutcome {
  // Network trouble (grammY's HttpError) or anything that is not Telegram's answer: try again later.
  if (!(err instanceof GrammyError)) return { ok: false, reason: 'retry', detail: (err as Error)?.message ?? String(err) };
  const detail = err.description;
  if (err.error_code === 429 || err.error_code >= 500) return { ok: false, reason: 'retry', detail };
  // Gone, or out of a bot's reach for good (a chat administrator cannot be banned by a bot): nothing to do.
  if (/user not found|participant_id_invalid|user_id_invalid|chat not found|user is deactivated|peer_id_invalid|user is an administrator|can't remove chat owner/i.test(detail)) {
    return { ok: false, reason: 'gone', detail };
  }
  if (err.error_code === 403 || /not enough rights|chat_admin_required|have no rights|need administrator rights|bot is not a member/i.test(detail)) {
    return { ok: false, reason: 'noPermission', detail };
  }
  // Any other 400 is not expected: retried with backoff, and its text kept with the attempt.
  return { ok: false, reason: 'retry', detail };
}

/** The applier engine.deliverAccess('telegram', ...) hands each task to. */
export function telegramAccess(api: Api, now: () => Date = () => new Date()): (task: AccessTask) => Promise<AccessOutcome> {
  return async (task) => {
    if (task.kind !== 'telegram.chat') return { ok: false, reason: 'gone', detail: `not a Telegram access kind: ${task.kind}` };
    const chatId = Number(task.target);
    const userId = Number(task.platformUserId);
    if (!Number.isSafeInteger(chatId) || !Number.isSafeInteger(userId)) return { ok: false, reason: 'gone', detail: `bad id ${task.target}/${task.platformUserId}` };
    try {
      if (task.action === 'remove') {
        await api.banChatMember(chatId, userId);
        await api.unbanChatMember(chatId, userId, { only_if_banned: true });
        return { ok: true };
      }
      // Already in (added by hand, or came back with an earlier link): no link needed. A failed look-up
      // is not a reason to stop, the invite below tells.
      const member = await api.getChatMember(chatId, userId).catch(() => undefined);
      if (member && inChat(member)) return { ok: true };
      // Removed before (or banned by hand): lifted, else the link would not let them in.
      await api.unbanChatMember(chatId, userId, { only_if_banned: true });
      const link = await api.createChatInviteLink(chatId, {
        name: `tier ${task.platformUserId}`.slice(0, 32),
        member_limit: 1,
        expire_date: Math.floor(now().getTime() / 1000) + LINK_TTL_S,
      });
      return { ok: true, inviteLink: link.invite_link };
    } catch (err) {
      return accessOutcomeOf(err);
    }
  };
}
