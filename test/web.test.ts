import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { testBot, MIN, HOUR, DAY, type TestBot } from './helpers.js';
import { createWebServer, type WebServer } from '../src/web/server.js';
import { hashOf } from '../src/features/dashboard/service.js';

/** The web server on a free port in front of a real engine on SQLite, driven over real HTTP. */
let bot: TestBot;
let web: WebServer;
let base: string;
let connected = true;

beforeEach(async () => {
  bot = await testBot();
  connected = true;
  web = createWebServer({ engine: bot.engine, adapters: [{ platform: 'console', connected: () => connected }] });
  base = `http://127.0.0.1:${await web.start(0, '127.0.0.1')}`;
});
afterEach(async () => {
  await web.stop();
  await bot.close();
});

const get = (path: string, cookie?: string) => fetch(base + path, { redirect: 'manual', headers: cookie ? { cookie } : {} });
const post = (path: string, cookie: string | undefined, body: Record<string, string> = {}, headers: Record<string, string> = {}) =>
  fetch(base + path, { method: 'POST', redirect: 'manual', headers: { ...(cookie ? { cookie } : {}), ...headers }, body: new URLSearchParams(body) });

/** `/dashboard` as a moderator of `community` ("test" by default): the link from the private reply. */
async function askLink(user = 'mod', community = 'test'): Promise<string> {
  const reply = await bot.run(user, '/dashboard', { role: 'moderator', communityKey: community });
  expect(reply.error).toBeUndefined();
  expect(reply.ephemeral).toBe(true);
  const m = /(https?:\/\/\S+\/auth\/[A-Za-z0-9_-]+)/.exec(reply.text);
  expect(m, reply.text).not.toBeNull();
  return m![1];
}

/** Follows a link to sign in: the session cookie ("engage_session=...") and where it led. */
async function signIn(link: string): Promise<{ cookie: string; location: string; setCookie: string }> {
  const path = new URL(link).pathname;
  expect((await get(path)).status).toBe(200); // the page that asks to confirm
  const res = await fetch(base + path, { method: 'POST', redirect: 'manual' });
  expect(res.status).toBe(303);
  const setCookie = res.headers.get('set-cookie') ?? '';
  return { cookie: setCookie.split(';')[0], location: res.headers.get('location') ?? '', setCookie };
}

const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)![1];
const communityId = async (key: string) => (await bot.engine.communityByKey('console', key))!.id;

describe('web server: health, readiness, metrics', () => {
  it('/healthz answers ok; /readyz needs the database and every adapter connected', async () => {
    const h = await get('/healthz');
    expect([h.status, await h.text()]).toEqual([200, 'ok']);
    expect((await get('/readyz')).status).toBe(200);
    connected = false;
    const r = await get('/readyz');
    expect(r.status).toBe(503);
    expect(await r.text()).toContain('console');
  });

  it('/metrics shows process metrics, commands by name and outcome, and the outbox backlog', async () => {
    await bot.run('alice', '/points');
    await bot.run('alice', '/give bob 10'); // refused: members may not give
    const text = await (await get('/metrics')).text();
    expect(text).toContain('process_cpu_user_seconds_total');
    expect(text).toMatch(/engage_commands_total\{command="points",outcome="ok"\} 1/);
    expect(text).toMatch(/engage_commands_total\{command="give",outcome="refused"\} 1/);
    expect(text).toMatch(/engage_command_seconds_count\{command="points"\} 1/);
    expect(text).toMatch(/engage_outbox_pending \d+/);
    expect(text).toMatch(/engage_activity_awards_total 0/);
    // Two messages of one member: the second falls in the cooldown and earns nothing.
    const message = (eventId: string) => ({
      platform: 'console' as const, communityKey: 'test', address: { kind: 'channel' as const, channelId: 'general' },
      actor: { platform: 'console' as const, userId: 'alice', displayName: 'alice' }, kind: 'message' as const, eventId, length: 20,
    });
    await bot.engine.activity(message('m1'));
    await bot.engine.activity(message('m2'));
    await bot.engine.flush();
    expect(await (await get('/metrics')).text()).toMatch(/engage_activity_awards_total 1/);
  });
});

describe('dashboard sign-in', () => {
  it('/dashboard is for moderators and answers privately with a link', async () => {
    const refused = await bot.run('alice', '/dashboard');
    expect(refused.error).toBeDefined();
    const link = await askLink();
    expect(link.startsWith(base.replace('127.0.0.1', 'localhost')) || link.startsWith('http://localhost:')).toBe(true);
    // Only the hash of the token is stored.
    const token = link.split('/auth/')[1];
    const rows = await bot.db.prisma.dashboardLink.findMany();
    expect(rows.map((r) => r.tokenHash)).toEqual([hashOf(token)]);
    expect(JSON.stringify(rows)).not.toContain(token);
    // Nor is the reply kept for redelivery protection: a redelivery gets a new link instead.
    await bot.run('mod', '/dashboard', { role: 'moderator', eventKey: 'delivery-1' });
    expect(await bot.db.prisma.processedEvent.count()).toBe(0);
  });

  it('a link signs in once (HttpOnly, SameSite=Lax cookie) and opens the community page; reused, it is refused', async () => {
    const link = await askLink();
    const { cookie, location, setCookie } = await signIn(link);
    expect(location).toBe(`/c/${await communityId('test')}/`);
    expect(setCookie).toMatch(/^engage_session=/);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    expect(setCookie).toMatch(/Path=\//);
    expect(setCookie).not.toMatch(/Secure/i); // http PUBLIC_URL
    // Only the hash of the session id is stored.
    const sessionId = decodeURIComponent(cookie.split('=')[1]);
    const sessions = await bot.db.prisma.dashboardSession.findMany();
    expect(sessions.map((s) => s.idHash)).toEqual([hashOf(sessionId)]);

    const page = await get(location, cookie);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('mod');
    expect(html).toContain('moderator');
    expect(html).toContain('name="_csrf"');

    const again = await get(new URL(link).pathname);
    expect(again.status).toBe(410);
    expect(again.headers.get('set-cookie')).toBeNull();
    expect(await again.text()).toContain('/dashboard');
    const reused = await fetch(base + new URL(link).pathname, { method: 'POST', redirect: 'manual' });
    expect(reused.status).toBe(410);
    expect(reused.headers.get('set-cookie')).toBeNull();
  });

  it('opening a link uses nothing up (chat apps preview links) and says whose dashboard it opens; a cross-site post is refused', async () => {
    const link = await askLink();
    const path = new URL(link).pathname;
    for (let i = 0; i < 3; i++) {
      const page = await get(path);
      expect(page.status).toBe(200);
      expect(page.headers.get('set-cookie')).toBeNull();
      expect(await page.text()).toMatch(/Sign in to the dashboard of .+ as mod \(moderator\)\?/);
    }
    expect(await bot.db.prisma.dashboardSession.count()).toBe(0);
    const forged = await fetch(base + path, { method: 'POST', redirect: 'manual', headers: { 'sec-fetch-site': 'cross-site' } });
    expect(forged.status).toBe(403);
    expect(await bot.db.prisma.dashboardSession.count()).toBe(0);
    expect((await signIn(link)).cookie).toMatch(/^engage_session=/);
  });

  it('an expired link is refused (in the community language), and an unknown one too', async () => {
    await bot.run('admin', '/settings locale:ko', { role: 'admin' });
    const link = await askLink();
    bot.clock.advance(10 * MIN + 1000);
    const res = await get(new URL(link).pathname);
    expect(res.status).toBe(410);
    expect(res.headers.get('set-cookie')).toBeNull();
    expect(await res.text()).toContain('만료된 로그인 링크');
    expect((await get('/auth/not-a-real-token')).status).toBe(403);
  });

  it('the cookie is Secure when PUBLIC_URL is https', async () => {
    const secureWeb = createWebServer({ engine: bot.engine, publicUrl: 'https://engage.example.com/' });
    const port = await secureWeb.start(0, '127.0.0.1');
    try {
      const link = await askLink();
      expect(link.startsWith('https://engage.example.com/auth/')).toBe(true);
      const res = await fetch(`http://127.0.0.1:${port}${new URL(link).pathname}`, { method: 'POST', redirect: 'manual' });
      expect(res.headers.get('set-cookie')).toMatch(/Secure/);
    } finally {
      await secureWeb.stop();
    }
  });
});

describe('dashboard sessions', () => {
  it('a session of community A gets 403 on community B, also for sign-out, and on a community that does not exist', async () => {
    const { cookie } = await signIn(await askLink('mod', 'test'));
    await askLink('mod', 'other'); // community B exists
    const b = await communityId('other');
    const pageB = await get(`/c/${b}/`, cookie);
    expect(pageB.status).toBe(403);
    const missing = await get('/c/no-such-community/', cookie);
    expect(missing.status).toBe(403);
    expect(await missing.text()).toBe(await (await get(`/c/${b}/`, cookie)).text());
    const a = await get(`/c/${await communityId('test')}/`, cookie);
    const csrf = csrfOf(await a.text());
    expect((await post(`/c/${b}/signout`, cookie, { _csrf: csrf })).status).toBe(403);
    expect(await bot.db.prisma.dashboardSession.count()).toBe(1);
    expect((await get(`/c/${await communityId('test')}/`, cookie)).status).toBe(200);
  });

  it('without a session, or with an expired one, pages are refused', async () => {
    const { cookie } = await signIn(await askLink());
    const a = await communityId('test');
    expect((await get(`/c/${a}/`)).status).toBe(403);
    expect((await get(`/c/${a}/`, 'engage_session=forged')).status).toBe(403);
    expect((await get(`/c/${a}/`, cookie)).status).toBe(200);
    bot.clock.advance(8 * HOUR + 1000);
    expect((await get(`/c/${a}/`, cookie)).status).toBe(403);
  });

  it('a session in use is extended once past half its life (cookie renewed), never beyond 7 days after sign-in', async () => {
    const { cookie } = await signIn(await askLink());
    const a = await communityId('test');
    const ends = async () => (await bot.db.prisma.dashboardSession.findFirstOrThrow()).expiresAt.getTime();
    const first = await ends();
    bot.clock.advance(2 * HOUR);
    const early = await get(`/c/${a}/`, cookie);
    expect(early.headers.get('set-cookie')).toBeNull();
    expect(await ends()).toBe(first);
    bot.clock.advance(3 * HOUR);
    const later = await get(`/c/${a}/`, cookie);
    expect(later.status).toBe(200);
    expect(later.headers.get('set-cookie')).toMatch(/engage_session=.*Max-Age=28800.*HttpOnly/);
    expect(await ends()).toBe(bot.clock.now().getTime() + 8 * HOUR);
    // Kept in use, it still ends 7 days after sign-in.
    for (let i = 0; i < 40; i++) {
      bot.clock.advance(5 * HOUR);
      await get(`/c/${a}/`, cookie);
    }
    expect((await get(`/c/${a}/`, cookie)).status).toBe(403);
  });

  it('a member whose /role is lowered loses their dashboard session at once; a role the platform gave lasts a day at most', async () => {
    for (const u of ['root', 'bob']) await bot.run(u, '/points');
    await bot.run('root', '/role @bob moderator', { role: 'admin' });
    const link = /(https?:\/\/\S+\/auth\/[A-Za-z0-9_-]+)/.exec((await bot.run('bob', '/dashboard')).text)![1];
    const { cookie, location } = await signIn(link);
    expect((await get(location, cookie)).status).toBe(200);
    expect((await bot.run('root', '/role @bob member', { role: 'admin' })).error).toBeUndefined();
    expect((await get(location, cookie)).status).toBe(403);
    expect(await bot.db.prisma.dashboardSession.count({ where: { memberId: (await bot.memberOf('bob')).id } })).toBe(0);
    // A Discord-style role (platformRole on the request, not stored): kept in use, it still ends a day after sign-in.
    const platform = await signIn(await askLink('mod'));
    expect((await bot.db.prisma.dashboardSession.findFirstOrThrow({ where: { memberId: (await bot.memberOf('mod')).id } })).platformRole).toBe(true);
    for (let i = 0; i < 6; i++) {
      bot.clock.advance(5 * HOUR);
      await get(platform.location, platform.cookie);
    }
    expect((await get(platform.location, platform.cookie)).status).toBe(403);
  });

  it('without a session, the refusal speaks the browser’s language', async () => {
    const a = await communityId('test').catch(() => 'x');
    const ko = await fetch(`${base}/c/${a}/`, { headers: { 'accept-language': 'ko-KR,ko;q=0.9,en;q=0.8' } });
    expect(ko.status).toBe(403);
    expect(await ko.text()).toMatch(/<html lang="ko">[\s\S]*\/dashboard/);
    const ja = await fetch(`${base}/auth/nope`, { headers: { 'accept-language': 'fr, ja;q=0.5' } });
    expect(await ja.text()).toContain('<html lang="ja">');
    expect(await (await fetch(`${base}/c/${a}/`)).text()).toContain('<html lang="en">');
  });

  it('a write without the CSRF token, or with a wrong one, is refused and changes nothing; sign-out ends the session', async () => {
    const { cookie, location } = await signIn(await askLink());
    const csrf = csrfOf(await (await get(location, cookie)).text());
    expect((await post(`${location}signout`, cookie)).status).toBe(403);
    expect((await post(`${location}signout`, cookie, { _csrf: 'wrong' })).status).toBe(403);
    expect((await post(`${location}signout`, cookie, {}, { 'x-csrf-token': 'wrong' })).status).toBe(403);
    expect(await bot.db.prisma.dashboardSession.count()).toBe(1);
    expect((await get(location, cookie)).status).toBe(200);

    const out = await post(`${location}signout`, cookie, { _csrf: csrf });
    expect(out.status).toBe(200);
    expect(out.headers.get('set-cookie')).toMatch(/engage_session=;/);
    expect(await bot.db.prisma.dashboardSession.count()).toBe(0);
    expect((await get(location, cookie)).status).toBe(403);
  });

  it('the CSRF header works as well as the form field', async () => {
    const { cookie, location } = await signIn(await askLink());
    const csrf = csrfOf(await (await get(location, cookie)).text());
    expect((await post(`${location}signout`, cookie, {}, { 'x-csrf-token': csrf })).status).toBe(200);
    expect(await bot.db.prisma.dashboardSession.count()).toBe(0);
  });

  it('pages escape what they show', async () => {
    const { cookie, location } = await signIn(await askLink('<script>x</script>'));
    const html = await (await get(location, cookie)).text();
    expect(html).not.toContain('<script>x');
    expect(html).toContain('&lt;script&gt;x&lt;/script&gt;');
  });
});

describe('NPS page', () => {
  const mod = { role: 'moderator' as const };
  /** A weekly poll run twice: run 1 (Nov 25) closed at NPS +33, run 2 (Dec 2) open at NPS 0. */
  async function twoRuns() {
    await bot.run('brand', '/poll create Recommend <us>? duration:1d repeat:weekly', mod);
    await bot.run('ann', '/poll answer 1 10 Friendly <b>people</b>');
    await bot.run('ben', '/poll answer 1 10');
    await bot.run('<i>cat</i>', '/poll answer 1 3 Too many <script>bots</script>');
    bot.clock.advance(DAY);
    expect(await bot.engine.runDueJobs()).toBe(1); // run 1 closes, run 2 is scheduled
    bot.clock.advance(6 * DAY);
    expect(await bot.engine.runDueJobs()).toBe(1); // run 2 opens
    await bot.run('ann', '/poll answer 2 9 Still great');
    await bot.run('ben', '/poll answer 2 7 It is fine');
    await bot.run('<i>cat</i>', '/poll answer 2 6 Slow replies');
  }
  const npsOf = async (cookie: string, query = '') => {
    const res = await get(`/c/${await communityId('test')}/nps${query}`, cookie);
    expect(res.status).toBe(200);
    return res.text();
  };
  const points = (html: string) => [...html.matchAll(/<circle class="nps-point"[^>]*><title>([^<]*)<\/title>/g)].map((m) => m[1]);
  const commentRows = (html: string) => /<table class="comments">([\s\S]*?)<\/table>/.exec(html)?.[1].match(/<tr><td>/g)?.length ?? 0;

  it('needs a session of this community: none and another community’s are refused', async () => {
    await twoRuns();
    const a = await communityId('test');
    expect((await get(`/c/${a}/nps`)).status).toBe(403);
    const other = await signIn(await askLink('mod', 'other'));
    const refused = await get(`/c/${a}/nps`, other.cookie);
    expect(refused.status).toBe(403);
    expect(await refused.text()).not.toContain('Recommend');
    const { cookie, location } = await signIn(await askLink());
    expect(await (await get(location, cookie)).text()).toContain(`href="/c/${a}/nps"`);
    expect(await npsOf(cookie)).toContain('<svg class="nps-chart"');
  });

  it('charts both runs of a repeating poll and breaks the latest down (counts, %, NPS, responses)', async () => {
    await twoRuns();
    const { cookie } = await signIn(await askLink());
    const html = await npsOf(cookie);
    expect(html.match(/<svg class="nps-chart"/g)).toHaveLength(1); // one series
    expect(points(html)).toEqual(['Nov 25: NPS +33 (3 responses)', 'Dec 2: NPS 0 (3 responses)']);
    expect(html).toContain('NPS 0 from 3 responses');
    const breakdown = /<table class="breakdown">([\s\S]*?)<\/table>/.exec(html)![1];
    expect(breakdown).toContain('<tr class="promoters"><th scope="row">Promoters (9–10)</th><td>1</td><td>33%</td></tr>');
    expect(breakdown).toContain('<tr class="passives"><th scope="row">Passives (7–8)</th><td>1</td><td>33%</td></tr>');
    expect(breakdown).toContain('<tr class="detractors"><th scope="row">Detractors (0–6)</th><td>1</td><td>33%</td></tr>');
    expect(html).toContain('(open)');
    // The first run, chosen through its point on the chart.
    const first = await npsOf(cookie, '?series=1&run=1');
    expect(first).toContain('NPS +33 from 3 responses');
    expect(first).toContain('<tr class="promoters"><th scope="row">Promoters (9–10)</th><td>2</td><td>67%</td></tr>');
    expect(first).toContain('(closed)');
    expect(first).toContain('Nov 25');
  });

  it('filters comments by group and shows score, date in the community zone and member name', async () => {
    await twoRuns();
    await bot.run('admin', '/settings timezone:Asia/Seoul', { role: 'admin' });
    const { cookie } = await signIn(await askLink());
    const all = await npsOf(cookie);
    expect(commentRows(all)).toBe(3);
    const detractors = await npsOf(cookie, '?series=1&run=2&group=detractors');
    expect(commentRows(detractors)).toBe(1);
    expect(detractors).toContain('Slow replies');
    expect(detractors).not.toContain('Still great');
    expect(detractors).not.toContain('It is fine');
    // Answered Dec 2, 12:00 UTC = 9:00 PM in Seoul.
    expect(detractors).toMatch(/<tr><td>6<\/td><td>Wed, Dec 2, 9:00 PM<\/td><td>&lt;i&gt;cat&lt;\/i&gt;<\/td><td>Slow replies<\/td><\/tr>/);
    const promoters = await npsOf(cookie, '?series=1&run=2&group=promoters');
    expect(commentRows(promoters)).toBe(1);
    expect(promoters).toContain('Still great');
    const passives = await npsOf(cookie, '?series=1&run=1&group=passives');
    expect(passives).toContain('No comments.');
    expect(commentRows(passives)).toBe(0);
  });

  it('escapes questions, comments and names, and says so when no poll has opened', async () => {
    expect(await npsOf((await signIn(await askLink())).cookie)).toContain('No poll has opened yet.');
    await twoRuns();
    const { cookie } = await signIn(await askLink());
    const html = await npsOf(cookie, '?series=1&run=1');
    expect(html).not.toMatch(/<script>|<b>people|<i>cat|<us>/);
    expect(html).toContain('Recommend &lt;us&gt;?');
    expect(html).toContain('Too many &lt;script&gt;bots&lt;/script&gt;');
    expect(html).toContain('Friendly &lt;b&gt;people&lt;/b&gt;');
    expect(html).toContain('&lt;i&gt;cat&lt;/i&gt;');
  });
});
