import { toLocale } from '../i18n/index.js';
import type { Locale } from '../core/types.js';

/** The first of our languages in an Accept-Language header, by its q weights ("ko-KR,ko;q=0.9,en;q=0.8" -> ko). */
export function preferredLocale(header: string | undefined): Locale | undefined {
  if (!header) return undefined;
  const ranked = header.split(',').map((part, i) => {
    const [tag, ...params] = part.trim().split(';');
    const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find(Boolean);
    return { locale: toLocale(tag.trim()), q: q === undefined ? 1 : Number(q), i };
  }).filter((r) => r.locale && r.q > 0).sort((a, b) => b.q - a.q || a.i - b.i);
  return ranked[0]?.locale;
}
