import type { Scope } from '../../core/scope.js';
import type { PresenceEvent } from '../../core/types.js';

/**
 * Records a join or a leave (Presence), credits Discord invite attribution, and tells the referral rules
 * (referrals/service onJoined / onLeft). TODO(issue 9): implement.
 */
export async function recordPresence(_s: Scope, _e: PresenceEvent): Promise<void> {}
