// The receiving side of graceful restart (RFC 4724 §4.2, RFC 8538 §4): when a restart-capable
// peer's session ends, keep its routes stale, and purge them on timeout, End-of-RIB or a missing F bit.

import { CeaseSubcode, ErrorCode } from '../wire/errors.js';
import type { AddressFamily } from '../wire/ip.js';
import type { Prefix } from '../wire/nlri.js';
import type { CapabilityOf } from '../wire/capabilities/types.js';
import { familyOf } from '../fsm/open-check.js';
import type { ClosingNotification, EventName } from '../fsm/types.js';
import type { AdjRibIn } from '../rib/adj-rib-in.js';
import type { Clock, TimerHandle } from './clock.js';

export type PeerGracefulRestart = CapabilityOf<'graceful-restart'>;

/** How an Established session ended, as the FSM reported it. */
export interface SessionEnd {
  readonly event: EventName;
  readonly notification?: ClosingNotification;
}

/** What was agreed on the session that ended. */
export interface HelperTerms {
  /** We advertised graceful restart ourselves (helping is opt-in, as with FRR's helper mode). */
  readonly localEnabled: boolean;
  readonly peer: PeerGracefulRestart | undefined;
  /** Both sides sent the N bit. */
  readonly notification: boolean;
}

/** Stops we asked for: the peer is not restarting, so nothing of its routes is kept. */
const LOCAL_STOPS: ReadonlySet<EventName> = new Set(['ManualStop', 'AutomaticStop', 'GracefulStop', 'OpenCollisionDump']);

/**
 * Whether the peer's routes are kept as stale. The peer must have advertised the capability;
 * then a TCP loss keeps them (RFC 4724), and so does an expired hold timer: a peer whose control
 * plane went silent is the case graceful restart exists for, and what the peer does with our
 * NOTIFICATION does not change what we may keep. Any other NOTIFICATION keeps them only with
 * the N bit, and never a Hard Reset (RFC 8538 §4).
 */
export function retainsRoutes(end: SessionEnd, terms: HelperTerms): boolean {
  if (!terms.localEnabled || terms.peer === undefined || LOCAL_STOPS.has(end.event)) return false;
  if (end.event === 'HoldTimer_Expires') return true;
  const n = end.notification;
  if (n === undefined) return true;
  const hardReset = n.code === ErrorCode.cease && n.subcode === CeaseSubcode.hardReset;
  return terms.notification && !hardReset;
}

/** The families a capability lists, with or without the F bit. */
export function capabilityFamilies(cap: PeerGracefulRestart | undefined, forwardingOnly: boolean): AddressFamily[] {
  if (!cap) return [];
  return cap.families.flatMap((f) => {
    const family = familyOf(f.afi, f.safi);
    return family !== undefined && (!forwardingOnly || f.forwardingPreserved) ? [family] : [];
  });
}

export type HelperPhase =
  | 'retained' // session lost, routes kept stale, restart timer running
  | 'flushed' // session lost and routes dropped (no graceful restart this time)
  | 'reconnected' // the peer is back; stale routes wait for its End-of-RIB
  | 'purged' // stale routes removed (End-of-RIB, timer, or no F bit)
  | 'finished'; // nothing stale is left

export interface HelperEvent {
  readonly phase: HelperPhase;
  readonly family?: AddressFamily;
  /** Stale routes left after this step. */
  readonly stale: number;
  /** Routes removed by this step. */
  readonly purged: number;
  readonly reason: string;
}

export interface HelperDeps {
  readonly clock: Clock;
  readonly ribIn: AdjRibIn;
  /** Seconds to wait for End-of-RIB once the peer is back. */
  readonly staleRoutesTime: () => number;
  readonly emit: (event: HelperEvent) => void;
  /** Routes that left the Adj-RIB-In, for the speaker's 'update-received' event. */
  readonly removed: (prefixes: Prefix[]) => void;
}

export class GracefulRestartHelper {
  private restartTimer: TimerHandle | undefined;
  private staleTimer: TimerHandle | undefined;
  /** From a retained session end until nothing stale is left. */
  private recovering = false;

  constructor(private readonly deps: HelperDeps) {}

  /** Whether a restart of the peer is being helped through (stale routes may be kept). */
  get active(): boolean {
    return this.recovering;
  }

  /** The session left Established. */
  sessionEnded(end: SessionEnd, terms: HelperTerms, reason: string): void {
    this.cancel();
    // We are the one restarting: the routes stay as they are (a consumer that installed them
    // keeps forwarding, the F bit we send says so), and no timer outlives this process's use.
    if (end.event === 'GracefulStop') return;
    const rib = this.deps.ribIn;
    if (!retainsRoutes(end, terms)) {
      const gone = rib.clear();
      this.deps.removed(gone);
      if (terms.peer !== undefined && terms.localEnabled) this.deps.emit({ phase: 'flushed', stale: 0, purged: gone.length, reason });
      return;
    }
    const { stale, dropped } = rib.retain(capabilityFamilies(terms.peer, false));
    this.deps.removed(dropped);
    this.recovering = true;
    const restartTime = terms.peer?.restartTime ?? 0;
    this.deps.emit({ phase: 'retained', stale, purged: dropped.length, reason: `${reason}; restart time ${restartTime} s` });
    if (restartTime === 0) this.purge(undefined, 'the peer asked for a restart time of 0');
    else this.restartTimer = this.deps.clock.setTimeout(() => this.purge(undefined, `restart timer (${restartTime} s) expired`), restartTime * 1000);
  }

  /** The session is Established again with this capability (or none). */
  sessionUp(peer: PeerGracefulRestart | undefined): void {
    this.restartTimer?.cancel();
    this.staleTimer?.cancel();
    this.restartTimer = undefined;
    this.staleTimer = undefined;
    if (!this.recovering) return;
    if (!peer) {
      this.purge(undefined, 'the peer came back without graceful restart');
      return;
    }
    // §4.2: a family whose F bit is clear (or that is missing) lost its forwarding state.
    const kept = capabilityFamilies(peer, true);
    for (const family of new Set(this.deps.ribIn.staleRoutes().map((r) => r.prefix.family))) {
      if (!kept.includes(family)) this.purge(family, `the peer came back without the F bit for ${family}`);
    }
    if (!this.recovering) return;
    const seconds = this.deps.staleRoutesTime();
    this.deps.emit({ phase: 'reconnected', stale: this.deps.ribIn.staleCount, purged: 0, reason: `waiting up to ${seconds} s for End-of-RIB` });
    this.staleTimer = this.deps.clock.setTimeout(() => this.purge(undefined, `stale routes timer (${seconds} s) expired`), seconds * 1000);
  }

  /** End-of-RIB for a family: what is still stale there was not sent again, so it is gone. */
  endOfRib(family: AddressFamily): void {
    if (!this.recovering) return;
    this.purge(family, `End-of-RIB for ${family}`);
  }

  /**
   * The restart being helped through cannot be one: the peer's forwarding failed (BFD Down with
   * the C bit, RFC 5882 §4.3.1), so what is stale is gone now instead of at a timer.
   */
  abort(reason: string): void {
    if (!this.recovering) return;
    this.purge(undefined, reason);
  }

  /** The peer is removed or stopped by us: no timer may fire later. */
  cancel(): void {
    this.recovering = false;
    this.restartTimer?.cancel();
    this.staleTimer?.cancel();
    this.restartTimer = undefined;
    this.staleTimer = undefined;
  }

  private purge(family: AddressFamily | undefined, reason: string): void {
    const gone = this.deps.ribIn.purgeStale(family);
    this.deps.removed(gone);
    const stale = this.deps.ribIn.staleCount;
    if (gone.length > 0) this.deps.emit({ phase: 'purged', ...(family ? { family } : {}), stale, purged: gone.length, reason });
    if (stale === 0) {
      this.cancel();
      this.deps.emit({ phase: 'finished', stale: 0, purged: 0, reason });
    }
  }
}
