import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  InteractionContextType,
  type APIApplicationCommandBasicOption,
  type APIApplicationCommandSubcommandOption,
  type RESTPutAPIApplicationCommandsJSONBody,
} from 'discord.js';
import type { CommandDef, OptionDef } from '../../src/core/command.js';

/**
 * Slash-command layout built from engine.commandGroups():
 * - a top-level name whose only CommandDef is named exactly that ("points") is a plain command;
 * - every other group ("challenge create", "challenge list", ...) is one slash command with subcommands.
 * - In the (currently unused) mixed case, a group with both "x" and "x sub", the plain "x" becomes the
 *   subcommand named DEFAULT_SUBCOMMAND, because Discord cannot invoke a command that has subcommands.
 */
export const DEFAULT_SUBCOMMAND = 'run';

/** Discord limits. */
const DESC_MAX = 100;
const STRING_MAX = 6000;
const CHOICES_MAX = 25;
const NAME_RE = /^[-_\p{Ll}\p{N}]{1,32}$/u;

export type SlashCommandJSON = RESTPutAPIApplicationCommandsJSONBody[number];

export function clip(s: string, max: number): string {
  const t = s.trim();
  return t.length <= max ? t : t.slice(0, max - 1).trimEnd() + '…';
}

function checkName(name: string, what: string): string {
  if (!NAME_RE.test(name)) throw new Error(`Discord: ${what} "${name}" is not a valid slash command name (lowercase, 1-32 characters).`);
  return name;
}

/** One core option as a Discord option. */
export function toDiscordOption(name: string, o: OptionDef): APIApplicationCommandBasicOption {
  const base = { name: checkName(name, 'option'), description: clip(o.description || name, DESC_MAX), required: o.required };
  switch (o.kind) {
    case 'integer':
      return {
        ...base,
        type: ApplicationCommandOptionType.Integer,
        ...(o.min !== undefined ? { min_value: o.min } : {}),
        ...(o.max !== undefined ? { max_value: o.max } : {}),
      };
    case 'user':
      return { ...base, type: ApplicationCommandOptionType.User };
    case 'choice': {
      const choices = o.choices ?? [];
      return {
        ...base,
        type: ApplicationCommandOptionType.String,
        ...(choices.length && choices.length <= CHOICES_MAX ? { choices: choices.map((c) => ({ name: c, value: c })) } : {}),
      };
    }
    case 'string':
    case 'text':
    case 'duration':
    case 'moment':
    default:
      return {
        ...base,
        type: ApplicationCommandOptionType.String,
        ...(o.max !== undefined ? { max_length: Math.min(Math.max(1, o.max), STRING_MAX) } : {}),
      };
  }
}

/** The command's options as Discord options, required ones first (Discord rejects required after optional). */
export function toDiscordOptions(def: CommandDef): APIApplicationCommandBasicOption[] {
  const all = Object.entries(def.options).map(([n, o]) => toDiscordOption(n, o));
  return [...all.filter((o) => o.required), ...all.filter((o) => !o.required)];
}

function groupDescription(top: string, defs: CommandDef[]): string {
  const subs = defs.map((d) => (d.name === top ? DEFAULT_SUBCOMMAND : d.name.slice(top.length + 1)));
  const word = top.charAt(0).toUpperCase() + top.slice(1);
  return clip(`${word}: ${subs.join(', ')}`, DESC_MAX);
}

// Guild-installed, usable in servers only (the engine needs a community).
const common = () => ({
  type: ApplicationCommandType.ChatInput as const,
  contexts: [InteractionContextType.Guild],
  integration_types: [ApplicationIntegrationType.GuildInstall],
});

/** The JSON body for PUT /applications/:app/(guilds/:guild/)commands. */
export function buildSlashCommands(groups: Map<string, CommandDef[]>): SlashCommandJSON[] {
  const out: SlashCommandJSON[] = [];
  for (const [top, defs] of groups) {
    checkName(top, 'command');
    if (defs.length === 1 && defs[0].name === top) {
      out.push({ ...common(), name: top, description: clip(defs[0].description || top, DESC_MAX), options: toDiscordOptions(defs[0]) });
      continue;
    }
    if (defs.length > 25) throw new Error(`Discord: /${top} has ${defs.length} subcommands; the limit is 25.`);
    const options: APIApplicationCommandSubcommandOption[] = defs.map((d) => ({
      type: ApplicationCommandOptionType.Subcommand,
      name: checkName(d.name === top ? DEFAULT_SUBCOMMAND : d.name.slice(top.length + 1), 'subcommand'),
      description: clip(d.description || d.name, DESC_MAX),
      options: toDiscordOptions(d),
    }));
    out.push({ ...common(), name: top, description: groupDescription(top, defs), options });
  }
  if (out.length > 100) throw new Error(`Discord: ${out.length} top-level commands; the limit is 100.`);
  return out;
}

/** Maps an invoked slash command (name + subcommand) back to the core command name. */
export function coreCommandName(groups: Map<string, CommandDef[]>, name: string, sub: string | null): string {
  if (!sub) return name;
  const defs = groups.get(name) ?? [];
  if (defs.some((d) => d.name === `${name} ${sub}`)) return `${name} ${sub}`;
  if (sub === DEFAULT_SUBCOMMAND && defs.some((d) => d.name === name)) return name;
  return `${name} ${sub}`;
}
