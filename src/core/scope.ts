import type { Tx } from '../db/client.js';
import type { Announcement } from './types.js';
import type { RankIndex } from '../infra/rank-index.js';

export type JobKind =
  | 'contest.end' | 'contest.refresh' | 'contest.claim' | 'challenge.deadline' | 'poll.open' | 'poll.close' | 'poll.remind'
  | 'season.start' | 'season.end' | 'referral.check';

// The transaction is sealed under a symbol that only txOf() reads: commands, presenters and adapters
// receive a Scope but cannot query through it (test/architecture.test.ts checks who imports txOf).
const TX = Symbol('tx');
const MEMO = Symbol('memo');

/** One unit of work (a command or a scheduled job): its transaction, clock, randomness, outbox and scheduler. */
export interface Scope {
  readonly [TX]: Tx;
  /** What services read once per unit of work (memoOf); a command's context carries the same map. */
  readonly [MEMO]: Map<string, unknown>;
  readonly now: Date;
  /** Uniform random integer in [0, n): crypto-grade by default, injectable in tests. */
  random(n: number): number;
  /** Queue a notice; it is stored in the same transaction and sent after it commits. */
  announce(a: Announcement): Promise<void>;
  /** Ensure a scheduled job exists, or move it (contest end, challenge deadline, poll open/close). */
  schedule(kind: JobKind, refId: number, runAt: Date): Promise<void>;
  /**
   * Throttle: make sure the job runs at `runAt` unless it is already pending (then it keeps its time, so a
   * burst of calls runs it once). A job that already ran is armed again. For refreshes such as a live card.
   */
  scheduleIfIdle(kind: JobKind, refId: number, runAt: Date): Promise<void>;
  /** Settle a pending job that is no longer needed (the thing was ended, closed or cancelled by hand). */
  unschedule(kind: JobKind, refId: number): Promise<void>;
  /**
   * Runs `fn` once the transaction has committed (never after a rollback; a retried attempt's hooks are
   * dropped with it). A failing hook is reported, never the unit of work's failure. Scopes made outside the
   * engine and job runner (tests, the bench) drop their hooks.
   */
  afterCommit(fn: () => Promise<void> | void): void;
  /** The rank index of this database (src/infra/rank-index.ts), when there is one: standingOf reads ranks from it. */
  readonly ranks?: RankIndex;
}

/** Runs the hooks a committed unit of work registered, in order; failures go to `onError`. */
export async function runAfterCommit(hooks: (() => Promise<void> | void)[], onError: (err: unknown) => void): Promise<void> {
  for (const fn of hooks) {
    try { await fn(); } catch (err) { onError(err); }
  }
}

/** The transaction behind a scope. Only feature services (and the engine's infrastructure) call this. */
export function txOf(scope: Scope): Tx {
  return scope[TX];
}

/** Rows this unit of work already read, for services (a retried attempt gets a new scope, so a new map). */
export function memoOf(scope: Scope): Map<string, unknown> {
  return scope[MEMO];
}

export function sealScope(tx: Tx, parts: Omit<Scope, typeof TX | typeof MEMO>): Scope {
  return { [TX]: tx, [MEMO]: new Map(), ...parts };
}
