import { DateTime, IANAZone } from 'luxon';
import { txOf, type Scope } from '../../core/scope.js';
import { sqlRows, type SqlValue } from '../../db/fast.js';
import { category } from '../polls/nps.js';
import { labelsOf, YESNO } from '../polls/choices.js';
import { rangeInstants, type ExportCell, type ExportKind, type ExportRange } from './kinds.js';

/*
 * The exports' reads (src/features/exports/kinds.ts says what they hold). Each call reads one page in the
 * caller's short transaction, by keyset (the ledger by (createdAt, id), see ledgerRows; poll answers by their
 * key (pollId, memberId); redemptions and referrals by id), so a million-row export is a series of small indexed
 * reads and never one result held in memory. Members' names and accounts come with one query per page.
 */

/** Where the ledger's next page starts: the last row's time (as the database gave it) and id. */
interface LedgerCursor { at: string | Date; id: number }
const isLedgerCursor = (c: ExportCursor | null): c is LedgerCursor => typeof c === 'object' && c !== null && !Array.isArray(c);

/** Where the next page starts: the last row's key (the ledger's time and id, an id, or a poll answer's poll id and member id). */
export type ExportCursor = number | readonly [number, string] | LedgerCursor;

export interface ExportPage { rows: ExportCell[][]; next: ExportCursor | null }

/** What the exports page shows of a community: its name, zone, today's local date and, if asked, row counts. */
export interface ExportOverview { name: string; timezone: string; today: string; counts?: Record<ExportKind, number> }

/** ISO 8601 in UTC and in `zone`, fast: the zone's offset is looked up once per quarter hour (transitions fall on those). */
function timeFormatter(zone: string) {
  const z = IANAZone.create(IANAZone.isValidZone(zone) ? zone : 'UTC');
  const offsets = new Map<number, number>();
  const pad = (n: number) => String(n).padStart(2, '0');
  return {
    utc: (d: Date | null): string | null => (d ? d.toISOString() : null),
    local(d: Date | null): string | null {
      if (!d) return null;
      const ms = d.getTime(), q = Math.floor(ms / 900_000);
      let off = offsets.get(q);
      if (off === undefined) {
        off = z.offset(ms);
        if (offsets.size > 10_000) offsets.clear();
        offsets.set(q, off);
      }
      const sign = off < 0 ? '-' : '+', a = Math.abs(off);
      return `${new Date(ms + off * 60_000).toISOString().slice(0, 19)}${sign}${pad(Math.floor(a / 60))}:${pad(a % 60)}`;
    },
  };
}

const communityOf = (s: Scope, communityId: string) =>
  txOf(s).community.findUniqueOrThrow({ where: { id: communityId }, select: { name: true, timezone: true } });

/** IN lists are padded to one of a few sizes, so the statement cache holds a handful of statements, not one per length. */
const inSize = (n: number) => 2 ** Math.max(6, Math.ceil(Math.log2(n)));

/** The members behind a page's ids, in this community only, with one query: name and accounts ("discord:42; slack:U9"). */
async function membersOf(s: Scope, communityId: string, ids: Iterable<string | null>): Promise<Map<string, { name: string; accounts: string }>> {
  const wanted = [...new Set([...ids].filter((x): x is string => !!x))];
  if (!wanted.length) return new Map();
  const list = [...wanted, ...Array<string>(inSize(wanted.length) - wanted.length).fill(wanted[0])];
  const rows = await sqlRows<{ id: string; name: string; platform: string | null; userId: string | null }>(txOf(s),
    `SELECT m."id" AS "id", m."displayName" AS "name", i."platform" AS "platform", i."platformUserId" AS "userId"
     FROM "Member" m LEFT JOIN "Identity" i ON i."memberId" = m."id"
     WHERE m."communityId" = ? AND m."id" IN (${list.map(() => '?').join(',')})`, [communityId, ...list]);
  const accounts = new Map<string, string[]>();
  const out = new Map<string, { name: string; accounts: string }>();
  for (const r of rows) {
    if (!accounts.has(r.id)) accounts.set(r.id, []);
    if (r.platform) accounts.get(r.id)!.push(`${r.platform}:${r.userId}`);
    out.set(r.id, { name: r.name, accounts: '' });
  }
  for (const [id, m] of out) m.accounts = accounts.get(id)!.sort().join('; ');
  return out;
}

/** A DateTime column read through sqlRows: ISO text on SQLite, a Date (read as UTC) on PostgreSQL. */
const dateOf = (v: unknown): Date | null => (v === null || v === undefined ? null : v instanceof Date ? v : new Date(typeof v === 'number' ? v : String(v)));

/**
 * The ledger by keyset on (createdAt, id), not id alone: the only index that starts with the community is
 * (communityId, createdAt), and it is already in (createdAt, id) order (SQLite keeps the rowid in the index), so each
 * page is one short index range with no sort. With `id > ?` the database would sort the community's rows every page.
 */
async function ledgerRows(s: Scope, communityId: string, at: { gte?: Date; lt?: Date }, after: LedgerCursor | null, limit: number) {
  const where = ['"communityId" = ?'];
  const values: SqlValue[] = [communityId];
  if (after) {
    where.push('"createdAt" >= ?', '("createdAt" > ? OR "id" > ?)');
    values.push(after.at, after.at, after.id);
  } else if (at.gte) {
    where.push('"createdAt" >= ?');
    values.push(at.gte);
  }
  if (at.lt) {
    where.push('"createdAt" < ?');
    values.push(at.lt);
  }
  values.push(limit);
  return sqlRows<{ id: number; memberId: string; delta: number; balanceAfter: number; kind: string; reason: string; actorId: string | null; createdAt: string | Date }>(txOf(s),
    `SELECT "id", "memberId", "delta", "balanceAfter", "kind", "reason", "actorId", "createdAt" FROM "LedgerEntry"
     WHERE ${where.join(' AND ')} ORDER BY "createdAt", "id" LIMIT ?`, values);
}

export async function exportOverview(s: Scope, communityId: string, range: ExportRange, withCounts: boolean): Promise<ExportOverview> {
  const c = await communityOf(s, communityId);
  const today = DateTime.fromJSDate(s.now, { zone: IANAZone.isValidZone(c.timezone) ? c.timezone : 'UTC' }).toISODate()!;
  if (!withCounts) return { name: c.name, timezone: c.timezone, today };
  const at = rangeInstants(range, c.timezone);
  const created = Object.keys(at).length ? { createdAt: at } : {};
  const tx = txOf(s);
  const counts: Record<ExportKind, number> = {
    ledger: await tx.ledgerEntry.count({ where: { communityId, ...created } }),
    'poll-answers': await tx.pollResponse.count({ where: { poll: { communityId }, ...created } }),
    'poll-votes': await tx.pollVoter.count({ where: { pollId: { in: await namedChoicePolls(s, communityId).then((m) => [...m.keys()]) }, ...created } }),
    redemptions: await tx.redemption.count({ where: { communityId, ...created } }),
    referrals: await tx.referral.count({ where: { communityId, ...created } }),
  };
  return { name: c.name, timezone: c.timezone, today, counts };
}

/** One page of an export: up to `limit` rows after `after` (null: from the start), in key order. */
export async function exportPage(
  s: Scope, communityId: string, kind: ExportKind, range: ExportRange, after: ExportCursor | null, limit: number,
): Promise<ExportPage> {
  const c = await communityOf(s, communityId);
  const t = timeFormatter(c.timezone);
  const at = rangeInstants(range, c.timezone);
  const created = Object.keys(at).length ? { createdAt: at } : {};
  const tx = txOf(s);
  const idAfter = typeof after === 'number' ? { id: { gt: after } } : {};
  const done = <R>(rows: R[], cells: ExportCell[][], key: (r: R) => ExportCursor): ExportPage =>
    ({ rows: cells, next: rows.length < limit ? null : key(rows[rows.length - 1]) });

  switch (kind) {
    case 'ledger': {
      const rows = await ledgerRows(s, communityId, at, isLedgerCursor(after) ? after : null, limit);
      const who = await membersOf(s, communityId, rows.flatMap((r) => [r.memberId, r.actorId]));
      return done(rows, rows.map((r) => [
        r.id, t.utc(dateOf(r.createdAt)), t.local(dateOf(r.createdAt)), r.memberId, who.get(r.memberId)?.name ?? null, who.get(r.memberId)?.accounts ?? null,
        r.delta, r.balanceAfter, r.kind, r.reason, r.actorId, r.actorId ? who.get(r.actorId)?.name ?? null : null,
      ]), (r) => ({ at: r.createdAt, id: r.id }));
    }
    case 'poll-answers': {
      // No integer id: the key is (pollId, memberId), the table's primary key.
      const keyAfter = Array.isArray(after) ? { OR: [{ pollId: { gt: after[0] } }, { pollId: after[0], memberId: { gt: after[1] } }] } : {};
      const rows = await tx.pollResponse.findMany({
        where: { poll: { communityId }, ...keyAfter, ...created },
        orderBy: [{ pollId: 'asc' }, { memberId: 'asc' }], take: limit,
        include: { poll: { select: { question: true, seriesId: true } } },
      });
      const who = await membersOf(s, communityId, rows.map((r) => r.memberId));
      return done(rows, rows.map((r) => [
        r.pollId, r.poll.question, r.poll.seriesId ?? r.pollId, t.utc(r.createdAt), t.local(r.createdAt), r.memberId, who.get(r.memberId)?.name ?? null,
        r.score, category(r.score), r.comment, r.platform,
      ]), (r) => [r.pollId, r.memberId] as const);
    }
    case 'poll-votes': {
      // Choice polls that are not anonymous (anonymous ones keep no answer per member); keyed like poll answers.
      const polls = await namedChoicePolls(s, communityId);
      const keyAfter = Array.isArray(after) ? { OR: [{ pollId: { gt: after[0] } }, { pollId: after[0], memberId: { gt: after[1] } }] } : {};
      const rows = await tx.pollVoter.findMany({
        where: { pollId: { in: [...polls.keys()] }, ...keyAfter, ...created }, orderBy: [{ pollId: 'asc' }, { memberId: 'asc' }], take: limit,
      });
      const picks = rows.length
        ? await tx.pollChoice.findMany({ where: { OR: rows.map((r) => ({ pollId: r.pollId, memberId: r.memberId })) }, orderBy: { option: 'asc' } })
        : [];
      const chosen = new Map<string, number[]>();
      for (const c of picks) chosen.set(`${c.pollId}:${c.memberId}`, [...(chosen.get(`${c.pollId}:${c.memberId}`) ?? []), c.option]);
      const who = await membersOf(s, communityId, rows.map((r) => r.memberId));
      return done(rows, rows.map((r) => {
        const p = polls.get(r.pollId)!;
        const options = chosen.get(`${r.pollId}:${r.memberId}`) ?? [];
        return [
          r.pollId, p.question, p.kind, t.utc(r.createdAt), t.local(r.createdAt), r.memberId, who.get(r.memberId)?.name ?? null,
          options.map((o) => p.labels[o] ?? `#${o + 1}`).join(' | '), options.map((o) => o + 1).join(','),
        ];
      }), (r) => [r.pollId, r.memberId] as const);
    }
    case 'redemptions': {
      const rows = await tx.redemption.findMany({
        where: { communityId, ...idAfter, ...created }, orderBy: { id: 'asc' }, take: limit, include: { reward: { select: { name: true } } },
      });
      const who = await membersOf(s, communityId, rows.flatMap((r) => [r.memberId, r.handledById]));
      return done(rows, rows.map((r) => [
        r.id, t.utc(r.createdAt), t.local(r.createdAt), r.memberId, who.get(r.memberId)?.name ?? null, r.rewardId, r.reward.name, r.cost, r.status,
        t.utc(r.handledAt), t.local(r.handledAt), r.handledById, r.handledById ? who.get(r.handledById)?.name ?? null : null,
      ]), (r) => r.id);
    }
    case 'referrals': {
      const rows = await tx.referral.findMany({ where: { communityId, ...idAfter, ...created }, orderBy: { id: 'asc' }, take: limit });
      const who = await membersOf(s, communityId, rows.flatMap((r) => [r.referrerId, r.refereeId]));
      return done(rows, rows.map((r) => [
        r.id, t.utc(r.createdAt), t.local(r.createdAt), r.referrerId, who.get(r.referrerId)?.name ?? null, r.refereeId, who.get(r.refereeId)?.name ?? null,
        r.source, r.status, t.utc(r.qualifiedAt), t.local(r.qualifiedAt), t.utc(r.endedAt), t.local(r.endedAt),
      ]), (r) => r.id);
    }
  }
}

/** A community's choice polls whose answers are kept per member (not NPS, not anonymous), by id. */
async function namedChoicePolls(s: Scope, communityId: string): Promise<Map<number, { question: string; kind: string; labels: string[] }>> {
  const polls = await txOf(s).poll.findMany({
    where: { communityId, anonymous: false, kind: { not: 'nps' } }, select: { id: true, question: true, kind: true, options: true }, orderBy: { id: 'asc' },
  });
  // Yes/no polls keep no labels: their options are the words yes and no.
  return new Map(polls.map((p) => [p.id, { question: p.question, kind: p.kind, labels: p.kind === 'yesno' ? [...YESNO] : labelsOf(p) }]));
}
