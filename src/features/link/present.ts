import type { Lang } from '../../i18n/index.js';
import type { Platform, Reply } from '../../core/types.js';

export const linkCodeReply = (L: Lang, c: { code: string; expiresAt: Date }): Reply =>
  ({ text: L.t('community:link.code', { code: c.code, expires: c.expiresAt }), ephemeral: true });

export const linkedReply = (L: Lang, platform: Platform, m: { name: string; balance: number; referralReversed?: number }): Reply => ({
  text: [
    L.t('community:link.done', { platform, name: m.name, balance: m.balance }),
    ...(m.referralReversed ? [L.t('community:link.referralReversed', { count: m.referralReversed })] : []),
  ].join('\n'),
  ephemeral: true,
});

export const bindCodeReply = (L: Lang, c: { code: string; expiresAt: Date }): Reply =>
  ({ text: L.t('community:bind.code', { code: c.code, expires: c.expiresAt }), ephemeral: true });

export const boundReply = (L: Lang, platform: Platform, c: { name: string }): Reply =>
  ({ text: L.t('community:bind.done', { platform, name: c.name }), ephemeral: true });
