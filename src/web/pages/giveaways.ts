import type { Lang } from '../../i18n/index.js';
import type { Engine } from '../../engine.js';
import { formGuard } from '../forms.js';
import { esc, sectionPage } from './html.js';

/* The giveaways page: open, ended (with winners) and cancelled giveaways; end, cancel and reroll forms. */

type GiveawaysBoard = Awaited<ReturnType<Engine['giveawaysBoard']>>;
type BoardContest = GiveawaysBoard['open'][number];

/** The values of a create form, shown again as typed after a refusal. */
export type CreateForm = Record<string, string>;
export interface GiveawaysView { communityId: string; csrfToken: string; board: GiveawaysBoard; notice?: string; form?: CreateForm }

/* Where a new giveaway or challenge is posted: a channel the bot already knows (the only ones it may post in). */

type KnownChannel = GiveawaysBoard['channels'][number];

/** A channel as one value of a select: platform, channel and thread, each URI-encoded. */
export const channelValue = (ch: { platform: string; channelId: string; threadId: string | null }): string =>
  [ch.platform, ch.channelId, ch.threadId ?? ''].map(encodeURIComponent).join('/');

const channelLabel = (L: Lang, ch: KnownChannel) => (ch.threadId
  ? L.t('webModeration:channelThread', { platform: ch.platform, channel: ch.channelId, thread: ch.threadId })
  : L.t('webModeration:channel', { platform: ch.platform, channel: ch.channelId }));

/** The "post in" select, or why there is none. */
export function channelField(L: Lang, channels: KnownChannel[], chosen = ''): string {
  if (!channels.length) return `<p class="no-channels">${esc(L.t('webModeration:noChannels'))}</p>`;
  const options = channels.map((ch) => {
    const value = channelValue(ch);
    return `<option value="${esc(value)}"${value === chosen ? ' selected' : ''}>${esc(channelLabel(L, ch))}</option>`;
  }).join('');
  return `<label>${esc(L.t('webModeration:postIn'))} <select name="channel" required>${options}</select></label>`;
}

/** A labelled input of a create form, holding what was typed before a refusal. */
export function field(L: Lang, label: string, name: string, attrs: string, form: CreateForm | undefined, fallback = '', optional = false): string {
  const value = form?.[name] ?? fallback;
  const hint = optional ? ` <small>${esc(L.t('webModeration:optional'))}</small>` : '';
  return `<p><label>${esc(label)}${hint}<br><input name="${esc(name)}" ${attrs} value="${esc(value)}"></label></p>`;
}

const k = (key: string) => `webModeration:giveaways.${key}`;

/** A table with a header row; cells are already-escaped HTML. */
const table = (cls: string, head: string[], rows: string[][]) =>
  `<table class="${cls}"><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('')}</tbody></table>`;

/** A one-button form posting to /c/<community>/giveaways/<id>/<action>. */
function button(v: GiveawaysView, id: number, action: string, label: string, inner = ''): string {
  return `<form method="post" action="/c/${esc(encodeURIComponent(v.communityId))}/giveaways/${id}/${action}">${formGuard(v.csrfToken)}${inner}<button type="submit">${esc(label)}</button></form>`;
}

const prizeCell = (L: Lang, c: BoardContest) =>
  esc(c.prize) + (c.prizePoints > 0 ? `<br><small>${esc(L.t(k('prizePoints'), { points: c.prizePoints }))}</small>` : '');

function createForm(L: Lang, v: GiveawaysView): string {
  const f = v.form;
  const t = (key: string) => L.t(k(`create.${key}`));
  const channels = v.board.channels;
  return `<section class="create"><h2>${esc(t('heading'))}</h2>
<form method="post" action="/c/${esc(encodeURIComponent(v.communityId))}/giveaways" class="create-giveaway">${formGuard(v.csrfToken)}
${field(L, t('prize'), 'prize', 'type="text" maxlength="200" size="40" required', f)}
${field(L, t('winners'), 'winners', 'type="number" min="1" max="100" required', f, '1')}
${field(L, t('ends'), 'ends', 'type="datetime-local" required', f)}<p><small>${esc(L.t('webModeration:zone', { zone: L.timeZone }))}</small></p>
${field(L, t('points'), 'points', 'type="number" min="1" max="1000000"', f, '', true)}
${field(L, t('minPoints'), 'min_points', 'type="number" min="1" max="10000000"', f, '', true)}
${field(L, t('minDays'), 'min_days', 'type="number" min="1" max="3650"', f, '', true)}
<p>${channelField(L, channels, f?.channel)}</p>
<p><button type="submit"${channels.length ? '' : ' disabled'}>${esc(t('submit'))}</button></p>
</form></section>`;
}

function openTable(L: Lang, v: GiveawaysView): string {
  if (!v.board.open.length) return `<p>${esc(L.t(k('noOpen')))}</p>`;
  const head = ['id', 'prize', 'endsAt', 'entries', 'winnersCount'].map((c) => L.t(k(`columns.${c}`)));
  return table('open-giveaways', [...head, L.t('webModeration:actions')], v.board.open.map((c) => [
    esc(`#${c.id}`), prizeCell(L, c), esc(L.date(c.endsAt)), esc(L.num(c.entries)), esc(L.num(c.winnersCount)),
    button(v, c.id, 'end', L.t(k('end'))) + button(v, c.id, 'cancel', L.t(k('cancel'))),
  ]));
}

function rerollForm(L: Lang, v: GiveawaysView, c: GiveawaysBoard['ended'][number]): string {
  const current = c.winners.filter((w) => !w.replaced);
  const options = [`<option value="">${esc(L.t(k('replaceNone')))}</option>`,
    ...current.map((w) => `<option value="${esc(w.memberId)}">${esc(w.name)}</option>`)].join('');
  const fields = `<label>${esc(L.t(k('count')))} <input type="number" name="count" min="1" max="100" value="1" required></label> `
    + `<label>${esc(L.t(k('replace')))} <select name="replace">${options}</select></label> `;
  return button(v, c.id, 'reroll', L.t(k('reroll')), fields);
}

function endedTable(L: Lang, v: GiveawaysView): string {
  if (!v.board.ended.length) return `<p>${esc(L.t(k('noEnded')))}</p>`;
  const head = ['id', 'prize', 'endedAt', 'entries', 'winners'].map((c) => L.t(k(`columns.${c}`)));
  return table('ended-giveaways', [...head, L.t('webModeration:actions')], v.board.ended.map((c) => {
    const winners = c.winners.length
      ? `<ul>${c.winners.map((w) => {
        const round = esc(L.t(k('round'), { round: w.round }));
        return w.replaced
          ? `<li class="replaced"><del>${esc(w.name)}</del> (${round}, ${esc(L.t(k('replaced')))})</li>`
          : `<li>${esc(w.name)} (${round})</li>`;
      }).join('')}</ul>`
      : esc(L.t(k('noWinners')));
    return [esc(`#${c.id}`), prizeCell(L, c), esc(L.date(c.endedAt ?? c.endsAt)), esc(L.num(c.entries)), winners, c.entries ? rerollForm(L, v, c) : ''];
  }));
}

function cancelledTable(L: Lang, v: GiveawaysView): string {
  if (!v.board.cancelled.length) return `<p>${esc(L.t(k('noCancelled')))}</p>`;
  const head = ['id', 'prize', 'endedAt', 'entries'].map((c) => L.t(k(`columns.${c}`)));
  return table('cancelled-giveaways', head, v.board.cancelled.map((c) =>
    [esc(`#${c.id}`), prizeCell(L, c), esc(L.date(c.endedAt ?? c.endsAt)), esc(L.num(c.entries))]));
}

/** `notice` is a command's reply block (already HTML) shown above everything after a form was sent. */
export function giveawaysPage(L: Lang, v: GiveawaysView): string {
  const title = L.t(k('title'));
  return sectionPage(L, v, 'giveaways', title, `<h2>${esc(L.t(k('open')))}</h2>
${openTable(L, v)}
<h2>${esc(L.t(k('ended')))}</h2>
${endedTable(L, v)}
<h2>${esc(L.t(k('cancelled')))}</h2>
${cancelledTable(L, v)}
${createForm(L, v)}`);
}
