import type { Button, Reply } from '../../src/core/types.js';
import { lang, toLocale, type Lang } from '../../src/i18n/index.js';

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * Shortens text to at most `max` UTF-16 units (what platform limits count), cutting between grapheme
 * clusters so an emoji or a Hangul syllable is never split, and marks the cut with "…".
 */
export function clip(s: string, max: number): string {
  const t = s.trim();
  if (t.length <= max) return t;
  let out = '';
  for (const { segment } of segmenter.segment(t)) {
    if (out.length + segment.length > max - 1) break;
    out += segment;
  }
  return out.trimEnd() + '…';
}

/** A reply's form shown as one more button (for places where a modal cannot open directly). */
export function withFormButton(reply: Reply): Button[][] {
  const rows = reply.buttons ?? [];
  if (!reply.form) return rows;
  return [...rows, [{ label: reply.form.title, command: reply.form.command, args: reply.form.args, form: reply.form }]];
}

/** The adapter's own words (errors before the engine runs, stale buttons) in the language the platform reports. */
export function adapterLang(platformLocale?: string | null): Lang {
  return lang(toLocale(platformLocale) ?? 'en');
}
