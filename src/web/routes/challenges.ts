import { Hono, type Context } from 'hono';
import type { Engine } from '../../engine.js';
import type { DashboardEnv } from '../dashboard.js';
import { sessionLang } from './lang.js';
import { formFields, replyBlock, runCommand } from '../forms.js';
import { challengesPage } from '../pages/challenges.js';
import type { CreateForm } from '../pages/giveaways.js';
import { momentOf, targetOf } from './giveaways.js';
import type { Reply } from '../../core/types.js';

/** The dashboard's challenges section (under /c/<community>/): each action runs the moderator's chat command. */
export function challengesRoutes(engine: Engine): Hono<DashboardEnv> {
  const app = new Hono<DashboardEnv>();

  /** The page, after an action with the command's reply on top (400 when it was refused). */
  const render = async (c: Context<DashboardEnv>, reply?: Reply, form?: CreateForm) => {
    const s = c.get('session');
    const board = await engine.challengesBoard(s.communityId);
    const notice = reply ? replyBlock(reply) : undefined;
    return c.html(challengesPage(sessionLang(engine, s), { communityId: s.communityId, csrfToken: s.csrfToken, board, notice, form }), reply?.error ? 400 : 200);
  };

  app.get('/challenges', (c) => render(c));

  app.post('/challenges', async (c) => {
    const s = c.get('session');
    const f = await formFields(c);
    const target = targetOf(sessionLang(engine, s), (await engine.challengesBoard(s.communityId)).channels, f.channel);
    if ('text' in target) return render(c, target, f);
    const args = { title: f.title, reward: f.reward, deadline: momentOf(f.deadline), description: f.description };
    const reply = await runCommand(c, engine, 'challenge create', args, f, target);
    return render(c, reply, reply.error ? f : undefined);
  });

  app.post('/challenges/:challenge{[0-9]{1,10}}/close', async (c) =>
    render(c, await runCommand(c, engine, 'challenge close', { challenge: c.req.param('challenge') }, await formFields(c))));

  app.post('/challenges/submissions/:submission{[0-9]{1,10}}/approve', async (c) =>
    render(c, await runCommand(c, engine, 'challenge approve', { submission: c.req.param('submission') }, await formFields(c))));

  app.post('/challenges/submissions/:submission{[0-9]{1,10}}/reject', async (c) => {
    const fields = await formFields(c);
    return render(c, await runCommand(c, engine, 'challenge reject', { submission: c.req.param('submission'), note: fields.note }, fields));
  });

  return app;
}
