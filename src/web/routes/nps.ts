import { Hono, type Context } from 'hono';
import type { Engine } from '../../engine.js';
import type { DashboardEnv } from '../dashboard.js';
import { sessionLang } from './lang.js';
import { npsPage } from '../pages/nps.js';
import { followUpsPage, type FollowUpsView } from '../pages/nps-followups.js';
import { NPS_GROUPS, type NpsGroup } from '../../features/polls/nps.js';
import { FOLLOW_UP_STATES, type FollowUpState } from '../../features/polls/followups.js';
import { UserError } from '../../core/errors.js';
import { formFields, onceOf } from '../forms.js';

/** The NPS page (score over time per poll series, a run's breakdown, response rate and segments) and the detractor follow-up queue. */
export function npsRoutes(engine: Engine): Hono<DashboardEnv> {
  const app = new Hono<DashboardEnv>();
  app.get('/nps', async (c) => {
    const s = c.get('session');
    const id = (k: string) => (/^\d{1,9}$/.test(c.req.query(k) ?? '') ? Number(c.req.query(k)) : undefined);
    const group = NPS_GROUPS.find((g) => g === c.req.query('group')) as NpsGroup | undefined;
    const report = await engine.npsReport(s.communityId, { series: id('series'), run: id('run'), group });
    return c.html(npsPage(sessionLang(engine, s), { communityId: s.communityId, report, group }));
  });

  const stateOf = (v: string | undefined): FollowUpState => FOLLOW_UP_STATES.find((x) => x === v) ?? 'open';

  /** The queue page, with what a submitted form did on top (200 when done, 400 when refused). */
  async function queuePage(c: Context<DashboardEnv>, state: FollowUpState, extra: Pick<FollowUpsView, 'notice' | 'draft'> = {}, status: 200 | 400 = 200) {
    const s = c.get('session');
    const queue = await engine.npsFollowUps(s.communityId, state);
    return c.html(followUpsPage(sessionLang(engine, s), { communityId: s.communityId, csrfToken: s.csrfToken, queue, ...extra }), status);
  }

  app.get('/nps/followups', (c) => queuePage(c, stateOf(c.req.query('state'))));

  // Done, reopen and reply: web-only actions (no chat command does them), through the engine's follow-up methods.
  app.post('/nps/followups/:pollId/:memberId/:action{done|reopen|reply}', async (c) => {
    const s = c.get('session');
    const L = sessionLang(engine, s);
    const fields = await formFields(c);
    const state = stateOf(fields.state);
    const pollId = /^\d{1,9}$/.test(c.req.param('pollId')) ? Number(c.req.param('pollId')) : 0;
    const answer = { pollId, memberId: c.req.param('memberId') };
    const once = onceOf(fields._once);
    const action = c.req.param('action');
    try {
      const who = { communityId: s.communityId, memberId: s.memberId };
      const out = action === 'reply'
        ? await engine.npsFollowUpReply(who, answer, fields.text ?? '', once)
        : await engine.npsFollowUpMark(who, answer, action === 'done', once);
      return queuePage(c, state, { notice: { text: L.t(`dashboard:nps.followups.outcome.${out.kind}`, { name: out.memberName }), error: false } });
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
      const draft = action === 'reply' ? { ...answer, text: fields.text ?? '' } : undefined;
      return queuePage(c, state, { notice: { text: L.t(err.code, err.params), error: true }, draft }, 400);
    }
  });

  return app;
}
