import { UserError } from '../../core/errors.js';

/** What one final rank of a season wins: points (paid through the ledger) or a reward from the shop. */
export type Prize = { rank: number; points: number } | { rank: number; rewardId: number };

export const MAX_PRIZES = 10;
const MAX_PRIZE_POINTS = 1_000_000;

/**
 * Reads "1=500, 2=300, 3=reward:4" (rank = points, or rank = reward:<number>) into prizes by rank. Refuses
 * a malformed part, more than 10 prizes, a rank outside 1..10 or given twice, and points outside 1..1,000,000.
 */
export function parsePrizes(text: string): Prize[] {
  const parts = text.split(/[,;、]/).map((p) => p.trim()).filter(Boolean);
  if (parts.length > MAX_PRIZES) throw new UserError('seasons:error.prizes.tooMany', { max: MAX_PRIZES }, 'prizes');
  const prizes: Prize[] = [];
  for (const part of parts) {
    const m = /^#?(\d{1,3})\s*[=:]\s*(?:(\d{1,9})|(?:reward|r)\s*[:#]?\s*(\d{1,9}))$/i.exec(part);
    if (!m) throw new UserError('seasons:error.prizes.format', { part }, 'prizes');
    const rank = Number(m[1]);
    if (rank < 1 || rank > MAX_PRIZES) throw new UserError('seasons:error.prizes.rank', { rank, max: MAX_PRIZES }, 'prizes');
    if (prizes.some((p) => p.rank === rank)) throw new UserError('seasons:error.prizes.twice', { rank }, 'prizes');
    if (m[2] !== undefined) {
      const points = Number(m[2]);
      if (points < 1 || points > MAX_PRIZE_POINTS) throw new UserError('seasons:error.prizes.points', { rank, max: MAX_PRIZE_POINTS }, 'prizes');
      prizes.push({ rank, points });
    } else {
      prizes.push({ rank, rewardId: Number(m[3]) });
    }
  }
  return prizes.sort((a, b) => a.rank - b.rank);
}

/** The prizes stored on a season row (Season.prizes JSON). */
export const storedPrizes = (json: string): Prize[] => JSON.parse(json) as Prize[];
