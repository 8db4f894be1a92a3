import { AsyncLocalStorage } from 'node:async_hooks';
import type BetterSqlite3 from 'better-sqlite3';

/**
 * Transactions on the one SQLite connection of a file, without Prisma's interactive-transaction machinery
 * (which cost as much as the statements of a whole /give): a FIFO turn on the connection, then BEGIN, the
 * work, and COMMIT or ROLLBACK straight on better-sqlite3. The work gets the Prisma client itself (behind a
 * guard, below): on one connection its queries run inside the open transaction.
 *
 * Prisma itself also opens transactions on the connection: `$transaction` called directly (tests, tools)
 * and, inside a unit of work, for a write that takes several statements (a create with nested creates).
 * Both go through `adoptAdapter`: the first waits for its turn like everyone else; the second becomes a
 * SAVEPOINT inside the unit that issued it (found through AsyncLocalStorage), never a second BEGIN.
 */

export interface TxOptions {
  /** How long to wait for the turn on the connection, in ms. */
  maxWait: number;
  /** How long the work may take before it is rolled back and its later queries refused, in ms. */
  timeout: number;
}

interface Unit {
  closed: boolean;
  savepoints: number;
}

const closedError = () => Object.assign(new Error('transaction already closed (timed out)'), { code: 'P2028' });

/** At most this many units share one COMMIT, and a group stays open at most this long. */
const GROUP_MAX_UNITS = 64;
const GROUP_MAX_MS = 10;

interface Waiter {
  /** A unit of work (may join the open group); Prisma's own transactions do not. */
  joinable: boolean;
  go(): void;
}

interface Group {
  started: number;
  /** Units that finished in this group, waiting for its COMMIT. */
  waiting: { resolve(): void; reject(err: unknown): void }[];
}

export class SqliteGate {
  private queue: Waiter[] = [];
  private busy = false;
  private group: Group | null = null;
  /** The group is open but no unit runs: the next unit to arrive joins it (see unitDone). */
  private idle = false;
  private seq = 0;
  private readonly units = new AsyncLocalStorage<Unit>();

  constructor(private readonly raw: BetterSqlite3.Database) {}

  /** Waits for the connection (first come, first served). */
  private acquire(maxWait: number, joinable: boolean): Promise<void> {
    if (this.idle && joinable) {
      this.idle = false;
      return Promise.resolve();
    }
    if (!this.busy) {
      this.busy = true;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { joinable, go: () => { clearTimeout(timer); resolve(); } };
      const timer = Number.isFinite(maxWait) ? setTimeout(() => {
        const i = this.queue.indexOf(waiter);
        if (i >= 0) this.queue.splice(i, 1);
        reject(Object.assign(new Error(`timed out after ${maxWait} ms waiting for the database`), { code: 'P2028' }));
      }, maxWait) : undefined;
      this.queue.push(waiter);
    });
  }

  /** Hands the connection to the next waiter (no transaction is open). */
  private handOn(): void {
    const next = this.queue.shift();
    if (next) next.go();
    else this.busy = false;
  }

  /**
   * A unit finished with the connection. Group commit: while more units wait, the next one runs in the same
   * transaction (each in its own savepoint) and they all share one COMMIT; otherwise it commits now. A unit
   * learns that it committed only after that COMMIT.
   */
  private unitDone(): void {
    const g = this.group;
    const roomy = !!g && g.waiting.length < GROUP_MAX_UNITS && Date.now() - g.started < GROUP_MAX_MS;
    if (roomy && this.queue[0]?.joinable) {
      this.queue.shift()!.go();
      return;
    }
    if (roomy && this.queue.length === 0) {
      // Nobody waits yet, but requests may be arriving: keep the group open until the event loop has
      // looked at new I/O once, so that units started by it share this COMMIT.
      this.idle = true;
      setImmediate(() => {
        if (!this.idle || this.group !== g) return;
        this.idle = false;
        this.commit();
      });
      return;
    }
    this.commit();
  }

  /** Commits the open group (if any) and hands the connection on. */
  private commit(): void {
    const g = this.group;
    this.group = null;
    if (g) {
      try {
        this.raw.exec('COMMIT');
        for (const w of g.waiting) w.resolve();
      } catch (err) {
        if (this.raw.inTransaction) this.raw.exec('ROLLBACK');
        for (const w of g.waiting) w.reject(err);
      }
    }
    this.handOn();
  }

  /**
   * Runs `work` as a unit of work: committed when it returns (possibly together with the units around it),
   * undone when it throws or outlives `timeout`.
   */
  async run<C extends object, T>(client: C, work: (tx: C) => Promise<T>, opts: TxOptions): Promise<T> {
    const outer = this.current();
    // Called from inside a unit of work (one connection: it cannot wait for itself): a savepoint in it.
    if (outer) return this.savepoint(outer, async () => await work(guard(client, outer)));
    await this.acquire(opts.maxWait, true);
    if (!this.group) {
      try {
        this.raw.exec('BEGIN');
      } catch (err) {
        this.handOn();
        throw err;
      }
      this.group = { started: Date.now(), waiting: [] };
    }
    const group = this.group;
    const unit: Unit = { closed: false, savepoints: 0 };
    // The first unit of a group needs no savepoint of its own: undoing it is undoing the transaction.
    const first = group.waiting.length === 0;
    const name = `unit_${++this.seq}`;
    const undo = first
      ? () => { this.raw.exec('ROLLBACK'); this.group = null; }
      : () => this.raw.exec(`ROLLBACK TO SAVEPOINT ${name}; RELEASE SAVEPOINT ${name}`);
    if (!first) this.raw.exec(`SAVEPOINT ${name}`);
    const timer = setTimeout(() => {
      // The work is stuck: undo it and move on; whatever it still sends is refused (guard).
      unit.closed = true;
      undo();
      this.unitDone();
    }, opts.timeout);
    let committed: Promise<void> | undefined;
    try {
      // Awaited inside the context: a Prisma query is a lazy thenable that starts only when awaited, and
      // a nested write must find its unit when it asks for a transaction.
      const result = await this.units.run(unit, async () => await work(guard(client, unit)));
      if (unit.closed) throw closedError();
      if (!first) this.raw.exec(`RELEASE SAVEPOINT ${name}`);
      committed = new Promise<void>((resolve, reject) => group.waiting.push({ resolve, reject }));
      return await this.finish(unit, timer, committed).then(() => result);
    } catch (err) {
      if (!committed) {
        if (!unit.closed) undo();
        this.finish(unit, timer);
      }
      throw err;
    }
  }

  /** Ends a unit's turn (once) and waits for its group's COMMIT when it has one. */
  private finish(unit: Unit, timer: NodeJS.Timeout, committed?: Promise<void>): Promise<void> {
    clearTimeout(timer);
    if (!unit.closed) {
      unit.closed = true;
      this.unitDone();
    }
    return committed ?? Promise.resolve();
  }

  private async savepoint<T>(unit: Unit, work: () => Promise<T>): Promise<T> {
    const name = `nested_${++this.seq}`;
    this.raw.exec(`SAVEPOINT ${name}`);
    try {
      const result = await work();
      if (!unit.closed) this.raw.exec(`RELEASE SAVEPOINT ${name}`);
      return result;
    } catch (err) {
      if (!unit.closed) this.raw.exec(`ROLLBACK TO SAVEPOINT ${name}; RELEASE SAVEPOINT ${name}`);
      throw err;
    }
  }

  /** The unit of work the caller runs in, if it is still open. */
  current(): Unit | undefined {
    const u = this.units.getStore();
    return u && !u.closed ? u : undefined;
  }

  /**
   * Routes the Prisma adapter's own transactions through this gate (see the top of this file). The adapter
   * is Prisma's better-sqlite3 adapter object (startTransaction, queryRaw, executeRaw).
   */
  adoptAdapter(adapter: AdapterLike): void {
    const start = adapter.startTransaction.bind(adapter);
    adapter.startTransaction = async (isolationLevel?: string) => {
      const unit = this.current();
      if (unit) return savepointTx(adapter, unit);
      await this.acquire(Infinity, false);
      let released = false;
      const release = () => { if (!released) { released = true; this.handOn(); } };
      try {
        const tx = await start(isolationLevel);
        const commit = tx.commit.bind(tx), rollback = tx.rollback.bind(tx);
        tx.commit = () => commit().finally(release);
        tx.rollback = () => rollback().finally(release);
        return tx;
      } catch (err) {
        release();
        throw err;
      }
    };
  }
}

interface Query { sql: string; args: unknown[]; argTypes: unknown[] }
interface AdapterTx {
  options: unknown;
  queryRaw(q: Query): Promise<unknown>;
  executeRaw(q: Query): Promise<number>;
  commit(): Promise<void>;
  rollback(): Promise<void>;
  [k: string]: unknown;
}
export interface AdapterLike {
  provider: string;
  adapterName: string;
  startTransaction(isolationLevel?: string): Promise<AdapterTx>;
  queryRaw(q: Query): Promise<unknown>;
  executeRaw(q: Query): Promise<number>;
}

/** A transaction Prisma opens inside a unit of work: a savepoint; its COMMIT releases it, its ROLLBACK undoes it. */
export async function savepointTx(adapter: AdapterLike, unit: { savepoints: number }): Promise<AdapterTx> {
  const name = `prisma_nested_${++unit.savepoints}_${Date.now() % 100000}`;
  const exec = (sql: string) => adapter.executeRaw({ sql, args: [], argTypes: [] });
  await exec(`SAVEPOINT ${name}`);
  return {
    provider: adapter.provider,
    adapterName: adapter.adapterName,
    options: { usePhantomQuery: false },
    queryRaw: (q) => adapter.queryRaw(q),
    async executeRaw(q) {
      if (/^\s*COMMIT\s*;?\s*$/i.test(q.sql)) return exec(`RELEASE SAVEPOINT ${name}`);
      if (/^\s*ROLLBACK\s*;?\s*$/i.test(q.sql)) { await exec(`ROLLBACK TO SAVEPOINT ${name}`); return exec(`RELEASE SAVEPOINT ${name}`); }
      return adapter.executeRaw(q);
    },
    commit: async () => {},
    rollback: async () => {},
    createSavepoint: (n: string) => exec(`SAVEPOINT ${n}`),
    rollbackToSavepoint: (n: string) => exec(`ROLLBACK TO ${n}`),
    releaseSavepoint: (n: string) => exec(`RELEASE SAVEPOINT ${n}`),
  };
}

/**
 * The client as a unit of work sees it: once the unit is over (committed, rolled back or timed out),
 * anything it still sends is refused, so a late query never lands in the next unit's transaction.
 */
function guard<C extends object>(client: C, unit: Unit): C {
  return new Proxy(client, {
    get(target, key) {
      if (unit.closed) throw closedError();
      const v = Reflect.get(target, key, target) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}
