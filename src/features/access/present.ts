import type { Lang } from '../../i18n/index.js';
import type { Reply } from '../../core/types.js';
import type { NoticeRenderers } from '../notices.js';
import type { AccessNotice } from './service.js';

type Notice<T extends AccessNotice['type']> = Extract<AccessNotice, { type: T }>;

/** Catalog field of each access kind (tiers:access.*, tiers:fix.*). */
const FIELD: Record<string, string> = { 'discord.role': 'discordRole', 'telegram.chat': 'telegramChat', 'slack.usergroup': 'slackUsergroup', 'slack.channel': 'slackChannel' };

export const inviteNotice = (L: Lang, n: Notice<'access.invite'>): Reply =>
  ({ text: L.t(n.tier ? 'tiers:notice.invite' : 'tiers:notice.inviteNoTier', { community: n.community, tier: n.tier, link: n.link }) });

export function noPermissionNotice(L: Lang, n: Notice<'access.noPermission'>): Reply {
  const field = FIELD[n.kind] ?? 'discordRole';
  const lines = [
    L.t(n.tier ? 'tiers:notice.noPermission' : 'tiers:notice.noPermissionNoTier', { community: n.community, tier: n.tier, what: L.t(`tiers:access.${field}`, { id: n.target }) }),
    L.t(`tiers:fix.${field}`),
    ...(n.detail ? [L.t('tiers:notice.detail', { detail: n.detail })] : []),
  ];
  return { text: lines.join('\n') };
}

/** Notices of this feature, keyed by type. */
export const accessNotices: NoticeRenderers = {
  'access.invite': inviteNotice,
  'access.noPermission': noPermissionNotice,
};
