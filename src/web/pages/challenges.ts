import type { Lang } from '../../i18n/index.js';
import type { Engine } from '../../engine.js';
import { formGuard } from '../forms.js';
import { esc, sectionPage } from './html.js';
import { channelField, field, type CreateForm } from './giveaways.js';

/* The challenges page: open challenges (close) and the review queue (approve, reject with a note). */

type ChallengesBoard = Awaited<ReturnType<Engine['challengesBoard']>>;
export interface ChallengesView { communityId: string; csrfToken: string; board: ChallengesBoard; notice?: string; form?: CreateForm }

const k = (key: string) => `webModeration:challenges.${key}`;

const table = (cls: string, head: string[], rows: string[][]) =>
  `<table class="${cls}"><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('')}</tbody></table>`;

/** A form posting to /c/<community>/challenges/<path>. */
const form = (v: ChallengesView, path: string, label: string, inner = '') =>
  `<form method="post" action="/c/${esc(encodeURIComponent(v.communityId))}/challenges/${path}">${formGuard(v.csrfToken)}${inner}<button type="submit">${esc(label)}</button></form>`;

const URL_IN_TEXT = /https?:\/\/[^\s<>"'`]+/gi;

/**
 * Proof as the member wrote it, escaped; http(s) addresses in it become links that pass no referrer and
 * no ranking, opened in a new tab. Anything that does not parse as an http(s) URL stays plain text.
 */
export function proofHtml(proof: string): string {
  let out = '', last = 0;
  for (const m of proof.matchAll(URL_IN_TEXT)) {
    const raw = m[0].replace(/[.,;:!?)\]]+$/, '');
    let url: URL | undefined;
    try { url = new URL(raw); } catch { url = undefined; }
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) continue;
    out += esc(proof.slice(last, m.index)) + `<a href="${esc(url.href)}" rel="noopener noreferrer nofollow" target="_blank">${esc(raw)}</a>`;
    last = m.index! + raw.length;
  }
  return (out + esc(proof.slice(last))).replace(/\n/g, '<br>');
}

function createForm(L: Lang, v: ChallengesView): string {
  const f = v.form;
  const t = (key: string) => L.t(k(`create.${key}`));
  const channels = v.board.channels;
  return `<section class="create"><h2>${esc(t('heading'))}</h2>
<form method="post" action="/c/${esc(encodeURIComponent(v.communityId))}/challenges" class="create-challenge">${formGuard(v.csrfToken)}
${field(L, t('title'), 'title', 'type="text" maxlength="100" size="40" required', f)}
${field(L, t('reward'), 'reward', 'type="number" min="1" max="100000" required', f)}
${field(L, t('deadline'), 'deadline', 'type="datetime-local" required', f)}<p><small>${esc(L.t('webModeration:zone', { zone: L.timeZone }))}</small></p>
<p><label>${esc(t('description'))} <small>${esc(L.t('webModeration:optional'))}</small><br><textarea name="description" maxlength="1000" rows="3" cols="60">${esc(f?.description ?? '')}</textarea></label></p>
<p>${channelField(L, channels, f?.channel)}</p>
<p><button type="submit"${channels.length ? '' : ' disabled'}>${esc(t('submit'))}</button></p>
</form></section>`;
}

function openTable(L: Lang, v: ChallengesView): string {
  if (!v.board.open.length) return `<p>${esc(L.t(k('noOpen')))}</p>`;
  const head = ['id', 'title', 'reward', 'deadline', 'pending', 'approved'].map((c) => L.t(k(`columns.${c}`)));
  return table('open-challenges', [...head, L.t('webModeration:actions')], v.board.open.map((c) => [
    esc(`#${c.id}`), esc(c.title), esc(L.t(k('reward'), { count: c.reward })), esc(L.date(c.deadline)), esc(L.num(c.pending)), esc(L.num(c.approved)),
    form(v, `${c.id}/close`, L.t(k('close'))),
  ]));
}

function queueTable(L: Lang, v: ChallengesView): string {
  if (!v.board.queue.length) return `<p>${esc(L.t(k('noQueue')))}</p>`;
  const head = ['submission', 'title', 'member', 'proof', 'submittedAt'].map((c) => L.t(k(`columns.${c}`)));
  return table('review-queue', [...head, L.t('webModeration:actions')], v.board.queue.map((q) => [
    esc(`#${q.id}`), `${esc(`#${q.challengeId} ${q.title}`)}<br><small>${esc(L.t(k('reward'), { count: q.reward }))}</small>`, esc(q.name),
    proofHtml(q.proof), esc(L.date(q.submittedAt)),
    form(v, `submissions/${q.id}/approve`, L.t(k('approve')))
      + form(v, `submissions/${q.id}/reject`, L.t(k('reject')),
        `<label>${esc(L.t(k('note')))} <input type="text" name="note" maxlength="300"></label> `),
  ]));
}

/** `notice` is a command's reply block (already HTML) shown above everything after a form was sent. */
export function challengesPage(L: Lang, v: ChallengesView): string {
  const title = L.t(k('title'));
  return sectionPage(L, v, 'challenges', title, `<h2>${esc(L.t(k('queue')))}</h2>
${queueTable(L, v)}
<h2>${esc(L.t(k('open')))}</h2>
${openTable(L, v)}
${createForm(L, v)}`);
}
