/**
 * Builds the Slack app manifest (slash commands, scopes, events, interactivity) from the command list.
 *
 *   npx tsx adapters/slack/manifest.ts                       # Socket Mode manifest -> adapters/slack/manifest.json
 *   npx tsx adapters/slack/manifest.ts https://bot.example.com  # HTTP mode: request URLs point there
 *   npx tsx adapters/slack/manifest.ts https://bot.example.com --oauth  # distribution: OAuth redirect, token rotation
 *
 * Paste the JSON into https://api.slack.com/apps -> Create New App -> From an app manifest.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { usage, type CommandDef } from '../../src/core/command.js';
import { lang, type Lang } from '../../src/i18n/index.js';
import { commandDescription, groupDescription } from '../../src/features/help/present.js';
import { clip } from '../shared/text.js';

/** Bot token scopes the adapter needs. */
export const BOT_SCOPES = [
  'commands', // slash commands
  'chat:write', // replies and announcements
  'chat:write.public', // announce in public channels the bot was not invited to
  'im:write', // open DMs for notices
  'users:read', // users.info: display names and workspace admin/owner
  'channels:history', // activity points: messages in public channels
  'groups:history', // activity points: messages in private channels the bot was added to
  'reactions:read', // activity points: reactions; emoji polls: votes by reaction
  'reactions:write', // emoji polls: the bot adds the answer emoji under the card
  'usergroups:read', // tier access: a user group's members; giveaway role requirements: a member's groups
  'usergroups:write', // tier access: add or remove a member of a user group
  'channels:manage', // tier access: invite to or remove from a public channel
  'groups:write', // tier access: invite to or remove from a private channel
] as const;

/** Events the adapter listens to. */
export const BOT_EVENTS = ['app_home_opened', 'message.channels', 'message.groups', 'reaction_added', 'reaction_removed', 'team_join', 'user_change'] as const;

/** Events of an app distributed to many workspaces (OAuth): uninstalls and revoked tokens remove the installation. */
export const OAUTH_EVENTS = ['app_uninstalled', 'tokens_revoked'] as const;

/** Where the OAuth flow starts (an "Add to Slack" page) and where Slack sends the installer back (distribution mode). */
export const INSTALL_PATH = '/slack/install';
export const REDIRECT_PATH = '/slack/oauth_redirect';

/** The path Bolt's HTTP receiver serves (slash commands, interactivity and events all go there). */
export const EVENTS_PATH = '/slack/events';

export interface ManifestOptions {
  name?: string;
  /** Default: the `slack:manifest.description` catalog text. */
  description?: string;
  /** Public https base URL of the bot (HTTP mode). Without it the manifest uses Socket Mode. */
  baseUrl?: string;
  /** Only the umbrella `/engage <command>`, for workspaces where names like /points are taken by other apps. */
  umbrellaOnly?: boolean;
  /**
   * Distribution to many workspaces (OAuth, needs baseUrl): the redirect URL, token rotation, and the uninstall
   * events. Slack requires HTTP request URLs for distributed apps.
   */
  oauth?: boolean;
}

/** The one command that reaches every other: `/engage points @kim`, `/engage challenge list`. */
export const UMBRELLA_COMMAND = 'engage';

export interface SlackManifest {
  _metadata: { major_version: number; minor_version: number };
  display_information: { name: string; description: string; background_color: string };
  features: {
    app_home: { home_tab_enabled: boolean; messages_tab_enabled: boolean; messages_tab_read_only_enabled: boolean };
    bot_user: { display_name: string; always_online: boolean };
    slash_commands: { command: string; description: string; usage_hint?: string; url?: string; should_escape: boolean }[];
  };
  oauth_config: { redirect_urls?: string[]; scopes: { bot: string[] } };
  settings: {
    event_subscriptions: { request_url?: string; bot_events: string[] };
    interactivity: { is_enabled: boolean; request_url?: string };
    org_deploy_enabled: boolean;
    socket_mode_enabled: boolean;
    token_rotation_enabled: boolean;
  };
}

/** Groups commands by their first word, like Engine.commandGroups(). */
export function groupCommands(commands: CommandDef[]): Map<string, CommandDef[]> {
  const groups = new Map<string, CommandDef[]>();
  for (const c of commands) {
    const top = c.name.split(' ')[0];
    groups.set(top, [...(groups.get(top) ?? []), c]);
  }
  return groups;
}

/* Slack's documented manifest limits. */
const NAME_MAX = 35;
const BOT_NAME_MAX = 80;
const DESCRIPTION_MAX = 140;
const COMMAND_MAX = 32;
const COMMAND_DESCRIPTION_MAX = 2000;
const USAGE_HINT_MAX = 1000;

/** "[member]" for /points; "list | show <challenge> | submit <challenge> <proof> | ..." for a group. */
export function usageHint(top: string, defs: CommandDef[]): string {
  const args = (d: CommandDef) => usage(d).slice(d.name.length + 2); // drop "/name "
  const parts = defs.map((d) => (d.name === top ? args(d) : `${d.name.slice(top.length + 1)}${args(d) ? ' ' + args(d) : ''}`).trim());
  const full = parts.filter(Boolean).join(' | ');
  if (full.length <= USAGE_HINT_MAX) return full;
  return clip(defs.map((d) => (d.name === top ? '' : d.name.slice(top.length + 1))).filter(Boolean).join(' | '), USAGE_HINT_MAX);
}

/** A slash command's description from the catalog: the command's own, or the group's with its subcommands. */
export function slashDescription(L: Lang, top: string, defs: CommandDef[]): string {
  const subs = defs.filter((d) => d.name !== top).map((d) => d.name.slice(top.length + 1));
  const own = defs.find((d) => d.name === top);
  return clip(own && !subs.length ? commandDescription(L, own) : groupDescription(L, top, subs), COMMAND_DESCRIPTION_MAX);
}

/** The app manifest as a JSON-ready object: one slash command per top-level command name, described in English. */
export function buildManifest(groups: Map<string, CommandDef[]>, opts: ManifestOptions = {}): SlackManifest {
  const L = lang('en');
  const base = opts.baseUrl?.replace(/\/+$/, '');
  const url = base ? base + EVENTS_PATH : undefined;
  const name = clip(opts.name ?? 'Engage', NAME_MAX);
  const oauth = Boolean(opts.oauth && base);
  return {
    _metadata: { major_version: 1, minor_version: 1 },
    display_information: {
      name,
      description: clip(opts.description ?? L.t('slack:manifest.description'), DESCRIPTION_MAX),
      background_color: '#4a154b',
    },
    features: {
      app_home: { home_tab_enabled: true, messages_tab_enabled: true, messages_tab_read_only_enabled: true },
      bot_user: { display_name: clip(name, BOT_NAME_MAX), always_online: true },
      slash_commands: [
        { command: '/' + UMBRELLA_COMMAND, description: clip(L.t('slack:manifest.umbrella'), 100), usage_hint: '<command> [options]', ...(url ? { url } : {}), should_escape: true },
        ...(opts.umbrellaOnly ? [] : [...groups].map(([top, defs]) => ({
          command: '/' + top.slice(0, COMMAND_MAX - 1),
          description: slashDescription(L, top, defs),
          ...(usageHint(top, defs) ? { usage_hint: usageHint(top, defs) } : {}),
          ...(url ? { url } : {}),
          // Mentions arrive as <@U123|name>, which the adapter turns into ids the core resolves.
          should_escape: true,
        }))),
      ],
    },
    oauth_config: { ...(oauth ? { redirect_urls: [base + REDIRECT_PATH] } : {}), scopes: { bot: [...BOT_SCOPES] } },
    settings: {
      event_subscriptions: { ...(url ? { request_url: url } : {}), bot_events: [...BOT_EVENTS, ...(oauth ? OAUTH_EVENTS : [])] },
      interactivity: { is_enabled: true, ...(url ? { request_url: url } : {}) },
      org_deploy_enabled: oauth,
      socket_mode_enabled: !url,
      token_rotation_enabled: oauth,
    },
  };
}

/** Writes adapters/slack/manifest.json (run with tsx; optional argument: the public base URL). */
async function main() {
  const { allCommands } = await import('../../commands/index.js');
  const args = process.argv.slice(2);
  const umbrellaOnly = args.includes('--umbrella-only');
  const oauth = args.includes('--oauth');
  const baseUrl = args.find((a) => !a.startsWith('--'));
  if (baseUrl && !/^https:\/\//.test(baseUrl)) throw new Error('The base URL must start with https://');
  if (oauth && !baseUrl) throw new Error('--oauth (distribution to many workspaces) needs the public https base URL');
  const manifest = buildManifest(groupCommands(allCommands), { baseUrl, umbrellaOnly, oauth });
  const out = join(dirname(fileURLToPath(import.meta.url)), 'manifest.json');
  writeFileSync(out, JSON.stringify(manifest, null, 2) + '\n');
  console.log(`wrote ${out} (${manifest.features.slash_commands.length} slash commands, ${baseUrl ? 'HTTP' : 'Socket Mode'})`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
