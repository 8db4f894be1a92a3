import { txOf, type Scope } from '../../core/scope.js';
import type { Platform } from '../../core/types.js';
import type { FailedMessage } from '../../infra/outbox.js';
import { lockCommunity, tellStaff } from '../members/service.js';

/* Announcements the bot gave up on: moderators are told, so a missing permission does not go unnoticed. */

const REPORT_EVERY_MS = 86_400_000;

export type DeliveryNotice = { type: 'delivery.failed'; community: string; platform: Platform; channel: string; attempts: number; error: string };

/**
 * A channel post was given up on: each admin and moderator hears of it by direct message, once a day per
 * channel, also during an outage of several days (under the community lock, so two instances giving up at once report once). A direct message
 * to a member that failed (their DMs closed) is not reported: nobody can do anything about it.
 */
export async function reportGaveUp(s: Scope, m: FailedMessage): Promise<boolean> {
  if (m.to.kind !== 'channel') return false;
  const tx = txOf(s);
  await lockCommunity(s, m.communityId);
  const channelKey = m.to.threadId ? `${m.to.channelId}/${m.to.threadId}` : m.to.channelId;
  // Told within the last day: not again. A long outage is reported again each day (the last report is recorded).
  const earlier = await tx.outboxMessage.findFirst({
    where: { communityId: m.communityId, platform: m.platform, channelId: channelKey, reportedAt: { gt: new Date(s.now.getTime() - REPORT_EVERY_MS) } },
    select: { id: true },
  });
  if (earlier) return false;
  await tx.outboxMessage.update({ where: { id: m.id }, data: { reportedAt: s.now } });
  const c = await tx.community.findUniqueOrThrow({ where: { id: m.communityId }, select: { name: true } });
  const notice: DeliveryNotice = { type: 'delivery.failed', community: c.name, platform: m.platform, channel: m.to.channelId, attempts: m.attempts, error: m.error.slice(0, 200) };
  await tellStaff(s, m.communityId, notice);
  return true;
}
