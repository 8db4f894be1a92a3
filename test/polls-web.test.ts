import { describe, it, expect, afterEach } from 'vitest';
import { webHarness, formOf, type WebHarness } from './web-harness.js';
import { drain } from './helpers.js';

/** The dashboard's poll form: kind, options and anonymous go to `poll create` like in chat. */
let h: WebHarness;
afterEach(async () => { await h?.close(); });

describe('dashboard: choice polls', () => {
  it('creates an anonymous single-choice poll from the form, and refuses bad options keeping what was typed', async () => {
    h = await webHarness();
    await h.bot.run('boss', '/points', { role: 'admin' });
    await h.bot.run('mod', '/poll create Warm-up? duration:1h', { role: 'moderator', address: { kind: 'channel', channelId: 'announcements' } });
    const s = await h.session('mod');
    const path = `${s.home}polls`;
    const page = await (await h.get(path, s.cookie)).text();
    expect(page).toContain('name="kind"');
    const channel = /<option value="(console[^"]*)"/.exec(page)![1].replace(/&amp;/g, '&');
    const base = { ...formOf(page, '/polls'), opens: '', amount: '3', unit: 'd', repeat: 'none', channel };
    const bad = await h.post(path, s.cookie, { ...base, question: 'Lunch?', kind: 'single', options: 'Pizza\npizza' });
    expect(bad.status).toBe(400);
    const badHtml = await bad.text();
    expect(badHtml).toContain('is in the options twice');
    expect(badHtml).toContain('Pizza\npizza');
    const ok = await h.post(path, s.cookie, { ...base, question: 'Lunch?', kind: 'single', options: 'Pizza\nSushi\nTacos', anonymous: 'yes' });
    expect(ok.status).toBe(200);
    const poll = await h.bot.db.prisma.poll.findFirstOrThrow({ where: { question: 'Lunch?' } });
    expect(poll).toMatchObject({ kind: 'single', options: '["Pizza","Sushi","Tacos"]', anonymous: true, channelId: 'announcements' });
    const card = (await drain(h.bot)).find((m) => m.reply.text.includes('Lunch?'))!.reply;
    expect(card.buttons!.flat().map((b) => b.label)).toEqual(['1. Pizza', '2. Sushi', '3. Tacos']);
  });
});
