import { settingsParser } from '../../core/parse-once.js';
import { z } from 'zod';

/**
 * A community's activity rules (Community.activity, JSON): what taking part in chat earns and the
 * anti-farming limits. Every field has a default, so "{}" (the column default) is the default rule set.
 */
export const activityRulesSchema = z.object({
  /** Seconds after a paid message before the member's next message pays again. */
  cooldownSec: z.number().int().min(0).max(86_400).default(60),
  /** Points per message: random in [minPoints, maxPoints] (the engine's random). */
  minPoints: z.number().int().min(0).max(1000).default(1),
  maxPoints: z.number().int().min(0).max(1000).default(3),
  /** Shortest message that pays, in visible characters, where the platform shows the content. */
  minLength: z.number().int().min(0).max(4000).default(5),
  /** Most activity points per member and local day in the community's zone (0: no cap). */
  dailyCap: z.number().int().min(0).max(1_000_000).default(100),
  /** Channels where nothing earns. */
  noEarnChannels: z.array(z.string().max(100)).max(200).default([]),
  /** Channel id -> factor applied to what is earned there. */
  multipliers: z.record(z.string().max(100), z.number().min(0).max(10)).default({}),
  /** Times when earnings are multiplied (e.g. a double-points weekend). */
  bonusWindows: z.array(z.object({ start: z.coerce.date(), end: z.coerce.date(), multiplier: z.number().min(0).max(10) })).max(50).default([]),
  /** Points per reaction added (0: reactions earn nothing). */
  reactionPoints: z.number().int().min(0).max(1000).default(0),
  /** Points per whole minute in a voice channel (0: voice earns nothing). */
  voicePerMinute: z.number().int().min(0).max(1000).default(0),
  /** Extra points on each day that extends a streak to streakDays or more local days in a row (0: off). */
  streakBonus: z.number().int().min(0).max(100_000).default(5),
  streakDays: z.number().int().min(2).max(365).default(3),
});

export type ActivityRules = z.infer<typeof activityRulesSchema>;

/**
 * The stored rules with defaults filled in; a column that no longer parses reads as the defaults. Every activity
 * event reads them: parsed once per JSON text, shared (copy before changing).
 */
export const parseRules = settingsParser(activityRulesSchema);

/** The multiplier in force for a channel at a moment: the channel's factor times every bonus window that covers it. */
export function multiplierAt(rules: ActivityRules, channelId: string | undefined, at: Date): number {
  let m = channelId !== undefined && Object.hasOwn(rules.multipliers, channelId) ? rules.multipliers[channelId] : 1;
  for (const w of rules.bonusWindows) if (w.start.getTime() <= at.getTime() && at.getTime() < w.end.getTime()) m *= w.multiplier;
  return m;
}

export { localDay } from '../../core/time.js';

/** The local day before `day`. */
export function dayBefore(day: string): string {
  // Calendar arithmetic on the date alone (UTC has no DST), without building a zoned DateTime.
  const t = Date.parse(`${day}T00:00:00Z`);
  return Number.isNaN(t) ? '' : new Date(t - 86_400_000).toISOString().slice(0, 10);
}

/** "<#123>", "<#C123|general>", "#123" or "123" -> the channel id. */
export const channelRef = (ref: string): string => ref.trim().replace(/^<#([^|>]+)(\|[^>]*)?>$/, '$1').replace(/^#/, '');
