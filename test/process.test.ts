import { describe, it, expect, afterEach } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { testBot, type TestBot } from './helpers.js';
import { Runtime } from '../src/runtime.js';
import { defineCommand } from '../src/core/command.js';
import { allCommands } from '../commands/index.js';
import { createLogger } from '../src/infra/log.js';

/*
 * The compiled bot as a process (dist/, built by the install step): it stops cleanly on SIGTERM, also under
 * `npm start`, and a platform it cannot reach stops it within seconds with the reason.
 */

const ROOT = join(import.meta.dirname, '..');
const MAIN = join(ROOT, 'dist/src/main.js');
let dir: string;
let children: ChildProcess[] = [];
let servers: Server[] = [];
let bot: TestBot | undefined;

afterEach(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  for (const s of servers) s.close();
  children = [];
  servers = [];
  await bot?.close();
  bot = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Starts `cmd` with a fresh SQLite file; resolves with its stderr lines so far and its exit, as they come. */
function run(cmd: string, args: string[], env: Record<string, string> = {}) {
  dir = mkdtempSync(join(tmpdir(), 'engage-proc-'));
  const child = spawn(cmd, args, {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: `file:${join(dir, 'bot.db')}`, PORT: '0', LOG_FORMAT: 'json', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  children.push(child);
  let err = '';
  child.stderr!.on('data', (d) => { err += d; });
  const exited = new Promise<{ code: number | null; at: number }>((resolve) => child.on('exit', (code) => resolve({ code, at: Date.now() })));
  const lines = () => err.split('\n').filter(Boolean).map((l) => { try { return JSON.parse(l) as { msg: string; level: number }; } catch { return { msg: l, level: 0 }; } });
  const until = async (text: string, ms = 30_000) => {
    for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 50))) if (err.includes(text)) return;
    throw new Error(`no "${text}" within ${ms} ms; stderr:\n${err}`);
  };
  return { child, exited, lines, until };
}

const pidAlive = (pid: number) => { try { process.kill(pid, 0); return true; } catch { return false; } };

describe.skipIf(!existsSync(MAIN))('the compiled bot as a process', () => {
  it('stops cleanly on SIGTERM within a second, with structured log lines', async () => {
    const p = run(process.execPath, [MAIN, '--console']);
    await p.until('engage bot running');
    const sent = Date.now();
    p.child.kill('SIGTERM');
    const { code, at } = await p.exited;
    expect(code).toBe(0);
    expect(at - sent).toBeLessThan(3000);
    expect(p.lines().map((l) => l.msg)).toEqual(expect.arrayContaining(['SIGTERM: stopping (up to 10 s)...', 'stopped']));
    expect(p.lines().every((l) => l.level > 0)).toBe(true); // every line is JSON
  });

  it('under `npm start`, SIGTERM to npm stops the bot too (npm does not pass it on)', async () => {
    const p = run('npm', ['start', '--', '--console']);
    await p.until('engage bot running');
    const botPid = (p.lines().find((l) => l.msg.startsWith('engage bot running')) as unknown as { pid: number }).pid;
    p.child.kill('SIGTERM');
    await p.exited;
    for (const end = Date.now() + 5000; pidAlive(botPid) && Date.now() < end;) await new Promise((r) => setTimeout(r, 100));
    expect(pidAlive(botPid)).toBe(false);
  });

  it('a platform it cannot reach stops it within seconds, naming the platform and what to check', async () => {
    const refused = run(process.execPath, [MAIN], { TELEGRAM_BOT_TOKEN: '123:abc', TELEGRAM_API_ROOT: 'http://127.0.0.1:9' });
    const started = Date.now();
    const { code, at } = await refused.exited;
    expect(code).toBe(1);
    expect(at - started).toBeLessThan(10_000);
    expect(refused.lines().map((l) => l.msg)).toEqual(expect.arrayContaining([
      'connecting to Telegram...',
      'Telegram: cannot reach 127.0.0.1:9 (ECONNREFUSED). Check the network connection, a proxy or a firewall.',
    ]));
    // A server that accepts and never answers: the start-up deadline.
    const silent = createServer(() => { /* never answers */ });
    servers.push(silent);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as { port: number }).port;
    const hung = run(process.execPath, [MAIN], { TELEGRAM_BOT_TOKEN: '123:abc', TELEGRAM_API_ROOT: `http://127.0.0.1:${port}`, START_TIMEOUT_S: '1' });
    expect((await hung.exited).code).toBe(1);
    expect(hung.lines().map((l) => l.msg)).toContain(`Telegram: no answer from 127.0.0.1:${port} after 1 s. Check the network connection, a proxy or a firewall.`);
  });
});

describe('stopping and log context, in process', () => {
  it('Runtime.stop waits for a command being handled, and lines logged during it carry community, platform and delivery', async () => {
    const out: string[] = [];
    const log = createLogger({ destination: new Writable({ write(chunk, _e, cb) { out.push(String(chunk)); cb(); } }) });
    let release!: () => void;
    const gate = new Promise<void>((r) => { release = r; });
    const slow = defineCommand({
      name: 'slow', permission: 'member', options: {},
      async run() { log.info('inside'); await gate; return { text: 'done' }; },
    });
    bot = await testBot({ commands: [...allCommands, slow] });
    const runtime = new Runtime(bot.engine, []);
    const reply = bot.run('alice', '/slow', { eventKey: 'update-7' });
    await new Promise((r) => setTimeout(r, 50));
    let stopped = false;
    const stopping = runtime.stop(5000).then(() => { stopped = true; });
    await new Promise((r) => setTimeout(r, 100));
    expect(stopped).toBe(false);
    release();
    expect((await reply).text).toBe('done');
    await stopping;
    expect(stopped).toBe(true);
    const line = JSON.parse(out.find((l) => l.includes('inside'))!);
    expect(line).toMatchObject({ msg: 'inside', community: 'test', platform: 'console', delivery: 'update-7', command: 'slow' });
  });
});

describe('Prisma versions', () => {
  it('the migration engine is the one of the client’s Prisma release (checked at start, before migrating)', async () => {
    const { checkEngineMatch } = await import('../src/db/migrate.js');
    const { client, engine } = checkEngineMatch();
    expect(engine.startsWith(`${client}-`)).toBe(true);
    const pkg = JSON.parse((await import('node:fs')).readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    // Every Prisma package pinned to one exact release.
    for (const name of ['prisma', '@prisma/client', '@prisma/adapter-pg', '@prisma/adapter-better-sqlite3', '@prisma/driver-adapter-utils']) expect(pkg.dependencies[name], name).toBe(client);
    expect(pkg.dependencies['@prisma/schema-engine-wasm']).toBe(engine);
  });
});

describe('logs keep secrets out', () => {
  it('masks platform tokens in messages and in errors (grammY puts the Bot API URL with the token in its errors)', () => {
    const out: string[] = [];
    const log = createLogger({ destination: new Writable({ write(chunk, _e, cb) { out.push(String(chunk)); cb(); } }) });
    const url = 'https://api.telegram.org/bot123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/getUpdates';
    log.warn(`telegram: request to ${url} failed`);
    log.error({ err: Object.assign(new Error(`request to ${url} failed`), { error: { message: url } }) }, 'xoxb-1234-5678-abcdefABCDEF leaked?');
    const text = out.join('');
    expect(text).not.toContain('AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw');
    expect(text).not.toContain('abcdefABCDEF');
    expect(text).toContain('bot123456789:<hidden>');
  });
});
