import Database from 'better-sqlite3';
import { PROCESS_OWNER, describeOwner } from '../infra/owner.js';
import { providerOf, sqlitePath } from './url.js';

/** Why a second process on one SQLite file is refused, and what to do instead. */
export const SEVERAL_PROCESSES_ADVICE = 'SQLite serves a single bot process: use PostgreSQL (DATABASE_URL=postgres://...) for several processes.';

export class DatabaseInUseError extends Error {
  override readonly name = 'DatabaseInUseError';
}

const held = new Map<string, { conn: Database.Database; refs: number }>();

/**
 * Holds `<db>.lock` while this process uses the SQLite file behind `url`, so a second process on the
 * same file stops at start-up with a clear message instead of failing commands at random (they share
 * no transaction lock with this one). The lock is SQLite's own file lock on that small side database,
 * which records the holder ("host:pid:startMs"): the operating system drops it when the process ends,
 * however it ends, so a lock left by a dead process is simply taken over. Re-entrant within a process.
 * Returns the release; PostgreSQL and in-memory databases need no lock.
 */
export function lockDatabase(url: string, owner: string = PROCESS_OWNER): () => void {
  if (providerOf(url) !== 'sqlite') return () => {};
  const path = sqlitePath(url);
  if (path === ':memory:') return () => {};
  const lockPath = `${path}.lock`;
  let entry = held.get(lockPath);
  if (!entry) {
    entry = { conn: acquire(lockPath, path, owner), refs: 0 };
    held.set(lockPath, entry);
  }
  const mine = entry;
  mine.refs++;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    if (--mine.refs === 0) {
      held.delete(lockPath);
      mine.conn.close();
    }
  };
}

function acquire(lockPath: string, dbPath: string, owner: string): Database.Database {
  // A short busy wait rides over another starting process that is only reading the holder's name.
  const conn = new Database(lockPath, { timeout: 1000 });
  try {
    conn.exec('BEGIN IMMEDIATE');
    conn.exec('CREATE TABLE IF NOT EXISTS holder (owner TEXT NOT NULL)');
    conn.exec('DELETE FROM holder');
    conn.prepare('INSERT INTO holder (owner) VALUES (?)').run(owner);
    conn.exec('COMMIT');
    // A write transaction left open for the life of the process holds SQLite's RESERVED lock: other
    // processes can still read who holds it, but cannot take it. (Losing the file to a process that
    // started between the two statements is refused below like any other holder.)
    conn.exec('BEGIN IMMEDIATE');
    return conn;
  } catch (err) {
    const busy = String((err as { code?: string }).code ?? '').startsWith('SQLITE_BUSY');
    const holder = busy ? holderOf(conn) : undefined;
    conn.close();
    if (!busy) throw err;
    throw new DatabaseInUseError(`The SQLite database ${dbPath} is in use by another bot process (${holder ? describeOwner(holder) : 'unknown'}; lock file ${lockPath}). ${SEVERAL_PROCESSES_ADVICE}`);
  }
}

function holderOf(conn: Database.Database): string | undefined {
  try {
    return (conn.prepare('SELECT owner FROM holder').get() as { owner: string } | undefined)?.owner;
  } catch {
    return undefined;
  }
}

/** A refusal when `processes` bot processes would share a SQLite database (e.g. several Discord shards). */
export function severalProcessesRefusal(url: string, processes: number): string | undefined {
  if (providerOf(url) !== 'sqlite' || processes <= 1) return undefined;
  return `${processes} bot processes cannot share the SQLite database ${url}. ${SEVERAL_PROCESSES_ADVICE}`;
}
