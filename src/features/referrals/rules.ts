import { settingsParser } from '../../core/parse-once.js';
import { z } from 'zod';

/**
 * A community's referral rules (Community.referralRules, JSON): when a referral is paid, who may still use a
 * code, and how many a referrer may bring in. Every field has a default, so "{}" (the column default) is the
 * default rule set.
 */
export const referralRulesSchema = z.object({
  /** Days the new member must stay before the referral is paid. */
  minDays: z.number().int().min(0).max(365).default(3),
  /** Activity points (ledger kind 'activity') the new member must earn after using the code. */
  minActivity: z.number().int().min(0).max(1_000_000).default(20),
  /** Youngest account that may use a code (its platform age, or since the platform first showed it to us). */
  minAccountAgeDays: z.number().int().min(0).max(3650).default(7),
  /** Most new referrals per referrer and local day / month in the community's zone (0: no cap). */
  perDay: z.number().int().min(0).max(10_000).default(5),
  perMonth: z.number().int().min(0).max(100_000).default(30),
  /** Days after we first saw a member during which they may use a code; also how long a referral may stay pending. */
  windowDays: z.number().int().min(1).max(365).default(30),
  /** A paid referral is taken back when the new member leaves within this many days of qualifying (0: never). */
  clawbackDays: z.number().int().min(0).max(365).default(30),
});

export type ReferralRules = z.infer<typeof referralRulesSchema>;

/** The stored rules with defaults filled in; a column that no longer parses reads as the defaults. Shared: copy before changing. */
export const parseReferralRules = settingsParser(referralRulesSchema);

/** Rules under which a referral is paid the moment it is made (nothing to wait for). */
export const paysAtOnce = (r: ReferralRules) => r.minDays === 0 && r.minActivity === 0;
