import type { Address, Button, Form, Reply } from '../../src/core/types.js';
import type { Lang } from '../../src/i18n/index.js';
import { adapterLang, clip, clipMarked, shortenedNote, splitText } from '../shared/text.js';
import { selectElement } from './controls.js';

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
const SHORT_FORM_LABEL = 60; // form labels inside a button value that would be too long otherwise
const MESSAGE_TEXT_MAX = 3000; // fallback `text` of a message (notifications, screen readers)
const METADATA_MAX = 3000; // view private_metadata
const MODAL_TITLE_MAX = 24; // also the submit and close labels
const INPUT_LABEL_MAX = 2000;
const FIELD_ERROR_MAX = 300; // response_action: errors message under an input
const HEADER_MAX = 150;
const BLOCKS_PER_MESSAGE = 50;
const BLOCKS_PER_VIEW = 100;
/**
 * Text characters (every "text" string, buttons included) in one message's blocks. Slack refuses more
 * than about 12,000 with msg_blocks_too_long and counts the block containers too, so stay well below.
 */
const BLOCK_TEXT_BUDGET = 11_000;
/** A reply too long for one message continues in at most this many (a response_url takes 5 posts). */
const MESSAGES_MAX = 4;

/** Slack user/channel mentions the core emits on purpose ("<@U123>") survive escaping. */
const MENTION = /<@[UW][A-Z0-9]+>|<#C[A-Z0-9]+>/;

/** Escapes the three characters Slack treats as control characters in text. */
export function escapeSlack(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Core text (**bold** markup) -> Slack mrkdwn (*bold*), escaping &, <, > but keeping mentions. */
export function toMrkdwn(text: string): string {
  // split() with a capturing group puts the mentions at the odd indexes.
  const out = text.split(new RegExp(`(${MENTION.source})`)).map((part, i) => (i % 2 ? part : escapeSlack(part))).join('');
  // Slack bold needs the asterisks right next to non-space characters.
  return out.replace(/\*\*(.+?)\*\*/g, (_, s: string) => (s.trim() ? `*${s.trim()}*` : s));
}

/** Plain text (for plain_text fields): no markup, no escaping needed. */
export function toPlain(text: string): string {
  return text.replace(/\*\*(.+?)\*\*/g, '$1');
}

/**
 * The core's typed address for a Slack conversation: D... channels are direct messages with `userId`;
 * a thread_ts makes it a thread of the channel.
 */
export function slackAddress(channelId: string | undefined, userId: string, threadTs?: string): Address | undefined {
  if (!channelId) return undefined;
  if (channelId.startsWith('D')) return { kind: 'dm', userId };
  return { kind: 'channel', channelId, ...(threadTs ? { threadId: threadTs } : {}) };
}

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

/** The `value` of a button (JSON, at most 2000 characters), or null when even the bare command does not fit. */
export function encodeButton(b: Button): string | null {
  const base: ButtonPayload = { c: b.command, a: b.args };
  if (b.form) {
    const withForm = JSON.stringify({ ...base, f: b.form });
    if (withForm.length <= BUTTON_VALUE_MAX) return withForm;
    // Too big for a button value: keep the form but shorten its labels.
    const f: Form = { ...b.form, fields: b.form.fields.map((x) => ({ ...x, label: clip(x.label, SHORT_FORM_LABEL) })) };
    const shorter = JSON.stringify({ ...base, f });
    if (shorter.length <= BUTTON_VALUE_MAX) return shorter;
  }
  const plain = JSON.stringify(base);
  return plain.length <= BUTTON_VALUE_MAX ? plain : null;
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

/** Block Kit mrkdwn markup a cut must keep whole: an escaped &, <, > and the mentions the core writes. */
const SLACK_UNITS = new RegExp(`&(?:amp|lt|gt);|${MENTION.source}`);

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

/** A button element, or null when what it runs does not fit in a button value (it is left out). */
export function buttonElement(b: Button, actionId: string): Block | null {
  const value = encodeButton(b);
  if (value === null) return null;
  const el: Block = {
    type: 'button',
    action_id: actionId,
    text: { type: 'plain_text', text: clip(toPlain(b.label), BUTTON_TEXT_MAX) || ' ', emoji: true },
    value,
  };
  // Slack knows primary and danger; everything else is the default look.
  if (b.style === 'primary' || b.style === 'success') el.style = 'primary';
  if (b.style === 'danger') el.style = 'danger';
  return el;
}

/**
 * One actions block per select menu, then one per button row (a row of more than 25 buttons takes several), at
 * most `max` blocks. A select Slack could not take (see selectElement) shows its fallback buttons instead.
 */
function actionBlocks(reply: Reply, idPrefix: string, max: number): Block[] {
  const blocks: Block[] = [];
  const fallback: Button[][] = [];
  (reply.selects ?? []).forEach((sel, i) => {
    const el = selectElement(sel, i);
    if (el) blocks.push({ type: 'actions', block_id: `${idPrefix}s${i}`, elements: [el] });
    else fallback.push(...sel.fallback);
  });
  [...fallback, ...replyButtons(reply)].forEach((row, r) => {
    for (let start = 0; start < row.length; start += BUTTONS_PER_ACTIONS) {
      const elements = row.slice(start, start + BUTTONS_PER_ACTIONS)
        .map((b, i) => buttonElement(b, `${ACTION_PREFIX}${idPrefix}${r}:${start + i}`))
        .filter((e): e is Block => e !== null);
      if (elements.length) blocks.push({ type: 'actions', block_id: `${idPrefix}${r}_${start}`, elements });
    }
  });
  return blocks.slice(0, max);
}

/** Characters of text a block holds (every "text" string in it): what Slack's limit on a message's blocks counts. */
export function blockText(blocks: Block[]): number {
  let n = 0;
  const walk = (v: unknown, key?: string): void => {
    if (typeof v === 'string') n += key === 'text' ? v.length : 0;
    else if (Array.isArray(v)) v.forEach((x) => walk(x));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, k);
  };
  walk(blocks);
  return n;
}

const section = (text: string): Block => ({ type: 'section', text: { type: 'mrkdwn', text } });
const sectionsText = (blocks: Block[]) => blocks.filter((b) => b.type === 'section').map((b) => (b.text as { text: string }).text).join('\n');

/** The context block under a cut reply: the catalog's "(shortened …)" in the reader's language. */
const shortenedBlock = (L: Lang): Block => ({ type: 'context', elements: [{ type: 'mrkdwn', text: `_${escapeSlack(shortenedNote(L))}_` }] });

/**
 * A reply laid out as the blocks of up to `messages` messages. The text goes in section blocks of at
 * most 3000 characters, cut at line breaks; a message takes as many as fit in its share of the ~12,000
 * characters Slack accepts in one message's blocks (and 50 blocks), so a long list (poll results with
 * many comments) continues in the next message. Whatever does not fit in the last one is cut visibly:
 * "…" and a "(shortened)" note. The buttons go under the last message.
 */
export function replyPages(reply: Reply, opts: { idPrefix?: string; L?: Lang; messages?: number; textBudget?: number; maxBlocks?: number } = {}): Block[][] {
  const L = opts.L ?? adapterLang();
  const maxBlocks = opts.maxBlocks ?? BLOCKS_PER_MESSAGE;
  const note = shortenedBlock(L);
  const actions = actionBlocks(reply, opts.idPrefix ?? 'r', maxBlocks - 2);
  // Room for the text of one message: the budget less the buttons' and the note's own text.
  const budget = (opts.textBudget ?? BLOCK_TEXT_BUDGET) - blockText(actions) - blockText([note]);
  const maxSections = maxBlocks - actions.length - 1;
  const messages = opts.messages ?? 1;
  const pages: string[][] = [[]];
  let used = 0;
  for (const piece of splitText(replyText(reply), Math.min(SECTION_MAX, budget), SLACK_UNITS)) {
    const page = pages[pages.length - 1];
    if (page.length && (used + piece.length > budget || page.length >= maxSections)) {
      pages.push([piece]);
      used = piece.length;
      if (pages.length > messages) break; // enough to know it does not fit
    } else {
      page.push(piece);
      used += piece.length;
    }
  }
  const shortened = pages.length > messages;
  if (shortened) {
    pages.length = messages;
    // Mark the cut on the last section kept, within what its message has left.
    const last = pages[pages.length - 1];
    const room = budget - last.slice(0, -1).reduce((n, t) => n + t.length, 0);
    last[last.length - 1] = clipMarked(last[last.length - 1], Math.min(SECTION_MAX, room), SLACK_UNITS);
  }
  return pages.map((page, i) => {
    const blocks = page.map((t) => section(t || ' '));
    if (i < pages.length - 1) return blocks;
    return [...blocks, ...(shortened ? [note] : []), ...actions];
  });
}

/** Block Kit for a reply in one message (or one part of a view): sections, then one actions block per button row. */
export function replyBlocks(reply: Reply, idPrefix = 'r', L?: Lang, textBudget?: number): Block[] {
  return replyPages(reply, { idPrefix, L, textBudget })[0];
}

/** A message payload (chat.postMessage / response_url): fallback text plus blocks. */
export interface SlackMessage {
  text: string;
  blocks: Block[];
}

const asMessage = (blocks: Block[]): SlackMessage => ({ text: clip(sectionsText(blocks), MESSAGE_TEXT_MAX, SLACK_UNITS), blocks });

/** A reply as one message within Slack's limits (cut visibly when it is too long). */
export function replyMessage(reply: Reply, L?: Lang): SlackMessage {
  return asMessage(replyBlocks(reply, 'r', L));
}

/** A reply as up to four messages within Slack's limits: a long list continues in the next message. */
export function replyMessages(reply: Reply, L?: Lang): SlackMessage[] {
  return replyPages(reply, { L, messages: MESSAGES_MAX }).map(asMessage);
}

/** What a form modal carries through to its submission. */
export interface FormMetadata {
  /** form.command */
  c: string;
  /** form.args */
  a: Record<string, string | number>;
  /** Channel the form was opened from. */
  ch?: string;
  /** Thread (thread_ts) of that channel, if any. */
  th?: string;
  /** response_url of the message whose button opened the form (answers go there). */
  ru?: string;
}

export function encodeMetadata(m: FormMetadata): string {
  let s = JSON.stringify(m);
  if (s.length > METADATA_MAX) s = JSON.stringify({ c: m.c, a: m.a, ch: m.ch, th: m.th });
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

/** A modal with one plain_text_input per form field; block_id = field name. Its own labels are in the reader's language. */
export function formModal(L: Lang, form: Form, meta: Omit<FormMetadata, 'c' | 'a'>): Block {
  const label = (key: string) => ({ type: 'plain_text', text: clip(L.t(key), MODAL_TITLE_MAX), emoji: true });
  return {
    type: 'modal',
    callback_id: FORM_CALLBACK,
    title: { type: 'plain_text', text: clip(toPlain(form.title), MODAL_TITLE_MAX) || label('slack:modal.title').text, emoji: true },
    submit: label('slack:modal.submit'),
    close: label('slack:modal.cancel'),
    private_metadata: encodeMetadata({ c: form.command, a: form.args, ...meta }),
    blocks: form.fields.slice(0, BLOCKS_PER_VIEW).map((f) => ({
      type: 'input',
      block_id: f.name,
      optional: f.required === false,
      label: { type: 'plain_text', text: clip(toPlain(f.label), INPUT_LABEL_MAX) || f.name, emoji: true },
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

/**
 * The `response_action: errors` of a refused modal submission: the message goes under the input the
 * error names (`reply.error.field` = the input's block_id), else under the first input.
 */
export function formErrors(reply: Reply, inputs: string[]): Record<string, string> | null {
  if (!reply.error || !inputs.length) return null;
  const field = reply.error.field && inputs.includes(reply.error.field) ? reply.error.field : inputs[0];
  return { [field]: clip(toPlain(reply.text), FIELD_ERROR_MAX) };
}

/** The App Home: the leaderboard, then the member's own points, framed in the reader's language. */
export function homeView(L: Lang, leaderboard: Reply, points: Reply, community?: string): Block {
  const header = community ? L.t('slack:home.headerOf', { community }) : L.t('slack:home.header');
  const blocks: Block[] = [
    { type: 'header', text: { type: 'plain_text', text: clip(header, HEADER_MAX), emoji: true } },
    // Each reply gets half of what one message may hold (a view's total is not documented; stay as safe).
    ...replyBlocks(points, 'p', L, BLOCK_TEXT_BUDGET / 2),
    { type: 'divider' },
    ...replyBlocks(leaderboard, 'l', L, BLOCK_TEXT_BUDGET / 2),
    { type: 'context', elements: [{ type: 'mrkdwn', text: toMrkdwn(L.t('slack:home.footer')) }] },
  ];
  return { type: 'home', blocks: blocks.slice(0, BLOCKS_PER_VIEW) };
}
