import { describe, it, expect, afterEach } from 'vitest';
import { webHarness, type WebHarness } from './web-harness.js';

let h: WebHarness;
afterEach(async () => { await h?.close(); });

describe('engine.runAs: the dashboard runs chat commands for a signed-in moderator', () => {
  it('follows the chat rules, and one form value acts once', async () => {
    h = await webHarness();
    await h.bot.run('mod', '/points', { role: 'moderator' });
    await h.bot.run('alice', '/points');
    const communityId = await h.communityId();
    const { cookie } = await h.session('mod');
    const s = (await h.bot.engine.dashboardSession(decodeURIComponent(cookie.split('=')[1])))!;
    const give = () => h.bot.engine.runAs(s, 'give', { member: 'alice', amount: '25', reason: 'web' }, { once: `${communityId}:form-1` });
    const first = await give();
    expect(first.error, first.text).toBeUndefined();
    expect((await give()).text).toBe(first.text);
    expect((await h.bot.run('alice', '/points')).text).toContain('25');
    // Bad input: the chat command's refusal, nothing changed.
    const bad = await h.bot.engine.runAs(s, 'give', { member: 'alice', amount: 'lots' }, { once: `${communityId}:form-2` });
    expect(bad.error).toBeDefined();
    // A poll created from the web is posted where the moderator chose.
    const poll = await h.bot.engine.runAs(s, 'poll create', { question: 'How likely are you to recommend us?' },
      { once: `${communityId}:form-3`, target: { platform: 'console', address: { kind: 'channel', channelId: 'announcements' } } });
    expect(poll.error, poll.text).toBeUndefined();
  });
});
