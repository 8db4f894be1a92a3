import type { Community, Member } from '../generated/sqlite/client.js';

/**
 * Whole Community and Member rows read through plain statements (src/db/fast.ts) on the hot paths, in the
 * shape Prisma returns them. Columns are listed, never `*`, so the shape does not follow the table's order.
 */

const list = (alias: string, cols: readonly string[]) => cols.map((c) => `${alias}."${c}"`).join(', ');

const COMMUNITY_COLS = ['id', 'name', 'referrerReward', 'refereeReward', 'locale', 'timezone', 'tiers', 'activity', 'createdAt'] as const;
const MEMBER_COLS = ['id', 'communityId', 'displayName', 'role', 'balance', 'lifetimePoints', 'referralCode', 'referredById', 'referredAt', 'locale', 'createdAt'] as const;

/** `c."id", c."name", ...` for a SELECT with the Community table under alias `c`. */
export const communityColumns = (alias = 'c') => list(alias, COMMUNITY_COLS);
/** The same for Member under alias `m`. */
export const memberColumns = (alias = 'm') => list(alias, MEMBER_COLS);

/** A DateTime column as it comes back from a plain statement: ISO text on SQLite, a Date on PostgreSQL. */
export function dateOf(v: unknown): Date | null {
  if (v === null || v === undefined) return null;
  return v instanceof Date ? v : new Date(v as string);
}

export function communityRow(r: Record<string, unknown>): Community {
  return { ...(r as unknown as Community), createdAt: dateOf(r.createdAt)! };
}

export function memberRow(r: Record<string, unknown>): Member {
  const m = {} as Record<string, unknown>;
  for (const c of MEMBER_COLS) m[c] = r[c];
  m.referredAt = dateOf(r.referredAt);
  m.createdAt = dateOf(r.createdAt);
  return m as unknown as Member;
}
