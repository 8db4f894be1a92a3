import type { Lang } from '../../i18n/index.js';
import type { Reply } from '../../core/types.js';
import type { DeliveryNotice } from './service.js';

export const deliveryNotices = {
  'delivery.failed': (L: Lang, n: DeliveryNotice): Reply => ({
    text: L.t('common:delivery.failed', { community: n.community, platform: n.platform, channel: n.channel, count: n.attempts, error: n.error }),
  }),
};
