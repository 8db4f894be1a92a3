import { expect } from 'vitest';

/** Checks for text cut to a platform limit (Slack and Discord adapter tests). */

/** One grapheme of 11 UTF-16 units: a family emoji (a ZWJ sequence). */
export const FAMILY = '👩‍👩‍👧‍👦';
/** Half of a surrogate pair: what a cut inside an emoji leaves. */
export const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
export const graphemesOf = (s: string): string[] => Array.from(segmenter.segment(s), (g) => g.segment);

/** `out` (less a final "…") is a run of whole graphemes from the start of `src`. */
export function expectCutBetweenGraphemes(out: string, src: string): void {
  const g = graphemesOf(out.replace(/…$/, ''));
  expect(g).toEqual(graphemesOf(src).slice(0, g.length));
}
