import { DateTime, FixedOffsetZone, IANAZone } from 'luxon';

/** Durations ("90m", "2h", "1d12h", "1w") and moments ("2026-12-01 18:00" in the community's zone, or "in 2h"). */
const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
/** Far enough for any schedule, near enough that a Date never overflows. */
const MAX_DURATION_MS = 100 * 366 * 86_400_000;

export function parseDuration(text: string): number | null {
  const t = text.trim().toLowerCase().replace(/\s+/g, '');
  if (!/^(\d{1,12}(s|m|h|d|w))+$/.test(t)) return null;
  let ms = 0;
  for (const [, n, u] of t.matchAll(/(\d+)(s|m|h|d|w)/g)) ms += Number(n) * UNIT_MS[u];
  return ms <= MAX_DURATION_MS ? ms : Infinity;
}

export const isValidZone = (zone: string): boolean => IANAZone.isValidZone(zone);

const MOMENT = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?\s*(Z|UTC|[+-]\d{2}:?\d{2})?$/i;

/**
 * An absolute date/time read in `zone` (unless it carries its own offset: "+09:00", "Z") or a time from now
 * ("in 3d", "3d"). A date without a time means the end of that day. Null when it is not a moment;
 * Infinity-far relative times are null too.
 */
export function parseMoment(text: string, now: Date, zone = 'UTC'): Date | null {
  const t = text.trim();
  const rel = parseDuration(t.replace(/^in\s+/i, ''));
  if (rel !== null) return Number.isFinite(rel) ? new Date(now.getTime() + rel) : null;
  const m = MOMENT.exec(t);
  if (!m) return null;
  const [, y, mo, d, hh, mm, ss, offset] = m;
  const where = !offset ? zone : /^(z|utc)$/i.test(offset) ? 'UTC' : FixedOffsetZone.parseSpecifier(`UTC${offset.includes(':') ? offset : `${offset.slice(0, 3)}:${offset.slice(3)}`}`);
  const dt = DateTime.fromObject(
    { year: +y, month: +mo, day: +d, hour: hh ? +hh : 23, minute: hh ? +mm : 59, second: ss ? +ss : 0 },
    { zone: where ?? zone },
  );
  return dt.isValid ? dt.toJSDate() : null;
}

export type Period = 'all' | 'week' | 'month';

/** Start of this week (Monday 00:00) or month (the 1st, 00:00) in the community's zone; null for all time. */
export function periodStart(period: Period, now: Date, zone = 'UTC'): Date | null {
  if (period === 'all') return null;
  return DateTime.fromJSDate(now, { zone }).startOf(period === 'week' ? 'week' : 'month').toJSDate();
}

/**
 * The key of the week ("w:" + the local Monday, "w:2026-11-23") or month ("m:2026-11") that `now` falls in,
 * in the community's zone: the period of a stored points total (PointsTotal.period).
 */
export function periodKey(period: Exclude<Period, 'all'>, now: Date, zone = 'UTC'): string {
  return period === 'week'
    ? intervalKey('week', now, zone, (start) => `w:${start.toISODate()}`)
    : intervalKey('month', now, zone, (start) => `m:${start.toFormat('yyyy-MM')}`);
}

/** The local day ("2026-11-25") of a moment in a zone. */
export function localDay(at: Date, zone: string): string {
  return intervalKey('day', at, zone, (start) => start.toISODate() ?? '');
}

/**
 * The key of the local day, week or month `at` falls in. Asked on every award and activity event; the answer
 * only changes at an edge, so the last interval of each unit and zone is kept with its bounds.
 */
function intervalKey(unit: 'day' | 'week' | 'month', at: Date, zone: string, name: (start: DateTime) => string): string {
  const id = `${unit}|${zone}`;
  const t = at.getTime();
  const last = lastIntervals.get(id);
  if (last && t >= last.from && t < last.to) return last.key;
  const start = DateTime.fromJSDate(at, { zone }).startOf(unit);
  const key = name(start);
  if (lastIntervals.size >= 1000) lastIntervals.clear();
  lastIntervals.set(id, { from: start.toMillis(), to: start.plus({ [`${unit}s`]: 1 }).toMillis(), key });
  return key;
}
const lastIntervals = new Map<string, { from: number; to: number; key: string }>();

export type Repeat = 'none' | 'daily' | 'weekly' | 'monthly';

/**
 * The n-th repetition after `anchor` in local time: a monthly series opened on Jan 31 runs Feb 28, then
 * Mar 31 (always counted from the anchor, so a short month does not shift the day for good).
 */
export function occurrence(anchor: Date, repeat: Repeat, n: number, zone = 'UTC'): Date | null {
  if (repeat === 'none') return null;
  const base = DateTime.fromJSDate(anchor, { zone });
  const step = repeat === 'daily' ? { days: n } : repeat === 'weekly' ? { weeks: n } : { months: n };
  return base.plus(step).toJSDate();
}
