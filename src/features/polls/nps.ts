/** Net Promoter Score maths: pure, shared by the polls service and its presenter. */

export interface NpsSummary {
  responses: number;
  promoters: number;
  passives: number;
  detractors: number;
  /** %promoters − %detractors, rounded to a whole number; null with no responses. */
  nps: number | null;
  average: number | null;
  /** Count per score 0..10. */
  histogram: number[];
}

export type Category = 'promoter' | 'passive' | 'detractor';

/** Promoters score 9–10, passives 7–8, detractors 0–6; NPS = %promoters − %detractors (−100..100). */
export function npsOf(scores: number[]): NpsSummary {
  const histogram = Array.from({ length: 11 }, () => 0);
  for (const s of scores) histogram[s]++;
  const promoters = scores.filter((s) => s >= 9).length;
  const detractors = scores.filter((s) => s <= 6).length;
  const n = scores.length;
  return {
    responses: n,
    promoters,
    passives: n - promoters - detractors,
    detractors,
    nps: n ? Math.round(((promoters - detractors) / n) * 100) : null,
    average: n ? Math.round((scores.reduce((a, b) => a + b, 0) / n) * 10) / 10 : null,
    histogram,
  };
}

export const category = (score: number): Category => (score >= 9 ? 'promoter' : score >= 7 ? 'passive' : 'detractor');

/** The comment filter of the dashboard's NPS page, by category. */
export const NPS_GROUPS = ['promoters', 'passives', 'detractors'] as const;
export type NpsGroup = (typeof NPS_GROUPS)[number];
export const groupOf = (score: number): NpsGroup => `${category(score)}s` as NpsGroup;
