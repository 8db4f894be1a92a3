import type { Db } from '../src/db/client.js';
import { EARNING_KINDS } from '../src/features/points/service.js';

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
