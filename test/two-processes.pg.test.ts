import { describe, it, expect } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PG_ADMIN_URL, freshPg } from './pg.js';
import { openDatabase } from '../src/db/client.js';
import { Engine } from '../src/engine.js';
import { allCommands } from '../commands/index.js';
import { Clock, seeded } from './helpers.js';

/*
 * Two compiled bot processes (dist/) on one PostgreSQL database, as on two machines: each runs the scheduler and
 * the outbox (every process does, claiming rows). Giveaways that ended while no bot ran are ended once between
 * them, and each announcement is posted once, by one of them.
 */

const ROOT = join(import.meta.dirname, '..');
const MAIN = join(ROOT, 'dist/src/main.js');
const GIVEAWAYS = 8;

describe.skipIf(!PG_ADMIN_URL || !existsSync(MAIN))('two bot processes on one PostgreSQL', () => {
  it('end each due giveaway once and post each announcement once, both running the scheduler and the outbox', async () => {
    const pg = await freshPg('twoproc');
    await pg.migrate();
    const children: ChildProcess[] = [];
    try {
      // Giveaways created ten minutes ago that ended a minute later, while no bot was running.
      const clock = new Clock(new Date(Date.now() - 10 * 60_000).toISOString());
      const db = await openDatabase(pg.url);
      const engine = new Engine(db, { commands: allCommands, now: clock.now, random: seeded(), onError: (e) => { throw e; } });
      const run = (user: string, line: string, admin = false) => {
        const m = /^\/(\S+)\s*([\s\S]*)$/.exec(line)!;
        return engine.handle({
          platform: 'console', communityKey: 'demo', communityName: 'Demo community', address: { kind: 'channel', channelId: 'general' },
          actor: { platform: 'console', userId: user, displayName: user, ...(admin ? { platformRole: 'admin' as const } : {}) }, command: m[1], args: m[2],
        });
      };
      for (let i = 1; i <= GIVEAWAYS; i++) {
        expect((await run('you', `/contest create Prize${i} 1 1m`, true)).error).toBeUndefined();
        for (const u of ['ann', 'ben', 'cat']) expect((await run(u, `/contest enter ${i}`)).error).toBeUndefined();
      }
      await db.close();

      const outputs = [0, 1].map(() => ({ out: '', err: '' }));
      for (const o of outputs) {
        const child = spawn(process.execPath, [MAIN, '--console'], {
          cwd: ROOT, env: { ...process.env, DATABASE_URL: pg.url, PORT: '0', LOG_FORMAT: 'json' }, stdio: ['pipe', 'pipe', 'pipe'],
        });
        child.stdout!.on('data', (d) => { o.out += d; });
        child.stderr!.on('data', (d) => { o.err += d; });
        children.push(child);
      }
      const check = await openDatabase(pg.url);
      try {
        const settled = async () => (await check.prisma.contest.count({ where: { status: 'ended' } })) === GIVEAWAYS
          && (await check.prisma.outboxMessage.count({ where: { status: { not: 'sent' } } })) === 0
          && outputs.every((o) => o.err.includes('engage bot running'));
        for (const end = Date.now() + 45_000; !(await settled()); await new Promise((r) => setTimeout(r, 200))) {
          if (Date.now() > end) throw new Error(`not settled in time:\n${outputs.map((o) => o.err).join('\n---\n')}`);
        }
        // One draw per giveaway, one winner each; every message sent once.
        for (let i = 1; i <= GIVEAWAYS; i++) expect(await check.prisma.contestWinner.count({ where: { contestId: i } })).toBe(1);
        const all = outputs.map((o) => o.out).join('\n');
        // Which process posted what is up to the claims (often both take a share); printed for the record.
        console.log(`posts per process: ${outputs.map((o) => (o.out.match(/^\[#general/gm) ?? []).length).join(' / ')}`);
        for (let i = 1; i <= GIVEAWAYS; i++) expect(all.match(new RegExp(`Giveaway #${i} ended`, 'g')) ?? [], `giveaway ${i}`).toHaveLength(1);
        const sent = await check.prisma.outboxMessage.findMany({ select: { status: true, attempts: true } });
        expect(sent.every((m) => m.status === 'sent' && m.attempts === 1)).toBe(true);
      } finally {
        await check.close();
      }
      // Both stop cleanly.
      const exits = children.map((c) => new Promise<number | null>((resolve) => c.on('exit', (code) => resolve(code))));
      for (const c of children) c.kill('SIGTERM');
      expect(await Promise.all(exits)).toEqual([0, 0]);
    } finally {
      for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
      await pg.drop();
    }
  }, 90_000);
});
