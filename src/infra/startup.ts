import type { Logger } from 'pino';
import type { PlatformAdapter } from '../runtime.js';

/*
 * Starting a platform adapter says what it is doing, and a network or token problem says which platform
 * and what to check, within seconds, instead of hanging (a Bot API call without network never returns).
 */

const NAMES: Record<string, string> = { discord: 'Discord', slack: 'Slack', telegram: 'Telegram', console: 'the console' };
const HOSTS: Record<string, string> = { discord: 'discord.com and gateway.discord.gg', slack: 'slack.com', telegram: 'api.telegram.org' };
const TOKENS: Record<string, string> = { discord: 'DISCORD_TOKEN', slack: 'SLACK_BOT_TOKEN (and SLACK_APP_TOKEN or SLACK_SIGNING_SECRET)', telegram: 'TELEGRAM_BOT_TOKEN' };

/** The error code of Node's network stack (or undici's) anywhere in an error's chain of causes. */
function networkCode(err: unknown): string | undefined {
  // Node puts the cause in `cause`; grammY's HttpError in `error`.
  for (let e = err as { code?: unknown; cause?: unknown; error?: unknown } | undefined, depth = 0; e && depth < 6; e = (e.cause ?? e.error) as typeof e, depth++) {
    if (typeof e.code === 'string' && /^(ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH|UND_ERR_CONNECT_TIMEOUT|UND_ERR_SOCKET)$/.test(e.code)) return e.code;
  }
  return undefined;
}

/** A start-up failure in words: which platform, what went wrong, what to check. */
export function explainStartFailure(platform: string, err: unknown, host = HOSTS[platform] ?? platform): string {
  const name = NAMES[platform] ?? platform;
  const message = err instanceof Error ? err.message : String(err);
  const code = networkCode(err);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `${name}: cannot look up ${host} (${code}). Check this machine's network and DNS.`;
  if (code) return `${name}: cannot reach ${host} (${code}). Check the network connection, a proxy or a firewall.`;
  if (/\b401\b|unauthori[sz]ed|invalid[_ ]auth|not_authed|invalid token|TokenInvalid|An invalid token was provided/i.test(message)) {
    return `${name}: the token was refused (${message}). Check ${TOKENS[platform] ?? 'its token'}.`;
  }
  return `${name}: could not start (${message}).`;
}

export interface StartOptions { timeoutMs?: number; host?: string }

/** Starts one adapter with a deadline; throws an Error whose message is the explanation. */
export async function startAdapter(a: PlatformAdapter, log: Logger, opts: StartOptions = {}): Promise<void> {
  const name = NAMES[a.platform] ?? a.platform;
  const host = opts.host ?? HOSTS[a.platform] ?? a.platform;
  const timeoutMs = opts.timeoutMs ?? 20_000;
  if (a.platform !== 'console') log.info({ platform: a.platform }, `connecting to ${name}...`);
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${name}: no answer from ${host} after ${Math.round(timeoutMs / 1000)} s. Check the network connection, a proxy or a firewall.`)), timeoutMs);
  });
  try {
    await Promise.race([a.start(), deadline]);
  } catch (err) {
    if (err instanceof Error && err.message.startsWith(`${name}: no answer`)) throw err;
    throw new Error(explainStartFailure(a.platform, err, host));
  } finally {
    clearTimeout(timer);
  }
  if (a.platform !== 'console') log.info({ platform: a.platform, ms: Date.now() - started }, `connected to ${name}`);
}
