import type { Lang } from '../../i18n/index.js';
import type { Reply } from '../../core/types.js';
import type { Redeemed } from './service.js';
import { paysAtOnce, type ReferralRules } from './rules.js';

export interface CodeInfo {
  code: string;
  rules: ReferralRules;
  referrerReward: number;
  refereeReward: number;
  /** Paid referrals still standing, pending ones, and the points they earned (net of take-backs). */
  referred: number;
  pending: number;
  earned: number;
}

/** The caps on new referrals per referrer (0: none), a line only when there is one. */
function capsLines(L: Lang, r: ReferralRules): string[] {
  if (r.perDay && r.perMonth) return [L.t('referrals:rules.capsBoth', { day: r.perDay, month: r.perMonth })];
  if (r.perDay) return [L.t('referrals:rules.capsDay', { count: r.perDay })];
  return r.perMonth ? [L.t('referrals:rules.capsMonth', { count: r.perMonth })] : [];
}

/** The rules a referral follows, one line each: when it pays, who may use a code, the caps, take-backs. */
function ruleLines(L: Lang, r: ReferralRules): string[] {
  return [
    paysAtOnce(r) ? L.t('referrals:rules.atOnce') : L.t('referrals:rules.qualify', { days: r.minDays, points: r.minActivity }),
    L.t('referrals:rules.window', { days: r.windowDays }),
    ...(r.minAccountAgeDays ? [L.t('referrals:rules.age', { days: r.minAccountAgeDays })] : []),
    ...capsLines(L, r),
    r.clawbackDays ? L.t('referrals:rules.clawback', { days: r.clawbackDays }) : L.t('referrals:rules.cancelOnly'),
  ];
}

/** A member's own code, what it pays both sides and when, and what it has brought in so far. */
export const codeReply = (L: Lang, c: CodeInfo): Reply => ({
  text: [
    L.t('referrals:code.yours', { code: c.code }),
    L.t('referrals:code.how', { code: c.code, refereeReward: c.refereeReward, referrerReward: c.referrerReward }),
    ...ruleLines(L, c.rules),
    L.t('referrals:code.soFar', { count: c.referred, earned: c.earned }),
    ...(c.pending ? [L.t('referrals:code.pending', { count: c.pending })] : []),
  ].join('\n'),
  ephemeral: true,
});

export const redeemedReply = (L: Lang, r: Redeemed): Reply => ({
  text: [
    L.t('referrals:welcome', { name: r.referrerName }),
    ...(r.status === 'pending'
      ? [L.t('referrals:welcomePending', { name: r.referrerName, reward: r.refereeReward, referrerReward: r.referrerReward, days: r.minDays, points: r.minActivity })]
      : r.refereeBalance !== undefined ? [L.t('referrals:welcomeReward', { count: r.refereeReward, balance: r.refereeBalance })] : []),
  ].join(' '),
  ephemeral: true,
});

/** /referral settings: the rules in force. */
export const rulesReply = (L: Lang, r: ReferralRules): Reply => ({ text: [L.t('referrals:rules.title'), ...ruleLines(L, r)].join('\n'), ephemeral: true });
