import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '../src/db/client.js';
import { migrationsDir } from '../src/db/migrate.js';
import { EARNING_KINDS } from '../src/features/points/service.js';
import { periodKey } from '../src/core/time.js';

/**
 * What must hold of the points ledger whatever happened (races, redeliveries, crashes): every member's
 * balance is the sum of their ledger rows and never negative, their lifetime total is the sum of their
 * earning rows, each row's balanceAfter continues the one before it, and no idempotency key is used twice
 * in a community. Returns the violations (empty when all hold), optionally for one community.
 */
export async function ledgerViolations(prisma: Db, communityId?: string): Promise<string[]> {
  const where = communityId ? { communityId } : {};
  const members = await prisma.member.findMany({ where, select: { id: true, balance: true, lifetimePoints: true } });
  const rows = await prisma.ledgerEntry.findMany({ where, orderBy: { id: 'asc' }, select: { memberId: true, delta: true, balanceAfter: true, kind: true, idempotencyKey: true, communityId: true } });
  const out: string[] = [];
  const sum = new Map<string, number>();
  const earned = new Map<string, number>();
  const keys = new Set<string>();
  for (const r of rows) {
    const balance = (sum.get(r.memberId) ?? 0) + r.delta;
    sum.set(r.memberId, balance);
    if (r.balanceAfter !== balance) out.push(`${r.memberId}: row ${r.idempotencyKey} says balance ${r.balanceAfter}, rows add up to ${balance}`);
    if ((EARNING_KINDS as string[]).includes(r.kind)) earned.set(r.memberId, (earned.get(r.memberId) ?? 0) + r.delta);
    const key = `${r.communityId} ${r.idempotencyKey}`;
    if (keys.has(key)) out.push(`idempotency key used twice: ${key}`);
    keys.add(key);
  }
  for (const m of members) {
    if (m.balance !== (sum.get(m.id) ?? 0)) out.push(`${m.id}: balance ${m.balance}, ledger sum ${sum.get(m.id) ?? 0}`);
    if (m.balance < 0) out.push(`${m.id}: negative balance ${m.balance}`);
    if (m.lifetimePoints !== (earned.get(m.id) ?? 0)) out.push(`${m.id}: lifetime ${m.lifetimePoints}, earning rows ${earned.get(m.id) ?? 0}`);
  }
  return out;
}

/**
 * The stored week/month totals (PointsTotal) against the ledger: for every member and period, the sum of
 * their earning rows made in that week or month of the community's zone (as it is now). For communities
 * without /link merges (a merge moves totals to the other member while the rows stay). Returns the
 * differences, empty when all agree.
 */
export async function totalsViolations(prisma: Db, communityId?: string): Promise<string[]> {
  const where = communityId ? { communityId } : {};
  const zones = new Map((await prisma.community.findMany({ where: communityId ? { id: communityId } : {}, select: { id: true, timezone: true } })).map((c) => [c.id, c.timezone]));
  const rows = await prisma.ledgerEntry.findMany({ where: { ...where, kind: { in: EARNING_KINDS } }, select: { communityId: true, memberId: true, delta: true, createdAt: true } });
  const expected = new Map<string, number>();
  for (const r of rows) {
    for (const p of ['week', 'month'] as const) {
      const key = `${r.communityId} ${periodKey(p, r.createdAt, zones.get(r.communityId))} ${r.memberId}`;
      expected.set(key, (expected.get(key) ?? 0) + r.delta);
    }
  }
  const stored = new Map((await prisma.pointsTotal.findMany({ where })).map((t) => [`${t.communityId} ${t.period} ${t.memberId}`, t.points]));
  const out: string[] = [];
  for (const key of new Set([...expected.keys(), ...stored.keys()])) {
    if ((expected.get(key) ?? 0) !== (stored.get(key) ?? 0)) out.push(`${key}: stored ${stored.get(key) ?? 'nothing'}, ledger ${expected.get(key) ?? 'nothing'}`);
  }
  return out;
}

/**
 * Empties PointsTotal and runs the backfill statement of the points_totals migration, as an upgrade would;
 * returns how its rows differ from the totals kept until then (with what a merged-away account still holds
 * counted for the member it joined, as the backfill counts it). Nonzero rows only.
 */
export async function backfillDifferences(prisma: Db, provider: 'sqlite' | 'postgres'): Promise<string[]> {
  const dir = readdirSync(migrationsDir(provider)).find((d) => d.endsWith('_points_totals'))!;
  const sql = readFileSync(join(migrationsDir(provider), dir, 'migration.sql'), 'utf8');
  const backfill = sql.slice(sql.indexOf('-- Backfill'));
  const links = await prisma.ledgerEntry.findMany({ where: { kind: 'link', idempotencyKey: { endsWith: ':out' } }, select: { idempotencyKey: true } });
  const joined = new Map(links.map((l) => l.idempotencyKey.split(':')).map(([, from, to]) => [from, to]));
  const totals = async (merge: boolean) => {
    const out = new Map<string, number>();
    for (const t of await prisma.pointsTotal.findMany()) {
      const key = `${t.communityId} ${t.period} ${(merge && joined.get(t.memberId)) || t.memberId}`;
      out.set(key, (out.get(key) ?? 0) + t.points);
    }
    return out;
  };
  const kept = await totals(true);
  await prisma.pointsTotal.deleteMany();
  await prisma.$executeRawUnsafe(backfill);
  const filled = await totals(false);
  const out: string[] = [];
  for (const key of new Set([...kept.keys(), ...filled.keys()])) {
    if ((kept.get(key) ?? 0) !== (filled.get(key) ?? 0)) out.push(`${key}: kept ${kept.get(key) ?? 'nothing'}, backfilled ${filled.get(key) ?? 'nothing'}`);
  }
  return out;
}
