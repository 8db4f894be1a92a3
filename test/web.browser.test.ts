import { describe, it, expect, beforeAll, afterAll, beforeEach, afterEach } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { DAY, type TestBot } from './helpers.js';
import { webHarness, type WebHarness } from './web-harness.js';
import { CHROMIUM, launchBrowser } from './browser.js';

/** The dashboard in a real browser: Debian's chromium driven by playwright-core, against the bot's web server. */
describe.skipIf(!CHROMIUM)('dashboard in a browser', () => {
  let browser: Browser;
  let h: WebHarness;
  let bot: TestBot;

  beforeAll(async () => { browser = await launchBrowser(); });
  afterAll(async () => browser?.close());
  beforeEach(async () => { h = await webHarness(); bot = h.bot; });
  afterEach(async () => h.close());

  /** The link from a moderator's /dashboard reply. */
  const askLink = async () => /(https?:\/\/\S+\/auth\/\S+)/.exec((await bot.run('mod', '/dashboard', { role: 'moderator' })).text)![1];

  it('signs in through the link, shows the community page in its language, signs out; the used link is refused', async () => {
    await bot.run('boss', '/settings locale:ko timezone:Asia/Seoul', { role: 'admin' });
    const link = await askLink();
    const page = await browser.newPage();
    await page.goto(link);
    await page.click('button.sign-in'); // the link's page asks to confirm
    expect(new URL(page.url()).pathname).toMatch(/^\/c\/[^/]+\/$/);
    const body = await page.textContent('body');
    expect(body).toContain('mod 님(운영진) 계정으로 로그인했어요.');
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

  it('reads the NPS chart of a repeating poll; with UPDATE_SCREENSHOTS=1 saves it as docs/nps.png', async () => {
    const mod = { role: 'moderator' as const };
    await bot.run('brand', '/poll create How likely are you to recommend our community to a friend? duration:1d repeat:weekly', mod);
    const runs: [string, number, string?][][] = [
      [['Ana', 10, 'The weekly AMAs are great'], ['Ben', 9], ['Chloe', 6, 'Hard to find the rules'], ['Dev', 4, 'Too many bots in #general'], ['Eli', 8]],
      [['Ana', 10], ['Ben', 9, 'Quick answers from the mods'], ['Chloe', 7, 'Better since the rules channel'], ['Dev', 6], ['Eli', 9]],
      [['Ana', 10, 'Love the challenges'], ['Ben', 10], ['Chloe', 9, 'Giveaways are fun'], ['Dev', 8], ['Eli', 5, 'Notifications are noisy'], ['Fay', 9]],
    ];
    for (const [n, answers] of runs.entries()) {
      for (const [who, score, comment] of answers) await bot.run(who, `/poll answer ${n + 1} ${score}${comment ? ` ${comment}` : ''}`);
      if (n === runs.length - 1) break;
      bot.clock.advance(DAY);
      await bot.engine.runDueJobs(); // closes, schedules the next run
      bot.clock.advance(6 * DAY);
      await bot.engine.runDueJobs(); // the next run opens
    }
    const page = await browser.newPage({ viewport: { width: 900, height: 900 } });
    await page.goto(await askLink());
    await page.click('button.sign-in'); // the link's page asks to confirm
    await page.click('a[href$="/nps"]');
    expect(new URL(page.url()).pathname).toMatch(/^\/c\/[^/]+\/nps$/);
    expect(await page.textContent('h1')).toBe('NPS');
    const points = page.locator('svg.nps-chart circle.nps-point');
    expect(await points.count()).toBe(3);
    expect(await points.nth(0).locator('title').textContent()).toBe('Nov 25: NPS 0 (5 responses)');
    expect(await points.nth(1).locator('title').textContent()).toBe('Dec 2: NPS +40 (5 responses)');
    expect(await points.nth(2).locator('title').textContent()).toBe('Dec 9: NPS +50 (6 responses)');
    expect(await page.textContent('.nps-score')).toBe('NPS +50 from 6 responses');

    // A point leads to its run; the filter to one group's comments.
    await points.nth(0).click();
    expect(await page.textContent('.nps-score')).toBe('NPS 0 from 5 responses');
    await page.click('.filter a:has-text("Detractors")');
    expect(await page.locator('table.comments tbody tr').count()).toBe(2);

    await page.goto(page.url().replace(/\?.*$/, ''));
    const shot = await page.screenshot({ fullPage: true });
    expect(shot.length).toBeGreaterThan(10_000);
    if (process.env.UPDATE_SCREENSHOTS === '1') {
      const docs = join(import.meta.dirname, '..', 'docs');
      mkdirSync(docs, { recursive: true });
      writeFileSync(join(docs, 'nps.png'), shot);
    }
    await page.close();
  });
});
