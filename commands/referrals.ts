import { defineCommand, opt } from '../src/core/command.js';
import { redeemReferral, referralRules, referralStats, updateReferralRules, type ReferralRulesChange } from '../src/features/referrals/service.js';
import { codeReply, redeemedReply, rulesReply } from '../src/features/referrals/present.js';

export const referralCode = defineCommand({
  name: 'referral code',
  permission: 'member',
  readOnly: true,
  options: {},
  async run(ctx) {
    const [stats, rules] = [await referralStats(ctx, ctx.community.id, ctx.member.id), await referralRules(ctx, ctx.community.id)];
    return codeReply(ctx.lang, {
      code: ctx.member.referralCode, rules,
      referrerReward: ctx.community.referrerReward, refereeReward: ctx.community.refereeReward, ...stats,
    });
  },
});

export const referralRedeem = defineCommand({
  name: 'referral redeem',
  permission: 'member',
  options: { code: opt.string({ max: 20, pattern: /^[A-Za-z0-9]+$/, patternCode: 'lettersDigits' }) },
  async run(ctx, { code }) {
    // The Telegram adapter redeems a deep link (/start payload) in the private chat with structured args; a
    // code typed there arrives as text.
    const viaLink = ctx.platform === 'telegram' && ctx.inbound.address?.kind === 'dm' && typeof ctx.inbound.args === 'object';
    return redeemedReply(ctx.lang, await redeemReferral(ctx, ctx.community, ctx.member, code, viaLink ? 'link' : 'code'));
  },
});

export const referralSettings = defineCommand({
  name: 'referral settings',
  permission: 'admin',
  options: {
    min_days: opt.integer({ optional: true, min: 0, max: 365 }),
    min_activity: opt.integer({ optional: true, min: 0, max: 1_000_000 }),
    min_account_age: opt.integer({ optional: true, min: 0, max: 3650 }),
    per_day: opt.integer({ optional: true, min: 0, max: 10_000 }),
    per_month: opt.integer({ optional: true, min: 0, max: 100_000 }),
    window_days: opt.integer({ optional: true, min: 1, max: 365 }),
    clawback_days: opt.integer({ optional: true, min: 0, max: 365 }),
  },
  async run(ctx, a) {
    const change: ReferralRulesChange = {
      minDays: a.min_days, minActivity: a.min_activity, minAccountAgeDays: a.min_account_age,
      perDay: a.per_day, perMonth: a.per_month, windowDays: a.window_days, clawbackDays: a.clawback_days,
    };
    const changing = Object.values(change).some((v) => v !== undefined);
    return rulesReply(ctx.lang, changing ? await updateReferralRules(ctx, ctx.community.id, change) : await referralRules(ctx, ctx.community.id));
  },
});

