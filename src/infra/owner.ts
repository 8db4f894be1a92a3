import { hostname } from 'node:os';

/**
 * Who holds a claim (a scheduled job being run, an outbox message being sent) or the SQLite lock:
 * "host:pid:startMs". The start time tells this process from an earlier run with the same pid (a
 * container's bot is pid 1 every time). Instances sharing a database are assumed to have distinct host
 * names (Docker's default, the container id, is).
 */
export const PROCESS_OWNER = `${hostname()}:${process.pid}:${Math.round(performance.timeOrigin)}`;

export interface Owner {
  host: string;
  pid: number;
  start: number;
}

export function parseOwner(owner: string): Owner | undefined {
  const m = /^(.*):(\d+):(\d+)$/.exec(owner);
  return m ? { host: m[1], pid: Number(m[2]), start: Number(m[3]) } : undefined;
}

/** Whether a process with this pid exists on this host (EPERM: it does, under another user). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/**
 * True only when `holder` surely no longer runs: it is on this host and its pid is gone, or it is an
 * earlier run of this very pid. A holder on another host cannot be checked from here: its claim waits
 * out its lock.
 */
export function holderIsGone(holder: string, self: string = PROCESS_OWNER, alive: (pid: number) => boolean = pidAlive): boolean {
  const h = parseOwner(holder);
  const me = parseOwner(self);
  if (!h || !me || h.host !== me.host) return false;
  if (h.pid === me.pid) return h.start !== me.start;
  return !alive(h.pid);
}

/** "pid 123 on host box, since 2026-11-25T12:00:00.000Z" for messages. */
export function describeOwner(owner: string): string {
  const o = parseOwner(owner);
  return o ? `pid ${o.pid} on host ${o.host}, since ${new Date(o.start).toISOString()}` : owner;
}
