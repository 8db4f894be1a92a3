import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { PG_ADMIN_URL, twoInstances, type TwoInstances } from './pg.js';

/**
 * Slack installations under two bot instances on PostgreSQL: an install (or a token rotation) stored by both at
 * once leaves one row, and the newest rotated tokens win whatever order the writers finish in; a workspace's alias
 * of its org's install is written once, yields to a workspace install, and goes with the org.
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

  it('keeps one alias row for a workspace of an org however many instances note it at once; a workspace install wins over it', async () => {
    const org = { enterprise: true, enterpriseId: 'E2' };
    // No org install yet: nothing to point at, nothing written.
    expect(await bot.e1.slackOrgWorkspace('T8', 'E2')).toBe(false);
    await bot.e1.slackInstallationSave(org, JSON.stringify({ enterprise: { id: 'E2' }, bot: { token: 'xoxb-e2' }, isEnterpriseInstall: true }));
    const noted = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? bot.e2 : bot.e1).slackOrgWorkspace('T8', 'E2')));
    expect(noted.filter(Boolean)).toHaveLength(1);
    expect(await bot.a.prisma.slackInstallation.findMany({ where: { id: 'T:T8' } })).toMatchObject([{ teamId: 'T8', enterpriseId: 'E2', data: '{"aliasOf":"E:E2"}' }]);
    // The workspace alone (no enterprise id: after a restart) finds the org's install through the alias.
    expect(JSON.parse((await bot.e2.slackInstallation({ enterprise: false, teamId: 'T8' }))!).bot.token).toBe('xoxb-e2');

    // A workspace install of its own and a late alias note racing: the install is what stays.
    const own = { enterprise: false, teamId: 'T9', enterpriseId: 'E2' };
    await Promise.all([
      bot.e1.slackOrgWorkspace('T9', 'E2'),
      bot.e2.slackInstallationSave(own, installation('T9', 'xoxb-t9')),
    ]);
    expect(JSON.parse((await bot.e1.slackInstallation({ enterprise: false, teamId: 'T9' }))!).bot.token).toBe('xoxb-t9');
    expect(await bot.e2.slackOrgWorkspace('T9', 'E2')).toBe(false);

    // The org uninstalls: its aliases go, the workspace's own install stays.
    expect(await bot.e2.slackInstallationDelete(org)).toBe(1);
    expect(await bot.e1.slackInstallation({ enterprise: false, teamId: 'T8' })).toBeNull();
    expect((await bot.a.prisma.slackInstallation.findMany({ where: { enterpriseId: 'E2' } })).map((r) => r.id)).toEqual(['T:T9']);
  });
});
