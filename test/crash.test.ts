import { describe, it, expect } from 'vitest';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { openDatabase } from '../src/db/client.js';
import { freshSqlite, seeded } from './helpers.js';
import { PG_ADMIN_URL, freshPg } from './pg.js';
import { ledgerViolations } from './invariants.js';
import { eventKeyAt, kindAt } from './crash/stream.js';

/**
 * The bot killed (SIGKILL) at random moments while it plays a long stream of commands, then restarted:
 * after every kill the ledger invariants hold (test/invariants.ts), every delivery's effects and its
 * redelivery record were committed together or not at all, and the deliveries that were in flight are
 * delivered again on restart (as platforms redeliver) without being applied twice.
 */
const ROOT = join(import.meta.dirname, '..');
const DRIVER = join(ROOT, 'test/crash/driver.ts');
const KILLS = 3;
/** How many of the last deliveries a restart delivers again (more than the driver keeps in flight). */
const REDELIVER = 8;

interface Run { lastDone: number; stderr: string; code: number | null; signal: NodeJS.Signals | null }

/**
 * Starts the driver on `url` from index `from`; kills it `kill.afterMs` after its `kill.after`-th answer
 * (in the middle of the stream, with other deliveries in flight, whatever the machine's speed), or lets
 * it reach `to`.
 */
function drive(url: string, from: number, opts: { kill?: { after: number; afterMs: number }; to?: number }): Promise<Run> {
  return new Promise((resolve, reject) => {
    const args = ['--import', 'tsx', DRIVER, url, String(from), ...(opts.to !== undefined ? [String(opts.to)] : [])];
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let lastDone = -1;
    let answered = 0;
    let stderr = '';
    child.stderr.on('data', (b) => { stderr += b; });
    createInterface({ input: child.stdout }).on('line', (line) => {
      const done = /^done (\d+)$/.exec(line);
      if (!done) return;
      lastDone = Math.max(lastDone, Number(done[1]));
      if (++answered === opts.kill?.after) setTimeout(() => child.kill('SIGKILL'), opts.kill.afterMs);
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ lastDone, stderr, code, signal }));
  });
}

/** After a crash: the invariants, and each grant or take committed with its redelivery record or not at all. */
async function check(url: string, upTo: number, label: string) {
  const db = await openDatabase(url);
  try {
    expect(await ledgerViolations(db.prisma), label).toEqual([]);
    const events = new Set((await db.prisma.processedEvent.findMany({ select: { key: true } })).map((e) => e.key));
    const rows = new Set((await db.prisma.ledgerEntry.findMany({ select: { idempotencyKey: true } })).map((r) => r.idempotencyKey));
    const torn: string[] = [];
    for (let i = 0; i <= upTo; i++) {
      const kind = kindAt(i);
      if (kind !== 'give' && kind !== 'take') continue;
      const key = `slack:${eventKeyAt(i)}`;
      const row = rows.has(`${kind === 'give' ? 'grant' : 'revoke'}:${key}`);
      if (row !== events.has(key)) torn.push(`${i} ${kind}: ledger row ${row}, delivery record ${events.has(key)}`);
    }
    expect(torn, label).toEqual([]);
    return { rows: rows.size, events: events.size };
  } finally {
    await db.close();
  }
}

async function crashAndRestart(url: string, seed: number) {
  const random = seeded(seed);
  let from = 0;
  let highest = 0;
  for (let k = 0; k < KILLS; k++) {
    const kill = { after: 15 + random(40), afterMs: random(25) };
    const run = await drive(url, from, { kill });
    const label = `kill ${k + 1}, ${kill.afterMs} ms after answer ${kill.after}: from ${from} to ${run.lastDone} (CRASH_SEED=${seed})`;
    expect(run.signal, `${label}\n${run.stderr}`).toBe('SIGKILL');
    expect(run.stderr, label).not.toMatch(/INTERNAL/);
    highest = Math.max(highest, run.lastDone + 4 + REDELIVER);
    await check(url, highest, label);
    // Restart a little before the last answered delivery: the ones in flight at the kill come again.
    from = Math.max(0, run.lastDone - REDELIVER);
  }
  // A last run that is not killed: it redelivers the tail and carries on to the end.
  const to = from + REDELIVER + 20;
  const last = await drive(url, from, { to });
  expect(last.code, last.stderr).toBe(0);
  expect(last.stderr).not.toMatch(/INTERNAL/);
  const totals = await check(url, to, `after the last run (CRASH_SEED=${seed})`);
  expect(totals.rows).toBeGreaterThan(10);
}

const seed = Number(process.env.CRASH_SEED ?? Date.now() % 100_000);

// The two databases run side by side: most of the time is the driver starting up.
describe.concurrent('killed at random moments and restarted', () => {
  it('SQLite keeps its ledger whole', async () => {
    const db = await freshSqlite();
    try {
      await crashAndRestart(db.url, seed);
    } finally {
      db.cleanup();
    }
  });

  it.skipIf(!PG_ADMIN_URL)('PostgreSQL keeps its ledger whole', async () => {
    const db = await freshPg('crash');
    try {
      await db.migrate();
      await crashAndRestart(db.url, seed + 1);
    } finally {
      await db.drop();
    }
  });
});
