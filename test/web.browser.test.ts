import { describe, it, expect, beforeAll, afterAll, beforeEach, afterEach } from 'vitest';
import type { Browser } from 'playwright-core';
import { testBot, type TestBot } from './helpers.js';
import { createWebServer, type WebServer } from '../src/web/server.js';
import { CHROMIUM, launchBrowser } from './browser.js';

/** The dashboard in a real browser: Debian's chromium driven by playwright-core, against the bot's web server. */
describe.skipIf(!CHROMIUM)('dashboard in a browser', () => {
  let browser: Browser;
  let bot: TestBot;
  let web: WebServer;

  beforeAll(async () => { browser = await launchBrowser(); });
  afterAll(async () => browser?.close());
  beforeEach(async () => {
    bot = await testBot();
    web = createWebServer({ engine: bot.engine, adapters: [] });
    await web.start(0, '127.0.0.1');
  });
  afterEach(async () => {
    await web.stop();
    await bot.close();
  });

  /** The link from a moderator's /dashboard reply. */
  const askLink = async () => /(https?:\/\/\S+\/auth\/\S+)/.exec((await bot.run('mod', '/dashboard', { role: 'moderator' })).text)![1];

  it('signs in through the link, shows the community page in its language, signs out; the used link is refused', async () => {
    await bot.run('boss', '/settings locale:ko timezone:Asia/Seoul', { role: 'admin' });
    const link = await askLink();
    const page = await browser.newPage();
    await page.goto(link);
    expect(new URL(page.url()).pathname).toMatch(/^\/c\/[^/]+\/$/);
    const body = await page.textContent('body');
    expect(body).toContain('mod님(운영진)으로 로그인했어요.');
    const cookies = await page.context().cookies();
    expect(cookies.find((c) => c.name === 'engage_session')).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
    expect((await page.screenshot()).length).toBeGreaterThan(1000);

    await page.click('button[type=submit]');
    expect(await page.textContent('body')).toContain('로그아웃했어요.');
    // The session is gone: the community page is refused now, and so is the link that was used.
    const again = await page.goto(new URL('/c/x/', link).toString());
    expect(again?.status()).toBe(403);
    const reused = await page.goto(link);
    expect(reused?.status()).toBe(410);
    await page.close();
  });
});
