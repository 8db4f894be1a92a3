import { defineCommand, opt } from '../src/core/command.js';
import { getReward, handleRedemption, redeemReward } from '../src/services/rewards.js';
import { displayNames } from '../src/services/members.js';

export const rewardsList = defineCommand({
  name: 'rewards',
  description: 'Rewards you can redeem with your points',
  permission: 'member',
  readOnly: true,
  options: {},
  async run(ctx) {
    const rewards = await ctx.tx.reward.findMany({ where: { communityId: ctx.community.id, active: true }, orderBy: { cost: 'asc' }, take: 25 });
    if (!rewards.length) return { text: 'No rewards yet. Admins add them with /reward add.' };
    return {
      text: ['🎁 **Rewards**', ...rewards.map((r) => `#${r.id} ${r.name}: ${r.cost} pts${r.stock === null ? '' : r.stock > 0 ? ` (${r.stock} left)` : ' (out of stock)'}`),
        `You have ${ctx.member.balance} points. Redeem with /redeem <number>.`].join('\n'),
    };
  },
});

export const rewardAdd = defineCommand({
  name: 'reward add',
  description: 'Add a reward members can buy with points',
  permission: 'admin',
  options: {
    cost: opt.integer('Price in points', { min: 1, max: 10_000_000 }),
    name: opt.string('Name (quote it if it has spaces)', { max: 100 }),
    stock: opt.integer('How many are available (default unlimited)', { optional: true, min: 1, max: 1_000_000 }),
  },
  examples: ['/reward add 500 "Sticker pack" 100'],
  async run(ctx, { cost, name, stock }) {
    const r = await ctx.tx.reward.create({ data: { communityId: ctx.community.id, name, cost, stock: stock ?? null } });
    return { text: `Added reward #${r.id} "${r.name}" for ${r.cost} points${stock ? ` (${stock} in stock)` : ''}.` };
  },
});

export const rewardRemove = defineCommand({
  name: 'reward remove',
  description: 'Stop offering a reward',
  permission: 'admin',
  options: { reward: opt.id('Reward number') },
  async run(ctx, { reward }) {
    const r = await getReward(ctx, ctx.community.id, reward);
    await ctx.tx.reward.update({ where: { id: reward }, data: { active: false } });
    return { text: `Reward #${reward} "${r.name}" removed.` };
  },
});

export const redeem = defineCommand({
  name: 'redeem',
  description: 'Spend points on a reward',
  permission: 'member',
  options: { reward: opt.id('Reward number (see /rewards)') },
  async run(ctx, { reward }) {
    const r = await redeemReward(ctx, ctx.community.id, reward, ctx.member.id, ctx.eventKey);
    return { text: `🎁 You redeemed "${r.reward.name}" for ${r.reward.cost} points (balance ${r.balance}). A moderator will be in touch: request #${r.redemption.id}.`, ephemeral: true };
  },
});

export const redemptions = defineCommand({
  name: 'redemptions',
  description: 'Reward requests waiting to be fulfilled',
  permission: 'moderator',
  readOnly: true,
  options: {},
  async run(ctx) {
    const rows = await ctx.tx.redemption.findMany({ where: { communityId: ctx.community.id, status: 'pending' }, include: { reward: true }, orderBy: { id: 'asc' }, take: 20 });
    if (!rows.length) return { text: 'No pending reward requests.', ephemeral: true };
    const names = await displayNames(ctx.tx, rows.map((r) => r.memberId));
    return {
      text: ['**Pending reward requests**', ...rows.map((r) => `#${r.id} ${names.get(r.memberId)}: ${r.reward.name} (${r.cost} pts)`)].join('\n'),
      buttons: rows.slice(0, 5).map((r) => [
        { label: `Fulfilled #${r.id}`, command: 'redemption fulfill', args: { redemption: r.id }, style: 'success' as const },
        { label: `Refund #${r.id}`, command: 'redemption refund', args: { redemption: r.id }, style: 'danger' as const },
      ]),
      ephemeral: true,
    };
  },
});

function redemptionAction(action: 'fulfill' | 'refund') {
  return defineCommand({
    name: `redemption ${action}`,
    description: action === 'fulfill' ? 'Mark a reward request as delivered' : 'Cancel a reward request and give the points back',
    permission: 'moderator',
    options: { redemption: opt.id('Request number') },
    async run(ctx, { redemption }) {
      const r = await handleRedemption(ctx, ctx.community.id, redemption, ctx.member.id, action);
      return { text: action === 'fulfill' ? `Request #${redemption} (${r.reward.name}) marked as fulfilled.` : `Request #${redemption} refunded: ${r.cost} points returned.` };
    },
  });
}
export const redemptionFulfill = redemptionAction('fulfill');
export const redemptionRefund = redemptionAction('refund');
