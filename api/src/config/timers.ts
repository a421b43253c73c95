// BGP session timers from a BGPPeer's durations: hold time and keepalive derived from each
// other as RFC 4271 suggests (keepalive a third of hold), connect retry time, whole seconds.
import { DurationError, NANOSECONDS_PER_SECOND, parseDuration } from './duration.js';
import type { ObjectIssues } from './issues.js';

export const DEFAULT_HOLD_TIME = 90;
export const DEFAULT_KEEPALIVE_TIME = 30;
export const DEFAULT_CONNECT_TIME = 10;
// The OPEN message carries the hold time in 16 bits (RFC 4271 4.2).
const MAX_SECONDS = 0xffff;

export interface SessionTimers {
  readonly holdTime: number;
  readonly keepaliveTime: number;
  readonly connectTime: number;
}

export interface TimerSpec {
  holdTime?: string;
  keepaliveTime?: string;
  connectTime?: string;
}

/** The timers in whole seconds, or undefined when a problem was reported to `issues`. */
export function sessionTimers(spec: TimerSpec, issues: ObjectIssues): SessionTimers | undefined {
  const hold = seconds(spec.holdTime, 'spec.holdTime', issues);
  const keepalive = seconds(spec.keepaliveTime, 'spec.keepaliveTime', issues);
  const connect = seconds(spec.connectTime, 'spec.connectTime', issues);
  if (hold === null || keepalive === null || connect === null) return undefined;

  const holdTime = hold ?? (keepalive === undefined ? DEFAULT_HOLD_TIME : keepalive * 3);
  const keepaliveTime = keepalive ?? (hold === undefined ? DEFAULT_KEEPALIVE_TIME : Math.floor(hold / 3));
  const connectTime = connect ?? DEFAULT_CONNECT_TIME;
  let ok = true;
  const bad = (field: string, message: string) => {
    issues.invalid(field, message);
    ok = false;
  };

  // RFC 4271 4.2: the hold time is zero or at least three seconds.
  if (holdTime === 1 || holdTime === 2) bad('spec.holdTime', `${spec.holdTime}: a hold time must be 0s or at least 3s`);
  if (holdTime > MAX_SECONDS) {
    bad(hold === undefined ? 'spec.keepaliveTime' : 'spec.holdTime', `the hold time would be ${holdTime}s, more than ${MAX_SECONDS}s`);
  }
  if (keepaliveTime > holdTime) bad('spec.keepaliveTime', `${spec.keepaliveTime}: the keepalive time is longer than the hold time (${holdTime}s)`);
  if (keepalive === 0 && holdTime > 0) {
    bad('spec.keepaliveTime', `${spec.keepaliveTime}: a keepalive time of 0 needs a hold time of 0 (the peer would expire the session)`);
  }
  if (connectTime < 1 || connectTime > MAX_SECONDS) bad('spec.connectTime', `${spec.connectTime}: the connect time must be from 1s to ${MAX_SECONDS}s`);
  return ok ? { holdTime, keepaliveTime, connectTime } : undefined;
}

/** Whole seconds; undefined when absent; null when wrong (reported). */
function seconds(text: string | undefined, field: string, issues: ObjectIssues): number | undefined | null {
  if (text === undefined) return undefined;
  let ns: bigint;
  try {
    ns = parseDuration(text);
  } catch (err: unknown) {
    issues.invalid(field, err instanceof DurationError ? err.message : String(err));
    return null;
  }
  if (ns % NANOSECONDS_PER_SECOND !== 0n) {
    issues.invalid(field, `${JSON.stringify(text)} is not a whole number of seconds; BGP timers count in seconds`);
    return null;
  }
  const whole = ns / NANOSECONDS_PER_SECOND;
  if (whole > BigInt(MAX_SECONDS)) {
    issues.invalid(field, `${JSON.stringify(text)} is more than ${MAX_SECONDS}s`);
    return null;
  }
  return Number(whole);
}
