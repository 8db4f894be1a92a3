import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { MIN } from './helpers.js';
import { decodeSelect, selectElement, slackEmojiName, unicodeEmoji } from '../adapters/slack/controls.js';
import { replyBlocks } from '../adapters/slack/render.js';
import { post } from './fakes/slackApi.js';
import { slackHarness, type SlackHarness } from './slack-harness.js';

/**
 * Slack's native controls end to end through the fake Slack API: select menus, cards edited in place, reactions
 * under emoji polls and reactions as votes, user groups as roles, /thanks.
 */

let h: SlackHarness;
beforeEach(async () => { h = await slackHarness(); });
afterEach(() => h?.close());

// ---------------------------------------------------------------------------------------------

/** A slash command; the answer (in the acknowledgement or at the response_url). */
const run = async (userId: string, command: string, text = '') => (await h.run(userId, command, text)).answer;

const text = (body: any) => String(body.text ?? '');
const elements = (blocks: any[]) => blocks.filter((b) => b.type === 'actions').flatMap((b) => b.elements);

/** A choice in a select menu of a posted message. */
function choose(userId: string, select: any, values: string[], ts: string) {
  const picked = values.map((v) => select.options.find((o: any) => o.value === v));
  const multi = select.type === 'multi_static_select';
  return h.actionRequest(userId, { type: select.type, action_id: select.action_id, ...(multi ? { selected_options: picked } : { selected_option: picked[0] }) }, { messageTs: ts });
}

/** A reaction added to or removed from a message, posted as Slack sends the event. */
const react = (kind: 'reaction_added' | 'reaction_removed', userId: string, name: string, ts: string, channel = 'C1') =>
  h.event({ type: kind, user: userId, reaction: name, item_user: 'UBOT', item: { type: 'message', channel, ts }, event_ts: `${1700000200 + h.next()}.1` });

const memberId = async (userId: string) => (await h.engine.db.prisma.identity.findFirstOrThrow({ where: { platform: 'slack', platformUserId: userId } })).memberId;
const choices = async (userId: string) => (await h.engine.db.prisma.pollChoice.findMany({ where: { memberId: await memberId(userId) }, orderBy: { option: 'asc' } })).map((c) => c.option);

// ---------------------------------------------------------------------------------------------

describe('slack controls: select menus', () => {
  it('renders a single select and a multi select within Slack limits, with the command in the action_id', () => {
    const sel = { placeholder: 'Pick', command: 'poll vote', args: { poll: 7, mode: 'set' }, name: 'option', options: [{ label: 'Red', value: '1', emoji: '🔴' }, { label: 'Blue', value: '2' }], min: 1, max: 1, fallback: [] };
    const one = selectElement(sel, 0)!;
    expect(one).toMatchObject({ type: 'static_select', options: [{ text: { text: '🔴 Red' }, value: '1' }, { value: '2' }] });
    expect(one.max_selected_items).toBeUndefined();
    expect(decodeSelect(one.action_id as string)).toEqual({ c: 'poll vote', a: { poll: 7, mode: 'set' }, n: 'option' });
    expect(selectElement({ ...sel, max: 2 }, 1)).toMatchObject({ type: 'multi_static_select', max_selected_items: 2 });
    // A command too long for an action_id (255) falls back to the select's buttons.
    const long = { ...sel, args: { note: 'x'.repeat(300) }, fallback: [[{ label: 'Red', command: 'poll vote', args: { poll: 7, option: '1' } }]] };
    const blocks = replyBlocks({ text: 'q', selects: [long] });
    expect(elements(blocks).map((e) => e.type)).toEqual(['button']);
  });

  it('a multi poll card has a multi select; a choice runs poll vote with the values joined, once when redelivered', async () => {
    await run('UADA', '/poll', 'create "Which topics?" kind:multi options:"Design|Code|Music"');
    expect(await h.deliver()).toBe(1);
    const [card] = h.fake.callsTo('chat.postMessage');
    const select = elements(card.args.blocks).find((e) => e.type === 'multi_static_select');
    expect(select).toMatchObject({ max_selected_items: 3, options: [{ value: '1' }, { value: '2' }, { value: '3' }] });
    const posted = await h.engine.db.prisma.postedMessage.findFirstOrThrow({ where: { key: 'poll:1' } });
    expect(posted.messageId).toMatch(/^\d+\.\d+$/);

    const { req, rid } = choose('UBOB', select, ['1', '3'], posted.messageId);
    expect((await post(h.url, req)).status).toBe(200);
    expect(text(await h.answerAt(rid))).not.toContain('⚠️');
    // Options are stored by position (0-based): "1,3" are the first and the third.
    expect(await choices('UBOB')).toEqual([0, 2]);
    // Slack delivers the same action again (a retry): nothing changes, the answer is the same.
    await post(h.url, req, { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' });
    await new Promise((r) => setTimeout(r, 200));
    expect(await choices('UBOB')).toEqual([0, 2]);
    expect(await h.engine.db.prisma.pollVoter.count()).toBe(1);
  });
});

describe('slack controls: cards, reactions and votes by reaction', () => {
  it('send returns the message ts; a live giveaway card is edited in place with chat.update on that ts', async () => {
    await run('UADA', '/contest', 'create "Hoodie" 1 3d');
    expect(await h.deliver()).toBe(1);
    const [card] = h.fake.callsTo('chat.postMessage');
    const posted = await h.engine.db.prisma.postedMessage.findFirstOrThrow({ where: { key: 'contest:1' } });
    const ts = (await h.fake.waitFor(() => h.fake.calls.find((c) => c.method === 'chat.postMessage'))) && posted.messageId;
    expect(ts).toMatch(/^\d+\.\d+$/);
    expect(card.args.channel).toBe('C1');

    await run('UBOB', '/contest', 'enter 1');
    h.clock.advance(5 * MIN);
    await h.engine.runDueJobs();
    await h.deliver();
    const [update] = h.fake.callsTo('chat.update');
    expect(update.args).toMatchObject({ channel: 'C1', ts });
    expect(update.args.text).toMatch(/Hoodie/);
    // A DM send returns its ts too.
    expect(await h.adapter.send({ kind: 'dm', userId: 'UBOB' }, { text: 'hi' })).toMatch(/^\d+\.\d+$/);
  });

  it('an emoji poll card gets its emoji as reactions; members vote by reacting, and un-vote by removing it', async () => {
    await run('UADA', '/poll', 'create "React to vote!" kind:emoji options:"👍 🎉 ❤️"');
    expect(await h.deliver()).toBe(1);
    const posted = await h.engine.db.prisma.postedMessage.findFirstOrThrow({ where: { key: 'poll:1' } });
    expect(h.fake.callsTo('reactions.add').map((c) => [c.args.name, c.args.timestamp, c.args.channel])).toEqual([
      ['+1', posted.messageId, 'C1'], ['tada', posted.messageId, 'C1'], ['heart', posted.messageId, 'C1'],
    ]);

    // Skin tones are the same emoji; the bot's own reactions are no votes.
    await react('reaction_added', 'UBOB', '+1::skin-tone-3', posted.messageId);
    await react('reaction_added', 'UBOT', 'tada', posted.messageId);

    await expect.poll(() => choices('UBOB')).toEqual([0]);
    // One answer per member: a second emoji replaces the first; removing the current one clears it.
    await react('reaction_added', 'UBOB', 'heart', posted.messageId);
    await expect.poll(() => choices('UBOB')).toEqual([2]);
    await react('reaction_removed', 'UBOB', 'heart', posted.messageId);
    await expect.poll(() => choices('UBOB')).toEqual([]);
    await react('reaction_added', 'UBOB', 'thumbsup', posted.messageId);
    await expect.poll(() => choices('UBOB')).toEqual([0]);
    // A custom emoji, or a reaction on another message, is no vote.
    await react('reaction_added', 'UCAROL', 'partyparrot', posted.messageId);
    await react('reaction_added', 'UCAROL', 'tada', '1700000000.999999');
    await new Promise((r) => setTimeout(r, 200));
    expect(await h.engine.db.prisma.pollVoter.count()).toBe(1);
  });

  it('a refused vote by reaction is shown to the member alone (ephemeral)', async () => {
    await run('UADA', '/poll', 'create "React to vote!" kind:emoji options:"👍 🎉"');
    await h.deliver();
    const posted = await h.engine.db.prisma.postedMessage.findFirstOrThrow({ where: { key: 'poll:1' } });
    await run('UADA', '/poll', 'close 1');
    await react('reaction_added', 'UBOB', 'tada', posted.messageId);
    const eph = await h.fake.waitFor(() => h.fake.callsTo('chat.postEphemeral')[0]);
    expect(eph.args).toMatchObject({ channel: 'C1', user: 'UBOB' });
    expect(eph.args.text).toContain('⚠️');
  });

  it('maps emoji both ways, with and without U+FE0F, and skips emoji it does not know', async () => {
    expect(slackEmojiName('❤️')).toBe('heart');
    expect(slackEmojiName('❤')).toBe('heart');
    expect(slackEmojiName('1️⃣')).toBe('one');
    expect(slackEmojiName('🔟')).toBe('keycap_ten');
    expect(unicodeEmoji('thumbsup')).toBe('👍');
    expect(unicodeEmoji('+1::skin-tone-6')).toBe('👍');
    expect(unicodeEmoji('partyparrot')).toBeUndefined();
    // Unknown emoji are left out of reactions.add; the message is still sent.
    const ts = await h.adapter.send({ kind: 'channel', channelId: 'C1' }, { text: 'hi', reactions: ['🦩', '👍'] });
    expect(ts).toBeTruthy();
    expect(h.fake.callsTo('reactions.add').map((c) => c.args.name)).toEqual(['+1']);
    // A refused reaction does not fail the send.
    h.fake.failing.set('reactions.add', 'missing_scope');
    expect(await h.adapter.send({ kind: 'channel', channelId: 'C1' }, { text: 'hi', reactions: ['👍'] })).toBeTruthy();
  });
});

describe('slack controls: user groups as roles', () => {
  it('a giveaway for a user group takes its members and refuses others', async () => {
    h.fake.usergroups.set('SVIP', ['UBOB']);
    const created = await run('UADA', '/contest', 'create "Hoodie" 1 3d role:<!subteam^SVIP|@vip>');
    expect(text(created)).not.toContain('⚠️');
    expect(text(await run('UBOB', '/contest', 'enter 1'))).not.toContain('⚠️');
    expect(text(await run('UCAROL', '/contest', 'enter 1'))).toContain('⚠️');
    expect(await h.engine.db.prisma.contestEntry.count()).toBe(1);
    expect(h.fake.callsTo('usergroups.list')[0].args).toMatchObject({ include_users: 'true' });
    // Cached per workspace: one look-up served all three.
    expect(h.fake.callsTo('usergroups.list')).toHaveLength(1);
  });

  it('without usergroups:read the roles are unknown, and the giveaway says it cannot check them', async () => {
    h.fake.failing.set('usergroups.list', 'missing_scope');
    await run('UADA', '/contest', 'create "Hoodie" 1 3d role:<!subteam^SVIP|@vip>');
    const refused = await run('UBOB', '/contest', 'enter 1');
    expect(text(refused)).toContain('⚠️');
    expect(await h.engine.db.prisma.contestEntry.count()).toBe(0);
  });
});

describe('slack controls: peer thanks', () => {
  it('/thanks and /engage thanks thank a member', async () => {
    const a = await run('UBOB', '/thanks', '<@UCAROL|carol> 2 for the onboarding guide');
    expect(text(a)).toMatch(/thanked/);
    const b = await run('UCAROL', '/engage', 'thanks <@UBOB|bob> for answering my question');
    expect(text(b)).toMatch(/thanked/);
    const rows = await h.engine.db.prisma.thanks.findMany({ orderBy: { id: 'asc' } });
    expect(rows.map((r) => [r.points, r.reason])).toEqual([[2, 'for the onboarding guide'], [1, 'for answering my question']]);
  });
});
