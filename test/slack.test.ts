import { describe, it, expect, beforeEach, afterEach, vi, type MockInstance } from 'vitest';
import { readFileSync } from 'node:fs';
import { Engine } from '../src/engine.js';
import { allCommands } from '../commands/index.js';
import { defineCommand, opt, type CommandDef } from '../src/core/command.js';
import { SlackAdapter, createAdapter } from '../adapters/slack/index.js';
import { buildManifest, groupCommands, BOT_SCOPES } from '../adapters/slack/manifest.js';
import { normalizeCommandText, toMrkdwn, replyBlocks, replyMessage, replyMessages, blockText, formModal, formErrors, homeView, slackAddress, decodeButton, decodeMetadata } from '../adapters/slack/render.js';
import { clip } from '../adapters/shared/text.js';
import { FAMILY, LONE_SURROGATE, expectCutBetweenGraphemes, graphemesOf } from './graphemes.js';
import { UserError } from '../src/core/errors.js';
import { lang } from '../src/i18n/index.js';
import { loadConfig } from '../src/config.js';
import { checkMessage, checkView, post, signedForm, signedJson, signedPayload, slackLimits, type SignedRequest } from './fakes/slackApi.js';
import { ADA, BOB, CAROL, SECRET, TEAM, slackHarness, type SlackHarness } from './slack-harness.js';

let h: SlackHarness;
// Real time: moments like "3d" are parsed against the wall clock.
beforeEach(async () => { h = await slackHarness({ users: [ADA, BOB, { ...CAROL, owner: true }] }); });
afterEach(() => h?.close());

// ---------------------------------------------------------------------------------------------
// Slack-shaped requests

const user = (id: string) => h.fake.users.get(id)!;

const slash = (userId: string, command: string, text: string) => h.slashRequest(userId, command, text);
const run = (userId: string, command: string, text = '') => h.run(userId, command, text);
const answerAt = (rid: string, n = 1) => h.answerAt(rid, n);

const buttonsOf = (blocks: any[]) => blocks.filter((b) => b.type === 'actions').flatMap((b) => b.elements);
const sectionText = (blocks: any[]) => blocks.filter((b) => b.type === 'section').map((b) => b.text.text).join('\n');

/** A click on a button of a channel message (as posted by chat.postMessage) or of an ephemeral reply. */
function click(userId: string, button: any, where: { channel?: string; messageTs?: string; ephemeral?: boolean } = {}) {
  return h.actionRequest(userId, { type: 'button', action_id: button.action_id, text: button.text, value: button.value }, where);
}

function submission(userId: string, view: any, values: Record<string, string>, viewId = 'VFORM1') {
  const payload = {
    type: 'view_submission',
    team: { id: TEAM, domain: 'acme' },
    user: { id: userId, username: user(userId).name, name: user(userId).name, team_id: TEAM },
    api_app_id: 'A1', token: 'legacy', trigger_id: `trig.${h.next()}.view`,
    view: {
      id: viewId, team_id: TEAM, type: 'modal', callback_id: view.callback_id, private_metadata: view.private_metadata, hash: '1700000000.abcd',
      title: view.title, blocks: view.blocks, close: view.close, submit: view.submit, app_id: 'A1', bot_id: 'BBOT',
      root_view_id: viewId, previous_view_id: null, clear_on_close: false, notify_on_close: false,
      state: { values: Object.fromEntries(Object.entries(values).map(([k, v]) => [k, { value: { type: 'plain_text_input', value: v } }])) },
    },
  };
  return signedPayload(SECRET, payload);
}

/** The outbox through adapter.send alone (no edits, no send meta). */
const deliverOutbox = () => h.engine.deliverOutbox('slack', (ch, r) => h.adapter.send(ch, r));

const member = async (userId: string) =>
  (await h.engine.db.prisma.identity.findFirstOrThrow({ where: { platform: 'slack', platformUserId: userId }, include: { member: true } })).member;

// ---------------------------------------------------------------------------------------------

describe('slack adapter: slash commands', () => {
  it('answers a plain command ephemerally in its acknowledgement, in Slack mrkdwn', async () => {
    const { res, answer } = await run('UBOB', '/points');
    expect(JSON.parse(res.text)).toEqual(answer); // ready in time: the answer is the HTTP response itself
    expect(answer.response_type).toBe('ephemeral');
    const text = sectionText(answer.blocks);
    expect(text).toContain('You have *0 points* to spend');
    expect(text).not.toContain('**');
    expect(answer.text).toContain('*0 points*');
    // users.info gave the display name; the member is stored under the team.
    expect(h.fake.callsTo('users.info').map((c) => c.args.user)).toContain('UBOB');
    expect(h.fake.callsTo('auth.test').length).toBeGreaterThan(0);
    expect(h.fake.calls.every((c) => c.token === 'xoxb-test')).toBe(true);
    const m = await member('UBOB');
    expect(m.displayName).toBe('Bob');
    const binding = await h.engine.db.prisma.communityBinding.findFirstOrThrow({ where: { platform: 'slack' } });
    expect(binding.externalId).toBe(TEAM);
  });

  it('runs a subcommand with options for a workspace admin and posts the announcement with a button', async () => {
    const { answer } = await run('UADA', '/contest', 'create "Hoodie" 2 3d');
    expect(answer.response_type).toBe('ephemeral');
    expect(sectionText(answer.blocks)).toMatch(/Giveaway #1 for "Hoodie" is live until/);
    const contest = await h.engine.db.prisma.contest.findFirstOrThrow();
    expect(contest).toMatchObject({ prize: 'Hoodie', winnersCount: 2, platform: 'slack', channelId: 'C1', status: 'open' });

    expect(await deliverOutbox()).toBe(1);
    const [msg] = h.fake.callsTo('chat.postMessage');
    expect(msg.args.channel).toBe('C1');
    expect(sectionText(msg.args.blocks)).toContain('*Giveaway #1: Hoodie*');
    const [enter] = buttonsOf(msg.args.blocks);
    expect(enter).toMatchObject({ type: 'button', style: 'primary', text: { type: 'plain_text', text: '🎉 Enter' } });
    expect(enter.action_id).toMatch(/^engage:/);
    expect(decodeButton(enter.value)).toEqual({ c: 'contest enter', a: { contest: 1 } });
  });

  it('refuses bad input with a clear error and stores nothing', async () => {
    const { answer } = await run('UADA', '/give', '<@UBOB|bob> lots');
    expect(answer.response_type).toBe('ephemeral');
    expect(answer.text).toContain('⚠️');
    expect(answer.text).toContain('amount: must be a whole number');
    expect(await h.engine.db.prisma.ledgerEntry.count()).toBe(0);
    expect(await h.engine.db.prisma.processedEvent.count()).toBe(0);
  });

  it('refuses an admin command to a member and allows it to a workspace owner', async () => {
    const refused = await run('UBOB', '/contest', 'create "Nitro" 1 1d');
    expect(refused.answer.text).toContain('/contest create is for moderators only.');
    expect(await h.engine.db.prisma.contest.count()).toBe(0);
    const refused2 = await run('UBOB', '/settings', 'name:Hackers');
    expect(refused2.answer.text).toContain('is for admins only');

    const allowed = await run('UCAROL', '/settings', 'name:Hackers');
    expect(allowed.answer.text).not.toContain('⚠️');
    expect(allowed.answer.text).toContain('*Hackers*');
    const c = await h.engine.db.prisma.community.findFirstOrThrow();
    expect(c.name).toBe('Hackers');
  });

  it('turns Slack-escaped text (mentions, entities) back into what was typed', async () => {
    const { answer } = await run('UADA', '/give', '<@UBOB|bob> 10 thanks &amp; cheers &lt;3');
    expect(answer.response_type).toBe('in_channel');
    expect(answer.text).toContain('Gave 10 points to bob (thanks &amp; cheers &lt;3)'); // named after the mention label
    const bob = await member('UBOB');
    expect(bob.balance).toBe(10);
    const [row] = await h.engine.db.prisma.ledgerEntry.findMany();
    expect(row.reason).toBe('thanks & cheers <3');
  });

  it('answers every command through the umbrella /engage, for workspaces where /points and the like are taken', async () => {
    const { answer } = await run('UADA', '/engage', 'give <@UBOB|bob> 7 umbrella');
    expect(answer.text).toContain('Gave 7 points to bob (umbrella)');
    expect((await member('UBOB')).balance).toBe(7);
    const sub = await run('UBOB', '/engage', 'challenge list');
    expect(sub.answer.text).not.toContain('⚠️');
    const bare = await run('UBOB', '/engage', '');
    expect(bare.answer.text).toContain('/points');
    const unknown = await run('UBOB', '/engage', 'dance');
    expect(unknown.answer.text).toContain('⚠️');
  });

  it('applies a redelivered slash command (X-Slack-Retry-Num) once', async () => {
    const { req, rid } = slash('UADA', '/give', '<@UBOB> 25 great answer');
    const res = await post(h.url, req);
    expect(res.status).toBe(200);
    h.fake.takeAck(rid, res.text);
    const first = await answerAt(rid, 1);
    const again = await post(h.url, req, { 'X-Slack-Retry-Num': '1', 'X-Slack-Retry-Reason': 'http_timeout' });
    expect(again.status).toBe(200);
    h.fake.takeAck(rid, again.text);
    const second = await answerAt(rid, 2);
    expect(second.text).toBe(first.text);
    expect(await h.engine.db.prisma.ledgerEntry.count()).toBe(1);
    expect((await member('UBOB')).balance).toBe(25);
    expect(await h.engine.db.prisma.processedEvent.count()).toBe(1);
    // users.info is cached per user.
    expect(h.fake.callsTo('users.info').filter((c) => c.args.user === 'UADA')).toHaveLength(1);
  });

  it('takes the member\'s language from users.info (include_locale) and caches it with the user', async () => {
    h.fake.addUser({ id: 'UMIN', name: 'minji', displayName: 'Minji', locale: 'ko-KR' });
    h.fake.addUser({ id: 'UKEN', name: 'kenji', displayName: 'Kenji', locale: 'ja-JP' });
    await run('UMIN', '/points');
    await run('UMIN', '/leaderboard');
    await run('UKEN', '/points');
    const lookups = h.fake.callsTo('users.info').filter((c) => c.args.user === 'UMIN');
    expect(lookups).toHaveLength(1);
    expect(String(lookups[0].args.include_locale)).toBe('true');
    expect(await h.engine.db.prisma.member.findFirstOrThrow({ where: { displayName: 'Minji' } })).toMatchObject({ locale: 'ko' });
    expect(await h.engine.db.prisma.member.findFirstOrThrow({ where: { displayName: 'Kenji' } })).toMatchObject({ locale: 'ja' });
  });

  it('rejects a request with a bad signature (401) and stores nothing', async () => {
    const { req, rid } = slash('UADA', '/give', '<@UBOB> 25');
    const forged: SignedRequest = { ...req, headers: { ...req.headers, 'x-slack-signature': 'v0=' + '0'.repeat(64) } };
    expect((await post(h.url, forged)).status).toBe(401);
    const tampered: SignedRequest = { ...req, body: req.body.replace('25', '2500') };
    expect((await post(h.url, tampered)).status).toBe(401);
    const stale = signedForm(SECRET, { team_id: TEAM, user_id: 'UADA', command: '/points', text: '', trigger_id: 't', response_url: h.fake.responseUrl('stale') });
    stale.headers['x-slack-request-timestamp'] = String(Math.floor(Date.now() / 1000) - 3600);
    expect((await post(h.url, stale)).status).toBe(401);
    expect(await h.engine.db.prisma.member.count()).toBe(0);
    expect(await h.engine.db.prisma.ledgerEntry.count()).toBe(0);
    expect(h.fake.responses.filter((r) => r.id === rid)).toHaveLength(0);
    expect(h.fake.callsTo('users.info')).toHaveLength(0);
  });
});

describe('slack adapter: buttons, modals, App Home, send', () => {
  it('enters a giveaway from the card button, once even when the click is redelivered', async () => {
    await run('UADA', '/contest', 'create "Hoodie" 1 2d');
    await deliverOutbox();
    const card = h.fake.callsTo('chat.postMessage')[0].args;
    const [enter] = buttonsOf(card.blocks);
    const { req, rid } = click('UBOB', enter);
    const res = await post(h.url, req);
    expect(res.status).toBe(200);
    const answer = await answerAt(rid);
    expect(answer.response_type).toBe('ephemeral');
    expect(answer.replace_original).toBe(false);
    expect(answer.text).toContain("You're in giveaway #1");
    await post(h.url, req, { 'X-Slack-Retry-Num': '1', 'X-Slack-Retry-Reason': 'timeout' });
    const again = await answerAt(rid, 2);
    expect(again.text).toBe(answer.text); // the stored first reply, not "already entered"
    expect(await h.engine.db.prisma.contestEntry.count()).toBe(1);
    const entry = await h.engine.db.prisma.contestEntry.findFirstOrThrow();
    expect(entry.memberId).toBe((await member('UBOB')).id);
  });

  it('opens a modal for a challenge proof and stores the submission once', async () => {
    await run('UADA', '/challenge', 'create "Share a post" 50 3d Post about us & send the link');
    await deliverOutbox();
    const card = h.fake.callsTo('chat.postMessage')[0].args;
    expect(sectionText(card.blocks)).toContain('*Challenge #1: Share a post*');
    expect(sectionText(card.blocks)).toContain('Post about us &amp; send the link');
    const [submit] = buttonsOf(card.blocks);
    expect(decodeButton(submit.value)?.f?.command).toBe('challenge submit');

    const press = click('UBOB', submit);
    expect((await post(h.url, press.req)).status).toBe(200);
    const open = await h.fake.waitFor(() => h.fake.callsTo('views.open')[0]);
    expect(open.args.trigger_id).toMatch(/^trig\./);
    const view = open.args.view;
    expect(view).toMatchObject({ type: 'modal', callback_id: 'engage_form', title: { type: 'plain_text', text: 'Challenge #1' } });
    expect(view.blocks[0]).toMatchObject({ type: 'input', block_id: 'proof', element: { type: 'plain_text_input', action_id: 'value', multiline: true } });
    expect(decodeMetadata(view.private_metadata)).toMatchObject({ c: 'challenge submit', a: { challenge: 1 }, ch: 'C1', ru: h.fake.responseUrl(press.rid) });
    expect(await h.engine.db.prisma.submission.count()).toBe(0); // opening the form changes nothing

    const sub = submission('UBOB', view, { proof: 'https://example.com/post' });
    const res = await post(h.url, sub);
    expect(res.status).toBe(200);
    expect(res.text).toBe(''); // closes the modal
    const answer = await answerAt(press.rid);
    expect(answer.response_type).toBe('ephemeral');
    expect(answer.text).toContain('Got it: submission #1 for challenge #1');
    const again = await post(h.url, sub, { 'X-Slack-Retry-Num': '1' });
    expect(again.status).toBe(200);
    await answerAt(press.rid, 2);
    const rows = await h.engine.db.prisma.submission.findMany();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ proof: 'https://example.com/post', status: 'pending' });

    // Approval awards the points and DMs the member through the outbox.
    const approved = await run('UADA', '/challenge', 'approve 1');
    expect(approved.answer.text).toContain('Approved submission #1');
    expect((await member('UBOB')).balance).toBe(50);
    expect(await deliverOutbox()).toBe(1);
    expect(h.fake.callsTo('conversations.open').map((c) => c.args.users)).toEqual(['UBOB']);
    const dm = h.fake.callsTo('chat.postMessage').at(-1)!;
    expect(dm.args.channel).toBe('DUBOB');
    expect(dm.args.text).toContain('was approved: +50 points');
  });

  it('answers a poll with a button and takes the comment in a modal, showing errors inline', async () => {
    const created = await run('UADA', '/poll', 'create How likely are you to recommend us?');
    expect(created.answer.text).toContain('Poll #1 is open');
    await deliverOutbox();
    const card = h.fake.callsTo('chat.postMessage')[0].args;
    const rows = card.blocks.filter((b: any) => b.type === 'actions');
    expect(rows.map((r: any) => r.elements.length)).toEqual([6, 5]);
    const buttons = buttonsOf(card.blocks);
    expect(new Set(buttons.map((b: any) => b.action_id)).size).toBe(11);
    const nine = buttons.find((b: any) => b.text.text === '9');
    expect(nine.style).toBe('primary');
    expect(buttons.find((b: any) => b.text.text === '0').style).toBe('danger');

    const press = click('UBOB', nine);
    await post(h.url, press.req);
    const answer = await answerAt(press.rid);
    expect(answer.text).toContain('Thanks! You answered 9 to poll #1.');
    const resp = await h.engine.db.prisma.pollResponse.findFirstOrThrow();
    expect(resp.score).toBe(9);
    const [comment] = buttonsOf(answer.blocks);
    expect(comment.text.text).toBe('Add a comment');

    const press2 = click('UBOB', comment, { ephemeral: true });
    await post(h.url, press2.req);
    const open = await h.fake.waitFor(() => h.fake.callsTo('views.open')[0]);
    const view = open.args.view;
    expect(view.blocks.map((b: any) => b.block_id)).toEqual(['comment']);

    // A blank comment keeps the modal open with the error under the field.
    const blank = await post(h.url, submission('UBOB', view, { comment: '   ' }, 'VPOLL1'));
    expect(blank.status).toBe(200);
    expect(blank.json).toEqual({ response_action: 'errors', errors: { comment: expect.stringMatching(/^comment: /) } });
    expect((await h.engine.db.prisma.pollResponse.findFirstOrThrow()).comment).toBeNull();

    const ok = await post(h.url, submission('UBOB', view, { comment: 'Fast answers' }, 'VPOLL1'));
    expect(ok.text).toBe('');
    const thanks = await answerAt(press2.rid);
    expect(thanks.text).toContain('Thanks for the comment on poll #1');
    expect((await h.engine.db.prisma.pollResponse.findFirstOrThrow()).comment).toBe('Fast answers');
    expect(await h.engine.db.prisma.pollResponse.count()).toBe(1);
  });

  it('publishes the App Home with the leaderboard and the member\'s points, also on a redelivered event', async () => {
    await run('UADA', '/give', '<@UBOB> 30');
    const event = {
      token: 'legacy', team_id: TEAM, api_app_id: 'A1', type: 'event_callback', event_id: 'Ev123', event_time: 1700000000,
      event: { type: 'app_home_opened', user: 'UBOB', channel: 'DUBOB', tab: 'home', event_ts: '1700000000.1' },
    };
    const req = signedJson(SECRET, event);
    expect((await post(h.url, req)).status).toBe(200);
    const pub = await h.fake.waitFor(() => h.fake.callsTo('views.publish')[0]);
    expect(pub.args.user_id).toBe('UBOB');
    expect(pub.args.view.type).toBe('home');
    expect(pub.args.view.blocks[0]).toMatchObject({ type: 'header', text: { type: 'plain_text', text: 'Community points' } });
    expect(pub.args.view.blocks.at(-1)).toMatchObject({ type: 'context', elements: [{ text: 'Type `/help` in any channel to see everything I can do.' }] });
    const text = sectionText(pub.args.view.blocks);
    expect(text).toContain('*Leaderboard, all time*');
    expect(text).toContain('🥇 Bob: 30');
    expect(text).toContain('You have *30 points* to spend');

    expect((await post(h.url, req, { 'X-Slack-Retry-Num': '1', 'X-Slack-Retry-Reason': 'http_error' })).status).toBe(200);
    const pub2 = await h.fake.waitFor(() => h.fake.callsTo('views.publish')[1]);
    expect(sectionText(pub2.args.view.blocks)).toBe(text);
    expect(await h.engine.db.prisma.member.count()).toBe(2);
    expect(await h.engine.db.prisma.ledgerEntry.count()).toBe(1);

    // The messages tab does not publish anything.
    await post(h.url, signedJson(SECRET, { ...event, event_id: 'Ev124', event: { ...event.event, tab: 'messages' } }));
    await post(h.url, signedJson(SECRET, { ...event, event_id: 'Ev125' }));
    await h.fake.waitFor(() => h.fake.callsTo('views.publish')[2]);
    expect(h.fake.callsTo('views.publish')).toHaveLength(3);
  });

  it('send() posts to a channel, opens a DM for a dm address, and throws on failure', async () => {
    await h.adapter.send({ kind: 'channel', channelId: 'C9' }, { text: '**Hi** <team> & co', buttons: [[{ label: 'Go', command: 'points', args: {}, style: 'danger' }]] });
    const msg = h.fake.callsTo('chat.postMessage')[0].args;
    expect(msg.channel).toBe('C9');
    expect(msg.thread_ts).toBeUndefined();
    expect(msg.blocks[0]).toEqual({ type: 'section', text: { type: 'mrkdwn', text: '*Hi* &lt;team&gt; &amp; co' } });
    expect(buttonsOf(msg.blocks)[0]).toMatchObject({ style: 'danger', text: { text: 'Go' } });

    await h.adapter.send({ kind: 'dm', userId: 'UBOB' }, { text: 'A notice' });
    expect(h.fake.callsTo('conversations.open')[0].args.users).toBe('UBOB');
    expect(h.fake.callsTo('chat.postMessage')[1].args.channel).toBe('DUBOB');

    h.fake.failing.set('chat.postMessage', 'channel_not_found');
    await expect(h.adapter.send({ kind: 'channel', channelId: 'C404' }, { text: 'x' })).rejects.toThrow(/channel_not_found/);
  });

  it('send() posts into the thread of a channel address', async () => {
    await h.adapter.send({ kind: 'channel', channelId: 'C9', threadId: '1700000000.000100' }, { text: 'In the thread' });
    const msg = h.fake.callsTo('chat.postMessage')[0].args;
    expect(msg).toMatchObject({ channel: 'C9', thread_ts: '1700000000.000100' });
    expect(msg.text).toBe('In the thread');
    expect(h.fake.callsTo('conversations.open')).toHaveLength(0);
  });

  it('retries a failed announcement through the outbox', async () => {
    h.fake.failing.set('chat.postMessage', 'ratelimited_fake');
    await run('UADA', '/contest', 'create "Mug" 1 1d');
    expect(await deliverOutbox()).toBe(0);
    const pending = await h.engine.db.prisma.outboxMessage.findFirstOrThrow();
    expect(pending.status).toBe('pending');
    expect(pending.lastError).toContain('ratelimited_fake');
    h.fake.failing.delete('chat.postMessage');
    await h.engine.db.prisma.outboxMessage.updateMany({ data: { nextAt: null } }); // as if its backoff had passed
    expect(await deliverOutbox()).toBe(1);
    expect((await h.engine.db.prisma.outboxMessage.findFirstOrThrow()).status).toBe('sent');
  });
});

describe('slack adapter: a reply that asks for a form', () => {
  // A command returning Reply.form: the adapter opens the modal with the slash command's trigger_id.
  const feedbackAsk = defineCommand({
    name: 'feedback', permission: 'member', options: {},
    async run() {
      return { text: 'Tell me more', ephemeral: true, form: { title: 'Feedback for the community team', command: 'feedback send', args: { topic: 'general' }, fields: [{ name: 'message', label: 'Your feedback', long: true }, { name: 'contact', label: 'Email (optional)', required: false, maxLength: 100 }] } };
    },
  });
  const feedbackSend = defineCommand({
    name: 'feedback send', permission: 'member',
    options: { topic: opt.string(), message: opt.text({ max: 500 }), contact: opt.string({ optional: true }) },
    async run(_ctx, a) {
      // A refusal about the second field whose text does not name it: only error.field says where it goes.
      if (a.contact && !a.contact.includes('@')) throw new UserError('errors:arg.tooLong', { max: 5 }, 'contact');
      return { text: `Got **${a.topic}** feedback: ${a.message}${a.contact ? ` (${a.contact})` : ''}`, ephemeral: true };
    },
  });

  /** Runs `fn` against a second adapter whose engine also serves the feedback commands. */
  async function withFeedbackBot(fn: (otherUrl: string) => Promise<void>) {
    const custom = new Engine(h.db, { now: () => new Date(), commands: [...allCommands, feedbackAsk, feedbackSend] as unknown as CommandDef[], onError: (e) => h.errors.push(e) });
    const other = new SlackAdapter(custom, h.adapterOptions());
    await other.start();
    try {
      await fn(`http://127.0.0.1:${other.port}/slack/events`);
    } finally {
      await other.stop();
    }
  }

  /** Runs /feedback and returns the modal it opened. */
  async function openFeedback(otherUrl: string) {
    const { req, rid } = slash('UBOB', '/feedback', '');
    expect((await post(otherUrl, req)).status).toBe(200);
    const open = await h.fake.waitFor(() => h.fake.callsTo('views.open')[0]);
    return { req, rid, open, view: open.args.view };
  }

  it('opens the modal from the slash command and runs form.command with form.args + field values', async () => {
    await withFeedbackBot(async (otherUrl) => {
      const { req, rid, open, view } = await openFeedback(otherUrl);
      expect(open.args.trigger_id).toBe(new URLSearchParams(req.body).get('trigger_id'));
      expect(view.title.text.length).toBeLessThanOrEqual(24);
      expect(view).toMatchObject({ submit: { text: 'Send' }, close: { text: 'Cancel' } });
      expect(view.blocks.map((b: any) => [b.block_id, b.optional, b.element.multiline])).toEqual([['message', false, true], ['contact', true, false]]);
      expect(h.fake.responses.filter((r) => r.id === rid)).toHaveLength(0); // the modal is the answer

      const res = await post(otherUrl, submission('UBOB', view, { message: 'More <b>giveaways</b> & polls' }, 'VFB'));
      expect(res.text).toBe('');
      // No response_url for a modal opened by a command: the answer comes as an ephemeral in the channel.
      const eph = await h.fake.waitFor(() => h.fake.callsTo('chat.postEphemeral')[0]);
      expect(eph.args).toMatchObject({ channel: 'C1', user: 'UBOB' });
      expect(eph.args.text).toBe('Got *general* feedback: More &lt;b&gt;giveaways&lt;/b&gt; &amp; polls');
    });
  });

  it('shows a refusal under the input its error.field names, even when the text does not mention it', async () => {
    await withFeedbackBot(async (otherUrl) => {
      const { view } = await openFeedback(otherUrl);
      const res = await post(otherUrl, submission('UBOB', view, { message: 'Hi', contact: 'nope' }, 'VFB2'));
      expect(res.status).toBe(200);
      expect(res.json).toEqual({ response_action: 'errors', errors: { contact: 'That is too long: at most 5 characters, please.' } });
      expect(h.fake.callsTo('chat.postEphemeral')).toHaveLength(0); // the modal stays open; nothing else is said
    });
  });
});

describe('slack rendering and manifest', () => {
  it('converts **bold** to mrkdwn and escapes &, <, > but keeps mentions', () => {
    expect(toMrkdwn('**Giveaway #1: A & B** <script> for <@U123>')).toBe('*Giveaway #1: A &amp; B* &lt;script&gt; for <@U123>');
    expect(toMrkdwn('<!channel> hi')).toBe('&lt;!channel&gt; hi');
    expect(normalizeCommandText(' <@U1|bob> 5 <https://x.io/a?b=1&amp;c=2|x.io> <#C1|general> <!here> &lt;3 ')).toBe('<@U1|bob> 5 https://x.io/a?b=1&c=2 #general @here <3');
  });

  it('maps an error to the modal input its field names, else to the first input', () => {
    const refusal = (field?: string) => ({ text: '**Nope**', error: { code: 'errors:arg.invalid', ...(field ? { field } : {}) } });
    expect(formErrors(refusal('contact'), ['message', 'contact'])).toEqual({ contact: 'Nope' });
    expect(formErrors(refusal(), ['message', 'contact'])).toEqual({ message: 'Nope' });
    expect(formErrors(refusal('topic'), ['message', 'contact'])).toEqual({ message: 'Nope' });
    expect(formErrors({ text: 'fine' }, ['message'])).toBeNull();
    expect(formErrors(refusal('x'), [])).toBeNull();
  });

  it('turns Slack conversations into typed addresses: D... is a direct message', () => {
    expect(slackAddress('C1', 'UBOB')).toEqual({ kind: 'channel', channelId: 'C1' });
    expect(slackAddress('C1', 'UBOB', '1700000000.1')).toEqual({ kind: 'channel', channelId: 'C1', threadId: '1700000000.1' });
    expect(slackAddress('DUBOB', 'UBOB')).toEqual({ kind: 'dm', userId: 'UBOB' });
    expect(slackAddress(undefined, 'UBOB')).toBeUndefined();
  });

  it('clips emoji-heavy text to Slack\'s limits without splitting surrogate pairs', () => {
    const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
    const emojis = (n: number) => '😀'.repeat(n);
    const msg = replyMessage({ text: emojis(2000), buttons: [[{ label: emojis(50), command: 'points', args: {} }]] });
    expect(msg.text.length).toBeLessThanOrEqual(3000);
    expect(msg.text.endsWith('😀…')).toBe(true);
    const [button] = buttonsOf(msg.blocks);
    expect(button.text.text.length).toBeLessThanOrEqual(75);
    expect(button.text.text).toBe(emojis(37) + '…');
    const sections = msg.blocks.filter((b) => b.type === 'section') as any[];
    expect(sections.length).toBe(2); // 4000 UTF-16 units in one line: split between emojis
    expect(sections.map((b) => b.text.text).join('')).toBe(emojis(2000));
    for (const t of [msg.text, button.text.text, ...sections.map((b) => b.text.text)]) expect(t).not.toMatch(loneSurrogate);

    const family = '👨‍👩‍👧‍👦'; // one grapheme, 11 UTF-16 units
    const modal = formModal(lang('en'), { title: family.repeat(5), command: 'x', args: {}, fields: [{ name: 'a', label: 'A' }] }, {}) as any;
    expect(modal.title.text).toBe(family + family + '…');
    expect(modal.title.text.length).toBeLessThanOrEqual(24);
  });

  it('splits long button rows into actions blocks of at most 25', () => {
    const row = Array.from({ length: 30 }, (_, i) => ({ label: `B${i}`, command: 'points', args: { n: i } }));
    const blocks = replyBlocks({ text: 'x', buttons: [row] });
    const actions = blocks.filter((b) => b.type === 'actions') as any[];
    expect(actions.map((a) => a.elements.length)).toEqual([25, 5]);
    const ids = actions.flatMap((a) => a.elements.map((e: any) => e.action_id));
    expect(new Set(ids).size).toBe(30);
  });

  it('builds a manifest with one slash command per top-level command', () => {
    const groups = groupCommands(allCommands);
    const m = buildManifest(groups, { baseUrl: 'https://bot.example.com/' });
    const names = m.features.slash_commands.map((c) => c.command);
    for (const n of ['/points', '/leaderboard', '/challenge', '/contest', '/poll', '/referral', '/rewards', '/redeem', '/link', '/help']) expect(names).toContain(n);
    expect(names).toHaveLength(groups.size + 1);
    expect(names[0]).toBe('/engage');
    expect(buildManifest(groups, { umbrellaOnly: true }).features.slash_commands.map((c) => c.command)).toEqual(['/engage']);
    const contest = m.features.slash_commands.find((c) => c.command === '/contest')!;
    expect(contest.usage_hint).toContain('create <prize> <winners> <ends>');
    expect(contest.url).toBe('https://bot.example.com/slack/events');
    // Descriptions come from the en catalog: a group lists its subcommands, a lone command has its own text.
    expect(contest.description).toMatch(/^Giveaways: list, show, enter, (.+, )?create, end, reroll, cancel/);
    expect(m.features.slash_commands.find((c) => c.command === '/points')!.description).toBe(lang('en').t('commands:points.description'));
    expect(m.display_information.description).toBe(lang('en').t('slack:manifest.description'));
    expect(m.oauth_config.scopes.bot).toEqual(expect.arrayContaining(['commands', 'chat:write', 'im:write', 'users:read']));
    expect(m.settings.event_subscriptions).toEqual({ request_url: 'https://bot.example.com/slack/events', bot_events: ['app_home_opened', 'message.channels', 'message.groups', 'reaction_added', 'reaction_removed', 'team_join', 'user_change'] });
    expect(m.oauth_config.scopes.bot).toEqual(expect.arrayContaining(['reactions:write', 'usergroups:read']));
    expect(m.settings.token_rotation_enabled).toBe(false);
    // Distribution: the OAuth redirect URL, token rotation, org-wide installs and the uninstall events.
    const dist = buildManifest(groups, { baseUrl: 'https://bot.example.com', oauth: true });
    expect(dist.oauth_config.redirect_urls).toEqual(['https://bot.example.com/slack/oauth_redirect']);
    expect(dist.settings).toMatchObject({ token_rotation_enabled: true, org_deploy_enabled: true, socket_mode_enabled: false });
    expect(dist.settings.event_subscriptions.bot_events).toEqual(expect.arrayContaining(['app_uninstalled', 'tokens_revoked']));
    expect(m.oauth_config.scopes.bot).toEqual(expect.arrayContaining(['channels:history', 'groups:history', 'reactions:read']));
    expect(m.settings.interactivity.is_enabled).toBe(true);
    expect(m.settings.socket_mode_enabled).toBe(false);
    expect(m.features.app_home.home_tab_enabled).toBe(true);
    for (const c of m.features.slash_commands) {
      expect(c.command.length).toBeLessThanOrEqual(32);
      expect((c.usage_hint ?? '').length).toBeLessThanOrEqual(1000);
    }
    const socket = buildManifest(groups);
    expect(socket.settings.socket_mode_enabled).toBe(true);
    expect(socket.features.slash_commands[0].url).toBeUndefined();
    // The committed manifest.json is the Socket Mode one for the current commands.
    const onDisk = JSON.parse(readFileSync(new URL('../adapters/slack/manifest.json', import.meta.url), 'utf8'));
    expect(onDisk.oauth_config.scopes.bot).toEqual([...BOT_SCOPES]);
    expect(onDisk.features.slash_commands.map((c: { command: string }) => c.command)).toEqual(names);
  });

  it('createAdapter picks Socket Mode when SLACK_APP_TOKEN is set, HTTP otherwise', async () => {
    const socket = await createAdapter(h.engine, loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' }));
    expect((socket as SlackAdapter).mode).toBe('socket');
    const http = await createAdapter(h.engine, loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', SLACK_PORT: '3999' }));
    expect((http as SlackAdapter).mode).toBe('http');
    expect(http.platform).toBe('slack');
  });
});

// ---------------------------------------------------------------------------------------------
// Slack's limits: long replies continue in more messages or are cut visibly, never refused.

/** What Slack sends for typed text: &, <, > as entities. */
const slackEscaped = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
/** A comment of ~990 UTF-16 units with ZWJ emoji, Korean and characters Slack escapes (& < > grow to entities). */
const longComment = (i: number) => clip(`c${i}~ ` + `${FAMILY} 서비스가 정말 좋아요 & <빠른> 답변! `.repeat(40), 990);

function expectWithinSlackLimits(msg: any) {
  expect(checkMessage(msg)).toBeNull();
  expect(msg.blocks.length).toBeLessThanOrEqual(slackLimits.blocksPerMessage);
  expect(blockText(msg.blocks)).toBeLessThanOrEqual(slackLimits.blockText);
  for (const b of msg.blocks.filter((x: any) => x.type === 'section')) expect(b.text.text.length).toBeLessThanOrEqual(slackLimits.sectionText);
}

describe('slack adapter: output limits', () => {
  it('answers /poll results with 25 long comments in several ephemeral messages, each within Slack\'s limits', async () => {
    await run('UADA', '/poll', 'create How likely are you to recommend us?');
    // The first answer comes through Slack; the other 24 straight to the engine, to keep the test quick.
    h.fake.addUser({ id: 'UM0', name: 'm0', displayName: 'Member 0' });
    expect((await run('UM0', '/poll', slackEscaped(`answer 1 0 ${longComment(0)}`))).answer.text).toContain('poll #1');
    for (let i = 1; i < 25; i++) {
      const actor = { platform: 'slack' as const, userId: `UM${i}`, displayName: `Member ${i}` };
      const r = await h.engine.handle({ platform: 'slack', communityKey: TEAM, address: { kind: 'channel', channelId: 'C1' }, actor, command: 'poll answer', args: `1 ${i % 11} ${longComment(i)}`, eventKey: `seed:${i}` });
      expect(r.error).toBeUndefined();
    }
    expect(await h.engine.db.prisma.pollResponse.count({ where: { comment: { not: null } } })).toBe(25);

    const { rid } = await run('UADA', '/poll', 'results 1 25');
    // About 32,000 characters of blocks once escaped, Slack takes ~12,000 a message: several messages,
    // the oldest comment (c0) in the last one.
    const parts = await h.fake.waitFor(() => {
      const all = h.fake.responses.filter((r) => r.id === rid);
      return all.some((r) => sectionText(r.body.blocks).includes('c0~')) ? all.map((r) => r.body) : undefined;
    });
    await new Promise((r) => setTimeout(r, 100));
    expect(h.fake.responses.filter((r) => r.id === rid)).toHaveLength(parts.length);
    expect(parts.length).toBeGreaterThanOrEqual(3);
    expect(parts.length).toBeLessThanOrEqual(4);
    for (const m of parts) {
      expect(m).toMatchObject({ response_type: 'ephemeral', replace_original: false });
      expectWithinSlackLimits(m);
    }
    // A list split between messages, not cut: every comment is there once, in order (newest first), whole.
    const text = parts.map((m) => sectionText(m.blocks)).join('\n');
    expect(text).toContain('📊 *Poll #1: How likely are you to recommend us?*');
    expect(text).toContain('from 25 answers');
    const order = Array.from({ length: 25 }, (_, i) => text.indexOf(`c${i}~ `));
    expect(order.every((at) => at >= 0)).toBe(true);
    expect([...order].sort((a, b) => b - a)).toEqual(order);
    expect(text).not.toContain(lang('en').t('adapters:shortened'));
    expect(text.replaceAll(FAMILY, '')).not.toContain('\u200d');
    expect(text).not.toMatch(LONE_SURROGATE);
    expect(text).toContain('&amp; &lt;빠른&gt;');
  });

  it('cuts a reply longer than four messages visibly, in the reader\'s language, and keeps the buttons', () => {
    const lines = Array.from({ length: 200 }, (_, i) => `• [${i}] ${'&<>'.repeat(50)} ${FAMILY.repeat(10)} 한국어 댓글이에요`);
    const reply = { text: `**Results**\n${lines.join('\n')}`, ephemeral: true, buttons: [[{ label: 'Close', command: 'poll close', args: { poll: 1 } }]] };
    for (const L of [lang('en'), lang('ko'), lang('ja')]) {
      const msgs = replyMessages(reply, L);
      expect(msgs).toHaveLength(4);
      msgs.forEach(expectWithinSlackLimits);
      // Only the last message carries the note and the buttons.
      expect(msgs.slice(0, 3).every((m) => m.blocks.every((b) => b.type === 'section'))).toBe(true);
      const last = msgs[3].blocks;
      expect(last.at(-2)).toEqual({ type: 'context', elements: [{ type: 'mrkdwn', text: `_${L.t('adapters:shortened')}_` }] });
      expect(last.at(-1)).toMatchObject({ type: 'actions', elements: [{ text: { text: 'Close' } }] });
      const cut = sectionText(last);
      expect(cut.endsWith('…')).toBe(true);
      expect(cut).not.toMatch(/&(?!(?:amp|lt|gt);)/); // no entity cut in half
      expect(cut.replaceAll(FAMILY, '')).not.toContain('\u200d');
    }
    // One message (an App Home part, the adapter's own fallback): the same cut, all in one.
    const one = replyMessage(reply, lang('ja'));
    expectWithinSlackLimits(one);
    expect(sectionText(one.blocks).endsWith('…')).toBe(true);
    expect(one.blocks.at(-2)).toMatchObject({ type: 'context', elements: [{ text: `_${lang('ja').t('adapters:shortened')}_` }] });
    expect(one.text.length).toBeLessThanOrEqual(3000);
    expect(checkView(homeView(lang('ko'), reply, reply))).toBeNull();
    expect(blockText((homeView(lang('ko'), reply, reply) as any).blocks)).toBeLessThanOrEqual(slackLimits.blockText);
  });

  it('keeps buttons, rows and modals within Slack\'s limits (long labels, many rows, many fields)', () => {
    const label = `${FAMILY.repeat(5)} 아주 긴 버튼 이름 `.repeat(5);
    const rows = Array.from({ length: 60 }, (_, r) => Array.from({ length: 3 }, (_, i) => ({ label, command: 'poll answer', args: { poll: r, score: i } })));
    const heavy = { label: 'too much', command: 'give', args: { reason: 'x'.repeat(3000) } }; // cannot fit a button value: left out
    const msg = replyMessage({ text: 'Pick', buttons: [[heavy], ...rows] });
    expectWithinSlackLimits(msg);
    const buttons = buttonsOf(msg.blocks);
    expect(buttons.length).toBeGreaterThan(0);
    expect(buttons.some((b) => b.text.text === 'too much')).toBe(false);
    for (const b of buttons) {
      expect(b.text.text.length).toBeLessThanOrEqual(slackLimits.buttonText);
      expectCutBetweenGraphemes(b.text.text, label);
    }

    const fields = Array.from({ length: 120 }, (_, i) => ({ name: `f${i}`, label: i ? `Field ${i}` : '긴 라벨 '.repeat(500), maxLength: 5000 }));
    const title = `${FAMILY}${'안녕하세요'.normalize('NFD')} poll comment form`;
    const modal = formModal(lang('ko'), { title, command: 'poll comment', args: { poll: 1 }, fields }, { ch: 'C1' }) as any;
    expect(checkView(modal)).toBeNull();
    expect(modal.blocks).toHaveLength(slackLimits.blocksPerView);
    expectCutBetweenGraphemes(modal.title.text, title);
  });

  it('cuts emoji ZWJ sequences and Korean (also decomposed) only between graphemes', () => {
    const nfd = '한국어로 쓴 댓글입니다 '.normalize('NFD'); // a syllable is 2-3 code points here
    for (const src of [FAMILY.repeat(400), nfd.repeat(300), `${FAMILY}한국어 🇰🇷 `.repeat(300)]) {
      const msg = replyMessage({ text: src });
      const sections = msg.blocks.filter((b) => b.type === 'section').map((b: any) => b.text.text as string);
      expect(sections.length).toBeGreaterThan(1);
      // The sections are the text again, split between graphemes.
      expect(sections.flatMap(graphemesOf)).toEqual(graphemesOf(src));
      expectCutBetweenGraphemes(msg.text, src);
      expect(msg.text.length).toBeLessThanOrEqual(3000);
      const b = buttonsOf(replyBlocks({ text: 'x', buttons: [[{ label: src, command: 'points', args: {} }]] }))[0];
      expect(b.text.text.length).toBeLessThanOrEqual(slackLimits.buttonText);
      expectCutBetweenGraphemes(b.text.text, src);
    }
  });

  it('the fake Slack refuses what Slack refuses, with ok: false and the error Slack gives', async () => {
    const call = async (method: string, args: unknown) => {
      const res = await fetch(`${h.fake.apiUrl}${method}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer xoxb-test' }, body: JSON.stringify(args) });
      expect(res.status).toBe(200);
      return (await res.json()) as { ok: boolean; error?: string };
    };
    const section = (n: number) => ({ type: 'section', text: { type: 'mrkdwn', text: 'x'.repeat(n) } });
    const button = (text: string, value = 'v') => ({ type: 'actions', elements: [{ type: 'button', action_id: 'a', text: { type: 'plain_text', text }, value }] });
    expect(await call('chat.postMessage', { channel: 'C1', text: 'x'.repeat(40_001) })).toMatchObject({ ok: false, error: 'msg_too_long' });
    expect(await call('chat.postMessage', { channel: 'C1', blocks: Array.from({ length: 51 }, () => section(1)) })).toMatchObject({ ok: false, error: 'invalid_blocks' });
    expect(await call('chat.postEphemeral', { channel: 'C1', user: 'UBOB', blocks: [section(3001)] })).toMatchObject({ ok: false, error: 'invalid_blocks' });
    expect(await call('chat.postMessage', { channel: 'C1', blocks: [section(3000), section(3000), section(3000), section(3000), section(1)] })).toMatchObject({ ok: false, error: 'msg_blocks_too_long' });
    expect(await call('chat.postMessage', { channel: 'C1', blocks: [button('b'.repeat(76))] })).toMatchObject({ ok: false, error: 'invalid_blocks' });
    expect(await call('chat.postMessage', { channel: 'C1', blocks: [button('ok', 'v'.repeat(2001))] })).toMatchObject({ ok: false, error: 'invalid_blocks' });
    const modal = (title: string, blocks = 1) => ({ type: 'modal', title: { type: 'plain_text', text: title }, blocks: Array.from({ length: blocks }, () => section(1)) });
    expect(await call('views.open', { trigger_id: 't', view: modal('t'.repeat(25)) })).toMatchObject({ ok: false, error: 'invalid_arguments' });
    expect(await call('views.open', { trigger_id: 't', view: modal('ok', 101) })).toMatchObject({ ok: false, error: 'invalid_arguments' });
    expect(await call('chat.postMessage', { channel: 'C1', blocks: [section(3000), button('ok')] })).toMatchObject({ ok: true });
    // A response_url refuses the same way, and the refused message is not shown.
    const res = await fetch(h.fake.responseUrl('r-limits'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ blocks: [section(3001)] }) });
    expect(await res.json()).toMatchObject({ ok: false, error: 'invalid_blocks' });
    expect(h.fake.responses.filter((r) => r.id === 'r-limits')).toHaveLength(0);
    expect(h.fake.refusals.map((r) => `${r.method} ${r.error}`)).toEqual([
      'chat.postMessage msg_too_long', 'chat.postMessage invalid_blocks', 'chat.postEphemeral invalid_blocks', 'chat.postMessage msg_blocks_too_long',
      'chat.postMessage invalid_blocks', 'chat.postMessage invalid_blocks', 'views.open invalid_arguments', 'views.open invalid_arguments', 'response_url invalid_blocks',
    ]);
    expect(h.fake.refusals[2].messages[0]).toContain('/blocks/0/text/text');
    h.fake.refusals.length = 0;
  });

  it('does not take a refused response_url post (HTTP 200, ok: false) as delivered: the answer comes another way', async () => {
    await run('UADA', '/contest', 'create "Hoodie" 1 2d');
    await deliverOutbox();
    const [enter] = buttonsOf(h.fake.callsTo('chat.postMessage')[0].args.blocks);
    h.fake.failing.set('response_url', 'invalid_blocks');
    const { req, rid } = click('UBOB', enter);
    expect((await post(h.url, req)).status).toBe(200);
    const eph = await h.fake.waitFor(() => h.fake.callsTo('chat.postEphemeral')[0]);
    expect(eph.args).toMatchObject({ channel: 'C1', user: 'UBOB' });
    expect(eph.args.text).toContain("You're in giveaway #1");
    expect(h.fake.responses.filter((r) => r.id === rid)).toHaveLength(0);
  });

  it('acks a slash command at once when its answer is not ready in time, and answers through the response_url', async () => {
    await h.restart({ adapter: { answerInAckMs: 20 } });
    const handle = h.engine.handle.bind(h.engine);
    const slow = vi.spyOn(h.engine, 'handle').mockImplementation(async (i) => { await new Promise((r) => setTimeout(r, 150)); return handle(i); });
    const { req, rid } = slash('UBOB', '/points', '');
    const res = await post(h.url, req);
    expect([res.status, res.text]).toEqual([200, '']);
    const answer = await answerAt(rid);
    expect(answer.response_type).toBe('ephemeral');
    expect(answer.text).toContain('You have *0 points* to spend');
    slow.mockRestore();
  });
});

describe('activity points', () => {
  let activity: MockInstance<Engine['activity']>;
  const events = () => activity.mock.calls.map((c) => c[0]);

  beforeEach(() => {
    activity = vi.spyOn(h.engine, 'activity');
    h.fake.addUser({ id: 'UAPP', name: 'otherapp', displayName: 'Other app', bot: true });
  });

  /** Posts a signed Events API callback and waits until the adapter has handed on what it will. */
  async function deliverEvent(event: Record<string, unknown>, expected: number) {
    const res = await h.event(event, { eventTime: 1700000000 });
    expect(res.status).toBe(200);
    await vi.waitFor(() => expect(activity).toHaveBeenCalledTimes(expected));
  }

  const message = (user: string, text: string, extra: Record<string, unknown> = {}) =>
    ({ type: 'message', channel: 'C1', channel_type: 'channel', user, text, ts: `1700000${h.next()}.000100`, event_ts: '1', ...extra });

  it('a member\'s message in a channel (or a thread reply) is a message event with its visible length', async () => {
    const m = message('UBOB', 'Hi <@UADA> see <https://example.com|the docs> &amp; 👍🏽');
    await deliverEvent(m, 1);
    const reply = message('UCAROL', 'agreed', { channel: 'G7', channel_type: 'group', thread_ts: '1700000000.000001' });
    await deliverEvent(reply, 2);
    expect(events()).toEqual([
      {
        platform: 'slack', communityKey: TEAM, address: { kind: 'channel', channelId: 'C1' }, kind: 'message', eventId: `C1:${m.ts}`,
        actor: { platform: 'slack', userId: 'UBOB', displayName: 'Bob', username: 'bob', locale: 'en-US' },
        // "Hi", mention, "see", "the docs", "&", thumbs up, with single spaces
        length: 21,
      },
      expect.objectContaining({ kind: 'message', eventId: `G7:${reply.ts}`, address: { kind: 'channel', channelId: 'G7', threadId: '1700000000.000001' }, length: 6 }),
    ]);
    expect(events()[1].actor).toMatchObject({ userId: 'UCAROL', platformRole: 'admin' });
  });

  it('a reaction to a message is a reaction event per message, person and emoji', async () => {
    await deliverEvent({ type: 'reaction_added', user: 'UBOB', reaction: 'tada', item: { type: 'message', channel: 'C1', ts: '1700000000.000500' }, item_user: 'UADA', event_ts: '1700000001.000100' }, 1);
    expect(events()).toEqual([{
      platform: 'slack', communityKey: TEAM, address: { kind: 'channel', channelId: 'C1' }, kind: 'reaction', eventId: 'C1:1700000000.000500:UBOB:tada',
      actor: { platform: 'slack', userId: 'UBOB', displayName: 'Bob', username: 'bob', locale: 'en-US' },
    }]);
  });

  it('bots, apps, edits, DMs and reactions on files earn nothing', async () => {
    const skipped = [
      message('UBOB', 'from an app', { bot_id: 'B9', subtype: 'bot_message' }),
      message('UAPP', 'an app posting as its bot user'),
      message('UBOB', 'edited', { subtype: 'message_changed' }),
      message('UBOB', 'joined', { subtype: 'channel_join' }),
      message('UBOB', 'in private', { channel: 'DBOB', channel_type: 'im' }),
      message('UBOB', 'group DM', { channel: 'G9', channel_type: 'mpim' }),
      { type: 'reaction_added', user: 'UAPP', reaction: 'tada', item: { type: 'message', channel: 'C1', ts: '1.1' }, event_ts: '2' },
      { type: 'reaction_added', user: 'UBOB', reaction: 'tada', item: { type: 'file', file: 'F1' }, event_ts: '3' },
      { type: 'reaction_added', user: 'UBOB', reaction: 'tada', item: { type: 'message', channel: 'DBOB', ts: '1.1' }, event_ts: '4' },
    ];
    for (const e of skipped) expect((await h.event(e, { eventTime: 1700000000 })).status).toBe(200);
    // A member's message after them all: once it has arrived, the ones before were not handed on.
    await deliverEvent(message('UBOB', 'ok'), 1);
    expect(events().map((e) => e.eventId)).toEqual([expect.stringMatching(/^C1:/)]);
  });
});
