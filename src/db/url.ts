import { mkdirSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';

/** DATABASE_URL handling without the Prisma clients, so launchers can check it cheaply. */
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
