import type { Lang } from '../../i18n/index.js';
import { dayMoment, ENGAGEMENT_RANGES, REFERRAL_STATUSES, type EngagementReport, type FunnelRow, type Leader } from '../../features/insights/report.js';
import { esc, nav, page } from './html.js';

/* The engagement page: server-rendered SVG charts (a <title> tooltip per day; no script) with their numbers in tables. */

export interface EngagementView { communityId: string; report: EngagementReport }

const W = 720, H = 240, LEFT = 56, RIGHT = 16, TOP = 16, BOTTOM = 36;
const f = (k: number) => k.toFixed(1);

interface Series { key: string; label: string; color: string; values: number[] }

/** A round step for about four grid lines up to `max`. */
function step(max: number): number {
  const raw = Math.max(1, max / 4);
  const p = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw)!;
}

/** Bars per local day, side by side for each series; `tip(i)` is the tooltip of day i (on its whole column). */
function barChart(L: Lang, r: EngagementReport, cls: string, title: string, series: Series[], tip: (i: number) => string): string {
  const w = W - LEFT - RIGHT, h = H - TOP - BOTTOM, n = r.days.length;
  const all = series.flatMap((s) => s.values);
  const unit = step(Math.max(1, ...all.map(Math.abs)));
  const top = Math.max(unit, Math.ceil(Math.max(0, ...all) / unit) * unit);
  const bottom = Math.min(0, Math.floor(Math.min(0, ...all) / unit) * unit);
  const y = (v: number) => TOP + ((top - v) / (top - bottom)) * h;
  const col = w / n, bar = Math.max(0.5, (col * 0.8) / series.length);
  const ticks: number[] = [];
  for (let t = bottom; t <= top; t += unit) ticks.push(t);
  const grid = ticks.map((t) => `<line x1="${LEFT}" x2="${W - RIGHT}" y1="${f(y(t))}" y2="${f(y(t))}" stroke="${t === 0 ? '#888' : '#ddd'}"/>`
    + `<text x="${LEFT - 6}" y="${f(y(t) + 4)}" text-anchor="end" font-size="11">${esc(L.num(t))}</text>`).join('');
  const every = Math.ceil(n / 8);
  // Counted back from today, so today always has its label and the labels never crowd each other.
  const labels = r.days.map((d, i) => ((n - 1 - i) % every === 0
    ? `<text x="${f(LEFT + col * (i + 0.5))}" y="${H - BOTTOM + 16}" text-anchor="middle" font-size="11">${esc(L.day(dayMoment(d, r.zone)))}</text>` : '')).join('');
  const columns = r.days.map((d, i) => {
    const bars = series.map((s, k) => {
      const v = s.values[i], x = LEFT + col * i + col * 0.1 + bar * k;
      return v === 0 ? '' : `<rect class="${s.key}" x="${f(x)}" y="${f(Math.min(y(v), y(0)))}" width="${f(bar)}" height="${f(Math.abs(y(v) - y(0)))}" fill="${s.color}"/>`;
    }).join('');
    // A transparent hit area over the whole day, so the tooltip shows even where the bars are thin or absent.
    return `<g class="day" data-day="${esc(d)}"><title>${esc(tip(i))}</title><rect x="${f(LEFT + col * i)}" y="${TOP}" width="${f(col)}" height="${h}" fill="transparent"/>${bars}</g>`;
  }).join('');
  const legend = series.length > 1 ? series.map((s, k) => `<rect x="${LEFT + k * 140}" y="${H - 12}" width="10" height="10" fill="${s.color}"/><text x="${LEFT + k * 140 + 14}" y="${H - 3}" font-size="11">${esc(s.label)}</text>`).join('') : '';
  return `<svg class="${cls}" role="img" viewBox="0 0 ${W} ${H + (legend ? 8 : 0)}" width="100%" style="max-width:${W}px" xmlns="http://www.w3.org/2000/svg"><title>${esc(title)}</title>${grid}${labels}${columns}${legend}</svg>`;
}

const t = (L: Lang, key: string, params?: Record<string, unknown>) => L.t(`webEngagement:${key}`, params);
const dayName = (L: Lang, r: EngagementReport, d: string) => L.day(dayMoment(d, r.zone));
const th = (L: Lang, keys: string[]) => `<thead><tr>${keys.map((k) => `<th scope="col">${esc(t(L, k))}</th>`).join('')}</tr></thead>`;

function rangePicker(L: Lang, v: EngagementView): string {
  const base = `/c/${encodeURIComponent(v.communityId)}/engagement`;
  const links = ENGAGEMENT_RANGES.map((d) => (d === v.report.range
    ? `<strong aria-current="true">${esc(t(L, 'range.days', { count: d }))}</strong>`
    : `<a href="${esc(`${base}?days=${d}`)}">${esc(t(L, 'range.days', { count: d }))}</a>`)).join(' · ');
  return `<p class="range">${esc(t(L, 'range.label'))} ${links}</p>`;
}

function pointsSection(L: Lang, r: EngagementReport): string {
  const { perDay, totals } = r.points;
  const chart = barChart(L, r, 'points-chart', t(L, 'points.chart', { count: r.range }), [
    { key: 'issued', label: t(L, 'points.issued'), color: '#3b6fd4', values: perDay.map((d) => d.issued) },
    { key: 'redeemed', label: t(L, 'points.redeemed'), color: '#e08a2c', values: perDay.map((d) => d.redeemed) },
  ], (i) => t(L, 'points.tip', { day: dayName(L, r, perDay[i].day), issued: L.num(perDay[i].issued), redeemed: L.num(perDay[i].redeemed) }));
  const rows = perDay.map((d) => `<tr data-day="${esc(d.day)}"><th scope="row">${esc(dayName(L, r, d.day))}</th><td>${esc(L.num(d.issued))}</td><td>${esc(L.num(d.redeemed))}</td><td>${esc(L.num(d.takenBack))}</td></tr>`).join('\n');
  return `<section id="points">
<h2>${esc(t(L, 'points.title'))}</h2>
<p class="totals">${esc(t(L, 'points.totals', { issued: L.num(totals.issued), redeemed: L.num(totals.redeemed), takenBack: L.num(totals.takenBack) }))}</p>
${chart}
<details><summary>${esc(t(L, 'table'))}</summary>
<table class="points">${th(L, ['columns.day', 'points.issued', 'points.redeemed', 'points.takenBack'])}
<tbody>
${rows}
</tbody></table></details>
<p class="help">${esc(t(L, 'points.help'))}</p>
</section>`;
}

function activeSection(L: Lang, r: EngagementReport): string {
  const { perDay, today, last7Average } = r.active;
  const chart = barChart(L, r, 'active-chart', t(L, 'active.chart', { count: r.range }),
    [{ key: 'active', label: t(L, 'active.title'), color: '#2e9d6b', values: perDay.map((d) => d.members) }],
    (i) => t(L, 'active.tip', { day: dayName(L, r, perDay[i].day), count: perDay[i].members, members: L.num(perDay[i].members) }));
  const rows = perDay.map((d) => `<tr data-day="${esc(d.day)}"><th scope="row">${esc(dayName(L, r, d.day))}</th><td>${esc(L.num(d.members))}</td></tr>`).join('\n');
  const avg = L.num(Math.round(last7Average * 10) / 10);
  return `<section id="active">
<h2>${esc(t(L, 'active.title'))}</h2>
<p class="active-today">${esc(t(L, 'active.today', { count: today, members: L.num(today) }))} · ${esc(t(L, 'active.average', { average: avg }))}</p>
${chart}
<details><summary>${esc(t(L, 'table'))}</summary>
<table class="active">${th(L, ['columns.day', 'active.members'])}
<tbody>
${rows}
</tbody></table></details>
<p class="help">${esc(t(L, 'active.help'))}</p>
</section>`;
}

function board(L: Lang, cls: string, title: string, rows: Leader[]): string {
  const body = rows.length
    ? `<table class="${cls}">${th(L, ['leaders.rank', 'leaders.member', 'leaders.points', 'leaders.tier'])}
<tbody>
${rows.map((x) => `<tr><td>${esc(L.num(x.rank))}</td><td>${esc(x.displayName)}</td><td>${esc(L.num(x.points))}</td><td>${esc(x.tier)}</td></tr>`).join('\n')}
</tbody></table>`
    : `<p>${esc(t(L, 'leaders.empty'))}</p>`;
  return `<h3>${esc(title)}</h3>\n${body}`;
}

function funnelRow(L: Lang, x: FunnelRow): string {
  const cell = (n: number) => `<td>${esc(t(L, 'funnel.cell', { count: L.num(n), pct: L.num(x.joined ? Math.round((n / x.joined) * 100) : 0) }))}</td>`;
  const statuses = x.source === 'organic' ? ''
    : `<br><small class="statuses" style="font-weight:normal">${esc(REFERRAL_STATUSES.map((st) => t(L, `funnel.statuses.${st}`, { count: L.num(x.statuses[st]) })).join(' · '))}</small>`;
  return `<tr class="${x.source}"><th scope="row">${esc(t(L, `funnel.sources.${x.source}`))}${statuses}</th><td>${esc(L.num(x.joined))}</td>${cell(x.active)}${cell(x.entered)}${cell(x.answered)}</tr>`;
}

function funnelSection(L: Lang, r: EngagementReport): string {
  const body = r.funnel.some((x) => x.joined > 0)
    ? `<table class="funnel">${th(L, ['funnel.source', 'funnel.joined', 'funnel.active', 'funnel.entered', 'funnel.answered'])}
<tbody>
${r.funnel.map((x) => funnelRow(L, x)).join('\n')}
</tbody></table>`
    : `<p>${esc(t(L, 'funnel.empty'))}</p>`;
  return `<section id="funnel">
<h2>${esc(t(L, 'funnel.title'))}</h2>
${body}
<p class="help">${esc(t(L, 'funnel.help'))}</p>
</section>`;
}

export function engagementPage(L: Lang, v: EngagementView): string {
  const title = t(L, 'title');
  const r = v.report;
  return page(L, title, `${nav(L, v.communityId, 'engagement')}
<h1>${esc(title)}</h1>
${rangePicker(L, v)}
<p>${esc(t(L, 'zone', { zone: r.zone }))}</p>
${pointsSection(L, r)}
${activeSection(L, r)}
<section id="leaders">
<h2>${esc(t(L, 'leaders.title'))}</h2>
${board(L, 'leaders-all', t(L, 'leaders.all'), r.leaders.all)}
${board(L, 'leaders-month', t(L, 'leaders.month'), r.leaders.month)}
</section>
${funnelSection(L, r)}`);
}
