// What a traffic run may ask for, checked in one place: a target "IP:PORT" and bounded count,
// concurrency and per-connection timeout, so no run can flood the lab or hang a suite.

import { isIP } from 'node:net';

export class TrafficError extends Error {
  override readonly name = 'TrafficError';
  constructor(
    readonly module: string,
    detail: string,
  ) {
    super(`${module}: ${detail}`);
  }
}

export const LIMITS = { maxCount: 100_000, maxConcurrency: 512, maxTimeoutMs: 30_000 } as const;

export type TrafficProtocol = 'tcp' | 'udp';

export interface TrafficOptions {
  readonly target: string;
  readonly count: number;
  readonly concurrency: number;
  /** Per connection; default 2000 ms. */
  readonly timeoutMs?: number;
  /** Default tcp; udp sends one datagram per "connection" from a fresh socket. */
  readonly protocol?: TrafficProtocol;
}

export interface Target {
  readonly host: string;
  readonly port: number;
  readonly family: 4 | 6;
}

export function parseTarget(target: string): Target {
  const m = /^\[([^\]]+)\]:(\d{1,5})$/.exec(target) ?? /^([^:[\]]+):(\d{1,5})$/.exec(target);
  const host = m?.[1];
  const port = Number(m?.[2]);
  const family = host === undefined ? 0 : isIP(host);
  if (m === null || host === undefined || family === 0 || (family === 6) !== target.startsWith('[')) {
    throw new TrafficError('traffic/options', `target "${target}" is not IP:PORT or [IPv6]:PORT`);
  }
  if (port < 1 || port > 65535) throw new TrafficError('traffic/options', `target "${target}" has port ${port} outside 1-65535`);
  return { host, port, family: family as 4 | 6 };
}

const whole = (v: number, min: number, max: number) => Number.isInteger(v) && v >= min && v <= max;

/** The options with defaults filled in; a TrafficError names the first bad one. */
export function checkTrafficOptions(opts: TrafficOptions): Required<TrafficOptions> & { parsedTarget: Target } {
  const parsedTarget = parseTarget(opts.target);
  if (!whole(opts.count, 1, LIMITS.maxCount)) throw new TrafficError('traffic/options', `count ${opts.count} is not a whole number 1-${LIMITS.maxCount}`);
  if (!whole(opts.concurrency, 1, LIMITS.maxConcurrency)) throw new TrafficError('traffic/options', `concurrency ${opts.concurrency} is not a whole number 1-${LIMITS.maxConcurrency}`);
  const timeoutMs = opts.timeoutMs ?? 2_000;
  if (!whole(timeoutMs, 1, LIMITS.maxTimeoutMs)) throw new TrafficError('traffic/options', `timeoutMs ${timeoutMs} is not a whole number 1-${LIMITS.maxTimeoutMs}`);
  const protocol = opts.protocol ?? 'tcp';
  if (protocol !== 'tcp' && protocol !== 'udp') throw new TrafficError('traffic/options', `protocol "${String(protocol)}" is not tcp or udp`);
  return { target: opts.target, count: opts.count, concurrency: opts.concurrency, timeoutMs, protocol, parsedTarget };
}

/** The longest a run can take: every wave of `concurrency` connections timing out, plus start-up. */
export function worstCaseMs(opts: Required<TrafficOptions>): number {
  return Math.ceil(opts.count / opts.concurrency) * opts.timeoutMs + 10_000;
}
