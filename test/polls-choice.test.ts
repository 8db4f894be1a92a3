import { describe, it, expect, afterEach } from 'vitest';
import { testBot, drain, type TestBot, DAY, HOUR } from './helpers.js';
import { isEmoji, parseOptions, parseVote, nextChoices } from '../src/features/polls/choices.js';
import type { Reply } from '../src/core/types.js';

let bot: TestBot;
afterEach(async () => bot?.close());
const mod = { role: 'moderator' as const };
const channelPosts = async (): Promise<Reply[]> => (await drain(bot)).filter((m) => m.to.kind === 'channel').map((m) => m.reply);
const labels = (r: Reply) => (r.buttons ?? []).flat().map((b) => b.label);

describe('choice poll rules (pure)', () => {
  it('reads emoji, options and votes', () => {
    for (const e of ['👍', '❤️', '🇰🇷', '👩‍💻', '1️⃣', '🎉']) expect(isEmoji(e), e).toBe(true);
    for (const e of ['a', '1', '👍👍', ':)', '©', 'ok']) expect(isEmoji(e), e).toBe(false);
    expect(parseOptions('single', 'Red | Green\nBlue')).toEqual(['Red', 'Green', 'Blue']);
    expect(parseOptions('emoji', '👍 🎉|🔥')).toEqual(['👍', '🎉', '🔥']);
    expect(parseOptions('yesno', undefined)).toEqual(['yes', 'no']);
    expect(parseVote('multi', ['a', 'b', 'c'], '3,1')).toEqual([0, 2]);
    expect(parseVote('emoji', ['❤️', '👍'], '❤')).toEqual([0]);
    expect(nextChoices('multi', [0, 2], [2], 'toggle')).toEqual([0]);
    expect(nextChoices('single', [1], [1], 'remove')).toEqual([]);
    expect(nextChoices('single', [1], [0], 'add')).toEqual([0]);
  });
});

describe('choice polls', () => {
  it('single choice: one button per option, change of vote, results per option at close', async () => {
    bot = await testBot();
    const c = await bot.run('brand', '/poll create Which day suits the meetup? kind:single options:"Mon | Tue | Wed | Thu | Fri | Sat" duration:1d', mod);
    expect(c.text).toMatch(/^Poll #1 is open/);
    const out = await bot.db.prisma.outboxMessage.findFirstOrThrow();
    expect(JSON.parse(out.payload).card).toBe('poll:1');
    const [card] = await channelPosts();
    expect(card.text).toContain('1. Mon');
    expect(card.buttons!.map((r) => r.length)).toEqual([5, 1]);
    expect(card.buttons![0][1]).toMatchObject({ label: '2. Tue', command: 'poll vote', args: { poll: 1, option: '2', mode: 'set' } });

    expect((await bot.run('ann', '/poll vote 1 2')).text).toBe('Thanks! Your vote on poll #1: Tue.');
    expect((await bot.run('ann', '/poll vote 1 3')).text).toBe('Changed your vote on poll #1: Tue → Wed.');
    await bot.run('ben', '/poll vote 1 3');
    await bot.run('cat', '/poll vote 1 6');
    expect((await bot.run('cat', '/poll vote 1 1,2')).text).toBe('This poll takes one choice; pick a single option.');
    expect((await bot.run('cat', '/poll vote 1 7')).text).toBe('"7" is not an option of this poll: use a number from 1 to 6.');
    expect((await bot.run('cat', '/poll answer 1 9')).text).toBe('Poll #1 is not an NPS poll: vote with /poll vote 1 <option>.');
    expect(await bot.db.prisma.pollChoice.count()).toBe(3);
    expect(await bot.db.prisma.pollVoter.count()).toBe(3);

    const r = await bot.run('brand', '/poll results 1', mod);
    expect(r.text).toContain('3 answers');
    expect(r.text).toContain('Wed ███████░░░ 2 (67%)');

    bot.clock.advance(DAY);
    await bot.engine.runDueJobs();
    const closed = (await channelPosts()).at(-1)!;
    expect(closed.text).toContain('(closed)');
    expect(closed.text).toContain('Sat ███░░░░░░░ 1 (33%)');
    expect(closed.text).toContain('Mon ░░░░░░░░░░ 0 (0%)');
    expect((await bot.run('dan', '/poll vote 1 1')).text).toBe('Poll #1 is closed.');
    expect(await bot.db.prisma.pollVoter.count()).toBe(3);
  });

  it('multi choice: a select menu with toggle buttons as fallback; set replaces, toggle flips one', async () => {
    bot = await testBot();
    await bot.run('brand', '/poll create Which topics? kind:multi options:"Design|Code|Music"', mod);
    const [card] = await channelPosts();
    expect(card.selects).toHaveLength(1);
    const sel = card.selects![0];
    expect(sel).toMatchObject({ command: 'poll vote', args: { poll: 1, mode: 'set' }, name: 'option', min: 1, max: 3 });
    expect(sel.options.map((o) => o.value)).toEqual(['1', '2', '3']);
    expect(sel.fallback[0][2]).toMatchObject({ command: 'poll vote', args: { poll: 1, option: '3', mode: 'toggle' } });

    expect((await bot.run('ann', '/poll vote 1 1,3 mode:set')).text).toBe('Thanks! Your vote on poll #1: Design, Music.');
    expect((await bot.run('ann', '/poll vote 1 3 mode:toggle')).text).toBe('Changed your vote on poll #1: Design, Music → Design.');
    expect((await bot.run('ann', '/poll vote 1 2 mode:toggle')).text).toBe('Changed your vote on poll #1: Design → Design, Code.');
    expect((await bot.run('ann', '/poll vote 1 2,3')).text).toBe('Changed your vote on poll #1: Design, Code → Code, Music.');
    await bot.run('ben', '/poll vote 1 2');
    const r = await bot.run('brand', '/poll results 1', mod);
    expect(r.text).toContain('2 members answered');
    expect(r.text).toContain('Code ██████████ 2 (100%)');
    expect(r.text).toContain('Music █████░░░░░ 1 (50%)');
    // Taking every choice back takes the answer back.
    await bot.run('ben', '/poll vote 1 2 mode:toggle');
    expect(await bot.db.prisma.pollVoter.count({ where: { memberId: (await bot.memberOf('ben')).id } })).toBe(0);
  });

  it('yes/no: Yes/No in the reader\'s language', async () => {
    bot = await testBot();
    await bot.run('brand', '/poll create Should we add a music channel? kind:yesno', mod);
    const [card] = await channelPosts();
    expect(labels(card)).toEqual(['1. Yes', '2. No']);
    expect((await bot.run('ann', '/poll vote 1 yes')).text).toBe('Thanks! Your vote on poll #1: Yes.');
    const ko = await bot.run('min', '/poll vote 1 2', { actor: { platform: 'console', userId: 'min', displayName: 'min', locale: 'ko' } });
    expect(ko.text).toBe('고마워요! 1번 설문에 투표했어요: 아니요');
    const ja = await bot.run('yui', '/poll vote 1 1', { actor: { platform: 'console', userId: 'yui', displayName: 'yui', locale: 'ja' } });
    expect(ja.text).toBe('ありがとうございます！アンケート #1 に投票しました：はい');
    expect((await bot.run('brand', '/poll create Q? kind:yesno options:"a|b"', mod)).text).toBe('A yesno poll takes no options.');
  });

  it('emoji: emoji buttons and reactions; add replaces, remove of the current one clears; reactions on the card vote', async () => {
    bot = await testBot();
    await bot.run('brand', '/poll create React to vote! kind:emoji options:"👍 🎉 ❤️"', mod);
    const msgs: Reply[] = [];
    await bot.engine.deliverOutbox('console', async (_to, reply) => { msgs.push(reply); return 'm1'; });
    expect(msgs[0].reactions).toEqual(['👍', '🎉', '❤️']);
    expect(labels(msgs[0])).toEqual(['👍', '🎉', '❤️']);
    expect((await bot.run('ann', '/poll vote 1 👍 mode:add')).text).toBe('Thanks! Your vote on poll #1: 👍.');
    expect((await bot.run('ann', '/poll vote 1 ❤ mode:add')).text).toBe('Changed your vote on poll #1: 👍 → ❤️.');
    expect((await bot.run('ann', '/poll vote 1 👍 mode:remove')).text).toBe('Thanks! Your vote on poll #1: ❤️.'); // not hers: nothing changes
    expect((await bot.run('ann', '/poll vote 1 ❤️ mode:remove')).text).toBe('Your vote on poll #1 was taken back.');
    expect((await bot.run('ann', '/poll vote 1 😀')).text).toBe('"😀" is not an option of this poll: use a number from 1 to 3.');
    // The engine's reaction contract (the adapters report reactions on the remembered card).
    const actor = { platform: 'console' as const, userId: 'ben', displayName: 'ben' };
    const reacted = await bot.engine.reaction({ platform: 'console', communityKey: 'test', channelId: 'general', messageId: 'm1', emoji: '🎉', actor, kind: 'add' });
    expect(reacted?.text).toBe('Thanks! Your vote on poll #1: 🎉.');
    expect(await bot.db.prisma.pollChoice.findMany({ select: { option: true } })).toEqual([{ option: 1 }]);
    await bot.engine.reaction({ platform: 'console', communityKey: 'test', channelId: 'general', messageId: 'm1', emoji: '🎉', actor, kind: 'remove' });
    expect(await bot.db.prisma.pollChoice.count()).toBe(0);
  });

  it('anonymous emoji polls take no reactions: none are added under the card, and a reaction does not count', async () => {
    bot = await testBot();
    await bot.run('brand', '/poll create Secret pick? kind:emoji options:"👍 🎉" anonymous:yes', mod);
    const msgs: Reply[] = [];
    await bot.engine.deliverOutbox('console', async (_to, reply) => { msgs.push(reply); return 'm1'; });
    expect(msgs[0].reactions).toBeUndefined();
    expect(labels(msgs[0])).toEqual(['👍', '🎉']);
    const actor = { platform: 'console' as const, userId: 'ben', displayName: 'ben' };
    const reacted = await bot.engine.reaction({ platform: 'console', communityKey: 'test', channelId: 'general', messageId: 'm1', emoji: '🎉', actor, kind: 'add' });
    expect(reacted?.error?.code).toBe('polls:error.anonymousReaction');
    expect(await bot.db.prisma.pollVoter.count()).toBe(0);
    expect(await bot.db.prisma.pollTally.count()).toBe(0);
    // The buttons still work.
    expect((await bot.run('ben', '/poll vote 1 🎉')).error).toBeUndefined();
    expect(await bot.db.prisma.pollTally.findMany({ select: { option: true, count: true } })).toEqual([{ option: 1, count: 1 }]);
  });

  it('refuses bad options and changes nothing', async () => {
    bot = await testBot();
    const cases: [string, string][] = [
      ['/poll create Q? kind:emoji options:"👍 x 🎉"', '"x" is not a single emoji. Emoji polls take 2 to 10 emoji separated by spaces.'],
      ['/poll create Q? kind:single options:"1|2|3|4|5|6|7|8|9|10|11"', 'A poll takes 2 to 10 options; you gave 11.'],
      ['/poll create Q? kind:single options:"Red|Blue|red"', '"red" is in the options twice.'],
      ['/poll create Q? kind:single options:"Red"', 'A poll takes 2 to 10 options; you gave 1.'],
      ['/poll create Q? kind:single', 'Give 2 to 10 options, separated by |: options:"Red | Green | Blue".'],
      [`/poll create Q? kind:single options:"${'x'.repeat(81)}|b"`, 'Options can be at most 80 characters long ("xxxxxxxxxxxxxxxxxxxx…").'],
      ['/poll create Q? duration:1d remind:2d', 'That reminder would go out before the poll opens: choose a remind time shorter than the poll runs.'],
      ['/poll create Q? challenge:42', '"42" is not an open challenge here. Use a challenge number from /challenge list, or none.'],
      ['/poll create Q? points:5000', 'points: must be at most 1,000.'],
    ];
    for (const [line, msg] of cases) expect((await bot.run('brand', line, mod)).text, line).toBe(msg);
    expect(await bot.db.prisma.poll.count()).toBe(0);
    expect(await bot.db.prisma.scheduledJob.count()).toBe(0);
    expect(await bot.db.prisma.outboxMessage.count()).toBe(0);
  });

  it('a repeating poll copies its kind, options and settings into the next run', async () => {
    bot = await testBot();
    await bot.run('brand', '/poll create Weekly pick? kind:single options:"A|B" duration:1d repeat:weekly anonymous:yes points:5 remind:2h followup:off referral:off', mod);
    bot.clock.advance(DAY);
    await bot.engine.runDueJobs();
    const next = await bot.db.prisma.poll.findUniqueOrThrow({ where: { id: 2 } });
    expect(next).toMatchObject({ kind: 'single', options: '["A","B"]', anonymous: true, answerPoints: 5, followUpDetractors: false, offerReferral: false });
    expect(next.remindAt).toEqual(new Date(next.closesAt.getTime() - 2 * HOUR));
    expect(await bot.db.prisma.scheduledJob.count({ where: { kind: 'poll.remind', refId: 2 } })).toBe(1);
  });
});
