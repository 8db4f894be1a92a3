import { createHmac } from 'node:crypto';
import { inOwnTx, type Db } from '../db/client.js';
import { claimDelivery, dueDeliveries, settleDelivery, type AttemptOutcome, type ClaimedDelivery } from '../features/webhooks/service.js';
import { PROCESS_OWNER } from './owner.js';
import { txScope } from './jobs.js';
import { privateAllowed, publicDestination } from './webhook-address.js';

/** A claim outlives the longest attempt (the request timeout) by far; past it another instance may take the row. */
const LEASE_MS = 60_000;
export const WEBHOOK_TIMEOUT_MS = 10_000;

/** "t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>": receivers recompute it, and may refuse old `t`. */
export function signatureHeader(secret: string, body: string, at: Date): string {
  const t = Math.floor(at.getTime() / 1000);
  return `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`;
}

export interface DeliverOptions {
  now: Date;
  random: (n: number) => number;
  limit?: number;
  /** Requests in flight at once (default 8). */
  concurrency?: number;
  /** Per request (default 10 s). */
  timeoutMs?: number;
  /** Who holds the claims (default: this process). Two engines in one process (tests) still fence by attempt number. */
  owner?: string;
  /** Receivers on private networks (default: privateAllowed(), i.e. WEBHOOK_ALLOW_PRIVATE=1, development and tests). */
  allowPrivate?: boolean;
  onError(err: unknown): void;
}

/**
 * What went wrong, in a few words: enough for the owner to act on, too little to map a network with (the
 * error text is shown on the dashboard and through the API).
 */
function failureOf(err: unknown, timeoutMs: number): string {
  const e = err as { name?: string; code?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError') return `timeout after ${timeoutMs} ms`;
  const code = e?.cause?.code ?? e?.code ?? '';
  const text = `${e?.cause?.message ?? ''} ${e?.message ?? ''}`;
  if (/^(ERR_TLS|ERR_SSL|CERT_|UNABLE_TO_|DEPTH_ZERO|SELF_SIGNED)/.test(code) || /certificate|SSL|TLS|wrong version number|altnames/i.test(text)) return 'TLS error';
  return 'connection failed';
}

/** POSTs one delivery; any answer but 2xx, a network error or the timeout is a failed attempt. */
async function post(d: ClaimedDelivery, timeoutMs: number, allowPrivate: boolean, clock: () => Date): Promise<AttemptOutcome> {
  if (!allowPrivate && !(await publicDestination(new URL(d.url)))) return { ok: false, status: null, error: 'address not allowed' };
  try {
    const res = await fetch(d.url, {
      method: 'POST',
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
      headers: {
        'Content-Type': 'application/json',
        'User-Agent': 'engage-bot-webhooks',
        'X-Engage-Event': d.event,
        'X-Engage-Delivery': String(d.id),
        // Signed when sent (not when the batch began), so receivers may refuse old timestamps.
        'X-Engage-Signature': signatureHeader(d.secret, d.payload, clock()),
      },
      body: d.payload,
    });
    // The body is not needed; dropping it frees the connection.
    await res.body?.cancel().catch(() => {});
    if (res.status >= 200 && res.status < 300) return { ok: true, status: res.status };
    return { ok: false, status: res.status, error: `HTTP ${res.status}`, gone: res.status === 410 };
  } catch (err) {
    return { ok: false, status: null, error: failureOf(err, timeoutMs) };
  }
}

/**
 * Sends due webhook deliveries: each row is claimed by a conditional update (status and attempt count as read,
 * with a lease and holder), POSTed, and its outcome recorded only while that claim holds, so with several
 * instances each row is sent by one of them. Every write is a transaction of its own (inOwnTx); the request
 * itself runs outside any transaction. Returns how many were delivered.
 */
export async function deliverWebhooks(prisma: Db, o: DeliverOptions): Promise<number> {
  const { now } = o;
  // The engine's time of the batch, moved on by the time the batch has taken so far.
  const started = performance.now();
  const sentAt = () => new Date(now.getTime() + (performance.now() - started));
  const owner = o.owner ?? PROCESS_OWNER;
  const scoped = <T>(work: (s: ReturnType<typeof txScope>) => Promise<T>) => inOwnTx(prisma, (tx) => work(txScope(tx, now, o.random)));
  const due = await scoped((s) => dueDeliveries(s, o.limit ?? 50));
  let delivered = 0;
  // A few at a time: one slow receiver (up to the timeout) does not hold up every other webhook.
  const worker = async () => {
    for (let row = due.shift(); row; row = due.shift()) {
      try {
        const claimed = row;
        const d = await scoped((s) => claimDelivery(s, claimed, owner, LEASE_MS));
        if (!d) continue;
        const outcome = await post(d, o.timeoutMs ?? WEBHOOK_TIMEOUT_MS, o.allowPrivate ?? privateAllowed(), sentAt);
        if ((await scoped((s) => settleDelivery(s, d, outcome))) && outcome.ok) delivered++;
      } catch (err) {
        o.onError(err);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(o.concurrency ?? 8, due.length) }, worker));
  return delivered;
}
