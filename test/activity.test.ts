import { afterEach, describe, expect, it, vi } from 'vitest';
import { testBot, DAY, HOUR, MIN, type TestBot } from './helpers.js';
import type { ActivityEvent } from '../src/core/types.js';
import { ActivityBuffer } from '../src/infra/activity-buffer.js';
import { gateOf } from '../src/db/fast.js';

let bot: TestBot;
afterEach(async () => { await bot?.close(); });

/** An activity event in the test community (console, channel "general"), as an adapter would hand it over. */
const ev = (user: string, eventId: string, extra: Partial<ActivityEvent> = {}): ActivityEvent => ({
  platform: 'console', communityKey: 'test', address: { kind: 'channel', channelId: 'general' },
  actor: { platform: 'console', userId: user, displayName: user, username: user },
  kind: 'message', eventId, length: 20, ...extra,
});

/** A bot whose activity buffer only commits on flush (or when 100 wait), with fixed message points. */
async function start(settings = 'points_min:2 points_max:2') {
  bot = await testBot({ activityBuffer: { maxMs: 3_600_000 } });
  await bot.run('admin', `/activity settings ${settings}`, { role: 'admin' });
  return bot;
}

const feed = async (...events: ActivityEvent[]) => { for (const e of events) await bot.engine.activity(e); await bot.engine.flush(); };
const balance = async (user: string) => (await bot.memberOf(user).catch(() => ({ balance: 0 }))).balance;
const rows = (kind = 'activity') => bot.db.prisma.ledgerEntry.findMany({ where: { kind }, orderBy: { id: 'asc' } });

describe('activity points', () => {
  it('/activity settings shows the defaults and changes them', async () => {
    bot = await testBot();
    const shown = await bot.run('admin', '/activity settings', { role: 'admin' });
    expect(shown.text).toContain('1–3 points each, at least 5 characters');
    expect(shown.text).toContain('Daily cap: 100 points');
    expect(shown.text).toContain('+5 points on each day that extends a streak of 3 days');
    const changed = await bot.run('admin', '/activity settings cooldown:30 reaction_points:1 channel:<#memes> factor:0', { role: 'admin' });
    expect(changed.text).toContain('every 30 seconds');
    expect(changed.text).toContain('Reactions: 1 points each');
    expect(changed.text).toContain('Channels that earn nothing: #memes');
    const ko = await bot.run('admin', '/activity settings', { role: 'admin', actor: { platform: 'console', userId: 'admin', displayName: 'admin', locale: 'ko', platformRole: 'admin' } });
    expect(ko.text).toContain('참여 포인트');
    expect((await bot.run('admin', '/activity settings points_min:5 points_max:2', { role: 'admin' })).error?.code).toBe('activity:error.range');
    expect((await bot.run('bob', '/activity settings cooldown:0')).error?.code).toMatch(/^errors:precondition/);
  });

  it('a message pays within the range, once per cooldown', async () => {
    await start('points_min:1 points_max:3');
    await feed(ev('bob', 'm1'));
    const first = await balance('bob');
    expect(first).toBeGreaterThanOrEqual(1);
    expect(first).toBeLessThanOrEqual(3);
    bot.clock.advance(10_000);
    await feed(ev('bob', 'm2'));
    expect(await balance('bob')).toBe(first);
    bot.clock.advance(60_000);
    await feed(ev('bob', 'm3'));
    expect(await balance('bob')).toBeGreaterThan(first);
    expect((await rows()).map((r) => r.idempotencyKey)).toEqual(['activity:console:m1', 'activity:console:m3']);
  });

  it('messages shorter than the minimum length pay nothing', async () => {
    await start();
    await feed(ev('bob', 'm1', { length: 4 }));
    expect(await rows()).toEqual([]);
    await feed(ev('bob', 'm2', { length: 5 }));
    expect(await balance('bob')).toBe(2);
  });

  it('the daily cap stops earning until the next local day', async () => {
    await start('points_min:2 points_max:2 daily_cap:5 cooldown:0 streak_bonus:0');
    await bot.run('admin', '/settings timezone:Asia/Seoul', { role: 'admin' });
    await feed(ev('bob', 'a'), ev('bob', 'b'), ev('bob', 'c'), ev('bob', 'd'));
    expect((await rows()).map((r) => r.delta)).toEqual([2, 2, 1]);
    // 12:00 UTC is 21:00 in Seoul: the local day ends at 15:00 UTC.
    bot.clock.advance(3 * HOUR + MIN);
    await feed(ev('bob', 'e'));
    expect(await balance('bob')).toBe(7);
  });

  it('a no-earn channel pays nothing and a channel multiplier scales the award', async () => {
    await start('points_min:2 points_max:2 cooldown:0');
    await bot.run('admin', '/activity settings channel:memes factor:0', { role: 'admin' });
    await bot.run('admin', '/activity settings channel:art factor:1.5', { role: 'admin' });
    await feed(ev('bob', 'm1', { address: { kind: 'channel', channelId: 'memes' } }));
    expect(await rows()).toEqual([]);
    await feed(ev('bob', 'm2', { address: { kind: 'channel', channelId: 'art' } }));
    expect(await balance('bob')).toBe(3);
    // Factor 1 removes the rule.
    await bot.run('admin', '/activity settings channel:memes factor:1', { role: 'admin' });
    await feed(ev('bob', 'm3', { address: { kind: 'channel', channelId: 'memes' } }));
    expect(await balance('bob')).toBe(5);
    expect((await bot.run('admin', '/activity settings channel:art factor:lots', { role: 'admin' })).error?.code).toBe('activity:error.factor');
  });

  it('a bonus window multiplies what is earned while it lasts', async () => {
    await start('points_min:2 points_max:2 cooldown:0 streak_bonus:0');
    const r = await bot.run('admin', '/activity settings bonus_start:2026-11-25T11:00 bonus_end:2026-11-25T13:00 bonus_factor:3', { role: 'admin' });
    expect(r.text).toContain('Bonus ×3');
    await feed(ev('bob', 'm1'));
    expect(await balance('bob')).toBe(6);
    bot.clock.advance(2 * HOUR);
    await feed(ev('bob', 'm2'));
    expect(await balance('bob')).toBe(8);
  });

  it('reactions and voice earn only when switched on', async () => {
    await start('cooldown:0 streak_bonus:0');
    await feed(ev('bob', 'r1', { kind: 'reaction' }), ev('bob', 'v1', { kind: 'voice', minutes: 10 }));
    expect(await rows()).toEqual([]);
    await bot.run('admin', '/activity settings reaction_points:1 voice_points:2', { role: 'admin' });
    await feed(ev('bob', 'r2', { kind: 'reaction' }), ev('bob', 'v2', { kind: 'voice', minutes: 10 }));
    expect((await rows()).map((x) => x.delta)).toEqual([1, 20]);
  });

  it('a redelivered event id pays once, in the same group or a later one', async () => {
    await start('points_min:2 points_max:2 cooldown:0');
    await feed(ev('bob', 'm1'), ev('bob', 'm1'));
    bot.clock.advance(MIN);
    await feed(ev('bob', 'm1'));
    expect(await balance('bob')).toBe(2);
    expect(await rows()).toHaveLength(1);
  });

  it('a buffered group commits in one transaction, and a full buffer commits by itself', async () => {
    await start('points_min:1 points_max:1 cooldown:0');
    // On SQLite every transaction goes through the file's gate (src/db/sqlite-tx.ts).
    const spy = vi.spyOn(gateOf(bot.db.prisma)!, 'run');
    for (let i = 0; i < 40; i++) await bot.engine.activity(ev(`u${i}`, `m${i}`));
    expect(spy).not.toHaveBeenCalled();
    await bot.engine.flush();
    expect(spy).toHaveBeenCalledTimes(1);
    expect(await rows()).toHaveLength(40);
    spy.mockRestore();

    // 100 waiting events commit without a flush; the timer commits the rest.
    const b2 = new ActivityBuffer<number>(async (g) => { groups.push(g.length); }, { maxEvents: 3, maxMs: 20 });
    const groups: number[] = [];
    for (let i = 0; i < 7; i++) await b2.add(i);
    expect(groups).toEqual([3, 3]);
    await new Promise((r) => setTimeout(r, 60));
    expect(groups).toEqual([3, 3, 1]);
  });

  it('events that earn nothing write nothing (not even the community or member)', async () => {
    bot = await testBot({ activityBuffer: { maxMs: 3_600_000 } });
    await feed(
      ev('bob', 'short', { length: 2 }),
      ev('bob', 'dm', { address: { kind: 'dm', userId: 'bob' } }),
      ev('bob', 'reaction', { kind: 'reaction' }),
      ev('bob', 'voice', { kind: 'voice', minutes: 5 }),
    );
    const p = bot.db.prisma;
    expect([await p.community.count(), await p.member.count(), await p.ledgerEntry.count(), await p.activityState.count()]).toEqual([0, 0, 0, 0]);
    // Cooldown and cap refusals leave the state as it was.
    await feed(ev('bob', 'ok'));
    const before = await p.activityState.findMany();
    await feed(ev('bob', 'again'));
    expect(await p.activityState.findMany()).toEqual(before);
    expect(await p.ledgerEntry.count()).toBe(1);
  });

  it('/activity reverse takes a member\'s activity points of a range back once, as ledger rows', async () => {
    await start('points_min:2 points_max:2 cooldown:0 streak_bonus:0');
    await feed(ev('bob', 'm1'), ev('bob', 'm2'));
    bot.clock.advance(2 * HOUR);
    await feed(ev('bob', 'm3'), ev('carol', 'c1'));
    await bot.run('admin', '/give bob 10', { role: 'admin' });
    expect(await balance('bob')).toBe(16);
    expect((await bot.run('bob', '/activity reverse @bob 2026-11-25T11:00 2026-11-25T13:00')).error?.code).toMatch(/^errors:precondition/);
    const r = await bot.run('mod', '/activity reverse @bob 2026-11-25T11:00 2026-11-25T13:00', { role: 'moderator' });
    expect(r.text).toBe('Took back 2 activity awards (4 points) from bob.');
    const again = await bot.run('mod', '/activity reverse @bob 2026-11-25T00:00 2026-11-25T13:00', { role: 'moderator' });
    expect(again.text).toContain('no activity points');
    expect(await balance('bob')).toBe(12);
    expect(await balance('carol')).toBe(2);
    const undo = (await rows()).filter((x) => x.delta < 0);
    const paid = (await rows()).filter((x) => x.idempotencyKey === 'activity:console:m1' || x.idempotencyKey === 'activity:console:m2');
    expect(undo.map((x) => x.idempotencyKey).sort()).toEqual(paid.map((x) => `activity-reverse:${x.id}`).sort());
    const history = await bot.run('bob', '/history');
    expect(history.text).toContain(`Activity award #${paid[0].id} taken back`);
  });

  it('a streak of local days earns its bonus and shows in /points', async () => {
    await start('points_min:1 points_max:1 streak_bonus:5 streak_days:3');
    for (let d = 0; d < 4; d++) {
      await feed(ev('bob', `d${d}a`));
      bot.clock.advance(2 * MIN);
      await feed(ev('bob', `d${d}b`));
      bot.clock.advance(DAY - 2 * MIN);
    }
    // Two messages a day for four days, +5 on days three and four.
    expect(await balance('bob')).toBe(8 + 10);
    expect((await rows()).filter((r) => r.idempotencyKey.startsWith('activity-streak:'))).toHaveLength(2);
    bot.clock.advance(-DAY + HOUR);
    expect((await bot.run('bob', '/points')).text).toContain('Streak: 4 days in a row');
    // A day without activity ends it.
    bot.clock.advance(2 * DAY);
    expect((await bot.run('bob', '/points')).text).not.toContain('Streak');
    await feed(ev('bob', 'later'));
    expect((await bot.run('bob', '/points')).text).toContain('Streak: 1 day in a row');
  });
});

describe('activity state and /link', () => {
  it('a linked account brings its streak and today\'s points to the member it joins', async () => {
    bot = await testBot({ activityBuffer: { maxMs: 3_600_000 } });
    const d = { platform: 'discord' as const, communityKey: 'guild-1' };
    const t = { platform: 'telegram' as const, communityKey: '-100200' };
    const admin = (platform: 'discord' | 'telegram') => ({ actor: { platform, userId: '999', displayName: 'admin', platformRole: 'admin' as const } });
    const as = (platform: 'discord' | 'telegram', id: string) => ({ actor: { platform, userId: id, displayName: `${platform}-${id}` } });
    await bot.run('x', '/activity settings points_min:2 points_max:2 cooldown:1', { ...d, ...admin('discord') });
    const code = (await bot.run('x', '/community bind', { ...d, ...admin('discord') })).text.match(/\*\*(\w+)\*\*/)![1];
    await bot.run('x', `/community bind ${code}`, { ...t, ...admin('telegram') });
    const msg = (platform: 'discord' | 'telegram', user: string, id: string): ActivityEvent => ({
      platform, communityKey: platform === 'discord' ? 'guild-1' : '-100200', address: { kind: 'channel', channelId: 'c' },
      actor: { platform, userId: user, displayName: user }, kind: 'message', eventId: id, length: 20,
    });
    // The Telegram account is active three days in a row; the Discord member only today.
    for (let day = 0; day < 3; day++) {
      await feed(msg('telegram', '77', `t${day}`));
      bot.clock.advance(DAY);
    }
    bot.clock.advance(-DAY + HOUR);
    await feed(msg('discord', '111', 'd1'));
    const link = (await bot.run('x', '/link', { ...d, ...as('discord', '111') })).text.match(/\*\*(\w+)\*\*/)![1];
    await bot.run('x', `/link ${link}`, { ...t, ...as('telegram', '77') });
    const states = await bot.db.prisma.activityState.findMany();
    expect(states).toHaveLength(1);
    const target = await bot.memberOf('111', 'discord');
    expect(states[0]).toMatchObject({ memberId: target.id, streak: 3 });
    // Today's points of both accounts count against the one daily cap.
    expect(states[0].dayPoints).toBeGreaterThanOrEqual(4);
  });
});
