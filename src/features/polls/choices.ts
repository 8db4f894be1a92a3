import { UserError } from '../../core/errors.js';

/* Choice polls (pure): the kinds, their options as a moderator types them, and a vote as a member gives it. */

export const POLL_KINDS = ['nps', 'single', 'multi', 'yesno', 'emoji'] as const;
export type PollKind = (typeof POLL_KINDS)[number];
export const VOTE_MODES = ['set', 'add', 'remove', 'toggle'] as const;
export type VoteMode = (typeof VOTE_MODES)[number];

export const MIN_OPTIONS = 2;
export const MAX_OPTIONS = 10;
export const MAX_LABEL = 80;
/** Yes/No polls store these and show them in the reader's language (polls:yesno.*). */
export const YESNO = ['yes', 'no'];

const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });
const graphemes = (s: string) => [...segmenter.segment(s)].map((g) => g.segment);
// A pictograph, a keycap (1️⃣) or a flag (two regional indicators); text characters such as "a" or "©" without VS16 are not.
const PICTO = /^(\p{Extended_Pictographic}|\p{Regional_Indicator}{2}|[0-9#*]\uFE0F?\u20E3)/u;
const TEXTY = /^\p{Extended_Pictographic}$/u;

/** One emoji grapheme (what a reaction is): "👍", "❤️", "🇰🇷", "👩‍💻", "1️⃣". */
export function isEmoji(s: string): boolean {
  const g = graphemes(s);
  if (g.length !== 1 || !PICTO.test(g[0])) return false;
  // ©, ®, ™ and a few others are pictographs only when followed by VS16; digits/letters never.
  return !(TEXTY.test(g[0]) && g[0].codePointAt(0)! < 0x2000 && !g[0].includes('\uFE0F'));
}

/** Emoji compare without the variation selector (platforms add or drop it: "❤" vs "❤️"). */
export const sameEmoji = (a: string, b: string) => a.replace(/\uFE0F/g, '') === b.replace(/\uFE0F/g, '');

/** The labels a poll of this kind stores, from what a moderator typed; refuses anything else. */
export function parseOptions(kind: PollKind, raw: string | undefined): string[] | null {
  if (kind === 'nps' || kind === 'yesno') {
    if (raw?.trim()) throw new UserError('polls:error.noOptions', { kind }, 'options');
    return kind === 'yesno' ? [...YESNO] : null;
  }
  if (!raw?.trim()) throw new UserError('polls:error.optionsNeeded', { min: MIN_OPTIONS, max: MAX_OPTIONS }, 'options');
  const split = kind === 'emoji' ? /[|\n\s]+/ : /[|\n]+/;
  const labels = raw.split(split).map((l) => l.trim()).filter(Boolean);
  if (labels.length < MIN_OPTIONS || labels.length > MAX_OPTIONS) {
    throw new UserError('polls:error.optionCount', { min: MIN_OPTIONS, max: MAX_OPTIONS, count: labels.length }, 'options');
  }
  if (kind === 'emoji') {
    const bad = labels.find((l) => !isEmoji(l));
    if (bad !== undefined) throw new UserError('polls:error.notEmoji', { value: bad }, 'options');
  } else {
    const long = labels.find((l) => [...l].length > MAX_LABEL);
    if (long !== undefined) throw new UserError('polls:error.optionTooLong', { max: MAX_LABEL, value: long.slice(0, 20) }, 'options');
  }
  const key = (l: string) => (kind === 'emoji' ? l.replace(/\uFE0F/g, '') : l.toLowerCase());
  const dup = labels.find((l, i) => labels.findIndex((m) => key(m) === key(l)) !== i);
  if (dup !== undefined) throw new UserError('polls:error.duplicateOption', { value: dup }, 'options');
  return labels;
}

/** Stored labels (JSON) of a choice poll; [] for NPS. */
export function labelsOf(p: { options: string | null }): string[] {
  try {
    const v = p.options ? JSON.parse(p.options) : [];
    return Array.isArray(v) ? v.map(String) : [];
  } catch {
    return [];
  }
}

/**
 * The options a vote names, 0-based: "2", "1,3", an emoji of an emoji poll, or yes/no for a yes/no poll.
 * Refuses numbers out of range, unknown emoji, and more than one option outside multi.
 */
export function parseVote(kind: PollKind, labels: string[], raw: string): number[] {
  const parts = raw.split(/[,\s]+/).map((p) => p.trim()).filter(Boolean);
  const picked: number[] = [];
  for (const part of parts) {
    let i = -1;
    if (/^\d{1,3}$/.test(part)) i = Number(part) - 1;
    else if (kind === 'emoji') i = labels.findIndex((l) => sameEmoji(l, part));
    else if (kind === 'yesno') i = YESNO.indexOf(part.toLowerCase());
    if (i < 0 || i >= labels.length) throw new UserError('polls:error.badOption', { value: part.slice(0, 20), count: labels.length }, 'option');
    if (!picked.includes(i)) picked.push(i);
  }
  if (!picked.length) throw new UserError('polls:error.badOption', { value: raw.slice(0, 20), count: labels.length }, 'option');
  if (kind !== 'multi' && picked.length > 1) throw new UserError('polls:error.oneOption', {}, 'option');
  return picked.sort((a, b) => a - b);
}

/**
 * What a member's choices become: `set` replaces them; `add`/`remove` add or take away; `toggle` flips one.
 * Outside multi there is one choice at most, so anything that adds replaces the current one.
 */
export function nextChoices(kind: PollKind, current: number[], picked: number[], mode: VoteMode): number[] {
  const multi = kind === 'multi';
  switch (mode) {
    case 'set':
      return picked;
    case 'add':
      return multi ? [...new Set([...current, ...picked])].sort((a, b) => a - b) : picked;
    case 'remove':
      return current.filter((c) => !picked.includes(c));
    case 'toggle': {
      if (!multi) return current.includes(picked[0]) ? [] : picked;
      const out = new Set(current);
      for (const p of picked) if (out.has(p)) out.delete(p); else out.add(p);
      return [...out].sort((a, b) => a - b);
    }
  }
}

/** Counts per option and the number of members who answered (the base of each percentage: multi adds up past 100%). */
export interface ChoiceSummary { counts: number[]; voters: number }

export const percent = (n: number, of: number) => (of ? Math.round((n / of) * 100) : 0);
