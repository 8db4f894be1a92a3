import { txOf, type Scope } from '../../core/scope.js';
import { sqlRun } from '../../db/fast.js';

/* Events a brand team can receive by webhook. Services emit them inside their transaction: a delivery row per
 * subscribed webhook is written with the change itself, so an event is sent if and only if it happened. */

export const WEBHOOK_EVENTS = ['poll.answered', 'referral.qualified', 'challenge.approved', 'giveaway.ended', 'reward.redeemed'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/** The body POSTed to a webhook (JSON); `id` is stable across retries, so receivers can drop repeats. */
export interface WebhookPayload { id: string; event: WebhookEvent; communityId: string; occurredAt: string; data: Record<string, unknown> }

/** Subscribed webhooks' events JSON parsed once per text. */
const parsedEvents = new Map<string, Set<string>>();
function eventsOf(json: string): Set<string> {
  let set = parsedEvents.get(json);
  if (!set) {
    try { set = new Set((JSON.parse(json) as unknown[]).filter((e): e is string => typeof e === 'string')); } catch { set = new Set(); }
    if (parsedEvents.size > 1000) parsedEvents.clear();
    parsedEvents.set(json, set);
  }
  return set;
}

/**
 * Queues `event` for every active webhook of the community that subscribed to it. `key` names what
 * happened (e.g. "challenge.approved:42"); the same key twice queues nothing more.
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
