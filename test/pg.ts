import pg from 'pg';
import { openDatabase, type Database } from '../src/db/client.js';
import { migrateDeploy } from '../src/db/migrate.js';
import { Engine, type EngineOptions } from '../src/engine.js';
import { Clock, seeded } from './helpers.js';
import type { Inbound } from '../src/core/types.js';
import { allCommands } from '../commands/index.js';

/**
 * PostgreSQL for the suites that need it: the admin URL (.ci/run and scripts/test.sh start a local server and
 * set TEST_PG_URL). Suites skip without it, except in CI, where a missing server is an error.
 */
export const PG_ADMIN_URL = process.env.TEST_PG_URL;
if (process.env.CI && !PG_ADMIN_URL) throw new Error('TEST_PG_URL must be set in CI (.ci/run starts PostgreSQL)');

async function admin(sql: string) {
  const c = new pg.Client({ connectionString: PG_ADMIN_URL });
  await c.connect();
  try { await c.query(sql); } finally { await c.end(); }
}

/** A fresh, empty database on the test server; `migrate()` brings it up to date, `drop()` removes it. */
export async function freshPg(label: string): Promise<{ url: string; migrate(): Promise<string[]>; drop(): Promise<void> }> {
  const name = `engage_${label}_${process.pid}_${Date.now()}`;
  await admin(`CREATE DATABASE ${name}`);
  const u = new URL(PG_ADMIN_URL!);
  u.pathname = `/${name}`;
  const url = u.toString();
  return { url, migrate: () => migrateDeploy(url), drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

/** Two bot instances (two engines, two connection pools) on one migrated PostgreSQL database, sharing a clock. */
export interface TwoInstances {
  e1: Engine;
  e2: Engine;
  a: Database;
  b: Database;
  clock: Clock;
  close(): Promise<void>;
}

export async function twoInstances(label: string, opts: Partial<EngineOptions> = {}): Promise<TwoInstances> {
  const db = await freshPg(label);
  await db.migrate();
  const a = await openDatabase(db.url);
  const b = await openDatabase(db.url);
  const clock = new Clock();
  const engine = (d: Database, seed: number) => new Engine(d, { commands: allCommands, now: clock.now, random: seeded(seed), onError: (e) => { throw e; }, ...opts });
  return {
    e1: engine(a, 1), e2: engine(b, 2), a, b, clock,
    close: async () => { await a.close(); await b.close(); await db.drop(); },
  };
}

/** A Slack command in workspace T1, channel C1; "UADMIN" is a workspace admin. */
export const slackCmd = (user: string, line: string, extra: Partial<Inbound> = {}): Inbound => {
  const m = /^\/?(\S+)\s*([\s\S]*)$/.exec(line)!;
  return {
    platform: 'slack', communityKey: 'T1', address: { kind: 'channel', channelId: 'C1' },
    actor: { platform: 'slack', userId: user, displayName: user, platformRole: user === 'UADMIN' ? 'admin' : undefined },
    command: m[1], args: m[2], ...extra,
  };
};
