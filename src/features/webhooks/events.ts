import type { Scope } from '../../core/scope.js';
import { queueEvent } from './service.js';
import type { WebhookEvent } from './kinds.js';

export { WEBHOOK_EVENTS, type WebhookEvent, type WebhookPayload } from './kinds.js';

/*
 * Events a brand team can receive by webhook. Services emit them inside their transaction: a delivery row per
 * subscribed webhook is written with the change itself, so an event is sent if and only if it happened.
 */

/**
 * Queues `event` for every active webhook of the community that subscribed to it. `key` names what
 * happened (e.g. "challenge.approved:42"); the same key twice queues nothing more.
 */
export function emitEvent(s: Scope, communityId: string, event: WebhookEvent, key: string, data: Record<string, unknown>): Promise<void> {
  return queueEvent(s, communityId, event, key, data);
}
