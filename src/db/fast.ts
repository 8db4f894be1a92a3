import type BetterSqlite3 from 'better-sqlite3';
import type { Tx } from './client.js';
import type { SqliteGate } from './sqlite-tx.js';
import type { PgGate } from './pg-tx.js';

/**
 * A few hot statements (the points write path) as plain SQL, written once for both databases: double-quoted
 * identifiers, `?` placeholders, ON CONFLICT and RETURNING (SQLite >= 3.35 and PostgreSQL both have them).
 *
 * On SQLite the statement runs directly on the adapter's better-sqlite3 connection, prepared once and kept
 * (the Prisma adapter prepares every statement again, and its query pipeline costs several times the
 * statement itself). The adapter has one connection per file (see openDatabase), so inside a Prisma
 * transaction this is that same transaction: a rollback undoes it too. Elsewhere (PostgreSQL) it goes
 * through `$queryRawUnsafe` on the transaction.
 *
 * Values: numbers, strings, null and Dates (a Date is stored the way Prisma stores it: ISO text on SQLite).
 * Results: integer columns come back as numbers; do not read DateTime columns through this (their form
 * differs between the databases).
 */

export type SqlValue = string | number | null | Date;

const FAST = Symbol.for('engage.fastSqlite');
const MAX_STATEMENTS = 200;

interface Handle {
  raw: BetterSqlite3.Database;
  /** The client itself (not a transaction): its statements run on their own. */
  client: object;
  stmts: Map<string, BetterSqlite3.Statement>;
  /** Turns on the connection for transactions (src/db/sqlite-tx.ts). */
  gate: SqliteGate;
}

/** Called by openDatabase for a SQLite client: its transactions (which read properties through to it) find the connection. */
export function attachSqlite(client: object, raw: BetterSqlite3.Database, gate: SqliteGate): void {
  Object.defineProperty(client, FAST, { value: { raw, client, stmts: new Map(), gate } satisfies Handle, enumerable: false });
}

const PG = Symbol.for('engage.pgGate');

/** Called by openDatabase for a PostgreSQL client: units of work run through `gate` (src/db/pg-tx.ts). */
export function attachPg(client: object, gate: PgGate): void {
  Object.defineProperty(client, PG, { value: gate, enumerable: false });
}

/** The transaction gate of a PostgreSQL client opened by openDatabase. */
export function pgGateOf(client: object): PgGate | undefined {
  return (client as Record<symbol, PgGate | undefined>)[PG];
}

/** The transaction gate of a SQLite client (undefined for PostgreSQL). */
export function gateOf(client: object): SqliteGate | undefined {
  return (client as Record<symbol, Handle | undefined>)[FAST]?.gate;
}

/** The PostgreSQL form of a statement written with `?` placeholders. */
const pgText = new Map<string, string>();
function numbered(sql: string): string {
  let out = pgText.get(sql);
  if (out === undefined) {
    let n = 0;
    out = sql.replace(/\?/g, () => `$${++n}`);
    if (pgText.size < MAX_STATEMENTS) pgText.set(sql, out);
  }
  return out;
}

const sqliteValue = (v: SqlValue) => (v instanceof Date ? v.toISOString().replace('Z', '+00:00') : v);

function statement(h: Handle, sql: string): BetterSqlite3.Statement {
  let st = h.stmts.get(sql);
  if (!st) {
    st = (originalPrepare.get(h.raw) ?? h.raw.prepare).call(h.raw, sql);
    if (st.reader) st.safeIntegers(false);
    if (h.stmts.size >= MAX_STATEMENTS) h.stmts.delete(h.stmts.keys().next().value!);
    h.stmts.set(sql, st);
  }
  return st;
}

function handleOf(tx: Tx): Handle | undefined {
  const h = (tx as unknown as Record<symbol, Handle | undefined>)[FAST];
  if (!h) return undefined;
  // A transaction that Prisma already ended (timed out) must not write on the shared connection.
  if ((tx as object) !== h.client && !h.raw.inTransaction) throw Object.assign(new Error('transaction already closed'), { code: 'P2028' });
  return h;
}

/** Rows of a SELECT, or of a write with RETURNING. */
export async function sqlRows<T extends Record<string, unknown>>(tx: Tx, sql: string, values: SqlValue[]): Promise<T[]> {
  const h = handleOf(tx);
  if (h) {
    try {
      return statement(h, sql).all(values.map(sqliteValue)) as T[];
    } catch (err) {
      throw driverError(err);
    }
  }
  const pgGate = pgGateOf(tx);
  const unit = pgGate?.current();
  if (unit) return (await pgGate!.query(unit, numbered(sql), values)).rows as T[];
  const rows = (await tx.$queryRawUnsafe(numbered(sql), ...values)) as Record<string, unknown>[];
  // PostgreSQL counts and sums can come back as bigint.
  return rows.map((r) => {
    for (const k in r) if (typeof r[k] === 'bigint') r[k] = Number(r[k]);
    return r as T;
  });
}

/** A write without RETURNING: how many rows it changed. */
export async function sqlRun(tx: Tx, sql: string, values: SqlValue[]): Promise<number> {
  const h = handleOf(tx);
  if (h) {
    try {
      return statement(h, sql).run(values.map(sqliteValue)).changes;
    } catch (err) {
      throw driverError(err);
    }
  }
  const pgGate = pgGateOf(tx);
  const unit = pgGate?.current();
  if (unit) return (await pgGate!.query(unit, numbered(sql), values)).rowCount;
  return tx.$executeRawUnsafe(numbered(sql), ...values);
}

/** SQLite errors in the form the engine retries on (a unique clash is P2002, as Prisma reports it). */
function driverError(err: unknown): unknown {
  const code = (err as { code?: string })?.code ?? '';
  if (code.startsWith('SQLITE_CONSTRAINT_UNIQUE') || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') return Object.assign(err as Error, { code: 'P2002' });
  return err;
}

/**
 * A statement cache for the Prisma adapter's own connection: it calls `prepare(sql).bind(args)` for every
 * query; this hands back the statement prepared the first time (bound per call instead of for good).
 */
const originalPrepare = new WeakMap<BetterSqlite3.Database, BetterSqlite3.Database['prepare']>();

export function cachePrepared(raw: BetterSqlite3.Database, max = 500): void {
  originalPrepare.set(raw, raw.prepare);
  const prepare = raw.prepare.bind(raw);
  const cache = new Map<string, BetterSqlite3.Statement>();
  const run = (st: BetterSqlite3.Statement, args: unknown[]) => ({
    reader: st.reader,
    run: () => st.run(...args),
    columns: () => st.columns(),
    raw: () => ({ all: () => st.raw(true).all(...args) }),
    bind: (more: unknown[]) => run(st, more),
  });
  (raw as unknown as { prepare: (sql: string) => unknown }).prepare = (sql: string) => {
    let st = cache.get(sql);
    if (st) {
      cache.delete(sql);
    } else {
      st = prepare(sql);
      if (cache.size >= max) cache.delete(cache.keys().next().value!);
    }
    cache.set(sql, st);
    return run(st, []);
  };
}
