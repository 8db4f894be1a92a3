import type { Db } from '../db/client.js';
import type { AccessOutcome, AccessTask, Platform } from '../core/types.js';

/**
 * Claims pending AccessGrant rows of one platform (like the outbox), hands each to `apply`, records the
 * outcome (AccessEvent) and retries passing failures with backoff; a missing permission is reported to the
 * community's moderators once. TODO(issue 9): implement.
 */
export async function deliverAccess(_prisma: Db, _platform: Platform, _apply: (task: AccessTask) => Promise<AccessOutcome>,
  _o: { now: Date; limit: number; onError(err: unknown): void }): Promise<number> {
  return 0;
}
