import type { Deps } from '../core/context.js';
import { UserError } from '../core/errors.js';
import { applyPoints } from './ledger.js';

export async function getReward(d: Deps, communityId: string, id: number) {
  const r = await d.tx.reward.findUnique({ where: { id } });
  if (!r || r.communityId !== communityId || !r.active) throw new UserError(`There is no reward #${id}. See /rewards.`);
  return r;
}

/** Spends points on a reward: stock and balance are checked and changed in the same transaction. */
export async function redeemReward(d: Deps, communityId: string, rewardId: number, memberId: string, eventKey: string) {
  const r = await getReward(d, communityId, rewardId);
  if (r.stock !== null) {
    const took = await d.tx.reward.updateMany({ where: { id: r.id, stock: { gt: 0 } }, data: { stock: { decrement: 1 } } });
    if (took.count !== 1) throw new UserError(`"${r.name}" is out of stock.`);
  }
  const red = await d.tx.redemption.create({ data: { communityId, rewardId: r.id, memberId, cost: r.cost, createdAt: d.now } });
  const me = await d.tx.member.findUniqueOrThrow({ where: { id: memberId } });
  if (me.balance < r.cost) throw new UserError(`"${r.name}" costs ${r.cost} points; you have ${me.balance}.`);
  const res = await applyPoints(d, { communityId, memberId, delta: -r.cost, kind: 'redeem', reason: `Redeemed reward #${r.id}: ${r.name}`, idempotencyKey: `redeem:${eventKey}` });
  return { reward: r, redemption: red, balance: res.balance };
}

export async function handleRedemption(d: Deps, communityId: string, id: number, moderatorId: string, action: 'fulfill' | 'refund') {
  const red = await d.tx.redemption.findUnique({ where: { id }, include: { reward: true } });
  if (!red || red.communityId !== communityId) throw new UserError(`There is no redemption #${id}. See /redemptions.`);
  if (red.status !== 'pending') throw new UserError(`Redemption #${id} was already ${red.status}.`);
  const claimed = await d.tx.redemption.updateMany({ where: { id, status: 'pending' }, data: { status: action === 'fulfill' ? 'fulfilled' : 'refunded', handledAt: d.now, handledById: moderatorId } });
  if (claimed.count !== 1) throw new UserError(`Redemption #${id} was already handled.`);
  if (action === 'refund') {
    await applyPoints(d, { communityId, memberId: red.memberId, delta: red.cost, kind: 'redeem', reason: `Refund of redemption #${id}: ${red.reward.name}`, idempotencyKey: `refund:${id}` });
    if (red.reward.stock !== null) await d.tx.reward.update({ where: { id: red.rewardId }, data: { stock: { increment: 1 } } });
  }
  return red;
}
