import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  InteractionContextType,
  PermissionFlagsBits,
  Locale as DiscordLocale,
  type APIApplicationCommandBasicOption,
  type APIApplicationCommandSubcommandOption,
  type LocalizationMap,
  type RESTPutAPIApplicationCommandsJSONBody,
} from 'discord.js';
import type { CommandDef, OptionDef } from '../../src/core/command.js';
import { roleRank } from '../../src/core/types.js';
import { lang, type Lang } from '../../src/i18n/index.js';
import { commandDescription, groupDescription, optionDescription } from '../../src/features/help/present.js';
import { clip } from '../shared/text.js';

/**
 * Slash-command layout built from engine.commandGroups():
 * - a top-level name whose only CommandDef is named exactly that ("points") is a plain command;
 * - every other group ("challenge create", "challenge list", ...) is one slash command with subcommands.
 * - In the (currently unused) mixed case, a group with both "x" and "x sub", the plain "x" becomes the
 *   subcommand named DEFAULT_SUBCOMMAND, because Discord cannot invoke a command that has subcommands.
 * Descriptions come from the catalogs: English is the default, Korean and Japanese are localizations.
 */
export const DEFAULT_SUBCOMMAND = 'run';

/** Discord limits. */
const DESC_MAX = 100;
const STRING_MAX = 6000;
const CHOICES_MAX = 25;
const NAME_RE = /^[-_\p{Ll}\p{N}]{1,32}$/u;
/** What Discord accepts for a localized name (any script); lowercase is checked separately. */
const LOCALIZED_NAME_RE = /^[-_\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

export type SlashCommandJSON = RESTPutAPIApplicationCommandsJSONBody[number];

/** The catalog languages registered as Discord localizations, by Discord locale code. */
const LOCALIZED: [DiscordLocale, Lang][] = [[DiscordLocale.Korean, lang('ko')], [DiscordLocale.Japanese, lang('ja')]];
const DEFAULT_LANG = lang('en');

function checkName(name: string, what: string): string {
  if (!NAME_RE.test(name)) throw new Error(`Discord: ${what} "${name}" is not a valid slash command name (lowercase, 1-32 characters).`);
  return name;
}

/** A description in English plus its Korean and Japanese localizations, each cut to Discord's 100 characters. */
function described(text: (L: Lang) => string, fallback: string) {
  const desc = (L: Lang) => clip(text(L), DESC_MAX) || fallback;
  const description_localizations: LocalizationMap = {};
  for (const [code, L] of LOCALIZED) description_localizations[code] = desc(L);
  return { description: desc(DEFAULT_LANG), description_localizations };
}

/** Whether Discord accepts `name` as a localized command name: 1-32 letters/digits/-/_, lowercase where the script has case. */
export const isLocalizedName = (name: string, locale: string): boolean =>
  LOCALIZED_NAME_RE.test(name) && name === name.toLocaleLowerCase(locale);

/** Localized top-level names from `discord:names.<top>`, left out where they equal the command's own name. */
function nameLocalizations(top: string): { name_localizations?: LocalizationMap } {
  const names: LocalizationMap = {};
  for (const [code, L] of LOCALIZED) {
    const name = L.t(`discord:names.${top}`, { defaultValue: '' }).trim();
    if (!name || name === top) continue;
    if (!isLocalizedName(name, L.locale)) {
      throw new Error(`Discord: the ${L.locale} name "${name}" of /${top} (discord:names.${top}) must be 1-32 lowercase letters, digits, "-" or "_".`);
    }
    names[code] = name;
  }
  return Object.keys(names).length ? { name_localizations: names } : {};
}

/** One core option as a Discord option. */
export function toDiscordOption(def: CommandDef, name: string): APIApplicationCommandBasicOption {
  const o: OptionDef = def.options[name];
  const base = { name: checkName(name, 'option'), ...described((L) => optionDescription(L, def, name), name), required: o.required };
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
  const all = Object.keys(def.options).map((n) => toDiscordOption(def, n));
  return [...all.filter((o) => o.required), ...all.filter((o) => !o.required)];
}

/** The subcommand that runs a group's own command ("/thanks send" for "/thanks"): discord:defaultSub.<top>, else "run". */
export function defaultSubcommand(top: string): string {
  return DEFAULT_LANG.t(`discord:defaultSub.${top}`, { defaultValue: '' }).trim() || DEFAULT_SUBCOMMAND;
}

/** Localized names of a group's default subcommand, where the catalogs give one that differs. */
function defaultSubLocalizations(top: string): { name_localizations?: LocalizationMap } {
  const names: LocalizationMap = {};
  const own = defaultSubcommand(top);
  for (const [code, L] of LOCALIZED) {
    const name = L.t(`discord:defaultSub.${top}`, { defaultValue: '' }).trim();
    if (!name || name === own) continue;
    if (!isLocalizedName(name, L.locale)) throw new Error(`Discord: the ${L.locale} name "${name}" of /${top} ${own} (discord:defaultSub.${top}) must be 1-32 lowercase letters, digits, "-" or "_".`);
    names[code] = name;
  }
  return Object.keys(names).length ? { name_localizations: names } : {};
}

const subName = (top: string, d: CommandDef) => (d.name === top ? defaultSubcommand(top) : d.name.slice(top.length + 1));

// Guild-installed, usable in servers only (the engine needs a community).
const common = () => ({
  type: ApplicationCommandType.ChatInput as const,
  contexts: [InteractionContextType.Guild],
  integration_types: [ApplicationIntegrationType.GuildInstall],
});

/**
 * Who sees a top-level command in Discord's menu: one whose every subcommand is for moderators is shown
 * only to members with Manage Messages, admin-only ones to Manage Server (the permissions that make a
 * Discord member a moderator or an admin here, see discordActor). Server admins can change this per role
 * in Server Settings → Integrations; the bot checks the role itself anyway.
 */
export function menuPermissions(defs: CommandDef[]): { default_member_permissions?: string } {
  const lowest = Math.min(...defs.map((d) => roleRank(d.permission)));
  if (lowest >= roleRank('admin')) return { default_member_permissions: String(PermissionFlagsBits.ManageGuild) };
  if (lowest >= roleRank('moderator')) return { default_member_permissions: String(PermissionFlagsBits.ManageMessages) };
  return {};
}

/** The JSON body for PUT /applications/:app/(guilds/:guild/)commands. */
export function buildSlashCommands(groups: Map<string, CommandDef[]>): SlashCommandJSON[] {
  const out: SlashCommandJSON[] = [];
  for (const [top, defs] of groups) {
    const head = { ...common(), name: checkName(top, 'command'), ...nameLocalizations(top), ...menuPermissions(defs) };
    if (defs.length === 1 && defs[0].name === top) {
      out.push({ ...head, ...described((L) => commandDescription(L, defs[0]), top), options: toDiscordOptions(defs[0]) });
      continue;
    }
    if (defs.length > 25) throw new Error(`Discord: /${top} has ${defs.length} subcommands; the limit is 25.`);
    const subs = defs.map((d) => subName(top, d));
    if (new Set(subs).size !== subs.length) throw new Error(`Discord: /${top} has two subcommands named alike (${subs.join(', ')}).`);
    const options: APIApplicationCommandSubcommandOption[] = defs.map((d, k) => ({
      type: ApplicationCommandOptionType.Subcommand,
      name: checkName(subs[k], 'subcommand'),
      ...(d.name === top ? defaultSubLocalizations(top) : {}),
      ...described((L) => commandDescription(L, d), d.name),
      options: toDiscordOptions(d),
    }));
    // A group of one subcommand without a group description of its own ("/announce here") is described by that subcommand.
    const groupText = (L: Lang) => {
      const text = groupDescription(L, top, subs);
      return text === top && defs.length === 1 ? commandDescription(L, defs[0]) : text;
    };
    out.push({ ...head, ...described(groupText, top), options });
  }
  if (out.length > 100) throw new Error(`Discord: ${out.length} top-level commands; the limit is 100.`);
  return out;
}

/** Maps an invoked slash command (name + subcommand) back to the core command name. */
export function coreCommandName(groups: Map<string, CommandDef[]>, name: string, sub: string | null): string {
  if (!sub) return name;
  const defs = groups.get(name) ?? [];
  if (defs.some((d) => d.name === `${name} ${sub}`)) return `${name} ${sub}`;
  if ((sub === defaultSubcommand(name) || sub === DEFAULT_SUBCOMMAND) && defs.some((d) => d.name === name)) return name;
  return `${name} ${sub}`;
}
