// Our routes towards one peer: a fresh Adj-RIB-Out per Established session, filled from the
// speaker's table, with the changes of one tick sent together so bursts pack into few UPDATEs.
// Big tables and bursts go in slices with the event loop free between them: BFD at 50 ms x 3
// misses its packets when a 100,000-route dump holds the loop in one go (bench/src/bfd.ts).

import type { Prefix } from '../wire/nlri.js';
import { AdjRibOut } from '../rib/adj-rib-out.js';
import { SLICE_BUDGET_MS, type Connection } from './connection.js';
import type { PeerConfig } from './peer-config.js';
import type { PeerCounters } from './peer-counters.js';
import { buildAnnouncement, type PeerView, type RouteAttributes } from './route.js';

/** Routes added, or prefixes flushed, per slice at most (about 10 ms of work on a 2020s server core); a dump slice also stops at SLICE_BUDGET_MS. */
export const ROUTES_PER_SLICE = 2_000;

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
  /** The speaker's routes still to add to a fresh Adj-RIB-Out; End-of-RIB waits until it is done. */
  private dump: Iterator<readonly [Prefix, RouteAttributes]> | undefined;

  constructor(private readonly deps: RoutesOutDeps) {}

  /**
   * A fresh Adj-RIB-Out: the whole table, then End-of-RIB (session start and ROUTE-REFRESH), a
   * slice of ROUTES_PER_SLICE routes at a time (a small table goes at once). The speaker's table
   * is read live, so a route changed meanwhile goes out as it is now, once.
   */
  sendTable(connection: Connection): void {
    const negotiated = connection.fsm.negotiated;
    if (!negotiated) return;
    const rib = new AdjRibOut(negotiated.families, negotiated.context);
    this.rib = rib;
    const routes = this.deps.routes()[Symbol.iterator]();
    this.dump = routes;
    this.dumpSlice(rib, connection, routes);
  }

  /** The session left Established: what it advertised is gone with it. */
  sessionEnded(): void {
    this.rib = undefined;
    this.dump = undefined;
    this.deps.counters.prefixesAnnounced = 0;
  }

  private dumpSlice(rib: AdjRibOut, connection: Connection, routes: Iterator<readonly [Prefix, RouteAttributes]>): void {
    // The session ended, or a ROUTE-REFRESH started the table over.
    if (this.rib !== rib || this.dump !== routes) return;
    const started = performance.now();
    for (let n = 0; n < ROUTES_PER_SLICE; n++) {
      if (n % 100 === 99 && performance.now() - started > SLICE_BUDGET_MS) break;
      const next = routes.next();
      if (next.done === true) {
        this.dump = undefined;
        break;
      }
      this.add(rib, connection, next.value[0], next.value[1]);
    }
    this.flush();
    if (this.dump === routes) setImmediate(() => this.dumpSlice(rib, connection, routes));
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
    this.dump = undefined;
    for (const [prefix] of this.deps.routes()) rib.withdraw(prefix);
    this.flush(Infinity);
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

  /** Sends up to `limit` pending prefixes; the rest follow in the next tick (a dump's slices drive their own). */
  private flush(limit = ROUTES_PER_SLICE): void {
    const rib = this.rib;
    const connection = this.deps.established();
    if (!rib || !connection) return;
    for (const update of rib.flush({ limit, endOfRib: this.dump === undefined })) connection.send(update);
    this.deps.counters.prefixesAnnounced = rib.advertised;
    if (this.dump === undefined && rib.hasPending) this.queueFlush();
  }
}
