import { createHash, createHmac } from 'node:crypto';

/*
 * The verifiable draw (docs/verifiable-draw.md). Pure: the service, the public draw.json and
 * scripts/verify-draw.mjs all compute the same thing from the same inputs.
 *
 * - seed: 32 random bytes, written as 64 lowercase hex digits; seedHash = sha256 of those 64 characters
 *   (UTF-8), published on the card when the giveaway opens; the seed itself only once it is drawn.
 * - entries: every entry in a fixed order (entry time, then member id), numbered n = 1, 2, ... with its weight.
 * - a random number below `bound` for (round, pick): HMAC-SHA256(key = seed bytes,
 *   message = "<contestId>:<round>:<pick>:<counter>") for counter = 0, 1, ...; its first 6 bytes as a
 *   big-endian 48-bit integer x; accept the first x below floor(2^48 / bound) * bound and use x mod bound
 *   (rejection sampling: no value is favoured).
 * - a round draws `count` picks (pick = 1..count) without replacement: among the entries still in (not drawn
 *   in this or any earlier round), r = random below their total weight; walk them in list order adding up
 *   weights; the first whose running total exceeds r wins.
 * - round 1 is the draw at the end; each reroll or unclaimed-prize replacement is the next round.
 */

export const DRAW_ALGORITHM = 'engage-draw-v1';

const SPAN = 2 ** 48;

export interface DrawEntry { n: number; weight: number }

/** 32 random bytes as hex from a `random(n)` source (crypto in production, seeded in tests). */
export function newSeed(random: (n: number) => number): string {
  return Array.from({ length: 32 }, () => random(256).toString(16).padStart(2, '0')).join('');
}

/** What is published before the draw: sha256 of the seed's 64 hex characters. */
export const seedHashOf = (seed: string) => createHash('sha256').update(seed, 'utf8').digest('hex');

/** A uniform integer in [0, bound) for one pick of one round, from the seed alone. */
export function drawNumber(seed: string, contestId: number, round: number, pick: number, bound: number): number {
  if (!(bound >= 1 && bound <= SPAN)) throw new RangeError(`bound ${bound} out of range`);
  const key = Buffer.from(seed, 'hex');
  const limit = Math.floor(SPAN / bound) * bound;
  for (let counter = 0; ; counter++) {
    const mac = createHmac('sha256', key).update(`${contestId}:${round}:${pick}:${counter}`).digest();
    const x = mac.readUIntBE(0, 6);
    if (x < limit) return x % bound;
  }
}

/** One round: up to `count` distinct entry numbers, weighted, from those not in `excluded`. */
export function drawRound(seed: string, contestId: number, round: number, entries: DrawEntry[], count: number, excluded: Set<number>): number[] {
  const out: number[] = [];
  const taken = new Set(excluded);
  for (let pick = 1; pick <= count; pick++) {
    const left = entries.filter((e) => !taken.has(e.n) && e.weight > 0);
    const total = left.reduce((sum, e) => sum + e.weight, 0);
    if (!total) break;
    const r = drawNumber(seed, contestId, round, pick, total);
    let acc = 0;
    const won = left.find((e) => (acc += e.weight) > r)!;
    out.push(won.n);
    taken.add(won.n);
  }
  return out;
}

/**
 * Chance that an entry of weight `mine` is among `winners` drawn without replacement from entries with the
 * given weights (mine included). Exact for one winner, for equal weights and when everyone wins; otherwise
 * the standard successive-sampling approximation: each weight w wins with 1 - e^(-w·t), t chosen so the
 * chances add up to the number of winners.
 */
export function winChance(mine: number, weights: { weight: number; count: number }[], winners: number): { chance: number; exact: boolean } {
  const entrants = weights.reduce((s, w) => s + w.count, 0);
  const total = weights.reduce((s, w) => s + w.weight * w.count, 0);
  if (!mine || !total) return { chance: 0, exact: true };
  if (winners >= entrants) return { chance: 1, exact: true };
  if (winners === 1) return { chance: mine / total, exact: true };
  if (weights.filter((w) => w.count > 0).length === 1) return { chance: winners / entrants, exact: true };
  const expected = (t: number) => weights.reduce((s, w) => s + w.count * (1 - Math.exp(-w.weight * t)), 0);
  let lo = 0, hi = 1;
  while (expected(hi) < winners) hi *= 2;
  for (let i = 0; i < 100; i++) {
    const mid = (lo + hi) / 2;
    if (expected(mid) < winners) lo = mid; else hi = mid;
  }
  return { chance: 1 - Math.exp(-mine * hi), exact: false };
}

/** What recomputing a published draw needs (the draw.json fields). */
export interface PublishedDraw {
  contestId: number;
  seedHash: string | null;
  seed: string | null;
  entries: DrawEntry[];
  rounds: { round: number; winners: number[] }[];
}

/** Recomputes every round from the seed and the entry list: does sha256(seed) match the hash, and the winners the draw? Null before the draw. */
export function recheck(d: PublishedDraw): { hashOk: boolean; drawOk: boolean; recomputed: { round: number; winners: number[] }[] } | null {
  if (!d.seed) return null;
  const excluded = new Set<number>();
  const recomputed = [...d.rounds].sort((a, b) => a.round - b.round).map((r) => {
    const winners = drawRound(d.seed!, d.contestId, r.round, d.entries, r.winners.length, excluded);
    r.winners.forEach((n) => excluded.add(n));
    return { round: r.round, winners };
  });
  const drawOk = recomputed.every((r) => JSON.stringify(r.winners) === JSON.stringify(d.rounds.find((x) => x.round === r.round)!.winners));
  return { hashOk: seedHashOf(d.seed) === d.seedHash, drawOk, recomputed };
}
