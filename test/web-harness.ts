import { expect } from 'vitest';
import { testBot, type TestBot } from './helpers.js';
import { createWebServer, type WebServer } from '../src/web/server.js';

/** The web server on a free port in front of a real engine on SQLite, driven over real HTTP. */
export interface WebHarness {
  bot: TestBot;
  web: WebServer;
  base: string;
  get(path: string, cookie?: string): Promise<Response>;
  post(path: string, cookie: string | undefined, body?: Record<string, string>, headers?: Record<string, string>): Promise<Response>;
  /** `/dashboard` as a moderator (or `role`) of `community` ("test" by default): the link from the private reply. */
  askLink(user?: string, community?: string, role?: 'moderator' | 'admin'): Promise<string>;
  /** Follows a link to sign in: the session cookie ("engage_session=...") and where it led. */
  signIn(link: string): Promise<{ cookie: string; location: string; setCookie: string }>;
  /** askLink + signIn: the cookie and the community's dashboard path ("/c/<id>/"). */
  session(user?: string, community?: string, role?: 'moderator' | 'admin'): Promise<{ cookie: string; home: string }>;
  communityId(key?: string): Promise<string>;
  close(): Promise<void>;
}

export const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)![1];
/** The hidden fields of the first form in `html` whose action ends with `action` (guard fields included). */
export function formOf(html: string, action: string): Record<string, string> {
  const form = [...html.matchAll(/<form\b[^>]*action="([^"]*)"[^>]*>([\s\S]*?)<\/form>/g)].find((m) => m[1].endsWith(action));
  expect(form, `a form posting to ${action}`).toBeDefined();
  const out: Record<string, string> = {};
  for (const m of form![2].matchAll(/<input\b[^>]*type="hidden"[^>]*name="([^"]+)"[^>]*value="([^"]*)"/g)) out[m[1]] = m[2].replace(/&amp;/g, '&').replace(/&quot;/g, '"');
  return out;
}

export async function webHarness(opts: Parameters<typeof testBot>[0] = {}): Promise<WebHarness> {
  const bot = await testBot(opts);
  const web = createWebServer({ engine: bot.engine });
  const base = `http://127.0.0.1:${await web.start(0, '127.0.0.1')}`;
  const get = (path: string, cookie?: string) => fetch(base + path, { redirect: 'manual', headers: cookie ? { cookie } : {} });
  const post = (path: string, cookie: string | undefined, body: Record<string, string> = {}, headers: Record<string, string> = {}) =>
    fetch(base + path, { method: 'POST', redirect: 'manual', headers: { ...(cookie ? { cookie } : {}), ...headers }, body: new URLSearchParams(body) });
  const askLink = async (user = 'mod', community = 'test', role: 'moderator' | 'admin' = 'moderator') => {
    const reply = await bot.run(user, '/dashboard', { role, communityKey: community });
    expect(reply.error).toBeUndefined();
    const m = /(https?:\/\/\S+\/auth\/[A-Za-z0-9_-]+)/.exec(reply.text);
    expect(m, reply.text).not.toBeNull();
    return m![1];
  };
  const signIn = async (link: string) => {
    // The link's page asks to confirm; its form signs in.
    const path = new URL(link).pathname;
    const confirm = await get(path);
    expect(confirm.status).toBe(200);
    expect(await confirm.text()).toContain(`action="${path}"`);
    const res = await fetch(base + path, { method: 'POST', redirect: 'manual', headers: { 'sec-fetch-site': 'same-origin' } });
    expect(res.status).toBe(303);
    await res.arrayBuffer();
    const setCookie = res.headers.get('set-cookie') ?? '';
    return { cookie: setCookie.split(';')[0], location: res.headers.get('location') ?? '', setCookie };
  };
  return {
    bot, web, base, get, post, askLink, signIn,
    async session(user = 'mod', community = 'test', role: 'moderator' | 'admin' = 'moderator') {
      const s = await signIn(await askLink(user, community, role));
      return { cookie: s.cookie, home: s.location };
    },
    communityId: async (key = 'test') => (await bot.engine.communityByKey('console', key))!.id,
    async close() { await web.stop(); await bot.close(); },
  };
}
