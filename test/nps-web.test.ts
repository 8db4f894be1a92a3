import { describe, it, expect, afterEach } from 'vitest';
import { webHarness, formOf, csrfOf, type WebHarness } from './web-harness.js';
import { drain, DAY } from './helpers.js';

let h: WebHarness;
afterEach(async () => { await h?.close(); });

/** The cells of one segment row: NPS, responses, promoters, passives, detractors (as shown). */
function segment(html: string, kind: string, key: string): string[] | undefined {
  const table = new RegExp(`<table class="segments" data-kind="${kind}">([\\s\\S]*?)</table>`).exec(html)?.[1] ?? '';
  const row = new RegExp(`<tr data-segment="${key}">([\\s\\S]*?)</tr>`).exec(table)?.[1];
  return row ? [...row.matchAll(/<td[^>]*>([^<]*)<\/td>/g)].map((m) => m[1]) : undefined;
}

const followUpRows = (html: string) => [...html.matchAll(/<tr class="followup" data-poll="(\d+)" data-member="([^"]+)">/g)].map((m) => ({ pollId: Number(m[1]), memberId: m[2] }));

/**
 * A seeded community: members who joined long ago, two months ago and just now, with tiers (lifetime points),
 * referrals and a Korean-speaking member; poll #1 answered by four of six members, then closed; poll #2 open.
 */
async function seeded() {
  h = await webHarness();
  const { bot } = h;
  const prisma = bot.db.prisma;
  await bot.run('mod', '/points', { role: 'moderator' });
  await bot.run('old', '/points');
  bot.clock.advance(340 * DAY);
  await bot.run('mid', '/points');
  bot.clock.advance(60 * DAY);
  for (const u of ['kim', 'new', 'idle']) await bot.run(u, '/points');
  const m = Object.fromEntries(await Promise.all(['mod', 'old', 'mid', 'kim', 'new', 'idle'].map(async (u) => [u, await bot.memberOf(u)] as const)));
  const communityId = await h.communityId();
  await prisma.member.update({ where: { id: m.old.id }, data: { lifetimePoints: 2500 } });
  await prisma.member.update({ where: { id: m.mid.id }, data: { lifetimePoints: 600 } });
  await prisma.member.update({ where: { id: m.kim.id }, data: { locale: 'ko' } });
  await prisma.referral.create({ data: { communityId, referrerId: m.old.id, refereeId: m.mid.id, code: 'OLD1', source: 'invite' } });
  await prisma.referral.create({ data: { communityId, referrerId: m.old.id, refereeId: m.kim.id, code: 'OLD1', source: 'code' } });

  expect((await bot.run('mod', '/poll create Would you recommend us? duration:1d', { role: 'moderator' })).error).toBeUndefined();
  for (const [u, line] of [['old', '/poll answer 1 10 Great'], ['mid', '/poll answer 1 8'], ['kim', '/poll answer 1 3 Too slow'], ['new', '/poll answer 1 5']]) {
    const r = await bot.run(u, line);
    expect(r.error, r.text).toBeUndefined();
  }
  // An answer from before the platform was kept.
  await prisma.pollResponse.update({ where: { pollId_memberId: { pollId: 1, memberId: m.new.id } }, data: { platform: null } });
  bot.clock.advance(DAY + 60_000);
  await bot.engine.runDueJobs();
  await bot.run('late', '/points'); // joined after the run closed: not counted
  expect((await bot.run('mod', '/poll create How are we doing? duration:2d', { role: 'moderator' })).error).toBeUndefined();
  expect((await bot.run('old', '/poll answer 2 2 Meh')).error).toBeUndefined();
  expect((await bot.run('mid', '/poll answer 2 9')).error).toBeUndefined();
  await drain(bot);
  return { communityId, m };
}

describe('NPS page: response rate and segments', () => {
  it('shows the selected run’s response rate and its segments by platform, tier, tenure and source', async () => {
    const { communityId } = await seeded();
    const { cookie } = await h.session('mod');
    const res = await h.get(`/c/${communityId}/nps?series=1&run=1`, cookie);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('4 of 6 members (67%)');
    expect(html).toContain('joined the community');
    // [NPS, responses, promoters, passives, detractors]
    expect(segment(html, 'platform', 'console')).toEqual(['0', '3', '1', '1', '1']);
    expect(segment(html, 'platform', 'unknown')).toEqual(['-100', '1', '0', '0', '1']);
    expect(html).toContain('Unknown (earlier answers)');
    expect(segment(html, 'tier', 'Bronze')).toEqual(['-100', '2', '0', '0', '2']);
    expect(segment(html, 'tier', 'Silver')).toEqual(['0', '1', '0', '1', '0']);
    expect(segment(html, 'tier', 'Gold')).toEqual(['+100', '1', '1', '0', '0']);
    expect(segment(html, 'tenure', 'under30')).toEqual(['-100', '2', '0', '0', '2']);
    expect(segment(html, 'tenure', 'd30to90')).toEqual(['0', '1', '0', '1', '0']);
    expect(segment(html, 'tenure', 'overYear')).toEqual(['+100', '1', '1', '0', '0']);
    expect(segment(html, 'tenure', 'd90to365')).toBeUndefined();
    expect(segment(html, 'source', 'organic')).toEqual(['0', '2', '1', '0', '1']);
    expect(segment(html, 'source', 'code')).toEqual(['-100', '1', '0', '0', '1']);
    expect(segment(html, 'source', 'invite')).toEqual(['0', '1', '0', '1', '0']);
    // The link to the queue, with its open count (kim and new on #1, old on #2).
    expect(html).toMatch(/href="\/c\/[^"]+\/nps\/followups">Detractor follow-ups: 3 open<\/a>/);
    // An open run counts the members who joined by now ("late" too): 2 answers of 7.
    expect(await (await h.get(`/c/${communityId}/nps?series=2&run=2`, cookie)).text()).toContain('2 of 7 members (29%)');
  });

  it('speaks the community’s language', async () => {
    const { communityId } = await seeded();
    await h.bot.db.prisma.community.update({ where: { id: communityId }, data: { locale: 'ja' } });
    const { cookie } = await h.session('mod');
    const html = await (await h.get(`/c/${communityId}/nps?series=1&run=1`, cookie)).text();
    expect(html).toContain('メンバー6人中4人が回答（67%）');
    expect(html).toContain('回答時点の参加期間別');
  });
});

describe('NPS detractor follow-up queue', () => {
  it('lists detractor answers of every run, newest first', async () => {
    const { communityId, m } = await seeded();
    const { cookie } = await h.session('mod');
    const html = await (await h.get(`/c/${communityId}/nps/followups`, cookie)).text();
    expect(followUpRows(html)).toEqual([
      { pollId: 2, memberId: m.old.id },
      { pollId: 1, memberId: m.kim.id },
      { pollId: 1, memberId: m.new.id },
    ]);
    expect(html).toContain('Too slow');
    expect(html).toContain('Would you recommend us?');
    expect(html).toContain('Open (3)');
    expect(html).not.toContain(`data-member="${m.mid.id}"`);
  });

  it('marks done once for a resubmitted form, reopens, and lists done items', async () => {
    const { communityId, m } = await seeded();
    const { cookie } = await h.session('mod');
    const queue = `/c/${communityId}/nps/followups`;
    const form = formOf(await (await h.get(queue, cookie)).text(), `/1/${m.kim.id}/done`);
    const first = await h.post(`${queue}/1/${m.kim.id}/done`, cookie, form);
    expect(first.status).toBe(200);
    const firstHtml = await first.text();
    expect(firstHtml).toContain('Marked kim’s answer done.');
    const again = await h.post(`${queue}/1/${m.kim.id}/done`, cookie, form);
    expect(again.status).toBe(200);
    expect(await again.text()).toContain('Marked kim’s answer done.');
    const prisma = h.bot.db.prisma;
    expect(await prisma.pollFollowUp.count({ where: { kind: 'done' } })).toBe(1);
    const row = await prisma.pollResponse.findUniqueOrThrow({ where: { pollId_memberId: { pollId: 1, memberId: m.kim.id } } });
    expect(row.followedUpAt?.getTime()).toBe(h.bot.clock.now().getTime());
    expect(row.followedUpById).toBe(m.mod.id);
    expect(followUpRows(firstHtml).map((r) => r.memberId)).toEqual([m.old.id, m.new.id]);

    // Another form for the same item: already done, nothing written.
    const stale = formOf(firstHtml, `/1/${m.new.id}/done`);
    const other = await h.post(`${queue}/1/${m.kim.id}/done`, cookie, stale);
    expect(other.status).toBe(400);
    expect(await other.text()).toContain('already marked done');
    expect(await prisma.pollFollowUp.count()).toBe(1);

    const done = await (await h.get(`${queue}?state=done`, cookie)).text();
    expect(followUpRows(done)).toEqual([{ pollId: 1, memberId: m.kim.id }]);
    expect(done).toContain('Done by mod');
    const reopen = await h.post(`${queue}/1/${m.kim.id}/reopen`, cookie, formOf(done, `/1/${m.kim.id}/reopen`));
    expect(reopen.status).toBe(200);
    expect(await reopen.text()).toContain('Reopened kim’s answer.');
    expect(await prisma.pollFollowUp.count({ where: { kind: 'reopened' } })).toBe(1);
    expect((await prisma.pollResponse.findUniqueOrThrow({ where: { pollId_memberId: { pollId: 1, memberId: m.kim.id } } })).followedUpAt).toBeNull();
  });

  it('replies by direct message once, in the member’s language, without marking done', async () => {
    const { communityId, m } = await seeded();
    const { cookie } = await h.session('mod');
    const queue = `/c/${communityId}/nps/followups`;
    const form = { ...formOf(await (await h.get(queue, cookie)).text(), `/1/${m.kim.id}/reply`), text: 'Sorry about that, we are <fixing> it.' };
    const res = await h.post(`${queue}/1/${m.kim.id}/reply`, cookie, form);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('Your reply to kim is on its way by direct message.');
    expect(html).toContain('we are &lt;fixing&gt; it.');
    expect((await h.post(`${queue}/1/${m.kim.id}/reply`, cookie, form)).status).toBe(200);
    const sent = await drain(h.bot);
    expect(sent).toHaveLength(1);
    expect(sent[0].to).toEqual({ kind: 'dm', userId: 'kim' });
    expect(sent[0].reply.text).toContain('운영진이 "Would you recommend us?" 설문에 남겨 주신 답변에 답장을 보냈어요');
    expect(sent[0].reply.text).toContain('Sorry about that, we are <fixing> it.');
    const prisma = h.bot.db.prisma;
    expect(await prisma.pollFollowUp.findMany({ select: { kind: true, text: true, authorId: true } }))
      .toEqual([{ kind: 'reply', text: 'Sorry about that, we are <fixing> it.', authorId: m.mod.id }]);
    expect((await prisma.pollResponse.findUniqueOrThrow({ where: { pollId_memberId: { pollId: 1, memberId: m.kim.id } } })).followedUpAt).toBeNull();
  });

  it('replies only to detractors, and at most three times a day per answer', async () => {
    const { m } = await seeded();
    const { cookie } = await h.session('mod');
    const queue = `/c/${await h.communityId()}/nps/followups`;
    const page = await (await h.get(queue, cookie)).text();
    // mid answered 8 (a passive): not in the queue, and a hand-made form is refused.
    const passive = await h.post(`${queue}/1/${m.mid.id}/reply`, cookie, { ...formOf(page, `/1/${m.kim.id}/reply`), text: 'Hi' });
    expect(passive.status).toBe(400);
    for (let i = 0; i < 3; i++) {
      const fresh = await (await h.get(queue, cookie)).text();
      expect((await h.post(`${queue}/1/${m.kim.id}/reply`, cookie, { ...formOf(fresh, `/1/${m.kim.id}/reply`), text: `Reply ${i}` })).status).toBe(200);
    }
    const fourth = await h.post(`${queue}/1/${m.kim.id}/reply`, cookie, { ...formOf(await (await h.get(queue, cookie)).text(), `/1/${m.kim.id}/reply`), text: 'Reply 3' });
    expect(fourth.status).toBe(400);
    expect(await fourth.text()).toContain('already got 3 replies about this answer in the last day');
    expect(await h.bot.db.prisma.pollFollowUp.count({ where: { kind: 'reply' } })).toBe(3);
    h.bot.clock.advance(DAY + 1000);
    const again = (await h.session('mod')).cookie; // the first session has ended by now
    const next = await h.post(`${queue}/1/${m.kim.id}/reply`, again, { ...formOf(await (await h.get(queue, again)).text(), `/1/${m.kim.id}/reply`), text: 'A day later' });
    expect(next.status).toBe(200);
  });

  it('refuses a bad reply with the reason, writing and sending nothing', async () => {
    const { communityId, m } = await seeded();
    const { cookie } = await h.session('mod');
    const queue = `/c/${communityId}/nps/followups`;
    const page = await (await h.get(queue, cookie)).text();
    const cases: [string, string][] = [['   ', 'Write a reply first.'], ['x'.repeat(1001), 'The reply is too long: 1,000 characters at most.'], ['bell\u0007', 'control characters']];
    for (const [text, message] of cases) {
      const res = await h.post(`${queue}/1/${m.kim.id}/reply`, cookie, { ...formOf(page, `/1/${m.kim.id}/reply`), text });
      expect(res.status).toBe(400);
      expect(await res.text()).toContain(message);
    }
    expect(await h.bot.db.prisma.pollFollowUp.count()).toBe(0);
    expect(await drain(h.bot)).toEqual([]);
    // Exactly 1000 characters is fine.
    const ok = await h.post(`${queue}/1/${m.kim.id}/reply`, cookie, { ...formOf(page, `/1/${m.kim.id}/reply`), text: '가'.repeat(1000) });
    expect(ok.status).toBe(200);
  });

  it('refuses a member without any account to message', async () => {
    const { communityId, m } = await seeded();
    await h.bot.db.prisma.identity.deleteMany({ where: { memberId: m.new.id } });
    const { cookie } = await h.session('mod');
    const queue = `/c/${communityId}/nps/followups`;
    const res = await h.post(`${queue}/1/${m.new.id}/reply`, cookie, { ...formOf(await (await h.get(queue, cookie)).text(), `/1/${m.new.id}/reply`), text: 'Hello' });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('new has no account the bot can message');
    expect(await h.bot.db.prisma.pollFollowUp.count()).toBe(0);
  });

  it('keeps another community’s moderators out', async () => {
    const { communityId, m } = await seeded();
    await h.bot.run('boss', '/points', { role: 'moderator', communityKey: 'other' });
    const other = await h.session('boss', 'other');
    const otherId = await h.communityId('other');
    const queue = `/c/${communityId}/nps/followups`;
    expect((await h.get(queue, other.cookie)).status).toBe(403);
    const otherPage = await (await h.get(`/c/${otherId}/nps/followups`, other.cookie)).text();
    expect(followUpRows(otherPage)).toEqual([]);
    const csrf = csrfOf(await (await h.get(other.home, other.cookie)).text());
    expect((await h.post(`${queue}/1/${m.kim.id}/done`, other.cookie, { _csrf: csrf, _once: 'other-form-1' })).status).toBe(403);
    // Through its own community's address: the answer is not found there.
    const res = await h.post(`/c/${otherId}/nps/followups/1/${m.kim.id}/done`, other.cookie, { _csrf: csrf, _once: 'other-form-2' });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('This answer is not in this community.');
    const reply = await h.post(`/c/${otherId}/nps/followups/1/${m.kim.id}/reply`, other.cookie, { _csrf: csrf, _once: 'other-form-3', text: 'hi' });
    expect(reply.status).toBe(400);
    expect(await h.bot.db.prisma.pollFollowUp.count()).toBe(0);
    expect(await drain(h.bot)).toEqual([]);
  });
});
