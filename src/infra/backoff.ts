/**
 * How long to wait before try number `attempt + 1` after `attempt` failed tries: doubling from `baseMs`,
 * capped at `capMs`, with ±20% jitter so that many failures at once (a platform outage) do not all come
 * back in the same second.
 */
export function backoffMs(attempt: number, opts: { baseMs: number; capMs: number }, random: () => number = Math.random): number {
  const plain = Math.min(opts.capMs, opts.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(plain * (0.8 + 0.4 * random()));
}
