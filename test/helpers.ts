import { mkdtempSync, rmSync, copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Database } from '../src/db/client.js';
import { migrateDeploy, listMigrations } from '../src/db/migrate.js';
import { createHash } from 'node:crypto';
import { Engine, type EngineOptions } from '../src/engine.js';
import type { Address, Inbound, Platform, Reply, Role } from '../src/core/types.js';
import { allCommands } from '../commands/index.js';

// One migrated template per process and migration set, copied for each test database.
const MIGRATIONS = listMigrations('sqlite').migrationDirectories.map((d) => d.path).join(',');
const TEMPLATE_DIR = join(tmpdir(), `engage-test-template-${process.pid}-${createHash('sha1').update(MIGRATIONS).digest('hex').slice(0, 8)}`);

/** A migrated SQLite file database in a fresh temp folder (copied from a per-process template). */
export async function freshSqlite(): Promise<{ url: string; dir: string; cleanup(): void }> {
  const template = join(TEMPLATE_DIR, 'template.db');
  if (!existsSync(template)) {
    mkdirSync(TEMPLATE_DIR, { recursive: true });
    await migrateDeploy(`file:${template}`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'engage-test-'));
  copyFileSync(template, join(dir, 'test.db'));
  return { url: `file:${join(dir, 'test.db')}`, dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A controllable clock starting at a fixed instant. */
export class Clock {
  t: number;
  constructor(iso = '2026-11-25T12:00:00Z') { this.t = Date.parse(iso); }
  now = () => new Date(this.t);
  advance(ms: number) { this.t += ms; }
}

export const MIN = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

/** Deterministic random in [0, n) from a seed (mulberry32). */
export function seeded(seed = 42) {
  let a = seed >>> 0;
  return (n: number) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}

export interface TestBot {
  engine: Engine;
  db: Database;
  clock: Clock;
  /** Runs a command as `user` (a console-style name) in community "test". */
  run(user: string, line: string, extra?: Partial<Inbound> & { role?: Role }): Promise<Reply>;
  memberOf(user: string, platform?: Platform): Promise<{ id: string; balance: number; lifetimePoints: number; role: string }>;
  close(): Promise<void>;
}

/** A real engine on a real SQLite file. `run('alice', '/give @bob 10')` parses like the console adapter. */
export async function testBot(opts: Partial<EngineOptions> & { clock?: Clock; platform?: Platform } = {}): Promise<TestBot> {
  const { url, cleanup } = await freshSqlite();
  const db = await openDatabase(url);
  const clock = opts.clock ?? new Clock();
  const engine = new Engine(db, { commands: allCommands, now: clock.now, random: seeded(), onError: (e) => { throw e; }, ...opts });
  const platform = opts.platform ?? 'console';
  const run = (user: string, line: string, extra: Partial<Inbound> & { role?: Role } = {}) => {
    const m = /^\/?(\S+)\s*([\s\S]*)$/.exec(line.trim())!;
    const { role, ...rest } = extra;
    return engine.handle({
      platform, communityKey: 'test', address: { kind: 'channel', channelId: 'general' },
      actor: { platform, userId: user, displayName: user, username: user, platformRole: role },
      command: m[1], args: m[2],
      ...rest,
    });
  };
  const memberOf = async (user: string, p: Platform = platform) => {
    const id = await db.prisma.identity.findFirstOrThrow({ where: { platform: p, platformUserId: user }, include: { member: true } });
    return id.member;
  };
  return { engine, db, clock, run, memberOf, close: async () => { await db.close(); cleanup(); } };
}

/** Delivers every queued notice of `platform` as the adapters would, worded in the reader's language. */
export async function drain(bot: TestBot, platform: Platform = 'console'): Promise<{ to: Address; reply: Reply }[]> {
  const out: { to: Address; reply: Reply }[] = [];
  while (await bot.engine.deliverOutbox(platform, async (to, reply) => { out.push({ to, reply }); })) { /* until empty */ }
  return out;
}
