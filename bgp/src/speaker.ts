// The library's front door: a BGP speaker with peers, a table of routes to announce to them,
// and events/counters. Everything per session lives in PeerSession; this keeps the shared state.

import { EventEmitter } from 'node:events';
import type * as net from 'node:net';
import { CeaseSubcode } from './wire/errors.js';
import { formatPrefix, parsePrefix, type Prefix } from './wire/nlri.js';
import { BgpConfigError, isAsNumber, type PeerAsSpec } from './fsm/config.js';
import type { FsmLogEntry } from './fsm/fsm.js';
import type { State } from './fsm/types.js';
import { systemClock, type Clock } from './session/clock.js';
import type { SocketOptionsHook } from './session/connection.js';
import { Listener, parseRange, prefixContains } from './session/listener.js';
import { peerBfdSettings, socketSecurity, type PeerBfdConfig, type PeerConfig } from './session/peer-config.js';
import { PeerSession, type PeerCounters, type PeerEvent } from './session/peer-session.js';
import { checkRoute, type RouteAttributes } from './session/route.js';
import type { ReceivedRoute } from './rib/adj-rib-in.js';
import { attributesFor, changeFor, SpeakerRoutes, type PrefixRoutes } from './rib/speaker-routes.js';
import { SpeakerBfd, type PeerBfdEvent, type PeerBfdStatus, type SpeakerBfdOptions } from './speaker-bfd.js';
import type { BfdManagerCounters } from './bfd/manager.js';

export type { PeerBfdEvent, PeerBfdStatus, SpeakerBfdOptions } from './speaker-bfd.js';

export interface DynamicNeighbors {
  /** Accept a connection from any address in this prefix, e.g. "198.18.0.0/24". */
  readonly range: string;
  readonly peerAs: PeerAsSpec;
  /** Settings for the peers created from this range (always passive). */
  readonly template?: Omit<PeerConfig, 'address' | 'peerAs' | 'passive'>;
}

export interface SpeakerOptions {
  readonly localAs: number;
  readonly routerId: string;
  /** Where to accept connections; omit for a speaker that only connects out. */
  readonly listen?: { readonly address: string; readonly port?: number };
  readonly dynamicNeighbors?: readonly DynamicNeighbors[];
  readonly clock?: Clock;
  readonly random?: () => number;
  readonly socketOptions?: SocketOptionsHook;
  readonly serverOptions?: (server: net.Server) => void;
  readonly log?: (entry: FsmLogEntry & { peer: string }) => void;
  /**
   * This process follows a graceful stop (`stop({ graceful: true })`) of the previous one: OPENs
   * carry the RFC 4724 R bit until each peer's session is Established again.
   */
  readonly restarted?: boolean;
  /** For peers with `bfd`: the UDP sockets (default @headland/native's) and a log. */
  readonly bfd?: SpeakerBfdOptions;
}

export interface StopOptions {
  /**
   * Restart, not shutdown (RFC 4724): peers that agreed graceful restart keep our routes, so
   * nothing is withdrawn and no flushing NOTIFICATION is sent. Other peers get withdrawals and Cease.
   */
  readonly graceful?: boolean;
}

export interface StopReport {
  /** Peers that will keep our routes while we restart. */
  readonly retainedBy: readonly string[];
}

export interface PeerStatus {
  readonly address: string;
  readonly state: State;
  readonly dynamic: boolean;
  readonly counters: PeerCounters;
  /** Milliseconds since Established, 0 when not. */
  readonly uptimeMs: number;
  /** Present for a peer with BFD. */
  readonly bfd?: PeerBfdStatus;
}

export interface SpeakerEvents {
  state: [Extract<PeerEvent, { type: 'state' }>];
  'update-received': [Extract<PeerEvent, { type: 'update-received' }>];
  error: [Extract<PeerEvent, { type: 'error' }>];
  'graceful-restart': [Extract<PeerEvent, { type: 'graceful-restart' }>];
  /** A peer's BFD session changed state (see speaker-bfd.ts for what it does to BGP). */
  bfd: [PeerBfdEvent];
}

export class BgpSpeaker extends EventEmitter<SpeakerEvents> {
  private readonly sessions = new Map<string, PeerSession>();
  private readonly dynamic = new Set<string>();
  /** Removed or reset peers whose old connection the peer has not closed yet, by address. */
  private readonly closing = new Map<string, Promise<void>>();
  private stopped = false;
  private readonly routes = new SpeakerRoutes();
  private listener: Listener | undefined;
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly bfd: SpeakerBfd;

  constructor(private readonly options: SpeakerOptions) {
    super();
    if (!isAsNumber(options.localAs)) throw new BgpConfigError(`speaker: localAs ${String(options.localAs)} is not an AS number`);
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? Math.random;
    for (const d of options.dynamicNeighbors ?? []) {
      parseRange(d.range);
      socketSecurity({ ...d.template, address: d.range });
      peerBfdSettings({ ...d.template, address: d.range });
    }
    this.bfd = new SpeakerBfd({ clock: this.clock, random: this.random, options: options.bfd ?? {}, emit: (event) => this.emit('bfd', event) });
  }

  /** Binds the listener (if configured). Peers can be added before or after. */
  async start(): Promise<void> {
    const listen = this.options.listen;
    if (!listen || this.listener) return;
    this.listener = await Listener.open({
      address: listen.address,
      port: listen.port ?? 179,
      accept: (socket, remote) => this.accept(socket, remote),
      ...(this.options.serverOptions ? { serverOptions: this.options.serverOptions } : {}),
    });
    try {
      // TCP MD5: the kernel answers a peer's signed SYN only if the listener holds its key.
      for (const d of this.options.dynamicNeighbors ?? []) {
        const range = parseRange(d.range);
        if (d.template?.password !== undefined) this.listener.setMd5Key(range.address, d.template.password, range.length);
        if (socketSecurity({ ...d.template, address: d.range })?.ttl !== undefined) this.listener.setTtl(255);
      }
      for (const session of this.sessions.values()) {
        if (session.security?.password !== undefined) this.listenerKey(session.address, session.security.password);
        if (session.security?.ttl !== undefined) this.listener.setTtl(255);
      }
    } catch (error) {
      await this.listener.close();
      this.listener = undefined;
      throw error;
    }
  }

  /** Sets (password) or removes (undefined) the MD5 key for one peer address on the listener, if listening. */
  private listenerKey(address: string, password: string | undefined): void {
    this.listener?.setMd5Key(address, password);
  }

  /** The port actually bound (useful with port 0). */
  get listenPort(): number {
    return this.listener?.port ?? 0;
  }

  /**
   * Adds a peer and starts its session. With `bfd`, a BFD session to the peer's address (from its
   * sourceAddress, when set) starts too, and BGP waits for it to come Up: see speaker-bfd.ts.
   * Throws BgpConfigError for bad settings, BfdTransportError when BFD cannot open its sockets.
   */
  addPeer(config: PeerConfig): PeerSession {
    return this.add(config, false);
  }

  private add(config: PeerConfig, dynamic: boolean): PeerSession {
    if (typeof config?.address !== 'string' || !/^[0-9a-fA-F:.]+$/.test(config.address)) {
      throw new BgpConfigError(`speaker: peer address ${String(config?.address)} is not an IP address`);
    }
    if (this.sessions.has(config.address)) throw new BgpConfigError(`speaker: peer ${config.address} already exists`);
    const bfd = peerBfdSettings(config);
    const session = new PeerSession(config, {
      localAs: this.options.localAs,
      routerId: this.options.routerId,
      clock: this.clock,
      random: this.random,
      ...(this.options.socketOptions ? { socketOptions: this.options.socketOptions } : {}),
      ...(this.options.log ? { log: this.options.log } : {}),
      emit: (event) => this.forward(event),
      routes: () => this.routesFor(config.address),
      ...(this.options.restarted === true ? { restarting: true } : {}),
    });
    // A dynamic neighbour has connected already: it is not kept waiting for BFD.
    if (bfd !== undefined) this.bfd.add(session, bfd, { waitForFirstUp: !dynamic });
    if (dynamic) this.dynamic.add(config.address);
    if (session.security?.password !== undefined) this.listenerKey(config.address, session.security.password);
    // A GTSM or multihop peer that connects to us gets our SYN-ACK before its socket exists:
    // the listener sends 255, the most any peer's TTL or GTSM check can ask for.
    if (session.security?.ttl !== undefined) this.listener?.setTtl(255);
    this.sessions.set(config.address, session);
    this.startAfterClose(session);
    return session;
  }

  /**
   * Starts a session, but an active one only once the peer has closed the connection of the
   * session this one replaces. Connecting at once races the peer's reading of our NOTIFICATION:
   * FRR then accepted the new connection for the old (dynamic) neighbour, deleted that neighbour
   * on reading the Cease, and went on running a session it no longer listed or managed.
   */
  private startAfterClose(session: PeerSession): void {
    const before = this.closing.get(session.address);
    if (before === undefined || session.config.passive) {
      session.start();
      return;
    }
    void before.then(() => {
      if (!this.stopped && this.sessions.get(session.address) === session) session.start();
    });
  }

  /** Stops a session and remembers, until they are closed, that its sockets are still open. */
  private stopSession(session: PeerSession, ceaseSubcode: number): void {
    session.stop(ceaseSubcode);
    const closed = session.closed();
    this.closing.set(session.address, closed);
    void closed.then(() => {
      if (this.closing.get(session.address) === closed) this.closing.delete(session.address);
    });
  }

  /** Closes the session with Cease "peer de-configured" and forgets the peer. */
  removePeer(address: string, ceaseSubcode: number = CeaseSubcode.peerDeconfigured): void {
    const session = this.sessions.get(address);
    if (!session) throw new BgpConfigError(`speaker: no peer ${address}`);
    this.stopSession(session, ceaseSubcode);
    this.sessions.delete(address);
    this.dynamic.delete(address);
    this.bfd.remove(address);
    if (session.security?.password !== undefined) this.listenerKey(address, undefined);
  }

  /**
   * Turns BFD on, changes it, or turns it off (undefined) for a peer, without resetting its BGP
   * session: new timers go to the running BFD session (a Poll Sequence), other changes replace
   * it (the old one says AdminDown first), and off releases a BGP session BFD was holding.
   */
  setPeerBfd(address: string, bfd: PeerBfdConfig | undefined): void {
    const session = this.sessions.get(address);
    if (!session) throw new BgpConfigError(`speaker: no peer ${address}`);
    const { bfd: _old, ...peer } = session.peer;
    this.bfd.change(session, peerBfdSettings(bfd === undefined ? peer : { ...peer, bfd }));
  }

  /** Drops and re-establishes the session (Cease "administrative reset"). */
  resetPeer(address: string): void {
    const session = this.sessions.get(address);
    if (!session) throw new BgpConfigError(`speaker: no peer ${address}`);
    this.stopSession(session, CeaseSubcode.administrativeReset);
    this.startAfterClose(session);
  }

  /**
   * Announces a prefix with one set of attributes to every peer, or only to the peers listed
   * (addresses; peers not listed lose it if they had it). Replaces whatever the prefix had.
   */
  announce(prefixText: string, attributes: RouteAttributes = {}, peers?: readonly string[]): void {
    const prefix = this.prefix(prefixText);
    checkRoute(prefix, attributes);
    if (peers === undefined) {
      this.replace({ prefix, toAll: attributes });
      return;
    }
    if (!Array.isArray(peers)) throw new BgpConfigError(`speaker: peers for ${prefixText} must be a list of addresses`);
    for (const address of peers) this.checkAddress(address, prefixText);
    this.replace({ prefix, byPeer: new Map(peers.map((address) => [address, attributes])) });
  }

  /**
   * Announces a prefix to the listed peers (addresses), each with its own attributes: peers not
   * listed never get it (and lose it if they had it), and an empty list withdraws it.
   * Replaces whatever the prefix had.
   */
  announceEach(prefixText: string, byPeer: ReadonlyMap<string, RouteAttributes> | Readonly<Record<string, RouteAttributes>>): void {
    const prefix = this.prefix(prefixText);
    if (typeof byPeer !== 'object' || byPeer === null) throw new BgpConfigError(`speaker: attributes per peer for ${prefixText} must be a Map or an object`);
    const entries = byPeer instanceof Map ? [...byPeer] : Object.entries(byPeer);
    for (const [address, attributes] of entries) {
      this.checkAddress(address, prefixText);
      checkRoute(prefix, attributes);
    }
    if (entries.length === 0) this.withdraw(prefixText);
    else this.replace({ prefix, byPeer: new Map(entries) });
  }

  withdraw(prefixText: string): void {
    const prefix = this.prefix(prefixText);
    const before = this.routes.set(formatPrefix(prefix), undefined);
    if (before) this.tell(before, undefined);
  }

  /** The attributes the peer at `address` is to have for a prefix; undefined when it is not to have it. */
  announcedTo(prefixText: string, address: string): RouteAttributes | undefined {
    return attributesFor(this.routes.get(formatPrefix(this.prefix(prefixText))), address);
  }

  peer(address: string): PeerSession | undefined {
    return this.sessions.get(address);
  }

  status(): PeerStatus[] {
    const now = this.clock.now();
    return [...this.sessions.values()].map((s) => ({
      address: s.address,
      state: s.state,
      dynamic: this.dynamic.has(s.address),
      counters: s.counters,
      uptimeMs: s.counters.establishedAt === undefined ? 0 : now - s.counters.establishedAt,
      ...this.bfdStatusOf(s.address),
    }));
  }

  /** BFD datagrams dropped before reaching a peer's session: malformed (by codec reason) and unmatched; undefined without BFD. */
  bfdCounters(): BfdManagerCounters | undefined {
    return this.bfd.counters();
  }

  private bfdStatusOf(address: string): { bfd?: PeerBfdStatus } {
    const bfd = this.bfd.status(address);
    return bfd === undefined ? {} : { bfd };
  }

  received(address: string): ReceivedRoute[] {
    return this.sessions.get(address)?.ribIn.routes() ?? [];
  }

  /**
   * Shutdown: every route is withdrawn, then Cease "administrative shutdown" (a Hard Reset where
   * the N bit was agreed) goes to every peer, then the listener closes. With `graceful`, a restart:
   * see StopOptions.
   */
  async stop(options: StopOptions = {}): Promise<StopReport> {
    this.stopped = true;
    // BFD says AdminDown to every peer first (RFC 5882 §3.2: no path failure), so a graceful
    // restart is not cut short by the peer's BFD, and its events no longer touch the sessions.
    const bfdStopped = this.bfd.stop();
    const retainedBy: string[] = [];
    for (const session of this.sessions.values()) {
      if (options.graceful === true && session.gracefulRestartAgreed) {
        session.stopGracefully();
        retainedBy.push(session.address);
        continue;
      }
      session.withdrawAll();
      session.stop(CeaseSubcode.administrativeShutdown);
    }
    await this.listener?.close();
    this.listener = undefined;
    await bfdStopped;
    return { retainedBy };
  }

  private prefix(text: string): Prefix {
    if (typeof text !== 'string') throw new BgpConfigError(`speaker: prefix ${String(text)} is not text`);
    try {
      return parsePrefix(text);
    } catch {
      throw new BgpConfigError(`speaker: "${text}" is not a prefix like 203.0.113.1/32`);
    }
  }

  private checkAddress(address: unknown, prefixText: string): void {
    if (typeof address !== 'string' || !/^[0-9a-fA-F:.]+$/.test(address)) {
      throw new BgpConfigError(`speaker: peer address ${String(address)} for ${prefixText} is not an IP address`);
    }
  }

  private replace(after: PrefixRoutes): void {
    const before = this.routes.set(formatPrefix(after.prefix), after);
    this.tell(before, after);
  }

  /** Tells each session what the change of one prefix means for it. */
  private tell(before: PrefixRoutes | undefined, after: PrefixRoutes | undefined): void {
    const prefix = (after ?? before)?.prefix;
    if (prefix === undefined) return;
    for (const session of this.sessions.values()) {
      const change = changeFor(before, after, session.address);
      if (change?.op === 'announce') session.announce(prefix, change.attributes);
      else if (change?.op === 'withdraw') session.withdraw(prefix);
    }
  }

  private routesFor(address: string): Iterable<readonly [Prefix, RouteAttributes]> {
    return this.routes.routesFor(address);
  }

  private accept(socket: net.Socket, remote: string): boolean {
    const configured = this.sessions.get(remote);
    if (configured) return configured.acceptIncoming(socket);
    const range = this.options.dynamicNeighbors?.find((d) => prefixContains(parseRange(d.range), remote));
    if (!range) return false;
    const session = this.add({ ...range.template, address: remote, peerAs: range.peerAs, passive: true }, true);
    return session.acceptIncoming(socket);
  }

  private forward(event: PeerEvent): void {
    switch (event.type) {
      case 'state':
        // A dynamic neighbour exists only while its session does.
        if (event.to === 'Idle' && this.dynamic.has(event.peer)) {
          const session = this.sessions.get(event.peer);
          session?.stop(CeaseSubcode.peerDeconfigured);
          this.sessions.delete(event.peer);
          this.dynamic.delete(event.peer);
          this.bfd.remove(event.peer);
        }
        this.emit('state', event);
        return;
      case 'update-received':
        this.emit('update-received', event);
        return;
      case 'graceful-restart':
        this.emit('graceful-restart', event);
        return;
      case 'error':
        // 'error' on an EventEmitter throws when nobody listens; a peer's mistake must not.
        if (this.listenerCount('error') > 0) this.emit('error', event);
    }
  }
}
