import { createHash, timingSafeEqual } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { Engine } from '../engine.js';
import { sessionLang } from './routes/lang.js';
import { preferredLocale } from './accept-language.js';
import { confirmPage, homePage, messagePage } from './pages/dashboard.js';
import { SECTION_ROUTES } from './routes/index.js';

/*
 * Dashboard sign-in and the session gate. Like a platform adapter, this only carries: the engine consumes
 * links and reads sessions through the dashboard feature; the pages word (src/web/pages).
 */

export const SESSION_COOKIE = 'engage_session';
const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

type DashboardSession = NonNullable<Awaited<ReturnType<Engine['dashboardSession']>>>;
export type DashboardEnv = { Variables: { session: DashboardSession; sessionId: string } };

/** Equal without leaking where two strings differ (compares their digests). */
const same = (a: string, b: string) =>
  timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());

/** The CSRF token a write carries: header x-csrf-token, or the form field _csrf. */
async function csrfOf(c: Context): Promise<string | undefined> {
  const header = c.req.header('x-csrf-token');
  if (header) return header;
  const type = c.req.header('content-type') ?? '';
  if (!/^(application\/x-www-form-urlencoded|multipart\/form-data)/i.test(type)) return undefined;
  const field = (await c.req.parseBody())._csrf;
  return typeof field === 'string' ? field : undefined;
}

export function dashboardRoutes(engine: Engine): Hono<DashboardEnv> {
  const app = new Hono<DashboardEnv>();
  const L = (v?: { locale: string; timezone: string } | null) => sessionLang(engine, v);
  // Without a session the community is unknown: the browser's preferred language among ours, in UTC.
  const browserLang = (c: Context) => sessionLang(engine, { locale: preferredLocale(c.req.header('accept-language')) ?? 'en', timezone: 'UTC' });
  const secure = () => engine.publicUrl.startsWith('https://');

  app.use('*', async (c, next) => {
    await next();
    c.header('Cache-Control', 'no-store');
    c.header('Referrer-Policy', 'no-referrer');
  });

  // Opening the link only asks to confirm: link previews (chat apps unfurl URLs) and prefetches use nothing
  // up, and a link someone else sent says whose community and name it signs in as before anything happens.
  app.get('/auth/:token', async (c) => {
    const r = await engine.dashboardLinkPreview(c.req.param('token'));
    if (!r.ok) return c.html(messagePage(r.community ? L(r.community) : browserLang(c), `link.${r.reason}`), r.reason === 'unknown' ? 403 : 410);
    return c.html(confirmPage(L(r.community), { action: `/auth/${encodeURIComponent(c.req.param('token'))}`, community: r.community.name, memberName: r.memberName, role: r.role }));
  });

  app.post('/auth/:token', async (c) => {
    // Only the confirm page's own form: a cross-site form post is refused (login CSRF).
    const site = c.req.header('sec-fetch-site');
    if (site && site !== 'same-origin') return c.html(messagePage(browserLang(c), 'forbidden'), 403);
    const r = await engine.dashboardSignIn(c.req.param('token'));
    if (!r.ok) return c.html(messagePage(r.community ? L(r.community) : browserLang(c), `link.${r.reason}`), r.reason === 'unknown' ? 403 : 410);
    // Max-Age, not Expires: a lifetime counted by the browser does not depend on the two clocks agreeing.
    const maxAge = Math.max(0, Math.floor((r.expiresAt.getTime() - engine.now().getTime()) / 1000));
    setCookie(c, SESSION_COOKIE, r.sessionId, { httpOnly: true, sameSite: 'Lax', path: '/', secure: secure(), maxAge });
    return c.redirect(`/c/${encodeURIComponent(r.communityId)}/`, 303);
  });

  // A session of this very community, or 403 (the same answer whether or not the other community exists).
  app.use('/c/:communityId/*', async (c, next) => {
    const id = getCookie(c, SESSION_COOKIE);
    const s = id ? await engine.dashboardSession(id) : null;
    if (!s || s.communityId !== c.req.param('communityId')) return c.html(messagePage(s ? L(s) : browserLang(c), 'forbidden'), 403);
    if (WRITES.has(c.req.method)) {
      const token = await csrfOf(c);
      if (!token || !same(token, s.csrfToken)) return c.html(messagePage(L(s), 'csrf'), 403);
    }
    const extended = s.extendable ? await engine.dashboardExtend(id!, s.expiresAt) : null;
    if (extended) {
      s.expiresAt = extended;
      setCookie(c, SESSION_COOKIE, id!, { httpOnly: true, sameSite: 'Lax', path: '/', secure: secure(), maxAge: Math.floor((extended.getTime() - engine.now().getTime()) / 1000) });
    }
    c.set('session', s);
    c.set('sessionId', id!);
    await next();
  });

  app.get('/c/:communityId/', (c) => {
    const s = c.get('session');
    return c.html(homePage(L(s), { communityId: s.communityId, memberName: s.memberName, role: s.role, expiresAt: s.expiresAt, csrfToken: s.csrfToken }));
  });

  // Each section of the dashboard is a module of its own (src/web/routes), mounted behind the gate above.
  for (const routes of SECTION_ROUTES) app.route('/c/:communityId', routes(engine));

  app.post('/c/:communityId/signout', async (c) => {
    const s = c.get('session');
    await engine.dashboardSignOut(c.get('sessionId'));
    deleteCookie(c, SESSION_COOKIE, { path: '/', secure: secure() });
    return c.html(messagePage(L(s), 'signedOut'));
  });

  return app;
}
