import type { Lang } from '../../i18n/index.js';
import type { Reply } from '../../core/types.js';

/** The sign-in link, only for the member who asked (it opens their session). */
export const linkReply = (L: Lang, url: string, minutes: number): Reply => ({
  text: L.t('dashboard:link', { url, minutes }),
  ephemeral: true,
});
