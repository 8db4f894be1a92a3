import { DateTime } from 'luxon';

/*
 * What the exports offer, as pure data shared by the exports service, the engine and the web (dashboard page,
 * CSV route, the REST API): the kinds, their columns and the date range a request may carry.
 */

export const EXPORT_KINDS = ['ledger', 'poll-answers', 'poll-votes', 'redemptions', 'referrals'] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];
export const isExportKind = (k: unknown): k is ExportKind => EXPORT_KINDS.includes(k as ExportKind);

/**
 * One CSV cell. A number is a numeric column (written as is, never guarded); a string is text (guarded against
 * formula injection when written); null is empty. Times are strings already: ISO 8601 in UTC ("…Z") and in the
 * community's zone ("…+09:00").
 */
export type ExportCell = string | number | null;

/**
 * The header row of each kind: stable English machine names (snake_case), the same in every language, so that
 * spreadsheets and CRMs can map them once. Changing them breaks imports: add columns at the end only.
 */
export const EXPORT_COLUMNS: Record<ExportKind, readonly string[]> = {
  ledger: ['id', 'time_utc', 'time_local', 'member_id', 'member_name', 'platform_accounts', 'delta', 'balance_after', 'kind', 'reason', 'actor_id', 'actor_name'],
  'poll-answers': ['poll_id', 'question', 'series_id', 'answered_at_utc', 'answered_at_local', 'member_id', 'member_name', 'score', 'group', 'comment', 'platform'],
  'poll-votes': ['poll_id', 'question', 'kind', 'answered_at_utc', 'answered_at_local', 'member_id', 'member_name', 'choices', 'option_numbers'],
  redemptions: ['id', 'requested_at_utc', 'requested_at_local', 'member_id', 'member_name', 'reward_id', 'reward', 'cost', 'status', 'handled_at_utc', 'handled_at_local', 'handled_by_id', 'handled_by_name'],
  referrals: ['id', 'created_at_utc', 'created_at_local', 'referrer_id', 'referrer_name', 'new_member_id', 'new_member_name', 'source', 'status', 'qualified_at_utc', 'qualified_at_local', 'ended_at_utc', 'ended_at_local'],
};

/** A date range in the community's local dates ("YYYY-MM-DD"), both ends included; either may be open. */
export interface ExportRange { from?: string; to?: string }

const LOCAL_DATE = /^\d{4}-\d{2}-\d{2}$/;
const validDay = (s: string) => LOCAL_DATE.test(s) && DateTime.fromISO(s, { zone: 'UTC' }).isValid;

/** Reads the range of a request (empty strings are open ends); `bad` names the field that is not a date or is out of order. */
export function parseRange(from?: string | null, to?: string | null): { ok: true; range: ExportRange } | { ok: false; bad: 'from' | 'to' | 'order' } {
  const f = from?.trim() || undefined, t = to?.trim() || undefined;
  if (f !== undefined && !validDay(f)) return { ok: false, bad: 'from' };
  if (t !== undefined && !validDay(t)) return { ok: false, bad: 'to' };
  if (f && t && f > t) return { ok: false, bad: 'order' };
  return { ok: true, range: { ...(f ? { from: f } : {}), ...(t ? { to: t } : {}) } };
}

/** The instants a local range covers in `zone`: [start of `from`, start of the day after `to`). */
export function rangeInstants(range: ExportRange, zone: string): { gte?: Date; lt?: Date } {
  const day = (s: string) => DateTime.fromISO(s, { zone });
  return {
    ...(range.from ? { gte: day(range.from).startOf('day').toJSDate() } : {}),
    ...(range.to ? { lt: day(range.to).plus({ days: 1 }).startOf('day').toJSDate() } : {}),
  };
}

/** The download's file name: "<community>-<kind>-<local date>.csv" (path and control characters taken out). */
export function exportFilename(community: string, kind: ExportKind, localDate: string): string {
  const name = community.normalize('NFC').replace(/[\u0000-\u001f\u007f/\\:*?"<>|]+/g, '').trim().replace(/\s+/g, '-').slice(0, 80) || 'community';
  return `${name}-${kind}-${localDate}.csv`;
}
