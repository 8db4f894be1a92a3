import type { Lang } from '../../i18n/index.js';
import type { Reply } from '../../core/types.js';
import type { Redeemed } from './service.js';

export interface CodeInfo {
  code: string;
  days: number;
  referrerReward: number;
  refereeReward: number;
  referred: number;
  earned: number;
}

/** A member's own code, what it pays both sides, and what it has brought in so far. */
export const codeReply = (L: Lang, c: CodeInfo): Reply => ({
  text: [
    L.t('referrals:code.yours', { code: c.code }),
    L.t('referrals:code.how', { code: c.code, days: c.days, refereeReward: c.refereeReward, referrerReward: c.referrerReward }),
    L.t('referrals:code.soFar', { count: c.referred, earned: c.earned }),
  ].join('\n'),
  ephemeral: true,
});

export const redeemedReply = (L: Lang, r: Redeemed): Reply => ({
  text: [
    L.t('referrals:welcome', { name: r.referrerName }),
    ...(r.refereeBalance !== undefined ? [L.t('referrals:welcomeReward', { count: r.refereeReward, balance: r.refereeBalance })] : []),
  ].join(' '),
  ephemeral: true,
});
