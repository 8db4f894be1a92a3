import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { MIN } from './helpers.js';
import { PG_ADMIN_URL, slackCmd as cmd, twoInstances, type TwoInstances } from './pg.js';
import { ledgerViolations } from './invariants.js';
import type { ActivityEvent } from '../src/core/types.js';

/**
 * Activity points on PostgreSQL with two instances fed the same events (as when two processes receive
 * the same redelivered webhooks): each event pays once, and a member's cooldown holds across instances.
 */
const ROUNDS = 20;
const USERS = ['UA', 'UB', 'UC', 'UD', 'UE'];

const ev = (user: string, eventId: string): ActivityEvent => ({
  platform: 'slack', communityKey: 'T1', address: { kind: 'channel', channelId: 'C1' },
  actor: { platform: 'slack', userId: user, displayName: user }, kind: 'message', eventId, length: 30,
});

describe.skipIf(!PG_ADMIN_URL)('activity points between two instances (PostgreSQL)', () => {
  let bot: TwoInstances;
  beforeAll(async () => {
    bot = await twoInstances('activity', { activityBuffer: { maxMs: 3_600_000 } });
    await bot.e1.handle(cmd('UADMIN', '/activity settings points_min:1 points_max:1 cooldown:0 daily_cap:0 streak_bonus:0'));
  });
  afterAll(async () => bot?.close());

  const balances = async () => Object.fromEntries((await bot.a.prisma.identity.findMany({ where: { platformUserId: { in: USERS } }, include: { member: true } }))
    .map((i) => [i.platformUserId, i.member.balance]));

  it('pays every event once when both instances commit the same events at once', async () => {
    for (let r = 0; r < ROUNDS; r++) {
      const events = USERS.flatMap((u) => [ev(u, `${r}-${u}-1`), ev(u, `${r}-${u}-2`)]);
      for (const e of events) await bot.e1.activity(e);
      for (const e of [...events].reverse()) await bot.e2.activity(e);
      await Promise.all([bot.e1.flush(), bot.e2.flush()]);
      bot.clock.advance(MIN);
    }
    expect(await balances()).toEqual(Object.fromEntries(USERS.map((u) => [u, 2 * ROUNDS])));
    expect(await bot.a.prisma.ledgerEntry.count({ where: { kind: 'activity' } })).toBe(USERS.length * 2 * ROUNDS);
    expect(await ledgerViolations(bot.a.prisma)).toEqual([]);
  });

  it('keeps one member\'s cooldown across instances: of two messages at once, one pays', async () => {
    await bot.e1.handle(cmd('UADMIN', '/activity settings cooldown:60'));
    const before = await balances();
    for (let r = 0; r < ROUNDS; r++) {
      bot.clock.advance(2 * MIN);
      await bot.e1.activity(ev('UA', `cd-${r}-1`));
      await bot.e2.activity(ev('UA', `cd-${r}-2`));
      await Promise.all([bot.e1.flush(), bot.e2.flush()]);
    }
    expect((await balances()).UA).toBe(before.UA + ROUNDS);
    expect(await ledgerViolations(bot.a.prisma)).toEqual([]);
  });
});
