/**
 * Holds high-volume activity events briefly and hands them on in groups: a group is committed when it
 * reaches `maxEvents`, when the oldest waiting event is `maxMs` old, or on `flush()` (the runtime's stop).
 *
 * Events are accepted into memory: an event accepted but not yet committed when the process dies is lost.
 * That loss is small and bounded (at most `maxEvents`, at most `maxMs` worth of chat), and platforms
 * redeliver only what they send as webhooks (Slack events, Telegram webhook updates); a gateway message
 * (Discord) is simply not paid. Paying twice is what must never happen, and cannot: every award is keyed
 * by the platform's event id in the ledger, so a redelivery, a retried group or a second instance is
 * ignored (see src/features/activity/service.ts).
 */
export interface ActivityBufferOptions {
  /** Commit once this many events wait (default 100). */
  maxEvents?: number;
  /** Commit at the latest this long after the first waiting event arrived (default 250 ms). */
  maxMs?: number;
}

export class ActivityBuffer<T> {
  private pending: T[] = [];
  private timer?: NodeJS.Timeout;
  /** Groups commit one after another, in arrival order. */
  private chain: Promise<void> = Promise.resolve();
  readonly maxEvents: number;
  readonly maxMs: number;

  /** `commit` stores one group (the engine: one transaction); it reports its own failures and does not throw. */
  constructor(private readonly commit: (group: T[]) => Promise<void>, opts: ActivityBufferOptions = {}) {
    this.maxEvents = Math.max(1, opts.maxEvents ?? 100);
    this.maxMs = Math.max(0, opts.maxMs ?? 250);
  }

  /** Events waiting to be committed. */
  get size(): number {
    return this.pending.length;
  }

  /** Accepts an event; when the group is full, waits for it to commit (back-pressure on a flood). */
  async add(item: T): Promise<void> {
    this.pending.push(item);
    if (this.pending.length >= this.maxEvents) return this.flush();
    if (!this.timer) {
      this.timer = setTimeout(() => { this.flush().catch(() => undefined); }, this.maxMs);
      this.timer.unref?.();
    }
  }

  /** Commits everything accepted so far; resolves when it is stored. */
  flush(): Promise<void> {
    if (this.timer) { clearTimeout(this.timer); this.timer = undefined; }
    const run = this.chain.then(async () => {
      while (this.pending.length) await this.commit(this.pending.splice(0, this.maxEvents));
    });
    this.chain = run.catch(() => undefined);
    return run;
  }
}
