import type { Scope } from '../../core/scope.js';

/** The board keys ("s:<id>") of the community's seasons running now: applyPoints adds earned points to them. TODO(issue 9). */
export async function runningSeasonPeriods(_s: Scope, _communityId: string): Promise<string[]> {
  return [];
}

/** Scheduled job: a season starts. TODO(issue 9). */
export async function startSeason(_s: Scope, _id: number): Promise<void> {}

/** Scheduled job: a season ends, its winners are paid once and a recap is posted. TODO(issue 9). */
export async function endSeason(_s: Scope, _id: number): Promise<void> {}
