import { describe, it, expect, afterEach } from 'vitest';
import { testBot, type TestBot } from './helpers.js';

let bot: TestBot;
afterEach(async () => bot?.close());

describe('smoke', () => {
  it('gives points and shows them', async () => {
    bot = await testBot();
    await bot.run('bob', '/points');
    const r = await bot.run('alice', '/give @bob 25 helpful answer', { role: 'admin' });
    expect(r.error).toBeFalsy();
    expect(r.text).toContain('Gave 25 points to bob');
    const p = await bot.run('bob', '/points');
    expect(p.text).toContain('25 points');
  });
});
