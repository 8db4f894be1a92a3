/**
 * The load side of the Slack bench (bench/slack.ts runs it as a child process, so that the bot process's CPU
 * and memory figures are the bot's alone): a fake Slack Web API (test/fakes/slackApi.ts) that also takes the
 * response_url posts, and a client sending signed /give slash commands to the bot, `concurrency` at a time.
 * Protocol, one JSON line each way: child → {apiUrl}; parent → {url, secret, total, warmup, concurrency, targets};
 * child → {phase: 'load'} after the warm-up, then {ack: number[], give: number[], errors, refusals}.
 */
import { createInterface } from 'node:readline';
import { performance } from 'node:perf_hooks';
import { Agent, request } from 'node:http';
import { FakeSlack, signedForm, type ResponsePost, type SignedRequest } from '../test/fakes/slackApi.js';

interface Job {
  url: string;
  secret: string;
  total: number;
  warmup: number;
  concurrency: number;
  targets: number;
}

const send = (m: unknown) => process.stdout.write(`${JSON.stringify(m)}\n`);
const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();

const fake = new FakeSlack();
await fake.start();
fake.addUser({ id: 'UADMIN', name: 'admin', displayName: 'Admin', admin: true });
// When each response_url post reached the fake, by response id.
const arrivals = new Map<string, (t: number) => void>();
const push = fake.responses.push.bind(fake.responses);
fake.responses.push = (...items: ResponsePost[]) => {
  const t = performance.now();
  for (const r of items) arrivals.get(r.id)?.(t);
  return push(...items);
};
send({ apiUrl: fake.apiUrl });
const job = JSON.parse(String((await lines.next()).value)) as Job;
for (let i = 0; i < job.targets; i++) fake.addUser({ id: `U${i}`, name: `u${i}`, displayName: `member${i}` });

// The client side kept cheap (kept-alive sockets, node:http rather than fetch, requests signed before they
// are timed) so that on a small machine the bot, not the load, is what the figures measure.
const agent = new Agent({ keepAlive: true, maxSockets: job.concurrency });
function post(url: string, req: SignedRequest): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const r = request(url, { method: 'POST', agent, headers: { ...req.headers, 'content-length': Buffer.byteLength(req.body) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    r.on('error', reject);
    r.end(req.body);
  });
}

let errors = 0;
/** One signed /give: [ms until the HTTP 200 ack, ms until the answer arrived: in the ack itself, or at the response_url]. */
function signed(tag: string, i: number): SignedRequest {
  const rid = `${tag}${i}`;
  return signedForm(job.secret, {
    token: 'legacy', team_id: 'T1', team_domain: 'bench', channel_id: 'C1', channel_name: 'general',
    user_id: 'UADMIN', user_name: 'admin', command: '/give', text: `<@U${i % job.targets}> 5 bench`, api_app_id: 'A1',
    is_enterprise_install: 'false', response_url: fake.responseUrl(rid), trigger_id: `trig.${tag}.${i}`,
  });
}

async function give(tag: string, i: number, req: SignedRequest): Promise<[number, number]> {
  const rid = `${tag}${i}`;
  let timer: NodeJS.Timeout | undefined;
  const arrived = new Promise<number>((resolve, reject) => {
    arrivals.set(rid, resolve);
    timer = setTimeout(() => reject(new Error(`no answer for ${rid} within 30 s`)), 30_000);
  });
  const t0 = performance.now();
  const res = await post(job.url, req);
  const ack = performance.now() - t0;
  if (res.status !== 200) throw new Error(`slack bench: HTTP ${res.status} ${res.text}`);
  // An answer ready in time rides in the acknowledgement (the HTTP response); else it comes to the response_url.
  if (res.text) arrivals.get(rid)?.(t0 + ack);
  fake.takeAck(rid, res.text);
  const done = (await arrived) - t0;
  clearTimeout(timer);
  arrivals.delete(rid);
  const answer = fake.responses.find((r) => r.id === rid);
  if (!answer || String(answer.body.text ?? '').includes('⚠️')) errors++;
  return [ack, done];
}

async function run(tag: string, n: number): Promise<[number[], number[]]> {
  const ack: number[] = [];
  const done: number[] = [];
  const reqs = Array.from({ length: n }, (_, i) => signed(tag, i));
  let next = 0;
  await Promise.all(Array.from({ length: job.concurrency }, async () => {
    while (next < n) {
      const i = next++;
      const [a, d] = await give(tag, i, reqs[i]);
      ack.push(a);
      done.push(d);
    }
  }));
  return [ack, done];
}

await run('w', job.warmup);
fake.responses.length = 0;
fake.calls.length = 0;
errors = 0;
send({ phase: 'load' });
const [ack, done] = await run('g', job.total);
send({ ack, give: done, errors, refusals: fake.refusals.length });
await fake.stop();
process.exit(0);
