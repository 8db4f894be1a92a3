import { afterEach, describe, expect, it, vi } from 'vitest';
import { openDatabase, transaction, type Database } from '../src/db/client.js';
import { sqlRows } from '../src/db/fast.js';
import BetterSqlite3 from 'better-sqlite3';
import { sqlitePath } from '../src/db/url.js';
import { freshSqlite } from './helpers.js';

/** The light SQLite transaction (src/db/sqlite-tx.ts) against Prisma's own transactions on the same connection. */
describe('SQLite transactions through the gate', () => {
  let db: Database;
  let cleanup = () => {};
  const open = async () => {
    const f = await freshSqlite();
    cleanup = f.cleanup;
    db = await openDatabase(f.url);
  };
  afterEach(async () => {
    await db?.close();
    cleanup();
  });
  const opts = { maxWait: 5_000, timeout: 5_000 };
  const communities = () => db.prisma.community.count();

  it('commits, and rolls back everything (plain statements and Prisma writes) when the work throws', async () => {
    await open();
    await transaction(db.prisma, async (tx) => { await tx.community.create({ data: { name: 'a' } }); }, opts);
    await expect(transaction(db.prisma, async (tx) => {
      await tx.community.create({ data: { name: 'b' } });
      await sqlRows(tx, 'INSERT INTO "Community" ("id", "name", "createdAt") VALUES (?, ?, ?) RETURNING "id"', ['x', 'c', new Date()]);
      throw new Error('boom');
    }, opts)).rejects.toThrow('boom');
    expect(await communities()).toBe(1);
  });

  it('a nested create Prisma runs in a transaction of its own becomes a savepoint of the unit, rolled back with it', async () => {
    await open();
    await expect(transaction(db.prisma, async (tx) => {
      await tx.community.create({ data: { name: 'n', bindings: { create: { platform: 'console', externalId: 'k' } } } });
      expect(await tx.communityBinding.count()).toBe(1);
      throw new Error('undo');
    }, opts)).rejects.toThrow('undo');
    expect([await communities(), await db.prisma.communityBinding.count()]).toEqual([0, 0]);
    await transaction(db.prisma, (tx) => tx.community.create({ data: { name: 'n', bindings: { create: { platform: 'console', externalId: 'k' } } } }), opts);
    expect([await communities(), await db.prisma.communityBinding.count()]).toEqual([1, 1]);
  });

  it("Prisma's own $transaction and a unit of work take turns instead of colliding on the connection", async () => {
    await open();
    const order: string[] = [];
    let letGo!: () => void;
    const held = new Promise<void>((r) => { letGo = r; });
    const unit = transaction(db.prisma, async (tx) => {
      order.push('unit start');
      await tx.community.create({ data: { name: 'u' } });
      await held;
      order.push('unit end');
    }, opts);
    const prismaTx = db.prisma.$transaction(async (tx) => {
      order.push('prisma');
      await tx.community.create({ data: { name: 'p' } });
    });
    await new Promise((r) => setTimeout(r, 50));
    letGo();
    await Promise.all([unit, prismaTx]);
    expect(order).toEqual(['unit start', 'unit end', 'prisma']);
    expect(await communities()).toBe(2);
  });

  it('a transaction started inside a unit of work is a savepoint in it, not a wait for itself', async () => {
    await open();
    await transaction(db.prisma, async (tx) => {
      await tx.community.create({ data: { name: 'outer' } });
      await expect(transaction(db.prisma, async (inner) => { await inner.community.create({ data: { name: 'inner' } }); throw new Error('inner'); }, opts)).rejects.toThrow('inner');
      await transaction(db.prisma, (inner) => inner.community.create({ data: { name: 'kept' } }), opts);
    }, opts);
    expect((await db.prisma.community.findMany({ orderBy: { name: 'asc' } })).map((c) => c.name)).toEqual(['kept', 'outer']);
  });

  it('work that outlives its timeout is rolled back, its late queries are refused, and the next unit runs', async () => {
    await open();
    let late: Promise<unknown> | undefined;
    const stuck = transaction(db.prisma, async (tx) => {
      await tx.community.create({ data: { name: 'stuck' } });
      await new Promise((r) => setTimeout(r, 150));
      late = Promise.resolve().then(() => tx.community.create({ data: { name: 'late' } }));
      await late;
    }, { maxWait: 1_000, timeout: 50 });
    await new Promise((r) => setTimeout(r, 80));
    await transaction(db.prisma, (tx) => tx.community.create({ data: { name: 'next' } }), opts);
    await expect(stuck).rejects.toMatchObject({ code: 'P2028' });
    await expect(late).rejects.toMatchObject({ code: 'P2028' });
    expect((await db.prisma.community.findMany()).map((c) => c.name)).toEqual(['next']);
  });

  it('units that wait for the connection share one COMMIT; each learns of it only once committed; a failing one undoes only itself', async () => {
    await open();
    const other = new BetterSqlite3(sqlitePath(db.url), { readonly: true });
    const visible = (name: string) => !!other.prepare('SELECT 1 FROM "Community" WHERE "name" = ?').get(name);
    const commits = vi.spyOn(BetterSqlite3.prototype, 'exec');
    const seen: boolean[] = [];
    const units = Array.from({ length: 10 }, (_, i) => transaction(db.prisma, async (tx) => {
      await tx.community.create({ data: { name: `c${i}` } });
      await new Promise((r) => setImmediate(r));
      if (i === 4) throw new Error('no');
    }, opts).then(() => { seen.push(visible(`c${i}`)); }));
    const results = await Promise.allSettled(units);
    const commitCount = commits.mock.calls.filter(([sql]) => sql === 'COMMIT').length;
    commits.mockRestore();
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(1);
    expect(seen).toEqual(Array(9).fill(true)); // committed and visible to another connection when each resolved
    expect(commitCount).toBeLessThan(9);
    expect((await db.prisma.community.findMany({ orderBy: { name: 'asc' } })).map((c) => c.name)).toEqual(['c0', 'c1', 'c2', 'c3', 'c5', 'c6', 'c7', 'c8', 'c9']);
    other.close();
  });

  it('waiting longer than maxWait for the connection is refused', async () => {
    await open();
    let letGo!: () => void;
    const held = new Promise<void>((r) => { letGo = r; });
    const first = transaction(db.prisma, () => held, opts);
    await expect(transaction(db.prisma, async () => 1, { maxWait: 30, timeout: 1_000 })).rejects.toMatchObject({ code: 'P2028' });
    letGo();
    await first;
    expect(await transaction(db.prisma, async () => 2, opts)).toBe(2);
  });
});
