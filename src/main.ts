import 'dotenv/config';
import { openDatabase, DEFAULT_DATABASE_URL } from './db/client.js';
import { lockDatabase } from './db/lock.js';
import { migrateDeploy } from './db/migrate.js';
import { Engine } from './engine.js';
import { Runtime, type PlatformAdapter } from './runtime.js';
import { loadConfig } from './config.js';
import { allCommands } from '../commands/index.js';
import { createWebServer, type WebServer } from './web/server.js';

/**
 * Starts the bot: applies migrations, then runs every platform whose tokens are set
 * (Discord, Slack, Telegram), or the terminal console when none is set or with --console.
 */
async function main() {
  const cfg = loadConfig(process.env, process.argv.slice(2));
  const url = cfg.databaseUrl ?? DEFAULT_DATABASE_URL;
  // A SQLite file serves one process: a second one stops here, before migrating, with the reason.
  lockDatabase(url);
  const applied = await migrateDeploy(url);
  if (applied.length) console.error(`database: applied ${applied.join(', ')}`);
  const db = await openDatabase(url);
  // The console demo can move its clock forward (:tick 3d) to show scheduled draws and poll closings.
  let offsetMs = 0;
  const engine = new Engine(db, { commands: allCommands, now: () => new Date(Date.now() + offsetMs), rateLimit: {} });
  const adapters: PlatformAdapter[] = [];
  let runtime: Runtime | undefined;
  let web: WebServer | undefined;
  const shutdown = async () => {
    await web?.stop();
    await runtime?.stop();
    await db.close();
    process.exit(0);
  };
  if (cfg.console) {
    const { ConsoleAdapter } = await import('../adapters/console/index.js');
    adapters.push(new ConsoleAdapter(engine, {
      onExit: () => void shutdown(),
      tick: () => runtime!.tick(),
      advance: (ms) => { offsetMs += ms; },
    }));
  }
  for (const name of cfg.platforms) {
    const mod = await import(`../adapters/${name}/index.js`);
    adapters.push(await mod.createAdapter(engine, cfg));
  }
  runtime = new Runtime(engine, adapters, { log: (m) => console.error(m) });
  // Health, readiness, metrics and the dashboard on PORT (src/web); up before the adapters connect, so /readyz can say "not yet".
  web = createWebServer({ engine, adapters, publicUrl: cfg.PUBLIC_URL });
  try {
    const port = await web.start(cfg.PORT);
    if (!cfg.console) console.error(`web: listening on port ${port}`);
  } catch (err) {
    // The console demo works without its web pages; a real deployment must not start half-way.
    if (!cfg.console) throw err;
    console.error(`web: not started (${(err as Error).message}); set PORT to a free port for the dashboard`);
    web = undefined;
  }
  for (const a of adapters) await a.start();
  // In a sharded Discord deployment only the shard-0 process runs the scheduler and delivers the outbox.
  if (adapters.every((a) => a.ownsBackgroundWork !== false)) await runtime.start();
  if (!cfg.console) console.error(`engage bot running: ${adapters.map((a) => a.platform).join(', ')}`);
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
