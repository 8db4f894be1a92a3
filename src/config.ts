import { z } from 'zod';

/** Environment settings, validated with zod so a typo fails at start with a clear message. */
const Env = z.object({
  DATABASE_URL: z.string().regex(/^(file:|postgres(ql)?:\/\/)/, 'must start with file: or postgres://').optional(),
  /** PostgreSQL with several processes: ranks come from shared Redis sorted sets (src/infra/rank-index.ts). */
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must start with redis:// or rediss://').optional(),
  DISCORD_TOKEN: z.string().min(1).optional(),
  DISCORD_APPLICATION_ID: z.string().regex(/^\d+$/, 'must be the numeric application id').optional(),
  DISCORD_GUILD_ID: z.string().regex(/^\d+$/, 'must be a numeric server id').optional(),
  /** The bot has the privileged MessageContent intent: activity points then see message lengths. */
  DISCORD_MESSAGE_CONTENT: z.stringbool({ error: 'must be true or false' }).optional(),
  /**
   * The Discord shards this process runs ("0,1"), with DISCORD_SHARD_COUNT as the total: several processes,
   * on several machines, share the shards (and PostgreSQL). Unset: one process runs them all.
   */
  DISCORD_SHARDS: z.string().regex(/^\d+(\s*,\s*\d+)*$/, 'must be shard ids like 0,1').optional(),
  /** Total shards, with DISCORD_SHARDS; also used by `npm run start:sharded` (adapters/discord/shard.ts). */
  DISCORD_SHARD_COUNT: z.union([z.literal('auto'), z.coerce.number().int().min(1).max(10_000)], { error: 'must be auto or a whole number of shards' }).optional(),
  SLACK_BOT_TOKEN: z.string().startsWith('xoxb-', 'must start with xoxb-').optional(),
  SLACK_SIGNING_SECRET: z.string().min(1).optional(),
  SLACK_APP_TOKEN: z.string().startsWith('xapp-', 'must start with xapp-').optional(),
  /**
   * Slack for many workspaces (distribution): the app's OAuth client id and secret and a secret that signs the
   * OAuth state. All three (with SLACK_SIGNING_SECRET, instead of SLACK_BOT_TOKEN) turn on the install flow:
   * /slack/install and /slack/oauth_redirect on SLACK_PORT, installations kept in the database.
   */
  SLACK_CLIENT_ID: z.string().regex(/^\d+\.\d+$/, 'must be the app\'s client id (digits.digits)').optional(),
  SLACK_CLIENT_SECRET: z.string().min(1).optional(),
  SLACK_STATE_SECRET: z.string().min(16, 'must be at least 16 characters (a random secret)').optional(),
  /** The full OAuth redirect URL (https://…/slack/oauth_redirect); unset: the one configured for the app. */
  SLACK_REDIRECT_URL: z.string().url().regex(/^https?:\/\/.*\/slack\/oauth_redirect$/, 'must be a URL ending in /slack/oauth_redirect').optional(),
  /** /slack/install goes straight to Slack instead of showing an "Add to Slack" page. */
  SLACK_DIRECT_INSTALL: z.stringbool({ error: 'must be true or false' }).optional(),
  /** Slack's HTTP receiver: 3001, next to the web server's PORT (3000). */
  SLACK_PORT: z.coerce.number().int().min(1).max(65535).default(3001),
  /** The web server (health, readiness, metrics, dashboard); 0 = any free port. */
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Where members reach the dashboard (sign-in links start with it); default http://localhost:<PORT>. */
  PUBLIC_URL: z.string().url().regex(/^https?:\/\//, 'must start with http:// or https://').optional(),
  TELEGRAM_BOT_TOKEN: z.string().regex(/^\d+:[A-Za-z0-9_-]+$/, 'looks wrong (expected 123456:ABC...)').optional(),
  TELEGRAM_WEBHOOK_URL: z.string().url().optional(),
  TELEGRAM_WEBHOOK_SECRET: z.string().regex(/^[A-Za-z0-9_-]{1,256}$/, 'may only contain A-Z, a-z, 0-9, _ and -').optional(),
  TELEGRAM_PORT: z.coerce.number().int().min(1).max(65535).default(8443),
  /** Bot API server (default https://api.telegram.org), for a local Bot API server or a test double. */
  TELEGRAM_API_ROOT: z.string().url().regex(/^https?:\/\//, 'must start with http:// or https://').optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** json: one JSON line per event; pretty: readable lines (default when stderr is a terminal). */
  LOG_FORMAT: z.enum(['json', 'pretty']).optional(),
  /** How long a platform may take to connect at start-up before the bot stops with the reason. */
  START_TIMEOUT_S: z.coerce.number().int().min(1).max(600).default(30),
  /** How long a stop (SIGTERM, SIGINT) waits for running commands and the scheduler before exiting anyway. */
  STOP_TIMEOUT_S: z.coerce.number().int().min(1).max(600).default(10),
});

export type Config = z.infer<typeof Env> & {
  databaseUrl?: string;
  console: boolean;
  platforms: ('discord' | 'slack' | 'telegram')[];
};

export function loadConfig(env: Record<string, string | undefined>, argv: string[] = []): Config {
  const clean = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = Env.safeParse(clean);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw new Error(`Configuration error: ${String(i.path[0])} ${i.message}. See .env.example.`);
  }
  const e = parsed.data;
  const platforms: Config['platforms'] = [];
  if (e.DISCORD_TOKEN) platforms.push('discord');
  const slackOAuth = [e.SLACK_CLIENT_ID, e.SLACK_CLIENT_SECRET, e.SLACK_STATE_SECRET];
  if (slackOAuth.some(Boolean)) {
    if (!slackOAuth.every(Boolean)) throw new Error('Configuration error: Slack for many workspaces needs SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET together.');
    if (e.SLACK_BOT_TOKEN) throw new Error('Configuration error: set either SLACK_BOT_TOKEN (one workspace) or SLACK_CLIENT_ID/SLACK_CLIENT_SECRET/SLACK_STATE_SECRET (many workspaces), not both.');
    if (!e.SLACK_SIGNING_SECRET) throw new Error('Configuration error: Slack for many workspaces needs SLACK_SIGNING_SECRET (it runs in HTTP mode).');
    platforms.push('slack');
  }
  if (e.SLACK_BOT_TOKEN) {
    if (!e.SLACK_SIGNING_SECRET && !e.SLACK_APP_TOKEN) throw new Error('Configuration error: SLACK_BOT_TOKEN needs SLACK_SIGNING_SECRET (HTTP) or SLACK_APP_TOKEN (Socket Mode).');
    platforms.push('slack');
  }
  if (e.TELEGRAM_BOT_TOKEN) platforms.push('telegram');
  if (e.DISCORD_SHARDS) {
    const total = e.DISCORD_SHARD_COUNT;
    if (typeof total !== 'number') throw new Error('Configuration error: DISCORD_SHARDS needs DISCORD_SHARD_COUNT, the total number of shards.');
    const bad = e.DISCORD_SHARDS.split(',').map((x) => Number(x.trim())).find((id) => id >= total);
    if (bad !== undefined) throw new Error(`Configuration error: DISCORD_SHARDS has shard ${bad}, but DISCORD_SHARD_COUNT is ${total} (ids go from 0 to ${total - 1}).`);
  }
  const only = argv.includes('--console');
  return { ...e, databaseUrl: e.DATABASE_URL, console: only || platforms.length === 0, platforms: only ? [] : platforms };
}
