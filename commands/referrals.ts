import { defineCommand, opt } from '../src/core/command.js';
import { redeemReferral, referralStats, REFERRAL_WINDOW_DAYS } from '../src/features/referrals/service.js';
import { codeReply, redeemedReply } from '../src/features/referrals/present.js';

export const referralCode = defineCommand({
  name: 'referral code',
  permission: 'member',
  readOnly: true,
  options: {},
  async run(ctx) {
    const s = await referralStats(ctx, ctx.community.id, ctx.member.id);
    return codeReply(ctx.lang, {
      code: ctx.member.referralCode, days: REFERRAL_WINDOW_DAYS,
      referrerReward: ctx.community.referrerReward, refereeReward: ctx.community.refereeReward, ...s,
    });
  },
});

export const referralRedeem = defineCommand({
  name: 'referral redeem',
  permission: 'member',
  options: { code: opt.string({ max: 20, pattern: /^[A-Za-z0-9]+$/, patternCode: 'lettersDigits' }) },
  async run(ctx, { code }) {
    return redeemedReply(ctx.lang, await redeemReferral(ctx, ctx.community, ctx.member, code));
  },
});
