import { Hono, type Context } from 'hono';
import type { Engine } from '../../engine.js';
import type { DashboardEnv } from '../dashboard.js';
import { sessionLang } from './lang.js';
import { formFields, replyBlock, runCommand } from '../forms.js';
import { rewardsPage } from '../pages/rewards.js';
import type { Reply } from '../../core/types.js';

/** The dashboard's rewards queue (under /c/<community>/): each action runs the chat command (same permissions). */
export function rewardsRoutes(engine: Engine): Hono<DashboardEnv> {
  const app = new Hono<DashboardEnv>();

  /** The page, after an action with the command's reply on top (400 when it was refused). */
  const render = async (c: Context<DashboardEnv>, reply?: Reply) => {
    const s = c.get('session');
    const board = await engine.rewardsBoard(s.communityId);
    const notice = reply ? replyBlock(reply) : undefined;
    return c.html(rewardsPage(sessionLang(engine, s), { communityId: s.communityId, csrfToken: s.csrfToken, role: s.role, board, notice }), reply?.error ? 400 : 200);
  };

  app.get('/rewards', (c) => render(c));

  for (const action of ['fulfill', 'refund'] as const) {
    app.post(`/rewards/redemptions/:redemption{[0-9]{1,10}}/${action}`, async (c) =>
      render(c, await runCommand(c, engine, `redemption ${action}`, { redemption: c.req.param('redemption') }, await formFields(c))));
  }

  app.post('/rewards/add', async (c) => {
    const f = await formFields(c);
    return render(c, await runCommand(c, engine, 'reward add', { name: f.name, cost: f.cost, stock: f.stock }, f));
  });

  app.post('/rewards/:reward{[0-9]{1,10}}/remove', async (c) =>
    render(c, await runCommand(c, engine, 'reward remove', { reward: c.req.param('reward') }, await formFields(c))));

  return app;
}
