import type { Lang } from '../../i18n/index.js';
import type { Engine } from '../../engine.js';
import { NPS_GROUPS, type NpsGroup } from '../../features/polls/nps.js';
import { esc, nav, page } from './html.js';
import type { NpsSegments, SegmentRow } from '../../features/polls/segments.js';

/* The NPS page: a server-rendered SVG chart per poll series, and one run's breakdown and comments. No script. */

type Report = Awaited<ReturnType<Engine['npsReport']>>;
type Run = Report['series'][number]['runs'][number];
export interface NpsView { communityId: string; report: Report; group?: NpsGroup }

const signed = (L: Lang, n: number) => `${n > 0 ? '+' : ''}${L.num(n)}`;

/** Where a link on this page leads: the page itself with the given choices (already escaped for an attribute). */
function href(v: NpsView, q: { series: number; run?: number; group?: NpsGroup }, anchor = ''): string {
  const params = new URLSearchParams({ series: String(q.series) });
  if (q.run !== undefined) params.set('run', String(q.run));
  if (q.group) params.set('group', q.group);
  return esc(`/c/${encodeURIComponent(v.communityId)}/nps?${params}${anchor}`);
}

const W = 640, H = 260, LEFT = 56, RIGHT = 24, TOP = 16, BOTTOM = 40;

/** NPS per run on a −100..100 axis; each answered run is a point whose tooltip says date, NPS and responses. */
function chart(L: Lang, v: NpsView, s: Report['series'][number]): string {
  const w = W - LEFT - RIGHT, h = H - TOP - BOTTOM;
  const n = s.runs.length;
  const x = (i: number) => (n === 1 ? LEFT + w / 2 : LEFT + (i * w) / (n - 1));
  const y = (nps: number) => TOP + ((100 - nps) / 200) * h;
  const f = (k: number) => k.toFixed(1);
  const grid = [100, 50, 0, -50, -100].map((t) => `<line x1="${LEFT}" x2="${W - RIGHT}" y1="${f(y(t))}" y2="${f(y(t))}" stroke="${t === 0 ? '#888' : '#ddd'}"/>`
    + `<text x="${LEFT - 6}" y="${f(y(t) + 4)}" text-anchor="end" font-size="11">${esc(signed(L, t))}</text>`).join('');
  const step = Math.ceil(n / 8);
  const labels = s.runs.map((r, i) => (i % step === 0 || i === n - 1
    ? `<text x="${f(x(i))}" y="${H - BOTTOM + 18}" text-anchor="middle" font-size="11">${esc(L.day(r.opensAt))}</text>` : '')).join('');
  const answered = s.runs.map((r, i) => ({ r, i })).filter((p): p is { r: Run & { nps: number }; i: number } => p.r.nps !== null);
  const line = answered.length > 1
    ? `<polyline fill="none" stroke="#3b6fd4" stroke-width="2" points="${answered.map((p) => `${f(x(p.i))},${f(y(p.r.nps))}`).join(' ')}"/>` : '';
  const selectedRun = v.report.selected?.seriesId === s.id ? v.report.selected.run.pollId : undefined;
  const points = answered.map(({ r, i }) => {
    const tip = L.t('dashboard:nps.point', { date: L.day(r.opensAt), nps: signed(L, r.nps), count: r.responses });
    const on = r.pollId === selectedRun;
    return `<a href="${href(v, { series: s.id, run: r.pollId }, '#run')}"><circle class="nps-point" data-poll="${r.pollId}" cx="${f(x(i))}" cy="${f(y(r.nps))}" r="${on ? 7 : 5}" fill="${on ? '#1d3f8a' : '#3b6fd4'}" stroke="#fff" stroke-width="2"><title>${esc(tip)}</title></circle></a>`;
  }).join('');
  const axis = `<text transform="translate(14 ${TOP + h / 2}) rotate(-90)" text-anchor="middle" font-size="11">${esc(L.t('dashboard:nps.axis'))}</text>`;
  const title = L.t('dashboard:nps.chart', { question: s.question });
  return `<svg class="nps-chart" data-series="${s.id}" role="img" viewBox="0 0 ${W} ${H}" width="100%" style="max-width:${W}px" xmlns="http://www.w3.org/2000/svg"><title>${esc(title)}</title>${grid}${axis}${labels}${line}${points}</svg>`;
}

function seriesSection(L: Lang, v: NpsView, s: Report['series'][number]): string {
  const chosen = v.report.selected?.seriesId === s.id;
  const pick = chosen ? esc(L.t('dashboard:nps.selected')) : `<a href="${href(v, { series: s.id })}">${esc(L.t('dashboard:nps.show'))}</a>`;
  return `<section class="series">
<h2>${esc(s.question)}</h2>
<p>${esc(L.t('dashboard:nps.runs', { count: s.runs.length }))} · ${pick}</p>
${chart(L, v, s)}
</section>`;
}

/** Responses of the run against the members who could have answered (the definition is in the help text). */
function rateSection(L: Lang, rate: NonNullable<Report['selected']>['rate']): string {
  const pct = rate.members ? Math.round((rate.responses / rate.members) * 100) : 0;
  return `<section id="rate">
<h3>${esc(L.t('dashboard:nps.rate.title'))}</h3>
<p class="rate"><strong>${esc(L.t('dashboard:nps.rate.value', { responses: rate.responses, members: rate.members, pct }))}</strong></p>
<p class="help">${esc(L.t('dashboard:nps.rate.help'))}</p>
</section>`;
}

const SEGMENT_KINDS = ['platform', 'tier', 'tenure', 'source'] as const;
const KNOWN_PLATFORMS = ['discord', 'slack', 'telegram', 'console', 'unknown'];

/** A segment's name: platforms, tenures and sources from the catalog; tiers by the community's own names. */
function segmentLabel(L: Lang, kind: (typeof SEGMENT_KINDS)[number], key: string): string {
  if (kind === 'tier') return key;
  if (kind === 'platform' && !KNOWN_PLATFORMS.includes(key)) return key;
  const sub = { platform: 'platforms', tenure: 'tenures', source: 'sources' }[kind];
  return L.t(`dashboard:nps.segments.${sub}.${key}`);
}

function segmentTable(L: Lang, kind: (typeof SEGMENT_KINDS)[number], rows: SegmentRow[]): string {
  const c = (k: string) => esc(L.t(k));
  const head = `<tr><th>${c('dashboard:nps.segments.segment')}</th><th>NPS</th><th>${c('dashboard:nps.count')}</th>${NPS_GROUPS.map((g) => `<th>${c(`dashboard:nps.groups.${g}`)}</th>`).join('')}</tr>`;
  const body = rows.map((r) => {
    const nps = r.summary.nps === null ? L.t('dashboard:nps.noScore') : signed(L, r.summary.nps);
    return `<tr data-segment="${esc(r.key)}"><th scope="row">${esc(segmentLabel(L, kind, r.key))}</th><td class="nps">${esc(nps)}</td><td class="responses">${esc(L.num(r.summary.responses))}</td>${NPS_GROUPS.map((g) => `<td class="${g}">${esc(L.num(r.summary[g]))}</td>`).join('')}</tr>`;
  }).join('\n');
  return `<h4>${c(`dashboard:nps.segments.by.${kind}`)}</h4>
<table class="segments" data-kind="${kind}"><thead>${head}</thead>
<tbody>
${body}
</tbody></table>`;
}

function segmentsSection(L: Lang, seg: NpsSegments, anonymous = false): string {
  const tables = anonymous ? `<p class="anonymous">${esc(L.t('dashboard:nps.segments.anonymous'))}</p>` : seg.platform.length ? SEGMENT_KINDS.map((k) => segmentTable(L, k, seg[k])).join('\n') : `<p>${esc(L.t('dashboard:nps.segments.none'))}</p>`;
  return `<section id="segments">
<h3>${esc(L.t('dashboard:nps.segments.title'))}</h3>
<p class="help">${esc(L.t('dashboard:nps.segments.help'))}</p>
${tables}
</section>`;
}

function runSection(L: Lang, v: NpsView, sel: NonNullable<Report['selected']>): string {
  const { run, summary } = sel;
  const pct = (k: number) => `${L.num(summary.responses ? Math.round((k / summary.responses) * 100) : 0)}%`;
  const score = summary.nps === null ? L.t('dashboard:nps.noScore') : L.t('dashboard:nps.score', { nps: signed(L, summary.nps), count: summary.responses });
  const rows = NPS_GROUPS.map((g) => `<tr class="${g}"><th scope="row">${esc(L.t(`dashboard:nps.groups.${g}`))}</th><td>${esc(L.num(summary[g]))}</td><td>${esc(pct(summary[g]))}</td></tr>`).join('\n');
  const filter = [undefined, ...NPS_GROUPS].map((g) => {
    const label = esc(g ? L.t(`dashboard:nps.groups.${g}`) : L.t('dashboard:nps.all'));
    return g === v.group ? `<strong>${label}</strong>` : `<a href="${href(v, { series: sel.seriesId, run: run.pollId, group: g }, '#comments')}">${label}</a>`;
  }).join(' · ');
  const c = L.t.bind(L);
  const comments = sel.comments.length
    ? `<table class="comments"><thead><tr><th>${esc(c('dashboard:nps.columns.score'))}</th><th>${esc(c('dashboard:nps.columns.date'))}</th><th>${esc(c('dashboard:nps.columns.member'))}</th><th>${esc(c('dashboard:nps.columns.comment'))}</th></tr></thead>
<tbody>
${sel.comments.map((m) => `<tr><td>${esc(L.num(m.score))}</td><td>${esc(L.date(m.at))}</td><td>${esc(m.memberName)}</td><td>${esc(m.comment)}</td></tr>`).join('\n')}
</tbody></table>`
    : `<p>${esc(c('dashboard:nps.noComments'))}</p>`;
  return `<section id="run">
<h2>${esc(c('dashboard:nps.run', { opensAt: run.opensAt, status: c(`dashboard:nps.status.${run.status}`) }))}</h2>
<p><em>${esc(run.question)}</em></p>
<p class="nps-score"><strong>${esc(score)}</strong></p>
<p>${esc(c('dashboard:nps.formula'))}</p>
<table class="breakdown"><thead><tr><th>${esc(c('dashboard:nps.group'))}</th><th>${esc(c('dashboard:nps.count'))}</th><th>${esc(c('dashboard:nps.share'))}</th></tr></thead>
<tbody>
${rows}
</tbody></table>
${rateSection(L, sel.rate)}
${segmentsSection(L, sel.segments, sel.anonymous)}
<h3 id="comments">${esc(c('dashboard:nps.comments'))}</h3>
<p class="filter">${esc(c('dashboard:nps.filter'))} ${filter}</p>
${comments}
</section>`;
}

export function npsPage(L: Lang, v: NpsView): string {
  const title = L.t('dashboard:nps.title');
  const { series, selected } = v.report;
  const body = selected
    ? `${series.map((s) => seriesSection(L, v, s)).join('\n')}\n${runSection(L, v, selected)}`
    : `<p>${esc(L.t('dashboard:nps.empty'))}</p>`;
  const queue = esc(`/c/${encodeURIComponent(v.communityId)}/nps/followups`);
  return page(L, title, `${nav(L, v.communityId, 'nps')}
<h1>${esc(title)}</h1>
<p class="followups-link"><a href="${queue}">${esc(L.t('dashboard:nps.followupsLink', { count: v.report.openFollowUps }))}</a></p>
${body}`);
}
