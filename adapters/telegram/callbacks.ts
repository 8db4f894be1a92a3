import { createHash } from 'node:crypto';
import type { CommandDef } from '../../src/core/command.js';
import type { Button, Form } from '../../src/core/types.js';
import { lang, type Lang } from '../../src/i18n/index.js';
import { optionDescription } from '../../src/features/help/present.js';

/**
 * callback_data is at most 64 bytes, so a button is encoded compactly:
 *
 *   <kind><hash>|<value>|<value>...[|@<group chat id>]
 *
 * kind is "r" (run the command) or "f" (ask for the form, then run form.command); hash is a short,
 * stable digest of the command name (it does not shift when commands are added or reordered, so cards
 * posted weeks ago keep working); the values are the button's args in the command's option order,
 * URI-encoded. "@<group>" pins a button shown in a private chat to the group whose community it acts in.
 * Buttons whose args do not fit are kept in memory ("t<id>", lost on restart: such a press is answered
 * as stale). Anything unknown decodes to { kind: 'stale' }.
 */
export type Decoded =
  | { kind: 'run'; command: string; args: Record<string, string | number>; group?: string }
  | { kind: 'form'; form: Form; group?: string }
  | { kind: 'stale' };

const MAX_BYTES = 64;
const OVERFLOW_TTL_MS = 7 * 86_400_000;
const MAX_OVERFLOW = 5000;
const MAX_FORMS = 2000;

export class CallbackCodec {
  private readonly byHash = new Map<string, CommandDef>();
  private readonly hashOf = new Map<string, string>();
  private readonly overflow = new Map<string, { decoded: Decoded; expiresAt: number }>();
  /** Exact form definitions (titles, labels) of form buttons rendered by this process. */
  private readonly forms = new Map<string, Form>();
  private seq = 0;

  constructor(commands: CommandDef[], private readonly now: () => number = Date.now) {
    for (let len = 4; ; len++) {
      this.byHash.clear();
      this.hashOf.clear();
      let clash = false;
      for (const c of commands) {
        const h = createHash('sha256').update(c.name).digest('base64url').slice(0, len);
        if (this.byHash.has(h)) { clash = true; break; }
        this.byHash.set(h, c);
        this.hashOf.set(c.name, h);
      }
      if (!clash) break;
    }
  }

  encode(button: Button, group?: string): string {
    const target = button.form ? { kind: 'f', command: button.form.command, args: button.form.args } : { kind: 'r', command: button.command, args: button.args };
    const data = this.compact(target.kind, target.command, target.args, group);
    if (data) {
      if (button.form) this.remember(data, button.form);
      return data;
    }
    const decoded: Decoded = button.form
      ? { kind: 'form', form: button.form, group }
      : { kind: 'run', command: button.command, args: button.args, group };
    return this.store(decoded);
  }

  /** `L` words a form rebuilt after a restart (the presser's language). */
  decode(data: string, L: Lang = lang('en')): Decoded {
    if (data.startsWith('t')) {
      const hit = this.overflow.get(data);
      return hit && hit.expiresAt > this.now() ? hit.decoded : { kind: 'stale' };
    }
    const kind = data[0];
    if (kind !== 'r' && kind !== 'f') return { kind: 'stale' };
    const parts = data.slice(1).split('|');
    const def = this.byHash.get(parts[0]);
    if (!def) return { kind: 'stale' };
    let values = parts.slice(1);
    let group: string | undefined;
    const last = values[values.length - 1];
    if (last?.startsWith('@')) {
      group = last.slice(1);
      values = values.slice(0, -1);
      if (!/^-?\d{1,20}$/.test(group)) return { kind: 'stale' };
    }
    const names = Object.keys(def.options);
    if (values.length > names.length) return { kind: 'stale' };
    const args: Record<string, string | number> = {};
    try {
      values.forEach((v, i) => { if (v !== '') args[names[i]] = decodeURIComponent(v); });
    } catch {
      return { kind: 'stale' };
    }
    if (kind === 'r') return { kind: 'run', command: def.name, args, group };
    const known = this.forms.get(data.split('|@')[0]);
    return { kind: 'form', form: known ? { ...known, args: { ...known.args } } : formFor(L, def, args), group };
  }

  private compact(kind: string, command: string, args: Record<string, string | number>, group?: string): string | null {
    const h = this.hashOf.get(command);
    const def = this.byHash.get(h ?? '');
    if (!h || !def) return null;
    const names = Object.keys(def.options);
    if (Object.keys(args).some((k) => !names.includes(k))) return null;
    const values = names.map((n) => (args[n] === undefined || args[n] === null ? '' : encodeURIComponent(String(args[n]))));
    while (values.length && values[values.length - 1] === '') values.pop();
    const parts = [kind + h, ...values];
    if (group) parts.push('@' + group);
    const data = parts.join('|');
    return Buffer.byteLength(data) <= MAX_BYTES ? data : null;
  }

  private remember(data: string, form: Form) {
    const key = data.split('|@')[0];
    this.forms.delete(key);
    this.forms.set(key, form);
    if (this.forms.size > MAX_FORMS) this.forms.delete(this.forms.keys().next().value!);
  }

  private store(decoded: Decoded): string {
    const now = this.now();
    for (const [k, v] of this.overflow) {
      if (v.expiresAt > now && this.overflow.size < MAX_OVERFLOW) break;
      this.overflow.delete(k);
    }
    const key = `t${(++this.seq).toString(36)}.${now.toString(36)}`;
    this.overflow.set(key, { decoded, expiresAt: now + OVERFLOW_TTL_MS });
    return key;
  }
}

/** Rebuilds a form from the command's options when the exact definition is not in memory (after a restart). */
function formFor(L: Lang, def: CommandDef, args: Record<string, string | number>): Form {
  const missing = Object.entries(def.options).filter(([n]) => !(n in args));
  const required = missing.filter(([, o]) => o.required);
  const fields = (required.length ? required : missing.slice(0, 1)).map(([name, o]) => ({
    name, label: optionDescription(L, def, name), long: o.kind === 'text', required: o.required,
    maxLength: o.kind === 'text' || o.kind === 'string' ? o.max : undefined,
  }));
  return { title: `/${def.name}`, command: def.name, args, fields };
}
