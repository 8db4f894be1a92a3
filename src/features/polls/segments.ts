import { npsOf, type NpsSummary } from './nps.js';

/* Segments of one NPS run (pure): the service reads one compact row per answer, this groups them. */

const DAY = 86_400_000;

/** How long the member had been in the community when answering. */
export const TENURES = ['under30', 'd30to90', 'd90to365', 'overYear'] as const;
export type Tenure = (typeof TENURES)[number];

export function tenureOf(joinedAt: Date, answeredAt: Date): Tenure {
  const days = (answeredAt.getTime() - joinedAt.getTime()) / DAY;
  return days < 30 ? 'under30' : days < 90 ? 'd30to90' : days < 365 ? 'd90to365' : 'overYear';
}

/** Where a member came from: their referral's source, or organic without one. */
export const SOURCES = ['organic', 'code', 'invite', 'link'] as const;
export type Source = (typeof SOURCES)[number];

/** What the segments need to know about one answer. `tier` is the index of the member's current tier; `platform` null for earlier answers. */
export interface AnswerFacts { score: number; platform: string | null; tier: number; joinedAt: Date; answeredAt: Date; source: string | null }

/** One segment's row: `key` is a platform, a tier name, a tenure or a source ("unknown" for answers without a platform). */
export interface SegmentRow { key: string; summary: NpsSummary }
export interface NpsSegments { platform: SegmentRow[]; tier: SegmentRow[]; tenure: SegmentRow[]; source: SegmentRow[] }

export const UNKNOWN_PLATFORM = 'unknown';

function grouped(rows: AnswerFacts[], keyOf: (r: AnswerFacts) => string, order: string[]): SegmentRow[] {
  const scores = new Map<string, number[]>();
  for (const r of rows) {
    const k = keyOf(r);
    let list = scores.get(k);
    if (!list) scores.set(k, (list = []));
    list.push(r.score);
  }
  const rank = (k: string) => (order.includes(k) ? order.indexOf(k) : order.length);
  return [...scores].sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b)).map(([key, s]) => ({ key, summary: npsOf(s) }));
}

/** Segments by platform (known platforms by name, earlier answers last), tier (lowest first), tenure and referral source; empty segments left out. */
export function segmentsOf(rows: AnswerFacts[], tierNames: string[]): NpsSegments {
  const platform = grouped(rows, (r) => r.platform ?? UNKNOWN_PLATFORM, ['discord', 'slack', 'telegram', 'console', UNKNOWN_PLATFORM]);
  const tier = grouped(rows, (r) => tierNames[r.tier] ?? tierNames[0] ?? '', tierNames);
  const tenure = grouped(rows, (r) => tenureOf(r.joinedAt, r.answeredAt), [...TENURES]);
  const source = grouped(rows, (r) => ((SOURCES as readonly string[]).includes(r.source ?? '') ? r.source! : 'organic'), [...SOURCES]);
  return { platform, tier, tenure, source };
}
