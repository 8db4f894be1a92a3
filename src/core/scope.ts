import type { Tx } from '../db/client.js';
import type { Announcement } from './types.js';

export type JobKind = 'contest.end' | 'challenge.deadline' | 'poll.open' | 'poll.close';

// The transaction is sealed under a symbol that only txOf() reads: commands, presenters and adapters
// receive a Scope but cannot query through it (test/architecture.test.ts checks who imports txOf).
const TX = Symbol('tx');

/** One unit of work (a command or a scheduled job): its transaction, clock, randomness, outbox and scheduler. */
export interface Scope {
  readonly [TX]: Tx;
  readonly now: Date;
  /** Uniform random integer in [0, n): crypto-grade by default, injectable in tests. */
  random(n: number): number;
  /** Queue a notice; it is stored in the same transaction and sent after it commits. */
  announce(a: Announcement): Promise<void>;
  /** Ensure a scheduled job exists, or move it (contest end, challenge deadline, poll open/close). */
  schedule(kind: JobKind, refId: number, runAt: Date): Promise<void>;
  /** Settle a pending job that is no longer needed (the thing was ended, closed or cancelled by hand). */
  unschedule(kind: JobKind, refId: number): Promise<void>;
}

/** The transaction behind a scope. Only feature services (and the engine's infrastructure) call this. */
export function txOf(scope: Scope): Tx {
  return scope[TX];
}

export function sealScope(tx: Tx, parts: Omit<Scope, typeof TX>): Scope {
  return { [TX]: tx, ...parts };
}
