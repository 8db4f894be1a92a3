import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, transaction, type Database } from '../src/db/client.js';
import { sqlRows } from '../src/db/fast.js';
import { freshPg, PG_ADMIN_URL } from './pg.js';

/** Units of work on PostgreSQL through src/db/pg-tx.ts: plain statements and Prisma queries on one connection. */
describe.skipIf(!PG_ADMIN_URL)('PostgreSQL transactions through the gate', () => {
  let db: Database;
  let drop = async () => {};
  const opts = { maxWait: 5_000, timeout: 5_000 };
  const names = async () => (await db.prisma.community.findMany({ orderBy: { name: 'asc' } })).map((c) => c.name);

  beforeAll(async () => {
    const pg = await freshPg('pgtx');
    await pg.migrate();
    drop = pg.drop;
    db = await openDatabase(pg.url);
  });
  afterAll(async () => {
    await db?.close();
    await drop();
  });

  it('plain statements and Prisma writes (a nested create too) commit together and roll back together', async () => {
    await expect(transaction(db.prisma, async (tx) => {
      await tx.community.create({ data: { name: 'a', bindings: { create: { platform: 'console', externalId: 'a' } } } });
      await sqlRows(tx, 'INSERT INTO "Community" ("id", "name", "createdAt") VALUES (?, ?, ?) RETURNING "id"', ['pgtx-b', 'b', new Date()]);
      // Inside the unit, both are visible on its connection.
      expect((await sqlRows<{ n: number }>(tx, 'SELECT COUNT(*) AS "n" FROM "Community"', []))[0].n).toBe(2);
      throw new Error('undo');
    }, opts)).rejects.toThrow('undo');
    expect(await names()).toEqual([]);
    await transaction(db.prisma, async (tx) => {
      await tx.community.create({ data: { name: 'a', bindings: { create: { platform: 'console', externalId: 'a' } } } });
      await sqlRows(tx, 'INSERT INTO "Community" ("id", "name", "createdAt") VALUES (?, ?, ?) RETURNING "id"', ['pgtx-b', 'b', new Date('2026-11-25T12:00:00Z')]);
    }, opts);
    expect(await names()).toEqual(['a', 'b']);
    // Dates go in and come back as UTC instants, counts as numbers.
    const [row] = await sqlRows<{ createdAt: Date }>(db.prisma, 'SELECT "createdAt" FROM "Community" WHERE "id" = ?', ['pgtx-b']);
    expect(new Date(row.createdAt).toISOString()).toBe('2026-11-25T12:00:00.000Z');
  });

  it('a unique clash is reported as P2002, the code the engine retries on', async () => {
    await expect(transaction(db.prisma, (tx) => sqlRows(tx, 'INSERT INTO "Community" ("id", "name", "createdAt") VALUES (?, ?, ?)', ['pgtx-b', 'again', new Date()]), opts))
      .rejects.toMatchObject({ code: 'P2002' });
  });

  it('work that outlives its timeout is rolled back, and its late queries are refused, not run on their own', async () => {
    let late: Promise<unknown> | undefined;
    const stuck = transaction(db.prisma, async (tx) => {
      await tx.community.create({ data: { name: 'stuck' } });
      await new Promise((r) => setTimeout(r, 200));
      late = tx.community.create({ data: { name: 'late' } }).then(() => 'ran', (e) => e);
      await late;
    }, { maxWait: 1_000, timeout: 50 });
    await expect(stuck).rejects.toMatchObject({ code: 'P2028' });
    expect(await late).toMatchObject({ code: 'P2028' });
    expect(await names()).toEqual(['a', 'b']);
  });
});
