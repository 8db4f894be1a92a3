import type { Scope } from '../../core/scope.js';
import type { Address, Notice, Platform } from '../../core/types.js';
import { channelOf } from '../../core/address.js';

/*
 * Where a giveaway is posted: the channel it was created in, and the announce channel (/announce here) of
 * every other space bound to the community. Stored in Contest.announceTo when it is created; its card, end,
 * rerolls, unclaimed prizes and cancellation go to all of them.
 */

export interface ContestTarget { platform: Platform; address: Address }

type Targeted = { announceTo: string; platform?: string | null; channelId?: string | null; threadId?: string | null };

/** The stored targets; a giveaway from before they were stored goes to the channel it was created in. */
export function targetsOf(row: Targeted): ContestTarget[] {
  const list = JSON.parse(row.announceTo || '[]') as ContestTarget[];
  const to = channelOf({ channelId: row.channelId ?? null, threadId: row.threadId ?? null });
  return list.length || !row.platform || !to ? list : [{ platform: row.platform as Platform, address: to }];
}

/** Posts (or, with `edit`, edits the card under that key) in every channel the giveaway announces to. */
export async function tellAll(s: Scope, row: Targeted & { communityId: string }, notice: (t: ContestTarget) => Promise<Notice> | Notice,
  opts: { card?: string; edit?: string } = {}) {
  for (const t of targetsOf(row)) {
    await s.announce({ communityId: row.communityId, platform: t.platform, to: t.address, notice: await notice(t), ...opts });
  }
}
