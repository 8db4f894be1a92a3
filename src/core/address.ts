import type { Address } from './types.js';

/** The channel (and thread or topic) a stored row (challenge, giveaway, poll) was created in, as an address. */
export const channelOf = (row: { channelId: string | null; threadId: string | null }): Address | undefined =>
  row.channelId ? { kind: 'channel', channelId: row.channelId, ...(row.threadId ? { threadId: row.threadId } : {}) } : undefined;
