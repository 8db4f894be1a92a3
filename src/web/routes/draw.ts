import { Hono } from 'hono';
import type { Engine } from '../../engine.js';

/*
 * The public record of a giveaway's draw, for anyone to check (docs/verifiable-draw.md): no login, JSON, read
 * only. Before the draw it holds the commitment (seedHash) and the entry list (numbers and entries, no names), never
 * the seed. A cancelled giveaway is not listed.
 */
export function drawRoutes(engine: Engine): Hono {
  const app = new Hono();
  app.get('/giveaways/:communityId/:contest/draw.json', async (c) => {
    c.header('Access-Control-Allow-Origin', '*');
    const communityId = c.req.param('communityId');
    const contest = c.req.param('contest');
    const record = /^[\w-]{1,64}$/.test(communityId) && /^\d{1,9}$/.test(contest) ? await engine.giveawayDraw(communityId, Number(contest)) : null;
    if (!record) {
      c.header('Cache-Control', 'no-store');
      return c.json({ error: { code: 'not_found', message: 'No such giveaway.' } }, 404);
    }
    // An open giveaway's list grows; a drawn one changes only with a reroll: caches may keep it a minute.
    c.header('Cache-Control', record.status === 'open' ? 'no-store' : 'public, max-age=60');
    return c.json(record);
  });
  return app;
}
