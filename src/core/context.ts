import type { CommandDef } from './command.js';
import type { Scope } from './scope.js';
import type { Address, Inbound, Platform, Role } from './types.js';
import type { Lang } from '../i18n/index.js';

export type { JobKind, Scope } from './scope.js';

export interface CommunityRow {
  id: string;
  name: string;
  referrerReward: number;
  refereeReward: number;
  locale: string;
  timezone: string;
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
  locale: string | null;
  createdAt: Date;
}

/**
 * Everything a command handler may use; one transaction per command. The transaction itself is sealed in
 * the Scope: a command passes `ctx` to its feature's service and hands the data to its presenter.
 */
export interface CommandContext extends Scope {
  community: CommunityRow;
  member: MemberRow;
  role: Role;
  platform: Platform;
  address?: Address;
  inbound: Inbound;
  /** Stable key of this delivery, for idempotent ledger writes (a fresh id when the platform gives none). */
  eventKey: string;
  /** The reader's language and the community's time zone. */
  lang: Lang;
  /** Every command the engine serves (for help). */
  commands: CommandDef[];
  /** The web dashboard's base URL (PUBLIC_URL), for sign-in links. */
  publicUrl: string;
}
