import { describe, it, expect } from 'vitest';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PG_ADMIN_URL, slackCmd as cmd, twoInstances } from './pg.js';

/** Two bot instances on one PostgreSQL database deliver each webhook row exactly once. */
describe.skipIf(!PG_ADMIN_URL)('webhooks on PostgreSQL, two instances', () => {
  it('each delivery is POSTed once however many instances pump at once; an expired claim is taken over', async () => {
    const got: string[] = [];
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => { got.push(String(req.headers['x-engage-delivery'])); setTimeout(() => res.writeHead(200).end(), 5); });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    const two = await twoInstances('webhooks');
    try {
      const { e1, e2, a } = two;
      const users = Array.from({ length: 12 }, (_, i) => `U${i}`);
      expect((await e1.handle(cmd('UADMIN', '/challenge create "Share a post" 50 3d Post about us'))).error).toBeUndefined();
      const communityId = (await e1.communityByKey('slack', 'T1'))!.id;
      const hook = await e2.createWebhook({ communityId, memberId: 'm' }, { url, events: ['challenge.approved'] }, 'once-1');
      expect(hook.ok).toBe(true);
      for (const u of users) expect((await e1.handle(cmd(u, `/challenge submit 1 https://example.com/${u}`))).error).toBeUndefined();
      await Promise.all(users.map((_, i) => (i % 2 ? e1 : e2).handle(cmd('UADMIN', `/challenge approve ${i + 1}`))));
      expect(await a.prisma.webhookDelivery.count()).toBe(users.length);

      const [n1, n2] = await Promise.all([e1.deliverWebhooks({ owner: 'one' }), e2.deliverWebhooks({ owner: 'two' })]);
      expect(n1 + n2).toBe(users.length);
      expect(got).toHaveLength(users.length);
      expect(new Set(got).size).toBe(users.length);
      expect(await a.prisma.webhookDelivery.count({ where: { status: 'delivered', attempts: 1 } })).toBe(users.length);

      // A row held by an instance that died mid-send: once its lease is over, one of the others sends it.
      const row = await a.prisma.webhookDelivery.findFirstOrThrow();
      await a.prisma.webhookDelivery.update({ where: { id: row.id }, data: { status: 'sending', lockedBy: 'gone', lockedUntil: new Date(two.clock.now().getTime() + 60_000) } });
      expect((await Promise.all([e1.deliverWebhooks(), e2.deliverWebhooks()])).reduce((x, y) => x + y)).toBe(0);
      two.clock.advance(61_000);
      expect((await Promise.all([e1.deliverWebhooks(), e2.deliverWebhooks()])).reduce((x, y) => x + y)).toBe(1);
      expect(got.filter((id) => id === String(row.id))).toHaveLength(2);
      expect(await a.prisma.webhookDelivery.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({ status: 'delivered', attempts: 2, lockedBy: null });
    } finally {
      await two.close();
      await new Promise<void>((r) => { server.close(() => r()); server.closeAllConnections(); });
    }
  });
});
