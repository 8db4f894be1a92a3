import { describe, it, expect, afterEach } from 'vitest';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { webHarness, formOf, type WebHarness } from './web-harness.js';
import { HOUR } from './helpers.js';
import { retryDelay, MAX_ATTEMPTS } from '../src/features/webhooks/service.js';
import { Runtime } from '../src/runtime.js';
import { isPrivateAddress, publicDestination } from '../src/infra/webhook-address.js';

let h: WebHarness;
let receiver: Receiver | undefined;
afterEach(async () => { await receiver?.close(); receiver = undefined; await h?.close(); });

interface Received { headers: IncomingHttpHeaders; body: string }
interface Receiver { url: string; got: Received[]; answer: (n: number) => number | 'hang'; close(): Promise<void> }

/** A local webhook receiver: records every request and answers `answer(n)` (n counts from 1); 'hang' never answers. */
async function listen(answer: Receiver['answer'] = () => 200): Promise<Receiver> {
  const got: Received[] = [];
  const r: Receiver = { url: '', got, answer, close: async () => {} };
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      got.push({ headers: req.headers, body });
      const a = r.answer(got.length);
      if (a !== 'hang') res.writeHead(a).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  r.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  r.close = () => new Promise<void>((resolve) => { server.close(() => resolve()); server.closeAllConnections(); });
  return r;
}

/** What a receiver does with X-Engage-Signature (the README's recipe). */
function verify(secret: string, header: string, body: string): boolean {
  const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header);
  if (!m) return false;
  const expected = createHmac('sha256', secret).update(`${m[1]}.${body}`).digest();
  return timingSafeEqual(expected, Buffer.from(m[2], 'hex'));
}

const mod = { role: 'moderator' as const };

/** A moderator's session and a webhook added on the page; returns its signing secret. */
async function addWebhook(url: string, events: string[]) {
  await h.bot.run('mod', '/points', mod);
  const { cookie, home } = await h.session('mod', 'test', 'admin');
  const page = await (await h.get(`${home}api`, cookie)).text();
  const guard = formOf(page, '/api/webhooks');
  const body = new URLSearchParams({ ...guard, url });
  for (const e of events) body.append('events', e);
  const res = await fetch(`${h.base}${home}api/webhooks`, { method: 'POST', headers: { cookie }, body });
  const html = await res.text();
  expect(res.status, html).toBe(200);
  const secret = /<code class="secret">(whsec_[A-Za-z0-9_-]+)<\/code>/.exec(html)?.[1];
  expect(secret, html).toBeDefined();
  const hook = await h.bot.db.prisma.webhook.findFirstOrThrow({ orderBy: { id: 'desc' } });
  return { secret: secret!, cookie, home, hookId: hook.id, body };
}

/** A challenge approved through chat commands: one `challenge.approved` event. */
async function approveOne() {
  await h.bot.run('mod', '/challenge create "Share a post" 50 3d Post about us', mod);
  await h.bot.run('ann', '/challenge submit 1 https://example.com/post/1');
  const a = await h.bot.run('mod', '/challenge approve 1', mod);
  expect(a.error, a.text).toBeUndefined();
}

const deliveries = () => h.bot.db.prisma.webhookDelivery.findMany({ orderBy: { id: 'asc' } });

describe('outgoing webhooks', () => {
  it('never reaches private networks unless allowed: literal addresses refused at creation, names checked before each request; errors say little', async () => {
    for (const ip of ['127.0.0.1', '10.1.2.3', '169.254.169.254', '192.168.0.1', '172.16.5.5', '100.64.0.1', '::1', 'fd00::1', 'fe80::1', '::ffff:127.0.0.1', '0.0.0.0']) {
      expect(isPrivateAddress(ip), ip).toBe(true);
    }
    for (const ip of ['8.8.8.8', '203.0.113.9', '2606:4700::1111']) expect(isPrivateAddress(ip), ip).toBe(false);
    expect(await publicDestination(new URL('https://127.0.0.1/x'))).toBe(false);
    expect(await publicDestination(new URL('https://[::1]/x'))).toBe(false);
    expect(await publicDestination(new URL('http://localhost:9/x'))).toBe(false);

    h = await webHarness();
    const r = receiver = await listen();
    const { hookId } = await addWebhook(r.url, ['challenge.approved']);
    await approveOne();
    // As in production (no WEBHOOK_ALLOW_PRIVATE): the receiver on 127.0.0.1 is not contacted.
    await h.bot.engine.deliverWebhooks({ allowPrivate: false });
    expect(r.got).toHaveLength(0);
    expect((await deliveries())[0]).toMatchObject({ webhookId: hookId, status: 'pending', attempts: 1, lastError: 'address not allowed' });
    // A closed port: the error names the kind of failure only.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    await h.bot.db.prisma.webhook.update({ where: { id: hookId }, data: { url: `http://127.0.0.1:${port}/hook` } });
    h.bot.clock.advance(HOUR);
    await h.bot.engine.deliverWebhooks();
    expect((await deliveries())[0]).toMatchObject({ attempts: 2, lastError: 'connection failed' });
    // Refused at creation where private networks are not allowed.
    const before = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      const { cookie, home } = await h.session('boss', 'test', 'admin');
      const page = await (await h.get(`${home}api`, cookie)).text();
      for (const url of ['https://10.0.0.7/hook', 'https://[::1]/hook', 'http://localhost:8080/hook']) {
        const body = new URLSearchParams({ ...formOf(page, '/api/webhooks'), url, events: 'poll.answered' });
        const res = await fetch(`${h.base}${home}api/webhooks`, { method: 'POST', headers: { cookie }, body });
        expect(res.status, url).toBe(400);
      }
    } finally {
      process.env.NODE_ENV = before;
    }
    expect(await h.bot.db.prisma.webhook.count()).toBe(1);
  });

  it('sends one signed challenge.approved (and nothing unsubscribed), once', async () => {
    h = await webHarness();
    receiver = await listen();
    const { secret, cookie, home, body } = await addWebhook(receiver.url, ['challenge.approved']);
    // The same form again adds no second webhook and shows no secret.
    const again = await (await fetch(`${h.base}${home}api/webhooks`, { method: 'POST', headers: { cookie }, body })).text();
    expect(again).toContain('already sent');
    expect(again).not.toContain('whsec_');
    expect(await h.bot.db.prisma.webhook.count()).toBe(1);

    await approveOne();
    const poll = await h.bot.run('mod', '/poll create "How likely are you to recommend us?"', mod);
    expect(poll.error, poll.text).toBeUndefined();
    await h.bot.run('ann', '/poll answer 1 9');
    expect(await h.bot.engine.deliverWebhooks()).toBe(1);
    expect(await h.bot.engine.deliverWebhooks()).toBe(0);
    expect(receiver.got).toHaveLength(1);
    const [req] = receiver.got;
    expect(req.headers).toMatchObject({ 'content-type': 'application/json', 'user-agent': 'engage-bot-webhooks', 'x-engage-event': 'challenge.approved' });
    expect(verify(secret, String(req.headers['x-engage-signature']), req.body)).toBe(true);
    expect(verify('whsec_wrong', String(req.headers['x-engage-signature']), req.body)).toBe(false);
    const t = Number(/t=(\d+)/.exec(String(req.headers['x-engage-signature']))![1]);
    expect(t).toBe(Math.floor(h.bot.clock.now().getTime() / 1000));
    const payload = JSON.parse(req.body);
    expect(payload).toMatchObject({ id: 'challenge.approved:1', event: 'challenge.approved', communityId: await h.communityId() });
    const [row] = await deliveries();
    expect(req.headers['x-engage-delivery']).toBe(String(row.id));
    expect(row).toMatchObject({ status: 'delivered', attempts: 1, lastStatus: 200 });

    // The page lists the delivery; the test button sends a ping.
    const page = await (await h.get(`${home}api`, cookie)).text();
    expect(page).toMatch(/data-delivery="\d+" class="delivered"/);
    const hookId = (await h.bot.db.prisma.webhook.findFirstOrThrow()).id;
    const ping = formOf(page, `/api/webhooks/${hookId}/ping`);
    expect((await h.post(`${home}api/webhooks/${hookId}/ping`, cookie, ping)).status).toBe(200);
    expect((await h.post(`${home}api/webhooks/${hookId}/ping`, cookie, ping)).status).toBe(200);
    expect(await h.bot.engine.deliverWebhooks()).toBe(1);
    expect(receiver.got.map((r) => r.headers['x-engage-event'])).toEqual(['challenge.approved', 'ping']);
    expect(verify(secret, String(receiver.got[1].headers['x-engage-signature']), receiver.got[1].body)).toBe(true);
  });

  it('reports named choice votes and thanks, never an anonymous vote', async () => {
    h = await webHarness();
    receiver = await listen();
    await addWebhook(receiver.url, ['poll.voted', 'thanks.given']);
    expect((await h.bot.run('mod', '/poll create "Which day?" kind:single options:"Mon | Tue"', mod)).error).toBeUndefined();
    expect((await h.bot.run('mod', '/poll create "Secret?" kind:single options:"A | B" anonymous:yes', mod)).error).toBeUndefined();
    expect((await h.bot.run('ann', '/poll vote 1 2')).error).toBeUndefined();
    expect((await h.bot.run('ann', '/poll vote 2 1')).error).toBeUndefined();
    expect((await h.bot.run('ann', '/thanks @mod 1 for the poll')).error).toBeUndefined();
    expect(await h.bot.engine.deliverWebhooks()).toBe(2);
    const bodies = receiver.got.map((r) => JSON.parse(r.body));
    expect(bodies.map((b) => b.event)).toEqual(['poll.voted', 'thanks.given']);
    expect(bodies[0].data).toMatchObject({ pollId: 1, kind: 'single', options: [{ number: 2, label: 'Tue' }], changed: false });
    expect(bodies[1].data).toMatchObject({ points: 1, reason: 'for the poll' });
    expect(await h.bot.db.prisma.webhookDelivery.count({ where: { payload: { contains: 'Secret' } } })).toBe(0);
  });

  it('retries after a 500 with backoff, then gives up after the last attempt; retry now tries once more', async () => {
    h = await webHarness();
    receiver = await listen((n) => (n === 1 ? 500 : 200));
    await addWebhook(receiver.url, ['challenge.approved']);
    await approveOne();
    expect(await h.bot.engine.deliverWebhooks()).toBe(0);
    let [row] = await deliveries();
    expect(row).toMatchObject({ status: 'pending', attempts: 1, lastStatus: 500, lastError: 'HTTP 500' });
    const wait = row.nextAt.getTime() - h.bot.clock.now().getTime();
    expect(wait).toBeGreaterThanOrEqual(30_000);
    expect(wait).toBeLessThanOrEqual(36_000);
    h.bot.clock.advance(wait - 1000);
    expect(await h.bot.engine.deliverWebhooks()).toBe(0);
    expect(receiver.got).toHaveLength(1);
    h.bot.clock.advance(1000);
    expect(await h.bot.engine.deliverWebhooks()).toBe(1);
    [row] = await deliveries();
    expect(row).toMatchObject({ status: 'delivered', attempts: 2, lastStatus: 200 });
    expect(receiver.got[0].body).toBe(receiver.got[1].body);
    expect(receiver.got[0].headers['x-engage-delivery']).toBe(receiver.got[1].headers['x-engage-delivery']);

    // Always failing: 10 attempts, doubling waits up to 6 hours, then failed.
    receiver.answer = () => 503;
    await h.bot.run('ann', '/points');
    await h.bot.run('mod', '/challenge create Selfie 10 3d', mod);
    await h.bot.run('ann', '/challenge submit 2 selfie.jpg');
    await h.bot.run('mod', '/challenge approve 2', mod);
    const before = receiver.got.length;
    for (let i = 0; i < MAX_ATTEMPTS + 3; i++) {
      await h.bot.engine.deliverWebhooks();
      h.bot.clock.advance(7 * HOUR);
    }
    const failed = (await deliveries())[1];
    expect(failed).toMatchObject({ status: 'failed', attempts: MAX_ATTEMPTS, lastStatus: 503 });
    expect(receiver.got.length - before).toBe(MAX_ATTEMPTS);

    // Retry now (the page's button): one more attempt.
    receiver.answer = () => 204;
    // (signed in again: the days of retries outlived the first session)
    const { cookie, home } = await h.session('mod', 'test', 'admin');
    const page = await (await h.get(`${home}api`, cookie)).text();
    expect(page).toMatch(new RegExp(`data-delivery="${failed.id}" class="failed"`));
    const form = formOf(page, `/api/deliveries/${failed.id}/retry`);
    expect((await h.post(`${home}api/deliveries/${failed.id}/retry`, cookie, form)).status).toBe(200);
    expect((await h.post(`${home}api/deliveries/${failed.id}/retry`, cookie, form)).status).toBe(400);
    expect(await h.bot.engine.deliverWebhooks()).toBe(1);
    expect((await deliveries())[1]).toMatchObject({ status: 'delivered', attempts: MAX_ATTEMPTS + 1, lastStatus: 204 });
  });

  it('the runtime pump sends them (beside the outbox), and stop waits for the pass', async () => {
    h = await webHarness();
    receiver = await listen();
    await addWebhook(receiver.url, ['challenge.approved']);
    await approveOne();
    const runtime = new Runtime(h.bot.engine, []);
    await runtime.pump();
    await runtime.stop();
    expect(receiver.got).toHaveLength(1);
    expect((await deliveries())[0].status).toBe('delivered');
  });

  it('backs off 30 s, 1 min, 2 min ... up to 6 h, with some jitter', () => {
    const none = () => 0;
    expect([1, 2, 3, 4].map((a) => retryDelay(a, none))).toEqual([30_000, 60_000, 120_000, 240_000]);
    expect(retryDelay(12, none)).toBe(6 * HOUR);
    expect(retryDelay(1, (n) => n - 1)).toBe(36_000);
  });

  it('410 Gone disables the webhook; a timeout counts as a failed attempt; a disabled webhook waits', async () => {
    h = await webHarness();
    receiver = await listen(() => 'hang');
    const { cookie, home, hookId } = await addWebhook(receiver.url, ['challenge.approved']);
    await approveOne();
    expect(await h.bot.engine.deliverWebhooks({ timeoutMs: 300 })).toBe(0);
    let [row] = await deliveries();
    expect(row).toMatchObject({ status: 'pending', attempts: 1, lastStatus: null });
    expect(row.lastError).toMatch(/timeout/);

    // Disabled on the page: due rows wait, untouched.
    let page = await (await h.get(`${home}api`, cookie)).text();
    await h.post(`${home}api/webhooks/${hookId}/disable`, cookie, formOf(page, `/api/webhooks/${hookId}/disable`));
    h.bot.clock.advance(HOUR);
    expect(await h.bot.engine.deliverWebhooks({ timeoutMs: 300 })).toBe(0);
    expect(receiver.got).toHaveLength(1);
    expect((await deliveries())[0]).toMatchObject({ status: 'pending', attempts: 1 });
    page = await (await h.get(`${home}api`, cookie)).text();
    expect(page).toContain('disabled');
    await h.post(`${home}api/webhooks/${hookId}/enable`, cookie, formOf(page, `/api/webhooks/${hookId}/enable`));

    receiver.answer = () => 410;
    expect(await h.bot.engine.deliverWebhooks()).toBe(0);
    [row] = await deliveries();
    expect(row).toMatchObject({ status: 'failed', attempts: 2, lastStatus: 410 });
    expect((await h.bot.db.prisma.webhook.findFirstOrThrow()).active).toBe(false);

    // Deleting removes the webhook and its queue.
    page = await (await h.get(`${home}api`, cookie)).text();
    const del = await h.post(`${home}api/webhooks/${hookId}/delete`, cookie, formOf(page, `/api/webhooks/${hookId}/delete`));
    expect(await del.text()).toContain('Webhook deleted');
    expect(await h.bot.db.prisma.webhook.count()).toBe(0);
    expect(await h.bot.db.prisma.webhookDelivery.count()).toBe(0);
  });

  it('refuses a bad URL or no events, in the reader’s language, adding nothing', async () => {
    h = await webHarness();
    await h.bot.run('mod', '/points', mod);
    await h.bot.db.prisma.community.updateMany({ data: { locale: 'ja' } });
    const { cookie, home } = await h.session('mod', 'test', 'admin');
    const page = await (await h.get(`${home}api`, cookie)).text();
    const guard = formOf(page, '/api/webhooks');
    const bad = await h.post(`${home}api/webhooks`, cookie, { ...guard, url: 'http://example.com/hook', events: 'challenge.approved' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('https:// から始まる');
    const none = await h.post(`${home}api/webhooks`, cookie, { ...guard, url: 'https://example.com/hook' });
    expect(none.status).toBe(400);
    expect(await none.text()).toContain('イベントを1つ以上');
    const unknown = await h.post(`${home}api/webhooks`, cookie, { ...guard, url: 'https://example.com/hook', events: 'everything' });
    expect(unknown.status).toBe(400);
    expect(await h.bot.db.prisma.webhook.count()).toBe(0);
  });
});
