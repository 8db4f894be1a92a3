import type { Lang } from '../../i18n/index.js';
import { EXPORT_COLUMNS, EXPORT_KINDS, type ExportKind, type ExportRange } from '../../features/exports/kinds.js';
import { esc, nav, page } from './html.js';

/* The exports page: each CSV file with its row count, download link and columns, and the date range filter. No script. */

export interface ExportsView {
  communityId: string;
  timezone: string;
  range: ExportRange;
  /** Rows per kind in the range; absent when the range could not be read. */
  counts?: Record<ExportKind, number>;
  /** A catalog key (webExports:errors.*) when the request was refused. */
  error?: string;
  /** The raw filter values, shown back in the form. */
  raw?: { from?: string; to?: string };
}

const base = (v: ExportsView) => `/c/${encodeURIComponent(v.communityId)}/exports`;

/** The download link of a kind, carrying the range. */
export function downloadHref(communityId: string, kind: ExportKind, range: ExportRange): string {
  const q = new URLSearchParams();
  if (range.from) q.set('from', range.from);
  if (range.to) q.set('to', range.to);
  const qs = q.toString();
  return `/c/${encodeURIComponent(communityId)}/exports/${kind}.csv${qs ? `?${qs}` : ''}`;
}

function filterForm(L: Lang, v: ExportsView): string {
  const t = (k: string, o?: Record<string, unknown>) => esc(L.t(`webExports:filter.${k}`, o));
  const from = v.raw?.from ?? v.range.from ?? '', to = v.raw?.to ?? v.range.to ?? '';
  const active = v.range.from || v.range.to
    ? `<p class="range">${t('active', { from: v.range.from ?? L.t('webExports:filter.start'), to: v.range.to ?? L.t('webExports:filter.today') })} <a href="${esc(base(v))}">${t('clear')}</a></p>` : '';
  return `<form method="get" action="${esc(base(v))}" class="filter"><fieldset><legend>${t('legend')}</legend>
<label>${t('from')} <input type="date" name="from" value="${esc(from)}"></label>
<label>${t('to')} <input type="date" name="to" value="${esc(to)}"></label>
<button type="submit">${t('apply')}</button></fieldset></form>
${active}`;
}

function kindsTable(L: Lang, v: ExportsView, counts: Record<ExportKind, number>): string {
  const c = (k: string) => esc(L.t(`webExports:columns.${k}`));
  const rows = EXPORT_KINDS.map((k) => `<tr class="export" data-kind="${esc(k)}">
<th scope="row">${esc(L.t(`webExports:kinds.${k}.name`))}<br><small>${esc(L.t(`webExports:kinds.${k}.desc`))}</small></th>
<td class="rows">${esc(L.num(counts[k]))}</td>
<td><a class="download" href="${esc(downloadHref(v.communityId, k, v.range))}" download>${esc(L.t('webExports:download'))}</a></td>
<td><code>${esc(EXPORT_COLUMNS[k].join(', '))}</code></td></tr>`).join('\n');
  return `<table class="exports"><thead><tr><th>${c('file')}</th><th>${c('rows')}</th><th>${c('download')}</th><th>${c('fields')}</th></tr></thead>
<tbody>
${rows}
</tbody></table>`;
}

export function exportsPage(L: Lang, v: ExportsView): string {
  const title = L.t('webExports:title');
  const error = v.error ? `<p class="reply refused" role="alert">${esc(L.t(v.error))}</p>` : '';
  return page(L, title, `${nav(L, v.communityId, 'exports')}
<h1>${esc(title)}</h1>
${error}
<p>${esc(L.t('webExports:intro'))}</p>
${filterForm(L, v)}
${v.counts ? kindsTable(L, v, v.counts) : ''}
<p>${esc(L.t('webExports:headers'))}</p>
<p>${esc(L.t('webExports:times', { zone: v.timezone }))}</p>
<p>${esc(L.t('webExports:formula'))}</p>`);
}
