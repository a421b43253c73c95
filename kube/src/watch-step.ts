// What an informer does when a watch ends: relist after 410 Gone, re-watch at once after a
// normal close, back off after a failure or after a close that came too quickly to trust.

import type { Backoff } from './backoff.js';
import { isGone } from './status.js';

export type WatchEnd =
  /** The server said 410 Gone in the stream: our resourceVersion is too old. */
  | { kind: 'gone' }
  /** The stream ended without an error (server timeout, dropped connection, client idle timeout). */
  | { kind: 'closed'; events: number; lastedMs: number }
  | { kind: 'failed'; err: unknown };

export interface Step {
  relist: boolean;
  waitMs: number;
  /** A failure the caller hears about (with waitMs as the retry delay). */
  report: boolean;
}

export function afterWatch(end: WatchEnd, backoff: Backoff, quickCloseMs: number): Step {
  if (end.kind === 'gone' || (end.kind === 'failed' && isGone(end.err))) return { relist: true, waitMs: 0, report: false };
  if (end.kind === 'closed') {
    // A server that closes every watch at once would otherwise have us reconnect in a tight loop.
    if (end.events > 0 || end.lastedMs >= quickCloseMs) return { relist: false, waitMs: 0, report: false };
    return { relist: false, waitMs: backoff.next(), report: false };
  }
  return { relist: false, waitMs: backoff.next(), report: true };
}
