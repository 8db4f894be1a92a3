import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { PG_ADMIN_URL, twoInstances, type TwoInstances } from './pg.js';

/**
 * Slack installations under two bot instances on PostgreSQL: an install (or a token rotation) stored by both at
 * once leaves one row, and the newest rotated tokens win whatever order the writers finish in.
 */
describe.skipIf(!PG_ADMIN_URL)('slack installations between two instances (PostgreSQL)', () => {
  let bot: TwoInstances;
  beforeAll(async () => { bot = await twoInstances('slackinst'); });
  afterAll(async () => bot?.close());
  const installation = (team: string, token: string, expiresAt?: number) =>
    JSON.stringify({ team: { id: team }, bot: { token, userId: 'UBOT', id: 'B1', scopes: ['commands'], ...(expiresAt ? { refreshToken: 'r', expiresAt } : {}) }, isEnterpriseInstall: false, authVersion: 'v2' });

  it('stores one row when the same new install is stored ten times at once', async () => {
    const key = { enterprise: false, teamId: 'T1' };
    const done = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? bot.e2 : bot.e1).slackInstallationSave(key, installation('T1', `xoxb-${i}`))));
    expect(done.every((d) => d === true)).toBe(true);
    const rows = await bot.a.prisma.slackInstallation.findMany({ where: { teamId: 'T1' } });
    expect(rows.map((r) => r.id)).toEqual(['T:T1']);
    expect(JSON.parse(rows[0].data).bot.token).toMatch(/^xoxb-\d$/);
  });

  it('keeps the newest rotated tokens when rotations finish in any order', async () => {
    const key = { enterprise: false, teamId: 'T2' };
    const base = 2_000_000_000;
    await bot.e1.slackInstallationSave(key, installation('T2', 'xoxb-0', base));
    const order = [5, 2, 9, 1, 7, 3, 8, 4, 6];
    await Promise.all(order.map((n, i) => (i % 2 ? bot.e2 : bot.e1).slackInstallationSave(key, installation('T2', `xoxb-${n}`, base + n), base + n)));
    const data = JSON.parse(await bot.e2.slackInstallation(key) ?? '{}');
    expect(data.bot).toMatchObject({ token: 'xoxb-9', expiresAt: base + 9 });
    // A late, older rotation is not written back.
    expect(await bot.e1.slackInstallationSave(key, installation('T2', 'xoxb-old', base + 1), base + 1)).toBe(false);
    expect(JSON.parse((await bot.e1.slackInstallation(key))!).bot.token).toBe('xoxb-9');
  });

  it('an org-wide install serves its workspaces; deleting it from one instance is seen by the other', async () => {
    const org = { enterprise: true, enterpriseId: 'E1' };
    await bot.e1.slackInstallationSave(org, JSON.stringify({ enterprise: { id: 'E1' }, bot: { token: 'xoxb-e1' }, isEnterpriseInstall: true }));
    expect(JSON.parse((await bot.e2.slackInstallation({ enterprise: false, teamId: 'T7', enterpriseId: 'E1' }))!).bot.token).toBe('xoxb-e1');
    expect(await bot.e2.slackInstallation({ enterprise: false, teamId: 'T7' })).toBeNull();
    const [a, b] = await Promise.all([bot.e1.slackInstallationDelete(org), bot.e2.slackInstallationDelete(org)]);
    expect(a + b).toBe(1);
    expect(await bot.e1.slackInstallation({ enterprise: false, teamId: 'T7', enterpriseId: 'E1' })).toBeNull();
  });
});
