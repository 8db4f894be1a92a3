import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { PG_ADMIN_URL, slackCmd as cmd, twoInstances, type TwoInstances } from './pg.js';
import { MIN } from './helpers.js';

/** The engagement report's local days on PostgreSQL (to_char over shifted timestamps; sums come back as bigint). */
describe.skipIf(!PG_ADMIN_URL)('engagement report (PostgreSQL)', () => {
  let bot: TwoInstances;
  beforeAll(async () => { bot = await twoInstances('engagement'); });
  afterAll(async () => bot?.close());

  const run = async (user: string, line: string) => {
    const r = await bot.e1.handle(cmd(user, line));
    expect(r.error, `${user}: ${line} → ${r.text}`).toBeUndefined();
  };
  const day = <T extends { day: string }>(rows: T[], d: string) => rows.find((x) => x.day === d);

  it('folds Tokyo days around local midnight, and a daylight saving change in New York', async () => {
    const { e1, e2, clock } = bot;
    // 2026-11-25 12:00 UTC = 21:00 in Tokyo; local midnight is 15:00 UTC.
    await run('UADMIN', '/settings timezone:Asia/Tokyo referrer_reward:7 referee_reward:3');
    await run('UADMIN', '/referral settings min_days:0 min_activity:0 min_account_age:0');
    await run('UA', '/points');
    await run('UB', '/points');
    clock.advance(179 * MIN);
    await run('UADMIN', '/give <@UA> 10');
    clock.advance(2 * MIN);
    await run('UADMIN', '/give <@UB> 20');
    const id = (await e1.communityByKey('slack', 'T1'))!.id;
    const ua = await bot.a.prisma.identity.findFirstOrThrow({ where: { platformUserId: 'UA' }, include: { member: true } });
    await run('UC', `/referral redeem ${ua.member.referralCode}`);
    await run('UADMIN', '/contest create Mug 1 1d');
    await run('UC', '/contest enter 1');
    await run('UADMIN', '/poll create Recommend us? duration:1d');
    await run('UC', '/poll answer 1 9');

    const r = await e2.engagementReport(id, 30);
    expect(r.today).toBe('2026-11-26');
    expect(r.days).toHaveLength(30);
    expect(day(r.points.perDay, '2026-11-25')).toEqual({ day: '2026-11-25', issued: 10, takenBack: 0, redeemed: 0 });
    expect(day(r.points.perDay, '2026-11-26')).toEqual({ day: '2026-11-26', issued: 30, takenBack: 0, redeemed: 0 });
    expect(r.points.totals).toEqual({ issued: 40, takenBack: 0, redeemed: 0 });
    expect(day(r.active.perDay, '2026-11-25')?.members).toBe(1);
    expect(day(r.active.perDay, '2026-11-26')?.members).toBe(3);
    expect(r.active.today).toBe(3);
    expect(r.funnel.find((f) => f.source === 'code')).toMatchObject({ joined: 1, active: 1, entered: 1, answered: 1, statuses: { paid: 1, pending: 0 } });
    expect(r.funnel.find((f) => f.source === 'organic')).toMatchObject({ joined: 3, active: 0 });
    expect(r.leaders.all.map((x) => [x.displayName, x.points, x.tier])).toEqual([['UB', 20, 'Bronze'], ['UA', 17, 'Bronze'], ['UC', 3, 'Bronze']]);

    // New York left daylight saving on 2026-11-01 at 06:00 UTC: 04:30 UTC is 00:30 on Oct 31 before it, 23:30 on Nov 1 after.
    await run('UADMIN', '/settings timezone:America/New_York');
    for (const [at, delta] of [['2026-10-31T04:30:00Z', 1000], ['2026-11-02T04:30:00Z', 2000]] as const) {
      await bot.a.prisma.ledgerEntry.create({ data: { communityId: id, memberId: ua.memberId, delta, balanceAfter: 0, kind: 'grant', reason: 'seeded', idempotencyKey: `seed:${at}`, createdAt: new Date(at) } });
    }
    const ny = await e1.engagementReport(id, 30);
    expect(ny.today).toBe('2026-11-25');
    expect(day(ny.points.perDay, '2026-10-31')?.issued).toBe(1000);
    expect(day(ny.points.perDay, '2026-11-01')?.issued).toBe(2000);
    expect(day(ny.points.perDay, '2026-11-25')?.issued).toBe(40);
    expect(day(ny.active.perDay, '2026-11-01')?.members).toBe(1);
  });
});
