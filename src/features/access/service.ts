import type { Scope } from '../../core/scope.js';

/**
 * A member's lifetime points moved from `before` to `after` (applyPoints, in its transaction): when that
 * crosses a tier threshold either way, the access the tiers give is wanted or no longer wanted.
 * TODO(issue 9): implement.
 */
export async function tierCrossed(_s: Scope, _communityId: string, _memberId: string, _before: number, _after: number): Promise<void> {}
