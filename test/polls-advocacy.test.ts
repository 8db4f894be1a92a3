import { describe, it, expect, afterEach } from 'vitest';
import { testBot, drain, type TestBot, DAY, HOUR } from './helpers.js';
import type { Reply } from '../src/core/types.js';

let bot: TestBot;
afterEach(async () => bot?.close());
const mod = { role: 'moderator' as const };
const as = (userId: string, locale: string) => ({ actor: { platform: 'console' as const, userId, displayName: userId, locale } });

describe('anonymous polls', () => {
  it('keeps no member next to an answer, counts from tallies, refuses a second answer', async () => {
    bot = await testBot();
    await bot.run('brand', '/poll create How likely are you to recommend us? anonymous:yes duration:1d', mod);
    const [card] = (await drain(bot)).map((m) => m.reply);
    expect(card.text).toContain('🔒 Anonymous: nobody, moderators included, can see who chose what; answers can\'t be changed.');
    expect((await bot.run('ann', '/poll answer 1 10 Love it')).text).toBe('Thanks! Your anonymous answer to poll #1 was counted. Your comment was saved.');
    expect((await bot.run('ben', '/poll answer 1 3')).text).toBe('Thanks! Your anonymous answer to poll #1 was counted. Anything you would like to tell us? Comments stay anonymous too. Add a comment: /poll comment 1 <text>');
    await bot.run('ben', '/poll comment 1 Too slow');
    await bot.run('cat', '/poll answer 1 10');
    expect((await bot.run('cat', '/poll answer 1 2')).text).toBe('You have already answered poll #1. It is anonymous, so answers can\'t be changed.');

    expect(await bot.db.prisma.pollResponse.count()).toBe(0);
    expect(await bot.db.prisma.pollChoice.count()).toBe(0);
    const tallies = await bot.db.prisma.pollTally.findMany({ orderBy: { option: 'asc' } });
    expect(tallies.map((t) => [t.option, t.count])).toEqual([[3, 1], [10, 2]]);
    const comments = await bot.db.prisma.pollAnonComment.findMany();
    expect(comments).toHaveLength(2);
    for (const c of comments) expect(Object.keys(c).sort()).toEqual(['id', 'pollId', 'score', 'text']);
    const ids = new Set([(await bot.memberOf('ann')).id, (await bot.memberOf('ben')).id]);
    for (const row of [...tallies, ...comments]) for (const v of Object.values(row)) expect(ids.has(String(v))).toBe(false);
    expect(await bot.db.prisma.pollVoter.count()).toBe(3);
    // Replies kept for redelivery protection do not tell the answer (no score, no promoter offer).
    await bot.run('dan', '/poll answer 1 9', { eventKey: 'ev-dan' });
    const kept = await bot.db.prisma.processedEvent.findMany();
    expect(kept).toHaveLength(1);
    expect(kept[0].reply).not.toMatch(/9|referral|💙/);
    await bot.db.prisma.pollTally.update({ where: { pollId_option: { pollId: 1, option: 9 } }, data: { count: 0 } }); // keep the sums below

    const r = await bot.run('brand', '/poll results 1', mod);
    expect(r.text).toContain('NPS **+33** from 3 answers');
    expect(r.text).toContain('Anonymous poll: comments are shown without members or times.');
    expect(r.text).toContain('• Too slow');
    expect(r.text).toContain('• [10, promoter] Love it');
    expect((await bot.run('brand', '/poll report 1', mod)).text).toBe('Poll #1 is anonymous, so its answers can\'t be broken down by member (source, tier). See /poll results 1.');
    const report = await bot.engine.npsReport((await bot.db.prisma.community.findFirstOrThrow()).id);
    expect(report.selected).toMatchObject({ anonymous: true, summary: { responses: 3, nps: 33 } });
    expect(report.openFollowUps).toBe(0);

    bot.clock.advance(DAY);
    await bot.engine.runDueJobs();
    expect((await drain(bot)).at(-1)!.reply.text).toContain('NPS **+33** from 3 answers');
  });

  it('anonymous choice polls refuse changes and removals', async () => {
    bot = await testBot();
    await bot.run('brand', '/poll create Pick? kind:emoji options:"👍 👎" anonymous:yes', mod);
    expect((await bot.run('ann', '/poll vote 1 👍 mode:add')).text).toBe('Thanks! Your anonymous vote on poll #1 was counted; it can\'t be changed.');
    expect((await bot.run('ann', '/poll vote 1 👍 mode:remove')).text).toBe('Poll #1 is anonymous: answers can\'t be changed or taken back.');
    expect((await bot.run('ann', '/poll vote 1 👎 mode:add')).text).toBe('You have already answered poll #1. It is anonymous, so answers can\'t be changed.');
    expect(await bot.db.prisma.pollChoice.count()).toBe(0);
    expect((await bot.db.prisma.pollTally.findMany()).map((t) => [t.option, t.count])).toEqual([[0, 1]]);
    expect((await bot.run('brand', '/poll results 1', mod)).text).toContain('👍 ██████████ 1 (100%)');
  });
});

describe('points for answering', () => {
  it('pays once per member and poll, whatever and however often they answer', async () => {
    bot = await testBot();
    await bot.run('brand', '/poll create Pick? kind:single options:"A|B" points:25', mod);
    expect((await drain(bot))[0].reply.text).toContain('🎁 25 points for answering.');
    expect((await bot.run('ann', '/poll vote 1 1')).text).toBe('Thanks! Your vote on poll #1: A.\n+25 points for answering.');
    await bot.run('ann', '/poll vote 1 2');
    await bot.run('ann', '/poll vote 1 2 mode:remove');
    await bot.run('ann', '/poll vote 1 1');
    // A redelivered button press (same event key) and a double click.
    await bot.run('ben', '/poll vote 1 1', { eventKey: 'click-1' });
    await bot.run('ben', '/poll vote 1 1', { eventKey: 'click-1' });
    await bot.run('ben', '/poll vote 1 1', { eventKey: 'click-2' });
    expect((await bot.memberOf('ann')).balance).toBe(25);
    expect((await bot.memberOf('ben')).balance).toBe(25);
    const ledger = await bot.db.prisma.ledgerEntry.findMany({ where: { kind: 'poll' } });
    expect(ledger.map((l) => l.reason)).toEqual(['@poll {"id":1}', '@poll {"id":1}']);
    // NPS answers pay too, anonymous ones included, and the reason never names the score.
    await bot.run('brand', '/poll create Rate us anonymous:yes points:10', mod);
    const anon = await bot.run('ann', '/poll answer 2 4');
    // Anonymous answers are paid at the close, all together: the ledger's times say nothing about who answered when.
    expect(anon.text).toContain('+10 points for answering, paid to everyone who answered when the poll closes');
    expect((await bot.memberOf('ann')).balance).toBe(25);
    expect((await bot.run('brand', '/poll close 2', mod)).error).toBeUndefined();
    expect((await bot.memberOf('ann')).balance).toBe(35);
    expect((await bot.run('ann', '/history')).text).toContain('Answered poll #2');
  });
});

describe('reminders', () => {
  it('DMs recently seen members who have not answered, once, in their language', async () => {
    bot = await testBot();
    await bot.run('ann', '/points');
    await bot.run('min', '/points', as('min', 'ko'));
    await bot.run('yui', '/points', as('yui', 'ja'));
    await bot.run('old', '/points');
    bot.clock.advance(40 * DAY); // "old" is not seen again
    for (const u of ['ann', 'min', 'yui']) await bot.run(u, '/poll list');
    await bot.run('brand', '/poll create Rate us duration:1d remind:2h', mod);
    await bot.run('ann', '/poll answer 1 8');
    await drain(bot);
    bot.clock.advance(22 * HOUR);
    expect(await bot.engine.runDueJobs()).toBe(1);
    const dms = (await drain(bot)).filter((m) => m.to.kind === 'dm');
    expect(dms.map((m) => (m.to.kind === 'dm' ? m.to.userId : '')).sort()).toEqual(['brand', 'min', 'yui']);
    const ko = dms.find((m) => m.to.kind === 'dm' && m.to.userId === 'min')!.reply.text;
    expect(ko).toContain('의 설문이 2시간 뒤에 마감돼요.');
    expect(ko).toContain('/poll answer 1 <0-10>');
    expect(dms.find((m) => m.to.kind === 'dm' && m.to.userId === 'yui')!.reply.text).toContain('アンケートがあと2時間で締め切られます');
    expect(dms[0].reply.buttons).toBeUndefined(); // a console DM button would not reach the community
    // Once only.
    await bot.db.prisma.scheduledJob.updateMany({ where: { kind: 'poll.remind' }, data: { status: 'pending', runAt: bot.clock.now() } });
    await bot.engine.runDueJobs();
    expect((await drain(bot)).filter((m) => m.to.kind === 'dm')).toHaveLength(0);
  });

  it('closing early cancels the reminder', async () => {
    bot = await testBot();
    await bot.run('ann', '/points');
    await bot.run('brand', '/poll create Pick? kind:yesno duration:1d remind:1h', mod);
    await bot.run('brand', '/poll close 1', mod);
    await drain(bot);
    bot.clock.advance(DAY);
    await bot.engine.runDueJobs();
    expect((await drain(bot)).filter((m) => m.to.kind === 'dm')).toHaveLength(0);
    expect((await bot.db.prisma.poll.findUniqueOrThrow({ where: { id: 1 } })).remindedAt).toBeNull();
  });
});

describe('the advocacy loop', () => {
  it('offers a promoter their referral code and the open challenge; asks a detractor and queues a follow-up', async () => {
    bot = await testBot();
    await bot.run('brand', '/challenge create Fanart 200 7d', mod);
    await bot.run('brand', '/poll create Recommend us?', mod);
    const promoter = await bot.run('ann', '/poll answer 1 10');
    const code = (await bot.memberOf('ann') as unknown as { referralCode: string }).referralCode;
    expect(promoter.text).toContain('💙 Glad you would recommend us! Bring a friend along:');
    expect(promoter.text).toContain(`Your referral code: **${code}**`);
    expect(promoter.text).toContain(`New members who run /referral redeem ${code} get 50 points, and you get 100.`);
    expect(promoter.text).toContain('Up for a challenge? #1 "Fanart": 200 points, until');
    expect(promoter.buttons!.flat().find((b) => b.command === 'challenge show')).toMatchObject({ args: { challenge: 1 } });

    const detractor = await bot.run('ben', '/poll answer 1 3');
    expect(detractor.text).toBe('Thanks! You answered 3 to poll #1. What should we improve? A moderator may get back to you about it. Add a comment: /poll comment 1 <text>');
    expect(detractor.buttons![0][0].form).toMatchObject({ command: 'poll comment' });
    const communityId = (await bot.db.prisma.community.findFirstOrThrow()).id;
    expect((await bot.engine.npsFollowUps(communityId, 'open')).items.map((i) => i.score)).toEqual([3]);

    const ko = await bot.run('min', '/poll answer 1 9', as('min', 'ko'));
    expect(ko.text).toContain('💙 저희를 추천해 주신다니 기뻐요!');
    expect(ko.text).toMatch(/챌린지에도 도전해 볼까요\? #1 "Fanart": 200 포인트 · .+까지/);
    const ja = await bot.run('yui', '/poll answer 1 2', as('yui', 'ja'));
    expect(ja.text).toContain('モデレーターからご連絡することがあります。');
  });

  it('with referral and follow-up off: no offer, the detractor stays out of the queue', async () => {
    bot = await testBot();
    await bot.run('brand', '/challenge create Fanart 200 7d', mod);
    await bot.run('brand', '/poll create Recommend us? referral:off challenge:none followup:off', mod);
    expect((await bot.run('ann', '/poll answer 1 10')).text).not.toContain('💙');
    expect((await bot.run('ben', '/poll answer 1 3')).text).not.toContain('moderator');
    const communityId = (await bot.db.prisma.community.findFirstOrThrow()).id;
    const q = await bot.engine.npsFollowUps(communityId, 'open');
    expect([q.items.length, q.open]).toEqual([0, 0]);
  });

  it('reports NPS by referral source and tier', async () => {
    bot = await testBot();
    await bot.run('ann', '/points');
    const code = (await bot.memberOf('ann') as unknown as { referralCode: string }).referralCode;
    await bot.run('brand', '/referral settings min_account_age:0', { role: 'admin' });
    expect((await bot.run('ben', `/referral redeem ${code}`)).text).toMatch(/Welcome/);
    await bot.run('brand', '/poll create Recommend us?', mod);
    await bot.run('ann', '/poll answer 1 10');
    await bot.run('ben', '/poll answer 1 4');
    const r = await bot.run('brand', '/poll report 1', mod);
    expect(r.text).toContain('By where members came from:');
    expect(r.text).toContain('• Organic: +100 (1)');
    expect(r.text).toContain('• Referral code: -100 (1)');
    expect(r.text).toContain('By tier:');
    expect((await bot.run('ann', '/poll report 1')).text).toBe('/poll report is for moderators only.');
    const reply: Reply = await bot.run('brand', '/poll report 1', { actor: { platform: 'console', userId: 'brand', displayName: 'brand', locale: 'ja', platformRole: 'moderator' } });
    expect(reply.text).toContain('流入経路別：');
  });
});
