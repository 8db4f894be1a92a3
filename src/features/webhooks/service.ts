import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { txOf, type Scope } from '../../core/scope.js';
import { UserError } from '../../core/errors.js';
import { sqlRun } from '../../db/fast.js';
import { WEBHOOK_EVENTS, type WebhookEvent, type WebhookPayload } from './kinds.js';
import { isPrivateAddress, literalAddress, privateAllowed } from '../../infra/webhook-address.js';
import { doubling } from '../../infra/backoff.js';

/*
 * Outgoing webhooks of a community (managed on the dashboard) and their delivery queue. The delivery loop
 * (src/infra/webhooks.ts) claims rows here, POSTs them and settles each attempt here; every settle is a
 * conditional update on the claim it holds, so a late or lost claim never overwrites another instance's work.
 */

export const MAX_ATTEMPTS = 10;
const FIRST_RETRY_MS = 30_000;
const MAX_RETRY_MS = 6 * 3_600_000;

export interface WebhookRow { id: number; url: string; events: string[]; active: boolean; createdAt: Date }
export interface DeliveryRow {
  id: number; webhookId: number; url: string; event: string; status: string; attempts: number; nextAt: Date;
  lastStatus: number | null; lastError: string | null; createdAt: Date; deliveredAt: Date | null;
}

/**
 * https only; plain http to this machine only where private networks are allowed (development, tests,
 * WEBHOOK_ALLOW_PRIVATE=1), or anywhere with WEBHOOK_ALLOW_HTTP=1 (a network the operator trusts).
 */
const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
const urlSchema = z.string().trim().max(2000).url().refine((u) => {
  const url = new URL(u);
  if (url.username || url.password) return false;
  if (url.protocol === 'https:') return true;
  if (url.protocol !== 'http:') return false;
  return process.env.WEBHOOK_ALLOW_HTTP === '1' || (LOCAL_HOSTS.has(url.hostname) && privateAllowed());
}).refine((u) => {
  // A literal private address is refused at once; names are checked before each request (infra/webhook-address.ts).
  const ip = literalAddress(new URL(u));
  return !ip || !isPrivateAddress(ip) || privateAllowed();
});
const eventsSchema = z.array(z.enum(WEBHOOK_EVENTS)).min(1);

const parseEvents = (json: string): string[] => {
  try { return (JSON.parse(json) as unknown[]).filter((e): e is string => typeof e === 'string'); } catch { return []; }
};

/** Subscribed webhooks' events JSON parsed once per text (emitting runs inside hot commands). */
const parsedEvents = new Map<string, Set<string>>();
function eventsOf(json: string): Set<string> {
  let set = parsedEvents.get(json);
  if (!set) {
    set = new Set(parseEvents(json));
    if (parsedEvents.size > 1000) parsedEvents.clear();
    parsedEvents.set(json, set);
  }
  return set;
}

/**
 * Queues `event` for every active webhook of the community that subscribed to it, in the caller's
 * transaction, so an event is sent if and only if the change it reports commits. `key` names what happened
 * (e.g. "challenge.approved:42"); a key already queued is skipped.
 */
export async function emitEvent(s: Scope, communityId: string, event: WebhookEvent, key: string, data: Record<string, unknown>): Promise<void> {
  const hooks = await txOf(s).webhook.findMany({ where: { communityId, active: true }, select: { id: true, events: true } });
  const wanted = hooks.filter((h) => eventsOf(h.events).has(event));
  if (!wanted.length) return;
  const payload: WebhookPayload = { id: key, event, communityId, occurredAt: s.now.toISOString(), data };
  const body = JSON.stringify(payload);
  for (const h of wanted) {
    await sqlRun(txOf(s),
      'INSERT INTO "WebhookDelivery" ("webhookId", "communityId", "event", "eventKey", "payload", "status", "attempts", "nextAt", "createdAt") ' +
      'VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?) ON CONFLICT ("webhookId", "eventKey") DO NOTHING',
      [h.id, communityId, event, key, body, 'pending', s.now, s.now]);
  }
}

/**
 * Marks a form's one-time value as used, in this transaction (a ProcessedEvent row): false if it was used
 * before. Two racing submissions clash on the key; the engine retries the loser, which then sees the row.
 * (Like api/service's useOnce; not imported from there, as services emitting events load this file.)
 */
async function useOnce(s: Scope, key: string): Promise<boolean> {
  const tx = txOf(s);
  if (await tx.processedEvent.findUnique({ where: { key } })) return false;
  await tx.processedEvent.create({ data: { key, reply: '{}', createdAt: s.now } });
  return true;
}

export type CreatedWebhook = { ok: true; id: number; secret: string } | { ok: false; reason: 'repeat' };

/** A new webhook with a fresh signing secret (returned this once); bad input is refused, nothing written. */
export async function createWebhook(s: Scope, communityId: string, memberId: string, input: { url: string; events: string[] }, once: string): Promise<CreatedWebhook> {
  const url = urlSchema.safeParse(input.url);
  if (!url.success) throw new UserError('webApi:error.url', {}, 'url');
  const events = eventsSchema.safeParse([...new Set(input.events)]);
  if (!events.success) throw new UserError('webApi:error.events', {}, 'events');
  if (!(await useOnce(s, `web:webhook:${communityId}:${once}`))) return { ok: false, reason: 'repeat' };
  const secret = `whsec_${randomBytes(32).toString('base64url')}`;
  const row = await txOf(s).webhook.create({
    data: { communityId, url: url.data, secret, events: JSON.stringify(events.data), createdById: memberId, createdAt: s.now },
  });
  return { ok: true, id: row.id, secret };
}

export async function listWebhooks(s: Scope, communityId: string): Promise<WebhookRow[]> {
  const rows = await txOf(s).webhook.findMany({ where: { communityId }, orderBy: { id: 'asc' }, take: 100 });
  return rows.map((w) => ({ id: w.id, url: w.url, events: parseEvents(w.events), active: w.active, createdAt: w.createdAt }));
}

/** Turns a webhook on or off once (conditional on the state it had); false when it already was, or is not this community's. */
export async function setWebhookActive(s: Scope, communityId: string, id: number, active: boolean): Promise<boolean> {
  const r = await txOf(s).webhook.updateMany({ where: { id, communityId, active: !active }, data: { active } });
  return r.count === 1;
}

/** Deletes a webhook and its queue; false when it was already gone. A delivery in flight settles nothing afterwards. */
export async function deleteWebhook(s: Scope, communityId: string, id: number): Promise<boolean> {
  const tx = txOf(s);
  const r = await tx.webhook.deleteMany({ where: { id, communityId } });
  if (r.count !== 1) return false;
  await tx.webhookDelivery.deleteMany({ where: { webhookId: id } });
  return true;
}

/** Queues a `ping` to one webhook (even a disabled one's row waits until it is enabled). `once` makes a resent form queue one. */
export async function pingWebhook(s: Scope, communityId: string, id: number, once: string): Promise<boolean> {
  const tx = txOf(s);
  const hook = await tx.webhook.findFirst({ where: { id, communityId } });
  if (!hook) return false;
  const key = `ping:${once}`;
  if (await tx.webhookDelivery.findUnique({ where: { webhookId_eventKey: { webhookId: id, eventKey: key } } })) return true;
  const payload: WebhookPayload = { id: key, event: 'ping', communityId, occurredAt: s.now.toISOString(), data: { webhookId: id } };
  await tx.webhookDelivery.create({
    data: { webhookId: id, communityId, event: 'ping', eventKey: key, payload: JSON.stringify(payload), status: 'pending', attempts: 0, nextAt: s.now, createdAt: s.now },
  });
  return true;
}

/** A failed delivery gets one more attempt now (conditional on still being failed). */
export async function retryDelivery(s: Scope, communityId: string, id: number): Promise<boolean> {
  const r = await txOf(s).webhookDelivery.updateMany({ where: { id, communityId, status: 'failed' }, data: { status: 'pending', nextAt: s.now } });
  return r.count === 1;
}

/** The community's latest deliveries, newest first. */
export async function recentDeliveries(s: Scope, communityId: string, limit = 50): Promise<DeliveryRow[]> {
  const tx = txOf(s);
  const rows = await tx.webhookDelivery.findMany({ where: { communityId }, orderBy: { id: 'desc' }, take: limit });
  const hooks = await tx.webhook.findMany({ where: { id: { in: [...new Set(rows.map((r) => r.webhookId))] } }, select: { id: true, url: true } });
  const urls = new Map(hooks.map((h) => [h.id, h.url]));
  return rows.map((r) => ({
    id: r.id, webhookId: r.webhookId, url: urls.get(r.webhookId) ?? '', event: r.event, status: r.status, attempts: r.attempts, nextAt: r.nextAt,
    lastStatus: r.lastStatus, lastError: r.lastError, createdAt: r.createdAt, deliveredAt: r.deliveredAt,
  }));
}

/* The delivery queue, for src/infra/webhooks.ts. */

/** A claimed delivery: what to POST where, and the claim's fence (holder and attempt number). */
export interface ClaimedDelivery { id: number; webhookId: number; event: string; payload: string; url: string; secret: string; attempt: number; owner: string }

/** Due rows of enabled webhooks: pending and due, or claimed by a holder whose lease ran out. */
export async function dueDeliveries(s: Scope, limit: number) {
  const tx = txOf(s);
  const hooks = await tx.webhook.findMany({ where: { active: true }, select: { id: true } });
  if (!hooks.length) return [];
  return tx.webhookDelivery.findMany({
    where: {
      webhookId: { in: hooks.map((h) => h.id) },
      OR: [{ status: 'pending', nextAt: { lte: s.now } }, { status: 'sending', lockedUntil: { lt: s.now } }],
    },
    orderBy: [{ nextAt: 'asc' }, { id: 'asc' }],
    take: limit,
    select: { id: true, status: true, attempts: true },
  });
}

/**
 * Claims one row as it was read (same status and attempt count): counts the attempt, records the holder and
 * the lease. Null when another instance took it first, or its webhook was disabled or deleted meanwhile.
 */
export async function claimDelivery(s: Scope, row: { id: number; status: string; attempts: number }, owner: string, leaseMs: number): Promise<ClaimedDelivery | null> {
  const tx = txOf(s);
  const claim = await tx.webhookDelivery.updateMany({
    where: { id: row.id, status: row.status, attempts: row.attempts },
    data: { status: 'sending', attempts: row.attempts + 1, lockedBy: owner, lockedUntil: new Date(s.now.getTime() + leaseMs) },
  });
  if (claim.count !== 1) return null;
  const d = await tx.webhookDelivery.findUniqueOrThrow({ where: { id: row.id } });
  const hook = await tx.webhook.findUnique({ where: { id: d.webhookId } });
  if (!hook?.active) {
    // Back in the queue untouched: it goes once the webhook is enabled again.
    await tx.webhookDelivery.updateMany({ where: { id: d.id, status: 'sending', lockedBy: owner, attempts: row.attempts + 1 }, data: { status: 'pending', attempts: row.attempts, lockedBy: null, lockedUntil: null } });
    return null;
  }
  return { id: d.id, webhookId: d.webhookId, event: d.event, payload: d.payload, url: hook.url, secret: hook.secret, attempt: row.attempts + 1, owner };
}

/** 30 s, 1 min, 2 min, ... doubling up to 6 h, plus up to a fifth more at random so retries spread out. */
export function retryDelay(attempt: number, random: (n: number) => number): number {
  const base = doubling(attempt, FIRST_RETRY_MS, MAX_RETRY_MS);
  return base + random(Math.floor(base / 5) + 1);
}

export type AttemptOutcome = { ok: true; status: number } | { ok: false; status: number | null; error: string; gone?: boolean };

/**
 * Records one attempt's outcome while the claim still holds: delivered on 2xx; on 410 Gone the webhook is
 * disabled and the row failed; otherwise retried with backoff, failed after MAX_ATTEMPTS. False when the
 * claim was lost (taken over after its lease, or the webhook deleted): nothing is written then.
 */
export async function settleDelivery(s: Scope, d: ClaimedDelivery, outcome: AttemptOutcome): Promise<boolean> {
  const tx = txOf(s);
  const mine = { id: d.id, status: 'sending', lockedBy: d.owner, attempts: d.attempt };
  const free = { lockedBy: null, lockedUntil: null };
  if (outcome.ok) {
    const r = await tx.webhookDelivery.updateMany({ where: mine, data: { ...free, status: 'delivered', deliveredAt: s.now, lastStatus: outcome.status, lastError: null } });
    return r.count === 1;
  }
  const giveUp = outcome.gone || d.attempt >= MAX_ATTEMPTS;
  const r = await tx.webhookDelivery.updateMany({
    where: mine,
    data: {
      ...free, status: giveUp ? 'failed' : 'pending', lastStatus: outcome.status, lastError: outcome.error.slice(0, 500),
      ...(giveUp ? {} : { nextAt: new Date(s.now.getTime() + retryDelay(d.attempt, s.random)) }),
    },
  });
  if (r.count === 1 && outcome.gone) await tx.webhook.updateMany({ where: { id: d.webhookId, active: true }, data: { active: false } });
  return r.count === 1;
}

export type { WebhookPayload };
