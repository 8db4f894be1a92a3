import type { Lang } from '../../i18n/index.js';
import type { Button, Reply } from '../../core/types.js';
import type { PendingRedemption, RewardRow } from './service.js';

const stockNote = (L: Lang, stock: number | null) =>
  stock === null ? '' : stock > 0 ? L.t('rewards:list.left', { count: stock }) : L.t('rewards:list.outOfStock');

export function rewardsReply(L: Lang, rewards: RewardRow[], balance: number): Reply {
  if (!rewards.length) return { text: L.t('rewards:list.empty') };
  return {
    text: [
      L.t('rewards:list.title'),
      ...rewards.map((r) => L.t('rewards:list.row', { id: r.id, name: r.name, cost: r.cost }) + stockNote(L, r.stock)),
      L.t('rewards:list.footer', { balance }),
    ].join('\n'),
  };
}

export const addedReply = (L: Lang, r: { id: number; name: string; cost: number; stock: number | null }): Reply =>
  ({ text: L.t(r.stock === null ? 'rewards:added' : 'rewards:addedStock', { id: r.id, name: r.name, count: r.cost, stock: r.stock }) });

export const removedReply = (L: Lang, r: { id: number; name: string }): Reply =>
  ({ text: L.t('rewards:removed', { id: r.id, name: r.name }) });

export const redeemedReply = (L: Lang, r: { name: string; cost: number; balance: number; requestId: number }): Reply =>
  ({ text: L.t('rewards:redeemed', { name: r.name, count: r.cost, balance: r.balance, request: r.requestId }), ephemeral: true });

/** The moderators' queue, with buttons to settle the first few requests. */
export function pendingReply(L: Lang, rows: PendingRedemption[]): Reply {
  if (!rows.length) return { text: L.t('rewards:pending.empty'), ephemeral: true };
  const buttons: Button[][] = rows.slice(0, 5).map((r) => [
    { label: L.t('rewards:pending.fulfill', { id: r.id }), command: 'redemption fulfill', args: { redemption: r.id }, style: 'success' },
    { label: L.t('rewards:pending.refund', { id: r.id }), command: 'redemption refund', args: { redemption: r.id }, style: 'danger' },
  ]);
  return {
    text: [L.t('rewards:pending.title'), ...rows.map((r) => L.t('rewards:pending.row', { id: r.id, member: r.member, reward: r.reward, cost: r.cost }))].join('\n'),
    buttons,
    ephemeral: true,
  };
}

export const handledReply = (L: Lang, action: 'fulfill' | 'refund', r: { id: number; reward: string; cost: number }): Reply =>
  ({ text: L.t(action === 'fulfill' ? 'rewards:fulfilled' : 'rewards:refunded', { id: r.id, name: r.reward, count: r.cost }) });
