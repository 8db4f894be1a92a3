import type { Engine } from '../../engine.js';
import { lang, toLocale, type Lang } from '../../i18n/index.js';

/** Pages speak the community's language in its time zone; with no community known, English and UTC. */
export const sessionLang = (engine: Engine, v?: { locale: string; timezone: string } | null): Lang =>
  lang(toLocale(v?.locale) ?? 'en', v?.timezone ?? 'UTC', engine.now());
