import { describe, it, expect, afterEach, beforeEach, vi } from 'vitest';
import { testBot, type TestBot, DAY, HOUR } from './helpers.js';
import type { PresenceEvent } from '../src/core/types.js';
import { onJoined, onLeft } from '../src/features/referrals/service.js';
import { PG_ADMIN_URL, twoInstances } from './pg.js';

// The referral rules are their own feature (test/referrals*.test.ts): here only what presence tells them.
vi.mock('../src/features/referrals/service.js', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../src/features/referrals/service.js')>()),
  onJoined: vi.fn(async () => null),
  onLeft: vi.fn(async () => null),
}));

let bot: TestBot;
afterEach(async () => bot?.close());
beforeEach(async () => {
  vi.mocked(onJoined).mockClear();
  vi.mocked(onLeft).mockClear();
});

const OLD_ACCOUNT = new Date('2020-01-01T00:00:00Z');
const T0 = new Date('2026-11-25T12:00:00Z');
const at = (hours: number) => new Date(T0.getTime() + hours * HOUR);

function presence(user: string, kind: 'join' | 'leave', when: Date, extra: Partial<PresenceEvent> = {}) {
  return bot.engine.presence({
    platform: 'discord', communityKey: 'test', kind, at: when,
    actor: { platform: 'discord', userId: user, displayName: user, username: user },
    ...(kind === 'join' ? { accountCreatedAt: OLD_ACCOUNT } : {}),
    ...extra,
  });
}
const join = (user: string, when: Date, invitedBy?: string, extra: Partial<PresenceEvent> = {}) =>
  presence(user, 'join', when, { ...(invitedBy ? { invite: { code: `code-${invitedBy}`, inviterUserId: invitedBy } } : {}), ...extra });
const leave = (user: string, when: Date) => presence(user, 'leave', when);
const row = (user: string) => bot.db.prisma.presence.findFirstOrThrow({ where: { platform: 'discord', platformUserId: user } });
const idOf = async (user: string) => (await bot.memberOf(user)).id;

describe('presence', () => {
  beforeEach(async () => { bot = await testBot({ platform: 'discord' }); });

  it('records joins, leaves and rejoins; the member is created on first contact', async () => {
    await join('bob', at(0));
    const bob = await idOf('bob');
    expect(await row('bob')).toMatchObject({ firstSeenAt: at(0), accountCreatedAt: OLD_ACCOUNT, joinedAt: at(0), leftAt: null, joins: 1, inviterId: null, fake: false });
    await leave('bob', at(2));
    expect(await row('bob')).toMatchObject({ joinedAt: at(0), leftAt: at(2), joins: 1 });
    await join('bob', at(5));
    expect(await row('bob')).toMatchObject({ firstSeenAt: at(0), joinedAt: at(5), leftAt: null, joins: 2 });
    expect(vi.mocked(onJoined).mock.calls.map((c) => c[1])).toEqual([
      { communityId: expect.any(String), memberId: bob, inviterId: null, accountCreatedAt: OLD_ACCOUNT },
      { communityId: expect.any(String), memberId: bob, inviterId: null, accountCreatedAt: OLD_ACCOUNT },
    ]);
    expect(vi.mocked(onLeft).mock.calls.map((c) => c[1].memberId)).toEqual([bob]);
  });

  it('a leave seen before any join is recorded; without a platform account age the first sighting stands in', async () => {
    await leave('zed', at(1));
    expect(await row('zed')).toMatchObject({ firstSeenAt: at(1), joinedAt: null, leftAt: at(1), joins: 0 });
    await presence('tg', 'join', at(2), { accountCreatedAt: undefined });
    expect(await row('tg')).toMatchObject({ firstSeenAt: at(2), accountCreatedAt: null, joins: 1 });
    expect(vi.mocked(onJoined).mock.calls[0][1].accountCreatedAt).toEqual(at(2));
  });

  it('a redelivered or out-of-date join or leave changes nothing', async () => {
    await join('bob', at(1));
    await join('bob', at(1)); // the same join again
    await join('bob', at(0)); // an older one, late
    expect(await row('bob')).toMatchObject({ joinedAt: at(1), joins: 1 });
    await leave('bob', at(3));
    await leave('bob', at(3));
    await leave('bob', at(4)); // a leave seen again later, with no join in between
    await leave('bob', at(0)); // a leave from before the join
    await join('bob', at(2)); // a join from before the leave
    expect(await row('bob')).toMatchObject({ joinedAt: at(1), leftAt: at(3), joins: 1 });
    expect(onJoined).toHaveBeenCalledTimes(1);
    expect(onLeft).toHaveBeenCalledTimes(1);
    await Promise.all([join('bob', at(6)), join('bob', at(6))]);
    expect(await row('bob')).toMatchObject({ joinedAt: at(6), leftAt: null, joins: 2 });
    expect(onJoined).toHaveBeenCalledTimes(2);
  });

  it('credits the member who made the invite; an unknown inviter is not created, a self-invite is refused', async () => {
    await bot.run('alice', '/points');
    const alice = await idOf('alice');
    await join('dave', at(1), 'alice');
    expect(await row('dave')).toMatchObject({ inviterId: alice, inviteCode: 'code-alice', fake: false });
    expect(vi.mocked(onJoined).mock.calls[0][1]).toMatchObject({ memberId: await idOf('dave'), inviterId: alice });

    await join('erin', at(1), 'stranger');
    expect(await row('erin')).toMatchObject({ inviterId: null, inviteCode: null });
    expect(await bot.db.prisma.identity.count({ where: { platformUserId: 'stranger' } })).toBe(0);

    await join('alice', at(2), 'alice');
    expect(await row('alice')).toMatchObject({ inviterId: null, joins: 1 });
    expect(vi.mocked(onJoined).mock.calls.map((c) => c[1].inviterId)).toEqual([alice, null, null]);

    // A rejoin through nobody's known invite keeps the credit; one through another member's moves it.
    await leave('dave', at(3));
    await join('dave', at(4));
    expect(await row('dave')).toMatchObject({ inviterId: alice, leftAt: null, joins: 2 });
    await bot.run('carol', '/points');
    await leave('dave', at(5));
    await join('dave', at(6), 'carol');
    expect(await row('dave')).toMatchObject({ inviterId: await idOf('carol'), inviteCode: 'code-carol', joins: 3 });
  });

  it('marks a join through an invite fake when the account is younger than the community\'s minimum age', async () => {
    await bot.run('alice', '/points');
    await join('fresh', at(10), 'alice', { accountCreatedAt: new Date(at(10).getTime() - 2 * DAY) });
    expect(await row('fresh')).toMatchObject({ fake: true });
    await join('week', at(10), 'alice', { accountCreatedAt: new Date(at(10).getTime() - 7 * DAY) });
    expect(await row('week')).toMatchObject({ fake: false });
    await bot.db.prisma.community.updateMany({ data: { referralRules: JSON.stringify({ minAccountAgeDays: 1 }) } });
    await join('young', at(10), 'alice', { accountCreatedAt: new Date(at(10).getTime() - 2 * DAY) });
    expect(await row('young')).toMatchObject({ fake: false });
  });
});

describe('/invites show', () => {
  beforeEach(async () => { bot = await testBot({ platform: 'discord' }); });

  it('shows what a member\'s invites brought in: joined, still here, left and fake', async () => {
    await bot.run('alice', '/points');
    expect((await bot.run('alice', '/invites show')).text).toBe('📨 No one has joined with your invites yet. Create an invite link in the Discord server and share it: everyone who joins through it counts for you.');
    await join('dave', at(1), 'alice');
    await join('fresh', at(1), 'alice', { accountCreatedAt: at(0) });
    await join('frank', at(1), 'alice');
    await leave('dave', at(2));
    const mine = await bot.run('alice', '/invites show');
    expect(mine).toMatchObject({ ephemeral: true });
    expect(mine.text).toBe('📨 **Your invites**\nJoined with them: 3 · still here: 1 · left: 1 · fake (accounts too new): 1');
    expect((await bot.run('bob', '/invites show @alice')).text).toBe('📨 **Invites of alice**\nJoined with them: 3 · still here: 1 · left: 1 · fake (accounts too new): 1');
    expect((await bot.run('alice', '/invites show @bob')).text).toBe('📨 No one has joined with bob\'s invites yet.');
    expect((await bot.run('minji', '/invites show @alice', { actor: { platform: 'discord', userId: 'minji', displayName: 'minji', locale: 'ko' } })).text)
      .toBe('📨 **alice 님의 초대 현황**\n초대로 들어온 멤버: 3명 · 남아 있는 멤버: 1명 · 나간 멤버: 1명 · 가짜(새로 만든 계정): 1명');
    expect((await bot.run('alice', '/invites show @nobody')).error).toBeDefined();
  });

  it('/invites top ranks members by real invites still here; ties share a rank', async () => {
    expect((await bot.run('alice', '/invites top')).text).toBe('📨 No invites counted yet.');
    for (const u of ['alice', 'bob', 'carol']) await bot.run(u, '/points');
    for (const u of ['a1', 'a2', 'a3']) await join(u, at(1), 'alice');
    await leave('a3', at(2)); // left: not counted
    await join('a4', at(1), 'alice', { accountCreatedAt: at(0) }); // fake: not counted
    for (const u of ['c1', 'c2']) await join(u, at(1), 'carol');
    await join('b1', at(1), 'bob');
    expect((await bot.run('bob', '/invites top')).text).toBe([
      '📨 **Invite leaderboard** (members still here; fake invites not counted)',
      '🥇 alice: 2 invites',
      '🥇 carol: 2 invites',
      '🥉 bob: 1 invite',
    ].join('\n'));
    expect((await bot.run('bob', '/invites top 1')).text.split('\n')).toHaveLength(2);
    expect((await bot.run('bob', '/invites top', { actor: { platform: 'discord', userId: 'bob', displayName: 'bob', locale: 'ja' } })).text.split('\n')[3]).toBe('🥉 bob：1人');
  });
});

describe.skipIf(!PG_ADMIN_URL)('presence on two instances (PostgreSQL)', () => {
  it('the same join or leave delivered to both at once applies once; /invites counts the same', async () => {
    const two = await twoInstances('presence');
    try {
      const event = (user: string, kind: 'join' | 'leave', when: Date, invitedBy?: string): PresenceEvent => ({
        platform: 'discord', communityKey: 'G1', kind, at: when, accountCreatedAt: kind === 'join' ? OLD_ACCOUNT : undefined,
        actor: { platform: 'discord', userId: user, displayName: user, username: user },
        ...(invitedBy ? { invite: { code: `code-${invitedBy}`, inviterUserId: invitedBy } } : {}),
      });
      await two.e1.presence(event('alice', 'join', at(0)));
      for (let round = 1; round <= 10; round++) {
        const u = `u${round}`;
        await Promise.all([two.e1.presence(event(u, 'join', at(round), 'alice')), two.e2.presence(event(u, 'join', at(round), 'alice'))]);
        if (round % 2) await Promise.all([two.e2.presence(event(u, 'leave', at(round + 1))), two.e1.presence(event(u, 'leave', at(round + 1)))]);
      }
      const rows = await two.a.prisma.presence.findMany({ where: { platformUserId: { startsWith: 'u' } } });
      expect(rows).toHaveLength(10);
      expect(rows.every((r) => r.joins === 1 && r.inviterId)).toBe(true);
      expect(onJoined).toHaveBeenCalledTimes(11);
      expect(onLeft).toHaveBeenCalledTimes(5);
      const reply = await two.e2.handle({
        platform: 'discord', communityKey: 'G1', actor: { platform: 'discord', userId: 'alice', displayName: 'alice' }, command: 'invites show', args: '',
      });
      expect(reply.text).toBe('📨 **Your invites**\nJoined with them: 10 · still here: 5 · left: 5 · fake (accounts too new): 0');
      const top = await two.e1.handle({
        platform: 'discord', communityKey: 'G1', actor: { platform: 'discord', userId: 'bob', displayName: 'bob' }, command: 'invites top', args: '',
      });
      expect(top.text.split('\n')[1]).toBe('🥇 alice: 5 invites');
    } finally {
      await two.close();
    }
  });
});
