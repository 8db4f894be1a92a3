/**
 * `npm run bench -- --slack`: the real Slack adapter (adapters/slack, HTTP mode on 127.0.0.1:0, signing secret)
 * on the bench database, its Web API pointed at the fake Slack (test/fakes/slackApi.ts) in a child process
 * (bench/slack-load.ts) that sends signed /give slash commands, 50 at a time. Per request: the HTTP 200 ack, and
 * the answer reaching the response_url (what the member waits for). This process's RSS idle and under load
 * (sampled every 20 ms) and its CPU time per request (process.cpuUsage: the adapter, Bolt and the engine only).
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, HTTPReceiver, LogLevel } from '@slack/bolt';
import { SlackAdapter } from '../adapters/slack/index.js';
import type { Database } from '../src/db/client.js';
import type { Engine } from '../src/engine.js';
import { fmt, percentile, type Report } from './cases.js';

export interface SlackBenchOptions {
  engine: Engine;
  db: Database;
  communityId: string;
  members: number;
  report: Report;
  /** Measured requests (default BENCH_SLACK_REQUESTS or 2000), after 200 unmeasured warm-up ones. */
  total?: number;
  concurrency?: number;
}

const SECRET = 'bench-signing-secret';
const mib = (b: number) => b / 2 ** 20;

export async function slackBench(o: SlackBenchOptions): Promise<Record<string, number>> {
  const total = o.total ?? Number(process.env.BENCH_SLACK_REQUESTS ?? 2_000);
  const concurrency = o.concurrency ?? 50;
  const warmup = 200;
  // Workspace T1 is the bench community; its members U<i> are the seeded members m<i>.
  const targets = Math.min(o.members, total);
  await o.db.prisma.communityBinding.create({ data: { platform: 'slack', externalId: 'T1', communityId: o.communityId } });
  await o.db.prisma.identity.createMany({ data: Array.from({ length: targets }, (_, i) => ({ communityId: o.communityId, platform: 'slack', platformUserId: `U${i}`, username: `u${i}`, memberId: `m${i}` })) });

  const bot = await drive({ total, warmup, concurrency, targets }, async (apiUrl) => {
    const adapter = new SlackAdapter(o.engine, {
      botToken: 'xoxb-bench', signingSecret: SECRET, port: 0, host: '127.0.0.1',
      apiUrl, clientOptions: { retryConfig: { retries: 0 } }, logLevel: LogLevel.ERROR,
    });
    await adapter.start();
    return { url: `http://127.0.0.1:${adapter.port}/slack/events`, stop: () => adapter.stop() };
  });
  // The floor, in the same run: the same load on a Bolt app whose one listener acks with a fixed text.
  const floor = await drive({ total, warmup, concurrency, targets }, async (apiUrl) => {
    const receiver = new HTTPReceiver({ signingSecret: SECRET, endpoints: '/slack/events', port: 0, logLevel: LogLevel.ERROR, processBeforeResponse: false });
    const app = new App({ token: 'xoxb-bench', receiver, convoStore: false, deferInitialization: true, logLevel: LogLevel.ERROR, clientOptions: { slackApiUrl: apiUrl } });
    app.command(/.*/, async ({ ack }) => { await ack({ response_type: 'ephemeral', text: 'ok' }); });
    await app.init();
    const server = (await app.start({ port: 0, host: '127.0.0.1' })) as Server;
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`, stop: () => app.stop() };
  });
  const f = {
    slack_requests: total,
    slack_concurrency: concurrency,
    slack_give_per_s: bot.perS,
    slack_ack_p50_ms: percentile(bot.ack, 50),
    slack_ack_p99_ms: percentile(bot.ack, 99),
    slack_give_p50_ms: percentile(bot.give, 50),
    slack_give_p99_ms: percentile(bot.give, 99),
    slack_rss_idle_mib: mib(bot.rssIdle),
    slack_rss_load_mib: mib(bot.rssLoad),
    slack_cpu_ms_per_req: bot.cpuMs / total,
    bolt_alone_per_s: floor.perS,
    bolt_alone_p50_ms: percentile(floor.give, 50),
    bolt_alone_p99_ms: percentile(floor.give, 99),
    bolt_alone_cpu_ms_per_req: floor.cpuMs / total,
  };
  o.report(`requests (measured, after ${warmup} warm-up), concurrency`, `${fmt(total)}, ${concurrency}`);
  o.report('/give answered per second (closed loop)', fmt(f.slack_give_per_s));
  o.report('HTTP 200 ack latency p50 / p99', `${fmt(f.slack_ack_p50_ms, 2)} / ${fmt(f.slack_ack_p99_ms, 2)} ms`);
  o.report('answer seen by the member (in the ack or at the response_url) p50 / p99', `${fmt(f.slack_give_p50_ms, 2)} / ${fmt(f.slack_give_p99_ms, 2)} ms`);
  o.report('RSS idle / under load (max sampled)', `${fmt(f.slack_rss_idle_mib)} / ${fmt(f.slack_rss_load_mib)} MiB`);
  o.report('CPU per request (this process: adapter, Bolt, engine)', `${fmt(f.slack_cpu_ms_per_req, 2)} ms`);
  o.report('Bolt alone (ack with a fixed text): answered/s, p50 / p99', `${fmt(f.bolt_alone_per_s)}, ${fmt(f.bolt_alone_p50_ms, 2)} / ${fmt(f.bolt_alone_p99_ms, 2)} ms`);
  o.report('Bolt alone: CPU per request', `${fmt(f.bolt_alone_cpu_ms_per_req, 2)} ms`);
  return f;
}

interface Load { total: number; warmup: number; concurrency: number; targets: number }
interface Driven { perS: number; ack: number[]; give: number[]; cpuMs: number; rssIdle: number; rssLoad: number }

/**
 * Starts the load process (bench/slack-load.ts: the fake Slack and the client), a server through `start`
 * (given the fake Web API's URL), and drives the load at it; this process's CPU and RSS are measured.
 */
async function drive(load: Load, start: (apiUrl: string) => Promise<{ url: string; stop(): Promise<unknown> }>): Promise<Driven> {
  const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(new URL('./slack-load.ts', import.meta.url))], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const read = async () => {
    const { value, done } = await lines.next();
    if (done) throw new Error('slack bench: the load process ended early');
    return JSON.parse(String(value));
  };
  let sampler: NodeJS.Timeout | undefined;
  let server: { url: string; stop(): Promise<unknown> } | undefined;
  try {
    server = await start((await read()).apiUrl);
    const rssIdle = process.memoryUsage().rss;
    child.stdin!.write(`${JSON.stringify({ url: server.url, secret: SECRET, ...load })}\n`);
    if ((await read()).phase !== 'load') throw new Error('slack bench: unexpected message from the load process');
    let rssLoad = process.memoryUsage().rss;
    sampler = setInterval(() => { rssLoad = Math.max(rssLoad, process.memoryUsage().rss); }, 20);
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const r = (await read()) as { ack: number[]; give: number[]; errors: number; refusals: number };
    const elapsed = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    rssLoad = Math.max(rssLoad, process.memoryUsage().rss);
    if (r.errors || r.refusals) throw new Error(`slack bench: ${r.errors} error answers, ${r.refusals} refused by the fake Slack`);
    return { perS: (load.total / elapsed) * 1000, ack: r.ack, give: r.give, cpuMs: (cpu.user + cpu.system) / 1000, rssIdle, rssLoad };
  } finally {
    if (sampler) clearInterval(sampler);
    await server?.stop();
    child.kill();
  }
}
