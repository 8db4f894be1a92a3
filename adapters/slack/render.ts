import type { Button, Form, Reply } from '../../src/core/types.js';

/**
 * Pure translation between the core's Reply/Button/Form and Slack Block Kit, plus the encoding of
 * what a button or modal should run. No Slack SDK here, so it is easy to test and reuse.
 */

/** A Block Kit block; kept loose so it serves messages, modals and the App Home alike. */
export type Block = Record<string, unknown>;

/** action_id prefix of every button this adapter renders (the Bolt listener matches on it). */
export const ACTION_PREFIX = 'engage:';
/** callback_id of the modal opened for a Form. */
export const FORM_CALLBACK = 'engage_form';

const SECTION_MAX = 3000; // characters of mrkdwn per section block
const BUTTONS_PER_ACTIONS = 25; // elements per actions block
const BUTTON_TEXT_MAX = 75;
const BUTTON_VALUE_MAX = 2000;
const METADATA_MAX = 3000; // view private_metadata
const MODAL_TITLE_MAX = 24;

/** Slack user/channel mentions the core emits on purpose ("<@U123>") survive escaping. */
const KEEP = /<@[UW][A-Z0-9]+>|<#C[A-Z0-9]+>/g;

/** Escapes the three characters Slack treats as control characters in text. */
export function escapeSlack(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Core text (**bold** markup) -> Slack mrkdwn (*bold*), escaping &, <, > but keeping mentions. */
export function toMrkdwn(text: string): string {
  let out = '';
  let last = 0;
  for (const m of text.matchAll(KEEP)) {
    out += escapeSlack(text.slice(last, m.index)) + m[0];
    last = m.index! + m[0].length;
  }
  out += escapeSlack(text.slice(last));
  // Slack bold needs the asterisks right next to non-space characters.
  return out.replace(/\*\*(.+?)\*\*/g, (_, s: string) => (s.trim() ? `*${s.trim()}*` : s));
}

/** Plain text (for plain_text fields): no markup, no escaping needed. */
export function toPlain(text: string): string {
  return text.replace(/\*\*(.+?)\*\*/g, '$1');
}

const clip = (s: string, n: number) => (s.length <= n ? s : s.slice(0, n - 1) + '…');

/**
 * Turns the text of a slash command back into what the user typed. Slack escapes &, <, > as entities
 * and (with should_escape) wraps mentions, channels and links in <...>: user mentions stay as <@U123|name>
 * (the core resolves them and names new members after the label), channels become #name, links the bare URL.
 */
export function normalizeCommandText(text: string): string {
  return text
    .replace(/<#[A-Z0-9]+\|([^>]*)>/g, '#$1')
    .replace(/<!(here|channel|everyone)(?:\|[^>]*)?>/g, '@$1')
    .replace(/<((?:https?|mailto|tel):[^|>]+)(?:\|[^>]*)?>/g, (_, url: string) => url.replace(/^mailto:/, ''))
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .trim();
}

/** What a rendered button carries in its `value`: the command to run, or a form to open. */
export interface ButtonPayload {
  c: string;
  a: Record<string, string | number>;
  f?: Form;
}

export function encodeButton(b: Button): string {
  const base: ButtonPayload = { c: b.command, a: b.args };
  if (b.form) {
    const withForm = JSON.stringify({ ...base, f: b.form });
    if (withForm.length <= BUTTON_VALUE_MAX) return withForm;
    // Too big for a button value: keep the form but shorten its labels.
    const f: Form = { ...b.form, fields: b.form.fields.map((x) => ({ ...x, label: clip(x.label, 60) })) };
    const shorter = JSON.stringify({ ...base, f });
    if (shorter.length <= BUTTON_VALUE_MAX) return shorter;
  }
  const plain = JSON.stringify(base);
  if (plain.length > BUTTON_VALUE_MAX) throw new Error(`button "${b.label}" carries too much data for Slack`);
  return plain;
}

export function decodeButton(value: string | undefined): ButtonPayload | null {
  if (!value) return null;
  try {
    const p = JSON.parse(value) as ButtonPayload;
    if (typeof p?.c !== 'string' || typeof p.a !== 'object' || p.a === null) return null;
    return p;
  } catch {
    return null;
  }
}

/** Splits long text at line breaks into pieces that fit a section block. */
function chunks(text: string, max = SECTION_MAX): string[] {
  const out: string[] = [];
  let cur = '';
  for (const line of text.split('\n')) {
    const next = cur ? `${cur}\n${line}` : line;
    if (next.length <= max) { cur = next; continue; }
    if (cur) out.push(cur);
    let rest = line;
    while (rest.length > max) { out.push(rest.slice(0, max)); rest = rest.slice(max); }
    cur = rest;
  }
  if (cur || !out.length) out.push(cur || ' ');
  return out;
}

/** The reply's text as Slack mrkdwn, with a warning sign on refusals. */
export function replyText(reply: Reply): string {
  return (reply.error ? '⚠️ ' : '') + toMrkdwn(reply.text);
}

/** The buttons of a reply; a reply-level form becomes one more button that opens it. */
export function replyButtons(reply: Reply): Button[][] {
  const rows = [...(reply.buttons ?? [])];
  if (reply.form) rows.push([{ label: reply.form.title, command: reply.form.command, args: reply.form.args, form: reply.form, style: 'primary' }]);
  return rows;
}

export function buttonElement(b: Button, actionId: string): Block {
  const el: Block = {
    type: 'button',
    action_id: actionId,
    text: { type: 'plain_text', text: clip(toPlain(b.label), BUTTON_TEXT_MAX) || ' ', emoji: true },
    value: encodeButton(b),
  };
  // Slack knows primary and danger; everything else is the default look.
  if (b.style === 'primary' || b.style === 'success') el.style = 'primary';
  if (b.style === 'danger') el.style = 'danger';
  return el;
}

/** Block Kit for a reply: section block(s) with the text, then one actions block per button row. */
export function replyBlocks(reply: Reply, idPrefix = 'r'): Block[] {
  const blocks: Block[] = chunks(replyText(reply)).map((t) => ({ type: 'section', text: { type: 'mrkdwn', text: t } }));
  replyButtons(reply).forEach((row, r) => {
    for (let start = 0; start < row.length; start += BUTTONS_PER_ACTIONS) {
      const part = row.slice(start, start + BUTTONS_PER_ACTIONS);
      blocks.push({
        type: 'actions',
        block_id: `${idPrefix}${r}_${start}`,
        elements: part.map((b, i) => buttonElement(b, `${ACTION_PREFIX}${idPrefix}${r}:${start + i}`)),
      });
    }
  });
  return blocks.slice(0, 50);
}

/** A message payload (chat.postMessage / response_url): fallback text plus blocks. */
export function replyMessage(reply: Reply): { text: string; blocks: Block[] } {
  return { text: clip(replyText(reply), 3000), blocks: replyBlocks(reply) };
}

/** What a form modal carries through to its submission. */
export interface FormMetadata {
  /** form.command */
  c: string;
  /** form.args */
  a: Record<string, string | number>;
  /** Channel the form was opened from. */
  ch?: string;
  /** response_url of the message whose button opened the form (answers go there). */
  ru?: string;
}

export function encodeMetadata(m: FormMetadata): string {
  let s = JSON.stringify(m);
  if (s.length > METADATA_MAX) s = JSON.stringify({ c: m.c, a: m.a, ch: m.ch });
  return s;
}

export function decodeMetadata(s: string | undefined): FormMetadata | null {
  if (!s) return null;
  try {
    const m = JSON.parse(s) as FormMetadata;
    return typeof m?.c === 'string' && typeof m.a === 'object' && m.a !== null ? m : null;
  } catch {
    return null;
  }
}

/** A modal with one plain_text_input per form field; block_id = field name. */
export function formModal(form: Form, meta: Omit<FormMetadata, 'c' | 'a'>): Block {
  return {
    type: 'modal',
    callback_id: FORM_CALLBACK,
    title: { type: 'plain_text', text: clip(toPlain(form.title), MODAL_TITLE_MAX) || 'Form', emoji: true },
    submit: { type: 'plain_text', text: 'Send' },
    close: { type: 'plain_text', text: 'Cancel' },
    private_metadata: encodeMetadata({ c: form.command, a: form.args, ...meta }),
    blocks: form.fields.map((f) => ({
      type: 'input',
      block_id: f.name,
      optional: f.required === false,
      label: { type: 'plain_text', text: clip(toPlain(f.label), 2000) || f.name, emoji: true },
      element: {
        type: 'plain_text_input',
        action_id: 'value',
        multiline: !!f.long,
        max_length: Math.min(f.maxLength ?? (f.long ? 3000 : 200), 3000),
      },
    })),
  };
}

/** Field values from a submitted modal: { [block_id]: value } (empty inputs are left out). */
export function formValues(state: { values: Record<string, Record<string, { value?: string | null }>> } | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [blockId, actions] of Object.entries(state?.values ?? {})) {
    const v = actions.value?.value ?? Object.values(actions)[0]?.value;
    if (typeof v === 'string' && v !== '') out[blockId] = v;
  }
  return out;
}

/** The App Home: the leaderboard, then the member's own points. */
export function homeView(leaderboard: Reply, points: Reply, community?: string): Block {
  const blocks: Block[] = [
    { type: 'header', text: { type: 'plain_text', text: clip(community ? `${community} · points` : 'Community points', 150), emoji: true } },
    ...replyBlocks(points, 'p'),
    { type: 'divider' },
    ...replyBlocks(leaderboard, 'l'),
    { type: 'context', elements: [{ type: 'mrkdwn', text: 'Type `/help` in any channel to see everything I can do.' }] },
  ];
  return { type: 'home', blocks: blocks.slice(0, 100) };
}
