import type { Lang } from '../../i18n/index.js';
import type { Reply, Role } from '../../core/types.js';
import { usage, type CommandDef } from '../../core/command.js';
import { checkPreconditions, type PreconditionInput } from '../../core/preconditions.js';

/* Command texts come from the `commands` catalog under the command's name: /help, Discord, Telegram and Slack read them here. */

export const commandDescription = (L: Lang, def: CommandDef) => L.t(`commands:${def.name}.description`);
export const optionDescription = (L: Lang, def: CommandDef, option: string) => L.t(`commands:${def.name}.options.${option}`);
export const commandExamples = (L: Lang, def: CommandDef): string[] =>
  L.t(`commands:${def.name}.examples`, { defaultValue: '' }).split('\n').filter(Boolean);

/** A group's one-line description ("Challenge: create, list, ..."), for platforms that list top-level names only. */
export const groupDescription = (L: Lang, top: string, subs: string[]) => L.t(`help:group.${top}`, { defaultValue: top, subs: subs.join(', ') });

/** Conditions beyond the role, as a short note ("in a channel"). */
const notes = (L: Lang, def: CommandDef) => (def.preconditions ?? []).map((p) => L.t(`help:precondition.${p.id}`));

/** The detailed help of the commands matching `query` ("contest" or "contest create"), or null when none does. */
export function commandHelp(L: Lang, defs: CommandDef[], query: string): Reply | null {
  const q = query.replace(/^\//, '').trim().toLowerCase();
  const matches = defs.filter((c) => c.name === q || c.name.startsWith(q + ' '));
  if (!matches.length) return null;
  const lines: string[] = [];
  for (const c of matches) {
    const note = notes(L, c);
    lines.push(`**${usage(c)}**: ${commandDescription(L, c)}${note.length ? ` (${L.list(note)})` : ''}`);
    for (const [n, o] of Object.entries(c.options)) lines.push(`  ${n}${o.required ? '' : L.t('help:optional')}: ${optionDescription(L, c, n)}`);
    for (const e of commandExamples(L, c)) lines.push(L.t('help:example', { example: e }));
  }
  return { text: lines.join('\n'), ephemeral: true };
}

/** What this member may run here, by role, with the same precondition check the engine uses. */
export function overviewHelp(L: Lang, defs: CommandDef[], who: PreconditionInput): Reply {
  const mine = defs.filter((c) => !checkPreconditions({ ...c, preconditions: [] }, who));
  const section = (r: Role) => {
    const cs = mine.filter((c) => c.permission === r);
    return cs.length ? [L.t(`help:section.${r}`), ...cs.map((c) => `${usage(c)}: ${commandDescription(L, c)}`)] : [];
  };
  return { text: [...section('member'), ...section('moderator'), ...section('admin'), L.t('help:details')].join('\n'), ephemeral: true };
}
