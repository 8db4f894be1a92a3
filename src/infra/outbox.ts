import { inOwnTx, type Db, type Tx } from '../db/client.js';
import type { Address, Announcement, Notice, Platform, Reply } from '../core/types.js';
import { PROCESS_OWNER } from './owner.js';
import { backoffMs } from './backoff.js';

/**
 * Which community a message is for, and its spaces on the platform (guild, workspace or chat ids it is bound to).
 * `space` is the oldest binding; when there are several, `spaces` lists them all, oldest first (`space` included).
 * A platform where one community spans several spaces (Slack workspaces) finds the one holding the address among
 * `spaces`; the others ignore it.
 */
export interface SendMeta { communityId: string; space?: string; spaces?: string[] }

/** Delivers one rendered message and returns the platform's id for it (when it has one); throws to have it retried later. */
export type OutboxSender = (to: Address, reply: Reply, meta: SendMeta) => Promise<string | void>;

/** A platform's side of the outbox: sending, and editing a card posted earlier (where the platform can). */
export interface OutboxPort {
  send: OutboxSender;
  edit?(to: Address, messageId: string, reply: Reply, meta: SendMeta): Promise<void>;
}

/** What is stored: the notice as data, worded only when it is sent (in the reader's language). */
export interface StoredNotice {
  to: Address;
  notice: Notice;
  memberId?: string;
  /** Remember the posted message under this key (Announcement.card). */
  card?: string;
  /** Edit the message remembered under this key instead of posting (Announcement.edit). */
  edit?: string;
}

/** Words a stored notice for its community (and, for a direct message, its member). */
export type NoticeRenderer = (communityId: string, stored: StoredNotice) => Promise<Reply>;

/** Tries of one message: 15 s, 30 s, 1 min, ... apart, doubling (at most 6 h), over about 8 hours in all. */
export const OUTBOX_RETRY = { maxAttempts: 12, baseMs: 15_000, capMs: 6 * 3_600_000 };
const LOCK_MS = 60_000;

/** A message given up on: where it was going and why, for telling moderators. */
export interface FailedMessage { id: number; communityId: string; platform: Platform; to: Address; attempts: number; error: string }

export const addressKey = (to: Address) => (to.kind === 'dm' ? `dm:${to.userId}` : to.threadId ? `${to.channelId}/${to.threadId}` : to.channelId);

/** Queues a notice in the caller's transaction: it is sent only if the change it announces commits. */
export async function enqueue(tx: Tx, a: Announcement): Promise<void> {
  const stored: StoredNotice = {
    to: a.to, notice: a.notice, ...(a.memberId ? { memberId: a.memberId } : {}), ...(a.card ? { card: a.card } : {}), ...(a.edit ? { edit: a.edit } : {}),
  };
  await tx.outboxMessage.create({
    data: { communityId: a.communityId, platform: a.platform, channelId: addressKey(a.to), payload: JSON.stringify(stored) },
  });
}

/** Rows written before notices were stored as data held a finished reply and a "user:<id>" channel. */
function parseStored(channelId: string, payload: string): StoredNotice | { to: Address; reply: Reply } {
  const p = JSON.parse(payload) as StoredNotice | Reply;
  if ('notice' in p) return p;
  const to: Address = channelId.startsWith('user:') ? { kind: 'dm', userId: channelId.slice(5) } : { kind: 'channel', channelId };
  return { to, reply: p as Reply };
}

/**
 * Claims pending messages for one platform (safe with several bot instances: each row is claimed by a
 * conditional update that records its holder, released at start-up if that process died, see
 * claims.ts), words and sends them in order, and records the outcome. A failed send is retried on a
 * later call, after a delay that doubles with each failure (OUTBOX_RETRY); once it is given up on,
 * `onGaveUp` is told (moderators hear of it). Every write is a transaction of its own (see inOwnTx): a "sent" mark
 * never rides in, and is never rolled back with, a command's transaction.
 */
export async function deliverOutbox(prisma: Db, platform: Platform, port: OutboxSender | OutboxPort, render: NoticeRenderer, now: Date, limit = 50,
  onGaveUp?: (m: FailedMessage) => Promise<void>): Promise<number> {
  const { send, edit } = typeof port === 'function' ? { send: port, edit: undefined } : port;
  const spaces = new Map<string, string[]>();
  const spacesOf = async (communityId: string) => {
    if (!spaces.has(communityId)) {
      const bound = await inOwnTx(prisma, (tx) => tx.communityBinding.findMany({ where: { communityId, platform }, orderBy: [{ createdAt: 'asc' }, { externalId: 'asc' }], select: { externalId: true } }));
      spaces.set(communityId, [...new Set(bound.map((b) => b.externalId))]);
    }
    return spaces.get(communityId)!;
  };
  const due = await inOwnTx(prisma, (tx) => tx.outboxMessage.findMany({
    where: { platform, OR: [{ status: 'pending', OR: [{ nextAt: null }, { nextAt: { lte: now } }] }, { status: 'sending', lockedUntil: { lt: now } }] },
    orderBy: { id: 'asc' },
    take: limit,
  }));
  let sent = 0;
  const started = performance.now();
  for (const msg of due) {
    const claim = await inOwnTx(prisma, (tx) => tx.outboxMessage.updateMany({
      where: { id: msg.id, status: msg.status, attempts: msg.attempts },
      // The lease runs from this claim, not from the start of the batch (slow sends before it use up time).
      data: { status: 'sending', lockedUntil: new Date(now.getTime() + (performance.now() - started) + LOCK_MS), lockedBy: PROCESS_OWNER, attempts: { increment: 1 } },
    }));
    if (claim.count !== 1) continue;
    try {
      const stored = parseStored(msg.channelId, msg.payload);
      const bound = await spacesOf(msg.communityId);
      const meta: SendMeta = { communityId: msg.communityId, ...(bound.length ? { space: bound[0] } : {}), ...(bound.length > 1 ? { spaces: bound } : {}) };
      const card = 'notice' in stored ? stored : undefined;
      let posted: string | void = undefined;
      if (card?.edit) {
        // An edit of a card that was never posted here (or a platform that cannot edit) is dropped, not posted anew.
        const target = await inOwnTx(prisma, (tx) => tx.postedMessage.findUnique({ where: { key_platform_channelId: { key: card.edit!, platform, channelId: msg.channelId } } }));
        if (target && edit) await edit(stored.to, target.messageId, await render(msg.communityId, card), meta);
      } else {
        const reply = 'reply' in stored ? stored.reply : await render(msg.communityId, stored);
        posted = await send(stored.to, reply, meta);
      }
      await inOwnTx(prisma, async (tx) => {
        if (card?.card && posted) {
          const key = { key: card.card, platform, channelId: msg.channelId };
          await tx.postedMessage.upsert({ where: { key_platform_channelId: key }, create: { ...key, messageId: posted, createdAt: now }, update: { messageId: posted } });
        }
        await tx.outboxMessage.update({ where: { id: msg.id }, data: { status: 'sent', sentAt: now, lockedUntil: null, lockedBy: null } });
      });
      sent++;
    } catch (err) {
      const attempts = msg.attempts + 1;
      const failed = attempts >= OUTBOX_RETRY.maxAttempts;
      const error = String((err as Error)?.message ?? err).slice(0, 500);
      // Only while the claim is still this call's: a late failure must not undo another instance's delivery.
      const settled = await inOwnTx(prisma, (tx) => tx.outboxMessage.updateMany({
        where: { id: msg.id, status: 'sending', attempts },
        data: failed
          ? { status: 'failed', failedAt: now, lastError: error, lockedUntil: null, lockedBy: null }
          : { status: 'pending', nextAt: new Date(now.getTime() + backoffMs(attempts, OUTBOX_RETRY)), lastError: error, lockedUntil: null, lockedBy: null },
      }));
      if (failed && settled.count === 1 && onGaveUp) {
        const { to } = parseStored(msg.channelId, msg.payload);
        // A report that fails must not stop the rest of the batch.
        await onGaveUp({ id: msg.id, communityId: msg.communityId, platform, to, attempts, error }).catch(() => undefined);
      }
    }
  }
  return sent;
}
