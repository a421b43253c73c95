// Which failed connections a route change explains. A router doing ECMP without resilient
// hashing (FRR on Linux: hash-threshold) remaps part of the flow space whenever a group gains,
// loses or reweighs a nexthop. A connection in flight across that moment can have its next
// packet sent to a node that holds no state for it, and that node's pod answers with a reset.
// That is the router's hashing, whatever announces the routes; every other failure (any
// timeout, any reset away from a change) is the data plane or the announcements failing.

import type { FailedConnection } from './summary.js';

/** When the router's group for the address changed: not before `from` (the change was made), by `to` (it was seen). */
export interface RouteChange {
  readonly from: number;
  readonly to: number;
}

export interface FailureAccount {
  /** Resets of connections open across a route change. */
  readonly rehashed: readonly FailedConnection[];
  /** Every other listed failure. */
  readonly unexplained: readonly FailedConnection[];
  /** Failures counted but not listed with their times (a summary lists at most MAX_LISTED_FAILURES): unexplained too. */
  readonly unlisted: number;
}

const RESET = 'ECONNRESET';

/** Sorts failures into those a route change explains and the rest. */
export function accountFailures(failed: number, listed: readonly FailedConnection[], changes: readonly RouteChange[]): FailureAccount {
  const rehashed: FailedConnection[] = [];
  const unexplained: FailedConnection[] = [];
  for (const f of listed) {
    const acrossChange = changes.some((c) => f.startedAt <= c.to && f.endedAt >= c.from);
    (f.reason === RESET && acrossChange ? rehashed : unexplained).push(f);
  }
  return { rehashed, unexplained, unlisted: Math.max(0, failed - listed.length) };
}

/** The number of failures a route change does not explain. */
export const unexplainedCount = (a: FailureAccount): number => a.unexplained.length + a.unlisted;
