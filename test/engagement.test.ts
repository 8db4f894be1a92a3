import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { webHarness, type WebHarness } from './web-harness.js';
import { MIN } from './helpers.js';
import type { ActivityEvent } from '../src/core/types.js';
import { dayRange } from '../src/features/insights/days.js';

/*
 * The dashboard's engagement page over HTTP, in an Asia/Seoul community (UTC+9: local midnight is 15:00 UTC,
 * so 14:59 and 15:01 UTC fall on different local days but the same UTC day).
 */

const admin = { role: 'admin' as const };
const mod = { role: 'moderator' as const };
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
/** The tooltip of one day's column in a chart. */
const tipOf = (html: string, cls: string, day: string) => {
  const svg = new RegExp(`<svg class="${cls}"[\\s\\S]*?</svg>`).exec(html)![0];
  return new RegExp(`<g class="day" data-day="${day}"><title>([^<]*)</title>`).exec(svg)?.[1];
};
const rowOf = (html: string, table: string, day: string) => {
  const t = new RegExp(`<table class="${table}">[\\s\\S]*?</table>`).exec(html)![0];
  const row = new RegExp(`<tr data-day="${day}">([\\s\\S]*?)</tr>`).exec(t)![1];
  return [...row.matchAll(/<t[dh][^>]*>([^<]*)</g)].map((m) => m[1]);
};

describe('engagement page', () => {
  let h: WebHarness;
  let cookie: string;
  let id: string;
  const ev = (user: string, eventId: string): ActivityEvent => ({
    platform: 'console', communityKey: 'test', address: { kind: 'channel', channelId: 'general' },
    actor: { platform: 'console', userId: user, displayName: user, username: user }, kind: 'message', eventId, length: 30,
  });

  beforeAll(async () => {
    h = await webHarness({ activityBuffer: { maxMs: 3_600_000 } });
    const run = async (user: string, line: string, extra: Parameters<typeof h.bot.run>[2] = {}) => {
      const r = await h.bot.run(user, line, extra);
      expect(r.error, `${user}: ${line} → ${r.text}`).toBeUndefined();
      return r;
    };
    // 2026-11-25 12:00 UTC = 21:00 in Seoul.
    await run('admin', '/settings timezone:Asia/Seoul referrer_reward:7 referee_reward:3', admin);
    await run('admin', '/referral settings min_days:0 min_activity:0 min_account_age:0', admin);
    await run('admin', '/activity settings points_min:2 points_max:2', admin);
    await run('admin', '/reward add 5 Sticker', admin);
    await run('alice', '/points');
    await run('bob', '/points');
    await run('evil', '/points', { actor: { platform: 'console', userId: 'evil', displayName: '<script>alert(1)</script>', username: 'evil' } });
    ({ cookie } = await h.session('mod'));
    id = await h.communityId();

    h.bot.clock.advance(179 * MIN); // 14:59 UTC: 23:59 on Nov 25 in Seoul
    await run('mod', '/give @alice 10', mod);
    h.bot.clock.advance(2 * MIN); // 15:01 UTC: 00:01 on Nov 26 in Seoul (still Nov 25 in UTC)
    await run('mod', '/give @bob 20', mod);
    await run('mod', '/take @bob 4', mod);
    await run('mod', '/give @evil 1', mod);
    await run('alice', '/redeem Sticker');
    const code = (await h.bot.db.prisma.member.findUniqueOrThrow({ where: { id: (await h.bot.memberOf('alice')).id } })).referralCode;
    await run('carol', `/referral redeem ${code}`);
    await run('dave', `/referral redeem ${code}`);
    await run('erin', '/points');
    // A referral cancelled since still counts under its source; an invite referral is seeded as Discord attribution would leave it.
    const [dave, erin, alice] = [await h.bot.memberOf('dave'), await h.bot.memberOf('erin'), await h.bot.memberOf('alice')];
    await h.bot.db.prisma.referral.update({ where: { refereeId: dave.id }, data: { status: 'cancelled' } });
    await h.bot.db.prisma.referral.create({ data: { communityId: id, referrerId: alice.id, refereeId: erin.id, code: 'INV1', source: 'invite', status: 'pending', createdAt: h.bot.clock.now() } });
    await h.bot.engine.activity(ev('carol', 'm1'));
    await h.bot.engine.flush();
    await run('mod', '/contest create Mug 1 1d', mod);
    await run('carol', '/contest enter 1');
    await run('dave', '/contest enter 1');
    await run('mod', '/challenge create "Share a post" 50 3d Post about us', mod);
    await run('bob', '/challenge submit 1 https://example.com/p/1');
    await run('mod', '/poll create Recommend us? duration:1d', mod);
    await run('carol', '/poll answer 1 9');
    await run('erin', '/poll answer 1 6');
  });
  afterAll(async () => h?.close());

  it('folds points and active members into Seoul days, with totals', async () => {
    const res = await h.get(`/c/${id}/engagement`, cookie);
    expect(res.status).toBe(200);
    const html = await res.text();
    // Nov 25 (Seoul): alice's 10 at 23:59. Nov 26: bob 20, evil 1, two referrals (7 + 3 each), carol's activity 2; bob's 4 taken back; alice's 5 spent.
    expect(rowOf(html, 'points', '2026-11-25')).toEqual(['Nov 25', '10', '0', '0']);
    expect(rowOf(html, 'points', '2026-11-26')).toEqual(['Nov 26', '43', '5', '4']);
    expect(rowOf(html, 'points', '2026-11-24')).toEqual(['Nov 24', '0', '0', '0']);
    expect(tipOf(html, 'points-chart', '2026-11-26')).toBe('Nov 26: 43 issued, 5 redeemed');
    expect(text(html)).toContain('In this range: 53 points issued, 5 redeemed, 4 taken back.');
    // 30 local days, ending today (Nov 26 in Seoul).
    expect(html.match(/<tr data-day="/g)).toHaveLength(60);
    expect(html).not.toContain('data-day="2026-11-27"');
    // Active: alice on Nov 25; alice, bob, evil, carol, dave, erin on Nov 26.
    expect(rowOf(html, 'active', '2026-11-25')).toEqual(['Nov 25', '1']);
    expect(rowOf(html, 'active', '2026-11-26')).toEqual(['Nov 26', '6']);
    expect(text(html)).toContain('Today: 6 active · 7-day average: 1');
    expect(tipOf(html, 'active-chart', '2026-11-26')).toBe('Nov 26: 6 active');
  });

  it('shows the leaderboards with tiers, escaping names', async () => {
    const html = await (await h.get(`/c/${id}/engagement`, cookie)).text();
    const board = /<table class="leaders-all">[\s\S]*?<\/table>/.exec(html)![0];
    const rows = [...board.matchAll(/<tr><td>([^<]*)<\/td><td>([^<]*)<\/td><td>([^<]*)<\/td><td>([^<]*)<\/td><\/tr>/g)].map((m) => m.slice(1));
    expect(rows).toEqual([
      ['1', 'alice', '24', 'Bronze'], ['2', 'bob', '16', 'Bronze'], ['3', 'carol', '5', 'Bronze'], ['4', 'dave', '3', 'Bronze'],
      ['5', '&lt;script&gt;alert(1)&lt;/script&gt;', '1', 'Bronze'],
    ]);
    expect(/<table class="leaders-month">[\s\S]*?<\/table>/.exec(html)![0]).toContain('<td>alice</td><td>24</td>');
    expect(html).not.toContain('<script>');
  });

  it('counts the newcomer funnel per referral source', async () => {
    const html = await (await h.get(`/c/${id}/engagement`, cookie)).text();
    const cells = (source: string) => {
      const row = new RegExp(`<tr class="${source}">([\\s\\S]*?)</tr>`).exec(html)![1];
      return [...row.matchAll(/<td>([^<]*)<\/td>/g)].map((m) => m[1]);
    };
    // Organic: admin, mod, alice, bob, evil, of whom bob sent a challenge submission.
    expect(cells('organic')).toEqual(['5', '1 (20%)', '1 (20%)', '0 (0%)']);
    // Code: carol (activity, giveaway, poll) and dave (giveaway; his referral cancelled since).
    expect(cells('code')).toEqual(['2', '2 (100%)', '2 (100%)', '1 (50%)']);
    expect(html).toContain('pending 0 · paid 1 · cancelled 1 · clawed back 0');
    // Invite: erin answered a poll only, so she stops after the first step.
    expect(cells('invite')).toEqual(['1', '1 (100%)', '0 (0%)', '0 (0%)']);
    expect(cells('link')).toEqual(['0', '0 (0%)', '0 (0%)', '0 (0%)']);
  });

  it('takes 90 and 365 days, and anything else as 30', async () => {
    const count = async (q: string) => ((await (await h.get(`/c/${id}/engagement${q}`, cookie)).text()).match(/<tr data-day="/g) ?? []).length / 2;
    expect(await count('?days=90')).toBe(90);
    expect(await count('?days=365')).toBe(365);
    expect(await count('?days=7')).toBe(30);
    expect(await count('?days=%3Cx%3E')).toBe(30);
  });

  it('speaks Korean and Japanese', async () => {
    expect((await h.bot.run('admin', '/settings locale:ko', admin)).error).toBeUndefined();
    try {
      const html = await (await h.get(`/c/${id}/engagement`, cookie)).text();
      expect(html).toContain('<html lang="ko">');
      expect(html).toContain('<h1>참여 현황</h1>');
      expect(tipOf(html, 'points-chart', '2026-11-26')).toBe('11월 26일: 지급 43, 사용 5');
      expect(text(html)).toContain('이 기간에 53 포인트가 지급되고 5 포인트가 사용됐으며 4 포인트가 회수됐어요.');
      expect(text(html)).toContain('오늘: 6명 활동');
      expect(html).toContain('대기 0 · 지급 완료 1 · 취소 1 · 회수 0');
      expect(html).toContain('<th scope="col">순위</th>');
      expect((await h.bot.run('admin', '/settings locale:ja', admin)).error).toBeUndefined();
      const ja = await (await h.get(`/c/${id}/engagement`, cookie)).text();
      expect(ja).toContain('<h1>エンゲージメント</h1>');
      expect(tipOf(ja, 'points-chart', '2026-11-26')).toBe('11月26日: 付与 43、利用 5');
      expect(text(ja)).toContain('今日: 6人がアクティブ');
    } finally {
      await h.bot.run('admin', '/settings locale:en', admin);
    }
  });

  it('folds days across a daylight saving change (New York, last)', async () => {
    expect((await h.bot.run('admin', '/settings timezone:America/New_York', admin)).error).toBeUndefined();
    const alice = await h.bot.memberOf('alice');
    // New York left daylight saving on 2026-11-01 at 06:00 UTC: 04:30 UTC is 00:30 on Oct 31 before it, 23:30 on Nov 1 after.
    for (const [at, delta] of [['2026-10-31T04:30:00Z', 1000], ['2026-11-02T04:30:00Z', 2000]] as const) {
      await h.bot.db.prisma.ledgerEntry.create({ data: { communityId: id, memberId: alice.id, delta, balanceAfter: 0, kind: 'grant', reason: 'seeded', idempotencyKey: `seed:${at}`, createdAt: new Date(at) } });
    }
    const html = await (await h.get(`/c/${id}/engagement`, cookie)).text();
    expect(rowOf(html, 'points', '2026-10-31')).toEqual(['Oct 31', '1,000', '0', '0']);
    expect(rowOf(html, 'points', '2026-11-01')).toEqual(['Nov 1', '2,000', '0', '0']);
    // Everything of the Seoul days above happened on Nov 25 in New York.
    expect(rowOf(html, 'points', '2026-11-25')).toEqual(['Nov 25', '53', '5', '4']);
    expect(html).toContain('(America/New_York)');
  });

  it('refuses another community’s session and a signed-out visitor', async () => {
    const other = await h.session('mod', 'other');
    expect((await h.get(`/c/${id}/engagement`, other.cookie)).status).toBe(403);
    expect([302, 401, 403]).toContain((await h.get(`/c/${id}/engagement`)).status);
  });
});

describe('local days', () => {
  it('runs midnight to midnight in the zone, 23 or 25 hours where clocks change', () => {
    const r = dayRange(new Date('2026-11-25T15:01:00Z'), 'Asia/Seoul', 30);
    expect(r.today).toBe('2026-11-26');
    expect(r.days).toHaveLength(30);
    expect(r.days.at(-1)).toEqual({ day: '2026-11-26', from: new Date('2026-11-25T15:00:00Z'), to: new Date('2026-11-26T15:00:00Z') });
    expect(r.from).toEqual(new Date('2026-10-27T15:00:00Z'));
    // New York left daylight saving on 2026-11-01 at 06:00 UTC: that day is 25 hours long.
    const ny = dayRange(new Date('2026-11-25T12:00:00Z'), 'America/New_York', 30);
    expect(ny.days.find((d) => d.day === '2026-11-01')).toEqual({ day: '2026-11-01', from: new Date('2026-11-01T04:00:00Z'), to: new Date('2026-11-02T05:00:00Z') });
    // Half-hour zones too.
    expect(dayRange(new Date('2026-11-25T18:29:00Z'), 'Asia/Kolkata', 1).days[0].to).toEqual(new Date('2026-11-25T18:30:00Z'));
  });
});
