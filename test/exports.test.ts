import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import Database from 'better-sqlite3';
import { Hono } from 'hono';
import { getRequestListener } from '@hono/node-server';
import { webHarness, type WebHarness } from './web-harness.js';
import { sqlitePath } from '../src/db/client.js';
import { csvField, csvResponse, contentDisposition } from '../src/web/csv.js';
import { parseRange, type ExportCell } from '../src/features/exports/kinds.js';

/** The dashboard's exports over real HTTP: exact CSV, the session gate, date ranges, streaming a million rows. */

let h: WebHarness;
beforeEach(async () => { h = await webHarness(); });
afterEach(async () => h.close());

const BOM = '\uFEFF';
const LEDGER_HEADER = 'id,time_utc,time_local,member_id,member_name,platform_accounts,delta,balance_after,kind,reason,actor_id,actor_name';

/** Community "test" (Seoul, a Korean name) with members and records whose text needs quoting or guarding. */
async function seedSmall() {
  const mod = await h.session();
  const cid = await h.communityId();
  const p = h.bot.db.prisma;
  await p.community.update({ where: { id: cid }, data: { name: '한국 커뮤니티', timezone: 'Asia/Seoul' } });
  const member = (id: string, displayName: string, accounts: [string, string][] = []) => p.member.create({
    data: { id, communityId: cid, displayName, referralCode: id.toUpperCase(), identities: { create: accounts.map(([platform, platformUserId]) => ({ communityId: cid, platform, platformUserId })) } },
  });
  await member('m-kim', '김민준', [['discord', '42'], ['console', 'minjun']]);
  await member('m-eq', '=HYPERLINK("http://x")');
  await member('m-ann', 'Ann "The" Smith, Jr.');
  const ledger = (id: number, memberId: string, delta: number, balanceAfter: number, kind: string, reason: string, at: string, actorId: string | null = null) =>
    p.ledgerEntry.create({ data: { id, communityId: cid, memberId, delta, balanceAfter, kind, reason, idempotencyKey: `seed:${id}`, actorId, createdAt: new Date(at) } });
  await ledger(101, 'm-kim', 100, 100, 'grant', 'Welcome, friend', '2026-11-25T03:04:05Z', 'm-ann');
  await ledger(102, 'm-eq', -50, -50, 'revoke', '=1+2', '2026-11-25T04:00:00Z');
  await ledger(103, 'm-ann', 5, 5, 'grant', 'line1\nline2 "q"', '2026-11-25T05:00:00Z');
  await ledger(104, 'm-kim', 7, 107, 'grant', '@sum', '2026-11-20T15:30:00Z');
  await p.poll.create({ data: { id: 7, communityId: cid, question: 'How likely, "really"?', status: 'closed', opensAt: new Date('2026-11-24T00:00:00Z'), closesAt: new Date('2026-11-25T00:00:00Z'), createdById: 'm-ann' } });
  await p.pollResponse.create({ data: { pollId: 7, memberId: 'm-kim', score: 9, comment: '좋아요\r\nGreat', platform: 'discord', createdAt: new Date('2026-11-24T01:00:00Z') } });
  await p.pollResponse.create({ data: { pollId: 7, memberId: 'm-eq', score: 3, comment: '-bad', createdAt: new Date('2026-11-24T02:00:00Z') } });
  await p.reward.create({ data: { id: 3, communityId: cid, name: 'T-shirt, L', cost: 500 } });
  await p.redemption.create({ data: { id: 11, communityId: cid, rewardId: 3, memberId: 'm-kim', cost: 500, status: 'fulfilled', createdAt: new Date('2026-11-24T10:00:00Z'), handledAt: new Date('2026-11-24T11:00:00Z'), handledById: 'm-ann' } });
  await p.referral.create({ data: { id: 21, communityId: cid, referrerId: 'm-kim', refereeId: 'm-ann', code: 'M-KIM', source: 'code', status: 'paid', createdAt: new Date('2026-11-23T00:00:00Z'), qualifiedAt: new Date('2026-11-23T12:00:00Z') } });
  // Another community with a record of its own that must never show up in "test"'s files.
  const other = await h.session('boss', 'other');
  const oid = await h.communityId('other');
  await p.member.create({ data: { id: 'o-1', communityId: oid, displayName: 'SECRET member', referralCode: 'O1' } });
  await p.ledgerEntry.create({ data: { id: 201, communityId: oid, memberId: 'o-1', delta: 1, balanceAfter: 1, kind: 'grant', reason: 'SECRET', idempotencyKey: 'o:1' } });
  return { mod, other, cid, oid };
}

const csvPath = (cid: string, kind: string, q = '') => `/c/${encodeURIComponent(cid)}/exports/${kind}.csv${q}`;

describe('CSV encoding', () => {
  it('quotes commas, quotes and line breaks, guards formulas in text but keeps numbers numbers', () => {
    const cases: [ExportCell, string][] = [
      [-50, '-50'], [0, '0'], [null, ''], ['plain', 'plain'], ['a,b', '"a,b"'], ['say "hi"', '"say ""hi"""'], ['a\nb', '"a\nb"'], ['a\r\nb', '"a\r\nb"'],
      ['=1+2', "'=1+2"], ['+1', "'+1"], ['-1', "'-1"], ['@x', "'@x"], ['\tx', "'\tx"], ['\rx', `"'\rx"`], ['=A1,"x"', `"'=A1,""x"""`], ['김민준', '김민준'],
      ['\nx', `"'\nx"`], ['＝SUM(A1)', "'＝SUM(A1)"], ['＠x', "'＠x"],
    ];
    for (const [v, out] of cases) expect(csvField(v), JSON.stringify(v)).toBe(out);
  });

  it('names the file in ASCII, with its UTF-8 form when it is not ASCII (RFC 5987)', () => {
    expect(contentDisposition('test-ledger-2026-11-25.csv')).toBe('attachment; filename="test-ledger-2026-11-25.csv"');
    expect(contentDisposition('한국-ledger-2026-11-25.csv')).toBe(`attachment; filename="__-ledger-2026-11-25.csv"; filename*=UTF-8''%ED%95%9C%EA%B5%AD-ledger-2026-11-25.csv`);
  });

  it('reads local date ranges and refuses bad ones', () => {
    expect(parseRange('2026-11-01', '')).toEqual({ ok: true, range: { from: '2026-11-01' } });
    expect(parseRange('2026-02-30', undefined)).toEqual({ ok: false, bad: 'from' });
    expect(parseRange(undefined, 'tomorrow')).toEqual({ ok: false, bad: 'to' });
    expect(parseRange('2026-11-02', '2026-11-01')).toEqual({ ok: false, bad: 'order' });
  });
});

describe('exports over HTTP', () => {
  it('downloads the ledger as exact CSV in time order: BOM, English headers, CRLF, quoting, formula guard, Korean names, both times', async () => {
    const { mod, cid } = await seedSmall();
    const res = await h.get(csvPath(cid, 'ledger'), mod.cookie);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename="__-____-ledger-2026-11-25.csv"; filename*=UTF-8''${encodeURIComponent('한국-커뮤니티')}-ledger-2026-11-25.csv`);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes)).toBe(BOM + [
      LEDGER_HEADER,
      "104,2026-11-20T15:30:00.000Z,2026-11-21T00:30:00+09:00,m-kim,김민준,console:minjun; discord:42,7,107,grant,'@sum,,",
      '101,2026-11-25T03:04:05.000Z,2026-11-25T12:04:05+09:00,m-kim,김민준,console:minjun; discord:42,100,100,grant,"Welcome, friend",m-ann,"Ann ""The"" Smith, Jr."',
      `102,2026-11-25T04:00:00.000Z,2026-11-25T13:00:00+09:00,m-eq,"'=HYPERLINK(""http://x"")",,-50,-50,revoke,'=1+2,,`,
      '103,2026-11-25T05:00:00.000Z,2026-11-25T14:00:00+09:00,m-ann,"Ann ""The"" Smith, Jr.",,5,5,grant,"line1\nline2 ""q""",,',
    ].join('\r\n') + '\r\n');
  });

  it('downloads poll answers, redemptions and referrals exactly', async () => {
    const { mod, cid } = await seedSmall();
    const text = async (kind: string) => {
      const res = await h.get(csvPath(cid, kind), mod.cookie);
      expect(res.status).toBe(200);
      return new TextDecoder('utf-8', { ignoreBOM: true }).decode(await res.arrayBuffer());
    };
    expect(await text('poll-answers')).toBe(BOM + [
      'poll_id,question,series_id,answered_at_utc,answered_at_local,member_id,member_name,score,group,comment,platform',
      `7,"How likely, ""really""?",7,2026-11-24T02:00:00.000Z,2026-11-24T11:00:00+09:00,m-eq,"'=HYPERLINK(""http://x"")",3,detractor,'-bad,`,
      '7,"How likely, ""really""?",7,2026-11-24T01:00:00.000Z,2026-11-24T10:00:00+09:00,m-kim,김민준,9,promoter,"좋아요\r\nGreat",discord',
    ].join('\r\n') + '\r\n');
    expect(await text('redemptions')).toBe(BOM + [
      'id,requested_at_utc,requested_at_local,member_id,member_name,reward_id,reward,cost,status,handled_at_utc,handled_at_local,handled_by_id,handled_by_name',
      '11,2026-11-24T10:00:00.000Z,2026-11-24T19:00:00+09:00,m-kim,김민준,3,"T-shirt, L",500,fulfilled,2026-11-24T11:00:00.000Z,2026-11-24T20:00:00+09:00,m-ann,"Ann ""The"" Smith, Jr."',
    ].join('\r\n') + '\r\n');
    expect(await text('referrals')).toBe(BOM + [
      'id,created_at_utc,created_at_local,referrer_id,referrer_name,new_member_id,new_member_name,source,status,qualified_at_utc,qualified_at_local,ended_at_utc,ended_at_local',
      '21,2026-11-23T00:00:00.000Z,2026-11-23T09:00:00+09:00,m-kim,김민준,m-ann,"Ann ""The"" Smith, Jr.",code,paid,2026-11-23T12:00:00.000Z,2026-11-23T21:00:00+09:00,,',
    ].join('\r\n') + '\r\n');
  });

  it('downloads choice poll votes with the options each member chose, leaving anonymous polls out', async () => {
    const { mod, cid } = await seedSmall();
    const p = h.bot.db.prisma;
    const poll = (id: number, kind: string, options: string | null, anonymous = false) => p.poll.create({ data: {
      id, communityId: cid, question: `Q${id}`, kind, options, anonymous, status: 'closed', createdById: 'm-ann',
      opensAt: new Date('2026-11-24T00:00:00Z'), closesAt: new Date('2026-11-25T00:00:00Z'),
    } });
    await poll(8, 'multi', JSON.stringify(['Red', '=Blue', 'Green']));
    await poll(9, 'yesno', null);
    await poll(10, 'single', JSON.stringify(['A', 'B']), true);
    const vote = async (pollId: number, memberId: string, options: number[], at: string) => {
      await p.pollVoter.create({ data: { pollId, memberId, createdAt: new Date(at) } });
      for (const option of options) await p.pollChoice.create({ data: { pollId, memberId, option } });
    };
    await vote(8, 'm-kim', [2, 1], '2026-11-24T01:00:00Z');
    await vote(9, 'm-ann', [1], '2026-11-24T02:00:00Z');
    await p.pollVoter.create({ data: { pollId: 10, memberId: 'm-eq' } });
    await p.pollTally.create({ data: { pollId: 10, option: 0, count: 1 } });
    const res = await h.get(csvPath(cid, 'poll-votes'), mod.cookie);
    expect(res.status).toBe(200);
    expect(new TextDecoder('utf-8', { ignoreBOM: true }).decode(await res.arrayBuffer())).toBe(BOM + [
      'poll_id,question,kind,answered_at_utc,answered_at_local,member_id,member_name,choices,option_numbers',
      // Labels in option order; a label starting with "=" is guarded like any text.
      `8,Q8,multi,2026-11-24T01:00:00.000Z,2026-11-24T10:00:00+09:00,m-kim,김민준,'=Blue | Green,"2,3"`,
      '9,Q9,yesno,2026-11-24T02:00:00.000Z,2026-11-24T11:00:00+09:00,m-ann,"Ann ""The"" Smith, Jr.",no,2',
    ].join('\r\n') + '\r\n');
  });

  it('filters by local dates in the community zone, both days included', async () => {
    const { mod, cid } = await seedSmall();
    const ids = async (q: string) => {
      const res = await h.get(csvPath(cid, 'ledger', q), mod.cookie);
      expect(res.status).toBe(200);
      return (await res.text()).split('\r\n').slice(1, -1).map((l) => l.split(',')[0]);
    };
    expect(await ids('?from=2026-11-21&to=2026-11-21')).toEqual(['104']); // 15:30 UTC on the 20th is the 21st in Seoul
    expect(await ids('?to=2026-11-20')).toEqual([]);
    expect(await ids('?from=2026-11-25')).toEqual(['101', '102', '103']);
    expect(await ids('?from=&to=')).toEqual(['104', '101', '102', '103']); // in time order
    const bad = await h.get(csvPath(cid, 'ledger', '?from=2026-13-01'), mod.cookie);
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('The start date must be a date like 2026-01-31.');
    const order = await h.get(`/c/${cid}/exports?from=2026-11-25&to=2026-11-01`, mod.cookie);
    expect(order.status).toBe(400);
    expect(await order.text()).toContain('The start date must not be after the end date.');
    const unknown = await h.get(csvPath(cid, 'members'), mod.cookie);
    expect(unknown.status).toBe(404);
  });

  it("another community's session gets 403 and no rows; its own files hold only its rows", async () => {
    const { mod, other, cid, oid } = await seedSmall();
    for (const kind of ['ledger', 'poll-answers', 'redemptions', 'referrals']) {
      const res = await h.get(csvPath(cid, kind), other.cookie);
      expect(res.status).toBe(403);
      const body = await res.text();
      expect(body).not.toMatch(/김민준|Welcome|m-kim/);
      const none = await h.get(csvPath(cid, kind));
      expect(none.status).toBe(403);
      const mine = await (await h.get(csvPath(cid, kind), mod.cookie)).text();
      expect(mine).not.toContain('SECRET');
    }
    expect((await h.get(`/c/${cid}/exports`, other.cookie)).status).toBe(403);
    const theirs = await (await h.get(csvPath(oid, 'ledger'), other.cookie)).text();
    expect(theirs.split('\r\n').slice(1, -1)).toEqual([expect.stringMatching(/^201,.*,o-1,SECRET member,,1,1,grant,SECRET,,$/)]);
  });

  it('shows the page in the community language with row counts, filter and download links', async () => {
    const { mod, cid } = await seedSmall();
    const page = await (await h.get(`/c/${cid}/exports`, mod.cookie)).text();
    expect(page).toContain('<h1>Exports</h1>');
    const count = (html: string, kind: string) => new RegExp(`data-kind="${kind}">[\\s\\S]*?<td class="rows">([^<]*)</td>`).exec(html)![1];
    expect([count(page, 'ledger'), count(page, 'poll-answers'), count(page, 'redemptions'), count(page, 'referrals')]).toEqual(['4', '2', '1', '1']);
    expect(page).toContain(`href="/c/${cid}/exports/ledger.csv"`);
    expect(page).toContain('id, time_utc, time_local, member_id');
    expect(page).toContain('Asia/Seoul');
    const filtered = await (await h.get(`/c/${cid}/exports?from=2026-11-25&to=2026-11-25`, mod.cookie)).text();
    expect(count(filtered, 'ledger')).toBe('3');
    expect(filtered).toContain(`href="/c/${cid}/exports/ledger.csv?from=2026-11-25&amp;to=2026-11-25"`);
    expect(filtered).toContain('value="2026-11-25"');
    await h.bot.db.prisma.community.update({ where: { id: cid }, data: { locale: 'ko' } });
    const ko = await (await h.get(`/c/${cid}/exports`, (await h.session('mod2')).cookie)).text();
    expect(ko).toContain('<h1>내보내기</h1>');
    expect(ko).toContain('CSV 내려받기');
    await h.bot.db.prisma.community.update({ where: { id: cid }, data: { locale: 'ja' } });
    const ja = await (await h.get(`/c/${cid}/exports`, (await h.session('mod3')).cookie)).text();
    expect(ja).toContain('<h1>エクスポート</h1>');
    expect(ja).toContain('CSVをダウンロード');
  });

  it('reads page by page by key (ids; poll id and member id) with the same rows as one page', async () => {
    const { cid } = await seedSmall();
    const pages = async (kind: 'ledger' | 'poll-answers', pageSize: number) => {
      const out: ExportCell[][][] = [];
      for await (const p of h.bot.engine.exportRows(cid, kind, { pageSize })) out.push(p);
      return out;
    };
    const ledger = await pages('ledger', 3);
    expect(ledger.map((p) => p.length)).toEqual([3, 1]);
    expect(ledger.flat().map((r) => r[0])).toEqual([104, 101, 102, 103]);
    expect(ledger.flat()).toEqual((await pages('ledger', 100)).flat());
    const answers = await pages('poll-answers', 1);
    expect(answers.map((p) => p[0][5])).toEqual(['m-eq', 'm-kim']);
  });
});

describe('streaming', () => {
  it('reads the next page only as a slow client takes them, and stops reading when the client goes away', async () => {
    let pulled = 0;
    let stopped = false;
    const app = new Hono();
    app.get('/x.csv', (c) => csvResponse(c, {
      filename: 'x.csv', columns: ['n', 'text'],
      rows: async function* (signal) {
        try {
          for (let i = 0; !signal.aborted; i++) {
            pulled++;
            yield Array.from({ length: 1000 }, (_, k) => [i * 1000 + k, 'x'.repeat(100)]);
          }
        } finally { stopped = true; }
      },
    }));
    const server: Server = createServer(getRequestListener(app.fetch));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/x.csv`);
      const reader = res.body!.getReader();
      await reader.read();
      await new Promise((r) => setTimeout(r, 300));
      // ~100 KB a page: what sits in socket buffers is a few pages, not an endless file.
      expect(pulled).toBeLessThan(60);
      const before = pulled;
      await new Promise((r) => setTimeout(r, 300));
      expect(pulled).toBe(before);
      await reader.cancel();
      for (let i = 0; i < 50 && !stopped; i++) await new Promise((r) => setTimeout(r, 20));
      expect(stopped).toBe(true);
      const after = pulled;
      await new Promise((r) => setTimeout(r, 100));
      expect(pulled).toBe(after);
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });

  it('streams a 1,000,000-row ledger over HTTP with bounded memory', async () => {
    const { cookie } = await h.session();
    const cid = await h.communityId();
    const t0 = performance.now();
    const raw = new Database(sqlitePath(h.bot.db.url));
    raw.pragma('journal_mode = WAL');
    raw.pragma('synchronous = OFF');
    const MEMBERS = 2000, ROWS = 1_000_000;
    const start = Date.parse('2026-01-01T00:00:00Z');
    const insM = raw.prepare('INSERT INTO Member (id, communityId, displayName, role, balance, lifetimePoints, referralCode, createdAt) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    const insI = raw.prepare('INSERT INTO Identity (communityId, platform, platformUserId, memberId, createdAt) VALUES (?, ?, ?, ?, ?)');
    // The ledger rows in one INSERT ... SELECT over a counter: generated inside SQLite, a second per million rows or so.
    const insL = raw.prepare(`INSERT INTO LedgerEntry (communityId, memberId, delta, balanceAfter, kind, reason, idempotencyKey, actorId, createdAt)
      WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${ROWS - 1})
      SELECT ?, 'm' || (i % ${MEMBERS}), CASE WHEN i % 7 = 0 THEN -5 ELSE 10 END, i, 'grant', CASE WHEN i % 3 THEN 'activity' ELSE 'bonus, "weekly"' END,
        'b' || i, NULL, strftime('%Y-%m-%dT%H:%M:%S.000+00:00', ${start / 1000} + i, 'unixepoch') FROM n`);
    const iso = (ms: number) => new Date(ms).toISOString().replace('Z', '+00:00');
    raw.transaction(() => {
      for (let i = 0; i < MEMBERS; i++) {
        insM.run(`m${i}`, cid, `멤버 ${i}`, 'member', 0, 0, `R${i}`, iso(start));
        insI.run(cid, 'discord', `${100000 + i}`, `m${i}`, iso(start));
      }
      insL.run(cid);
    })();
    raw.close();
    const seeded = performance.now() - t0;
    // The seeding blocked the event loop past the keep-alive timeouts: let the idle connection close first.
    await new Promise((r) => setTimeout(r, 100));

    // The heap after a full collection, sampled while the file streams: what the export keeps, not garbage not yet collected.
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    gc();
    let peak = 0, retained = 0, ticks = 0;
    const sample = () => {
      if (++ticks % 20 === 0) { gc(); retained = Math.max(retained, process.memoryUsage().heapUsed); }
      peak = Math.max(peak, process.memoryUsage().heapUsed);
    };
    const heapBefore = process.memoryUsage().heapUsed;
    const timer = setInterval(sample, 25);
    const t1 = performance.now();
    const res = await h.get(csvPath(cid, 'ledger'), cookie);
    expect(res.status).toBe(200);
    // Count lines as the bytes arrive (CR LF inside quoted fields do not occur in this data).
    let lines = 0, bytes = 0;
    let first = '';
    const reader = res.body!.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (first.length < 300) first += new TextDecoder('utf-8', { ignoreBOM: true }).decode(value.slice(0, 300));
      bytes += value.length;
      for (let k = 0; k < value.length; k++) if (value[k] === 10) lines++;
    }
    const streamed = performance.now() - t1;
    clearInterval(timer);
    sample();
    const growth = (peak - heapBefore) / 2 ** 20;
    const kept = (retained - heapBefore) / 2 ** 20;
    console.log(`1M ledger: seeded in ${(seeded / 1000).toFixed(1)} s, streamed ${(bytes / 2 ** 20).toFixed(0)} MB in ${(streamed / 1000).toFixed(1)} s, heap ${(heapBefore / 2 ** 20).toFixed(0)} MB before, peak +${growth.toFixed(0)} MB, after full GCs +${kept.toFixed(0)} MB`);
    expect(lines).toBe(ROWS + 1);
    expect(first.startsWith(`${BOM}${LEDGER_HEADER}\r\n`)).toBe(true);
    expect(first).toMatch(/\r\n\d+,2026-01-01T00:00:00\.000Z,2026-01-01T00:00:00\+00:00,m0,멤버 0,discord:100000,-5,0,grant,"bonus, ""weekly""",,\r\n/);
    // The file is 116 MB: kept in memory it would show here. What stays after collections is a page or two.
    expect(kept).toBeLessThan(50);
    // heapUsed between collections also counts the garbage of pages already sent.
    expect(growth).toBeLessThan(300);

    // A client that goes away mid-file: the route's page loop stops (the engine's generator is closed).
    const real = h.bot.engine.exportRows.bind(h.bot.engine);
    let pages = 0, closed = false;
    h.bot.engine.exportRows = async function* (...args: Parameters<typeof real>) {
      try { for await (const p of real(...args)) { pages++; yield p; } } finally { closed = true; }
    };
    const gone = await h.get(csvPath(cid, 'ledger'), cookie);
    const r = gone.body!.getReader();
    await r.read();
    await r.read();
    await r.cancel();
    for (let i = 0; i < 100 && !closed; i++) await new Promise((res) => setTimeout(res, 20));
    expect(closed).toBe(true);
    expect(pages).toBeLessThan(50); // of 200
    const after = pages;
    await new Promise((res) => setTimeout(res, 200));
    expect(pages).toBe(after);
  }, 120_000);
});
