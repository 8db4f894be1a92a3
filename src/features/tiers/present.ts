import type { Lang } from '../../i18n/index.js';
import type { Reply } from '../../core/types.js';
import type { Tier, TierAccess } from './service.js';
import { tierIndex } from '../members/service.js';

const FIELDS: (keyof TierAccess)[] = ['discordRole', 'telegramChat', 'slackUsergroup', 'slackChannel'];

/** "Discord role 123, Telegram chat -100123", or nothing. */
export function accessText(L: Lang, access: TierAccess | undefined): string {
  const parts = FIELDS.filter((f) => access?.[f]).map((f) => L.t(`tiers:access.${f}`, { id: access![f] }));
  return parts.join(L.t('tiers:separator'));
}

function row(L: Lang, t: Tier, mine: boolean): string {
  const access = accessText(L, t.access);
  return L.t('tiers:list.row', {
    name: t.name, points: t.minPoints,
    access: access ? L.t('tiers:list.access', { access }) : '',
    mine: mine ? L.t('tiers:list.mine') : '',
  });
}

/** Every tier with its threshold and access; access adds up, which the footer says when any tier gives some. */
export function listReply(L: Lang, tiers: Tier[], lifetime?: number): Reply {
  const mine = lifetime === undefined ? -1 : tierIndex(tiers, lifetime);
  const lines = [L.t('tiers:list.title'), ...tiers.map((t, i) => row(L, t, i === mine))];
  if (tiers.some((t) => accessText(L, t.access))) lines.push(L.t('tiers:list.cumulative'));
  return { text: lines.join('\n'), ephemeral: true };
}

export const changedReply = (L: Lang, what: 'added' | 'edited' | 'removed', name: string, tiers: Tier[]): Reply =>
  ({ text: `${L.t(`tiers:${what}`, { name })}\n${listReply(L, tiers).text}`, ephemeral: true });
