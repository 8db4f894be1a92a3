import { AsyncLocalStorage } from 'node:async_hooks';
import pg from 'pg';
import { PrismaPg } from '@prisma/adapter-pg';
import { savepointTx, type AdapterLike, type TxOptions } from './sqlite-tx.js';

/**
 * Transactions on PostgreSQL without Prisma's interactive-transaction machinery, as on SQLite
 * (src/db/sqlite-tx.ts): a unit of work takes a connection from the pool, runs BEGIN, the work and
 * COMMIT on it through node-postgres, and the hot statements (src/db/fast.ts) go straight to that
 * connection. Prisma queries made during the unit (the client itself is the unit's `tx`) are routed to
 * the same connection by the adapter patch below, found through AsyncLocalStorage; a nested write that
 * Prisma runs in a transaction of its own becomes a savepoint.
 */

export interface PgUnit {
  conn: pg.PoolClient;
  closed: boolean;
  savepoints: number;
  /** The Prisma adapter, reading and writing on this unit's connection. */
  queryable?: AdapterLike;
}

const closedError = () => Object.assign(new Error('transaction already closed (timed out)'), { code: 'P2028' });

/** Values as PostgreSQL takes them for our columns: a Date as UTC text for a `timestamp(3)` column. */
const pgValue = (v: unknown) => (v instanceof Date ? v.toISOString().replace('Z', '') : v);

/** Result types as the rest of the code expects them: counts and sums as numbers, timestamps as UTC. */
const TIMESTAMP = 1114, INT8 = 20, NUMERIC = 1700;
const types = {
  getTypeParser: (oid: number, format?: string) => {
    if (oid === TIMESTAMP) return (s: string) => new Date(`${s.replace(' ', 'T')}Z`);
    if (oid === INT8 || oid === NUMERIC) return (s: string) => Number(s);
    return pg.types.getTypeParser(oid, format as 'text');
  },
};

/** PostgreSQL errors in the codes the engine retries on, as Prisma reports them. */
function prismaCode(err: unknown): unknown {
  const code = (err as { code?: string })?.code;
  if (code === '23505') return Object.assign(err as Error, { code: 'P2002', pgCode: code });
  if (code === '40001' || code === '40P01') return Object.assign(err as Error, { code: 'P2034', pgCode: code });
  return err;
}

const names = new Map<string, string>();
function statementName(text: string): string | undefined {
  let name = names.get(text);
  if (!name && names.size < 500) names.set(text, (name = `engage_${names.size + 1}`));
  return name;
}

export class PgGate {
  private readonly units = new AsyncLocalStorage<PgUnit>();
  private adapter?: AdapterLike;

  constructor(readonly pool: pg.Pool) {}

  /** The unit of work the caller runs in, if it is still open. */
  current(): PgUnit | undefined {
    const u = this.units.getStore();
    return u && !u.closed ? u : undefined;
  }

  /** Runs `work` in a transaction of its own on one pooled connection. */
  async run<C extends object, T>(client: C, work: (tx: C) => Promise<T>, opts: TxOptions): Promise<T> {
    const outer = this.current();
    if (outer) return this.savepoint(outer, () => work(client));
    const conn = await this.connect(opts.maxWait);
    const unit: PgUnit = { conn, closed: false, savepoints: 0 };
    let broken: Error | undefined;
    const timer = setTimeout(() => {
      // Stuck: later queries of the unit are refused; the connection is rolled back and dropped.
      unit.closed = true;
      broken = closedError();
      conn.query('ROLLBACK').catch(() => undefined).finally(() => conn.release(broken));
    }, opts.timeout);
    try {
      await conn.query('BEGIN');
      const result = await this.units.run(unit, async () => await work(client));
      if (unit.closed) throw closedError();
      await conn.query('COMMIT');
      return result;
    } catch (err) {
      if (!unit.closed) await conn.query('ROLLBACK').catch((e) => { broken = e as Error; });
      throw prismaCode(err);
    } finally {
      clearTimeout(timer);
      if (!unit.closed) {
        unit.closed = true;
        conn.release(broken);
      }
    }
  }

  /** Rows of a plain statement on the unit's connection (numbered placeholders already). */
  async query(unit: PgUnit, text: string, values: unknown[]): Promise<{ rows: Record<string, unknown>[]; rowCount: number }> {
    if (unit.closed) throw closedError();
    try {
      // Named: each connection parses and plans a hot statement once, not on every command.
      const r = await unit.conn.query({ name: statementName(text), text, values: values.map(pgValue), types } as pg.QueryConfig);
      return { rows: r.rows, rowCount: r.rowCount ?? 0 };
    } catch (err) {
      throw prismaCode(err);
    }
  }

  private async savepoint<T>(unit: PgUnit, work: () => Promise<T>): Promise<T> {
    const name = `nested_${++unit.savepoints}`;
    await unit.conn.query(`SAVEPOINT ${name}`);
    try {
      const result = await work();
      await unit.conn.query(`RELEASE SAVEPOINT ${name}`);
      return result;
    } catch (err) {
      if (!unit.closed) await unit.conn.query(`ROLLBACK TO SAVEPOINT ${name}`);
      throw err;
    }
  }

  private async connect(maxWait: number): Promise<pg.PoolClient> {
    let timer: NodeJS.Timeout | undefined;
    let late = false;
    const pending = this.pool.connect();
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        late = true;
        reject(Object.assign(new Error(`timed out after ${maxWait} ms waiting for a database connection`), { code: 'P2028' }));
      }, maxWait);
    });
    // A connection that arrives after the wait was given up goes straight back.
    pending.then((c) => { if (late) c.release(); }, () => undefined);
    try {
      return await Promise.race([pending, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Routes the Prisma adapter's queries and transactions made inside a unit to the unit's connection. */
  adoptAdapter(adapter: AdapterLike & { performIO(q: unknown): Promise<unknown> }): void {
    this.adapter = adapter;
    const performIO = adapter.performIO.bind(adapter);
    const start = adapter.startTransaction.bind(adapter);
    adapter.performIO = (query) => {
      // A query from a unit that timed out must not run on its own outside the transaction.
      if (this.units.getStore()?.closed) return Promise.reject(closedError());
      const unit = this.current();
      return unit ? Object.getPrototypeOf(adapter).performIO.call(this.queryableOf(unit), query) : performIO(query);
    };
    adapter.startTransaction = async (isolationLevel?: string) => {
      const unit = this.current();
      return unit ? savepointTx(this.queryableOf(unit), unit) : start(isolationLevel);
    };
  }

  /** The adapter as seen from a unit: the same object, with the unit's connection as its client. */
  private queryableOf(unit: PgUnit): AdapterLike {
    unit.queryable ??= Object.create(this.adapter!, { client: { value: unit.conn } }) as AdapterLike;
    return unit.queryable;
  }
}

/** The Prisma adapter factory for PostgreSQL over a pool we own, its adapter adopted by `gate`. */
export class GatedPrismaPg extends PrismaPg {
  readonly gate: PgGate;
  constructor(url: string) {
    const pool = new pg.Pool({ connectionString: url });
    super(pool, { disposeExternalPool: true });
    this.gate = new PgGate(pool);
  }
  override async connect() {
    const adapter = await super.connect();
    this.gate.adoptAdapter(adapter as unknown as AdapterLike & { performIO(q: unknown): Promise<unknown> });
    return adapter;
  }
}
