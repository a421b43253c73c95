// Our routes towards one peer: a fresh Adj-RIB-Out per Established session, filled from the
// speaker's table, with the changes of one tick sent together so bursts pack into few UPDATEs.

import type { Prefix } from '../wire/nlri.js';
import { AdjRibOut } from '../rib/adj-rib-out.js';
import type { Connection } from './connection.js';
import type { PeerConfig } from './peer-config.js';
import type { PeerCounters } from './peer-counters.js';
import { buildAnnouncement, type PeerView, type RouteAttributes } from './route.js';

export interface RoutesOutDeps {
  readonly localAs: number;
  /** Configured next hops; by family, our address on the connection fills what is missing. */
  readonly nextHop: () => PeerConfig['nextHop'];
  readonly counters: PeerCounters;
  /** The speaker's routes meant for this peer. */
  readonly routes: () => Iterable<readonly [Prefix, RouteAttributes]>;
  /** The Established connection, read when UPDATEs go out (a queued flush may find it gone). */
  readonly established: () => Connection | undefined;
  /** A route that cannot be sent to this peer (no next hop of its family, say). */
  readonly onError: (error: Error) => void;
}

/** The session as buildAnnouncement sees it: our AS, eBGP or iBGP, and our addresses on it. */
export function peerView(connection: Connection, localAs: number, nextHop: PeerConfig['nextHop']): PeerView {
  const local = connection.localAddress;
  const localAddress = { ...nextHop };
  if (local !== undefined) {
    if (local.includes(':')) localAddress.ipv6 ??= local;
    else localAddress.ipv4 ??= local;
  }
  return { localAs, external: connection.fsm.negotiated?.external ?? true, localAddress };
}

export class PeerRoutesOut {
  /** Undefined while no session is Established: changes then wait for the next full table. */
  private rib: AdjRibOut | undefined;
  private flushQueued = false;

  constructor(private readonly deps: RoutesOutDeps) {}

  /** A fresh Adj-RIB-Out: the whole table, then End-of-RIB (session start and ROUTE-REFRESH). */
  sendTable(connection: Connection): void {
    const negotiated = connection.fsm.negotiated;
    if (!negotiated) return;
    const rib = new AdjRibOut(negotiated.families, negotiated.context);
    this.rib = rib;
    for (const [prefix, route] of this.deps.routes()) this.add(rib, connection, prefix, route);
    this.flush();
  }

  /** The session left Established: what it advertised is gone with it. */
  sessionEnded(): void {
    this.rib = undefined;
    this.deps.counters.prefixesAnnounced = 0;
  }

  announce(prefix: Prefix, route: RouteAttributes): void {
    const rib = this.rib;
    const connection = this.deps.established();
    if (!rib || !connection?.fsm.negotiated) return;
    this.add(rib, connection, prefix, route);
    this.queueFlush();
  }

  withdraw(prefix: Prefix): void {
    if (!this.rib) return;
    this.rib.withdraw(prefix);
    this.queueFlush();
  }

  /** Withdraws everything we sent, now (before a Cease, so the peer moves traffic first). */
  withdrawAll(): void {
    const rib = this.rib;
    if (!rib) return;
    for (const [prefix] of this.deps.routes()) rib.withdraw(prefix);
    this.flush();
  }

  /** One bad route must not keep the others from the peer. */
  private add(rib: AdjRibOut, connection: Connection, prefix: Prefix, route: RouteAttributes): void {
    try {
      rib.announce(buildAnnouncement(prefix, route, peerView(connection, this.deps.localAs, this.deps.nextHop())));
    } catch (error) {
      this.deps.onError(error as Error);
    }
  }

  /** Changes in one tick go out together, so bursts of announce() pack into few UPDATEs. */
  private queueFlush(): void {
    if (this.flushQueued) return;
    this.flushQueued = true;
    setImmediate(() => {
      this.flushQueued = false;
      this.flush();
    });
  }

  private flush(): void {
    const rib = this.rib;
    const connection = this.deps.established();
    if (!rib || !connection) return;
    for (const update of rib.flush()) connection.send(update);
    this.deps.counters.prefixesAnnounced = rib.advertised;
  }
}
