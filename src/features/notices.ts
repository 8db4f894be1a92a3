import type { Lang } from '../i18n/index.js';
import type { Reply } from '../core/types.js';
import { pointsNotices } from './points/present.js';
import { challengeNotices } from './challenges/present.js';
import { contestNotices } from './contests/present.js';
import { pollNotices } from './polls/present.js';
import { presenceNotices } from './presence/present.js';
import { accessNotices } from './access/present.js';
import { seasonsNotices } from './seasons/present.js';
import { deliveryNotices } from './delivery/present.js';
import { thanksNotices } from './thanks/present.js';

/** Presenters for every notice type services queue, keyed by `notice.type`. */
export type NoticeRenderers = Record<string, (L: Lang, notice: never) => Reply>;

export const noticeRenderers: NoticeRenderers = { ...pointsNotices, ...challengeNotices, ...contestNotices, ...pollNotices, ...presenceNotices, ...accessNotices, ...seasonsNotices, ...deliveryNotices, ...thanksNotices };
