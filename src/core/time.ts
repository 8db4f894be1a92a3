/** Durations ("90m", "2h", "1d12h", "1w") and moments ("2026-12-01 18:00", ISO, or "in 2h"). */
const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

export function parseDuration(text: string): number | null {
  const t = text.trim().toLowerCase().replace(/\s+/g, '');
  if (!/^(\d+(s|m|h|d|w))+$/.test(t)) return null;
  let ms = 0;
  for (const [, n, u] of t.matchAll(/(\d+)(s|m|h|d|w)/g)) ms += Number(n) * UNIT_MS[u];
  return ms;
}

/** Parses an absolute date/time (UTC unless it names a zone) or a relative duration ("in 3d", "3d"). */
export function parseMoment(text: string, now: Date): Date | null {
  const t = text.trim();
  const rel = parseDuration(t.replace(/^in\s+/i, ''));
  if (rel !== null) return new Date(now.getTime() + rel);
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?\s*(Z|UTC|[+-]\d{2}:?\d{2})?$/i.exec(t);
  if (!m) return null;
  const [, y, mo, d, hh, mm, ss, zone] = m;
  // A date without a time means the end of that day.
  const time = hh ? `${hh}:${mm}:${ss ?? '00'}` : '23:59:00';
  const offset = !zone || /^(z|utc)$/i.test(zone) ? 'Z' : zone.includes(':') ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`;
  const date = new Date(`${y}-${mo}-${d}T${time}${offset}`);
  if (Number.isNaN(date.getTime())) return null;
  const day = new Date(Date.UTC(+y, +mo - 1, +d));
  if (day.getUTCMonth() !== +mo - 1 || day.getUTCDate() !== +d) return null; // e.g. 2026-02-30
  return date;
}

export function formatDuration(ms: number): string {
  if (ms <= 0) return 'now';
  const parts: string[] = [];
  let rest = Math.round(ms / 60_000);
  const d = Math.floor(rest / 1440); rest -= d * 1440;
  const h = Math.floor(rest / 60); rest -= h * 60;
  if (d) parts.push(`${d}d`);
  if (h) parts.push(`${h}h`);
  if (rest || !parts.length) parts.push(`${Math.max(rest, ms < 60_000 ? 1 : 0)}m`);
  return parts.join(' ');
}

export const formatDate = (d: Date): string => `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
