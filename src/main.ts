import 'dotenv/config';
import { openDatabase, DEFAULT_DATABASE_URL } from './db/client.js';
import { lockDatabase } from './db/lock.js';
import { migrateDeploy } from './db/migrate.js';
import { Engine } from './engine.js';
import { Runtime, type PlatformAdapter } from './runtime.js';
import { loadConfig } from './config.js';
import { allCommands } from '../commands/index.js';
import { createWebServer, type WebServer } from './web/server.js';
import { createLogger, lineLogger, type Logger } from './infra/log.js';
import { startAdapter } from './infra/startup.js';

/**
 * Starts the bot: applies migrations, then runs every platform whose tokens are set (Discord, Slack,
 * Telegram), or the terminal console when none is set or with --console. SIGTERM and SIGINT stop it
 * cleanly within STOP_TIMEOUT_S; a second signal exits at once.
 */
async function main(log: Logger) {
  const cfg = loadConfig(process.env, process.argv.slice(2));
  log.level = cfg.LOG_LEVEL;
  const url = cfg.databaseUrl ?? DEFAULT_DATABASE_URL;
  // A SQLite file serves one process: a second one stops here, before migrating, with the reason.
  lockDatabase(url);
  const applied = await migrateDeploy(url);
  if (applied.length) log.info({ migrations: applied }, `database: applied ${applied.length} migration(s)`);
  const db = await openDatabase(url);
  // The console demo can move its clock forward (:tick 3d) to show scheduled draws and poll closings.
  let offsetMs = 0;
  const engine = new Engine(db, {
    commands: allCommands, now: () => new Date(Date.now() + offsetMs), rateLimit: {},
    // Lines logged while a command runs carry its community, platform and delivery id (logContext).
    onError: (err) => log.error({ err }, 'unexpected error'),
  });
  const adapters: PlatformAdapter[] = [];
  let runtime: Runtime | undefined;
  let web: WebServer | undefined;

  let stopping = false;
  const stop = async (why: string, signal = true) => {
    if (stopping) {
      // A second Ctrl-C or SIGTERM means "now"; the console closing as part of the stop is expected.
      if (!signal) return;
      log.warn(`${why} again: exiting now`);
      process.exit(1);
    }
    stopping = true;
    log.info(`${why}: stopping (up to ${cfg.STOP_TIMEOUT_S} s)...`);
    const limit = setTimeout(() => {
      log.error(`still busy after ${cfg.STOP_TIMEOUT_S} s: exiting anyway`);
      process.exit(1);
    }, cfg.STOP_TIMEOUT_S * 1000 + 2000);
    limit.unref();
    try {
      await web?.stop();
      await runtime?.stop(cfg.STOP_TIMEOUT_S * 1000);
      await db.close();
      log.info('stopped');
      log.flush();
      process.exit(0);
    } catch (err) {
      log.error({ err }, 'stop failed');
      process.exit(1);
    }
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  // `npm start` ends on SIGTERM without passing it on: a bot started by npm whose npm is gone stops the same
  // way. (Not otherwise: `nohup node ... &` is meant to outlive its shell.)
  if (process.env.npm_lifecycle_event) {
    const parent = process.ppid;
    setInterval(() => { if (process.ppid !== parent) void stop('parent process ended'); }, 500).unref();
  }

  if (cfg.console) {
    const { ConsoleAdapter } = await import('../adapters/console/index.js');
    adapters.push(new ConsoleAdapter(engine, {
      onExit: () => void stop('console closed', false),
      tick: () => runtime!.tick(),
      advance: (ms) => { offsetMs += ms; },
    }));
  }
  for (const name of cfg.platforms) {
    const mod = await import(`../adapters/${name}/index.js`);
    adapters.push(await mod.createAdapter(engine, cfg, log));
  }
  runtime = new Runtime(engine, adapters, { log: lineLogger(log, { part: 'runtime' }) });
  // Health, readiness, metrics and the dashboard on PORT (src/web); up before the adapters connect, so /readyz can say "not yet".
  web = createWebServer({ engine, adapters, publicUrl: cfg.PUBLIC_URL });
  try {
    const port = await web.start(cfg.PORT);
    log.info({ port }, `web: listening on port ${port}`);
  } catch (err) {
    // The console demo works without its web pages; a real deployment must not start half-way.
    if (!cfg.console) throw err;
    log.warn(`web: not started (${(err as Error).message}); set PORT to a free port for the dashboard`);
    web = undefined;
  }
  const telegramHost = cfg.TELEGRAM_API_ROOT ? new URL(cfg.TELEGRAM_API_ROOT).host : undefined;
  for (const a of adapters) {
    await startAdapter(a, log, { timeoutMs: cfg.START_TIMEOUT_S * 1000, ...(a.platform === 'telegram' && telegramHost ? { host: telegramHost } : {}) });
  }
  // Every process runs the scheduler and delivers the outbox: jobs, messages and webhook deliveries are
  // claimed row by row, so several processes (Discord shards on several machines) share the work safely.
  await runtime.start();
  log.info({ platforms: adapters.map((a) => a.platform) }, `engage bot running: ${adapters.map((a) => a.platform).join(', ')}`);
}

const log = createLogger({ format: process.env.LOG_FORMAT === 'json' || process.env.LOG_FORMAT === 'pretty' ? process.env.LOG_FORMAT : undefined });
main(log).catch((err) => {
  // Configuration and start-up failures are already worded for the reader: no stack trace.
  log.fatal(err instanceof Error ? err.message : String(err));
  log.flush();
  setTimeout(() => process.exit(1), 100).unref();
  process.exitCode = 1;
});
