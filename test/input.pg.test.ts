import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { PG_ADMIN_URL, slackCmd as cmd, twoInstances, type TwoInstances } from './pg.js';
import { MAX_POINTS } from '../src/features/points/service.js';

/**
 * Input PostgreSQL refuses where SQLite does not (NUL in text, integers past 32 bits) gets a clear answer
 * instead of "Something went wrong", and nothing is written.
 */
describe.skipIf(!PG_ADMIN_URL)('input PostgreSQL would refuse (PostgreSQL)', () => {
  let pg: TwoInstances;
  beforeAll(async () => {
    pg = await twoInstances('input', { onError: (e) => { throw e; } });
    await pg.e1.handle(cmd('UANN00', '/points'));
  });
  afterAll(async () => pg?.close());

  it('refuses a NUL byte or another control character in text with a clear message', async () => {
    const cases: [string, string][] = [
      ['/give <@UANN00> 5 thanks\u0000', 'reason'],
      ['/challenge create "Re\u0000view" 10 3d', 'title'],
      ['/poll create Happy?\u0001 duration:1d', 'question'],
      ['/reward add 10 "Mu\u0000g"', 'name'],
    ];
    for (const [line, field] of cases) {
      const r = await pg.e1.handle(cmd('UADMIN', line));
      expect(r.error, JSON.stringify(line)).toEqual({ code: 'errors:arg.control', field });
      expect(r.text).toBe(`${field}: contains invisible control characters; please remove them and try again.`);
    }
    expect(await pg.a.prisma.ledgerEntry.count()).toBe(0);
    expect(await pg.a.prisma.challenge.count()).toBe(0);
  });

  it('keeps a platform name with control characters, without them', async () => {
    const r = await pg.e2.handle(cmd('UBEN00', '/points', { actor: { platform: 'slack', userId: 'UBEN00', displayName: 'Ben\u0000\u0007 Lee', username: 'ben\u0000' }, communityName: 'Team\u0000 One' }));
    expect(r.error).toBeUndefined();
    const ben = await pg.a.prisma.identity.findFirstOrThrow({ where: { platformUserId: 'UBEN00' }, include: { member: true } });
    expect([ben.member.displayName, ben.username]).toEqual(['Ben Lee', 'ben']);
  });

  it('refuses points past the 32-bit columns with a clear message, on both instances at once', async () => {
    const ann = await pg.a.prisma.identity.findFirstOrThrow({ where: { platformUserId: 'UANN00' } });
    await pg.a.prisma.member.update({ where: { id: ann.memberId }, data: { balance: MAX_POINTS - 10, lifetimePoints: MAX_POINTS - 10 } });
    const replies = await Promise.all([6, 6, 6].map((n, i) => (i % 2 ? pg.e2 : pg.e1).handle(cmd('UADMIN', `/give <@UANN00> ${n}`, { eventKey: `big-${i}` }))));
    // One fits; the others would pass the limit.
    expect(replies.filter((r) => !r.error)).toHaveLength(1);
    expect(replies.filter((r) => r.error).map((r) => r.error!.code)).toEqual(['points:error.limit', 'points:error.limit']);
    const after = await pg.a.prisma.member.findUniqueOrThrow({ where: { id: ann.memberId } });
    expect([after.balance, after.lifetimePoints]).toEqual([MAX_POINTS - 4, MAX_POINTS - 4]);
  });
});
