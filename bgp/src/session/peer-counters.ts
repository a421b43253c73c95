// What an operator and the speaker learn about one peer: the counters read on demand and the
// events pushed as they happen, kept apart so the session logic only has to bump and emit them.

import type { BgpMessage } from '../wire/message.js';
import { BgpWireError } from '../wire/errors.js';
import { notificationName } from '../wire/notification-names.js';
import type { Prefix } from '../wire/nlri.js';
import type { State } from '../fsm/types.js';
import type { ReceivedRoute } from '../rib/adj-rib-in.js';
import type { Clock } from './clock.js';
import type { HelperEvent } from './graceful-restart.js';

export interface ErrorRecord {
  readonly code: number;
  readonly subcode: number;
  readonly name: string;
  readonly at: number;
}

export interface PeerCounters {
  readonly messagesIn: Record<BgpMessage['type'], number>;
  readonly messagesOut: Record<BgpMessage['type'], number>;
  prefixesAnnounced: number;
  prefixesAccepted: number;
  lastErrorSent: ErrorRecord | undefined;
  lastErrorReceived: ErrorRecord | undefined;
  /** Clock time the session last reached Established, undefined while it is not. */
  establishedAt: number | undefined;
  stateChanges: number;
  /** Routes of the peer kept stale while it restarts (RFC 4724). */
  staleRoutes: number;
  /** Stale routes removed because the peer did not send them again (or came back too late). */
  staleRoutesPurged: number;
  /** Times this peer's restart was helped through (its routes kept when the session dropped). */
  gracefulRestarts: number;
  /** Prefixes refused because their AS_PATH already held our AS (RFC 4271 §9.1.2). */
  prefixesLooped: number;
  /** Established sessions ended because BFD saw the forwarding path fail (RFC 5882). */
  sessionDownsByBfd: number;
}

export type PeerEvent =
  | { readonly type: 'state'; readonly peer: string; readonly from: State; readonly to: State; readonly reason: string }
  | { readonly type: 'update-received'; readonly peer: string; readonly announced: readonly ReceivedRoute[]; readonly withdrawn: readonly Prefix[]; readonly endOfRib: string | undefined }
  | { readonly type: 'error'; readonly peer: string; readonly direction: 'sent' | 'received' | 'local'; readonly error: Error }
  | ({ readonly type: 'graceful-restart'; readonly peer: string } & HelperEvent);

const zero = (): Record<BgpMessage['type'], number> => ({ open: 0, update: 0, notification: 0, keepalive: 0, 'route-refresh': 0 });

export function newCounters(): PeerCounters {
  return {
    messagesIn: zero(),
    messagesOut: zero(),
    prefixesAnnounced: 0,
    prefixesAccepted: 0,
    lastErrorSent: undefined,
    lastErrorReceived: undefined,
    establishedAt: undefined,
    stateChanges: 0,
    prefixesLooped: 0,
    staleRoutes: 0,
    staleRoutesPurged: 0,
    gracefulRestarts: 0,
    sessionDownsByBfd: 0,
  };
}

/** Only NOTIFICATIONs are remembered: a local problem has no code an operator could look up. */
export function recordError(counters: PeerCounters, direction: 'sent' | 'received' | 'local', error: Error, clock: Clock): void {
  if (!(error instanceof BgpWireError) || direction === 'local') return;
  const record = { code: error.code, subcode: error.subcode, name: notificationName(error.code, error.subcode), at: clock.now() };
  if (direction === 'sent') counters.lastErrorSent = record;
  else counters.lastErrorReceived = record;
}
