import { describe, it, expect, afterEach } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { testBot, freshSqlite, seeded, type TestBot, HOUR } from './helpers.js';
import { freshPg, PG_ADMIN_URL } from './pg.js';
import { openDatabase, type Database } from '../src/db/client.js';
import { lockDatabase, DatabaseInUseError } from '../src/db/lock.js';
import { shardCountFor } from '../adapters/discord/shard.js';
import { Engine } from '../src/engine.js';
import { Runtime, type PlatformAdapter } from '../src/runtime.js';
import { scheduleJob } from '../src/infra/jobs.js';
import { releaseDeadClaims } from '../src/infra/claims.js';
import { holderIsGone, PROCESS_OWNER } from '../src/infra/owner.js';
import { jobHandlers } from '../src/features/jobs.js';
import { allCommands } from '../commands/index.js';
import type { Address, Reply } from '../src/core/types.js';

/**
 * The background machinery under concurrency: one process per SQLite file, outbox and scheduler writes
 * that no command transaction can take with it, and claims of a process that died.
 */
const ROOT = join(import.meta.dirname, '..');
const mod = { role: 'moderator' as const };
const ADVICE = 'use PostgreSQL (DATABASE_URL=postgres://...) for several processes';

let bot: TestBot | undefined;
const children: ChildProcess[] = [];
const cleanups: (() => void)[] = [];
afterEach(async () => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await bot?.close();
  bot = undefined;
  for (const clean of cleanups.splice(0)) clean();
});

/** A migrated SQLite file, removed after the test. */
async function sqliteFile() {
  const db = await freshSqlite();
  cleanups.push(db.cleanup);
  return db;
}

/** Runs a TypeScript entry of this project in its own Node process. */
function node(file: string, env: Record<string, string>, args: string[] = []) {
  const child = spawn(process.execPath, ['--import', 'tsx', file, ...args], {
    cwd: ROOT,
    env: { ...process.env, DISCORD_TOKEN: '', SLACK_BOT_TOKEN: '', TELEGRAM_BOT_TOKEN: '', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => { stdout += d; });
  child.stderr!.on('data', (d) => { stderr += d; });
  const exited = new Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }>((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  const printed = new Promise<void>((resolve) => child.stdout!.once('data', () => resolve()));
  return { child, exited, printed };
}

/** The pid of a process that has ended. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((resolve) => child.on('exit', resolve));
  return child.pid!;
}

class FakeAdapter implements PlatformAdapter {
  readonly platform = 'console' as const;
  sent: { to: Address; reply: Reply }[] = [];
  async start() {}
  async stop() {}
  async send(to: Address, reply: Reply) { this.sent.push({ to, reply }); }
}
const titles = (a: FakeAdapter) => a.sent.map((s) => s.reply.text.split('\n')[0]);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('one bot process per SQLite file', () => {
  it('stops a second process on the same file at once with the advice to use PostgreSQL, and takes over a dead holder\'s lock', async () => {
    const db = await sqliteFile();
    const first = node('src/main.ts', { DATABASE_URL: db.url }, ['--console']);
    await Promise.race([first.printed, first.exited]);
    expect(first.child.exitCode).toBeNull();
    const second = await node('src/main.ts', { DATABASE_URL: db.url }, ['--console']).exited;
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(`is in use by another bot process (pid ${first.child.pid} on host ${hostname()}`);
    expect(second.stderr).toContain(ADVICE);
    // This process too is refused while the first one runs...
    expect(() => lockDatabase(db.url)).toThrow(DatabaseInUseError);
    await expect(openDatabase(db.url)).rejects.toThrow(ADVICE);
    // ...and takes the lock over as soon as it is killed (no clean-up ran).
    first.child.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    const reopened = await openDatabase(db.url);
    expect(await reopened.prisma.community.count()).toBe(0);
    await reopened.close();
  });

  it('is re-entrant within a process: a file opened twice shares one connection and one lock', async () => {
    const db = await sqliteFile();
    const a = await openDatabase(db.url);
    const b = await openDatabase(db.url);
    expect(b.prisma).toBe(a.prisma);
    await a.close();
    expect(await b.prisma.member.count()).toBe(0); // still open for b
    const release = lockDatabase(db.url);
    release();
    await b.close();
  });

  it('start:sharded refuses several shards on SQLite and says to use PostgreSQL', async () => {
    const db = await sqliteFile();
    await expect(shardCountFor(db.url, 2, async () => 1)).rejects.toThrow(ADVICE);
    await expect(shardCountFor(db.url, 'auto', async () => 3)).rejects.toThrow(/3 bot processes cannot share the SQLite database/);
    expect(await shardCountFor(db.url, 'auto', async () => 1)).toBe(1);
    expect(await shardCountFor('postgres://u@h/db', 'auto', async () => { throw new Error('not asked'); })).toBe('auto');
    // The launcher itself, before it spawns anything.
    const run = await node('adapters/discord/shard.ts', { DATABASE_URL: db.url, DISCORD_TOKEN: 'x', DISCORD_SHARD_COUNT: '2' }).exited;
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(ADVICE);
    expect(run.stderr).not.toContain('launching shard');
  });
});

describe('background writes on the shared SQLite connection', () => {
  /**
   * Opens a command transaction that writes, then stays open until `overlapped` settles (or 300 ms),
   * then fails: everything written on the connection meanwhile is rolled back with it.
   */
  async function failingCommand(b: TestBot, overlapped: () => Promise<unknown>) {
    let begun!: () => void;
    const started = new Promise<void>((r) => { begun = r; });
    let finished!: () => void;
    const overlapDone = new Promise<void>((r) => { finished = r; });
    const command = b.db.prisma.$transaction(async (tx) => {
      await tx.processedEvent.create({ data: { key: 'doomed', reply: '{}', createdAt: b.clock.now() } });
      begun();
      await Promise.race([overlapDone, sleep(300)]);
      throw new Error('command failed');
    });
    await started;
    const other = overlapped().finally(finished);
    await expect(command).rejects.toThrow('command failed');
    await other;
    expect(await b.db.prisma.processedEvent.count()).toBe(0);
  }

  it('a rolled-back command does not undo the outbox\'s "sent" mark, so nothing is sent twice', async () => {
    bot = await testBot();
    const a = new FakeAdapter();
    for (let round = 0; round < 3; round++) {
      await bot.run('mod', `/contest create Prize${round} 1 1d`, mod);
      await failingCommand(bot, () => bot!.engine.deliverOutbox('console', (to, r) => a.send(to, r)));
      expect(await bot.engine.deliverOutbox('console', (to, r) => a.send(to, r))).toBe(0);
    }
    expect(titles(a)).toEqual([0, 1, 2].map((i) => `🎉 **Giveaway #${i + 1}: Prize${i}**`));
    expect(await bot.db.prisma.outboxMessage.findMany({ where: { NOT: { status: 'sent' } } })).toEqual([]);
  });

  it('a rolled-back command does not undo a job\'s claim: the job runs once, on its first attempt', async () => {
    let runs = 0;
    bot = await testBot({ jobs: { ...jobHandlers, 'poll.open': async () => { runs++; } } });
    for (let round = 1; round <= 3; round++) {
      await bot.db.prisma.$transaction((tx) => scheduleJob(tx, 'poll.open', round, bot!.clock.now()));
      await failingCommand(bot, () => Promise.all([bot!.engine.runDueJobs(), bot!.engine.runDueJobs()]));
      expect(await bot.engine.runDueJobs()).toBe(0);
      expect(runs).toBe(round);
      expect(await bot.db.prisma.scheduledJob.findFirstOrThrow({ where: { refId: round } })).toMatchObject({ status: 'done', attempts: 1, lockedBy: null });
    }
  });
});

describe('claims of a process that is gone', () => {
  it('tells a dead or earlier process on this host from a live one or another host', async () => {
    const dead = await deadPid();
    const me = PROCESS_OWNER;
    const [host, pid, start] = me.split(':');
    expect(holderIsGone(me)).toBe(false);
    expect(holderIsGone(`${host}:${dead}:${start}`)).toBe(true);
    expect(holderIsGone(`${host}:${pid}:${Number(start) - 60_000}`)).toBe(true); // this pid, an earlier run
    expect(holderIsGone(`${host}:${process.ppid}:1`)).toBe(false); // alive
    expect(holderIsGone(`elsewhere:${dead}:1`)).toBe(false); // cannot tell: waits out its lock
    expect(holderIsGone('garbage')).toBe(false);
  });

  it('a process killed while holding a job and a message: the next start runs and sends them at once', async () => {
    bot = await testBot();
    await bot.run('mod', '/contest create Mug 1 1h', mod);
    await bot.run('ann', '/contest enter 1');
    bot.clock.advance(2 * HOUR);
    const url = bot.db.url;
    await bot.db.close();
    const crashed = node('test/fixtures/crash-while-claimed.ts', { DATABASE_URL: url, NOW: bot.clock.now().toISOString() });
    expect((await crashed.exited).signal).toBe('SIGKILL');

    const db: Database = await openDatabase(url);
    try {
      const holder = new RegExp(`^${hostname()}:${crashed.child.pid}:\\d+$`);
      expect(await db.prisma.scheduledJob.findFirstOrThrow()).toMatchObject({ status: 'pending', attempts: 1, lockedBy: expect.stringMatching(holder) });
      expect(await db.prisma.outboxMessage.findFirstOrThrow()).toMatchObject({ status: 'sending', lockedBy: expect.stringMatching(holder) });
      // Restart at the same instant: both locks (5 minutes, 1 minute) are far from running out.
      const engine = new Engine(db, { commands: allCommands, now: bot.clock.now, random: seeded(), onError: (e) => { throw e; } });
      const a = new FakeAdapter();
      const logs: string[] = [];
      const rt = new Runtime(engine, [a], { outboxMs: 60_000, log: (m) => logs.push(m) });
      await rt.start();
      await rt.stop();
      expect(logs[0]).toBe('start-up: released 1 job(s), 1 message(s) and 0 webhook delivery(ies) claimed by a process that is gone');
      expect(titles(a)).toEqual(['🎉 **Giveaway #1: Mug**', '🎉 You won giveaway #1: **Mug**!', '🎉 **Giveaway #1 ended: Mug**']);
      expect(await db.prisma.scheduledJob.findFirstOrThrow()).toMatchObject({ status: 'done', attempts: 2, lockedBy: null });
    } finally {
      await db.close();
    }
  });

  describe.skipIf(!PG_ADMIN_URL)('on PostgreSQL (several instances)', () => {
    it('releases only the claims of a dead process or an earlier run on this host', async () => {
      const pgdb = await freshPg('claims');
      await pgdb.migrate();
      const db = await openDatabase(pgdb.url);
      try {
        const dead = await deadPid();
        const [host, pid, start] = PROCESS_OWNER.split(':');
        const holders = {
          dead: `${host}:${dead}:${start}`,
          earlierRun: `${host}:${pid}:${Number(start) - 1000}`,
          alive: `${host}:${process.ppid}:1`,
          otherHost: `elsewhere:${dead}:1`,
          self: PROCESS_OWNER,
        };
        const until = new Date(Date.now() + HOUR);
        let refId = 0;
        for (const lockedBy of Object.values(holders)) {
          refId++;
          await db.prisma.scheduledJob.create({ data: { kind: 'poll.open', refId, runAt: new Date(0), attempts: 1, lockedUntil: until, lockedBy } });
          await db.prisma.outboxMessage.create({ data: { communityId: 'c', platform: 'slack', channelId: 'C1', payload: '{}', status: 'sending', attempts: 1, lockedUntil: until, lockedBy } });
          await db.prisma.webhookDelivery.create({ data: { webhookId: 1, communityId: 'c', event: 'ping', eventKey: `k${refId}`, payload: '{}', status: 'sending', attempts: 1, nextAt: new Date(0), lockedUntil: until, lockedBy } });
        }
        expect(await releaseDeadClaims(db.prisma, { exclusive: false })).toEqual({ jobs: 2, outbox: 2, webhooks: 2 });
        const jobs = await db.prisma.scheduledJob.findMany({ orderBy: { refId: 'asc' } });
        expect(jobs.map((j) => j.lockedBy)).toEqual([null, null, holders.alive, holders.otherHost, holders.self]);
        expect(jobs.map((j) => j.lockedUntil === null)).toEqual([true, true, false, false, false]);
        const msgs = await db.prisma.outboxMessage.findMany({ orderBy: { id: 'asc' } });
        expect(msgs.map((m) => m.status)).toEqual(['pending', 'pending', 'sending', 'sending', 'sending']);
        const deliveries = await db.prisma.webhookDelivery.findMany({ orderBy: { id: 'asc' } });
        expect(deliveries.map((d) => [d.status, d.attempts])).toEqual([['pending', 1], ['pending', 1], ['sending', 1], ['sending', 1], ['sending', 1]]);
        expect(await releaseDeadClaims(db.prisma, { exclusive: false })).toEqual({ jobs: 0, outbox: 0, webhooks: 0 });
      } finally {
        await db.close();
        await pgdb.drop();
      }
    });
  });
});
