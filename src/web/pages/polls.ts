import type { Lang } from '../../i18n/index.js';
import { POLL_KINDS } from '../../features/polls/choices.js';
import type { Engine } from '../../engine.js';
import type { Reply } from '../../core/types.js';
import { formGuard, replyBlock } from '../forms.js';
import { esc, nav, page } from './html.js';

/* The polls page: a form that creates a poll (the chat command `poll create`), and the scheduled, open and recently closed polls. No script. */

type Data = Awaited<ReturnType<Engine['pollsPage']>>;
type Row = Data['open'][number];
export type Channel = Data['channels'][number];

export const REPEATS = ['none', 'daily', 'weekly', 'monthly'] as const;
/** Units of the "open for" field, as the chat's duration option writes them (5m, 2h, 3d, 1w). */
export const UNITS = ['m', 'h', 'd', 'w'] as const;

/** What the create form holds: shown again as typed when the poll was refused. */
export interface PollForm { question: string; opens: string; amount: string; unit: string; repeat: string; channel: string; kind?: string; options?: string; anonymous?: string }
const EMPTY_FORM: PollForm = { question: '', opens: '', amount: '3', unit: 'd', repeat: 'none', channel: '', kind: 'nps', options: '', anonymous: '' };
/** The kinds of poll the form offers (the chat's `poll create kind:`). */
export const KINDS = POLL_KINDS;

export interface PollsView {
  communityId: string;
  csrfToken: string;
  data: Data;
  now: Date;
  /** The reply of the command a form ran (shown on top). */
  reply?: Reply;
  /** The create form's values to show again (after a refusal). */
  form?: PollForm;
}

/** A channel as one value of the form's select: platform, channel and thread, each URI-encoded. */
export const channelValue = (ch: { platform: string; channelId: string; threadId: string | null }): string =>
  [ch.platform, ch.channelId, ch.threadId ?? ''].map(encodeURIComponent).join('/');

function channelLabel(L: Lang, ch: { platform: string | null; channelId: string | null; threadId: string | null }): string {
  if (!ch.platform || !ch.channelId) return '—';
  const platform = L.t(`webPolls:platform.${ch.platform}`, { defaultValue: ch.platform });
  return ch.threadId
    ? L.t('webPolls:channelThread', { platform, channel: ch.channelId, thread: ch.threadId })
    : L.t('webPolls:channel', { platform, channel: ch.channelId });
}

/** The zone's name with its current offset: "Asia/Seoul (GMT+9)". */
function zoneLabel(zone: string, now: Date): string {
  const offset = new Intl.DateTimeFormat('en', { timeZone: zone, timeZoneName: 'shortOffset' }).formatToParts(now).find((p) => p.type === 'timeZoneName')?.value;
  return offset && offset !== 'GMT' && offset !== zone ? `${zone} (${offset})` : zone;
}

const repeatLabel = (L: Lang, repeat: string) => L.t(`webPolls:repeat.${repeat}`, { defaultValue: repeat });
function repeatOf(L: Lang, r: Row): string {
  const label = repeatLabel(L, r.repeat);
  return r.seriesId ? L.t('webPolls:seriesRun', { repeat: label, id: r.seriesId }) : label;
}

const option = (value: string, label: string, chosen: string) =>
  `<option value="${esc(value)}"${value === chosen ? ' selected' : ''}>${esc(label)}</option>`;

function createForm(L: Lang, v: PollsView): string {
  const f = v.form ?? EMPTY_FORM;
  const t = (k: string, p?: Record<string, unknown>) => esc(L.t(`webPolls:form.${k}`, p));
  const channels = v.data.channels;
  const chosen = f.channel || (channels[0] ? channelValue(channels[0]) : '');
  const channelField = channels.length
    ? `<select id="poll-channel" name="channel" required>${channels.map((ch) => option(channelValue(ch), channelLabel(L, ch), chosen)).join('')}</select>`
    : `<p class="no-channels">${esc(L.t('webPolls:noChannels'))}</p>`;
  return `<section class="create">
<h2>${t('heading')}</h2>
<form method="post" action="/c/${esc(encodeURIComponent(v.communityId))}/polls" class="create-poll">
${formGuard(v.csrfToken)}
<p><label for="poll-question">${t('question')}</label><br><input id="poll-question" name="question" required maxlength="300" size="60" value="${esc(f.question)}"> <small>${t('questionHelp')}</small></p>
<p><label for="poll-kind">${t('kind')}</label><br><select id="poll-kind" name="kind">${KINDS.map((k) => option(k, L.t(`webPolls:form.kinds.${k}`), f.kind || 'nps')).join('')}</select></p>
<p><label for="poll-options">${t('options')}</label><br><textarea id="poll-options" name="options" rows="4" cols="40" maxlength="1000">${esc(f.options ?? '')}</textarea> <small>${t('optionsHelp')}</small></p>
<p><label><input type="checkbox" name="anonymous" value="yes"${f.anonymous === 'yes' ? ' checked' : ''}> ${t('anonymous')}</label> <small>${t('anonymousHelp')}</small></p>
<p><label for="poll-opens">${t('opens')}</label><br><input id="poll-opens" name="opens" type="datetime-local" value="${esc(f.opens)}"> <small class="zone">${t('opensHelp', { zone: zoneLabel(L.timeZone, v.now) })}</small></p>
<p><label for="poll-amount">${t('duration')}</label><br><input id="poll-amount" name="amount" type="number" min="1" value="${esc(f.amount)}">
<select id="poll-unit" name="unit" aria-label="${t('duration')}">${UNITS.map((u) => option(u, L.t(`webPolls:form.unit.${u}`), f.unit)).join('')}</select> <small>${t('durationHelp')}</small></p>
<p><label for="poll-repeat">${t('repeat')}</label><br><select id="poll-repeat" name="repeat">${REPEATS.map((r) => option(r, r === 'none' ? L.t('webPolls:form.repeatNone') : repeatLabel(L, r), f.repeat)).join('')}</select></p>
<p><label for="poll-channel">${t('channel')}</label><br>${channelField}</p>
<p><button type="submit"${channels.length ? '' : ' disabled'}>${t('submit')}</button></p>
</form>
</section>`;
}

/** A "close now" button for a scheduled or open poll (the chat command `poll close`). */
function closeButton(L: Lang, v: PollsView, id: number): string {
  return `<form method="post" action="/c/${esc(encodeURIComponent(v.communityId))}/polls/${id}/close" class="close-poll">${formGuard(v.csrfToken)}<button type="submit">${esc(L.t('webPolls:close'))}</button></form>`;
}

function table(L: Lang, key: 'scheduled' | 'open' | 'closed', rows: Row[], columns: string[], cells: (r: Row) => string[]): string {
  const heading = `<h2>${esc(L.t(`webPolls:${key}.heading`))}</h2>${key === 'closed' || !rows.length ? '' : `\n<p><small>${esc(L.t('webPolls:closeHelp'))}</small></p>`}`;
  if (!rows.length) return `<section class="${key}">${heading}\n<p>${esc(L.t(`webPolls:${key}.empty`))}</p></section>`;
  const head = columns.map((c) => `<th>${esc(L.t(`webPolls:col.${c}`))}</th>`).join('');
  const body = rows.map((r) => `<tr data-poll="${r.id}">${cells(r).map((c) => `<td>${c}</td>`).join('')}</tr>`).join('\n');
  return `<section class="${key}">${heading}
<table class="polls ${key}"><thead><tr>${head}</tr></thead>
<tbody>
${body}
</tbody></table></section>`;
}

export function pollsPage(L: Lang, v: PollsView): string {
  const title = L.t('webPolls:title');
  const { scheduled, open, closed } = v.data;
  const common = (r: Row) => [`#${esc(r.id)}`, esc(r.question)];
  const where = (r: Row) => esc(channelLabel(L, r));
  const nps = (r: Row) => esc(r.nps === null ? L.t('webPolls:noScore') : `${r.nps > 0 ? '+' : ''}${L.num(r.nps)}`);
  return page(L, title, `${nav(L, v.communityId, 'polls')}
<h1>${esc(title)}</h1>
${v.reply ? replyBlock(v.reply) : ''}
<p>${esc(L.t('webPolls:intro'))}</p>
${createForm(L, v)}
${table(L, 'scheduled', scheduled, ['poll', 'question', 'opens', 'closes', 'repeat', 'channel', 'action'],
    (r) => [...common(r), esc(L.date(r.opensAt)), esc(L.date(r.closesAt)), esc(repeatOf(L, r)), where(r), closeButton(L, v, r.id)])}
${table(L, 'open', open, ['poll', 'question', 'closes', 'responses', 'repeat', 'channel', 'action'],
    (r) => [...common(r), esc(L.date(r.closesAt)), esc(L.num(r.responses)), esc(repeatOf(L, r)), where(r), closeButton(L, v, r.id)])}
${table(L, 'closed', closed, ['poll', 'question', 'opened', 'closed', 'nps', 'responses', 'repeat'],
    (r) => [...common(r), esc(L.date(r.opensAt)), esc(L.date(r.closesAt)), nps(r), esc(L.num(r.responses)), esc(repeatOf(L, r))])}`);
}
