// The peer's routes towards us: its UPDATEs into the Adj-RIB-In (looped paths refused), and the
// graceful-restart help that decides what of the Adj-RIB-In outlives a session that ended.

import type { Prefix } from '../wire/nlri.js';
import type { UpdateVerdict } from '../wire/validate-update.js';
import type { SessionConfig } from '../fsm/config.js';
import type { Negotiated } from '../fsm/open-check.js';
import type { Command } from '../fsm/types.js';
import type { AdjRibIn } from '../rib/adj-rib-in.js';
import type { Clock } from './clock.js';
import { GracefulRestartHelper, type HelperEvent, type HelperTerms } from './graceful-restart.js';
import { withoutLoops } from './loop-detection.js';
import type { PeerCounters, PeerEvent } from './peer-counters.js';

export interface RoutesInDeps {
  readonly address: string;
  readonly config: SessionConfig;
  readonly clock: Clock;
  readonly ribIn: AdjRibIn;
  readonly counters: PeerCounters;
  readonly emit: (event: PeerEvent) => void;
}

export class PeerRoutesIn {
  private readonly helper: GracefulRestartHelper;
  /** Graceful restart as agreed on the Established session, kept for when it ends. */
  private terms: HelperTerms | undefined;

  constructor(private readonly deps: RoutesInDeps) {
    this.helper = new GracefulRestartHelper({
      clock: deps.clock,
      ribIn: deps.ribIn,
      staleRoutesTime: () => deps.config.gracefulRestart?.staleRoutesTime ?? 360,
      emit: (event) => this.onHelper(event),
      removed: (prefixes) => this.removed(prefixes),
    });
  }

  /** The last Established session agreed graceful restart both ways (meaningful only while it is up). */
  get gracefulRestartAgreed(): boolean {
    return this.terms !== undefined && this.terms.localEnabled && this.terms.peer !== undefined;
  }

  /** We stop the peer ourselves: no stale route is kept and no timer may fire later. */
  cancel(): void {
    this.helper.cancel();
  }

  /** A restart being helped through is over: its stale routes go now (see GracefulRestartHelper.abort). */
  abortGracefulRestart(reason: string): void {
    this.helper.abort(reason);
  }

  /** Whether stale routes of a restarting peer are being kept. */
  get helpingRestart(): boolean {
    return this.helper.active;
  }

  sessionUp(negotiated: Negotiated): void {
    this.terms = { localEnabled: this.deps.config.gracefulRestart !== undefined, peer: negotiated.peerGracefulRestart, notification: negotiated.gracefulNotification };
    // Without our own capability the peer was never helped, unless it was under another config.
    this.helper.sessionUp(this.terms.localEnabled ? negotiated.peerGracefulRestart : undefined);
  }

  sessionEnded(change: Extract<Command, { type: 'state-change' }>): void {
    const terms = this.terms ?? { localEnabled: false, peer: undefined, notification: false };
    this.terms = undefined;
    this.helper.sessionEnded({ event: change.event, ...(change.notification ? { notification: change.notification } : {}) }, terms, change.reason);
    this.recount();
  }

  update(received: UpdateVerdict): void {
    const { counters, ribIn } = this.deps;
    const { verdict, looped } = withoutLoops(received, this.deps.config.localAs);
    counters.prefixesLooped += looped;
    const change = ribIn.apply(verdict);
    this.recount();
    if (change.announced.length > 0 || change.withdrawn.length > 0 || change.endOfRib) {
      this.deps.emit({ type: 'update-received', peer: this.deps.address, announced: change.announced, withdrawn: change.withdrawn, endOfRib: change.endOfRib });
    }
    if (change.endOfRib) this.helper.endOfRib(change.endOfRib);
  }

  /** Routes that left the Adj-RIB-In outside an UPDATE (session end, stale purge). */
  private removed(prefixes: Prefix[]): void {
    this.recount();
    if (prefixes.length > 0) this.deps.emit({ type: 'update-received', peer: this.deps.address, announced: [], withdrawn: prefixes, endOfRib: undefined });
  }

  private onHelper(event: HelperEvent): void {
    const { counters, ribIn } = this.deps;
    if (event.phase === 'retained') counters.gracefulRestarts += 1;
    if (event.phase === 'purged') counters.staleRoutesPurged += event.purged;
    counters.staleRoutes = ribIn.staleCount;
    this.deps.emit({ type: 'graceful-restart', peer: this.deps.address, ...event });
  }

  private recount(): void {
    this.deps.counters.prefixesAccepted = this.deps.ribIn.size;
    this.deps.counters.staleRoutes = this.deps.ribIn.staleCount;
  }
}
