import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { openDatabase, type Database } from '../src/db/client.js';
import { listMigrations } from '../src/db/migrate.js';
import { Engine } from '../src/engine.js';
import { Clock, seeded, HOUR } from './helpers.js';
import { allCommands } from '../commands/index.js';
import { PG_ADMIN_URL, freshPg, slackCmd as cmd } from './pg.js';

/**
 * PostgreSQL through @prisma/adapter-pg, as a multi-instance deployment runs it: two engines (two bot
 * processes) on one database. .ci/run starts a local server and sets TEST_PG_URL.
 */
describe.skipIf(!PG_ADMIN_URL)('PostgreSQL (two instances)', () => {
  let pg: Awaited<ReturnType<typeof freshPg>>;
  let a: Database, b: Database;
  let e1: Engine, e2: Engine;
  const clock = new Clock();

  beforeAll(async () => {
    pg = await freshPg('test');
    expect(await pg.migrate()).toEqual(listMigrations('postgres').migrationDirectories.map((d) => d.path));
    expect(await pg.migrate()).toEqual([]);
    a = await openDatabase(pg.url);
    b = await openDatabase(pg.url);
    e1 = new Engine(a, { commands: allCommands, now: clock.now, random: seeded(1), onError: (e) => { throw e; } });
    e2 = new Engine(b, { commands: allCommands, now: clock.now, random: seeded(2), onError: (e) => { throw e; } });
  });

  afterAll(async () => {
    await a?.close();
    await b?.close();
    await pg?.drop();
  });

  it('applies a redelivered command once across instances', async () => {
    await e1.handle(cmd('UANN00', '/points'));
    const deliveries = Array.from({ length: 6 }, (_, i) => (i % 2 ? e1 : e2).handle(cmd('UADMIN', '/give <@UANN00> 15 retry test', { eventKey: 'trigger-1' })));
    const replies = await Promise.all(deliveries);
    expect(new Set(replies.map((r) => r.text)).size).toBe(1);
    expect(replies[0].text).toContain('New balance: 15');
    expect(await a.prisma.ledgerEntry.count({ where: { kind: 'grant' } })).toBe(1);
    const ann = await a.prisma.identity.findFirstOrThrow({ where: { platformUserId: 'UANN00' }, include: { member: true } });
    expect(ann.member.balance).toBe(15);
  });

  it('counts concurrent grants from both instances exactly', async () => {
    await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? e1 : e2).handle(cmd('UADMIN', '/give <@UANN00> 1', { eventKey: `g-${i}` }))));
    const ann = await a.prisma.identity.findFirstOrThrow({ where: { platformUserId: 'UANN00' }, include: { member: true } });
    expect(ann.member.balance).toBe(35);
    const sum = await a.prisma.ledgerEntry.aggregate({ where: { memberId: ann.memberId }, _sum: { delta: true } });
    expect(sum._sum.delta).toBe(35);
  });

  it('enters once under a double click and ends the giveaway once with two schedulers', async () => {
    await e1.handle(cmd('UADMIN', '/contest create "Gift card" 1 1h'));
    const clicks = await Promise.all([e1.handle(cmd('UBEN00', '/contest enter 1')), e2.handle(cmd('UBEN00', '/contest enter 1'))]);
    expect(clicks.filter((r) => !r.error)).toHaveLength(1);
    expect(clicks.find((r) => r.error)?.text).toMatch(/already entered/);
    await e2.handle(cmd('UCAT00', '/contest enter 1'));
    expect(await a.prisma.contestEntry.count()).toBe(2);
    clock.advance(2 * HOUR);
    const ran = await Promise.all([e1.runDueJobs(), e2.runDueJobs()]);
    expect(ran[0] + ran[1]).toBe(2); // the live card refresh and the end, once each
    expect(await a.prisma.contestWinner.count()).toBe(1);
    const sent: string[] = [];
    await Promise.all([e1.deliverOutbox('slack', async (_c, r) => { sent.push(r.text); }), e2.deliverOutbox('slack', async (_c, r) => { sent.push(r.text); })]);
    expect(sent).toHaveLength(3); // the card, the winner's direct message, the result
  });

  it('computes NPS and leaderboards on PostgreSQL', async () => {
    await e1.handle(cmd('UADMIN', '/poll create Recommend us? duration:1d'));
    const scores = [10, 9, 8, 3];
    await Promise.all(scores.map((s, i) => (i % 2 ? e1 : e2).handle(cmd(`UP${i}000`, `/poll answer 1 ${s}`))));
    const r = await e2.handle(cmd('UADMIN', '/poll results 1'));
    expect(r.text).toContain('NPS **+25** from 4 answers');
    const lb = await e1.handle(cmd('UANN00', '/leaderboard week'));
    expect(lb.text).toContain('🥇 UANN00: 35');
  });
});
