// BFD for the speaker's peers and its coupling to their BGP sessions (RFC 5882): one BfdManager,
// made with the first peer that asks for BFD, one session per such peer, and what each state change does.
//
// The rules, in one place:
// - Up: BGP may run; a session held for BFD starts.
// - Up -> Down because the peer said AdminDown (diag 3, remote AdminDown): no path failure
//   (RFC 5882 §3.2), BGP untouched and not held; BFD is as good as unconfigured at the peer.
// - Up -> Down otherwise (detection time expired, the peer's Down): the forwarding path failed.
//   PeerSession.bfdDown(): Cease / BFD Down now, sockets destroyed, Adj-RIB-In flushed (no
//   graceful-restart retention), BGP held in Idle until BFD is Up again, or at most the
//   slow-rate Detection Time (see holdAtMost: a peer may run BFD only while BGP is up). A restart of the peer
//   already being helped through (its TCP dropped first, routes stale) goes on when the peer's
//   BFD shares fate with its control plane (C bit clear: a restarting peer takes its BFD down
//   with it, §4.3.2), and ends with its stale routes when the C bit was set (§4.3.1: its BFD
//   would have survived a restart, so this is a forwarding failure).
// - Never Up yet: a new peer's BGP waits for BFD Up at most the Detection Time at the slow rate
//   (detectMultiplier x 1 s, RFC 5880 §6.8.3), then starts anyway, so a peer without BFD (or a
//   passive session nobody speaks to) still gets BGP; from the first Up on, the rules above hold.

import { BfdManager, type BfdManagerCounters, type BfdManagerLogEntry, type BfdPeerSession, type BfdSessionEvent } from './bfd/manager.js';
import type { BfdDropReason } from './bfd/receive.js';
import type { BfdSocketFactory } from './bfd/transport.js';
import { BFD_SLOW_TX_US, bfdDiagName, type BfdState } from './bfd/types.js';
import type { Clock, TimerHandle } from './session/clock.js';
import type { PeerBfdSettings } from './session/peer-config.js';
import type { PeerSession } from './session/peer-session.js';

export interface SpeakerBfdOptions {
  /** The UDP sockets BFD runs on; default nativeBfdSockets (@headland/native, Linux). Tests pass memoryNetwork's. */
  readonly sockets?: BfdSocketFactory;
  readonly log?: (entry: BfdManagerLogEntry) => void;
}

/** A BFD state change of one peer's session. */
export interface PeerBfdEvent {
  readonly type: 'bfd';
  readonly peer: string;
  readonly from: BfdState;
  readonly to: BfdState;
  readonly diag: number;
  readonly diagName: string;
  /** Down because the peer said AdminDown: not a path failure, BGP is left alone. */
  readonly remoteAdminDown: boolean;
}

export interface PeerBfdStatus {
  readonly state: BfdState;
  /** Our diagnostic: why the session last went down (0 while it never did). */
  readonly diag: number;
  readonly diagName: string;
  readonly localDiscriminator: number;
  /** The peer's discriminator, while it is known. */
  readonly remoteDiscriminator?: number;
  /** The peer's C bit (its BFD survives its control plane restarting), from its last packet. */
  readonly remoteControlPlaneIndependent: boolean;
  readonly multihop: boolean;
  /** Our periodic interval in use (before jitter), undefined while we send nothing. */
  readonly transmitIntervalMs?: number;
  /** How long without a packet from the peer means Down, once the peer has spoken. */
  readonly detectionTimeMs?: number;
  /** Milliseconds since Up, 0 when not Up. */
  readonly uptimeMs: number;
  /** Why BGP waits for BFD (held in Idle), undefined when it does not. */
  readonly bgpHeld?: string;
  readonly counters: {
    readonly packetsIn: number;
    readonly packetsOut: number;
    readonly dropped: Readonly<Record<BfdDropReason, number>>;
    readonly stateChanges: number;
  };
}

export interface SpeakerBfdDeps {
  readonly clock: Clock;
  readonly random: () => number;
  readonly options: SpeakerBfdOptions;
  readonly emit: (event: PeerBfdEvent) => void;
}

interface Link {
  readonly session: PeerSession;
  handle: BfdPeerSession;
  settings: PeerBfdSettings;
  localAddress: string | undefined;
  /** Clock time of the last Up, undefined while not Up. */
  upAt: number | undefined;
  /** Until the first Up: releases BGP when BFD takes too long. */
  firstWait: TimerHandle | undefined;
  /** While the session being replaced says AdminDown; the new one then opens with `settings`. */
  replacing: Promise<void> | undefined;
}

const sameSession = (a: PeerBfdSettings, b: PeerBfdSettings): boolean => a.passive === b.passive && a.multihop === b.multihop && a.minimumTtl === b.minimumTtl;
const timersOf = (s: PeerBfdSettings) => ({ desiredMinTxUs: s.desiredMinTxUs, requiredMinRxUs: s.requiredMinRxUs, detectMultiplier: s.detectMultiplier });

export class SpeakerBfd {
  private manager: BfdManager | undefined;
  private readonly links = new Map<string, Link>();

  constructor(private readonly deps: SpeakerBfdDeps) {}

  /**
   * Starts BFD for a peer about to start (settings from peerBfdSettings). With `waitForFirstUp`
   * its BGP is held until BFD is Up or the first wait is over. Throws BfdTransportError when a
   * socket is refused (nothing is left behind then).
   */
  add(session: PeerSession, settings: PeerBfdSettings, options: { readonly waitForFirstUp: boolean }): void {
    const localAddress = session.peer.sourceAddress;
    const handle = this.open(session.address, settings, localAddress);
    const link: Link = { session, handle, settings, localAddress, upAt: undefined, firstWait: undefined, replacing: undefined };
    this.links.set(session.address, link);
    if (!options.waitForFirstUp) return;
    session.holdForBfd(`waiting for BFD to come Up (at most ${(settings.detectMultiplier * BFD_SLOW_TX_US) / 1000} ms)`);
    this.holdAtMost(link, 'waiting for BFD to come Up');
  }

  /**
   * BGP stays held until BFD is Up, or at most the Detection Time at the slow rate (detect mult x
   * 1 s): then it may try again. A peer whose BFD session follows its BGP session (FRR's dynamic
   * neighbours delete both when BGP goes) speaks BFD again only once BGP is back, so a hold with
   * no end would never end; and while the path is really down, BGP's own connect fails anyway.
   */
  private holdAtMost(link: Link, why: string): void {
    const waitMs = (link.settings.detectMultiplier * BFD_SLOW_TX_US) / 1000;
    link.firstWait?.cancel();
    const { session } = link;
    link.firstWait = this.deps.clock.setTimeout(() => {
      link.firstWait = undefined;
      if (this.links.get(session.address) !== link || link.upAt !== undefined) return;
      this.deps.options.log?.({ level: 'info', msg: `bfd ${session.address}: ${why} and not Up after ${waitMs} ms; BGP may start again`, peerAddress: session.address });
      session.releaseForBfd();
    }, waitMs);
  }

  /**
   * New BFD settings for a peer that has a session: timers change in place (a Poll Sequence,
   * the session stays Up), other changes replace the BFD session (the old one says AdminDown
   * for a Detection Time first, so the peer does not see a failure), undefined removes it. BGP
   * is not reset; a BGP session held for BFD stays held until the new BFD session is Up, or is
   * released when BFD is removed.
   */
  change(session: PeerSession, settings: PeerBfdSettings | undefined): void {
    const link = this.links.get(session.address);
    if (settings === undefined) {
      this.remove(session.address);
      session.releaseForBfd();
      return;
    }
    if (link === undefined) {
      this.add(session, settings, { waitForFirstUp: false });
      return;
    }
    if (link.replacing === undefined && sameSession(link.settings, settings)) {
      link.handle.setTimers(timersOf(settings));
      link.settings = settings;
      return;
    }
    link.settings = settings;
    if (link.replacing !== undefined) return;
    link.replacing = link.handle.remove().then(() => {
      link.replacing = undefined;
      if (this.links.get(session.address) !== link) return;
      link.upAt = undefined;
      try {
        link.handle = this.open(session.address, link.settings, link.localAddress);
      } catch (error) {
        // Logged once; the peer runs without BFD rather than with a BFD session that is not there.
        this.deps.options.log?.({ level: 'warn', msg: `bfd ${session.address}: the replacing session was refused, BFD is off for this peer: ${String(error)}`, peerAddress: session.address, error });
        this.links.delete(session.address);
        link.firstWait?.cancel();
        session.releaseForBfd();
      }
    });
  }

  /** The peer is gone: its BFD session says AdminDown for a Detection Time, then closes. */
  remove(address: string): void {
    const link = this.links.get(address);
    if (link === undefined) return;
    this.links.delete(address);
    link.firstWait?.cancel();
    void link.handle.remove();
  }

  /** Datagrams dropped before any session saw them (not BFD, or for no session of ours); undefined before any peer asked for BFD. */
  counters(): BfdManagerCounters | undefined {
    return this.manager?.counters();
  }

  status(address: string): PeerBfdStatus | undefined {
    const link = this.links.get(address);
    if (link === undefined) return undefined;
    const s = link.handle.status();
    const held = link.session.heldForBfd;
    return {
      state: s.state,
      diag: s.localDiag,
      diagName: bfdDiagName(s.localDiag),
      localDiscriminator: s.localDiscriminator,
      ...(s.remoteDiscriminator === 0 ? {} : { remoteDiscriminator: s.remoteDiscriminator }),
      remoteControlPlaneIndependent: s.remoteControlPlaneIndependent,
      multihop: s.multihop,
      ...(s.transmitIntervalUs === undefined ? {} : { transmitIntervalMs: s.transmitIntervalUs / 1000 }),
      ...(s.detectionTimeUs === undefined ? {} : { detectionTimeMs: s.detectionTimeUs / 1000 }),
      uptimeMs: link.upAt === undefined ? 0 : this.deps.clock.now() - link.upAt,
      ...(held === undefined ? {} : { bgpHeld: held }),
      counters: { packetsIn: s.counters.packetsIn, packetsOut: s.counters.packetsOut, dropped: s.counters.dropped, stateChanges: s.counters.stateTransitions },
    };
  }

  /** Every BFD session says AdminDown (so peers do not take our going away for a path failure), then the sockets close. */
  async stop(): Promise<void> {
    for (const link of this.links.values()) link.firstWait?.cancel();
    this.links.clear();
    await this.manager?.stop({ adminDown: true });
  }

  private open(address: string, settings: PeerBfdSettings, localAddress: string | undefined): BfdPeerSession {
    return this.managerOf().add(address, {
      ...timersOf(settings),
      passive: settings.passive,
      multihop: settings.multihop,
      ...(settings.minimumTtl === undefined ? {} : { minimumTtl: settings.minimumTtl }),
      ...(localAddress === undefined ? {} : { localAddress }),
    });
  }

  private managerOf(): BfdManager {
    if (this.manager) return this.manager;
    const { clock, random, options } = this.deps;
    const manager = new BfdManager({ clock, random, ...(options.sockets ? { sockets: options.sockets } : {}), ...(options.log ? { log: options.log } : {}) });
    manager.on('stateChange', (event) => this.changed(event));
    this.manager = manager;
    return manager;
  }

  private changed(event: BfdSessionEvent): void {
    const link = [...this.links.values()].find((l) => l.handle === event.session);
    if (link === undefined) return; // a session being removed or replaced
    const { session } = link;
    const status = event.session.status();
    const remoteAdminDown = event.from === 'Up' && status.remoteState === 'AdminDown';
    if (event.to === 'Up') {
      link.upAt = this.deps.clock.now();
      link.firstWait?.cancel();
      link.firstWait = undefined;
    } else if (event.from === 'Up') {
      link.upAt = undefined;
    }
    this.deps.emit({ type: 'bfd', peer: session.address, from: event.from, to: event.to, diag: event.diag, diagName: event.diagName, remoteAdminDown });
    if (event.to === 'Up') session.releaseForBfd();
    // Our own AdminDown (a session being replaced) is no failure either.
    else if (event.from === 'Up' && event.to === 'Down' && !remoteAdminDown) {
      session.bfdDown(`BFD Down: ${event.diagName}`, { abortGracefulRestart: status.remoteControlPlaneIndependent });
      this.holdAtMost(link, 'BFD went Down');
    }
  }
}
