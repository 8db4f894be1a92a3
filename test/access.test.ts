import { describe, it, expect, afterEach } from 'vitest';
import { testBot, drain, type TestBot, MIN, HOUR } from './helpers.js';
import { Engine } from '../src/engine.js';
import { allCommands } from '../commands/index.js';
import type { AccessOutcome, AccessTask } from '../src/core/types.js';
import { PG_ADMIN_URL, slackCmd as cmd, twoInstances } from './pg.js';

let bot: TestBot;
afterEach(async () => bot?.close());
const admin = { role: 'admin' as const };
const mod = { role: 'moderator' as const };
const ROLE = '555555555555555555';

const grants = () => bot.db.prisma.accessGrant.findMany({ orderBy: { id: 'asc' } });
const events = () => bot.db.prisma.accessEvent.findMany({ orderBy: { id: 'asc' } });

/** A community where Silver gives a Discord role and `users` reached Silver: one pending grant each. */
async function silverMembers(users: string[]) {
  bot = await testBot({ platform: 'discord' });
  await bot.run('boss', `/tier edit Silver discord_role:${ROLE}`, admin);
  for (const u of users) {
    await bot.run(u, '/points');
    await bot.run('mod', `/give @${u} 500`, mod);
  }
}

/** An applier that answers `outcome` and records what it was asked. */
function applier(outcome: AccessOutcome | ((t: AccessTask) => AccessOutcome)) {
  const tasks: AccessTask[] = [];
  const apply = async (t: AccessTask) => { tasks.push(t); return typeof outcome === 'function' ? outcome(t) : outcome; };
  return { tasks, apply };
}

describe('deliverAccess', () => {
  it('claims a pending grant, applies it once and records it; a removal after /take is applied too', async () => {
    await silverMembers(['bob']);
    const { tasks, apply } = applier({ ok: true });
    expect(await bot.engine.deliverAccess('discord', apply)).toBe(1);
    expect(await bot.engine.deliverAccess('discord', apply)).toBe(0);
    expect(await bot.engine.deliverAccess('telegram', apply)).toBe(0);
    expect(tasks).toMatchObject([{ platform: 'discord', platformUserId: 'bob', space: 'test', kind: 'discord.role', target: ROLE, action: 'grant' }]);
    expect(await grants()).toMatchObject([{ state: 'done', wanted: true, lockedBy: null, lockedUntil: null }]);
    expect(await events()).toMatchObject([{ action: 'grant', outcome: 'done', target: ROLE }]);
    await bot.run('mod', '/take @bob 100', mod);
    expect(await bot.engine.deliverAccess('discord', apply)).toBe(1);
    expect(tasks.at(-1)).toMatchObject({ action: 'remove' });
    expect((await events()).map((e) => `${e.action}:${e.outcome}`)).toEqual(['grant:done', 'remove:done']);
  });

  it('a removal of a grant never carried out is simply done, without asking the platform', async () => {
    await silverMembers(['bob']);
    await bot.run('mod', '/take @bob 100', mod);
    const { tasks, apply } = applier({ ok: true });
    expect(await bot.engine.deliverAccess('discord', apply)).toBe(0);
    expect(tasks).toEqual([]);
    expect(await grants()).toMatchObject([{ wanted: false, state: 'done' }]);
    expect(await events()).toEqual([]);
  });

  it('retries a passing failure with backoff doubling from 30 s, then once a day without ever giving up', async () => {
    await silverMembers(['bob']);
    let answer: AccessOutcome = { ok: false, reason: 'retry', detail: '503' };
    const { tasks, apply } = applier(() => answer);
    expect(await bot.engine.deliverAccess('discord', apply)).toBe(1);
    expect(await grants()).toMatchObject([{ state: 'pending', attempts: 1, lastError: '503', nextAttemptAt: new Date(bot.clock.t + 30_000) }]);
    expect(await bot.engine.deliverAccess('discord', apply)).toBe(0);
    bot.clock.advance(30_000);
    expect(await bot.engine.deliverAccess('discord', apply)).toBe(1);
    expect(await grants()).toMatchObject([{ attempts: 2, nextAttemptAt: new Date(bot.clock.t + 60_000) }]);
    let last = 0;
    for (let i = 0; i < 10; i++) { bot.clock.advance(HOUR); if (await bot.engine.deliverAccess('discord', apply)) last = bot.clock.t; }
    // Eight quick attempts, then the row waits a day (still pending: nothing is given up on).
    expect(tasks).toHaveLength(8);
    expect(await grants()).toMatchObject([{ state: 'pending', attempts: 8, nextAttemptAt: new Date(last + 24 * HOUR) }]);
    expect((await events()).map((e) => e.outcome)).toEqual([...Array(7).fill('retry'), 'failed']);
    expect((await events()).at(-1)!.detail).toBe('503');
    bot.clock.advance(24 * HOUR);
    answer = { ok: true };
    expect(await bot.engine.deliverAccess('discord', apply)).toBe(1);
    expect(await grants()).toMatchObject([{ state: 'done', wanted: true }]);
    expect((await events()).at(-1)).toMatchObject({ action: 'grant', outcome: 'done' });
  });

  it('a missing permission is reported to the admins and moderators once a day, retried with a backoff from 1 h to 24 h, and gone accounts are done', async () => {
    await silverMembers(['ann', 'ben', 'cat']);
    await bot.run('root', '/role @boss admin', admin);
    await bot.run('root', '/role @mod moderator', admin);
    await drain(bot, 'discord');
    let fixed = false;
    const { tasks, apply } = applier((t) => (fixed ? { ok: true } : t.platformUserId === 'cat'
      ? { ok: false, reason: 'gone', detail: 'Unknown Member' }
      : { ok: false, reason: 'noPermission', detail: 'Missing Permissions' }));
    expect(await bot.engine.deliverAccess('discord', apply)).toBe(3);
    expect(await grants()).toMatchObject([
      { state: 'pending', attempts: 1, nextAttemptAt: new Date(bot.clock.t + HOUR) },
      { state: 'pending', attempts: 1, nextAttemptAt: new Date(bot.clock.t + HOUR) },
      { state: 'done' },
    ]);
    expect((await events()).map((e) => e.outcome)).toEqual(['noPermission', 'reported', 'noPermission', 'gone']);
    const sent = await drain(bot, 'discord');
    expect(sent.map((m) => m.to).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))).toEqual([{ kind: 'dm', userId: 'boss' }, { kind: 'dm', userId: 'mod' }]);
    expect(sent[0].reply.text).toBe([
      `⚠️ In discord test I could not change the Discord role ${ROLE} of tier Silver for a member: I lack the permission.`,
      'Give my role "Manage Roles" and move it above that role in Server Settings → Roles; I try again by myself (at least once a day), and at once when you edit the tier.',
      'The platform said: Missing Permissions',
    ].join('\n'));
    // Tried again by itself: after 1 h, then 2 h, 4 h, ... at most a day apart; reported again only a day later.
    bot.clock.advance(HOUR);
    expect(await bot.engine.deliverAccess('discord', apply)).toBe(2);
    expect(await grants()).toMatchObject([{ attempts: 2, nextAttemptAt: new Date(bot.clock.t + 2 * HOUR) }, { attempts: 2 }, { state: 'done' }]);
    expect(await drain(bot, 'discord')).toEqual([]);
    for (let i = 0; i < 8; i++) { bot.clock.advance(24 * HOUR); await bot.engine.deliverAccess('discord', apply); }
    expect((await grants())[0]).toMatchObject({ state: 'pending', nextAttemptAt: new Date(bot.clock.t + 24 * HOUR) });
    expect((await events()).filter((e) => e.outcome === 'reported')).toHaveLength(1 + 8);
    // Editing the tier tries the refused grants again at once.
    await bot.run('boss', '/tier edit Silver points:400', admin);
    expect(await grants()).toMatchObject([{ state: 'pending', attempts: 0, nextAttemptAt: new Date(bot.clock.t) }, { state: 'pending', attempts: 0 }, { state: 'done' }]);
    fixed = true;
    const before = tasks.length;
    expect(await bot.engine.deliverAccess('discord', apply)).toBe(2);
    expect(tasks.length - before).toBe(2);
    expect((await grants()).map((g) => g.state)).toEqual(['done', 'done', 'done']);
  });

  it('a role given before /link is taken away from the member the account joined', async () => {
    await silverMembers(['bob']);
    const { tasks, apply } = applier({ ok: true });
    expect(await bot.engine.deliverAccess('discord', apply)).toBe(1);
    // A Telegram chat joins the community; its member (0 points) makes a link code that bob's Discord account redeems.
    const code = (await bot.run('boss', '/community bind', admin)).text.match(/\*\*(\w+)\*\*/)![1];
    const tg = { platform: 'telegram' as const, communityKey: '-100200' };
    await bot.run('x', `/community bind ${code}`, { ...tg, actor: { platform: 'telegram', userId: '5', displayName: 'tg-admin', platformRole: 'admin' } });
    const yan = { ...tg, actor: { platform: 'telegram' as const, userId: '77', displayName: 'yan' } };
    const link = (await bot.run('x', '/link', yan)).text.match(/\*\*(\w+)\*\*/)![1];
    expect((await bot.run('bob', `/link ${link}`)).error).toBeUndefined();
    const merged = await bot.memberOf('bob');
    expect(merged.id).toBe((await bot.memberOf('77', 'telegram')).id);
    expect(await grants()).toMatchObject([{ memberId: merged.id, wanted: true, state: 'done' }]);
    // The merged member drops below Silver: the role bob's account got is taken away.
    await bot.run('mod', '/take @bob 100', mod);
    expect(await bot.engine.deliverAccess('discord', apply)).toBe(1);
    expect(tasks.at(-1)).toMatchObject({ platformUserId: 'bob', target: ROLE, action: 'remove' });
    expect((await events()).map((e) => `${e.memberId === merged.id}:${e.action}:${e.outcome}`)).toEqual(['true:grant:done', 'true:remove:done']);
  });

  it('a second instance never applies a claimed grant again', async () => {
    await silverMembers(['ann', 'ben']);
    const other = new Engine(bot.db, { commands: allCommands, now: bot.clock.now, onError: (e) => { throw e; } });
    let release!: () => void;
    const gate = new Promise<void>((r) => { release = r; });
    const tasks: AccessTask[] = [];
    const slow = async (t: AccessTask): Promise<AccessOutcome> => { tasks.push(t); await gate; return { ok: true }; };
    const first = bot.engine.deliverAccess('discord', slow);
    const second = other.deliverAccess('discord', slow);
    await new Promise((r) => setTimeout(r, 50));
    release();
    expect((await first) + (await second)).toBe(2);
    expect(tasks.map((t) => t.platformUserId).sort()).toEqual(['ann', 'ben']);
    // Even once the lock has run out, a done row is never claimed again.
    bot.clock.advance(2 * MIN);
    expect(await other.deliverAccess('discord', slow)).toBe(0);
  });

  it('a Telegram invite link goes to the member by direct message', async () => {
    bot = await testBot({ platform: 'telegram' });
    await bot.run('boss', '/tier edit Silver telegram_chat:-100123456', admin);
    await bot.run('bob', '/points');
    await bot.run('mod', '/give @bob 500', mod);
    await drain(bot, 'telegram');
    const { tasks, apply } = applier({ ok: true, inviteLink: 'https://t.me/+abc' });
    expect(await bot.engine.deliverAccess('telegram', apply)).toBe(1);
    expect(tasks).toMatchObject([{ kind: 'telegram.chat', target: '-100123456', space: '', platformUserId: 'bob' }]);
    expect(await drain(bot, 'telegram')).toEqual([{ to: { kind: 'dm', userId: 'bob' }, reply: { text: '🔑 You reached Silver in telegram test! Join the private chat with this one-time link: https://t.me/+abc' } }]);
  });
});

describe.skipIf(!PG_ADMIN_URL)('deliverAccess on PostgreSQL, two instances', () => {
  it('plans a Slack user group once and the two instances apply each grant once', async () => {
    const two = await twoInstances('access');
    try {
      const { e1, e2, a } = two;
      expect((await e1.handle(cmd('UADMIN', '/tier edit Silver slack_usergroup:<!subteam^S0123|@silver> slack_channel:G0456'))).error).toBeUndefined();
      for (const u of ['UANN', 'UBEN', 'UCAT']) await e1.handle(cmd(u, '/points'));
      await Promise.all(['UANN', 'UBEN', 'UCAT'].map((u, i) => (i % 2 ? e1 : e2).handle(cmd('UADMIN', `/give <@${u}> 600`))));
      await e2.handle(cmd('UADMIN', '/give <@UANN> 10'));
      const rows = await a.prisma.accessGrant.findMany();
      expect(rows).toHaveLength(6);
      expect(rows.every((r) => r.wanted && r.space === 'T1')).toBe(true);
      const tasks: AccessTask[] = [];
      const apply = async (t: AccessTask): Promise<AccessOutcome> => { tasks.push(t); await new Promise((r) => setTimeout(r, 5)); return { ok: true }; };
      const [n1, n2] = await Promise.all([e1.deliverAccess('slack', apply), e2.deliverAccess('slack', apply)]);
      expect(n1 + n2).toBe(6);
      expect(new Set(tasks.map((t) => t.id)).size).toBe(6);
      expect(tasks.map((t) => t.kind).sort()).toEqual([...Array(3).fill('slack.channel'), ...Array(3).fill('slack.usergroup')]);
      expect(await a.prisma.accessEvent.count()).toBe(6);
    } finally {
      await two.close();
    }
  });

  it('reports a missing permission once per target however many instances settle refusals at once', async () => {
    const two = await twoInstances('accessreport');
    try {
      const { e1, e2, a } = two;
      expect((await e1.handle(cmd('UADMIN', '/tier edit Silver slack_usergroup:<!subteam^S0123|@silver> slack_channel:G0456'))).error).toBeUndefined();
      const users = ['UANN', 'UBEN', 'UCAT', 'UDAN'];
      for (const u of users) await e1.handle(cmd(u, '/points'));
      for (const u of users) await e1.handle(cmd('UADMIN', `/give <@${u}> 600`));
      const refuse = async (): Promise<AccessOutcome> => { await new Promise((r) => setTimeout(r, 2)); return { ok: false, reason: 'noPermission', detail: 'missing_scope' }; };
      const [n1, n2] = await Promise.all([e1.deliverAccess('slack', refuse), e2.deliverAccess('slack', refuse)]);
      expect(n1 + n2).toBe(8);
      const reported = await a.prisma.accessEvent.findMany({ where: { outcome: 'reported' } });
      expect(reported.map((e) => e.kind).sort()).toEqual(['slack.channel', 'slack.usergroup']);
      expect(await a.prisma.accessEvent.count({ where: { outcome: 'noPermission' } })).toBe(8);
    } finally {
      await two.close();
    }
  });
});
