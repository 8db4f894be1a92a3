import { mkdirSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient as SqliteClient } from '../generated/sqlite/client.js';
import { PrismaClient as PostgresClient } from '../generated/postgres/client.js';

/** Both generated clients expose the same model API; the SQLite one is the canonical type. */
export type Db = SqliteClient;
export type Tx = Parameters<Parameters<Db['$transaction']>[0]>[0];
export type Provider = 'sqlite' | 'postgres';

export const DEFAULT_DATABASE_URL = 'file:./data/engage.db';

export function providerOf(url: string): Provider {
  if (/^postgres(ql)?:\/\//i.test(url)) return 'postgres';
  if (url.startsWith('file:') || url === ':memory:') return 'sqlite';
  throw new Error(`DATABASE_URL must start with file: (SQLite) or postgres:// (PostgreSQL), got "${url}"`);
}

/** Resolves a relative SQLite file URL against the working directory and makes its folder. */
export function sqlitePath(url: string): string {
  const p = url.replace(/^file:/, '');
  if (p === ':memory:') return p;
  const abs = isAbsolute(p) ? p : resolve(process.cwd(), p);
  mkdirSync(dirname(abs), { recursive: true });
  return abs;
}

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

export async function openDatabase(url: string = process.env.DATABASE_URL || DEFAULT_DATABASE_URL): Promise<Database> {
  const provider = providerOf(url);
  const adapter = adapterFactory(url);
  const prisma = (provider === 'sqlite'
    ? new SqliteClient({ adapter })
    : (new PostgresClient({ adapter }) as unknown as Db));
  if (provider === 'sqlite') {
    // WAL + synchronous=NORMAL: ~50x faster single-row writes, still durable across process crashes.
    await prisma.$queryRawUnsafe('PRAGMA journal_mode=WAL');
    await prisma.$executeRawUnsafe('PRAGMA synchronous=NORMAL');
    await prisma.$executeRawUnsafe('PRAGMA foreign_keys=ON');
  }
  return { prisma, provider, url, close: () => prisma.$disconnect() };
}
