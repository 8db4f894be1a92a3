/**
 * Flood control: one token bucket per member (platform + community + platform user). Each command or
 * click takes a token; tokens come back at a steady rate up to the burst size. The buckets live in this
 * process only: with several bot processes (shards, instances) each keeps its own, so a member spread
 * over n processes may go up to n times as fast.
 */
export interface RateLimitOptions {
  /** Commands a member may send at once (the bucket's size). Default 10. */
  burst?: number;
  /** Commands per second given back. Default 5. */
  perSecond?: number;
  /**
   * Buckets kept at most; past that the least recently used is forgotten (a forgotten bucket starts
   * full again). Idle buckets are full and are forgotten anyway. Default 10,000.
   */
  maxBuckets?: number;
  /** Clock in milliseconds for refills; the process's monotonic clock by default (not the engine's). */
  now?: () => number;
}

interface Bucket { tokens: number; at: number }

export class RateLimiter {
  private readonly burst: number;
  private readonly perMs: number;
  private readonly maxBuckets: number;
  private readonly now: () => number;
  /** In least-recently-used order: a bucket is moved to the end each time it is used. */
  private readonly buckets = new Map<string, Bucket>();

  constructor(o: RateLimitOptions = {}) {
    this.burst = o.burst ?? 10;
    this.perMs = (o.perSecond ?? 5) / 1000;
    this.maxBuckets = o.maxBuckets ?? 10_000;
    this.now = o.now ?? (() => performance.now());
    if (!(this.burst >= 1 && this.perMs > 0 && this.maxBuckets >= 1)) throw new Error('rate limit: burst >= 1, perSecond > 0, maxBuckets >= 1');
  }

  /** Takes one token for `key`: 0 when allowed, else the milliseconds until the next token. */
  take(key: string): number {
    const now = this.now();
    const old = this.buckets.get(key);
    const tokens = old ? Math.min(this.burst, old.tokens + (now - old.at) * this.perMs) : this.burst;
    this.buckets.delete(key);
    this.evict(now);
    if (tokens < 1) {
      this.buckets.set(key, { tokens, at: now });
      return Math.ceil((1 - tokens) / this.perMs);
    }
    this.buckets.set(key, { tokens: tokens - 1, at: now });
    return 0;
  }

  /** How many members are being tracked (for tests). */
  get size(): number {
    return this.buckets.size;
  }

  /** Forgets the oldest buckets while they are full again (or while there are too many). */
  private evict(now: number) {
    for (const [key, b] of this.buckets) {
      const full = b.tokens + (now - b.at) * this.perMs >= this.burst;
      if (!full && this.buckets.size < this.maxBuckets) break;
      this.buckets.delete(key);
    }
  }
}
