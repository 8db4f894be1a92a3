import { describe, it, expect, afterAll, beforeAll } from 'vitest';
import fc from 'fast-check';
import { testBot, type TestBot } from './helpers.js';
import { PG_ADMIN_URL, twoInstances, type TwoInstances } from './pg.js';
import { ledgerViolations, totalsViolations } from './invariants.js';
import type { Engine } from '../src/engine.js';
import type { Db } from '../src/db/client.js';
import type { Inbound, Reply } from '../src/core/types.js';

/**
 * The ledger invariants (test/invariants.ts) over random command sequences: grants, takes, redemptions
 * and refunds, challenge proofs and approvals, fired a few at a time, with redeliveries of earlier
 * deliveries (the same eventKey again, at once or later). Each run plays in a community of its own.
 * The stored week/month totals agree with the ledger too. Besides the invariants, every delivery that was answered without an error and moves points left exactly
 * one ledger row, and no other delivery left any.
 */
const MEMBERS = ['UMEM0A', 'UMEM1B', 'UMEM2C', 'UMEM3D'];
const MOD = 'UMODXX';
const REWARD_COST = 20;
const CHALLENGE_REWARD = 15;

type Action =
  | { t: 'give' | 'take'; who: number; amount: number }
  | { t: 'redeem' | 'submit' | 'approve' | 'refund'; who: number }
  | { t: 'again'; back: number };

const who = fc.nat(MEMBERS.length - 1);
const action: fc.Arbitrary<Action> = fc.oneof(
  { arbitrary: fc.record({ t: fc.constant('give' as const), who, amount: fc.integer({ min: 1, max: 40 }) }), weight: 3 },
  { arbitrary: fc.record({ t: fc.constant('take' as const), who, amount: fc.integer({ min: 1, max: 40 }) }), weight: 2 },
  { arbitrary: fc.record({ t: fc.constantFrom('redeem' as const, 'submit' as const, 'approve' as const, 'refund' as const), who }), weight: 4 },
  { arbitrary: fc.record({ t: fc.constant('again' as const), back: fc.nat(20) }), weight: 3 },
);
/** Batches of deliveries; the deliveries of one batch arrive at once. */
const script = fc.array(fc.array(action, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 8 });

/** Commands that move points when they succeed. */
const MOVES = new Set(['give', 'take', 'redeem', 'challenge approve', 'redemption refund']);

interface Target { engines: Engine[]; prisma: Db }

let runs = 0;

async function play(target: Target, batches: Action[][]): Promise<void> {
  const { prisma } = target;
  const community = `prop-${process.pid}-${runs++}`;
  const inbound = (user: string, command: string, args: string, eventKey: string): Inbound => ({
    platform: 'slack', communityKey: community, address: { kind: 'channel', channelId: 'C1' },
    actor: { platform: 'slack', userId: user, displayName: user, platformRole: user === MOD ? 'admin' : undefined },
    command, args, eventKey,
  });
  const [e1] = target.engines;
  // A reward with little stock, an open challenge, and some points for everyone to spend.
  const setup = [
    inbound(MOD, 'reward', `add ${REWARD_COST} Mug 3`, `${community}:reward`),
    inbound(MOD, 'challenge', `create Task ${CHALLENGE_REWARD} 7d`, `${community}:challenge`),
    ...MEMBERS.map((m, i) => inbound(MOD, 'give', `${m} ${10 * i + 5}`, `${community}:start${i}`)),
  ];
  for (const d of setup) expect((await e1.handle(d)).error, `${d.command} ${d.args}`).toBeUndefined();
  const { id: communityId } = await prisma.community.findFirstOrThrow({ where: { bindings: { some: { platform: 'slack', externalId: community } } } });
  const rewardId = (await prisma.reward.findFirstOrThrow({ where: { communityId } })).id;
  const challengeId = (await prisma.challenge.findFirstOrThrow({ where: { communityId } })).id;
  const memberId = async (i: number) => (await prisma.identity.findFirst({ where: { communityId, platformUserId: MEMBERS[i] } }))?.memberId;

  const sent: Inbound[] = [];
  const applied = new Set<string>();
  let n = 0;
  for (const batch of batches) {
    const deliveries: Inbound[] = [];
    for (const a of batch) {
      const key = `${community}:${n++}`;
      if (a.t === 'again') {
        if (sent.length) deliveries.push(sent[sent.length - 1 - (a.back % sent.length)]);
        continue;
      }
      const user = MEMBERS[a.who];
      const id = await memberId(a.who);
      if (a.t === 'give' || a.t === 'take') deliveries.push(inbound(MOD, a.t, `${user} ${a.amount}`, key));
      else if (a.t === 'redeem') deliveries.push(inbound(user, 'redeem', String(rewardId), key));
      else if (a.t === 'submit') deliveries.push(inbound(user, 'challenge', `submit ${challengeId} https://example.com/${n}`, key));
      else if (a.t === 'approve') {
        const sub = id && await prisma.submission.findFirst({ where: { challengeId, memberId: id } });
        deliveries.push(inbound(MOD, 'challenge', `approve ${sub ? sub.id : 999_999}`, key));
      } else {
        const red = id && await prisma.redemption.findFirst({ where: { communityId, memberId: id }, orderBy: { id: 'desc' } });
        deliveries.push(inbound(MOD, 'redemption', `refund ${red ? red.id : 999_999}`, key));
      }
    }
    const replies: Reply[] = await Promise.all(deliveries.map((d, i) => target.engines[i % target.engines.length].handle(d)));
    replies.forEach((r, i) => {
      const d = deliveries[i];
      const name = `${d.command} ${String(d.args).split(' ')[0]}`.replace(/^(give|take|redeem) .*/, '$1');
      expect(r.error?.code, `${name}: ${r.text}`).not.toBe('errors:internal');
      if (!r.error && MOVES.has(name)) applied.add(d.eventKey!);
    });
    sent.push(...deliveries);
  }
  expect(await ledgerViolations(prisma, communityId)).toEqual([]);
  expect(await totalsViolations(prisma, communityId)).toEqual([]);
  // Each accepted delivery that moves points left one row; redeliveries and refusals none.
  expect(await prisma.ledgerEntry.count({ where: { communityId } })).toBe(MEMBERS.length + applied.size);
  expect(await prisma.processedEvent.count({ where: { key: { startsWith: `slack:${community}:` } } })).toBeGreaterThanOrEqual(applied.size);
}

describe('ledger invariants over random command sequences', () => {
  describe('SQLite', () => {
    let bot: TestBot;
    beforeAll(async () => { bot = await testBot(); });
    afterAll(async () => bot?.close());

    it('hold for every sequence, with duplicates and redeliveries', async () => {
      await fc.assert(fc.asyncProperty(script, (batches) => play({ engines: [bot.engine], prisma: bot.db.prisma }, batches)), { numRuns: 25 });
    });
  });

  describe.skipIf(!PG_ADMIN_URL)('PostgreSQL, two instances', () => {
    let pg: TwoInstances;
    beforeAll(async () => { pg = await twoInstances('ledgerprop'); });
    afterAll(async () => pg?.close());

    it('hold for every sequence, with deliveries of one batch split between the instances', async () => {
      await fc.assert(fc.asyncProperty(script, (batches) => play({ engines: [pg.e1, pg.e2], prisma: pg.a.prisma }, batches)), { numRuns: 20 });
    });
  });
});
