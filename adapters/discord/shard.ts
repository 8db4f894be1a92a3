/**
 * Sharded launcher: `npx tsx adapters/discord/shard.ts` starts a discord.js ShardingManager that spawns
 * the normal bot entry (src/main.ts) once per shard, in its own process. discord.js passes SHARDS /
 * SHARD_COUNT to each child, and the Client in the child picks them up, so the adapter needs no changes.
 *
 * Slash-command registration belongs to one process: the one that runs shard 0, or the only process when
 * not sharded (see ownsBackgroundWork). The scheduler and outbox run in every process (rows are claimed).
 * Slack and Telegram, if configured, run only in the shard-0 process (their tokens are removed from the
 * other shards' environment) so they are not started N times. Across machines, give each process its
 * shard ids instead (DISCORD_SHARDS=0,1 with DISCORD_SHARD_COUNT=4) and `npm start` it.
 *
 * Several shards mean several processes, which a SQLite database cannot serve: the launcher refuses
 * them there (use PostgreSQL), see shardCountFor.
 */
import { fileURLToPath, pathToFileURL } from 'node:url';
import { fetchRecommendedShardCount, ShardingManager, type Shard } from 'discord.js';
import { z } from 'zod';
import { DEFAULT_DATABASE_URL, providerOf } from '../../src/db/url.js';
import { lockDatabase, severalProcessesRefusal } from '../../src/db/lock.js';

/**
 * Whether this process registers the slash commands (once per deployment).
 * `shards` is the Client's `options.shards`: undefined or 'auto' (not sharded, or all shards in this
 * process) -> true; otherwise true only when the list contains shard 0.
 */
export function ownsBackgroundWork(shards: number | readonly number[] | 'auto' | undefined | null): boolean {
  if (shards === undefined || shards === null || shards === 'auto') return true;
  if (typeof shards === 'number') return shards === 0;
  return shards.length === 0 || shards.includes(0);
}

/** Environment variables only the shard-0 process may see (other platforms must run once). */
export const SHARD0_ONLY_ENV = ['SLACK_BOT_TOKEN', 'SLACK_APP_TOKEN', 'SLACK_SIGNING_SECRET', 'TELEGRAM_BOT_TOKEN', 'TELEGRAM_WEBHOOK_URL', 'TELEGRAM_WEBHOOK_SECRET'];

export interface ShardLauncherOptions {
  token: string;
  /** Number of shards, or 'auto' (Discord's recommendation). */
  totalShards?: number | 'auto';
  /** The bot entry each shard runs (default the compiled dist/src/main.js, or src/main.ts from the sources). */
  file?: string;
  /** Node flags for the children (default: none compiled; tsx from the sources). */
  execArgv?: string[];
  log?: (msg: string) => void;
}

export function createShardManager(opts: ShardLauncherOptions): ShardingManager {
  // Compiled (dist/adapters/discord/shard.js), shards run dist/src/main.js; from the sources, main.ts through tsx.
  const compiled = import.meta.url.endsWith('.js');
  const file = opts.file ?? fileURLToPath(new URL(compiled ? '../../src/main.js' : '../../src/main.ts', import.meta.url));
  const manager = new ShardingManager(file, {
    token: opts.token,
    totalShards: opts.totalShards ?? 'auto',
    mode: 'process',
    respawn: true,
    execArgv: opts.execArgv ?? (compiled ? [] : ['--import', 'tsx']),
  });
  manager.on('shardCreate', (shard: Shard) => {
    // Runs before the shard process is forked: trim the other shards' environment.
    if (shard.id !== 0) {
      const env = shard.env as Record<string, unknown>;
      for (const k of SHARD0_ONLY_ENV) delete env[k];
    }
    opts.log?.(`discord: launching shard ${shard.id}`);
  });
  return manager;
}

/**
 * The shard count to launch on `databaseUrl`. On SQLite (one process only) 'auto' is resolved first
 * (`recommended`, Discord's figure) and more than one shard is refused with the advice to use PostgreSQL;
 * a bot already running on the file is refused too, here rather than in each shard's (respawned) process.
 */
export async function shardCountFor(databaseUrl: string, requested: number | 'auto', recommended: () => Promise<number>): Promise<number | 'auto'> {
  if (providerOf(databaseUrl) !== 'sqlite') return requested;
  const count = requested === 'auto' ? await recommended() : requested;
  const refusal = severalProcessesRefusal(databaseUrl, count);
  if (refusal) throw new Error(`${refusal} Or run a single shard (DISCORD_SHARD_COUNT=1).`);
  lockDatabase(databaseUrl)();
  return count;
}

const ShardEnv = z.object({
  DISCORD_TOKEN: z.string({ error: 'is required (the bot token)' }).min(1, 'is required (the bot token)'),
  DISCORD_SHARD_COUNT: z.union([z.literal('auto'), z.coerce.number().int().min(1).max(10_000)], { error: 'must be auto or a whole number of shards' }).default('auto'),
});

async function main() {
  await import('dotenv/config');
  const parsed = ShardEnv.safeParse(Object.fromEntries(Object.entries(process.env).filter(([, v]) => v !== undefined && v !== '')));
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw new Error(`Configuration error: ${String(i.path[0])} ${i.message}.`);
  }
  const token = parsed.data.DISCORD_TOKEN;
  const totalShards = await shardCountFor(process.env.DATABASE_URL || DEFAULT_DATABASE_URL, parsed.data.DISCORD_SHARD_COUNT, () => fetchRecommendedShardCount(token));
  const manager = createShardManager({ token, totalShards, log: (m) => console.error(m) });
  await manager.spawn();
  console.error(`discord: ${manager.shards.size} shard(s) running`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
