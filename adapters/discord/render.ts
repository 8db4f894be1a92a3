import {
  ButtonStyle,
  ComponentType,
  MessageFlags,
  TextInputStyle,
  type APIActionRowComponent,
  type APIButtonComponentWithCustomId,
  type APIComponentInMessageActionRow,
  type APIModalInteractionResponseCallbackData,
  type APIStringSelectComponent,
} from 'discord.js';
import type { CommandDef } from '../../src/core/command.js';
import type { Button, ButtonStyle as CoreButtonStyle, Form, Reply, Select } from '../../src/core/types.js';
import type { Lang } from '../../src/i18n/index.js';
import { optionDescription } from '../../src/features/help/present.js';
import { adapterLang, clip, fitText, shortenedNote } from '../shared/text.js';

/* ------------------------------------------------------------------------------------------------
 * Text: the core uses **bold** only. Everything else that Discord would treat as markdown is escaped
 * (so a challenge titled "*_x_*" shows as typed); mentions (<@123>) and URLs are left intact.
 * ---------------------------------------------------------------------------------------------- */

const CONTENT_MAX = 2000;
const PROTECTED = /(<(?:@[!&]?|#)\d+>|<t:\d+(?::[a-zA-Z])?>|https?:\/\/[^\s<>]+)/g;

function escapePlain(s: string): string {
  return s
    .split(PROTECTED)
    .map((part, i) => (i % 2 === 1 ? part : part.replace(/[\\*_~`|[\]]/g, '\\$&')))
    .join('');
}

function escapeLineStarts(s: string): string {
  // Headings ("# ", "-# "), block quotes ("> "), lists ("- ", "1. ") only count at the start of a line.
  return s.replace(/^(\s*)(#{1,3}\s|-#\s|>>>\s|>\s|-\s)/gm, '$1\\$2').replace(/^(\s*\d+)\.(\s)/gm, '$1\\.$2');
}

/** Discord markup a cut must keep whole: a backslash escape, a mention, a timestamp. */
const DISCORD_UNITS = /\\[\s\S]|<(?:@[!&]?|#)\d+>|<t:\d+(?::[a-zA-Z])?>/;

/**
 * Core text (with **bold**) as Discord markdown, at most 2000 characters. Longer text is cut between
 * graphemes with "…", and a small line (`-#`) with the catalog's "(shortened …)" note in `L` says so.
 */
export function toDiscordText(text: string, error = false, L: Lang = adapterLang()): string {
  // split() with a capturing group puts the bold parts' insides at the odd indexes.
  const body = escapeLineStarts(text.split(/\*\*([\s\S]+?)\*\*/).map((part, i) => (i % 2 ? `**${escapePlain(part)}**` : escapePlain(part))).join(''));
  return fitText((error ? '⚠️ ' : '') + body, CONTENT_MAX, `-# ${shortenedNote(L)}`, DISCORD_UNITS).trim() || '\u200b';
}

/* ------------------------------------------------------------------------------------------------
 * custom_id encoding (max 100 characters). Every id starts with "e1:" (format version 1), or with
 * "e1@<guild id>:" on a message in a direct message: a press there has no server, so the id says which
 * server's community it acts in (a prize claim button in the winner's DM).
 *
 *   e1:r:<cmd>:<args>                                run <cmd> with <args> (a plain button)
 *   e1:f:<cmd>:<args>:<fields>[:<title>[:<labels>]]  open a modal asking for <fields>, then run <cmd>
 *   e1:m:<cmd>:<args>                                a modal's own id; submit runs <cmd> with <args> + fields
 *   e1:s:<cmd>:<args>:<name>                         a select menu; choosing runs <cmd> with <args> + {<name>: values joined by ","}
 *
 *   <cmd>     the core command name with spaces as dots: "poll.answer", "contest.enter"
 *   <args>    k=v pairs joined by "&", keys and values percent-encoded (encodeURIComponent), so ":",
 *             "&", "=" and "," never appear inside a value; values come back as strings (the core's zod
 *             schemas accept "12" for integers)
 *   <fields>  comma-separated field names, each optionally followed by "*" (long -> paragraph input),
 *             "?" (optional) and ".N" (max length N), e.g. "proof*.1000"
 *   <title>   percent-encoded modal title; <labels> comma-separated percent-encoded field labels
 *
 * When a form id would exceed 100 characters the labels are dropped first, then the title; the modal
 * then takes labels from the command's option descriptions (catalog, in the presser's language) and the
 * title from the command name. An id that does not parse (another bot version, a hand-made id) or names a
 * command that no longer exists is answered with an ephemeral error; nothing runs.
 * ---------------------------------------------------------------------------------------------- */

export const CUSTOM_ID_MAX = 100;

export type FieldSpec = Form['fields'][number];

export type Decoded = (
  | { kind: 'run'; command: string; args: Record<string, string> }
  | { kind: 'form'; command: string; args: Record<string, string>; fields: FieldSpec[]; title?: string }
  | { kind: 'modal'; command: string; args: Record<string, string> }
  | { kind: 'select'; command: string; args: Record<string, string>; name: string }
) & { guild?: string };

/** The version part: "e1", or "e1@<guild>" for a component in a direct message. */
const version = (guild?: string) => (guild ? `e1@${guild}` : 'e1');

const enc = encodeURIComponent;

function encCommand(c: string): string {
  return c.trim().split(/\s+/).map(enc).join('.');
}

function encArgs(args: Record<string, string | number>): string {
  return Object.entries(args).map(([k, v]) => `${enc(k)}=${enc(String(v))}`).join('&');
}

function encField(f: FieldSpec): string {
  return `${enc(f.name)}${f.long ? '*' : ''}${f.required === false ? '?' : ''}${f.maxLength ? `.${f.maxLength}` : ''}`;
}

export function encodeRun(command: string, args: Record<string, string | number>, guild?: string): string | null {
  const id = `${version(guild)}:r:${encCommand(command)}:${encArgs(args)}`;
  return id.length <= CUSTOM_ID_MAX ? id : null;
}

export function encodeModal(command: string, args: Record<string, string | number>, guild?: string): string | null {
  const id = `${version(guild)}:m:${encCommand(command)}:${encArgs(args)}`;
  return id.length <= CUSTOM_ID_MAX ? id : null;
}

export function encodeSelect(command: string, args: Record<string, string | number>, name: string, guild?: string): string | null {
  const id = `${version(guild)}:s:${encCommand(command)}:${encArgs(args)}:${enc(name)}`;
  return name && id.length <= CUSTOM_ID_MAX ? id : null;
}

export function encodeForm(form: Form, guild?: string): string | null {
  const head = `${version(guild)}:f:${encCommand(form.command)}:${encArgs(form.args)}:${form.fields.map(encField).join(',')}`;
  const title = enc(form.title);
  const labels = form.fields.map((f) => enc(f.label)).join(',');
  for (const id of [`${head}:${title}:${labels}`, `${head}:${title}`, head]) if (id.length <= CUSTOM_ID_MAX) return id;
  return null;
}

function decArgs(s: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!s) return out;
  for (const pair of s.split('&')) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new Error('bad pair');
    out[decodeURIComponent(pair.slice(0, eq))] = decodeURIComponent(pair.slice(eq + 1));
  }
  return out;
}

/** Parses a custom_id made by this adapter; null for anything else. */
export function decodeCustomId(id: string): Decoded | null {
  const parts = id.split(':');
  const [ver, guild, ...more] = parts[0].split('@');
  if (ver !== 'e1' || more.length || (guild !== undefined && !/^\d{15,25}$/.test(guild)) || parts.length < 4) return null;
  const where = guild ? { guild } : {};
  try {
    const command = parts[2].split('.').map(decodeURIComponent).join(' ');
    if (!command) return null;
    const args = decArgs(parts[3]);
    if (parts[1] === 'r' && parts.length === 4) return { kind: 'run', command, args, ...where };
    if (parts[1] === 'm' && parts.length === 4) return { kind: 'modal', command, args, ...where };
    if (parts[1] === 's' && parts.length === 5 && parts[4]) return { kind: 'select', command, args, name: decodeURIComponent(parts[4]), ...where };
    if (parts[1] === 'f' && parts.length >= 5 && parts.length <= 7) {
      const labels = parts[6] !== undefined ? parts[6].split(',').map(decodeURIComponent) : [];
      const fields = parts[4].split(',').map((f, i): FieldSpec => {
        const m = /^([^*?.]+)(\*)?(\?)?(?:\.(\d+))?$/.exec(f);
        if (!m) throw new Error('bad field');
        // Unset flags stay undefined so the modal falls back to the command's option (text -> paragraph).
        return { name: decodeURIComponent(m[1]), label: labels[i] ?? '', long: m[2] ? true : undefined, required: m[3] ? false : undefined, maxLength: m[4] ? Number(m[4]) : undefined };
      });
      if (!fields.length) return null;
      return { kind: 'form', command, args, fields, title: parts[5] !== undefined ? decodeURIComponent(parts[5]) : undefined, ...where };
    }
    return null;
  } catch {
    return null;
  }
}

/* ------------------------------------------------------------------------------------------------
 * Components
 * ---------------------------------------------------------------------------------------------- */

const STYLES: Record<CoreButtonStyle, ButtonStyle.Primary | ButtonStyle.Secondary | ButtonStyle.Success | ButtonStyle.Danger> = {
  primary: ButtonStyle.Primary,
  secondary: ButtonStyle.Secondary,
  success: ButtonStyle.Success,
  danger: ButtonStyle.Danger,
};
const ROW_MAX = 5;
const ROWS_MAX = 5;

export type ActionRow = APIActionRowComponent<APIComponentInMessageActionRow>;

export function buttonJSON(b: Button, log?: (m: string) => void, guild?: string): APIButtonComponentWithCustomId | null {
  const customId = b.form ? encodeForm(b.form, guild) : encodeRun(b.command, b.args, guild);
  if (!customId) {
    log?.(`discord: button "${b.label}" dropped: its custom_id would exceed ${CUSTOM_ID_MAX} characters`);
    return null;
  }
  return { type: ComponentType.Button, style: STYLES[b.style ?? 'secondary'], label: clip(b.label, 80) || '…', custom_id: customId };
}

/** Rows of buttons as action rows: at most 5 buttons per row (longer rows wrap, balanced); the 5-row cap is the caller's. */
function buttonRows(rows: Button[][] | undefined, log?: (m: string) => void, guild?: string): ActionRow[] {
  const out: ActionRow[] = [];
  for (const row of rows ?? []) {
    const buttons = row.map((b) => buttonJSON(b, log, guild)).filter((b): b is APIButtonComponentWithCustomId => b !== null);
    // A row longer than 5 wraps into balanced rows (6 -> 3 + 3, 7 -> 4 + 3).
    const n = Math.ceil(buttons.length / ROW_MAX);
    for (let r = 0, i = 0; r < n; r++) {
      const size = Math.ceil((buttons.length - i) / (n - r));
      out.push({ type: ComponentType.ActionRow, components: buttons.slice(i, i + size) });
      i += size;
    }
  }
  return out;
}

/** At most 5 action rows (Discord's limit): the first ones are kept and the loss is logged. */
function capRows(rows: ActionRow[], log?: (m: string) => void): ActionRow[] {
  if (rows.length > ROWS_MAX) log?.(`discord: ${rows.length - ROWS_MAX} button row(s) dropped (Discord allows 5 rows)`);
  return rows.slice(0, ROWS_MAX);
}

/** Rows of buttons as action rows: at most 5 buttons per row (longer rows wrap, balanced) and 5 rows. */
export function actionRows(rows: Button[][] | undefined, log?: (m: string) => void): ActionRow[] {
  return capRows(buttonRows(rows, log), log);
}

/** Discord's string select limits. */
const SELECT_OPTIONS_MAX = 25;
const OPTION_TEXT_MAX = 100;
const PLACEHOLDER_MAX = 150;

/**
 * A select menu as a string select (alone in its action row), or null when Discord cannot show it as one
 * (more than 25 options, a value longer than 100 characters or repeated, a custom_id over 100): the caller
 * shows its fallback buttons instead.
 */
export function selectJSON(sel: Select, guild?: string): APIStringSelectComponent | null {
  const customId = encodeSelect(sel.command, sel.args, sel.name, guild);
  const values = sel.options.map((o) => o.value);
  if (!customId || !values.length || values.length > SELECT_OPTIONS_MAX || new Set(values).size !== values.length
    || values.some((v) => !v || v.length > OPTION_TEXT_MAX)) return null;
  const max = Math.min(Math.max(1, sel.max), values.length);
  return {
    type: ComponentType.StringSelect,
    custom_id: customId,
    ...(sel.placeholder ? { placeholder: clip(sel.placeholder, PLACEHOLDER_MAX) } : {}),
    min_values: Math.min(Math.max(0, sel.min), max),
    max_values: max,
    options: sel.options.map((o) => ({
      label: clip(o.label, OPTION_TEXT_MAX) || o.value,
      value: o.value,
      // Unicode emoji only (a custom emoji would need its id).
      ...(o.emoji && !/^<a?:/.test(o.emoji) ? { emoji: { name: o.emoji } } : {}),
    })),
  };
}

/**
 * A reply's select menus (one action row each, first) and its buttons, within Discord's 5 rows. A select
 * Discord cannot show becomes its fallback buttons.
 */
export function componentRows(selects: Select[] | undefined, buttons: Button[][] | undefined, log?: (m: string) => void, guild?: string): ActionRow[] {
  const rows: ActionRow[] = [];
  for (const sel of selects ?? []) {
    const menu = selectJSON(sel, guild);
    if (menu) rows.push({ type: ComponentType.ActionRow, components: [menu] });
    else {
      log?.(`discord: select "${sel.placeholder}" shown as buttons (Discord cannot show it as a menu)`);
      rows.push(...buttonRows(sel.fallback, log, guild));
    }
  }
  return capRows([...rows, ...buttonRows(buttons, log, guild)], log);
}

/** A reply's `form` cannot always be shown as a modal (e.g. in a channel post): it becomes a button. */
export function formAsButton(form: Form, L: Lang = adapterLang()): Button {
  return { label: clip(form.title, 80) || L.t('discord:openForm'), command: form.command, args: form.args, style: 'primary', form };
}

export interface MessageBody {
  content: string;
  components: ActionRow[];
  allowed_mentions: { parse: ('users')[] };
  flags?: number;
}

/**
 * A reply as a message body. Mentions may ping users, never @everyone/@here or roles. `L` words the
 * adapter's own fallbacks (the reply itself is already worded by its presenter). `guild`: the message goes
 * to a direct message, and its components act in that server's community.
 */
export function messageBody(reply: Reply, opts: { ephemeral?: boolean; log?: (m: string) => void; L?: Lang; guild?: string } = {}): MessageBody {
  const rows = [...(reply.buttons ?? [])];
  if (reply.form) rows.push([formAsButton(reply.form, opts.L)]);
  return {
    content: toDiscordText(reply.text, !!reply.error, opts.L),
    components: componentRows(reply.selects, rows, opts.log, opts.guild),
    allowed_mentions: { parse: ['users'] },
    ...(opts.ephemeral ? { flags: MessageFlags.Ephemeral } : {}),
  };
}

/** Whether the reply should be shown to the invoker only. Errors always are. */
export const isEphemeral = (r: Reply): boolean => !!(r.ephemeral || r.error);

/* ------------------------------------------------------------------------------------------------
 * Modals
 * ---------------------------------------------------------------------------------------------- */

const TITLE_MAX = 45;
const LABEL_MAX = 45;
const INPUT_MAX = 4000;

/**
 * A modal for a form: one text input per field (paragraph when the field is long or the target option
 * is free text), labels wrapped in Label components. Missing labels/title (dropped from a long
 * custom_id) come from the command's option descriptions in `L` and its name. Null when the id would be
 * too long.
 */
export function buildModal(form: { command: string; args: Record<string, string | number>; fields: FieldSpec[]; title?: string }, def?: CommandDef, L: Lang = adapterLang(), guild?: string): APIModalInteractionResponseCallbackData | null {
  const customId = encodeModal(form.command, form.args, guild);
  if (!customId) return null;
  const fields = form.fields.slice(0, 5);
  return {
    custom_id: customId,
    title: clip(form.title ?? '', TITLE_MAX) || clip(`/${form.command}`, TITLE_MAX),
    components: fields.map((f) => {
      const o = def?.options[f.name];
      const max = Math.min(f.maxLength ?? o?.max ?? INPUT_MAX, INPUT_MAX);
      const long = f.long ?? o?.kind === 'text';
      return {
        type: ComponentType.Label,
        label: clip(f.label || (def && o ? optionDescription(L, def, f.name) : ''), LABEL_MAX) || clip(f.name, LABEL_MAX),
        component: {
          type: ComponentType.TextInput,
          custom_id: f.name,
          style: long ? TextInputStyle.Paragraph : TextInputStyle.Short,
          required: f.required ?? o?.required ?? true,
          max_length: Math.max(1, max),
        },
      };
    }),
  };
}
