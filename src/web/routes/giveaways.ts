import { Hono, type Context } from 'hono';
import type { Engine } from '../../engine.js';
import type { DashboardEnv } from '../dashboard.js';
import { sessionLang } from './lang.js';
import { formFields, replyBlock, runCommand } from '../forms.js';
import { channelValue, giveawaysPage, type CreateForm } from '../pages/giveaways.js';
import type { Address, Platform, Reply } from '../../core/types.js';
import type { Lang } from '../../i18n/index.js';

/** "2026-12-01T18:00" (a datetime-local field) as the chat's moment option writes it (read in the community's zone). */
export const momentOf = (local?: string) => (local && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(local) ? local.replace('T', ' ') : local);

type Channel = { platform: Platform; channelId: string; threadId: string | null };

/**
 * Where a create form posts: one of the channels the bot knows (it cannot tell whether any other exists or
 * whether it may post there), or the refusal to show.
 */
export function targetOf(L: Lang, channels: Channel[], value?: string): { platform: Platform; address: Address } | Reply {
  const ch = channels.find((x) => channelValue(x) === value);
  if (!ch) return { text: L.t('webModeration:unknownChannel'), error: { code: 'webModeration:unknownChannel', field: 'channel' } };
  return { platform: ch.platform, address: { kind: 'channel', channelId: ch.channelId, ...(ch.threadId ? { threadId: ch.threadId } : {}) } };
}

/** The dashboard's giveaways section (under /c/<community>/): each action runs the moderator's chat command. */
export function giveawaysRoutes(engine: Engine): Hono<DashboardEnv> {
  const app = new Hono<DashboardEnv>();

  /** The page, after an action with the command's reply on top (400 when it was refused). */
  const render = async (c: Context<DashboardEnv>, reply?: Reply, form?: CreateForm) => {
    const s = c.get('session');
    const board = await engine.giveawaysBoard(s.communityId);
    const notice = reply ? replyBlock(reply) : undefined;
    return c.html(giveawaysPage(sessionLang(engine, s), { communityId: s.communityId, csrfToken: s.csrfToken, board, notice, form }), reply?.error ? 400 : 200);
  };

  app.get('/giveaways', (c) => render(c));

  app.post('/giveaways', async (c) => {
    const s = c.get('session');
    const f = await formFields(c);
    const target = targetOf(sessionLang(engine, s), (await engine.giveawaysBoard(s.communityId)).channels, f.channel);
    if ('text' in target) return render(c, target, f);
    const args = { prize: f.prize, winners: f.winners, ends: momentOf(f.ends), points: f.points, min_points: f.min_points, min_days: f.min_days };
    const reply = await runCommand(c, engine, 'contest create', args, f, target);
    return render(c, reply, reply.error ? f : undefined);
  });

  for (const [action, command] of [['end', 'contest end'], ['cancel', 'contest cancel']] as const) {
    app.post(`/giveaways/:contest{[0-9]{1,10}}/${action}`, async (c) =>
      render(c, await runCommand(c, engine, command, { contest: c.req.param('contest') }, await formFields(c))));
  }

  app.post('/giveaways/:contest{[0-9]{1,10}}/reroll', async (c) => {
    const s = c.get('session');
    const fields = await formFields(c);
    // The form names a winner by member id; the command wants them as its platform names them. A winner
    // with no account where the moderator could act stays unknown to the command, which refuses.
    const named = fields.replace ? await engine.memberRefForWeb(s.communityId, s.memberId, fields.replace) : null;
    const replace = fields.replace ? named?.ref ?? `<@${fields.replace}>` : undefined;
    return render(c, await runCommand(c, engine, 'contest reroll', { contest: c.req.param('contest'), count: fields.count, replace }, fields, named?.target));
  });

  return app;
}
