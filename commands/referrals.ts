import { defineCommand, opt } from '../src/core/command.js';
import { redeemReferral, referralStats, REFERRAL_WINDOW_DAYS } from '../src/services/referrals.js';
import { plural } from './util.js';

export const referralCode = defineCommand({
  name: 'referral code',
  description: 'Your personal invite code and how many people joined with it',
  permission: 'member',
  readOnly: true,
  options: {},
  async run(ctx) {
    const s = await referralStats(ctx, ctx.community.id, ctx.member.id);
    return {
      text: [
        `Your referral code: **${ctx.member.referralCode}**`,
        `New members who run /referral redeem ${ctx.member.referralCode} within ${REFERRAL_WINDOW_DAYS} days of joining get ${ctx.community.refereeReward} points, and you get ${ctx.community.referrerReward}.`,
        `So far: ${plural(s.referred, 'referral')}, ${s.earned} points earned.`,
      ].join('\n'),
      ephemeral: true,
    };
  },
});

export const referralRedeem = defineCommand({
  name: 'referral redeem',
  description: 'Use the referral code of the person who invited you',
  permission: 'member',
  options: { code: opt.string('Their code', { max: 20, pattern: /^[A-Za-z0-9]+$/, patternHint: 'is letters and digits only' }) },
  async run(ctx, { code }) {
    const r = await redeemReferral(ctx, ctx.community, ctx.member, code);
    const parts = [`🤝 Welcome! You joined with ${r.referrer.displayName}'s code.`];
    if (r.refereeBalance !== undefined) parts.push(`You got ${ctx.community.refereeReward} points (balance ${r.refereeBalance}).`);
    return { text: parts.join(' '), ephemeral: true };
  },
});
