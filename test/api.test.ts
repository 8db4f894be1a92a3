import { describe, it, expect, afterEach } from 'vitest';
import { webHarness, formOf, type WebHarness } from './web-harness.js';
import { MIN } from './helpers.js';
import { CHROMIUM, launchBrowser } from './browser.js';

let h: WebHarness;
afterEach(async () => { await h?.close(); });

const TOKEN = /<code class="secret">(eng_[0-9a-f]{8}_[A-Za-z0-9_-]{43})<\/code>/;

/** Creates a token on the dashboard page; returns the token and the form that made it (to send again). */
async function createToken(cookie: string, home: string, name: string) {
  const page = await (await h.get(`${home}api`, cookie)).text();
  const form = { ...formOf(page, '/api/tokens'), name };
  const res = await h.post(`${home}api/tokens`, cookie, form);
  expect(res.status).toBe(200);
  const html = await res.text();
  const m = TOKEN.exec(html);
  expect(m, html).not.toBeNull();
  return { token: m![1], form, html };
}

const api = (path: string, token?: string) => fetch(`${h.base}/api/v1${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
const json = async (path: string, token: string) => {
  const res = await api(path, token);
  expect(res.status, path).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/application\/json/);
  return res.json() as Promise<Record<string, any>>;
};

describe('REST API with per-community tokens', () => {
  it('creates a token on the page (shown once, one per form) and reads the community with it', async () => {
    h = await webHarness();
    await h.bot.run('mod', '/points', { role: 'moderator' });
    for (const u of ['alice', 'bob', 'carol']) await h.bot.run(u, '/points');
    await h.bot.run('mod', '/give @alice 600', { role: 'moderator' });
    await h.bot.run('mod', '/give @bob 40', { role: 'moderator' });
    const { cookie, home } = await h.session('mod', 'test', 'admin');

    const { token, form, html } = await createToken(cookie, home, 'CRM <sync>');
    expect(html).toContain('CRM &lt;sync&gt;');
    // Shown once: a later page load lists the token by its prefix only.
    const later = await (await h.get(`${home}api`, cookie)).text();
    expect(later).not.toContain(token);
    expect(later).toContain(token.slice(0, 12));
    // The same form sent again makes no second token and shows nothing secret.
    const again = await h.post(`${home}api/tokens`, cookie, form);
    const againHtml = await again.text();
    expect(againHtml).not.toMatch(TOKEN);
    expect(againHtml).toContain('already sent');
    expect(await h.bot.db.prisma.apiToken.count()).toBe(1);
    const row = await h.bot.db.prisma.apiToken.findFirstOrThrow();
    expect(row.tokenHash).not.toContain(token.slice(13));

    const community = await json('/community', token);
    expect(community.data).toMatchObject({ id: await h.communityId(), memberCount: 4, locale: 'en', timezone: 'UTC' });

    const p1 = await json('/members?limit=2', token);
    expect(p1.data).toHaveLength(2);
    expect(p1.nextCursor).toBeTruthy();
    const p2 = await json(`/members?limit=2&cursor=${encodeURIComponent(p1.nextCursor)}`, token);
    expect(p2.data).toHaveLength(2);
    expect(p2.nextCursor).toBeNull();
    const all = [...p1.data, ...p2.data];
    expect(all.find((m) => m.name === 'alice')).toMatchObject({ points: 600, tier: 'Silver' });
    expect(new Set(all.map((m) => m.id)).size).toBe(4);
    expect((await api('/members?limit=0', token)).status).toBe(400);

    const board = await json('/leaderboard?period=week', token);
    expect(board.data.map((r: { name: string }) => r.name)).toEqual(['alice', 'bob']);
    expect((await json('/leaderboard', token)).data[0]).toMatchObject({ rank: 1, name: 'alice', points: 600 });
    const bad = await api('/leaderboard?period=year', token);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: 'bad_request' } });

    // NPS: the same series/runs data as the dashboard's NPS page.
    const poll = await h.bot.run('mod', '/poll create "How likely are you to recommend us?"', { role: 'moderator' });
    expect(poll.error, poll.text).toBeUndefined();
    const pollId = (await h.bot.db.prisma.poll.findFirstOrThrow()).id;
    await h.bot.run('alice', `/poll answer ${pollId} 10`);
    await h.bot.run('bob', `/poll answer ${pollId} 3`);
    const nps = await json('/nps', token);
    expect(nps.data.series[0].runs[0]).toMatchObject({ pollId, nps: 0, responses: 2 });
    expect(nps.data).toEqual(JSON.parse(JSON.stringify(await h.bot.engine.npsReport(await h.communityId()))));
    const polls = await json('/polls', token);
    expect(polls.data[0]).toMatchObject({ id: pollId, nps: { responses: 2, promoters: 1, detractors: 1 } });
    expect((await json(`/polls/${pollId}`, token)).data.id).toBe(pollId);
    expect((await api('/polls/99999', token)).status).toBe(404);
    expect((await json('/webhooks/deliveries', token)).data).toEqual([]);

    // lastUsedAt is noted, at most once a minute.
    const used = (await h.bot.db.prisma.apiToken.findFirstOrThrow()).lastUsedAt!;
    expect(used).toBeInstanceOf(Date);
    h.bot.clock.advance(MIN);
    await json('/community', token);
    expect((await h.bot.db.prisma.apiToken.findFirstOrThrow()).lastUsedAt!.getTime()).toBe(used.getTime() + MIN);
  });

  it('never shows another community; wrong, missing and revoked tokens get 401', async () => {
    h = await webHarness();
    await h.bot.run('mod', '/points', { role: 'moderator' });
    await h.bot.run('alice', '/points');
    await h.bot.run('zed', '/points', { communityKey: 'other' });
    await h.bot.run('boss', '/points', { communityKey: 'other', role: 'moderator' });
    const mine = await h.session('mod', 'test', 'admin');
    const theirs = await h.session('boss', 'other', 'admin');
    const { token } = await createToken(mine.cookie, mine.home, 'mine');
    const { token: other } = await createToken(theirs.cookie, theirs.home, 'theirs');

    const names = (await json('/members', token)).data.map((m: { name: string }) => m.name).sort();
    expect(names).toEqual(['alice', 'mod']);
    expect((await json('/members', other)).data.map((m: { name: string }) => m.name).sort()).toEqual(['boss', 'zed']);
    expect((await json('/community', other)).data.id).toBe(await h.communityId('other'));
    // The other community's token is not on this community's page, and cannot be revoked from it.
    const otherRow = await h.bot.db.prisma.apiToken.findFirstOrThrow({ where: { name: 'theirs' } });
    const page = await (await h.get(`${mine.home}api`, mine.cookie)).text();
    expect(page).not.toContain('theirs');
    const guard = formOf(page, '/api/tokens');
    expect((await h.post(`${mine.home}api/tokens/${otherRow.id}/revoke`, mine.cookie, guard)).status).toBe(200);
    expect((await api('/community', other)).status).toBe(200);

    for (const [t, why] of [[undefined, 'missing'], ['eng_00000000_' + 'A'.repeat(43), 'wrong'], [token + 'x', 'malformed']] as const) {
      const res = await api('/community', t);
      expect(res.status, why).toBe(401);
      expect(await res.json()).toMatchObject({ error: { code: 'unauthorized' } });
    }

    // Revoked from the page: refused from then on; revoking again changes nothing.
    const row = await h.bot.db.prisma.apiToken.findFirstOrThrow({ where: { name: 'mine' } });
    const page2 = await (await h.get(`${mine.home}api`, mine.cookie)).text();
    const res = await h.post(`${mine.home}api/tokens/${row.id}/revoke`, mine.cookie, formOf(page2, `/api/tokens/${row.id}/revoke`));
    expect(await res.text()).toContain('Token revoked');
    expect((await api('/community', token)).status).toBe(401);
    const twice = await h.post(`${mine.home}api/tokens/${row.id}/revoke`, mine.cookie, formOf(page2, `/api/tokens/${row.id}/revoke`));
    expect(await twice.text()).toContain('already revoked');
    // Without the CSRF token, the dashboard refuses the form.
    expect((await h.post(`${mine.home}api/tokens`, mine.cookie, { name: 'x' })).status).toBe(403);
  });

  it('streams the CSV exports of its own community only', async () => {
    h = await webHarness();
    await h.bot.run('mod', '/points', { role: 'moderator' });
    await h.bot.run('alice', '/points');
    await h.bot.run('mod', '/give @alice 25 thanks, "really"', { role: 'moderator' });
    await h.bot.run('eve', '/points', { communityKey: 'other' });
    await h.bot.run('mod', '/give @eve 99', { role: 'moderator', communityKey: 'other' });
    const { cookie, home } = await h.session('mod', 'test', 'admin');
    const { token } = await createToken(cookie, home, 'exports');
    const res = await api('/exports/ledger.csv', token);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
    expect(res.headers.get('content-disposition')).toMatch(/attachment; filename=".*ledger.*\.csv"/);
    const text = await res.text();
    const lines = text.replace(/^\uFEFF/, '').trimEnd().split('\r\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('"thanks, ""really"""');
    expect(text).not.toContain('eve');
    expect((await api('/exports/secrets.csv', token)).status).toBe(404);
    expect((await api('/exports/ledger.csv?from=2026-13-01', token)).status).toBe(400);
    expect((await api('/exports/ledger.csv')).status).toBe(401);
  });

  it('only admins create or change tokens and webhooks', async () => {
    h = await webHarness();
    const { cookie, home } = await h.session('mod');
    const page = await (await h.get(`${home}api`, cookie)).text();
    const res = await h.post(`${home}api/tokens`, cookie, { ...formOf(page, '/api/tokens'), name: 'sneaky' });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('Only admins can create or change API tokens and webhooks.');
    expect(await h.bot.db.prisma.apiToken.count()).toBe(0);
  });

  it('limits calls per token (429 with Retry-After)', async () => {
    h = await webHarness();
    await h.bot.run('mod', '/points', { role: 'moderator' });
    const { cookie, home } = await h.session('mod', 'test', 'admin');
    const { token } = await createToken(cookie, home, 'busy');
    const statuses = await Promise.all(Array.from({ length: 70 }, () => api('/community', token).then(async (r) => { await r.body?.cancel(); return { s: r.status, after: r.headers.get('retry-after') }; })));
    const limited = statuses.filter((x) => x.s === 429);
    expect(statuses.filter((x) => x.s === 200).length).toBeGreaterThanOrEqual(55);
    expect(limited.length).toBeGreaterThanOrEqual(5);
    expect(Number(limited[0].after)).toBeGreaterThanOrEqual(1);
  });

  it('speaks the community language on the page (ko, ja) and escapes names', async () => {
    h = await webHarness();
    await h.bot.run('boss', '/points', { role: 'admin' });
    for (const [locale, word] of [['ko', 'API 토큰'], ['ja', 'API トークン']] as const) {
      await h.bot.db.prisma.community.updateMany({ data: { locale } });
      const { cookie, home } = await h.session('boss', 'test', 'admin');
      const html = await (await h.get(`${home}api`, cookie)).text();
      expect(html).toContain(word);
      expect(html).toContain(`lang="${locale}"`);
    }
  });
});

describe.skipIf(!CHROMIUM)('API & webhooks page in a browser', () => {
  it('creates a token and a webhook by clicking (no script, CSP intact); secrets are shown once', async () => {
    h = await webHarness();
    const link = await h.askLink('mod', 'test', 'admin');
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
      await page.goto(link);
      await page.click('button.sign-in'); // the link's page asks to confirm
      await page.click('nav.sections a[href$="/api"]');
      await page.fill('input[name=name]', 'Looker');
      await page.click('form[action$="/api/tokens"] button[type=submit]');
      const token = await page.textContent('code.secret');
      expect(token).toMatch(/^eng_[0-9a-f]{8}_/);
      // A reload (the form re-sent, or the page read again): no second token, and the secret is not shown again.
      await page.reload();
      expect(await page.locator('code.secret').count()).toBe(0);
      expect(await h.bot.db.prisma.apiToken.count()).toBe(1);
      const res = await fetch(`${h.base}/api/v1/community`, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status).toBe(200);

      await page.goto(new URL(page.url()).toString().replace(/\/api\/.*$/, '/api'));
      await page.fill('input[name=url]', 'https://hooks.example.com/engage');
      await page.check('input[name=events][value="reward.redeemed"]');
      await page.check('input[name=events][value="challenge.approved"]');
      await page.click('form[action$="/api/webhooks"] button[type=submit]');
      expect(await page.textContent('code.secret')).toMatch(/^whsec_/);
      expect(await page.textContent('#webhooks table')).toContain('A member redeemed a reward');
      expect(JSON.parse((await h.bot.db.prisma.webhook.findFirstOrThrow()).events)).toEqual(['challenge.approved', 'reward.redeemed']);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
