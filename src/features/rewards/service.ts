import { txOf, type Scope } from '../../core/scope.js';
import { UserError } from '../../core/errors.js';
import { applyPoints, ledgerReason } from '../points/service.js';
import { displayNames } from '../members/service.js';
import { emitEvent } from '../webhooks/service.js';

export interface RewardRow { id: number; name: string; cost: number; stock: number | null }

/** Rewards on offer, cheapest first. */
export async function listRewards(s: Scope, communityId: string): Promise<RewardRow[]> {
  return txOf(s).reward.findMany({
    where: { communityId, active: true }, orderBy: [{ cost: 'asc' }, { id: 'asc' }], take: 25,
    select: { id: true, name: true, cost: true, stock: true },
  });
}

export async function addReward(s: Scope, r: { communityId: string; name: string; cost: number; stock?: number }) {
  return txOf(s).reward.create({ data: { communityId: r.communityId, name: r.name, cost: r.cost, stock: r.stock ?? null, createdAt: s.now } });
}

export async function getReward(s: Scope, communityId: string, id: number) {
  const r = await txOf(s).reward.findUnique({ where: { id } });
  if (!r || r.communityId !== communityId || !r.active) throw new UserError('rewards:error.notFound', { id }, 'reward');
  return r;
}

/** Stops offering a reward; requests already made stay as they are. */
export async function removeReward(s: Scope, communityId: string, id: number) {
  const r = await getReward(s, communityId, id);
  const taken = await txOf(s).reward.updateMany({ where: { id, active: true }, data: { active: false } });
  if (taken.count !== 1) throw new UserError('rewards:error.notFound', { id }, 'reward');
  return r;
}

/** Case, width and spacing do not matter when a reward is named ("ＳＴＩＣＫＥＲ  pack" = "sticker pack"). */
const fold = (name: string) => name.normalize('NFKC').toLocaleLowerCase().replace(/\s+/g, ' ').trim();

/** How many candidates an "which one?" refusal lists. */
const MAX_CANDIDATES = 10;

/**
 * The reward a member means by `query` among `rewards`: exact name first, then names that start with it,
 * then names that contain it. The first step with a single match wins; several at one step are ambiguous.
 */
export function matchReward<R extends { id: number; name: string }>(rewards: R[], query: string): R {
  const q = fold(query);
  const named = rewards.map((r) => ({ r, name: fold(r.name) }));
  const steps = [(n: string) => n === q, (n: string) => n.startsWith(q), (n: string) => n.includes(q)];
  for (const step of steps) {
    const hits = named.filter((x) => step(x.name)).map((x) => x.r);
    if (hits.length === 1) return hits[0];
    if (hits.length > 1) {
      const candidates = hits.slice(0, MAX_CANDIDATES).map((r) => `#${r.id} ${r.name}`).join(', ');
      throw new UserError('rewards:error.ambiguous', { name: query, candidates }, 'reward');
    }
  }
  throw new UserError('rewards:error.noMatch', { name: query }, 'reward');
}

/** A reward by number ("3", "#3") or by name. */
export async function findReward(s: Scope, communityId: string, ref: string) {
  const id = /^#?\s*(\d{1,9})$/.exec(ref.normalize('NFKC').trim());
  if (id) return getReward(s, communityId, Number(id[1]));
  const active = await txOf(s).reward.findMany({ where: { communityId, active: true }, select: { id: true, name: true }, orderBy: { id: 'asc' } });
  return getReward(s, communityId, matchReward(active, ref).id);
}

/** Spends points on a reward: stock and balance are checked and changed in the same transaction. */
export async function redeemReward(s: Scope, communityId: string, ref: string, memberId: string, eventKey: string) {
  const tx = txOf(s);
  const r = await findReward(s, communityId, ref);
  const outOfStock = () => new UserError('rewards:error.outOfStock', { name: r.name });
  if (r.stock !== null && r.stock <= 0) throw outOfStock();
  const me = await tx.member.findUniqueOrThrow({ where: { id: memberId }, select: { balance: true } });
  if (me.balance < r.cost) throw new UserError('rewards:error.tooExpensive', { name: r.name, count: r.cost, balance: me.balance });
  if (r.stock !== null) {
    // Conditional decrement: of two members taking the last one at once, only one gets it.
    const took = await tx.reward.updateMany({ where: { id: r.id, stock: { gt: 0 } }, data: { stock: { decrement: 1 } } });
    if (took.count !== 1) throw outOfStock();
  }
  const red = await tx.redemption.create({ data: { communityId, rewardId: r.id, memberId, cost: r.cost, createdAt: s.now } });
  const res = await applyPoints(s, {
    communityId, memberId, delta: -r.cost, kind: 'redeem',
    reason: ledgerReason('redeem', { id: r.id, name: r.name }), idempotencyKey: `redeem:${eventKey}`,
  });
  await emitEvent(s, communityId, 'reward.redeemed', `reward.redeemed:${red.id}`,
    { redemptionId: red.id, rewardId: r.id, reward: r.name, cost: r.cost, memberId });
  return { name: r.name, cost: r.cost, requestId: red.id, balance: res.balance };
}

/**
 * A reward won as a prize (a season's): a pending request that costs nothing, for a moderator to deliver
 * like any other. It takes no stock (the prize was promised); refunding it gives nothing back.
 */
export async function grantRewardPrize(s: Scope, communityId: string, rewardId: number, memberId: string) {
  const r = await txOf(s).reward.findUniqueOrThrow({ where: { id: rewardId } });
  const red = await txOf(s).redemption.create({ data: { communityId, rewardId, memberId, cost: 0, createdAt: s.now } });
  return { requestId: red.id, name: r.name };
}

export interface PendingRedemption { id: number; member: string; reward: string; cost: number }

/** Requests waiting for a moderator, oldest first. */
export async function pendingRedemptions(s: Scope, communityId: string): Promise<PendingRedemption[]> {
  const rows = await txOf(s).redemption.findMany({ where: { communityId, status: 'pending' }, include: { reward: true }, orderBy: { id: 'asc' }, take: 20 });
  const names = await displayNames(s, rows.map((r) => r.memberId));
  return rows.map((r) => ({ id: r.id, member: names.get(r.memberId) ?? '?', reward: r.reward.name, cost: r.cost }));
}

/** A moderator marks a request delivered, or cancels it: the points and the stock go back. */
export async function handleRedemption(s: Scope, communityId: string, id: number, moderatorId: string, action: 'fulfill' | 'refund') {
  const tx = txOf(s);
  const red = await tx.redemption.findUnique({ where: { id }, include: { reward: true } });
  if (!red || red.communityId !== communityId) throw new UserError('rewards:error.noRedemption', { id }, 'redemption');
  if (red.status !== 'pending') throw new UserError(`rewards:error.already.${red.status}`, { id });
  const claimed = await tx.redemption.updateMany({
    where: { id, status: 'pending' },
    data: { status: action === 'fulfill' ? 'fulfilled' : 'refunded', handledAt: s.now, handledById: moderatorId },
  });
  if (claimed.count !== 1) throw new UserError('rewards:error.alreadyHandled', { id });
  if (action === 'refund' && red.cost > 0) {
    await applyPoints(s, {
      communityId, memberId: red.memberId, delta: red.cost, kind: 'redeem',
      reason: ledgerReason('refund', { id, name: red.reward.name }), idempotencyKey: `refund:${id}`,
    });
    if (red.reward.stock !== null) await tx.reward.update({ where: { id: red.rewardId }, data: { stock: { increment: 1 } } });
  }
  return { id, reward: red.reward.name, cost: red.cost };
}

/* The dashboard's rewards page (read only). */

export interface QueuedRedemption { id: number; memberId: string; member: string; rewardId: number; reward: string; cost: number; requestedAt: Date }
export interface CatalogueReward { id: number; name: string; cost: number; stock: number | null; active: boolean }
export interface RewardsBoard { pending: QueuedRedemption[]; catalogue: CatalogueReward[] }

/** Pending redemptions oldest first (up to 50), and the catalogue: rewards on offer first, cheapest first (up to 100). */
export async function rewardsBoard(s: Scope, communityId: string): Promise<RewardsBoard> {
  const tx = txOf(s);
  const [rows, catalogue] = await Promise.all([
    tx.redemption.findMany({
      where: { communityId, status: 'pending' }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], take: 50,
      include: { reward: { select: { name: true } } },
    }),
    tx.reward.findMany({
      where: { communityId }, orderBy: [{ active: 'desc' }, { cost: 'asc' }, { id: 'asc' }], take: 100,
      select: { id: true, name: true, cost: true, stock: true, active: true },
    }),
  ]);
  const names = await displayNames(s, [...new Set(rows.map((r) => r.memberId))]);
  return {
    pending: rows.map((r) => ({
      id: r.id, memberId: r.memberId, member: names.get(r.memberId) ?? '?', rewardId: r.rewardId, reward: r.reward.name, cost: r.cost, requestedAt: r.createdAt,
    })),
    catalogue,
  };
}
