/** The wait before try `attempt + 1` after `attempt` failed tries: `baseMs` after the first, doubling, at most `capMs`. */
export function doubling(attempt: number, baseMs: number, capMs: number): number {
  return Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
}

/**
 * The same wait with ±20% jitter, so that many failures at once (a platform outage) do not all come back in
 * the same second.
 */
export function backoffMs(attempt: number, opts: { baseMs: number; capMs: number }, random: () => number = Math.random): number {
  return Math.round(doubling(attempt, opts.baseMs, opts.capMs) * (0.8 + 0.4 * random()));
}
