import type { Lang } from '../../i18n/index.js';
import type { Reply, Role } from '../../core/types.js';
import type { AnnounceSpot, Settings } from './service.js';

export const roleReply = (L: Lang, r: { name: string; role: Role }): Reply =>
  ({ text: L.t(`community:role.${r.role}`, { name: r.name }) });

export const settingsReply = (L: Lang, c: Settings): Reply => ({
  text: [
    L.t('community:settings.rewards', { name: c.name, referrer: c.referrerReward, referee: c.refereeReward }),
    L.t('community:settings.where', { language: L.t(`community:locales.${c.locale}`, { defaultValue: c.locale }), zone: c.timezone }),
  ].join('\n'),
  ephemeral: true,
});

/* --- announce here (issue 11) --- */

/** "Announcements for the community on Discord go to this channel now", and where they go on the other bound spaces. */
export const announceHereReply = (L: Lang, spots: AnnounceSpot[]): Reply => ({
  text: [
    L.t('community:announce.here', { platform: spots.find((s) => s.here)?.platform ?? '' }),
    ...spots.filter((s) => !s.here).map((s) => L.t(s.channelId ? 'community:announce.other' : 'community:announce.otherUnset', { platform: s.platform })),
  ].join('\n'),
  ephemeral: true,
});
