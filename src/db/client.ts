import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient as SqliteClient } from '../generated/sqlite/client.js';
import { PrismaClient as PostgresClient } from '../generated/postgres/client.js';
import { DEFAULT_DATABASE_URL, providerOf, sqlitePath, type Provider } from './url.js';
import { lockDatabase } from './lock.js';
import { attachPg, attachSqlite, cachePrepared, gateOf, pgGateOf } from './fast.js';
import { GatedPrismaPg } from './pg-tx.js';
import { SqliteGate, type AdapterLike, type TxOptions } from './sqlite-tx.js';

export { DEFAULT_DATABASE_URL, providerOf, sqlitePath, type Provider };

/** Both generated clients expose the same model API; the SQLite one is the canonical type. */
export type Db = SqliteClient;
export type Tx = Parameters<Parameters<Db['$transaction']>[0]>[0];

export function adapterFactory(url: string) {
  return providerOf(url) === 'sqlite'
    ? new PrismaBetterSqlite3({ url: `file:${sqlitePath(url)}`, timeout: 10_000 })
    : new PrismaPg({ connectionString: url });
}

export interface Database {
  prisma: Db;
  provider: Provider;
  url: string;
  close(): Promise<void>;
}

/** The SQLite adapter, keeping hold of the better-sqlite3 connection it opens (see src/db/fast.ts). */
class SqliteAdapter extends PrismaBetterSqlite3 {
  connection?: import('better-sqlite3').Database;
  gate?: SqliteGate;
  override async connect() {
    const adapter = await super.connect();
    this.connection = (adapter as unknown as { client: import('better-sqlite3').Database }).client;
    cachePrepared(this.connection);
    this.gate = new SqliteGate(this.connection);
    this.gate.adoptAdapter(adapter as unknown as AdapterLike);
    return adapter;
  }
}

async function openSqlite(url: string): Promise<Db> {
  const adapter = new SqliteAdapter({ url: `file:${sqlitePath(url)}`, timeout: 10_000 });
  const prisma = new SqliteClient({ adapter });
  try {
    // WAL + synchronous=NORMAL: ~50x faster single-row writes, still durable across process crashes.
    await prisma.$queryRawUnsafe('PRAGMA journal_mode=WAL');
    await prisma.$executeRawUnsafe('PRAGMA synchronous=NORMAL');
    await prisma.$executeRawUnsafe('PRAGMA foreign_keys=ON');
    await prisma.$executeRawUnsafe('PRAGMA temp_store=MEMORY');
    if (adapter.connection && adapter.gate) attachSqlite(prisma, adapter.connection, adapter.gate);
    return prisma;
  } catch (err) {
    await prisma.$disconnect();
    throw err;
  }
}

/** The one connection per SQLite file in this process, with its users and its process lock. */
const sqliteFiles = new Map<string, { ready: Promise<Db>; users: number; unlock(): void }>();

/**
 * Opens the database. A SQLite file is locked to this process (see lockDatabase): a second process on
 * it throws DatabaseInUseError, which says to use PostgreSQL for several processes. Within a process,
 * opening the same SQLite file again shares its one connection: the Prisma adapter queues transactions
 * on a connection, whereas two connections' transactions wait for each other's file lock inside a
 * synchronous driver call, with the event loop (and so the other transaction's commit) stopped.
 */
export async function openDatabase(url: string = process.env.DATABASE_URL || DEFAULT_DATABASE_URL): Promise<Database> {
  const provider = providerOf(url);
  if (provider === 'postgres') {
    const adapter = new GatedPrismaPg(url);
    const prisma = new PostgresClient({ adapter }) as unknown as Db;
    attachPg(prisma, adapter.gate);
    return { prisma, provider, url, close: () => prisma.$disconnect() };
  }
  const path = sqlitePath(url);
  if (path === ':memory:') {
    const prisma = await openSqlite(url);
    return { prisma, provider, url, close: () => prisma.$disconnect() };
  }
  let file = sqliteFiles.get(path);
  if (!file) {
    const unlock = lockDatabase(url);
    const ready = openSqlite(url);
    const opened = { ready, users: 0, unlock };
    sqliteFiles.set(path, opened);
    ready.catch(() => {
      sqliteFiles.delete(path);
      unlock();
    });
    file = opened;
  }
  const shared = file;
  const prisma = await shared.ready;
  shared.users++;
  let closed = false;
  return {
    prisma, provider, url,
    close: async () => {
      if (closed) return;
      closed = true;
      if (--shared.users > 0) return;
      sqliteFiles.delete(path);
      await prisma.$disconnect();
      shared.unlock();
    },
  };
}

const OWN_TX: TxOptions = { maxWait: 20_000, timeout: 10_000 };

/**
 * One transaction without Prisma's interactive-transaction machinery: src/db/sqlite-tx.ts on SQLite (the
 * file's one connection, group commit), src/db/pg-tx.ts on PostgreSQL (one pooled connection per unit).
 * The work gets the client; its queries run inside the transaction. A client opened some other way gets
 * Prisma's interactive transaction.
 */
export function transaction<T>(prisma: Db, fn: (tx: Tx) => Promise<T>, opts: TxOptions): Promise<T> {
  const gate = gateOf(prisma) ?? pgGateOf(prisma);
  return gate ? gate.run(prisma as Tx, fn, opts) : prisma.$transaction(fn, opts);
}

/**
 * Runs background work (outbox, scheduler) in a transaction of its own. Not a nicety: on SQLite there is
 * one connection, so a lone write would run inside whichever command transaction happens to be open,
 * and be rolled back with it; transactions, in turn, take their turn.
 */
export function inOwnTx<T>(prisma: Db, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return transaction(prisma, fn, OWN_TX);
}
