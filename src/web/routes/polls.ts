import { Hono, type Context } from 'hono';
import type { Engine } from '../../engine.js';
import type { Reply } from '../../core/types.js';
import type { DashboardEnv } from '../dashboard.js';
import { formFields, runCommand } from '../forms.js';
import { sessionLang } from './lang.js';
import { channelValue, KINDS, pollsPage, UNITS, type PollForm } from '../pages/polls.js';

/** "2026-12-01T18:00" (a datetime-local field) as the chat's moment option writes it; other text goes as typed (and is refused there if wrong). */
const momentOf = (local: string) => (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(local) ? local.replace('T', ' ') : local);

/** The dashboard's polls section: create (the chat's `poll create`), list, and close (`poll close`) polls. */
export function pollsRoutes(engine: Engine): Hono<DashboardEnv> {
  const app = new Hono<DashboardEnv>();

  /** The page, with the reply of the form just sent on top: 200 when it was done, 400 when refused. */
  const render = async (c: Context<DashboardEnv>, reply?: Reply, form?: PollForm) => {
    const s = c.get('session');
    const data = await engine.pollsPage(s.communityId);
    const html = pollsPage(sessionLang(engine, s), { communityId: s.communityId, csrfToken: s.csrfToken, data, now: engine.now(), reply, form });
    return c.html(html, reply?.error ? 400 : 200);
  };

  app.get('/polls', (c) => render(c));

  app.post('/polls', async (c) => {
    const s = c.get('session');
    const fields = await formFields(c);
    const form: PollForm = {
      question: fields.question ?? '', opens: (fields.opens ?? '').trim(), amount: (fields.amount ?? '').trim(),
      unit: fields.unit ?? '', repeat: fields.repeat ?? '', channel: fields.channel ?? '',
      kind: fields.kind ?? 'nps', options: fields.options ?? '', anonymous: fields.anonymous === 'yes' ? 'yes' : '',
    };
    // Only a channel the bot already knows: it cannot tell whether any other exists or whether it may post there.
    const { channels } = await engine.pollsPage(s.communityId);
    const channel = channels.find((ch) => channelValue(ch) === form.channel);
    if (!channel) {
      const L = sessionLang(engine, s);
      return render(c, { text: L.t('webPolls:error.unknownChannel'), error: { code: 'webPolls:error.unknownChannel', field: 'channel' } }, form);
    }
    const unit = (UNITS as readonly string[]).includes(form.unit) ? form.unit : '';
    const args = {
      question: form.question,
      opens: form.opens ? momentOf(form.opens) : undefined,
      duration: form.amount ? `${form.amount}${unit}` : undefined,
      repeat: form.repeat || undefined,
      kind: (KINDS as readonly string[]).includes(form.kind ?? '') ? form.kind : undefined,
      options: form.options?.trim() ? form.options : undefined,
      anonymous: form.anonymous === 'yes' ? 'yes' : undefined,
    };
    const reply = await runCommand(c, engine, 'poll create', args, fields, {
      platform: channel.platform, address: { kind: 'channel', channelId: channel.channelId, ...(channel.threadId ? { threadId: channel.threadId } : {}) },
    });
    return render(c, reply, reply.error ? form : undefined);
  });

  app.post('/polls/:poll/close', async (c) => {
    const fields = await formFields(c);
    const reply = await runCommand(c, engine, 'poll close', { poll: c.req.param('poll') }, fields);
    return render(c, reply);
  });

  return app;
}
