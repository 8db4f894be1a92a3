import type { Community, Member } from '../generated/sqlite/client.js';

/**
 * Whole Community and Member rows read through plain statements (src/db/fast.ts) on the hot paths, in the
 * shape Prisma returns them. Columns are listed, never `*`, so the shape does not follow the table's order.
 */

const list = (alias: string, cols: readonly string[], prefix = '') => cols.map((c) => `${alias}."${c}"${prefix ? ` AS "${prefix}${c}"` : ''}`).join(', ');

const COMMUNITY_COLS = ['id', 'name', 'referrerReward', 'refereeReward', 'locale', 'timezone', 'tiers', 'activity', 'createdAt'] as const;
const MEMBER_COLS = ['id', 'communityId', 'displayName', 'role', 'balance', 'lifetimePoints', 'referralCode', 'referredById', 'referredAt', 'locale', 'createdAt'] as const;

/** `c."id", c."name", ...` for a SELECT with the Community table under alias `c`. */
export const communityColumns = (alias = 'c') => list(alias, COMMUNITY_COLS);
/** The same for Member under alias `m`; with a prefix, each column comes back as `<prefix><column>`. */
export const memberColumns = (alias = 'm', prefix = '') => list(alias, MEMBER_COLS, prefix);

/** A DateTime column as it comes back from a plain statement: ISO text on SQLite, a Date on PostgreSQL. */
export function dateOf(v: unknown): Date | null {
  if (v === null || v === undefined) return null;
  return v instanceof Date ? v : new Date(v as string);
}

export function communityRow(r: Record<string, unknown>): Community {
  const c = {} as Record<string, unknown>;
  for (const k of COMMUNITY_COLS) c[k] = r[k];
  c.createdAt = dateOf(c.createdAt);
  return c as unknown as Community;
}

export function memberRow(r: Record<string, unknown>, prefix = ''): Member {
  const m = {} as Record<string, unknown>;
  for (const c of MEMBER_COLS) m[c] = r[prefix + c];
  m.referredAt = dateOf(m.referredAt);
  m.createdAt = dateOf(m.createdAt);
  return m as unknown as Member;
}
