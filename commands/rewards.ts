import { defineCommand, opt } from '../src/core/command.js';
import {
  addReward, handleRedemption, listRewards, pendingRedemptions, redeemReward, removeReward,
} from '../src/features/rewards/service.js';
import {
  addedReply, handledReply, pendingReply, redeemedReply, removedReply, rewardsReply,
} from '../src/features/rewards/present.js';

export const rewardsList = defineCommand({
  name: 'rewards',
  permission: 'member',
  readOnly: true,
  options: {},
  async run(ctx) {
    return rewardsReply(ctx.lang, await listRewards(ctx, ctx.community.id), ctx.member.balance);
  },
});

export const rewardAdd = defineCommand({
  name: 'reward add',
  permission: 'admin',
  options: {
    cost: opt.integer({ min: 1, max: 10_000_000 }),
    name: opt.string({ max: 100 }),
    stock: opt.integer({ optional: true, min: 1, max: 1_000_000 }),
  },
  async run(ctx, { cost, name, stock }) {
    return addedReply(ctx.lang, await addReward(ctx, { communityId: ctx.community.id, name, cost, stock }));
  },
});

export const rewardRemove = defineCommand({
  name: 'reward remove',
  permission: 'admin',
  options: { reward: opt.id() },
  async run(ctx, { reward }) {
    return removedReply(ctx.lang, await removeReward(ctx, ctx.community.id, reward));
  },
});

export const redeem = defineCommand({
  name: 'redeem',
  permission: 'member',
  // A number is the reward's id; anything else is matched against the names on offer.
  options: { reward: opt.string({ max: 100 }) },
  async run(ctx, { reward }) {
    return redeemedReply(ctx.lang, await redeemReward(ctx, ctx.community.id, reward, ctx.member.id, ctx.eventKey));
  },
});

export const redemptions = defineCommand({
  name: 'redemptions',
  permission: 'moderator',
  readOnly: true,
  options: {},
  async run(ctx) {
    return pendingReply(ctx.lang, await pendingRedemptions(ctx, ctx.community.id));
  },
});

function redemptionAction(action: 'fulfill' | 'refund') {
  return defineCommand({
    name: `redemption ${action}`,
    permission: 'moderator',
    options: { redemption: opt.id() },
    async run(ctx, { redemption }) {
      return handledReply(ctx.lang, action, await handleRedemption(ctx, ctx.community.id, redemption, ctx.member.id, action));
    },
  });
}
export const redemptionFulfill = redemptionAction('fulfill');
export const redemptionRefund = redemptionAction('refund');
