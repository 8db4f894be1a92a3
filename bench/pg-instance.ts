/**
 * A second bot process for the PostgreSQL bench (bench/pg.ts): its own engine and Prisma client on the bench
 * database. Protocol, one JSON line each way: child → {ready: true} once connected and warmed up; parent →
 * {from, n, concurrency, base, members} to start; child → {ms} when its /give requests are answered.
 */
import { createInterface } from 'node:readline';
import { performance } from 'node:perf_hooks';
import { openDatabase } from '../src/db/client.js';
import { Engine } from '../src/engine.js';
import { allCommands } from '../commands/index.js';
import { concurrentGives } from './cases.js';

const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
const send = (m: unknown) => process.stdout.write(`${JSON.stringify(m)}\n`);
const db = await openDatabase(process.argv[2]);
const engine = new Engine(db, { commands: allCommands, onError: (e) => { throw e; } });
const job = JSON.parse(String((await lines.next()).value)) as { from: number; n: number; concurrency: number; base: number; members: number };
await concurrentGives(engine, { ...job, from: job.from + job.n, n: 100, tag: 'pwarm' }); // connections and prepared plans
send({ ready: true });
await lines.next();
const t = performance.now();
await concurrentGives(engine, { ...job, tag: 'proc' });
send({ ms: performance.now() - t });
await db.close();
process.exit(0);
