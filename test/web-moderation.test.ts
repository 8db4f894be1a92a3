import { describe, it, expect, afterEach } from 'vitest';
import { webHarness, formOf, csrfOf, type WebHarness } from './web-harness.js';
import { drain } from './helpers.js';

/* The dashboard's giveaways, challenges and rewards pages over real HTTP, acting through the chat commands. */

let h: WebHarness;
afterEach(async () => { await h?.close(); });

const mod = { role: 'moderator' as const };
const admin = { role: 'admin' as const };
const EVIL = '<script>alert(1)</script>';

/** A harness on Telegram (DMs are queued there, unlike the console) with the community's id. */
async function setup(locale?: 'ko') {
  h = await webHarness({ platform: 'telegram' });
  await h.bot.run('boss', '/points', admin);
  if (locale) await h.bot.run('boss', `/settings locale:${locale}`, admin);
  const communityId = (await h.bot.engine.communityByKey('telegram', 'test'))!.id;
  return { communityId, base: `/c/${encodeURIComponent(communityId)}` };
}

/** Runs chat as a member whose display name is a script tag. */
const asEvil = (line: string) => h.bot.run('evil', line, { actor: { platform: 'telegram', userId: 'evil', displayName: EVIL, username: 'evil' } });

async function page(path: string, cookie: string) {
  const res = await h.get(path, cookie);
  expect(res.status).toBe(200);
  return res.text();
}

describe('dashboard: challenges', () => {
  it('approves once (points and DM once), rejects with a note, refuses what chat refuses, escapes', async () => {
    const { base } = await setup();
    expect((await h.bot.run('mod', '/challenge create "Share a post" 50 7d', mod)).error).toBeUndefined();
    expect((await h.bot.run('alice', '/challenge submit 1 see https://example.com/p?a=1&b=2 please')).error).toBeUndefined();
    expect((await asEvil('/challenge submit 1 photo attached')).error).toBeUndefined();
    // Chat would read "javascript:" as an option name; proof like this can still arrive (from a button form).
    await h.bot.db.prisma.submission.update({ where: { id: 2 }, data: { proof: '<img src=x onerror=alert(1)> javascript:alert(1)' } });
    await drain(h.bot, 'telegram');
    const { cookie } = await h.session('mod');

    let html = await page(`${base}/challenges`, cookie);
    // Open challenge with counts, queue oldest first, names and proof escaped, only the http(s) link clickable.
    expect(html).toContain('Share a post');
    expect(html).toMatch(/<table class="open-challenges">[\s\S]*<td>2<\/td><td>0<\/td>/);
    expect(html.indexOf('alice')).toBeLessThan(html.indexOf('&lt;script&gt;'));
    expect(html).not.toContain(EVIL);
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('<a href="https://example.com/p?a=1&amp;b=2" rel="noopener noreferrer nofollow" target="_blank">');
    expect(html).not.toMatch(/href="javascript:/);

    const before = (await h.bot.memberOf('alice')).balance;
    const approve = formOf(html, '/challenges/submissions/1/approve');
    const first = await h.post(`${base}/challenges/submissions/1/approve`, cookie, approve);
    expect(first.status).toBe(200);
    const firstHtml = await first.text();
    expect(firstHtml).toMatch(/<div class="reply done"/);
    const again = await h.post(`${base}/challenges/submissions/1/approve`, cookie, approve);
    expect(again.status).toBe(200);
    expect((await h.bot.memberOf('alice')).balance).toBe(before + 50);
    const dms = (await drain(h.bot, 'telegram')).filter((m) => m.to.kind === 'dm');
    expect(dms.map((m) => m.to)).toEqual([{ kind: 'dm', userId: 'alice' }]);

    // The same action with a fresh form: the chat refusal, 400, nothing changed.
    const refused = await h.post(`${base}/challenges/submissions/1/approve`, cookie, { _csrf: csrfOf(firstHtml), _once: 'another-form-value-1' });
    expect(refused.status).toBe(400);
    const refusedHtml = await refused.text();
    expect(refusedHtml).toContain('<div class="reply refused"');
    expect(refusedHtml).toContain('Submission #1 was already approved.');
    expect((await h.bot.memberOf('alice')).balance).toBe(before + 50);

    // Reject with a note: the member is told why by DM.
    html = await page(`${base}/challenges`, cookie);
    const reject = await h.post(`${base}/challenges/submissions/2/reject`, cookie, { ...formOf(html, '/challenges/submissions/2/reject'), note: 'too blurry' });
    expect(reject.status).toBe(200);
    const dm = (await drain(h.bot, 'telegram')).find((m) => m.to.kind === 'dm')!;
    expect(dm.to).toEqual({ kind: 'dm', userId: 'evil' });
    expect(dm.reply.text).toContain('too blurry');
    html = await page(`${base}/challenges`, cookie);
    expect(html).toContain('No proof is waiting for review.');

    // Close the challenge.
    const close = await h.post(`${base}/challenges/1/close`, cookie, formOf(html, '/challenges/1/close'));
    expect(close.status).toBe(200);
    expect(await close.text()).toContain('No challenge is open.');

    // A new challenge from the web, posted in a known channel.
    html = await page(`${base}/challenges`, cookie);
    const create = { ...formOf(html, '/challenges'), title: 'Review us', reward: '30', deadline: '2026-12-01T09:00', description: 'Line one\r\nline two', channel: 'telegram/general/' };
    const made = await h.post(`${base}/challenges`, cookie, create);
    expect(made.status).toBe(200);
    expect(await made.text()).toMatch(/<table class="open-challenges">[\s\S]*Review us/);
    expect(await h.bot.db.prisma.challenge.findFirstOrThrow({ where: { title: 'Review us' } })).toMatchObject({ reward: 30, channelId: 'general', description: expect.stringContaining('line two') });
  });
});

describe('dashboard: giveaways', () => {
  it('ends with winners shown, a resent reroll form draws once, cancels', async () => {
    const { base } = await setup();
    await h.bot.run('mod', '/contest create "Sticker pack" 1 1d', mod);
    await h.bot.run('mod', '/contest create Mug 1 1d', mod);
    for (const u of ['alice', 'bob', 'carol']) expect((await h.bot.run(u, '/contest enter 1')).error).toBeUndefined();
    expect((await asEvil('/contest enter 1')).error).toBeUndefined();
    const { cookie } = await h.session('mod');

    let html = await page(`${base}/giveaways`, cookie);
    expect(html).toMatch(/<table class="open-giveaways">[\s\S]*Sticker pack[\s\S]*<td>4<\/td><td>1<\/td>/);
    const end = await h.post(`${base}/giveaways/1/end`, cookie, formOf(html, '/giveaways/1/end'));
    expect(end.status).toBe(200);
    html = await end.text();
    expect(html).toContain('<div class="reply done"');
    const winners = async () => h.bot.db.prisma.contestWinner.findMany({ where: { contestId: 1 } });
    expect(await winners()).toHaveLength(1);
    const ended = /<table class="ended-giveaways">([\s\S]*?)<\/table>/.exec(html)![1];
    const names = await h.bot.db.prisma.member.findMany({ where: { id: { in: (await winners()).map((w) => w.memberId) } } });
    expect(ended).toContain(names[0].displayName.replace(/</g, '&lt;').replace(/>/g, '&gt;'));
    expect(html).not.toContain(EVIL);

    // Reroll replacing the winner, sent twice with the same form: one new winner.
    const reroll = { ...formOf(html, '/giveaways/1/reroll'), count: '1', replace: names[0].id };
    const r1 = await h.post(`${base}/giveaways/1/reroll`, cookie, reroll);
    expect(r1.status).toBe(200);
    const r2 = await h.post(`${base}/giveaways/1/reroll`, cookie, reroll);
    expect(r2.status).toBe(200);
    const after = await winners();
    expect(after).toHaveLength(2);
    expect(after.filter((w) => w.replaced).map((w) => w.memberId)).toEqual([names[0].id]);
    html = await page(`${base}/giveaways`, cookie);
    expect(html).toContain('replaced');
    expect(html).toContain('round 2');

    // Ending again is refused as in chat.
    const again = await h.post(`${base}/giveaways/1/end`, cookie, { _csrf: csrfOf(html), _once: 'another-form-value-2' });
    expect(again.status).toBe(400);
    expect(await again.text()).toContain('Giveaway #1 has already ended.');

    const cancel = await h.post(`${base}/giveaways/2/cancel`, cookie, formOf(html, '/giveaways/2/cancel'));
    expect(cancel.status).toBe(200);
    expect(await cancel.text()).toMatch(/<table class="cancelled-giveaways">[\s\S]*Mug/);

    // Create in a channel the bot knows (where the chat ones were made); any other channel is refused.
    html = await page(`${base}/giveaways`, cookie);
    expect(html).toContain('<option value="telegram/general/">Telegram · #general</option>');
    const create = { ...formOf(html, '/giveaways'), prize: 'Hoodie <b>', winners: '2', ends: '2026-11-27T18:00', points: '10', channel: 'telegram/general/' };
    const bad = await h.post(`${base}/giveaways`, cookie, { ...create, channel: 'telegram/elsewhere/' });
    expect(bad.status).toBe(400);
    const badHtml = await bad.text();
    expect(badHtml).toContain('Choose one of the listed channels');
    expect(badHtml).toContain('value="Hoodie &lt;b&gt;"');
    const made = await h.post(`${base}/giveaways`, cookie, create);
    expect(made.status).toBe(200);
    expect(await made.text()).toMatch(/<table class="open-giveaways">[\s\S]*Hoodie &lt;b&gt;/);
    const hoodie = await h.bot.db.prisma.contest.findFirstOrThrow({ where: { prize: 'Hoodie <b>' } });
    expect(hoodie).toMatchObject({ winnersCount: 2, prizePoints: 10, platform: 'telegram', channelId: 'general', endsAt: new Date('2026-11-27T18:00:00Z') });
    expect((await drain(h.bot, 'telegram')).some((m) => m.to.kind === 'channel' && m.reply.text.includes('Hoodie <b>'))).toBe(true);
    // Bad input: the chat's refusal, the form kept as typed.
    const past = await h.post(`${base}/giveaways`, cookie, { ...formOf(html, '/giveaways'), _once: 'another-form-value-5', prize: 'Late', winners: '1', ends: '2020-01-01T00:00', channel: 'telegram/general/' });
    expect(past.status).toBe(400);
    expect(await past.text()).toContain('The end time must be in the future.');
  });
});

describe('dashboard: rewards queue', () => {
  it('fulfils and refunds once; admins manage the catalogue', async () => {
    const { base } = await setup();
    await h.bot.run('alice', '/points');
    expect((await h.bot.run('boss', '/give @alice 500', admin)).error).toBeUndefined();
    expect((await h.bot.run('boss', '/reward add 100 "Sticker pack" 5', admin)).error).toBeUndefined();
    await h.bot.run('alice', '/redeem 1');
    await h.bot.run('alice', '/redeem 1');
    expect((await h.bot.memberOf('alice')).balance).toBe(300);
    const { cookie } = await h.session('mod');

    let html = await page(`${base}/rewards`, cookie);
    const csrf = csrfOf(html);
    expect(html).toMatch(/<table class="pending-redemptions">[\s\S]*#1[\s\S]*#2/);
    expect(html).toContain('Only admins can add or remove rewards.');
    expect(html).not.toContain('/rewards/add');

    const fulfil = await h.post(`${base}/rewards/redemptions/1/fulfill`, cookie, formOf(html, '/rewards/redemptions/1/fulfill'));
    expect(fulfil.status).toBe(200);
    html = await fulfil.text();
    const refund = formOf(html, '/rewards/redemptions/2/refund');
    expect((await h.post(`${base}/rewards/redemptions/2/refund`, cookie, refund)).status).toBe(200);
    expect((await h.post(`${base}/rewards/redemptions/2/refund`, cookie, refund)).status).toBe(200);
    expect((await h.bot.memberOf('alice')).balance).toBe(400);
    expect((await h.bot.db.prisma.reward.findUniqueOrThrow({ where: { id: 1 } })).stock).toBe(4);
    html = await page(`${base}/rewards`, cookie);
    expect(html).toContain('No redemption is waiting.');

    // A moderator posting the admin form gets the chat refusal.
    const denied = await h.post(`${base}/rewards/add`, cookie, { _csrf: csrf, _once: 'another-form-value-3', name: 'Mug', cost: '50' });
    expect(denied.status).toBe(400);
    expect(await denied.text()).toContain('/reward add is for admins only.');

    const adminSession = await h.signIn(await h.askLink('boss', 'test', 'admin'));
    html = await page(`${base}/rewards`, adminSession.cookie);
    const add = await h.post(`${base}/rewards/add`, adminSession.cookie, { ...formOf(html, '/rewards/add'), name: EVIL, cost: '50', stock: '' });
    expect(add.status).toBe(200);
    html = await add.text();
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain(EVIL);
    const remove = await h.post(`${base}/rewards/2/remove`, adminSession.cookie, formOf(html, '/rewards/2/remove'));
    expect(remove.status).toBe(200);
    expect((await h.bot.db.prisma.reward.findUniqueOrThrow({ where: { id: 2 } })).active).toBe(false);
  });
});

describe('dashboard: moderation access and language', () => {
  it('members cannot sign in; another community\'s session gets 403', async () => {
    const { base } = await setup();
    expect((await h.bot.run('alice', '/dashboard')).error).toBeDefined();
    const other = await h.signIn(await h.askLink('mod', 'other'));
    for (const section of ['giveaways', 'challenges', 'rewards']) expect((await h.get(`${base}/${section}`, other.cookie)).status).toBe(403);
    const res = await h.post(`${base}/rewards/redemptions/1/refund`, other.cookie, { _csrf: 'x', _once: 'another-form-value-4' });
    expect(res.status).toBe(403);
  });

  it('speaks Korean in a Korean community', async () => {
    const { base } = await setup('ko');
    await h.bot.run('mod', '/challenge create "게시물 공유" 50 7d', mod);
    await h.bot.run('alice', '/challenge submit 1 https://example.com');
    const { cookie } = await h.session('mod');
    const html = await page(`${base}/challenges`, cookie);
    expect(html).toContain('<html lang="ko">');
    expect(html).toContain('검토 대기 (오래된 순)');
    expect(html).toContain('50 포인트');
    expect(await page(`${base}/giveaways`, cookie)).toContain('진행 중인 경품 추첨이 없어요.');
    expect(await page(`${base}/rewards`, cookie)).toContain('기다리는 교환 신청이 없어요.');
    const res = await h.post(`${base}/challenges/submissions/1/approve`, cookie, formOf(html, '/challenges/submissions/1/approve'));
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/<div class="reply done"[^>]*>[^<]*[가-힣]/);
  });
});
