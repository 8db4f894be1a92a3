/* The events a brand team can receive by webhook, and the body POSTed for each (no database here: pages read it too). */

export const WEBHOOK_EVENTS = ['poll.answered', 'poll.voted', 'referral.qualified', 'challenge.approved', 'giveaway.ended', 'reward.redeemed', 'thanks.given'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/** The body POSTed to a webhook (JSON); `id` is stable across retries, so receivers can drop repeats. */
export interface WebhookPayload { id: string; event: WebhookEvent | 'ping'; communityId: string; occurredAt: string; data: Record<string, unknown> }
