import type { Button, Reply } from '../../src/core/types.js';
import { lang, toLocale, type Lang } from '../../src/i18n/index.js';

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/*
 * Cutting text to a platform limit. Limits are counted in UTF-16 units (what JavaScript's length counts;
 * never less than what Slack or Discord count), and every cut falls between grapheme clusters, so an
 * emoji ZWJ sequence, a flag or a Hangul syllable is never split. `keep` names markup a cut must not
 * split either (Slack's "&amp;", a Discord "\*" escape, a mention): write it without capturing groups.
 */

/** The pieces of `s` that a cut never splits, in order: grapheme clusters, and whole matches of `keep`. */
function* units(s: string, keep?: RegExp): Generator<string> {
  // split() with one capturing group puts the matches at the odd indexes.
  const parts = keep ? s.split(new RegExp(`(${keep.source})`, keep.flags.replace('g', ''))) : [s];
  for (let i = 0; i < parts.length; i++) {
    if (i % 2) yield parts[i];
    else for (const g of segmenter.segment(parts[i])) yield g.segment;
  }
}

/** The longest start of `s` made of whole units that fits in `max` UTF-16 units (may be empty). */
export function head(s: string, max: number, keep?: RegExp): string {
  if (s.length <= max) return s;
  let out = '';
  for (const u of units(s, keep)) {
    if (out.length + u.length > max) break;
    out += u;
  }
  return out;
}

/**
 * Shortens text to at most `max` UTF-16 units (what platform limits count), cutting between grapheme
 * clusters so an emoji or a Hangul syllable is never split, and marks the cut with "…".
 */
export function clip(s: string, max: number, keep?: RegExp): string {
  const t = s.trim();
  if (t.length <= max) return t;
  return head(t, max - 1, keep).trimEnd() + '…';
}

/** Like clip, but always ends with "…": for text that goes on somewhere the reader will not see. */
export function clipMarked(s: string, max: number, keep?: RegExp): string {
  const t = s.trim();
  return t.length < max ? `${t}…` : `${head(t, max - 1, keep).trimEnd()}…`;
}

/**
 * Splits text into pieces of at most `max` UTF-16 units: at line breaks where it can, a longer line
 * between units. Nothing is lost: the pieces joined with "\n" (and, inside a long line, with "") give
 * the text back. Lazy, so a caller that needs only the first pieces of a long text stops early.
 */
export function* splitText(text: string, max: number, keep?: RegExp): Generator<string> {
  let cur: string | null = null;
  for (const line of text.split('\n')) {
    if (cur !== null && cur.length + 1 + line.length <= max) {
      cur = `${cur}\n${line}`;
      continue;
    }
    if (cur !== null) yield cur;
    if (line.length <= max) {
      cur = line;
      continue;
    }
    let piece = '';
    for (const u of units(line, keep)) {
      if (piece && piece.length + u.length > max) {
        yield piece;
        piece = '';
      }
      piece += u;
    }
    cur = piece;
  }
  yield cur ?? '';
}

/**
 * `text` within `max` UTF-16 units. Text that is too long is cut (with "…") and `note` goes on a line
 * of its own under it, so the reader sees that something is missing.
 */
export function fitText(text: string, max: number, note: string, keep?: RegExp): string {
  return text.length <= max ? text : `${clipMarked(text, max - note.length - 1, keep)}\n${note}`;
}

/** The adapter's note under a reply it had to cut: "(shortened …)" in the reader's language. */
export const shortenedNote = (L: Lang): string => L.t('adapters:shortened');

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

/**
 * The rows of buttons a platform without select menus shows (Telegram, console): each select's fallback
 * buttons first, where the menu would be, then the reply's own buttons.
 */
export function withSelectFallback(reply: Reply): Button[][] {
  const rows = [...(reply.selects ?? []).flatMap((s) => s.fallback), ...(reply.buttons ?? [])];
  return rows.filter((r) => r.length);
}
