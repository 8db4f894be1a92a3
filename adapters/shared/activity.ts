import type { ActivityEvent, Actor, Address, Platform } from '../../src/core/types.js';
import type { Space } from './inbound.js';

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** The one way adapters build what they hand to engine.activity() (the activity twin of buildInbound). */
export function buildActivity(p: {
  platform: Platform;
  space: Space;
  address: Address;
  actor: Actor;
  kind: ActivityEvent['kind'];
  eventId: string;
  length?: number;
  minutes?: number;
}): ActivityEvent {
  return {
    platform: p.platform,
    communityKey: p.space.key,
    ...(p.space.name ? { communityName: p.space.name } : {}),
    address: p.address,
    actor: p.actor,
    kind: p.kind,
    eventId: p.eventId,
    ...(p.length !== undefined ? { length: p.length } : {}),
    ...(p.minutes !== undefined ? { minutes: p.minutes } : {}),
  };
}

/**
 * How long a message looks to a reader, in grapheme clusters (an emoji or a Hangul syllable counts 1):
 * whitespace runs count 1 and the ends are trimmed. Markup tokens a client shows as one thing (a Discord
 * mention or custom emoji "<:name:id>", a Slack "<@U123>") count 1, and a Slack link "<url|label>" counts
 * as its label; Slack's &amp; &lt; &gt; count 1.
 */
export function visibleLength(text: string, markup: 'discord' | 'slack' | 'plain' = 'plain'): number {
  let t = text;
  if (markup === 'slack') t = t.replace(/<[^<>|\s]+\|([^<>]*)>/g, '$1').replace(/&(amp|lt|gt);/g, '&');
  if (markup !== 'plain') t = t.replace(/<[^<>\s]+>/g, '\u25a1');
  t = t.replace(/\s+/g, ' ').trim();
  let n = 0;
  for (const _ of segmenter.segment(t)) n++;
  return n;
}

/**
 * Hands an activity event to the engine and logs (never throws) when it fails: activity is best effort
 * and a failure must not break the adapter's event loop. A redelivery with the same eventId pays once.
 */
export async function reportActivity(engine: { activity(e: ActivityEvent): Promise<void> }, e: ActivityEvent, log: (msg: string) => void): Promise<void> {
  try {
    await engine.activity(e);
  } catch (err) {
    log(`${e.platform}: activity ${e.kind} ${e.eventId} failed: ${(err as Error)?.message ?? err}`);
  }
}
