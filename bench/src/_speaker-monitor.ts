// Watches a lab router's kernel routes as zebra installs them (`ip -n NS monitor route`), so the
// speaker benchmark sees a prefix arrive or its nexthops change within a millisecond, without
// polling vtysh. The parser is pure; the monitor stamps each message with its arrival time.
import { spawn, type ChildProcess } from 'node:child_process';

export class RouteMonitorError extends Error {
  override readonly name = 'RouteMonitorError';
}

export interface RouteEvent {
  readonly deleted: boolean;
  /** As ip prints it: "203.0.113.5" for a host route, "198.18.0.0/24" otherwise. */
  readonly dst: string;
  /** Gateway -> weight (1 when ip prints none). */
  readonly nexthops: Readonly<Record<string, number>>;
}

const TYPES = new Set(['unicast', 'local', 'broadcast', 'multicast', 'unreachable', 'blackhole', 'prohibit', 'throw', 'anycast', 'nat']);

/**
 * Messages as `ip monitor route` prints them: a header line ("[Deleted ][type ]DST [via GW]
 * ..."), then for a multipath route one tab-indented "nexthop via GW dev X weight W" per path.
 * Lines of other kinds (a bare "nexthop" line with no header before it) are errors.
 */
export function parseRouteMessages(text: string): RouteEvent[] {
  const events: { deleted: boolean; dst: string; nexthops: Record<string, number> }[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const words = line.trim().split(/\s+/);
    if (/^\s/.test(line)) {
      const current = events.at(-1);
      if (current === undefined) throw new RouteMonitorError(`bench/speaker-monitor: a continuation line with no route before it: ${JSON.stringify(line)}`);
      if (words[0] !== 'nexthop') continue;
      const via = valueAfter(words, 'via');
      if (via !== undefined) current.nexthops[via] = Number(valueAfter(words, 'weight') ?? 1);
      continue;
    }
    let i = 0;
    const deleted = words[0] === 'Deleted';
    if (deleted) i++;
    if (TYPES.has(words[i] ?? '')) i++;
    const dst = words[i];
    if (dst === undefined) throw new RouteMonitorError(`bench/speaker-monitor: a route line with no destination: ${JSON.stringify(line)}`);
    const nexthops: Record<string, number> = {};
    const via = valueAfter(words, 'via');
    if (via !== undefined) nexthops[via] = 1;
    events.push({ deleted, dst, nexthops });
  }
  return events;
}

function valueAfter(words: readonly string[], key: string): string | undefined {
  const i = words.indexOf(key);
  return i < 0 ? undefined : words[i + 1];
}

export interface StampedRouteEvent extends RouteEvent {
  /** performance.now() when the message was read. */
  readonly at: number;
}

export class RouteMonitor {
  readonly events: StampedRouteEvent[] = [];
  private readonly proc: ChildProcess;
  private readonly waiters = new Set<() => void>();

  /** Starts `ip -n namespace monitor route`; resolves once it is running. */
  static async start(namespace: string): Promise<RouteMonitor> {
    const m = new RouteMonitor(namespace);
    await new Promise<void>((resolve, reject) => {
      m.proc.once('spawn', resolve);
      m.proc.once('error', (err) => reject(new RouteMonitorError(`bench/speaker-monitor: cannot run ip monitor in ${namespace}: ${err.message}`)));
    });
    return m;
  }

  private constructor(namespace: string) {
    this.proc = spawn('ip', ['-n', namespace, 'monitor', 'route'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let pending = '';
    // ip flushes each message whole; a chunk may still end mid-line, so only whole lines are parsed.
    this.proc.stdout!.on('data', (d: Buffer) => {
      const at = performance.now();
      pending += d.toString();
      const end = pending.lastIndexOf('\n');
      if (end < 0) return;
      const complete = pending.slice(0, end + 1);
      pending = pending.slice(end + 1);
      for (const e of parseRouteMessages(complete)) this.events.push({ ...e, at });
      for (const wake of this.waiters) wake();
    });
  }

  /** The first event at or after index `from` that matches; rejects after timeoutMs. */
  waitFor(from: number, match: (e: StampedRouteEvent) => boolean, timeoutMs: number, what: string): Promise<StampedRouteEvent> {
    return new Promise((resolve, reject) => {
      let checked = from;
      const check = (): boolean => {
        for (; checked < this.events.length; checked++) {
          const e = this.events[checked]!;
          if (match(e)) {
            done();
            resolve(e);
            return true;
          }
        }
        return false;
      };
      const timer = setTimeout(() => {
        done();
        reject(new RouteMonitorError(`bench/speaker-monitor: no ${what} within ${timeoutMs} ms`));
      }, timeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      if (!check()) this.waiters.add(check);
    });
  }

  async stop(): Promise<void> {
    if (this.proc.exitCode !== null || this.proc.signalCode !== null) return;
    const exited = new Promise((r) => this.proc.once('exit', r));
    this.proc.kill('SIGTERM');
    await exited;
  }
}

/** The gateways of an event, sorted, for comparing with the nodes expected. */
export const gatewaysOf = (e: RouteEvent): string[] => Object.keys(e.nexthops).sort();
