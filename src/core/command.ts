import { z } from 'zod';
import type { Reply, Role } from './types.js';
import type { CommandContext } from './context.js';
import type { Precondition } from './preconditions.js';
import { UserError } from './errors.js';
import { parseDuration, parseMoment } from './time.js';

/**
 * One platform-neutral command: its options (used by adapters to register slash commands and by the
 * text parser), their zod validation, what must hold before it runs, and the handler. Descriptions, option
 * help and examples live in the `commands` catalog under the command's name, in every language.
 */
export type OptionKind = 'string' | 'text' | 'integer' | 'user' | 'duration' | 'moment' | 'choice';

export interface OptionDef<T = unknown> {
  kind: OptionKind;
  required: boolean;
  choices?: readonly string[];
  min?: number;
  max?: number;
  /** zod schema turning the raw value (string from text platforms, typed from Discord) into T. */
  schema: z.ZodType<T>;
}

type Opts = { optional?: boolean };

/** Moments are read relative to the engine clock, in the community's zone; set by validateArgs for one parse. */
let parseClock: { now: Date; zone: string } | undefined;

const req = <T>(def: Omit<OptionDef<T>, 'required' | 'schema'> & { schema: z.ZodType<T> }, o?: Opts) => ({
  ...def,
  required: !o?.optional,
  schema: (o?.optional ? def.schema.optional() : def.schema) as z.ZodType<T>,
});

const trimmed = z.preprocess((v) => (typeof v === 'number' ? String(v) : typeof v === 'string' ? v.trim() : v), z.string());

/** A custom refusal: `code` is a key in the errors catalog ("arg.duration"), params its placeholders. */
const refuse = (ctx: z.RefinementCtx, code: string, params: Record<string, unknown> = {}) => {
  ctx.addIssue({ code: 'custom', message: code, params });
  return z.NEVER;
};

export const opt = {
  /** A single word or a "quoted phrase". `pattern` refusals use the errors catalog key `arg.<patternCode>`. */
  string: (o: Opts & { max?: number; min?: number; pattern?: RegExp; patternCode?: string } = {}) =>
    req({ kind: 'string', max: o.max ?? 200, schema: stringSchema(o) }, o),
  /** Free text; on text platforms it takes the rest of the line. */
  text: (o: Opts & { max?: number; min?: number } = {}) =>
    req({ kind: 'text', max: o.max ?? 1000, schema: stringSchema({ max: 1000, ...o }) }, o),
  integer: (o: Opts & { min?: number; max?: number } = {}) => {
    const min = o.min ?? 1, max = o.max ?? 1_000_000;
    const schema = z.preprocess(
      (v) => (typeof v === 'string' && /^[+-]?\d+$/.test(v.trim()) ? Number(v.trim()) : v),
      z.number().int().min(min).max(max),
    ) as z.ZodType<number>;
    return req({ kind: 'integer', min, max, schema }, o);
  },
  /** The number of a challenge, giveaway, poll, reward...: a positive whole number. */
  id: (o: Opts = {}) => opt.integer({ ...o, min: 1, max: 2_000_000_000 }),
  /** A member: a platform mention (<@123>, <@U123>), @username, or an id. */
  user: (o: Opts = {}) =>
    req({ kind: 'user', schema: trimmed.pipe(z.string().min(1).max(100)) }, o),
  /** A length of time such as 30m, 2h, 3d, 1w. */
  duration: (o: Opts & { minMs?: number; maxMs?: number } = {}) => {
    const minMs = o.minMs ?? 60_000, maxMs = o.maxMs ?? 366 * 86_400_000;
    const schema = trimmed.transform((v, ctx) => {
      const ms = parseDuration(v);
      if (ms === null) return refuse(ctx, 'arg.duration', { value: v });
      if (ms < minMs || ms > maxMs) return refuse(ctx, 'arg.durationRange', { min: `${minMs / 60_000}m`, max: `${Math.round(maxMs / 86_400_000)}d` });
      return ms;
    });
    return req({ kind: 'duration', schema }, o);
  },
  /** A date/time ("2026-12-24 18:00" in the community's zone, or with "+09:00") or a time from now ("3d", "in 2h"). */
  moment: (o: Opts = {}) => {
    const schema = trimmed.transform((v, ctx) => {
      const d = parseMoment(v, parseClock?.now ?? new Date(), parseClock?.zone);
      // "99999999999d" reads as a time from now, but further than any date can be.
      if (!d) return refuse(ctx, parseDuration(v.replace(/^in\s+/i, '')) === Infinity ? 'arg.tooFar' : 'arg.moment', { value: v });
      return d;
    });
    return req({ kind: 'moment', schema }, o);
  },
  choice: <const C extends readonly [string, ...string[]]>(choices: C, o: Opts = {}) =>
    req({
      kind: 'choice', choices,
      schema: z.preprocess((v) => (typeof v === 'string' ? v.trim().toLowerCase() : v), z.enum(choices)) as z.ZodType<C[number]>,
    }, o),
};

function stringSchema(o: { max?: number; min?: number; pattern?: RegExp; patternCode?: string }) {
  let s = z.string().min(o.min ?? 1).max(o.max ?? 200);
  if (o.pattern) s = s.regex(o.pattern, o.patternCode ?? 'pattern');
  return trimmed.pipe(s);
}

export type OptionsShape = Record<string, OptionDef<any>>;
export type ArgsOf<O extends OptionsShape> = { [K in keyof O]: O[K] extends OptionDef<infer T> ? T : never };

export interface CommandDef<O extends OptionsShape = OptionsShape> {
  /** "points" or "group sub", e.g. "challenge submit". Its texts are `commands:<name>.*` in the catalogs. */
  name: string;
  /** The role needed (the first precondition). */
  permission: Role;
  /** What else must hold before it runs (in a channel, ...); checked by the engine, shown by /help. */
  preconditions?: Precondition[];
  options: O;
  /**
   * Changes nothing: the engine does not record the delivery for redelivery protection (answering a
   * retried delivery again is harmless and saves a write).
   */
  readOnly?: boolean;
  /**
   * The reply holds a secret (a sign-in link): it is not stored for redelivery protection, so it never sits
   * in the database; a redelivery runs again and gets a new one (each is single-use and short-lived).
   */
  secretReply?: boolean;
  run(ctx: CommandContext, args: ArgsOf<O>): Promise<Reply>;
}

export function defineCommand<O extends OptionsShape>(def: CommandDef<O>): CommandDef<O> {
  return def;
}

/** Longest argument text read; longer input is refused before parsing. */
export const MAX_ARGS_LENGTH = 4000;

export interface Token { value: string; start: number; end: number; quoted: boolean; key?: string }

/** Quote pairs people type, also through Korean and Japanese IMEs. */
const QUOTES: Record<string, string> = { '"': '"', '“': '”', '„': '“', '「': '」', '『': '』', "'": "'", '‘': '’' };
const KEY = /^([A-Za-z_]+)[:=]/;

/**
 * Splits 'a "b c" key:value key:"x y" 「引用」 rest' into tokens in one pass, keeping text positions for
 * free-text options. Text is NFKC-normalised first, so full-width colons, equals signs and digits typed
 * through an IME read like ASCII.
 */
export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const n = text.length;
  const isSpace = (c: string) => /\s/.test(c);
  while (i < n) {
    if (isSpace(text[i])) { i++; continue; }
    const start = i;
    const close = QUOTES[text[i]];
    if (close) {
      const endQuote = text.indexOf(close, i + 1);
      if (endQuote > i) {
        out.push({ value: text.slice(i + 1, endQuote), start, end: endQuote + 1, quoted: true });
        i = endQuote + 1;
        continue;
      }
    }
    const key = KEY.exec(text.slice(i, i + 40));
    if (key) {
      const v = i + key[0].length;
      const q = QUOTES[text[v]];
      const endQuote = q ? text.indexOf(q, v + 1) : -1;
      if (q && endQuote > v) {
        out.push({ value: text.slice(v + 1, endQuote), start, end: endQuote + 1, quoted: true, key: key[1] });
        i = endQuote + 1;
        continue;
      }
    }
    while (i < n && !isSpace(text[i])) i++;
    const word = text.slice(start, i);
    const kv = key && word.length > key[0].length ? { key: key[1], value: word.slice(key[0].length) } : null;
    out.push(kv ? { value: kv.value, start, end: i, quoted: false, key: kv.key } : { value: word, start, end: i, quoted: false });
  }
  return out;
}

/** "2026-12-24" followed by "18:00", or "in" followed by "2h": two tokens that make one moment. */
const isTwoTokenMoment = (first: string, second: string | undefined) =>
  (/^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}$/.test(first) && /^\d{1,2}:\d{2}$/.test(second ?? ''))
  || (/^in$/i.test(first) && /^(\d+[smhdw])+$/i.test(second ?? ''));

/** A key:value token that names no option of this command is refused, unless it is a link ("https://..."). */
const looksLikeOption = (t: Token) => t.key !== undefined && !t.value.startsWith('//');

/** Maps text arguments onto a command's options: positional in declared order, or name:value / name=value. */
export function parseTextArgs(def: CommandDef, raw: string): Record<string, unknown> {
  if (raw.length > MAX_ARGS_LENGTH) throw new UserError('errors:arg.tooLong', { max: MAX_ARGS_LENGTH });
  const text = raw.normalize('NFKC');
  const names = Object.keys(def.options);
  const result: Record<string, unknown> = {};
  const tokens = tokenize(text);
  const positional: Token[] = [];
  for (let t = 0; t < tokens.length; t++) {
    const tok = tokens[t];
    const key = tok.key?.toLowerCase();
    if (key && names.includes(key)) {
      if (key in result) throw new UserError('errors:arg.twice', { field: key }, key);
      let value = tok.value;
      // when:2026-12-24 18:00 -> a date followed by a time belongs together.
      const next = tokens[t + 1];
      if (def.options[key].kind === 'moment' && next && !next.key && isTwoTokenMoment(value, next.value)) {
        value += ' ' + next.value;
        t++;
      }
      result[key] = value;
    } else if (looksLikeOption(tok)) {
      throw new UserError('errors:arg.unknownOption', { option: tok.key, usage: usage(def) }, tok.key);
    } else positional.push(tok.key ? { ...tok, value: text.slice(tok.start, tok.end), key: undefined } : tok);
  }
  let i = 0;
  for (const name of names) {
    if (name in result) continue;
    if (i >= positional.length) break;
    const o = def.options[name];
    if (o.kind === 'text') {
      result[name] = freeText(text, positional.slice(i));
      i = positional.length;
      break;
    }
    if (o.kind === 'moment' && isTwoTokenMoment(positional[i].value, positional[i + 1]?.value)) {
      result[name] = `${positional[i].value} ${positional[i + 1].value}`;
      i += 2;
      continue;
    }
    result[name] = positional[i++].value;
  }
  if (i < positional.length) {
    throw new UserError('errors:arg.tooMany', { extra: positional.slice(i).map((t) => t.value).join(' '), usage: usage(def) });
  }
  return result;
}

/**
 * Free text takes the rest of the line as typed (a single quoted phrase loses its quotes). Where option
 * tokens were taken out of the middle, the pieces around them are joined with one space.
 */
function freeText(text: string, rest: Token[]): string {
  if (rest.length === 1) return rest[0].value;
  let out = text.slice(rest[0].start, rest[0].end);
  for (let k = 1; k < rest.length; k++) {
    const gap = text.slice(rest[k - 1].end, rest[k].start);
    out += (/^\s*$/.test(gap) ? gap : ' ') + text.slice(rest[k].start, rest[k].end);
  }
  return out;
}

/** C0 control characters other than tab, line feed and carriage return, and DEL. */
const CONTROL_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

/** One zod object per command, built on first use: zod compiles a schema the first time it parses with it. */
const objectSchemas = new WeakMap<CommandDef, { shape: Record<string, z.ZodType>; schema: z.ZodType }>();
function objectSchema(def: CommandDef): { shape: Record<string, z.ZodType>; schema: z.ZodType } {
  let o = objectSchemas.get(def);
  if (!o) {
    const shape: Record<string, z.ZodType> = {};
    for (const [name, opt] of Object.entries(def.options)) shape[name] = opt.schema;
    objectSchemas.set(def, (o = { shape, schema: z.object(shape) }));
  }
  return o;
}

/** Validates raw option values with each option's zod schema; the first problem becomes a UserError with its field. */
export function validateArgs<O extends OptionsShape>(def: CommandDef<O>, raw: Record<string, unknown>, now: Date = new Date(), zone = 'UTC'): ArgsOf<O> {
  const { shape, schema } = objectSchema(def);
  const cleaned: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (v === undefined || v === null || v === '') continue;
    cleaned[k] = typeof v === 'string' ? v.normalize('NFKC') : v;
  }
  const unknownKeys = Object.keys(cleaned).filter((k) => !(k in shape));
  if (unknownKeys.length) throw new UserError('errors:arg.unknownOption', { option: unknownKeys.join(', '), usage: usage(def) }, unknownKeys[0]);
  // NUL and the other control characters are never meant, and PostgreSQL refuses NUL in text.
  const control = Object.keys(cleaned).find((k) => typeof cleaned[k] === 'string' && CONTROL_CHARS.test(cleaned[k] as string));
  if (control) throw new UserError('errors:arg.control', { field: control }, control);
  parseClock = { now, zone };
  let parsed;
  try {
    parsed = schema.safeParse(cleaned);
  } finally {
    parseClock = undefined;
  }
  if (parsed.success) return parsed.data as ArgsOf<O>;
  const issue = parsed.error.issues[0];
  const field = String(issue.path[0] ?? '');
  throw issueError(issue, field, def.options[field], cleaned[field] === undefined, usage(def));
}

/** One zod issue as a catalog-keyed refusal. */
function issueError(issue: z.core.$ZodIssue, field: string, o: OptionDef | undefined, missing: boolean, use: string): UserError {
  const err = (code: string, params: Record<string, unknown> = {}) => new UserError(`errors:${code}`, { field, ...params }, field);
  if (missing) return err('arg.missing', { usage: use });
  switch (issue.code) {
    case 'custom':
      return err(issue.message, (issue as { params?: Record<string, unknown> }).params);
    case 'too_small':
      if (o?.kind === 'integer') return err('arg.min', { min: Number(issue.minimum) });
      return Number(issue.minimum) <= 1 ? err('arg.required') : err('arg.minLength', { min: Number(issue.minimum) });
    case 'too_big':
      return o?.kind === 'integer' ? err('arg.max', { max: Number(issue.maximum) }) : err('arg.maxLength', { max: Number(issue.maximum) });
    case 'invalid_format':
      return err(`arg.${issue.message === 'pattern' || !issue.message ? 'pattern' : issue.message}`);
    case 'invalid_value':
      return err('arg.choice', { choices: (o?.choices ?? []).join(', ') });
    case 'invalid_type':
      return o?.kind === 'integer' ? err('arg.integer') : err('arg.invalid');
    default:
      return err('arg.invalid');
  }
}

export function usage(def: CommandDef): string {
  const parts = Object.entries(def.options).map(([n, o]) => (o.required ? `<${n}>` : `[${n}]`));
  return `/${def.name}${parts.length ? ' ' + parts.join(' ') : ''}`;
}
