import { describe, it, expect, afterEach } from 'vitest';
import { webHarness, formOf, type WebHarness } from './web-harness.js';
import { drain, DAY, HOUR } from './helpers.js';
import { lang } from '../src/i18n/index.js';

/** The dashboard's polls page over real HTTP: create (the chat's /poll create), list, close. */
let h: WebHarness;
afterEach(async () => { await h?.close(); });

const en = lang('en', 'UTC');
const unescape = (s: string) => s.replace(/<[^>]+>/g, '').replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
/** The reply block on top of a page, as text, and whether it says done or refused. */
function replyOf(html: string): { kind: string; text: string } | undefined {
  const m = /<div class="reply (done|refused)" role="status">([\s\S]*?)<\/div>/.exec(html);
  return m ? { kind: m[1], text: unescape(m[2].replace(/<br>/g, '\n')) } : undefined;
}
/** A list section ("scheduled", "open", "closed") of the page. */
const sectionOf = (html: string, key: string) => new RegExp(`<section class="${key}">([\\s\\S]*?)</section>`).exec(html)![1];
/** The value of the select option whose label contains `label`. */
const optionValue = (html: string, label: string) =>
  [...html.matchAll(/<option value="([^"]*)"[^>]*>([^<]*)<\/option>/g)].find((m) => unescape(m[2]).includes(label))![1].replace(/&amp;/g, '&');

/** Signs in a moderator and opens the polls page; the chat first learns channel #announcements (a poll there). */
async function setup(opts: { learn?: boolean } = {}) {
  h = await webHarness();
  await h.bot.run('boss', '/points', { role: 'admin' });
  if (opts.learn !== false) {
    const r = await h.bot.run('mod', '/poll create Warm-up? duration:1h', { role: 'moderator', address: { kind: 'channel', channelId: 'announcements' } });
    expect(r.error, r.text).toBeUndefined();
  }
  const s = await h.session('mod');
  const path = `${s.home}polls`;
  const open = async () => {
    const res = await h.get(path, s.cookie);
    expect(res.status).toBe(200);
    return res.text();
  };
  /** Sends the create form read from the page, with `fields` filled in. */
  const create = async (fields: Record<string, string>, html?: string) => {
    const page = html ?? await open();
    const body = { ...formOf(page, '/polls'), question: '', opens: '', amount: '3', unit: 'd', repeat: 'none', channel: optionValue(page, '#announcements'), ...fields };
    const res = await h.post(path, s.cookie, body);
    return { status: res.status, html: await res.text(), body };
  };
  const polls = () => h.bot.db.prisma.poll.findMany({ orderBy: { id: 'asc' } });
  return { ...s, path, open, create, polls };
}

describe('dashboard: polls', () => {
  it('creates a one-off poll now and a weekly one later, in the chosen channel, and lists them', async () => {
    const t = await setup();
    const page = await t.open();
    expect(page).toContain('type="datetime-local"');
    expect(page).toContain('UTC');
    expect(unescape(page)).toContain(en.t('webPolls:channel', { platform: 'Console', channel: 'announcements' }));

    const now = await t.create({ question: 'How likely are you to recommend us?', amount: '2', unit: 'h' });
    expect(now.status).toBe(200);
    expect(replyOf(now.html)).toMatchObject({ kind: 'done' });
    expect(replyOf(now.html)!.text).toContain('Poll #2 is open');
    const weekly = await t.create({ question: 'Weekly <pulse> & check', opens: '2026-12-01T18:00', amount: '1', unit: 'd', repeat: 'weekly' });
    expect(weekly.status).toBe(200);
    expect(replyOf(weekly.html)!.text).toContain('Poll #3 opens');

    const [, first, second] = await t.polls();
    expect(first).toMatchObject({ status: 'open', repeat: 'none', platform: 'console', channelId: 'announcements' });
    expect(first.closesAt.getTime() - first.opensAt.getTime()).toBe(2 * HOUR);
    expect(second).toMatchObject({ status: 'scheduled', repeat: 'weekly', channelId: 'announcements' });
    expect(second.opensAt.toISOString()).toBe('2026-12-01T18:00:00.000Z');
    expect(second.closesAt.getTime() - second.opensAt.getTime()).toBe(DAY);

    const html = await t.open();
    const scheduled = sectionOf(html, 'scheduled');
    expect(scheduled).toContain('Weekly &lt;pulse&gt; &amp; check');
    expect(scheduled).not.toContain('<pulse>');
    expect(scheduled).toContain(en.date(second.opensAt));
    expect(scheduled).toContain('Weekly');
    expect(sectionOf(html, 'open')).toContain('How likely are you to recommend us?');
    expect(sectionOf(html, 'open')).toContain('Warm-up?');

    // The one open now was posted in #announcements; the weekly one is posted when it opens.
    const cards = (await drain(h.bot)).filter((d) => d.reply.text.includes('Poll #2'));
    expect(cards.map((c) => c.to)).toEqual([{ kind: 'channel', channelId: 'announcements' }]);
  });

  it('reads "opens" in the community zone and shows times there, in its language', async () => {
    const t = await setup();
    expect((await h.bot.run('boss', '/settings locale:ko timezone:Asia/Seoul', { role: 'admin' })).error).toBeUndefined();
    const page = await t.open();
    expect(page).toContain('<html lang="ko">');
    expect(page).toContain('Asia/Seoul (GMT+9)');
    const r = await t.create({ question: '이번 주는 어땠나요?', opens: '2026-12-01T18:00', repeat: 'weekly' }, page);
    expect(r.status).toBe(200);
    const poll = (await t.polls()).at(-1)!;
    expect(poll.opensAt.toISOString()).toBe('2026-12-01T09:00:00.000Z'); // 18:00 KST
    const scheduled = sectionOf(await t.open(), 'scheduled');
    expect(scheduled).toContain('12월 1일 (화) 오후 6:00');
    expect(scheduled).toContain('매주');
  });

  it('refuses bad input with the catalog error and creates nothing', async () => {
    const t = await setup();
    const before = (await t.polls()).length;
    const refused = async (fields: Record<string, string>, says: string) => {
      const r = await t.create(fields);
      expect(r.status).toBe(400);
      const reply = replyOf(r.html)!;
      expect(reply.kind).toBe('refused');
      expect(reply.text).toContain(says);
      return r.html;
    };
    await refused({ question: '' }, 'Missing');
    await refused({ question: 'Too short?', amount: '4', unit: 'm' }, 'must be between 5m and 90d');
    await refused({ question: 'Too long?', amount: '91', unit: 'd' }, 'must be between 5m and 90d');
    const past = await refused({ question: 'In the past?', opens: '2026-11-20T09:00' }, en.t('polls:error.opensPast'));
    // What was typed is shown again.
    expect(past).toContain('value="In the past?"');
    expect(past).toContain('value="2026-11-20T09:00"');
    await refused({ question: 'Not a date?', opens: 'someday' }, 'is not a date');
    await refused({ question: 'Somewhere else?', channel: 'console/elsewhere/' }, en.t('webPolls:error.unknownChannel'));
    await refused({ question: 'Repeat?', repeat: 'hourly' }, 'repeat');
    expect((await t.polls()).length).toBe(before);
  });

  it('explains how the bot learns a channel when it knows none, and refuses to post', async () => {
    const t = await setup({ learn: false });
    const page = await t.open();
    expect(unescape(page)).toContain(en.t('webPolls:noChannels'));
    const r = await h.post(t.path, t.cookie, { ...formOf(page, '/polls'), question: 'Anyone?', channel: 'console/general/' });
    expect(r.status).toBe(400);
    expect(replyOf(await r.text())!.text).toBe(en.t('webPolls:error.unknownChannel'));
    expect(await t.polls()).toEqual([]);
  });

  it('acts once when the same form is sent twice', async () => {
    const t = await setup();
    const page = await t.open();
    const first = await t.create({ question: 'Once only?' }, page);
    const second = await h.post(t.path, t.cookie, first.body);
    expect(second.status).toBe(200);
    expect(replyOf(await second.text())!.text).toBe(replyOf(first.html)!.text);
    expect((await t.polls()).filter((p) => p.question === 'Once only?')).toHaveLength(1);
  });

  it('closes a scheduled or open poll, which then shows as closed with its NPS', async () => {
    const t = await setup();
    await h.bot.run('ana', '/poll answer 1 9');
    await h.bot.run('ben', '/poll answer 1 3');
    const page = await t.open();
    const closeForm = formOf(page, '/polls/1/close');
    const r = await h.post(`${t.path}/1/close`, t.cookie, closeForm);
    expect(r.status).toBe(200);
    const html = await r.text();
    expect(replyOf(html)!.text).toBe(en.t('polls:closed', { id: 1 }));
    expect((await t.polls())[0].status).toBe('closed');
    const closed = sectionOf(html, 'closed');
    expect(closed).toContain('Warm-up?');
    expect(closed).toMatch(/<td>0<\/td><td>2<\/td>/); // NPS 0 from 2 responses
    expect(sectionOf(html, 'open')).not.toContain('Warm-up?');
    // Closing it again is refused; resending the same form gives the first answer.
    expect((await h.post(`${t.path}/1/close`, t.cookie, closeForm)).status).toBe(200);
    const again = await h.post(`${t.path}/1/close`, t.cookie, formOf(html, '/polls'));
    expect(again.status).toBe(400);
    expect(replyOf(await again.text())!.text).toBe(en.t('polls:error.alreadyClosed', { id: 1 }));
  });

  it('lists every run of a repeating poll', async () => {
    const t = await setup();
    await t.create({ question: 'Daily pulse?', amount: '1', unit: 'h', repeat: 'daily' });
    h.bot.clock.advance(HOUR);
    await h.bot.engine.runDueJobs();
    const html = await t.open();
    expect(sectionOf(html, 'closed')).toContain('Daily pulse?');
    expect(sectionOf(html, 'scheduled')).toContain('Daily pulse?');
    expect(sectionOf(html, 'scheduled')).toContain('Daily (series #2)');
  });

  it('offers the channels the bot knows from polls, challenges, giveaways and seasons, newest first, and posts in a thread', async () => {
    const t = await setup();
    const db = h.bot.db.prisma;
    const communityId = await h.communityId();
    const createdById = (await h.bot.memberOf('mod')).id;
    const at = (iso: string) => new Date(iso);
    await db.poll.updateMany({ data: { createdAt: at('2026-11-01T00:00:00Z') } }); // #announcements: the oldest
    await db.challenge.create({ data: { communityId, title: 'Art', reward: 10, deadline: at('2026-12-31T00:00:00Z'), createdById, platform: 'console', channelId: 'ideas', threadId: 't-7', createdAt: at('2026-11-03T00:00:00Z') } });
    await db.contest.create({ data: { communityId, prize: 'Mug', winnersCount: 1, endsAt: at('2026-12-31T00:00:00Z'), createdById, platform: 'telegram', channelId: '-100', createdAt: at('2026-11-04T00:00:00Z') } });
    await db.season.create({ data: { communityId, name: 'Winter', startsAt: at('2026-12-01T00:00:00Z'), endsAt: at('2027-01-01T00:00:00Z'), createdAt: at('2026-11-05T00:00:00Z'),
      announceTo: JSON.stringify([{ platform: 'discord', address: { kind: 'channel', channelId: '42' } }, { platform: 'discord', address: { kind: 'dm', userId: 'x' } }]) } });
    // Another community's channels are not offered.
    await h.bot.run('mod', '/points', { communityKey: 'other' });
    await db.contest.create({ data: { communityId: await h.communityId('other'), prize: 'Hat', winnersCount: 1, endsAt: at('2026-12-31T00:00:00Z'), createdById, platform: 'console', channelId: 'secret' } });

    const page = await t.open();
    const labels = [...sectionOf(page, 'create').matchAll(/<option value="[^"]*"[^>]*>([^<]*)<\/option>/g)].map((m) => unescape(m[1])).filter((l) => l.includes('#'));
    expect(labels).toEqual(['Discord · #42', 'Telegram · #-100', 'Console · #ideas › thread t-7', 'Console · #announcements']);
    const r = await t.create({ question: 'In the thread?', channel: optionValue(page, 'thread t-7') }, page);
    expect(replyOf(r.html)).toMatchObject({ kind: 'done' });
    expect((await t.polls()).at(-1)).toMatchObject({ question: 'In the thread?', platform: 'console', channelId: 'ideas', threadId: 't-7' });
    const cards = (await drain(h.bot)).filter((d) => d.reply.text.includes('In the thread?'));
    expect(cards.map((c) => c.to)).toEqual([{ kind: 'channel', channelId: 'ideas', threadId: 't-7' }]);
  });

  it("refuses another community's session", async () => {
    const t = await setup();
    await h.bot.run('mod', '/points', { role: 'moderator', communityKey: 'other' });
    const other = await h.session('mod', 'other');
    expect((await h.get(t.path, other.cookie)).status).toBe(403);
    const page = await t.open();
    const r = await h.post(t.path, other.cookie, { ...formOf(page, '/polls'), question: 'Sneaky?', channel: optionValue(page, '#announcements') });
    expect(r.status).toBe(403);
    expect((await t.polls()).filter((p) => p.question === 'Sneaky?')).toEqual([]);
  });
});
