import { DateTime } from 'luxon';
import type { Provider } from '../../db/url.js';
import type { SqlValue } from '../../db/fast.js';

/*
 * Local days in SQL. Neither database is asked about time zones: each local day's bounds (midnight to
 * midnight in the community's zone, 23 or 25 hours long where clocks change) are worked out here with luxon
 * and handed to the statement as a small table of ranges. Each day is then an index range scan on
 * ("communityId", "createdAt"), aggregated in the database: no row list comes back, and nothing is sorted.
 */

export interface LocalDay { day: string; from: Date; to: Date }

/** The local days of a range ending today: `count` ISO days, oldest first, with the moments they span. */
export interface DayRange { days: LocalDay[]; from: Date; to: Date; today: string }

export function dayRange(now: Date, zone: string, count: number): DayRange {
  const today = DateTime.fromJSDate(now, { zone }).startOf('day');
  const first = today.minus({ days: count - 1 });
  const days = Array.from({ length: count }, (_, i) => {
    const start = first.plus({ days: i });
    return { day: start.toISODate()!, from: start.toJSDate(), to: start.plus({ days: 1 }).toJSDate() };
  });
  return { days, from: days[0].from, to: days.at(-1)!.to, today: today.toISODate()! };
}

/**
 * `WITH "b"("i", "lo", "hi") AS (VALUES ...)`: one row per day (its position, its bounds), and the values of its
 * placeholders, which come first in the statement. PostgreSQL is told the placeholders are timestamps (in a
 * VALUES list they would otherwise be text).
 */
export function dayBounds(provider: Provider, days: LocalDay[]): { sql: string; values: SqlValue[] } {
  const at = provider === 'postgres' ? 'CAST(? AS TIMESTAMP(3))' : '?';
  return {
    sql: `WITH "b"("i", "lo", "hi") AS (VALUES ${days.map((_, i) => `(${i}, ${at}, ${at})`).join(', ')}) `,
    values: days.flatMap((d) => [d.from, d.to]),
  };
}
