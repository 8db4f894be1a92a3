import { z } from 'zod';
import type { Reply, Role } from './types.js';
import type { CommandContext } from './context.js';
import { UserError } from './errors.js';
import { parseDuration, parseMoment } from './time.js';

/**
 * One platform-neutral command: its options (used by adapters to register slash commands and by the
 * text parser), their zod validation, the role needed, and the handler that runs inside one transaction.
 */
export type OptionKind = 'string' | 'text' | 'integer' | 'user' | 'duration' | 'moment' | 'choice';

export interface OptionDef<T = unknown> {
  kind: OptionKind;
  description: string;
  required: boolean;
  choices?: readonly string[];
  min?: number;
  max?: number;
  /** zod schema turning the raw value (string from text platforms, typed from Discord) into T. */
  schema: z.ZodType<T>;
}

type Opts = { optional?: boolean };

/** The clock relative moments ("3d") are measured from; set by validateArgs for the duration of one parse. */
let parseNow: Date | undefined;
const req = <T>(def: Omit<OptionDef<T>, 'required' | 'schema'> & { schema: z.ZodType<T> }, o?: Opts) => ({
  ...def,
  required: !o?.optional,
  schema: (o?.optional ? def.schema.optional() : def.schema) as z.ZodType<T>,
});

const trimmed = z.preprocess((v) => (typeof v === 'number' ? String(v) : typeof v === 'string' ? v.trim() : v), z.string({ error: 'is required' }));

export const opt = {
  /** A single word or a "quoted phrase". */
  string: (description: string, o: Opts & { max?: number; min?: number; pattern?: RegExp; patternHint?: string } = {}) =>
    req({ kind: 'string', description, max: o.max, schema: stringSchema(o) }, o),
  /** Free text; on text platforms it takes the rest of the line. */
  text: (description: string, o: Opts & { max?: number; min?: number } = {}) =>
    req({ kind: 'text', description, max: o.max ?? 1000, schema: stringSchema({ max: 1000, ...o }) }, o),
  integer: (description: string, o: Opts & { min?: number; max?: number } = {}) => {
    const min = o.min ?? 1, max = o.max ?? 1_000_000;
    const schema = z.preprocess(
      (v) => (typeof v === 'string' && /^[+-]?\d+$/.test(v.trim()) ? Number(v.trim()) : v),
      z.number({ error: 'must be a whole number' }).int('must be a whole number')
        .min(min, `must be at least ${min}`).max(max, `must be at most ${max.toLocaleString('en-US')}`),
    ) as z.ZodType<number>;
    return req({ kind: 'integer', description, min, max, schema }, o);
  },
  /** The number of a challenge, giveaway, poll, reward...: a positive whole number. */
  id: (description: string, o: Opts = {}) => opt.integer(description, { ...o, min: 1, max: 2_000_000_000 }),
  /** A member: a platform mention (<@123>, <@U123>), @username, or an id. */
  user: (description: string, o: Opts = {}) =>
    req({ kind: 'user', description, schema: trimmed.pipe(z.string().min(1, 'is required').max(100, 'is not a member mention')) }, o),
  /** A length of time such as 30m, 2h, 3d, 1w. */
  duration: (description: string, o: Opts & { minMs?: number; maxMs?: number } = {}) => {
    const minMs = o.minMs ?? 60_000, maxMs = o.maxMs ?? 366 * 86_400_000;
    const schema = trimmed.transform((v, ctx) => {
      const ms = parseDuration(v);
      if (ms === null) { ctx.addIssue({ code: 'custom', message: `"${v}" is not a duration; use e.g. 30m, 2h, 3d or 1w` }); return z.NEVER; }
      if (ms < minMs || ms > maxMs) { ctx.addIssue({ code: 'custom', message: `must be between ${minMs / 60_000}m and ${Math.round(maxMs / 86_400_000)}d` }); return z.NEVER; }
      return ms;
    });
    return req({ kind: 'duration', description, schema }, o);
  },
  /** A date/time ("2026-12-24 18:00", UTC) or a time from now ("3d", "in 2h"); the handler checks it is in the future. */
  moment: (description: string, o: Opts = {}) => {
    const schema = trimmed.transform((v, ctx) => {
      const d = parseMoment(v, parseNow ?? new Date());
      if (!d) { ctx.addIssue({ code: 'custom', message: `"${v}" is not a date; use YYYY-MM-DD HH:MM (UTC) or a time from now like 3d` }); return z.NEVER; }
      return d;
    });
    return req({ kind: 'moment', description, schema }, o);
  },
  choice: <const C extends readonly [string, ...string[]]>(description: string, choices: C, o: Opts = {}) =>
    req({
      kind: 'choice', description, choices,
      schema: z.preprocess((v) => (typeof v === 'string' ? v.trim().toLowerCase() : v), z.enum(choices, { error: `must be one of: ${choices.join(', ')}` })) as z.ZodType<C[number]>,
    }, o),
};

function stringSchema(o: { max?: number; min?: number; pattern?: RegExp; patternHint?: string }) {
  let s = z.string().min(o.min ?? 1, o.min && o.min > 1 ? `must be at least ${o.min} characters` : 'is required')
    .max(o.max ?? 200, `must be at most ${o.max ?? 200} characters`);
  if (o.pattern) s = s.regex(o.pattern, o.patternHint ?? 'has an invalid format');
  return trimmed.pipe(s);
}

export type OptionsShape = Record<string, OptionDef<any>>;
export type ArgsOf<O extends OptionsShape> = { [K in keyof O]: O[K] extends OptionDef<infer T> ? T : never };

export interface CommandDef<O extends OptionsShape = OptionsShape> {
  /** "points" or "group sub", e.g. "challenge submit". */
  name: string;
  description: string;
  permission: Role;
  options: O;
  /** Usage examples shown in help. */
  examples?: string[];
  /** Does not change anything: no transaction needed beyond reads (still runs in one). */
  readOnly?: boolean;
  run(ctx: CommandContext, args: ArgsOf<O>): Promise<Reply>;
}

export function defineCommand<O extends OptionsShape>(def: CommandDef<O>): CommandDef<O> {
  return def;
}

export interface Token { value: string; start: number; end: number; quoted: boolean; key?: string }

/** Splits 'a "b c" key:value key:"x y" rest' into tokens, keeping text positions for free-text options. */
export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  const re = /([A-Za-z_]+)[:=]"([^"]*)"|"([^"]*)"|“([^”]*)”|'([^']*)'|(\S+)/g;
  for (const m of text.matchAll(re)) {
    const start = m.index!, end = m.index! + m[0].length;
    if (m[1] !== undefined) out.push({ value: m[2], start, end, quoted: true, key: m[1] });
    else {
      const value = m[3] ?? m[4] ?? m[5] ?? m[6];
      const kv = m[6] !== undefined ? /^([A-Za-z_]+)[:=](.+)$/.exec(value) : null;
      out.push(kv ? { value: kv[2], start, end, quoted: false, key: kv[1] } : { value, start, end, quoted: m[6] === undefined });
    }
  }
  return out;
}

/** "2026-12-24" followed by "18:00": two tokens that make one moment. */
const isDateThenTime = (date: string, time: string | undefined) => /^\d{4}-\d{2}-\d{2}$/.test(date) && /^\d{1,2}:\d{2}$/.test(time ?? '');

/** Maps text arguments onto a command's options: positional in declared order, or name:value / name=value. */
export function parseTextArgs(def: CommandDef, text: string): Record<string, unknown> {
  const names = Object.keys(def.options);
  const result: Record<string, unknown> = {};
  const tokens = tokenize(text);
  const positional: Token[] = [];
  for (let t = 0; t < tokens.length; t++) {
    const tok = tokens[t];
    const key = tok.key?.toLowerCase();
    if (key && names.includes(key)) {
      if (key in result) throw new UserError(`${key} was given twice.`);
      let value = tok.value;
      // when:2026-12-24 18:00 -> a date followed by a time belongs together.
      const next = tokens[t + 1];
      if (def.options[key].kind === 'moment' && next && !next.key && isDateThenTime(value, next.value)) {
        value += ' ' + next.value;
        t++;
      }
      result[key] = value;
    } else positional.push(tok.key ? { ...tok, value: text.slice(tok.start, tok.end), key: undefined } : tok);
  }
  let i = 0;
  for (const name of names) {
    if (name in result) continue;
    if (i >= positional.length) break;
    const o = def.options[name];
    if (o.kind === 'text') {
      // Free text takes the rest of the line verbatim (unless it is a single quoted phrase).
      const rest = positional.slice(i);
      const first = rest[0], last = rest[rest.length - 1];
      const contiguous = tokens.every((t) => t.end <= first.start || t.start >= last.end || rest.some((r) => r.start === t.start));
      result[name] = rest.length === 1 ? first.value : contiguous ? text.slice(first.start, last.end) : rest.map((t) => text.slice(t.start, t.end)).join(' ');
      i = positional.length;
      break;
    }
    if (o.kind === 'moment' && isDateThenTime(positional[i].value, positional[i + 1]?.value)) {
      result[name] = `${positional[i].value} ${positional[i + 1].value}`;
      i += 2;
      continue;
    }
    result[name] = positional[i++].value;
  }
  if (i < positional.length) {
    throw new UserError(`Too many arguments: "${positional.slice(i).map((t) => t.value).join(' ')}". Usage: ${usage(def)}`);
  }
  return result;
}

/** Validates raw option values with each option's zod schema; the first problem becomes a user-facing error. */
export function validateArgs<O extends OptionsShape>(def: CommandDef<O>, raw: Record<string, unknown>, now: Date = new Date()): ArgsOf<O> {
  const shape: Record<string, z.ZodType> = {};
  for (const [name, o] of Object.entries(def.options)) shape[name] = o.schema;
  const cleaned: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) if (v !== undefined && v !== null && v !== '') cleaned[k] = v;
  const unknownKeys = Object.keys(cleaned).filter((k) => !(k in shape));
  if (unknownKeys.length) throw new UserError(`Unknown option ${unknownKeys.join(', ')}. Usage: ${usage(def)}`);
  parseNow = now;
  let parsed;
  try {
    parsed = z.object(shape).safeParse(cleaned);
  } finally {
    parseNow = undefined;
  }
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = String(issue.path[0] ?? '');
    const missing = issue.code === 'invalid_type' && cleaned[field] === undefined;
    throw new UserError(missing ? `Missing ${field}. Usage: ${usage(def)}` : `${field}: ${issue.message}.`);
  }
  return parsed.data as ArgsOf<O>;
}

export function usage(def: CommandDef): string {
  const parts = Object.entries(def.options).map(([n, o]) => (o.required ? `<${n}>` : `[${n}]`));
  return `/${def.name}${parts.length ? ' ' + parts.join(' ') : ''}`;
}
