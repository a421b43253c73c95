// BFD sessions on real sockets: each BfdSession is wired to a transport endpoint (its packets out)
// and to the demultiplexer (packets in), on an injected clock. What a BGP speaker holds.
//
// Events (on the manager, each naming the session): 'stateChange' for every transition, 'up' on
// reaching Up, 'down' on leaving Up with the diagnostic. `remoteAdminDown` on a 'down' says the
// peer signalled AdminDown: RFC 5882 §3.2 asks clients not to treat that as a path failure.

import { EventEmitter } from 'node:events';
import { systemClock, type Clock } from '../session/clock.js';
import { serializeControl } from './codec.js';
import type { BfdTimerSettings } from './config.js';
import type { BfdWireReason } from './errors.js';
import { BfdDemux, type BfdDemuxDropReason } from './demux.js';
import { nativeBfdSockets } from './native-socket.js';
import { BfdSession, type BfdCounters, type BfdSessionStatus, type BfdStateChange } from './session.js';
import { BfdTransport, type BfdEndpoint, type BfdSocketFactory, type BfdTransportCounters } from './transport.js';
import { BfdDiag, BFD_SLOW_TX_US } from './types.js';

export interface BfdPeerOptions extends Partial<BfdTimerSettings> {
  /** Our address on the session: source of our packets, and the listener's address. */
  readonly localAddress?: string;
  /** RFC 5883 (port 4784, minimumTtl) instead of RFC 5881 (port 3784, TTL 255). */
  readonly multihop?: boolean;
  readonly passive?: boolean;
  /** Multihop only: the lowest TTL / hop limit accepted (default 254, one hop). */
  readonly minimumTtl?: number;
  /** Normally picked at random (§6.8.1); fixed ones are for tests and interop labs. */
  readonly localDiscriminator?: number;
}

export interface BfdRemoveOptions {
  /**
   * §6.8.16: go AdminDown (diag 7) first and keep sending that for the peer's Detection Time, so
   * it sees an administrative Down rather than a failure. Default true for remove, false for stop.
   */
  readonly adminDown?: boolean;
}

export interface BfdSessionEvent extends BfdStateChange {
  readonly session: BfdPeerSession;
  readonly peerAddress: string;
  readonly localAddress: string | undefined;
  readonly multihop: boolean;
}

export interface BfdDownEvent extends BfdSessionEvent {
  /** The peer said AdminDown: an administrative Down, not a forwarding failure (RFC 5882 §3.2). */
  readonly remoteAdminDown: boolean;
}

export interface BfdManagerLogEntry {
  readonly level: 'debug' | 'info' | 'warn';
  readonly msg: string;
  readonly peerAddress?: string;
  readonly error?: unknown;
}

export interface BfdManagerEvents {
  stateChange: [BfdSessionEvent];
  up: [BfdSessionEvent];
  down: [BfdDownEvent];
}

export interface BfdManagerOptions {
  /** Default systemClock. */
  readonly clock?: Clock;
  /** [0, 1) for jitter, discriminators and source ports; default Math.random. */
  readonly random?: () => number;
  /** Default nativeBfdSockets (@headland/native, Linux). */
  readonly sockets?: BfdSocketFactory;
  readonly log?: (entry: BfdManagerLogEntry) => void;
}

export interface BfdManagerCounters {
  readonly sessions: number;
  readonly transport: BfdTransportCounters;
  /** Datagrams that were no valid Control packet, by reason. */
  readonly malformed: Readonly<Record<BfdWireReason, number>>;
  /** Valid packets for no session of ours. */
  readonly unmatched: Readonly<Record<BfdDemuxDropReason, number>>;
}

/** One session as the manager runs it; obtained from add(). */
export interface BfdPeerSession {
  readonly peerAddress: string;
  readonly localAddress: string | undefined;
  readonly multihop: boolean;
  readonly localDiscriminator: number;
  readonly sourcePort: number;
  readonly state: BfdSessionStatus['state'];
  readonly counters: BfdCounters;
  status(): BfdSessionStatus;
  /**
   * New timers on the running session (checked: throws BfdConfigError); interval changes run a
   * Poll Sequence (RFC 5880 §6.8.3), so the session stays Up with the same discriminators.
   */
  setTimers(timers: Partial<BfdTimerSettings>): void;
  /** Same as manager.remove(this, options). */
  remove(options?: BfdRemoveOptions): Promise<void>;
}

interface Entry {
  readonly key: string;
  readonly session: BfdSession;
  readonly endpoint: BfdEndpoint;
  readonly handle: BfdPeerSession;
  /** Set while lingering in AdminDown after a graceful remove: finishes it now. */
  finish?: () => void;
  done?: Promise<void>;
}

const entryKey = (session: BfdSession): string => `${session.multihop ? 'multihop' : 'single-hop'} ${session.peerAddress} from ${session.localAddress ?? 'any'}`;

export class BfdManager extends EventEmitter<BfdManagerEvents> {
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly demux = new BfdDemux<BfdSession>();
  private readonly transport: BfdTransport;
  private readonly entries = new Map<string, Entry>();
  /** Sessions lingering in AdminDown, no longer listed but still sending. */
  private readonly leaving = new Set<Entry>();
  private stopped = false;

  constructor(private readonly options: BfdManagerOptions = {}) {
    super();
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? Math.random;
    this.transport = new BfdTransport({
      sockets: options.sockets ?? nativeBfdSockets,
      random: this.random,
      deliver: (datagram, meta) => this.demux.deliver(datagram, meta),
      log: (entry) => options.log?.(entry),
    });
  }

  /**
   * Starts a session with `peer`. Throws BfdConfigError for bad settings or a session that
   * exists (same peer, local address and hop mode), BfdTransportError when a socket is refused.
   */
  add(peer: string, options: BfdPeerOptions = {}): BfdPeerSession {
    if (this.stopped) throw new Error('bfd manager: stopped');
    const { localDiscriminator, ...config } = options;
    let endpoint: BfdEndpoint | undefined;
    let entry: Entry | undefined;
    const session: BfdSession = new BfdSession({
      config: { ...config, peerAddress: peer, localDiscriminator: localDiscriminator ?? this.demux.allocateDiscriminator(this.random) },
      clock: this.clock,
      random: this.random,
      send: (packet) => endpoint?.send(serializeControl(packet)),
      stateChange: (change) => this.changed(entry, change),
      log: (e) => this.options.log?.({ level: e.level, msg: `bfd ${session.peerAddress}: ${e.msg}`, peerAddress: session.peerAddress }),
    });
    const key = entryKey(session);
    // Re-adding a session that is still saying AdminDown: that goodbye ends now.
    for (const old of this.leaving) if (old.key === key) old.finish?.();
    this.demux.add(session);
    try {
      endpoint = this.transport.open({ peerAddress: session.peerAddress, localAddress: session.localAddress, multihop: session.multihop });
    } catch (error) {
      this.demux.remove(session);
      throw error;
    }
    const opened = endpoint;
    const handle: BfdPeerSession = {
      peerAddress: session.peerAddress,
      localAddress: session.localAddress,
      multihop: session.multihop,
      localDiscriminator: session.localDiscriminator,
      sourcePort: opened.sourcePort,
      get state() {
        return session.state;
      },
      get counters() {
        return session.counters;
      },
      status: () => session.status(),
      setTimers: (timers) => session.setTimers(timers),
      remove: (removeOptions) => this.remove(handle, removeOptions),
    };
    entry = { key, session, endpoint: opened, handle };
    this.entries.set(key, entry);
    this.options.log?.({ level: 'info', msg: `bfd ${key}: added, source port ${opened.sourcePort}, discriminator ${session.localDiscriminator}`, peerAddress: session.peerAddress });
    session.start();
    return handle;
  }

  /** The sessions added and not removed. */
  sessions(): BfdPeerSession[] {
    return [...this.entries.values()].map((e) => e.handle);
  }

  /**
   * Ends a session. With adminDown (the default) it first goes AdminDown and keeps telling the
   * peer for the peer's Detection Time of us (our Detect Mult x our transmit interval), on the
   * clock; the promise settles when its socket is closed. A session the peer never answered
   * (no remote discriminator) is closed at once.
   */
  remove(handle: BfdPeerSession, options: BfdRemoveOptions = {}): Promise<void> {
    const entry = [...this.entries.values()].find((e) => e.handle === handle) ?? [...this.leaving].find((e) => e.handle === handle);
    if (entry === undefined) return Promise.resolve();
    if (entry.done) return entry.done;
    this.entries.delete(entry.key);
    const status = entry.session.status();
    if (options.adminDown === false || status.remoteDiscriminator === 0 || status.state === 'AdminDown') {
      this.close(entry);
      return Promise.resolve();
    }
    const lingerMs = (status.detectMultiplier * (status.transmitIntervalUs ?? BFD_SLOW_TX_US)) / 1000;
    entry.session.adminDown(BfdDiag.administrativelyDown);
    this.leaving.add(entry);
    entry.done = new Promise<void>((resolve) => {
      const timer = this.clock.setTimeout(() => entry.finish?.(), lingerMs);
      entry.finish = () => {
        timer.cancel();
        this.leaving.delete(entry);
        this.close(entry);
        resolve();
      };
    });
    return entry.done;
  }

  /**
   * Ends every session and closes the sockets. Without adminDown (the default) they just stop, as
   * when the process dies: peers detect it (diag 1). With it, each says AdminDown first.
   */
  async stop(options: BfdRemoveOptions = {}): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    const adminDown = options.adminDown ?? false;
    await Promise.all([...this.entries.values()].map((e) => this.remove(e.handle, { adminDown })));
    for (const entry of [...this.leaving]) if (!adminDown) entry.finish?.();
    await Promise.all([...this.leaving].map((e) => e.done));
    this.transport.close();
  }

  counters(): BfdManagerCounters {
    return { sessions: this.entries.size, transport: this.transport.counters, malformed: this.demux.malformed, unmatched: this.demux.dropped };
  }

  private close(entry: Entry): void {
    entry.session.stop();
    this.demux.remove(entry.session);
    entry.endpoint.close();
    this.options.log?.({ level: 'info', msg: `bfd ${entry.key}: removed`, peerAddress: entry.session.peerAddress });
  }

  private changed(entry: Entry | undefined, change: BfdStateChange): void {
    if (entry === undefined) return;
    const { session, handle } = entry;
    const event: BfdSessionEvent = { ...change, session: handle, peerAddress: session.peerAddress, localAddress: session.localAddress, multihop: session.multihop };
    // A listener's exception must not leave the session half way through its commands.
    try {
      this.emit('stateChange', event);
      if (change.to === 'Up') this.emit('up', event);
      if (change.from === 'Up') this.emit('down', { ...event, remoteAdminDown: session.status().remoteState === 'AdminDown' });
    } catch (error) {
      this.options.log?.({ level: 'warn', msg: `bfd ${entry.key}: a listener of ${change.from} -> ${change.to} threw: ${String(error)}`, peerAddress: session.peerAddress, error });
    }
  }
}
