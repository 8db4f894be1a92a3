import { inOwnTx, type Db } from '../db/client.js';
import { holderIsGone, PROCESS_OWNER } from './owner.js';

/**
 * Start-up: frees the scheduled jobs, outbox messages and webhook deliveries claimed by a process that is gone, so they run
 * now instead of waiting out their lock (5 minutes for a job). A holder is gone when it is on this host
 * and its pid is not alive, or it is an earlier run of this process (owner.ts). With `exclusive` (a
 * SQLite file, which lockDatabase keeps to this one process) every holder but this process is gone.
 * Each row is released only while it is still held by the holder judged gone.
 */
export async function releaseDeadClaims(prisma: Db, opts: { exclusive: boolean; self?: string }): Promise<{ jobs: number; outbox: number; webhooks: number }> {
  const self = opts.self ?? PROCESS_OWNER;
  return inOwnTx(prisma, async (tx) => {
    const held = [
      ...(await tx.scheduledJob.findMany({ where: { status: 'pending', lockedBy: { not: null } }, select: { lockedBy: true }, distinct: ['lockedBy'] })),
      ...(await tx.outboxMessage.findMany({ where: { status: 'sending', lockedBy: { not: null } }, select: { lockedBy: true }, distinct: ['lockedBy'] })),
      ...(await tx.webhookDelivery.findMany({ where: { status: 'sending', lockedBy: { not: null } }, select: { lockedBy: true }, distinct: ['lockedBy'] })),
    ].map((r) => r.lockedBy!);
    const dead = [...new Set(held)].filter((h) => h !== self && (opts.exclusive || holderIsGone(h, self)));
    if (!dead.length) return { jobs: 0, outbox: 0, webhooks: 0 };
    const jobs = await tx.scheduledJob.updateMany({ where: { status: 'pending', lockedBy: { in: dead } }, data: { lockedUntil: null, lockedBy: null } });
    const outbox = await tx.outboxMessage.updateMany({ where: { status: 'sending', lockedBy: { in: dead } }, data: { status: 'pending', lockedUntil: null, lockedBy: null } });
    // The attempt count stays: that try may have reached the receiver (it drops repeats by the event id).
    const webhooks = await tx.webhookDelivery.updateMany({ where: { status: 'sending', lockedBy: { in: dead } }, data: { status: 'pending', lockedUntil: null, lockedBy: null } });
    return { jobs: jobs.count, outbox: outbox.count, webhooks: webhooks.count };
  });
}

/**
 * Clean shutdown: this process lets go of what it still holds (its pump and tick have stopped, so nothing
 * of it is in flight), so another instance takes those jobs and messages now rather than after the lock.
 */
export async function releaseOwnClaims(prisma: Db, self: string = PROCESS_OWNER): Promise<{ jobs: number; outbox: number; webhooks: number }> {
  return inOwnTx(prisma, async (tx) => {
    const jobs = await tx.scheduledJob.updateMany({ where: { status: 'pending', lockedBy: self }, data: { lockedUntil: null, lockedBy: null } });
    const outbox = await tx.outboxMessage.updateMany({ where: { status: 'sending', lockedBy: self }, data: { status: 'pending', lockedUntil: null, lockedBy: null } });
    const webhooks = await tx.webhookDelivery.updateMany({ where: { status: 'sending', lockedBy: self }, data: { status: 'pending', lockedUntil: null, lockedBy: null } });
    return { jobs: jobs.count, outbox: outbox.count, webhooks: webhooks.count };
  });
}
