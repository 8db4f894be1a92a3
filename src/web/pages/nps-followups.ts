import type { Lang } from '../../i18n/index.js';
import type { Engine } from '../../engine.js';
import { FOLLOW_UP_STATES, REPLY_MAX } from '../../features/polls/followups.js';
import { formGuard, replyBlock } from '../forms.js';
import { esc, nav, page } from './html.js';

/* The detractor follow-up queue: low scores of every run, each with its reply form and done / reopen button. No script. */

type Queue = Awaited<ReturnType<Engine['npsFollowUps']>>;
type Item = Queue['items'][number];

export interface FollowUpsView {
  communityId: string;
  csrfToken: string;
  queue: Queue;
  /** What the last submitted form did or why it was refused, shown on top. */
  notice?: { text: string; error: boolean };
  /** A refused reply's text, kept in its form so nothing typed is lost. */
  draft?: { pollId: number; memberId: string; text: string };
}

const base = (v: FollowUpsView) => `/c/${encodeURIComponent(v.communityId)}/nps`;
const itemPath = (v: FollowUpsView, i: Item, action: string) => esc(`${base(v)}/followups/${i.pollId}/${encodeURIComponent(i.memberId)}/${action}`);

function platformName(L: Lang, p: string | null): string {
  const key = p ?? 'unknown';
  return ['discord', 'slack', 'telegram', 'console', 'unknown'].includes(key) ? L.t(`dashboard:nps.segments.platforms.${key}`) : key;
}

function actions(L: Lang, v: FollowUpsView, i: Item): string {
  const c = (k: string, p?: Record<string, unknown>) => esc(L.t(`dashboard:nps.followups.${k}`, p));
  const guard = formGuard(v.csrfToken) + `<input type="hidden" name="state" value="${esc(v.queue.state)}">`;
  const toggle = i.followedUpAt
    ? `<form method="post" action="${itemPath(v, i, 'reopen')}">${guard}<button type="submit">${c('reopen')}</button></form>`
    : `<form method="post" action="${itemPath(v, i, 'done')}">${guard}<button type="submit">${c('markDone')}</button></form>`;
  const draft = v.draft && v.draft.pollId === i.pollId && v.draft.memberId === i.memberId ? v.draft.text : '';
  const id = `reply-${i.pollId}-${esc(i.memberId)}`;
  const reply = `<form method="post" action="${itemPath(v, i, 'reply')}">${guard}
<label for="${id}">${c('replyLabel')}</label><br>
<textarea id="${id}" name="text" rows="3" cols="40" maxlength="${REPLY_MAX}" required>${esc(draft)}</textarea><br>
<small>${c('replyHint', { max: REPLY_MAX })}</small><br>
<button type="submit">${c('send')}</button></form>`;
  const done = i.followedUpAt ? `<p class="done-by">${c('doneBy', { name: i.followedUpBy ?? '', at: L.date(i.followedUpAt) })}</p>` : '';
  return `${done}${toggle}${reply}`;
}

function history(L: Lang, i: Item): string {
  if (!i.history.length) return '';
  const line = (h: Item['history'][number]) => `<li class="${esc(h.kind)}">${esc(L.t(`dashboard:nps.followups.history.${h.kind}`, { at: L.date(h.at), author: h.author, text: h.text ?? '' }))}</li>`;
  return `<ul class="history">${i.history.map(line).join('')}</ul>`;
}

function row(L: Lang, v: FollowUpsView, i: Item): string {
  const comment = i.comment ? esc(i.comment) : `<em>${esc(L.t('dashboard:nps.followups.noComment'))}</em>`;
  return `<tr class="followup" data-poll="${i.pollId}" data-member="${esc(i.memberId)}">
<td class="score">${esc(L.num(i.score))}</td><td>${esc(L.date(i.at))}</td><td class="member">${esc(i.memberName)}</td><td class="poll">${esc(i.question)}</td>
<td class="comment">${comment}${history(L, i)}</td><td class="platform">${esc(platformName(L, i.platform))}</td><td class="actions">${actions(L, v, i)}</td>
</tr>`;
}

export function followUpsPage(L: Lang, v: FollowUpsView): string {
  const title = L.t('dashboard:nps.followups.title');
  const c = (k: string, p?: Record<string, unknown>) => esc(L.t(`dashboard:nps.followups.${k}`, p));
  const { queue } = v;
  const filter = FOLLOW_UP_STATES.map((s) => {
    const label = c(`states.${s}`, { count: queue[s] });
    return s === queue.state ? `<strong aria-current="true">${label}</strong>` : `<a href="${esc(`${base(v)}/followups?state=${s}`)}">${label}</a>`;
  }).join(' · ');
  const cols = ['score', 'date', 'member', 'poll', 'comment', 'platform', 'actions'].map((k) => `<th>${c(`columns.${k}`)}</th>`).join('');
  const table = queue.items.length
    ? `<table class="followups"><thead><tr>${cols}</tr></thead>
<tbody>
${queue.items.map((i) => row(L, v, i)).join('\n')}
</tbody></table>`
    : `<p class="empty">${c(`empty.${queue.state}`)}</p>`;
  const total = queue[queue.state];
  const more = total > queue.items.length && queue.items.length ? `<p class="more">${c('more', { shown: queue.items.length, count: total })}</p>` : '';
  const notice = v.notice ? replyBlock({ text: v.notice.text, ...(v.notice.error ? { error: { code: 'refused' } } : {}) }) : '';
  return page(L, title, `${nav(L, v.communityId, 'nps')}
<p><a href="${esc(base(v))}">${c('back')}</a></p>
<h1>${esc(title)}</h1>
${notice}
<p class="help">${c('help')}</p>
<p class="filter">${filter}</p>
${more}
${table}`);
}
