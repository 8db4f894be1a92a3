import { AsyncLocalStorage } from 'node:async_hooks';
import { pino, type Logger } from 'pino';

/*
 * Structured logs (pino): one JSON line per event on stderr, or readable lines when stderr is a terminal
 * (LOG_FORMAT=json|pretty overrides). stdout stays free for the console demo. Every line logged while a
 * command is handled carries its community, platform and delivery id (logContext, set by the engine).
 */

export type { Logger };

/** What a line logged during a command says about it: set by Engine.handle for the work it runs. */
export const logContext = new AsyncLocalStorage<{ community: string; platform: string; delivery?: string; command?: string }>();

/** Platform tokens that errors can carry (grammY puts the Bot API URL, token included, in its messages). */
const SECRETS = /\bbot\d+:[A-Za-z0-9_-]{20,}|\bxox[abpre]-[A-Za-z0-9-]+|\bxapp-[A-Za-z0-9-]+/g;
export const maskSecrets = (text: string): string => text.replace(SECRETS, (m) => `${m.slice(0, m.indexOf(':') > 0 ? m.indexOf(':') + 1 : 5)}<hidden>`);
const masked = <T>(value: T): T => JSON.parse(maskSecrets(JSON.stringify(value))) as T;

export interface LogOptions {
  level?: string;
  format?: 'json' | 'pretty';
  /** Where JSON lines go (default stderr); tests pass a stream. */
  destination?: NodeJS.WritableStream;
}

export function createLogger(opts: LogOptions = {}): Logger {
  const format = opts.format ?? (process.stderr.isTTY && !opts.destination ? 'pretty' : 'json');
  const options = {
    level: opts.level ?? 'info',
    base: { pid: process.pid },
    mixin: () => logContext.getStore() ?? {},
    serializers: { err: (e: Error) => masked(pino.stdSerializers.err(e)) },
    hooks: {
      // Messages too: an adapter's line may quote an error whose text holds a request URL.
      logMethod(this: Logger, args: unknown[], method: (...a: unknown[]) => void) {
        method.apply(this, args.map((a) => (typeof a === 'string' ? maskSecrets(a) : a)));
      },
    },
  };
  if (format === 'pretty') {
    return pino({ ...options, transport: { target: 'pino-pretty', options: { destination: 2, colorize: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' } } });
  }
  return pino(options, opts.destination ?? pino.destination({ dest: 2, sync: false }));
}

/** A `(message) => void` for code that logs plain lines (adapters, the runtime), tagged with where it comes from. */
export const lineLogger = (log: Logger, fields: Record<string, unknown>) => {
  const child = log.child(fields);
  return (msg: string) => child.info(msg);
};
