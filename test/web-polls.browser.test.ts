import { describe, it, expect, beforeAll, afterAll, afterEach } from 'vitest';
import type { Browser } from 'playwright-core';
import { webHarness, type WebHarness } from './web-harness.js';
import { drain, HOUR } from './helpers.js';
import { CHROMIUM, launchBrowser } from './browser.js';

/** The polls page in a real browser: a moderator schedules a weekly poll from the form; it is posted when it opens. */
describe.skipIf(!CHROMIUM)('dashboard polls in a browser', () => {
  let browser: Browser;
  let h: WebHarness;

  beforeAll(async () => { browser = await launchBrowser(); });
  afterAll(async () => browser?.close());
  afterEach(async () => { await h?.close(); });

  it('schedules a weekly poll from the form; it is posted in the chosen channel when it opens', async () => {
    h = await webHarness();
    const mod = { role: 'moderator' as const };
    // The bot learns two channels from chat: #announcements first, then #general (the newest, listed first).
    await h.bot.run('mod', '/poll create Warm-up? duration:1h', { ...mod, address: { kind: 'channel', channelId: 'announcements' } });
    await h.bot.run('mod', '/poll create Second warm-up? duration:1h', { ...mod, address: { kind: 'channel', channelId: 'general' } });
    await drain(h.bot);

    const page = await browser.newPage({ viewport: { width: 1000, height: 1000 } });
    await page.goto(await h.askLink('mod'));
    await page.click('button.sign-in'); // the link's page asks to confirm
    await page.click('nav.sections a[href$="/polls"]');
    expect(new URL(page.url()).pathname).toMatch(/^\/c\/[^/]+\/polls$/);
    expect(await page.textContent('h1')).toBe('Polls');
    expect(await page.textContent('.create .zone')).toContain('Time zone: UTC');
    const labels = await page.locator('#poll-channel option').allTextContents();
    expect(labels).toEqual(['Console · #general', 'Console · #announcements']);

    await page.fill('#poll-question', 'How likely are you to recommend us to a friend?');
    await page.fill('#poll-opens', '2026-11-26T09:00');
    await page.fill('#poll-amount', '2');
    await page.selectOption('#poll-unit', 'h');
    await page.selectOption('#poll-repeat', 'weekly');
    await page.selectOption('#poll-channel', { label: 'Console · #announcements' });
    await page.click('form.create-poll button[type=submit]');

    expect(await page.textContent('.reply.done')).toContain('Poll #3 opens Thu, Nov 26, 9:00 AM');
    const row = page.locator('table.scheduled tr[data-poll="3"]');
    expect(await row.textContent()).toContain('How likely are you to recommend us to a friend?');
    expect(await row.textContent()).toContain('Thu, Nov 26, 9:00 AM');
    expect(await row.textContent()).toContain('Weekly');
    expect(await row.textContent()).toContain('Console · #announcements');

    // Reloading the answer page sends the same form again: it acts once.
    await page.reload();
    expect(await page.textContent('.reply.done')).toContain('Poll #3 opens Thu, Nov 26, 9:00 AM');
    expect(await h.bot.db.prisma.poll.count({ where: { question: 'How likely are you to recommend us to a friend?' } })).toBe(1);

    // When it opens, its card is posted in #announcements.
    h.bot.clock.advance(21 * HOUR);
    await h.bot.engine.runDueJobs();
    const posted = (await drain(h.bot)).filter((d) => d.reply.text.includes('Poll #3'));
    expect(posted).toHaveLength(1);
    expect(posted[0].to).toEqual({ kind: 'channel', channelId: 'announcements' });
    expect(posted[0].reply.text).toContain('How likely are you to recommend us to a friend?');

    // Now open (the session has ended meanwhile on the bot's clock: sign in again).
    const polls = page.url();
    await page.goto(await h.askLink('mod'));
    await page.click('button.sign-in'); // the link's page asks to confirm
    await page.goto(polls);
    expect(await page.locator('table.open tr[data-poll="3"]').count()).toBe(1);
    expect((await page.screenshot({ fullPage: true })).length).toBeGreaterThan(10_000);
    await page.close();
  });
});
