import { describe, it, expect, beforeAll, afterAll, beforeEach, afterEach } from 'vitest';
import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import type { TestBot } from './helpers.js';
import { webHarness, type WebHarness } from './web-harness.js';
import { CHROMIUM, launchBrowser } from './browser.js';

/** The exports page in a real browser: sign in through the chat link, open Exports, download a CSV file. */
describe.skipIf(!CHROMIUM)('exports in a browser', () => {
  let browser: Browser;
  let h: WebHarness;
  let bot: TestBot;

  beforeAll(async () => { browser = await launchBrowser(); });
  afterAll(async () => browser?.close());
  beforeEach(async () => { h = await webHarness(); bot = h.bot; });
  afterEach(async () => h.close());

  it('downloads the points ledger as a CSV file with the rows of the community', async () => {
    const mod = { role: 'moderator' as const };
    await bot.run('boss', '/settings locale:ko timezone:Asia/Seoul', { role: 'admin' });
    await bot.engine.handle({ platform: 'console', communityKey: 'test', actor: { platform: 'console', userId: 'jimin', displayName: '지민', username: 'jimin' }, command: 'points', args: '' });
    expect((await bot.run('mod', '/give @jimin 40 "Great answer, really"', mod)).error).toBeUndefined();
    expect((await bot.run('mod', '/take @jimin 15 =oops', mod)).error).toBeUndefined();
    await bot.db.prisma.community.updateMany({ data: { name: '우리 커뮤니티' } });
    const link = /(https?:\/\/\S+\/auth\/\S+)/.exec((await bot.run('mod', '/dashboard', mod)).text)![1];

    const page = await browser.newPage({ acceptDownloads: true });
    await page.goto(link);
    await page.click('button.sign-in'); // the link's page asks to confirm
    await page.click('a[href$="/exports"]');
    expect(new URL(page.url()).pathname).toMatch(/^\/c\/[^/]+\/exports$/);
    expect(await page.textContent('h1')).toBe('내보내기');
    expect(await page.textContent('tr[data-kind="ledger"] td.rows')).toBe('2');

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('tr[data-kind="ledger"] a.download')]);
    expect(download.suggestedFilename()).toBe('우리-커뮤니티-ledger-2026-11-25.csv'); // the UTF-8 name (filename*)
    const text = readFileSync((await download.path())!, 'utf8');
    expect(text.startsWith('\uFEFFid,time_utc,time_local,member_id,member_name,platform_accounts,delta,balance_after,kind,reason,actor_id,actor_name\r\n')).toBe(true);
    const rows = text.slice(1).split('\r\n').slice(1, -1);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatch(/^\d+,2026-11-25T12:00:00\.000Z,2026-11-25T21:00:00\+09:00,[^,]+,지민,console:jimin,40,40,grant,"Great answer, really",[^,]+,mod$/);
    expect(rows[1]).toMatch(/^\d+,[^,]+,[^,]+,[^,]+,지민,console:jimin,-15,25,revoke,'=oops,[^,]+,mod$/);

    // The date filter narrows the counts and the links.
    await page.fill('input[name=from]', '2026-11-26');
    await page.click('form.filter button[type=submit]');
    expect(await page.textContent('tr[data-kind="ledger"] td.rows')).toBe('0');
    const [empty] = await Promise.all([page.waitForEvent('download'), page.click('tr[data-kind="ledger"] a.download')]);
    expect(readFileSync((await empty.path())!, 'utf8').split('\r\n')).toHaveLength(2); // the header and the final line end
    await page.close();
  });
});
