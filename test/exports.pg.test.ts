import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { PG_ADMIN_URL, freshPg } from './pg.js';
import { testBot, Clock, seeded, type TestBot } from './helpers.js';
import { openDatabase, type Database } from '../src/db/client.js';
import { Engine } from '../src/engine.js';
import { allCommands } from '../commands/index.js';
import { csvChunks } from '../src/web/csv.js';
import { EXPORT_COLUMNS, EXPORT_KINDS, type ExportKind, type ExportRange } from '../src/features/exports/kinds.js';

/** The exports on PostgreSQL give the very same files as on SQLite (times, quoting, keyset pages across equal times). */
describe.skipIf(!PG_ADMIN_URL)('exports (PostgreSQL)', () => {
  let pgDb: { url: string; drop(): Promise<void> };
  let db: Database;
  let pgEngine: Engine;
  let lite: TestBot;
  const ROWS = 20_000, MEMBERS = 150;
  const start = Date.parse('2026-03-28T12:00:00Z'); // spans the end of European summer time (a zone offset change)

  /** The same community, members and records in both databases, through Prisma (no engine path needed). */
  async function seed(p: Database['prisma']) {
    await p.community.create({ data: { id: 'c1', name: 'Café 東京, "West"', timezone: 'Europe/Berlin' } });
    await p.community.create({ data: { id: 'c2', name: 'Other' } });
    await p.member.createMany({ data: Array.from({ length: MEMBERS }, (_, i) => ({ id: `m${String(i).padStart(3, '0')}`, communityId: 'c1', displayName: i % 5 ? `회원 ${i}` : `=cmd|${i}`, referralCode: `R${i}` })) });
    await p.member.create({ data: { id: 'x1', communityId: 'c2', displayName: 'SECRET', referralCode: 'X1' } });
    await p.identity.createMany({ data: Array.from({ length: MEMBERS }, (_, i) => ({ communityId: 'c1', platform: i % 2 ? 'discord' : 'slack', platformUserId: `U${i}`, memberId: `m${String(i).padStart(3, '0')}` })) });
    const at = (i: number) => new Date(start + Math.floor(i / 3) * 97_000); // three rows share each time: pages must cut between equal times
    for (let from = 0; from < ROWS; from += 5000) {
      await p.ledgerEntry.createMany({
        data: Array.from({ length: 5000 }, (_, k) => {
          const i = from + k;
          return { id: i + 1, communityId: 'c1', memberId: `m${String(i % MEMBERS).padStart(3, '0')}`, delta: i % 4 ? 10 : -25, balanceAfter: i - 7, kind: i % 2 ? 'grant' : 'activity',
            reason: ['plain', 'a, b', 'say "hi"', 'two\nlines', '+1 bonus', '@here'][i % 6], idempotencyKey: `k${i}`, actorId: i % 10 ? null : 'm000', createdAt: at(i) };
        }),
      });
    }
    await p.ledgerEntry.create({ data: { id: ROWS + 1, communityId: 'c2', memberId: 'x1', delta: 1, balanceAfter: 1, kind: 'grant', reason: 'SECRET', idempotencyKey: 'x' } });
    await p.poll.create({ data: { id: 1, communityId: 'c1', question: 'Recommend us, honestly?', status: 'closed', opensAt: new Date(start), closesAt: new Date(start + 86_400_000), createdById: 'm000' } });
    await p.pollResponse.createMany({ data: Array.from({ length: 40 }, (_, i) => ({ pollId: 1, memberId: `m${String(i).padStart(3, '0')}`, score: i % 11, comment: i % 3 ? null : `-${i} "ok"`, platform: i % 2 ? 'discord' : null, createdAt: new Date(start + i * 3_600_000) })) });
    // Choice polls (poll-votes): a multi-choice poll and a single-choice one are exported; an anonymous poll (no
    // choices per member) and another community's poll are not. Votes share times so pages cut between equal times.
    const choicePoll = (id: number, communityId: string, kind: string, question: string, options: string[], anonymous = false) =>
      p.poll.create({ data: { id, communityId, question, kind, options: JSON.stringify(options), anonymous, status: 'closed', opensAt: new Date(start), closesAt: new Date(start + 2 * 86_400_000), createdById: communityId === 'c1' ? 'm000' : 'x1' } });
    await choicePoll(2, 'c1', 'multi', 'Which days, "honestly"?', ['Fri, late', '토요일', '=SUM(1)', 'Sun']);
    await choicePoll(3, 'c1', 'single', 'Pizza or sushi?', ['Pizza', 'Sushi']);
    await choicePoll(4, 'c1', 'single', 'Anonymous pick', ['A', 'B'], true);
    await choicePoll(5, 'c2', 'single', 'SECRET poll', ['SECRET']);
    const voteAt = (i: number) => new Date(start + Math.floor(i / 2) * 3_600_000); // two votes share each time
    await p.pollVoter.createMany({ data: Array.from({ length: 12 }, (_, i) => ({ pollId: 2, memberId: `m${String(i).padStart(3, '0')}`, createdAt: voteAt(i) })) });
    await p.pollChoice.createMany({ data: Array.from({ length: 12 }, (_, i) => [i % 4, (i + 1) % 4].slice(0, 1 + (i % 2)).map((option) => ({ pollId: 2, memberId: `m${String(i).padStart(3, '0')}`, option }))).flat() });
    await p.pollVoter.createMany({ data: Array.from({ length: 5 }, (_, i) => ({ pollId: 3, memberId: `m${String(i + 20).padStart(3, '0')}`, createdAt: voteAt(i + 20) })) });
    await p.pollChoice.createMany({ data: Array.from({ length: 5 }, (_, i) => ({ pollId: 3, memberId: `m${String(i + 20).padStart(3, '0')}`, option: i % 2 })) });
    await p.pollVoter.createMany({ data: Array.from({ length: 3 }, (_, i) => ({ pollId: 4, memberId: `m${String(i + 40).padStart(3, '0')}`, createdAt: voteAt(i) })) });
    await p.pollVoter.create({ data: { pollId: 5, memberId: 'x1', createdAt: voteAt(0) } });
    await p.pollChoice.create({ data: { pollId: 5, memberId: 'x1', option: 0 } });
    await p.reward.create({ data: { id: 1, communityId: 'c1', name: 'Hoodie, XL', cost: 900 } });
    await p.redemption.createMany({ data: Array.from({ length: 12 }, (_, i) => ({ id: i + 1, communityId: 'c1', rewardId: 1, memberId: `m${String(i).padStart(3, '0')}`, cost: 900, status: i % 2 ? 'fulfilled' : 'pending', createdAt: new Date(start + i * 60_000), handledAt: i % 2 ? new Date(start + i * 60_000 + 5_000) : null, handledById: i % 2 ? 'm000' : null })) });
    await p.referral.createMany({ data: Array.from({ length: 9 }, (_, i) => ({ id: i + 1, communityId: 'c1', referrerId: 'm000', refereeId: `m${String(i + 1).padStart(3, '0')}`, code: 'R0', source: ['code', 'invite', 'link'][i % 3], status: ['pending', 'paid', 'cancelled'][i % 3], createdAt: new Date(start + i * 1000), qualifiedAt: i % 3 === 1 ? new Date(start + i * 1000 + 1) : null, endedAt: i % 3 === 2 ? new Date(start + 999_999) : null })) });
  }

  beforeAll(async () => {
    const fresh = await freshPg('exports');
    await fresh.migrate();
    pgDb = fresh;
    db = await openDatabase(fresh.url);
    pgEngine = new Engine(db, { commands: allCommands, now: new Clock().now, random: seeded(1), onError: (e) => { throw e; } });
    lite = await testBot();
    await seed(db.prisma);
    await seed(lite.db.prisma);
  }, 120_000);
  afterAll(async () => {
    await db?.close();
    await pgDb?.drop();
    await lite?.close();
  });

  const file = async (engine: Engine, kind: ExportKind, opts: ExportRange & { pageSize?: number } = {}) => {
    let out = '';
    for await (const chunk of csvChunks(EXPORT_COLUMNS[kind], engine.exportRows('c1', kind, opts))) out += chunk;
    return out;
  };

  it('streams the 20,000-row ledger identically on PostgreSQL and SQLite', async () => {
    const t0 = performance.now();
    const onPg = await file(pgEngine, 'ledger', { pageSize: 1000 });
    const t1 = performance.now();
    const onLite = await file(lite.engine, 'ledger', { pageSize: 1000 });
    console.log(`20k ledger rows: PostgreSQL ${(t1 - t0).toFixed(0)} ms, SQLite ${(performance.now() - t1).toFixed(0)} ms`);
    expect(onPg).toBe(onLite);
    const lines = onPg.split('\r\n');
    expect(lines[0]).toBe(`\uFEFF${EXPORT_COLUMNS.ledger.join(',')}`);
    // Every row once, in time order (ids rise with time here), none of the other community's.
    const ids = onPg.match(/\r\n(\d+),2026-/g)!.map((m) => Number(m.slice(2, -6)));
    expect(ids).toHaveLength(ROWS);
    expect(ids).toEqual(Array.from({ length: ROWS }, (_, i) => i + 1));
    expect(onPg).not.toContain('SECRET');
    expect(lines[1]).toBe("1,2026-03-28T12:00:00.000Z,2026-03-28T13:00:00+01:00,m000,'=cmd|0,slack:U0,-25,-7,activity,plain,m000,'=cmd|0");
    // Across the change to summer time (01:00 UTC on March 29th) the local offset goes from +01:00 to +02:00.
    expect(onPg).toContain(',2026-03-29T00:59:14.000Z,2026-03-29T01:59:14+01:00,');
    expect(onPg).toContain(',2026-03-29T01:00:51.000Z,2026-03-29T03:00:51+02:00,');
    // One page or many: the same file.
    expect(await file(pgEngine, 'ledger', { pageSize: 7 * 1000 + 1 })).toBe(onPg);
  });

  it('gives the same other files and date ranges on both', async () => {
    for (const kind of EXPORT_KINDS.filter((k) => k !== 'ledger')) {
      const onPg = await file(pgEngine, kind, { pageSize: 5 });
      expect(onPg, kind).toBe(await file(lite.engine, kind, { pageSize: 5 }));
      expect(onPg.split('\r\n').length, kind).toBeGreaterThan(3);
      expect(onPg, kind).not.toContain('SECRET');
    }
    // poll-votes: the 17 votes of the two named choice polls, none of the anonymous poll, choices in option order.
    const votes = await file(pgEngine, 'poll-votes', { pageSize: 5 });
    expect(votes.split('\r\n').filter((l) => /^\d/.test(l)).map((l) => l.split(',')[0])).toEqual([...Array(12).fill('2'), ...Array(5).fill('3')]);
    expect(votes).not.toContain('Anonymous pick');
    expect(await file(pgEngine, 'poll-votes', { pageSize: 1000 })).toBe(votes);
    const range = { from: '2026-03-29', to: '2026-03-29' };
    const day = await file(pgEngine, 'ledger', range);
    expect(day).toBe(await file(lite.engine, 'ledger', range));
    const times = [...day.matchAll(/\r\n\d+,[^,]+,(2026-[^,]+)/g)].map((m) => m[1]);
    expect(times[0]).toBe('2026-03-29T00:01:13+01:00');
    expect(times.every((t) => t.startsWith('2026-03-29T'))).toBe(true);
    const counts = (await pgEngine.exportOverview('c1', { ...range, counts: true })).counts;
    expect(counts).toEqual((await lite.engine.exportOverview('c1', { ...range, counts: true })).counts);
    expect(counts!.ledger).toBe(times.length);
  });
});
