import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import { transaction, type Database, type Db } from '../db/client.js';
import { sqlRows } from '../db/fast.js';

/**
 * Order-statistic rank index: "1 + how many members have strictly more points" without counting rows
 * (issue 8: ranks at a million members in well under 5 ms). `period` is "all" (Member.lifetimePoints) or a
 * PointsTotal period key ("w:2026-11-23", "m:2026-11"). Only members with more than 0 points are held.
 *
 * The database stays the truth: an index is built lazily from it on first use and fed, after each commit,
 * the new totals of the members that transaction touched (Scope.afterCommit, from applyPoints and /link).
 * `rank` answers null when the index cannot answer (still being built, unreachable): callers count in the
 * database then.
 *  - SQLite: InProcessRankIndex (one process per SQLite file is guaranteed by the file lock).
 *  - PostgreSQL with REDIS_URL: RedisRankIndex, sorted sets shared by every process.
 *  - PostgreSQL without REDIS_URL: no index (several processes could not agree); ranks come from the database.
 */
export interface RankChange {
  communityId: string;
  period: string;
  memberId: string;
  points: number;
  /**
   * Orders changes of one member: a change older than the last one applied to the board is ignored (two
   * processes' updates can reach the index in the opposite order of their commits). Without it: applied.
   */
  version?: number;
}

export interface RankIndex {
  /**
   * 1 + how many members of the board have strictly more than `points` (asked for points > 0: members at 0
   * or below are not held, they are unranked); null when the index cannot answer.
   */
  rank(communityId: string, period: string, points: number): Promise<number | null>;
  /** How many members have more than 0 points (the all-time "ranked" count); null when unknown. */
  size(communityId: string, period: string): Promise<number | null>;
  /** New totals (absolute, not deltas) of members a committed transaction touched. */
  update(changes: RankChange[]): Promise<void>;
  /** Forgets a board after a failed update, so that it is rebuilt from the database (in-process only). */
  drop?(communityId: string, period: string): void;
  close?(): Promise<void>;
}

/** Reads one board from the database: every member with more than 0 points in it, fewest first (plain SQL: a million rows). */
async function loadBoard(prisma: Db, communityId: string, period: string): Promise<{ memberId: string; points: number }[]> {
  // Its own transaction: on SQLite a lone read would run inside whichever command transaction is open
  // and could see points that are then rolled back (see inOwnTx).
  return transaction(prisma, (tx) => period === 'all'
    ? sqlRows<{ memberId: string; points: number }>(tx, 'SELECT "id" AS "memberId", "lifetimePoints" AS "points" FROM "Member" WHERE "communityId" = ? AND "lifetimePoints" > 0 ORDER BY "lifetimePoints"', [communityId])
    : sqlRows<{ memberId: string; points: number }>(tx, 'SELECT "memberId", "points" FROM "PointsTotal" WHERE "communityId" = ? AND "period" = ? AND "points" > 0 ORDER BY "points"', [communityId, period]),
  { maxWait: 20_000, timeout: 120_000 });
}

/* ---------- in-process ---------- */

const LOAD = 512;

/** A sorted multiset of integers in chunks (insert/remove O(√n), count-greater O(log n + chunks)). */
export class SortedScores {
  private chunks: number[][] = [];
  private maxes: number[] = [];
  private n = 0;

  constructor(sorted: number[] = []) {
    for (let i = 0; i < sorted.length; i += LOAD) {
      const c = sorted.slice(i, i + LOAD);
      this.chunks.push(c);
      this.maxes.push(c[c.length - 1]);
    }
    this.n = sorted.length;
  }

  get length() { return this.n; }

  /** First chunk whose max is >= v (or > v when strict), chunks.length if none. */
  private chunkFor(v: number, strict: boolean): number {
    let lo = 0, hi = this.maxes.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (strict ? this.maxes[mid] > v : this.maxes[mid] >= v) hi = mid; else lo = mid + 1;
    }
    return lo;
  }

  insert(v: number) {
    this.n++;
    if (this.chunks.length === 0) { this.chunks.push([v]); this.maxes.push(v); return; }
    let i = this.chunkFor(v, false);
    if (i === this.chunks.length) i--;
    const c = this.chunks[i];
    c.splice(bound(c, v, false), 0, v);
    this.maxes[i] = c[c.length - 1];
    if (c.length > 2 * LOAD) {
      const tail = c.splice(LOAD);
      this.chunks.splice(i + 1, 0, tail);
      this.maxes.splice(i, 1, c[c.length - 1], tail[tail.length - 1]);
    }
  }

  /** Removes one occurrence of v; false if there is none. */
  remove(v: number): boolean {
    const i = this.chunkFor(v, false);
    if (i === this.chunks.length) return false;
    const c = this.chunks[i];
    const j = bound(c, v, false);
    if (c[j] !== v) return false;
    c.splice(j, 1);
    this.n--;
    if (c.length === 0) { this.chunks.splice(i, 1); this.maxes.splice(i, 1); } else this.maxes[i] = c[c.length - 1];
    return true;
  }

  /** How many are strictly greater than v. */
  countGreater(v: number): number {
    const i = this.chunkFor(v, true);
    if (i === this.chunks.length) return 0;
    let count = this.chunks[i].length - bound(this.chunks[i], v, true);
    for (let k = i + 1; k < this.chunks.length; k++) count += this.chunks[k].length;
    return count;
  }
}

/** Index of the first element >= v (or > v when `after`) in an ascending array. */
function bound(a: number[], v: number, after: boolean): number {
  let lo = 0, hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (after ? a[mid] <= v : a[mid] < v) lo = mid + 1; else hi = mid;
  }
  return lo;
}

interface Board { scores: SortedScores; members: Map<string, number>; versions: Map<string, number> }
type Slot = { ready: Board } | { building: Promise<Board | null>; pending: RankChange[] };

/** Which boards of a community to keep: "all", and the newest week and month key seen. */
const kindOf = (period: string) => (period === 'all' ? 'all' : period.slice(0, 2));

/**
 * Boards held in memory, built from the database on first use. Per community it keeps all time and the
 * newest week and month (an older period key is dropped when a newer one appears, and updates for older
 * keys are ignored), and at most `maxBoards` boards in all (least recently used go first; they are
 * rebuilt when asked for again).
 */
export class InProcessRankIndex implements RankIndex {
  private slots = new Map<string, Slot>();

  constructor(private readonly prisma: Db, private readonly opts: { maxBoards?: number; onError?: (e: unknown) => void } = {}) {}

  private key = (communityId: string, period: string) => `${communityId}\u0000${period}`;

  /**
   * The board if it is built. Otherwise null, and its build starts in the background: it reads in a
   * transaction of its own, which on SQLite waits for the caller's transaction to end, so nothing here
   * ever waits for it (that would deadlock a command asking for a rank).
   */
  private board(communityId: string, period: string): Board | null {
    const key = this.key(communityId, period);
    const slot = this.slots.get(key);
    if (slot) {
      this.slots.delete(key); this.slots.set(key, slot); // most recently used last
      return 'ready' in slot ? slot.ready : null;
    }
    void this.warm(communityId, period);
    return null;
  }

  /** Builds a board (if not built or being built) and resolves once it is ready (null if the read failed). */
  warm(communityId: string, period: string): Promise<Board | null> {
    const key = this.key(communityId, period);
    const slot = this.slots.get(key);
    if (slot) return 'ready' in slot ? Promise.resolve(slot.ready) : slot.building;
    this.evictOlder(communityId, period);
    const pending: RankChange[] = [];
    const building = loadBoard(this.prisma, communityId, period).then((rows) => {
      const members = new Map<string, number>();
      for (const r of rows) members.set(r.memberId, r.points);
      const board: Board = { scores: new SortedScores(rows.map((r) => r.points)), members, versions: new Map() }; // ascending from the index
      // Totals committed while the board was read: absolute values, so applying one twice is harmless.
      try {
        for (const c of pending) apply(board, c);
      } catch (err) {
        if (this.slots.get(key) === slotNow) this.slots.delete(key);
        this.report(err);
        return null;
      }
      if (this.slots.get(key) === slotNow) this.slots.set(key, { ready: board });
      return board;
    }, (err) => {
      if (this.slots.get(key) === slotNow) this.slots.delete(key);
      this.report(err);
      return null;
    });
    const slotNow: Slot = { building, pending };
    this.slots.set(key, slotNow);
    const max = this.opts.maxBoards ?? 3000;
    for (const k of this.slots.keys()) {
      if (this.slots.size <= max) break;
      if (k !== key) this.slots.delete(k);
    }
    return building;
  }

  /** A newer week/month board of a community replaces the older one. */
  private evictOlder(communityId: string, period: string) {
    if (period === 'all') return;
    const prefix = this.key(communityId, kindOf(period));
    for (const k of [...this.slots.keys()]) if (k.startsWith(prefix) && k < this.key(communityId, period)) this.slots.delete(k);
  }

  async rank(communityId: string, period: string, points: number): Promise<number | null> {
    const b = this.board(communityId, period);
    return b ? 1 + b.scores.countGreater(points) : null;
  }

  async size(communityId: string, period: string): Promise<number | null> {
    const b = this.board(communityId, period);
    return b ? b.scores.length : null;
  }

  async update(changes: RankChange[]): Promise<void> {
    for (const c of changes) {
      const key = this.key(c.communityId, c.period);
      const slot = this.slots.get(key);
      if (!slot) continue; // not built: it will be read from the database, this change included
      try {
        if ('ready' in slot) apply(slot.ready, c); else slot.pending.push(c);
      } catch (err) {
        this.slots.delete(key); // rebuilt from the database on next use
        this.report(err);
      }
    }
  }

  private report(err: unknown) {
    try { this.opts.onError?.(err); } catch { /* reporting must not break ranks */ }
  }

  /** Forgets a board (after a failed update): the next question rebuilds it from the database. */
  drop(communityId: string, period: string) {
    this.slots.delete(this.key(communityId, period));
  }
}

/** Records the change's version; false when the board already holds a newer (or the same) version. */
function isNewer(b: Board, c: RankChange): boolean {
  if (c.version === undefined) return true;
  const last = b.versions.get(c.memberId);
  if (last !== undefined && c.version <= last) return false;
  b.versions.set(c.memberId, c.version);
  return true;
}

function apply(b: Board, c: RankChange) {
  if (!isNewer(b, c)) return;
  const before = b.members.get(c.memberId);
  if (before === c.points) return;
  if (before !== undefined) {
    if (!b.scores.remove(before)) throw new Error(`rank index out of step for ${c.memberId}`);
    b.members.delete(c.memberId);
  }
  if (c.points > 0) {
    b.scores.insert(c.points);
    b.members.set(c.memberId, c.points);
  }
}

/* ---------- Redis ---------- */

/** Minimal surface of an ioredis client used here. */
interface RedisLike {
  zcount(key: string, min: string, max: string): Promise<number>;
  exists(key: string): Promise<number>;
  set(...args: (string | number)[]): Promise<unknown>;
  del(...keys: string[]): Promise<number>;
  multi(): { zadd(key: string, ...args: (string | number)[]): unknown; expire(key: string, s: number): unknown; exec(): Promise<unknown> };
  eval(script: string, numKeys: number, ...args: (string | number)[]): Promise<unknown>;
  evalsha(sha: string, numKeys: number, ...args: (string | number)[]): Promise<unknown>;
  quit(): Promise<unknown>;
}

const PERIOD_TTL_S = 45 * 86_400;

/**
 * Applies changes to boards in one call. Per change: KEYS board set and its version hash; ARGV member,
 * points, version ("" when none: applied unconditionally, the hash untouched), ttl (0: none). A versioned
 * change applies only if newer than the version the hash holds for the member.
 */
const UPDATE_SCRIPT = `
for i = 1, #KEYS / 2 do
  local set, versions = KEYS[2 * i - 1], KEYS[2 * i]
  local member, points, version, ttl = ARGV[4 * i - 3], tonumber(ARGV[4 * i - 2]), ARGV[4 * i - 1], tonumber(ARGV[4 * i])
  local newer = true
  if version ~= '' then
    local last = redis.call('HGET', versions, member)
    newer = not last or tonumber(version) > tonumber(last)
    if newer then redis.call('HSET', versions, member, version) end
  end
  if newer then
    if points > 0 then redis.call('ZADD', set, points, member) else redis.call('ZREM', set, member) end
  end
  if ttl > 0 then
    redis.call('EXPIRE', set, ttl)
    redis.call('EXPIRE', versions, ttl)
  end
end
return 0`;
const UPDATE_SHA = createHash('sha1').update(UPDATE_SCRIPT).digest('hex');

/**
 * Sorted sets in Redis (one per board), shared by every bot process on the database: ZCOUNT key (score
 * +inf counts who has strictly more, ZADD/ZREM apply new totals. A board is filled from the database the
 * first time any process needs it (one process builds it under a short lock, with ZADD NX so that totals
 * written meanwhile by updates win); until its "ready" mark is set, ranks come from the database. Week
 * and month sets expire after 45 days.
 */
export class RedisRankIndex implements RankIndex {
  private readonly prefix: string;

  constructor(private readonly prisma: Db, private readonly redis: RedisLike, dbUrl: string, private readonly opts: { onError?: (e: unknown) => void } = {}) {
    // Several databases may share one Redis server (tests do): keys carry a digest of the database URL.
    this.prefix = `engage:${createHash('sha256').update(dbUrl).digest('hex').slice(0, 12)}:rank:`;
  }

  private setKey = (communityId: string, period: string) => `${this.prefix}${communityId}:${period}`;

  /** Last applied version per member of a board; expires with its set. */
  private versionKey = (setKey: string) => `${setKey}:v`;

  /** True when the board is complete in Redis; otherwise starts building it (once, across processes). */
  private async ready(communityId: string, period: string): Promise<boolean> {
    const key = this.setKey(communityId, period);
    if (await this.redis.exists(`${key}:ready`)) return true;
    const locked = await this.redis.set(`${key}:building`, '1', 'PX', 120_000, 'NX');
    if (locked === 'OK') void this.build(communityId, period).catch((e) => this.report(e));
    return false;
  }

  /** Fills a board from the database. Awaitable (tests and warm-up); rank() starts it in the background. */
  async build(communityId: string, period: string): Promise<void> {
    const key = this.setKey(communityId, period);
    try {
      const rows = await loadBoard(this.prisma, communityId, period);
      for (let i = 0; i < rows.length; i += 10_000) {
        const m = this.redis.multi();
        const args: (string | number)[] = ['NX'];
        for (const r of rows.slice(i, i + 10_000)) args.push(r.points, r.memberId);
        m.zadd(key, ...args);
        await m.exec();
      }
      const m = this.redis.multi();
      // The version hash stays as it is: versions only grow, so it never holds back a later commit's
      // update, and still turns away a late older one; it expires together with the set.
      if (period !== 'all') { m.expire(key, PERIOD_TTL_S); m.expire(this.versionKey(key), PERIOD_TTL_S); }
      await m.exec();
      await this.redis.set(`${key}:ready`, '1', ...(period === 'all' ? [] : ['EX', PERIOD_TTL_S]));
    } finally {
      await this.redis.del(`${key}:building`);
    }
  }

  async rank(communityId: string, period: string, points: number): Promise<number | null> {
    try {
      if (!(await this.ready(communityId, period))) return null;
      return 1 + await this.redis.zcount(this.setKey(communityId, period), `(${points}`, '+inf');
    } catch (err) {
      this.report(err);
      return null;
    }
  }

  async size(communityId: string, period: string): Promise<number | null> {
    try {
      if (!(await this.ready(communityId, period))) return null;
      return await this.redis.zcount(this.setKey(communityId, period), '(0', '+inf');
    } catch (err) {
      this.report(err);
      return null;
    }
  }

  /** Written whether or not the board is ready yet (a build in progress keeps these: it adds with NX). */
  async update(changes: RankChange[]): Promise<void> {
    if (changes.length === 0) return;
    const keys: string[] = [];
    const args: (string | number)[] = [];
    for (const c of changes) {
      const key = this.setKey(c.communityId, c.period);
      keys.push(key, this.versionKey(key));
      args.push(c.memberId, c.points, c.version ?? '', c.period === 'all' ? 0 : PERIOD_TTL_S);
    }
    await this.runUpdateScript(keys, args);
  }

  /** By its digest; the script text is sent only when the server does not know it yet. */
  private async runUpdateScript(keys: string[], args: (string | number)[]) {
    try {
      await this.redis.evalsha(UPDATE_SHA, keys.length, ...keys, ...args);
    } catch (err) {
      if (!String((err as Error)?.message).startsWith('NOSCRIPT')) throw err;
      await this.redis.eval(UPDATE_SCRIPT, keys.length, ...keys, ...args);
    }
  }

  private report(err: unknown) {
    try { this.opts.onError?.(err); } catch { /* reporting must not break ranks */ }
  }

  close() {
    return this.redis.quit().then(() => undefined);
  }
}

/* ---------- choice ---------- */

const inProcess = new WeakMap<Db, InProcessRankIndex>();
const shared = new Map<string, RedisRankIndex>();

/**
 * The rank index for a database: in-process for SQLite (one per file in this process, shared by its
 * engines), Redis for PostgreSQL when REDIS_URL is set (one client per process and database), none for
 * PostgreSQL without Redis (ranks are counted in the database).
 */
export function rankIndexFor(db: Database, opts: { redisUrl?: string; onError?: (e: unknown) => void } = {}): RankIndex | undefined {
  if (db.provider === 'sqlite') {
    let idx = inProcess.get(db.prisma);
    if (!idx) inProcess.set(db.prisma, (idx = new InProcessRankIndex(db.prisma, { onError: opts.onError })));
    return idx;
  }
  const redisUrl = opts.redisUrl ?? process.env.REDIS_URL;
  if (!redisUrl) return undefined;
  const id = `${redisUrl} ${db.url}`;
  let idx = shared.get(id);
  if (!idx) shared.set(id, (idx = redisRankIndex(db, redisUrl, opts.onError)));
  return idx;
}

/** A Redis index with a client of its own (rankIndexFor shares one per process; tests make several). */
export function redisRankIndex(db: Database, redisUrl: string, onError?: (e: unknown) => void): RedisRankIndex {
  return new RedisRankIndex(db.prisma, new Redis(redisUrl, { maxRetriesPerRequest: 2 }) as unknown as RedisLike, db.url, { onError });
}

/** Closes the Redis clients rankIndexFor opened (tests, shutdown). */
export async function closeRankIndexes(): Promise<void> {
  const all = [...shared.values()];
  shared.clear();
  for (const idx of all) await idx.close();
}
