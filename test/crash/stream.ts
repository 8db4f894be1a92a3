import type { Db } from '../../src/db/client.js';
import type { Inbound } from '../../src/core/types.js';

/**
 * The command stream the crash driver plays: the same commands for the same index on every run, so a
 * restarted driver can deliver the last ones again (as platforms redeliver what was not answered).
 */
export const COMMUNITY = 'TCRASH';
export const MOD = 'UADMIN';
export const MEMBERS = ['UCRASH0', 'UCRASH1', 'UCRASH2', 'UCRASH3', 'UCRASH4', 'UCRASH5'];

export const eventKeyAt = (i: number) => `crash-${i}`;

const inbound = (user: string, line: string, eventKey: string): Inbound => {
  const m = /^\/?(\S+)\s*([\s\S]*)$/.exec(line)!;
  return {
    platform: 'slack', communityKey: COMMUNITY, address: { kind: 'channel', channelId: 'C1' },
    actor: { platform: 'slack', userId: user, displayName: user, platformRole: user === MOD ? 'admin' : undefined },
    command: m[1], args: m[2], eventKey,
  };
};

/** Run once before the stream (again on every start; their event keys make the repeats no-ops). */
export const SETUP: Inbound[] = [
  inbound(MOD, '/reward add 25 Mug', 'crash-setup-reward'),
  inbound(MOD, '/challenge create "Write a review" 15 7d', 'crash-setup-challenge'),
];

/** A well-mixed number for index i and salt k. */
const mix = (i: number, k: number) => {
  let h = Math.imul(i ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(k + 1, 0xc2b2ae35);
  h ^= h >>> 15; h = Math.imul(h, 0x2c1b3c6d); h ^= h >>> 12;
  return h >>> 0;
};

export type Kind = 'give' | 'take' | 'redeem' | 'submit' | 'approve' | 'refund' | 'challenge';

export function kindAt(i: number): Kind {
  const r = mix(i, 0) % 12;
  return r < 4 ? 'give' : r < 6 ? 'take' : r < 8 ? 'redeem' : r < 9 ? 'submit' : r < 10 ? 'approve' : r < 11 ? 'refund' : 'challenge';
}

/** The i-th delivery; approvals and refunds pick something pending in the database at the time. */
export async function inboundAt(i: number, prisma: Db, communityId: string): Promise<Inbound> {
  const member = MEMBERS[mix(i, 1) % MEMBERS.length];
  const amount = 1 + (mix(i, 2) % 30);
  const key = eventKeyAt(i);
  switch (kindAt(i)) {
    case 'give': return inbound(MOD, `/give ${member} ${amount}`, key);
    case 'take': return inbound(MOD, `/take ${member} ${amount}`, key);
    case 'redeem': return inbound(member, '/redeem Mug', key);
    case 'submit': {
      const c = await prisma.challenge.findFirst({ where: { communityId, status: 'open' }, orderBy: { id: 'desc' } });
      return inbound(member, `/challenge submit ${c?.id ?? 1} https://example.com/${i}`, key);
    }
    case 'approve': {
      const s = await prisma.submission.findFirst({ where: { status: 'pending', challenge: { communityId } }, orderBy: { id: 'asc' } });
      return inbound(MOD, `/challenge approve ${s?.id ?? 999_999}`, key);
    }
    case 'refund': {
      const r = await prisma.redemption.findFirst({ where: { communityId, status: 'pending' }, orderBy: { id: 'asc' } });
      return inbound(MOD, `/redemption refund ${r?.id ?? 999_999}`, key);
    }
    case 'challenge': return inbound(MOD, `/challenge create "Task ${i}" ${amount} 7d`, key);
  }
}
