import type { NoticeRenderers } from '../notices.js';

/** Notices of this feature, keyed by type. */
export const seasonsNotices: NoticeRenderers = {};
