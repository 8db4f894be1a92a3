import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { LogLevel } from '@slack/bolt';
import { freshSqlite, seeded, Clock, MIN } from './helpers.js';
import { openDatabase, type Database } from '../src/db/client.js';
import { Engine } from '../src/engine.js';
import { allCommands } from '../commands/index.js';
import { SlackAdapter } from '../adapters/slack/index.js';
import { decodeSelect, selectElement, slackEmojiName, unicodeEmoji } from '../adapters/slack/controls.js';
import { replyBlocks } from '../adapters/slack/render.js';
import { FakeSlack, post, signedForm, signedJson, signedPayload } from './fakes/slackApi.js';

/**
 * Slack's native controls end to end through the fake Slack API: select menus, cards edited in place, reactions
 * under emoji polls and reactions as votes, user groups as roles, /thanks.
 */

const SECRET = 'test-signing-secret';
const TEAM = 'T1';

let fake: FakeSlack;
let db: Database;
let engine: Engine;
let adapter: SlackAdapter;
let clock: Clock;
let cleanup: () => void;
let errors: unknown[];
let url: string;
let seq = 0;

beforeEach(async () => {
  fake = new FakeSlack();
  await fake.start();
  fake.addUser({ id: 'UADA', name: 'ada', displayName: 'Ada', admin: true });
  fake.addUser({ id: 'UBOB', name: 'bob', displayName: 'Bob' });
  fake.addUser({ id: 'UCAROL', name: 'carol', displayName: 'Carol' });
  const s = await freshSqlite();
  cleanup = s.cleanup;
  db = await openDatabase(s.url);
  errors = [];
  clock = new Clock(new Date().toISOString());
  engine = new Engine(db, { commands: allCommands, now: clock.now, random: seeded(), onError: (e) => errors.push(e) });
  adapter = new SlackAdapter(engine, {
    botToken: 'xoxb-test', signingSecret: SECRET, port: 0, host: '127.0.0.1', apiUrl: fake.apiUrl,
    clientOptions: { retryConfig: { retries: 0 } }, logLevel: LogLevel.ERROR,
  });
  await adapter.start();
  url = `http://127.0.0.1:${adapter.port}/slack/events`;
});

afterEach(async () => {
  await adapter?.stop();
  await fake?.stop();
  await engine?.flush();
  await db?.close();
  cleanup?.();
  expect(errors).toEqual([]);
  expect(fake.refusals).toEqual([]);
});

// ---------------------------------------------------------------------------------------------

async function answerAt(rid: string) {
  return fake.waitFor(() => fake.responses.find((r) => r.id === rid)?.body);
}

/** A slash command; the answer (in the acknowledgement or at the response_url). */
async function run(userId: string, command: string, text = '') {
  const rid = `cmd${++seq}`;
  const req = signedForm(SECRET, {
    token: 'legacy', team_id: TEAM, team_domain: 'acme', channel_id: 'C1', channel_name: 'general', user_id: userId,
    user_name: fake.users.get(userId)!.name, command, text, api_app_id: 'A1', is_enterprise_install: 'false',
    response_url: fake.responseUrl(rid), trigger_id: `trig.${seq}.abc`,
  });
  const res = await post(url, req);
  expect(res.status).toBe(200);
  fake.takeAck(rid, res.text);
  return answerAt(rid);
}

const text = (body: any) => String(body.text ?? '');
const deliver = () => engine.deliverOutbox('slack', { send: (to, r, meta) => adapter.send(to, r, meta), edit: (to, id, r, meta) => adapter.edit(to, id, r, meta) });
const elements = (blocks: any[]) => blocks.filter((b) => b.type === 'actions').flatMap((b) => b.elements);

/** A choice in a select menu of a posted message. */
function choose(userId: string, select: any, values: string[], ts: string, actionTs = `${1700000100 + ++seq}.1`) {
  const rid = `sel${++seq}`;
  const multi = select.type === 'multi_static_select';
  const picked = values.map((v) => select.options.find((o: any) => o.value === v));
  const payload = {
    type: 'block_actions', user: { id: userId, username: fake.users.get(userId)!.name, name: fake.users.get(userId)!.name, team_id: TEAM },
    api_app_id: 'A1', token: 'legacy', container: { type: 'message', message_ts: ts, channel_id: 'C1', is_ephemeral: false },
    trigger_id: `trig.${seq}.sel`, team: { id: TEAM, domain: 'acme' }, channel: { id: 'C1', name: 'general' },
    message: { type: 'message', ts, text: 'card' }, response_url: fake.responseUrl(rid),
    actions: [{
      type: select.type, action_id: select.action_id, block_id: 'b', action_ts: actionTs,
      ...(multi ? { selected_options: picked } : { selected_option: picked[0] }),
    }],
  };
  return { req: signedPayload(SECRET, payload), rid };
}

function reaction(kind: 'reaction_added' | 'reaction_removed', userId: string, name: string, ts: string, channel = 'C1') {
  return signedJson(SECRET, {
    token: 'legacy', team_id: TEAM, api_app_id: 'A1', type: 'event_callback', event_id: `Ev${++seq}`, event_time: Math.floor(Date.now() / 1000),
    event: { type: kind, user: userId, reaction: name, item_user: 'UBOT', item: { type: 'message', channel, ts }, event_ts: `${1700000200 + seq}.1` },
  });
}

const memberId = async (userId: string) => (await engine.db.prisma.identity.findFirstOrThrow({ where: { platform: 'slack', platformUserId: userId } })).memberId;
const choices = async (userId: string) => (await engine.db.prisma.pollChoice.findMany({ where: { memberId: await memberId(userId) }, orderBy: { option: 'asc' } })).map((c) => c.option);

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
    expect(await deliver()).toBe(1);
    const [card] = fake.callsTo('chat.postMessage');
    const select = elements(card.args.blocks).find((e) => e.type === 'multi_static_select');
    expect(select).toMatchObject({ max_selected_items: 3, options: [{ value: '1' }, { value: '2' }, { value: '3' }] });
    const posted = await engine.db.prisma.postedMessage.findFirstOrThrow({ where: { key: 'poll:1' } });
    expect(posted.messageId).toMatch(/^\d+\.\d+$/);

    const { req, rid } = choose('UBOB', select, ['1', '3'], posted.messageId);
    expect((await post(url, req)).status).toBe(200);
    expect(text(await answerAt(rid))).not.toContain('⚠️');
    // Options are stored by position (0-based): "1,3" are the first and the third.
    expect(await choices('UBOB')).toEqual([0, 2]);
    // Slack delivers the same action again (a retry): nothing changes, the answer is the same.
    await post(url, req, { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' });
    await new Promise((r) => setTimeout(r, 200));
    expect(await choices('UBOB')).toEqual([0, 2]);
    expect(await engine.db.prisma.pollVoter.count()).toBe(1);
  });
});

describe('slack controls: cards, reactions and votes by reaction', () => {
  it('send returns the message ts; a live giveaway card is edited in place with chat.update on that ts', async () => {
    await run('UADA', '/contest', 'create "Hoodie" 1 3d');
    expect(await deliver()).toBe(1);
    const [card] = fake.callsTo('chat.postMessage');
    const posted = await engine.db.prisma.postedMessage.findFirstOrThrow({ where: { key: 'contest:1' } });
    const ts = (await fake.waitFor(() => fake.calls.find((c) => c.method === 'chat.postMessage'))) && posted.messageId;
    expect(ts).toMatch(/^\d+\.\d+$/);
    expect(card.args.channel).toBe('C1');

    await run('UBOB', '/contest', 'enter 1');
    clock.advance(5 * MIN);
    await engine.runDueJobs();
    await deliver();
    const [update] = fake.callsTo('chat.update');
    expect(update.args).toMatchObject({ channel: 'C1', ts });
    expect(update.args.text).toMatch(/Hoodie/);
    // A DM send returns its ts too.
    expect(await adapter.send({ kind: 'dm', userId: 'UBOB' }, { text: 'hi' })).toMatch(/^\d+\.\d+$/);
  });

  it('an emoji poll card gets its emoji as reactions; members vote by reacting, and un-vote by removing it', async () => {
    await run('UADA', '/poll', 'create "React to vote!" kind:emoji options:"👍 🎉 ❤️"');
    expect(await deliver()).toBe(1);
    const posted = await engine.db.prisma.postedMessage.findFirstOrThrow({ where: { key: 'poll:1' } });
    expect(fake.callsTo('reactions.add').map((c) => [c.args.name, c.args.timestamp, c.args.channel])).toEqual([
      ['+1', posted.messageId, 'C1'], ['tada', posted.messageId, 'C1'], ['heart', posted.messageId, 'C1'],
    ]);

    // Skin tones are the same emoji; the bot's own reactions are no votes.
    await post(url, reaction('reaction_added', 'UBOB', '+1::skin-tone-3', posted.messageId));
    await post(url, reaction('reaction_added', 'UBOT', 'tada', posted.messageId));

    await expect.poll(() => choices('UBOB')).toEqual([0]);
    // One answer per member: a second emoji replaces the first; removing the current one clears it.
    await post(url, reaction('reaction_added', 'UBOB', 'heart', posted.messageId));
    await expect.poll(() => choices('UBOB')).toEqual([2]);
    await post(url, reaction('reaction_removed', 'UBOB', 'heart', posted.messageId));
    await expect.poll(() => choices('UBOB')).toEqual([]);
    await post(url, reaction('reaction_added', 'UBOB', 'thumbsup', posted.messageId));
    await expect.poll(() => choices('UBOB')).toEqual([0]);
    // A custom emoji, or a reaction on another message, is no vote.
    await post(url, reaction('reaction_added', 'UCAROL', 'partyparrot', posted.messageId));
    await post(url, reaction('reaction_added', 'UCAROL', 'tada', '1700000000.999999'));
    await new Promise((r) => setTimeout(r, 200));
    expect(await engine.db.prisma.pollVoter.count()).toBe(1);
  });

  it('a refused vote by reaction is shown to the member alone (ephemeral)', async () => {
    await run('UADA', '/poll', 'create "React to vote!" kind:emoji options:"👍 🎉"');
    await deliver();
    const posted = await engine.db.prisma.postedMessage.findFirstOrThrow({ where: { key: 'poll:1' } });
    await run('UADA', '/poll', 'close 1');
    await post(url, reaction('reaction_added', 'UBOB', 'tada', posted.messageId));
    const eph = await fake.waitFor(() => fake.callsTo('chat.postEphemeral')[0]);
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
    const ts = await adapter.send({ kind: 'channel', channelId: 'C1' }, { text: 'hi', reactions: ['🦩', '👍'] });
    expect(ts).toBeTruthy();
    expect(fake.callsTo('reactions.add').map((c) => c.args.name)).toEqual(['+1']);
    // A refused reaction does not fail the send.
    fake.failing.set('reactions.add', 'missing_scope');
    expect(await adapter.send({ kind: 'channel', channelId: 'C1' }, { text: 'hi', reactions: ['👍'] })).toBeTruthy();
  });
});

describe('slack controls: user groups as roles', () => {
  it('a giveaway for a user group takes its members and refuses others', async () => {
    fake.usergroups.set('SVIP', ['UBOB']);
    const created = await run('UADA', '/contest', 'create "Hoodie" 1 3d role:<!subteam^SVIP|@vip>');
    expect(text(created)).not.toContain('⚠️');
    expect(text(await run('UBOB', '/contest', 'enter 1'))).not.toContain('⚠️');
    expect(text(await run('UCAROL', '/contest', 'enter 1'))).toContain('⚠️');
    expect(await engine.db.prisma.contestEntry.count()).toBe(1);
    expect(fake.callsTo('usergroups.list')[0].args).toMatchObject({ include_users: 'true' });
    // Cached per workspace: one look-up served all three.
    expect(fake.callsTo('usergroups.list')).toHaveLength(1);
  });

  it('without usergroups:read the roles are unknown, and the giveaway says it cannot check them', async () => {
    fake.failing.set('usergroups.list', 'missing_scope');
    await run('UADA', '/contest', 'create "Hoodie" 1 3d role:<!subteam^SVIP|@vip>');
    const refused = await run('UBOB', '/contest', 'enter 1');
    expect(text(refused)).toContain('⚠️');
    expect(await engine.db.prisma.contestEntry.count()).toBe(0);
  });
});

describe('slack controls: peer thanks', () => {
  it('/thanks and /engage thanks thank a member', async () => {
    const a = await run('UBOB', '/thanks', '<@UCAROL|carol> 2 for the onboarding guide');
    expect(text(a)).toMatch(/thanked/);
    const b = await run('UCAROL', '/engage', 'thanks <@UBOB|bob> for answering my question');
    expect(text(b)).toMatch(/thanked/);
    const rows = await engine.db.prisma.thanks.findMany({ orderBy: { id: 'asc' } });
    expect(rows.map((r) => [r.points, r.reason])).toEqual([[2, 'for the onboarding guide'], [1, 'for answering my question']]);
  });
});
