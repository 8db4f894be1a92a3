import type { Tx } from '../db/client.js';
import type { CommandDef } from './command.js';
import type { Announcement, Inbound, Platform, Role } from './types.js';

export type JobKind = 'contest.end' | 'challenge.deadline' | 'poll.open' | 'poll.close';

/** What domain services may use, from a command or from a scheduled job. All writes go through `tx`. */
export interface Deps {
  tx: Tx;
  now: Date;
  /** Uniform random integer in [0, n): crypto-grade by default, injectable in tests. */
  random(n: number): number;
  /** Queue a message to a channel; it is stored in the same transaction and sent by the adapter. */
  announce(a: Announcement): Promise<void>;
  /** Ensure a scheduled job exists, or move it (contest end, challenge deadline, poll open/close). */
  schedule(kind: JobKind, refId: number, runAt: Date): Promise<void>;
  /** Settle a pending job that is no longer needed (the thing was ended, closed or cancelled by hand). */
  unschedule(kind: JobKind, refId: number): Promise<void>;
}

export interface CommunityRow {
  id: string;
  name: string;
  referrerReward: number;
  refereeReward: number;
  tiers: string;
}

export interface MemberRow {
  id: string;
  communityId: string;
  displayName: string;
  role: string;
  balance: number;
  lifetimePoints: number;
  referralCode: string;
  referredById: string | null;
  createdAt: Date;
}

/** Everything a command handler may use; one transaction per command. */
export interface CommandContext extends Deps {
  community: CommunityRow;
  member: MemberRow;
  role: Role;
  platform: Platform;
  channelId?: string;
  inbound: Inbound;
  /** Stable key of this delivery, for idempotent ledger writes (a fresh id when the platform gives none). */
  eventKey: string;
  /** Every command the engine serves (for help). */
  commands: CommandDef[];
}
