import type { Db, Tx } from '../db/client.js';
import type { Announcement, Platform, Reply } from '../core/types.js';

export type OutboxSender = (channelId: string, reply: Reply) => Promise<void>;

const MAX_ATTEMPTS = 5;
const LOCK_MS = 60_000;

/** Queues a message in the caller's transaction: it is sent only if the change it announces commits. */
export async function enqueue(tx: Tx, a: Announcement): Promise<void> {
  await tx.outboxMessage.create({
    data: { communityId: a.communityId, platform: a.platform, channelId: a.channelId, payload: JSON.stringify(a.reply) },
  });
}

/**
 * Claims pending messages for one platform (safe with several bot instances: each row is claimed by a
 * conditional update), sends them in order, and records the outcome. A failed send is retried on a later
 * call, up to 5 attempts.
 */
export async function deliverOutbox(prisma: Db, platform: Platform, send: OutboxSender, now: Date, limit = 50): Promise<number> {
  const due = await prisma.outboxMessage.findMany({
    where: { platform, OR: [{ status: 'pending' }, { status: 'sending', lockedUntil: { lt: now } }] },
    orderBy: { id: 'asc' },
    take: limit,
  });
  let sent = 0;
  for (const msg of due) {
    const claim = await prisma.outboxMessage.updateMany({
      where: { id: msg.id, status: msg.status, attempts: msg.attempts },
      data: { status: 'sending', lockedUntil: new Date(now.getTime() + LOCK_MS), attempts: { increment: 1 } },
    });
    if (claim.count !== 1) continue;
    try {
      await send(msg.channelId, JSON.parse(msg.payload) as Reply);
      await prisma.outboxMessage.update({ where: { id: msg.id }, data: { status: 'sent', sentAt: now, lockedUntil: null } });
      sent++;
    } catch (err) {
      const failed = msg.attempts + 1 >= MAX_ATTEMPTS;
      await prisma.outboxMessage.update({
        where: { id: msg.id },
        data: { status: failed ? 'failed' : 'pending', lastError: String((err as Error)?.message ?? err).slice(0, 500), lockedUntil: null },
      });
    }
  }
  return sent;
}
