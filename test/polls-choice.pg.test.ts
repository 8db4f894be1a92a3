import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { PG_ADMIN_URL, slackCmd as cmd, twoInstances, type TwoInstances } from './pg.js';

/** Anonymous answers on PostgreSQL: two instances, many members at once; tallies stay exact and one answer per member holds. */
describe.skipIf(!PG_ADMIN_URL)('anonymous poll tallies (PostgreSQL)', () => {
  let bot: TwoInstances;
  beforeAll(async () => { bot = await twoInstances('pollchoice'); });
  afterAll(async () => bot?.close());

  it('keeps exact counts under concurrent votes, and counts a member voting twice at once once', async () => {
    const { e1, e2, a } = bot;
    expect((await e1.handle(cmd('UADMIN', '/poll create Pick one kind:single options:"A|B|C" anonymous:yes points:5'))).error).toBeUndefined();
    expect((await e1.handle(cmd('UADMIN', '/poll create Rate us anonymous:yes'))).error).toBeUndefined();
    const users = Array.from({ length: 24 }, (_, i) => `U${i}`);
    // Create the members first, so the race is about the answers.
    await Promise.all(users.map((u, i) => (i % 2 ? e1 : e2).handle(cmd(u, '/poll list'))));
    const votes = await Promise.all(users.flatMap((u, i) => [
      (i % 2 ? e1 : e2).handle(cmd(u, `/poll vote 1 ${(i % 3) + 1}`)),
      (i % 2 ? e2 : e1).handle(cmd(u, `/poll answer 2 ${i % 11}`)),
    ]));
    expect(votes.filter((r) => r.error)).toEqual([]);
    const tallies = await a.prisma.pollTally.findMany({ where: { pollId: 1 }, orderBy: { option: 'asc' } });
    expect(tallies.map((t) => t.count)).toEqual([8, 8, 8]);
    const nps = await a.prisma.pollTally.aggregate({ where: { pollId: 2 }, _sum: { count: true } });
    expect(nps._sum.count).toBe(24);

    // The same member twice at once (a double click reaching both instances, different event keys): counted once.
    const twice = await Promise.all([e1.handle(cmd('UX', '/poll vote 1 1')), e2.handle(cmd('UX', '/poll vote 1 2'))]);
    expect(twice.filter((r) => !r.error)).toHaveLength(1);
    expect(twice.find((r) => r.error)?.error?.code).toBe('polls:error.anonymousOnce');
    const after = await a.prisma.pollTally.aggregate({ where: { pollId: 1 }, _sum: { count: true } });
    expect(after._sum.count).toBe(25);
    expect(await a.prisma.pollVoter.count({ where: { pollId: 1 } })).toBe(25);
    expect(await a.prisma.pollChoice.count()).toBe(0);
    // Anonymous: the points are paid at the close, to every voter at once (and once, whichever instance closes).
    expect(await a.prisma.ledgerEntry.count({ where: { kind: 'poll' } })).toBe(0);
    await Promise.all([e1.handle(cmd('UADMIN', '/poll close 1')), e2.handle(cmd('UADMIN', '/poll close 1'))]);
    expect(await a.prisma.ledgerEntry.count({ where: { kind: 'poll' } })).toBe(25);
    const times = await a.prisma.ledgerEntry.findMany({ where: { kind: 'poll' }, select: { createdAt: true }, distinct: ['createdAt'] });
    expect(times).toHaveLength(1);
    const r = await e2.handle(cmd('UADMIN', '/poll results 2'));
    expect(r.text).toContain('from 24 answers');
  });
});
