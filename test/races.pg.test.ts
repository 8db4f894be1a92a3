import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { HOUR } from './helpers.js';
import { PG_ADMIN_URL, slackCmd as cmd, twoInstances, type TwoInstances } from './pg.js';
import type { Engine } from '../src/engine.js';
import type { Reply } from '../src/core/types.js';

/**
 * Races between two bot instances on PostgreSQL (READ COMMITTED lets a read-then-write interleave; SQLite,
 * which serializes writers, hides them). Each race runs ROUNDS times with both sides fired at once, and
 * every round must end in exactly one outcome, a ledger whose rows add up to each balance, and the right
 * announcements in the outbox.
 */
const ROUNDS = 20;

describe.skipIf(!PG_ADMIN_URL)('races between two instances (PostgreSQL)', () => {
  let bot: TwoInstances;
  let e1: Engine, e2: Engine;
  beforeAll(async () => {
    bot = await twoInstances('races');
    ({ e1, e2 } = bot);
    await e1.handle(cmd('UADMIN', '/points')); // the community, before members arrive at once
    // Referrals paid at once, for accounts of any age, no caps: these races are about the payment itself
    // (test/referrals.pg.test.ts races the rules that hold a referral back).
    expect((await e1.handle(cmd('UADMIN', '/referral settings min_days:0 min_activity:0 min_account_age:0 per_day:0 per_month:0'))).error).toBeUndefined();
  });
  afterAll(async () => bot?.close());

  const prisma = () => bot.a.prisma;
  const engine = (i: number) => (i % 2 ? e2 : e1);
  const ok = (replies: Reply[]) => replies.filter((r) => !r.error);
  const refusals = (replies: Reply[]) => replies.filter((r) => r.error).map((r) => r.error!.code);
  const memberId = async (user: string) => (await prisma().identity.findFirstOrThrow({ where: { platform: 'slack', platformUserId: user } })).memberId;
  /** The giveaway, poll or challenge table, for what the races read of every one of them: id and status. */
  const table = (model: 'contest' | 'poll' | 'challenge') => prisma()[model] as unknown as { findFirstOrThrow(a: object): Promise<{ id: number; status: string }> };
  const latest = async (model: 'contest' | 'poll' | 'challenge') => (await table(model).findFirstOrThrow({ orderBy: { id: 'desc' } })).id;
  const outboxMark = async () => (await prisma().outboxMessage.aggregate({ _max: { id: true } }))._max.id ?? 0;
  /** Notices queued after `mark` (as stored: type plus data). */
  const noticesSince = async (mark: number) => (await prisma().outboxMessage.findMany({ where: { id: { gt: mark } }, orderBy: { id: 'asc' } }))
    .map((m) => (JSON.parse(m.payload) as { notice: Record<string, unknown> & { type: string } }).notice);

  /**
   * Fires `closer` among `others` (as the `round`th of them, so each round it starts at another place) on
   * alternating instances; returns the closer's reply and the others'.
   */
  async function closeAmong(round: number, others: ((e: Engine) => Promise<Reply>)[], closer: (e: Engine) => Promise<Reply>) {
    const at = round % (others.length + 1);
    const calls = [...others.slice(0, at), closer, ...others.slice(at)];
    const replies = await Promise.all(calls.map((f, k) => f(engine(k + round))));
    const [closed] = replies.splice(at, 1);
    return { closed, replies };
  }

  /** Every member's balance is the sum of their ledger rows. */
  async function expectLedgerConsistent() {
    const sums = await prisma().ledgerEntry.groupBy({ by: ['memberId'], _sum: { delta: true } });
    const members = await prisma().member.findMany({ select: { id: true, balance: true } });
    const sum = new Map(sums.map((s) => [s.memberId, s._sum.delta ?? 0]));
    for (const m of members) expect({ id: m.id, balance: m.balance }).toEqual({ id: m.id, balance: sum.get(m.id) ?? 0 });
  }

  it('pays one of two members redeeming each other\'s codes at once, refusing the cycle', async () => {
    const pair = (i: number) => [`URA${i}`, `URB${i}`];
    await Promise.all(Array.from({ length: ROUNDS }, (_, i) => pair(i).map((u, k) => engine(k).handle(cmd(u, '/points')))).flat());
    const code = async (u: string) => (await prisma().member.findUniqueOrThrow({ where: { id: await memberId(u) } })).referralCode;
    for (let i = 0; i < ROUNDS; i++) {
      const [ua, ub] = pair(i);
      const [ca, cb] = [await code(ua), await code(ub)];
      const replies = await Promise.all([engine(i).handle(cmd(ua, `/referral redeem ${cb}`)), engine(i + 1).handle(cmd(ub, `/referral redeem ${ca}`))]);
      expect(ok(replies)).toHaveLength(1);
      expect(refusals(replies)).toEqual(['referrals:error.cycle']);
      const ids = [await memberId(ua), await memberId(ub)];
      expect(await prisma().referral.count({ where: { refereeId: { in: ids } } })).toBe(1);
      expect(await prisma().ledgerEntry.count({ where: { memberId: { in: ids }, kind: 'referral' } })).toBe(2);
    }
    await expectLedgerConsistent();
  });

  it('never lets a member keep a referral from their own account, however /link and /referral redeem interleave', async () => {
    // A Telegram group joins the Slack workspace's community, so one person can have an account on each.
    const bind = (await e1.handle(cmd('UADMIN', '/community bind'))).text.match(/\*\*(\w+)\*\*/)![1];
    const tg = (user: string, line: string) => cmd(user, line, { platform: 'telegram', communityKey: '-100', actor: { platform: 'telegram', userId: user, displayName: `tg${user}`, platformRole: user === '1' ? 'admin' : undefined } });
    expect((await e2.handle(tg('1', `/community bind ${bind}`))).error).toBeUndefined();
    for (let i = 0; i < ROUNDS; i++) {
      const [slack, telegram] = [`ULK${i}`, `${100 + i}`];
      await Promise.all([e1.handle(cmd(slack, '/points')), e2.handle(tg(telegram, '/points'))]);
      const owner = await memberId(slack);
      const { referralCode } = await prisma().member.findUniqueOrThrow({ where: { id: owner } });
      const link = (await e1.handle(cmd(slack, '/link'))).text.match(/\*\*(\w+)\*\*/)![1];
      // The redemption starts a little later each round, to meet the link at every step.
      const later = (ms: number) => new Promise((r) => setTimeout(r, ms));
      const [redeemed, linked] = await Promise.all([
        later(i * 2).then(() => engine(i).handle(tg(telegram, `/referral redeem ${referralCode}`))),
        engine(i + 1).handle(tg(telegram, `/link ${link}`)),
      ]);
      expect(linked.error).toBeUndefined();
      if (redeemed.error) expect(redeemed.error.code).toBe('referrals:error.ownCode');
      expect((await prisma().identity.findFirstOrThrow({ where: { platform: 'telegram', platformUserId: telegram } })).memberId).toBe(owner);
      // A referral between the linked accounts is kept as a record, taken back.
      expect(await prisma().referral.count({ where: { referrerId: owner, status: { notIn: ['cancelled', 'clawedBack'] } } })).toBe(0);
      expect(await prisma().member.findUniqueOrThrow({ where: { id: owner } })).toMatchObject({ balance: 0, lifetimePoints: 0 });
    }
    await expectLedgerConsistent();
  });

  /** A giveaway with `winners` winners and prize points, created in C1, entered by `entrants`; its id and the outbox mark after the card. */
  async function giveaway(i: number, winners: number, entrants: string[]) {
    await e1.handle(cmd('UADMIN', `/contest create "Prize ${i}" ${winners} 1h points:10`));
    const id = await latest('contest');
    for (const [k, u] of entrants.entries()) expect((await engine(k).handle(cmd(u, `/contest enter ${id}`))).error).toBeUndefined();
    return { id, mark: await outboxMark() };
  }

  it('either ends or cancels a giveaway cancelled while it is being ended, never both', async () => {
    for (let i = 0; i < ROUNDS; i++) {
      const { id, mark } = await giveaway(i, 1, ['UCE1', 'UCE2']);
      bot.clock.advance(2 * HOUR);
      // Even rounds race the end job, odd rounds a moderator's /contest end.
      const ending = i % 2 ? e1.handle(cmd('UADMIN', `/contest end ${id}`)) : e1.runDueJobs();
      const [, cancel] = await Promise.all([ending, e2.handle(cmd('UADMIN', `/contest cancel ${id}`))]);
      const c = await prisma().contest.findUniqueOrThrow({ where: { id } });
      const winners = await prisma().contestWinner.count({ where: { contestId: id } });
      const paid = await prisma().ledgerEntry.count({ where: { kind: 'contest', idempotencyKey: { startsWith: `contest:${id}:` } } });
      // Card edits (live count, "over") and the winner's direct message aside.
      const types = (await noticesSince(mark)).map((n) => n.type).filter((t) => t !== 'contest.card' && t !== 'contest.won');
      if (c.status === 'cancelled') {
        expect(cancel.error).toBeUndefined();
        expect({ winners, paid, types }).toEqual({ winners: 0, paid: 0, types: ['contest.cancelled'] });
      } else {
        expect(c.status).toBe('ended');
        expect(cancel.error?.code).toBe('contests:error.already.ended');
        expect({ winners, paid, types }).toEqual({ winners: 1, paid: 1, types: ['contest.ended'] });
      }
    }
    await expectLedgerConsistent();
  });

  it('puts every accepted entry in the draw and refuses the rest', async () => {
    const entrants = ['UEN1', 'UEN2', 'UEN3', 'UEN4', 'UEN5'];
    await Promise.all(entrants.map((u, k) => engine(k).handle(cmd(u, '/points'))));
    for (let i = 0; i < ROUNDS; i++) {
      const { id, mark } = await giveaway(i, 10, []);
      const { closed, replies } = await closeAmong(i, entrants.map((u) => (e) => e.handle(cmd(u, `/contest enter ${id}`))), (e) => e.handle(cmd('UADMIN', `/contest end ${id}`)));
      expect(closed.error).toBeUndefined();
      const accepted = ok(replies).length;
      expect(refusals(replies).every((c) => c === 'contests:error.ended')).toBe(true);
      const ended = (await noticesSince(mark)).filter((n) => n.type === 'contest.ended' || n.type === 'contest.noEntries');
      expect(ended).toHaveLength(1);
      const drawn = await prisma().contestWinner.count({ where: { contestId: id } });
      expect({ rows: await prisma().contestEntry.count({ where: { contestId: id } }), drawn, announced: ended[0].entries ?? 0 })
        .toEqual({ rows: accepted, drawn: accepted, announced: accepted });
    }
    await expectLedgerConsistent();
  });

  it('replaces a winner once when two moderators reroll the same winner at once', async () => {
    for (let i = 0; i < ROUNDS; i++) {
      const { id } = await giveaway(i, 1, ['URR1', 'URR2', 'URR3']);
      await e1.handle(cmd('UADMIN', `/contest end ${id}`));
      const won = await prisma().contestWinner.findFirstOrThrow({ where: { contestId: id } });
      const user = (await prisma().identity.findFirstOrThrow({ where: { memberId: won.memberId } })).platformUserId;
      const mark = await outboxMark();
      const replies = await Promise.all([e1, e2].map((e) => e.handle(cmd('UADMIN', `/contest reroll ${id} replace:<@${user}>`))));
      expect(ok(replies)).toHaveLength(1);
      expect(refusals(replies)).toEqual(['contests:error.notWinner']);
      const rows = await prisma().contestWinner.findMany({ where: { contestId: id } });
      expect({ current: rows.filter((r) => !r.replaced).length, all: rows.length }).toEqual({ current: 1, all: 2 });
      expect(await prisma().ledgerEntry.count({ where: { kind: 'contest', idempotencyKey: { startsWith: `contest:${id}:` } } })).toBe(2);
      expect((await noticesSince(mark)).map((n) => n.type)).toEqual(['contest.won', 'contest.rerolled']);
    }
    await expectLedgerConsistent();
  });

  it('counts every accepted answer in the results posted when the poll closes', async () => {
    const voters = ['UPV1', 'UPV2', 'UPV3', 'UPV4'];
    await Promise.all(voters.map((u, k) => engine(k).handle(cmd(u, '/points'))));
    for (let i = 0; i < ROUNDS; i++) {
      await e1.handle(cmd('UADMIN', `/poll create Answers ${i}? duration:1h`));
      const id = await latest('poll');
      const mark = await outboxMark();
      const { closed, replies } = await closeAmong(i, voters.map((u, k) => (e) => e.handle(cmd(u, `/poll answer ${id} ${k + 5}`))), (e) => e.handle(cmd('UADMIN', `/poll close ${id}`)));
      expect(closed.error).toBeUndefined();
      expect(refusals(replies).every((c) => c === 'polls:error.closed')).toBe(true);
      const results = (await noticesSince(mark)).filter((n) => n.type === 'poll.results');
      expect(results).toHaveLength(1);
      const accepted = ok(replies).length;
      expect({ rows: await prisma().pollResponse.count({ where: { pollId: id } }), posted: (results[0].summary as { responses: number }).responses })
        .toEqual({ rows: accepted, posted: accepted });
    }
  });

  const closings = [
    { what: 'a poll', model: 'poll' as const, create: (i: number) => `/poll create Question ${i}? duration:1h`, close: '/poll close', already: 'polls:error.alreadyClosed', notice: 'poll.results' },
    { what: 'a challenge', model: 'challenge' as const, create: (i: number) => `/challenge create "Task ${i}" 10 1h`, close: '/challenge close', already: 'challenges:error.alreadyClosed', notice: 'challenge.closed' },
  ];
  for (const { what, model, create, close, already, notice } of closings) it(`announces ${what} closing once when a moderator closes it as its job runs`, async () => {
    for (let i = 0; i < ROUNDS; i++) {
      await e1.handle(cmd('UADMIN', create(i)));
      const id = await latest(model);
      const mark = await outboxMark();
      bot.clock.advance(2 * HOUR);
      const [, byHand] = await Promise.all([engine(i).runDueJobs(), engine(i + 1).handle(cmd('UADMIN', `${close} ${id}`))]);
      if (byHand.error) expect(byHand.error.code).toBe(already);
      expect((await noticesSince(mark)).map((n) => n.type)).toEqual([notice]);
      expect((await table(model).findFirstOrThrow({ where: { id } })).status).toBe('closed');
    }
  });
});
