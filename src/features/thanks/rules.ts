import { settingsParser } from '../../core/parse-once.js';
import { z } from 'zod';

/**
 * A community's peer-thanks rules (Community.thanksRules, JSON). Every field has a default, so "{}" (the
 * column default) is the default rule set.
 */
export const thanksRulesSchema = z.object({
  /** Points each member may give a local day; unused points are gone at local midnight (never saved up). */
  daily: z.number().int().min(1).max(1000).default(5),
  /** Most points one member may give one other member in a local week (Monday start). */
  pairWeekly: z.number().int().min(1).max(100_000).default(10),
  /** Most points in one thanks. */
  max: z.number().int().min(1).max(1000).default(5),
});

export type ThanksRules = z.infer<typeof thanksRulesSchema>;

/** The stored rules with defaults filled in; a column that no longer parses reads as the defaults. Shared: copy before changing. */
export const parseThanksRules = settingsParser(thanksRulesSchema);

/** A reason is required: long enough to say something, short enough for one line. */
export const REASON_MIN = 3;
export const REASON_MAX = 200;
