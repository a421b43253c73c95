// One configured peer: its connection(s) and FSM(s), §6.8 collision between an outgoing and
// an incoming connection, and the session's life cycle; the routes each way (peer-routes-out,
// peer-routes-in) and the counters and events (peer-counters) follow that life cycle.

import type * as net from 'node:net';
import { CeaseSubcode } from '../wire/errors.js';
import type { Prefix } from '../wire/nlri.js';
import { resolveSessionConfig, type SessionConfig } from '../fsm/config.js';
import { resolveCollision } from '../fsm/collision.js';
import type { FsmLogEntry } from '../fsm/fsm.js';
import type { Negotiated } from '../fsm/open-check.js';
import { States, type Command, type State } from '../fsm/types.js';
import { AdjRibIn } from '../rib/adj-rib-in.js';
import type { Clock } from './clock.js';
import { Connection, type SocketOptionsHook } from './connection.js';
import { socketSecurity, type PeerConfig, type SocketSecurity } from './peer-config.js';
import { newCounters, recordError, type PeerCounters, type PeerEvent } from './peer-counters.js';
import { PeerRoutesIn } from './peer-routes-in.js';
import { PeerRoutesOut } from './peer-routes-out.js';
import type { RouteAttributes } from './route.js';

export type { ErrorRecord, PeerCounters, PeerEvent } from './peer-counters.js';

export interface PeerDeps {
  readonly localAs: number;
  readonly routerId: string;
  readonly clock: Clock;
  readonly random: () => number;
  readonly socketOptions?: SocketOptionsHook;
  readonly log?: (entry: FsmLogEntry & { peer: string }) => void;
  readonly emit: (event: PeerEvent) => void;
  /** The speaker's routes meant for this peer. */
  readonly routes: () => Iterable<readonly [Prefix, RouteAttributes]>;
  /** This process restarted gracefully: the first OPEN carries the R bit (RFC 4724 §3). */
  readonly restarting?: boolean;
}

const rank = (state: State): number => States.indexOf(state);

export class PeerSession {
  readonly config: SessionConfig;
  /** TCP MD5 key and TTLs for this peer's sockets (undefined: plain Node sockets). */
  readonly security: SocketSecurity | undefined;
  readonly ribIn = new AdjRibIn();
  readonly counters: PeerCounters = newCounters();
  private readonly primary: Connection;
  /** The incoming connection of a collision, until §6.8 decides. */
  private secondary: Connection | undefined;
  /** Sockets of past secondaries still closing. */
  private readonly retired = new Set<Promise<void>>();
  private established: Connection | undefined;
  private reported: State = 'Idle';
  private stopped = true;
  /** Why BFD keeps the session in Idle (RFC 5882: back only with BFD Up); undefined while it may run. */
  private bfdHold: string | undefined;
  /** R bit for our OPENs, until a session after the restart is Established. */
  private restarting: boolean;
  private readonly routesIn: PeerRoutesIn;
  private readonly routesOut: PeerRoutesOut;

  constructor(
    readonly peer: PeerConfig,
    private readonly deps: PeerDeps,
  ) {
    this.security = socketSecurity(peer);
    this.config = resolveSessionConfig({ ...peer, localAs: peer.localAs ?? deps.localAs, routerId: deps.routerId });
    this.restarting = deps.restarting === true && this.config.gracefulRestart !== undefined;
    this.routesIn = new PeerRoutesIn({ address: peer.address, config: this.config, clock: deps.clock, ribIn: this.ribIn, counters: this.counters, emit: (event) => deps.emit(event) });
    this.routesOut = new PeerRoutesOut({
      localAs: this.config.localAs,
      nextHop: () => peer.nextHop,
      counters: this.counters,
      routes: () => deps.routes(),
      established: () => this.established,
      onError: (error) => this.onError('local', error),
    });
    this.primary = this.connection(this.config);
  }

  get state(): State {
    return this.reported;
  }

  get address(): string {
    return this.peer.address;
  }

  /** What the Established session agreed (capabilities, hold time, ...), undefined while down. */
  get negotiated(): Negotiated | undefined {
    return this.established?.fsm.negotiated;
  }

  start(): void {
    this.stopped = false;
    if (this.bfdHold !== undefined) return;
    this.primary.handle({ name: this.config.passive ? 'ManualStart_with_PassiveTcpEstablishment' : 'ManualStart' });
  }

  /** Why BFD holds the session in Idle, or undefined when it may run. */
  get heldForBfd(): string | undefined {
    return this.bfdHold;
  }

  /**
   * Keeps a session that is not running in Idle: start() only marks it wanted, incoming
   * connections are refused, nothing restarts it, until releaseForBfd(). A running session is
   * not touched (bfdDown() ends one).
   */
  holdForBfd(reason: string): void {
    this.bfdHold = reason;
  }

  /** BFD is Up (or no longer configured): the session may run, and starts now if it is wanted. */
  releaseForBfd(): void {
    if (this.bfdHold === undefined) return;
    this.bfdHold = undefined;
    if (!this.stopped && this.primary.fsm.state === 'Idle') this.start();
  }

  /**
   * BFD saw the forwarding path to the peer fail (RFC 5882: the BGP session is torn down): whatever runs ends now
   * with Cease / BFD Down (RFC 9384; a Hard Reset where the N bit was agreed), the sockets are
   * destroyed without waiting for the peer (the NOTIFICATION is left to the kernel to try), the
   * Adj-RIB-In is flushed (a local stop: no graceful-restart retention, graceful-restart.ts),
   * and the session stays in Idle until releaseForBfd(). `abortGracefulRestart` also drops the
   * stale routes of a restart already being helped through.
   */
  bfdDown(reason: string, options: { readonly abortGracefulRestart: boolean }): void {
    this.bfdHold = reason;
    if (this.established !== undefined) this.counters.sessionDownsByBfd += 1;
    if (options.abortGracefulRestart) this.routesIn.abortGracefulRestart(reason);
    const event = { name: 'AutomaticStop', ceaseSubcode: CeaseSubcode.bfdDown, reason } as const;
    for (const connection of [this.secondary, this.primary]) {
      connection?.handle(event);
      connection?.abandonClosing();
    }
  }

  /** Stale routes of a restarting peer are being kept (RFC 4724 helper). */
  get helpingRestart(): boolean {
    return this.routesIn.helpingRestart;
  }

  /**
   * Closes with NOTIFICATION Cease (RFC 4486 subcode; a Hard Reset where the N bit was agreed,
   * RFC 8538) where a session is up, and stays down. The peer's routes are dropped.
   */
  stop(ceaseSubcode: number = CeaseSubcode.administrativeShutdown, reason?: string): void {
    this.stopped = true;
    this.routesIn.cancel();
    const event = { name: 'ManualStop', ceaseSubcode, ...(reason === undefined ? {} : { reason }) } as const;
    this.secondary?.handle(event);
    this.primary.handle(event);
  }

  /** Resolves once the sockets this session dropped are closed at both ends (see Connection.drop). */
  closed(): Promise<void> {
    return Promise.all([this.primary.closed(), this.secondary?.closed(), ...this.retired]).then(() => undefined);
  }

  /** The Established session agreed graceful restart both ways: the peer would keep our routes. */
  get gracefulRestartAgreed(): boolean {
    return this.established !== undefined && this.routesIn.gracefulRestartAgreed;
  }

  /**
   * For a restart of this speaker (RFC 4724): the session closes without withdrawing and without
   * a NOTIFICATION that would make the peer flush our routes. Meant for gracefulRestartAgreed
   * sessions; any other just closes (quietly where no OPEN was exchanged).
   */
  stopGracefully(): void {
    this.stopped = true;
    this.routesIn.cancel();
    this.secondary?.handle({ name: 'GracefulStop' });
    this.primary.handle({ name: 'GracefulStop' });
  }

  /** Withdraws everything we sent, now (before a Cease, so the peer moves traffic first). */
  withdrawAll(): void {
    this.routesOut.withdrawAll();
  }

  /** An accepted TCP connection from this peer's address. Returns false when refused. */
  acceptIncoming(socket: net.Socket): boolean {
    const state = this.primary.fsm.state;
    if (this.stopped || this.bfdHold !== undefined || state === 'Idle' || state === 'Established' || this.secondary) return false;
    if (state === 'Active') {
      this.primary.adopt(socket);
      return true;
    }
    // Connect/OpenSent/OpenConfirm: our own connection may already be up at the peer, so
    // dropping it could kill both; a second FSM takes the incoming one and §6.8 picks later.
    const second = this.connection({ ...this.config, passive: true });
    this.secondary = second;
    second.handle({ name: 'ManualStart_with_PassiveTcpEstablishment' });
    second.adopt(socket);
    return true;
  }

  announce(prefix: Prefix, route: RouteAttributes): void {
    this.routesOut.announce(prefix, route);
  }

  withdraw(prefix: Prefix): void {
    this.routesOut.withdraw(prefix);
  }

  private connection(config: SessionConfig): Connection {
    const log = this.deps.log;
    return new Connection(config, {
      clock: this.deps.clock,
      random: this.deps.random,
      target: { host: this.peer.address, port: this.peer.port ?? 179, ...(this.peer.sourceAddress ? { localAddress: this.peer.sourceAddress } : {}), ...(this.security ? { security: this.security } : {}) },
      ...(this.deps.socketOptions ? { socketOptions: this.deps.socketOptions } : {}),
      ...(log ? { log: (entry: FsmLogEntry) => log({ ...entry, peer: this.address }) } : {}),
      restarting: () => this.restarting,
      onState: (connection, change) => this.onState(connection, change),
      onUpdate: (_connection, verdict) => this.routesIn.update(verdict),
      onRouteRefresh: () => this.resendAll(),
      onMessage: (direction, message) => {
        (direction === 'in' ? this.counters.messagesIn : this.counters.messagesOut)[message.type] += 1;
      },
      onError: (direction, error) => this.onError(direction, error),
    });
  }

  private onError(direction: 'sent' | 'received' | 'local', error: Error): void {
    recordError(this.counters, direction, error, this.deps.clock);
    this.deps.emit({ type: 'error', peer: this.address, direction, error });
  }

  private onState(connection: Connection, change: Extract<Command, { type: 'state-change' }>): void {
    if (change.to === 'OpenConfirm' || change.to === 'Established') this.checkCollision(connection);
    if (change.to === 'Established') this.up(connection);
    if (change.from === 'Established' && connection === this.established) this.down(change);
    // While the incoming connection carries the session, the configured FSM must not reconnect.
    const secondaryAlive = this.secondary !== undefined && this.secondary.fsm.state !== 'Idle';
    if (!this.stopped && secondaryAlive && this.primary.fsm.state !== 'Idle' && connection === this.secondary && change.to === 'Established') {
      this.primary.handle({ name: 'ManualStop', ceaseSubcode: CeaseSubcode.connectionCollisionResolution, reason: 'collision: the incoming connection is Established' });
    }
    if (!this.stopped && secondaryAlive && connection === this.primary && change.to === 'Idle') {
      this.primary.handle({ name: 'ManualStop', ceaseSubcode: CeaseSubcode.connectionCollisionResolution, reason: 'collision: the incoming connection carries on' });
    }
    if (change.to === 'Idle' && connection === this.secondary) {
      this.secondary = undefined;
      const closed = connection.closed();
      this.retired.add(closed);
      void closed.then(() => this.retired.delete(closed));
      // The winner of a collision dropped: the configured FSM takes over again.
      if (change.from === 'Established' && !this.stopped && this.bfdHold === undefined && this.primary.fsm.state === 'Idle') {
        this.primary.handle({ name: this.config.passive ? 'AutomaticStart_with_PassiveTcpEstablishment' : 'AutomaticStart' });
      }
    }
    this.report(change.reason);
  }

  /** §6.8: once both connections know the peer's identifier, keep the one the higher id opened. */
  private checkCollision(arrived: Connection): void {
    const second = this.secondary;
    if (!second) return;
    const other = arrived === second ? this.primary : second;
    const otherState = other.fsm.state;
    if (otherState !== 'OpenConfirm' && otherState !== 'Established') return;
    const remoteId = arrived.fsm.negotiated?.peerRouterId;
    if (remoteId === undefined) return;
    // An Established session always wins over a newcomer.
    let loser: Connection;
    if (otherState === 'Established') loser = arrived;
    else loser = [arrived, other].find((c) => c.opener !== resolveCollision(this.config.routerId, remoteId)) ?? second;
    loser.handle({ name: 'OpenCollisionDump' });
  }

  private up(connection: Connection): void {
    const negotiated = connection.fsm.negotiated;
    if (!negotiated) return;
    this.established = connection;
    this.counters.establishedAt = this.deps.clock.now();
    this.restarting = false;
    this.routesIn.sessionUp(negotiated);
    this.routesOut.sendTable(connection);
  }

  private down(change: Extract<Command, { type: 'state-change' }>): void {
    this.established = undefined;
    this.routesOut.sessionEnded();
    this.counters.establishedAt = undefined;
    this.routesIn.sessionEnded(change);
  }

  private report(reason: string): void {
    const candidates = [this.primary.fsm.state, this.secondary?.fsm.state ?? 'Idle'];
    const state = candidates.reduce((a, b) => (rank(b) > rank(a) ? b : a));
    if (state === this.reported) return;
    const from = this.reported;
    this.reported = state;
    this.counters.stateChanges += 1;
    this.deps.emit({ type: 'state', peer: this.address, from, to: state, reason });
  }

  /** ROUTE-REFRESH: send the whole table again (a fresh Adj-RIB-Out, End-of-RIB included). */
  private resendAll(): void {
    const connection = this.established;
    if (connection) this.routesOut.sendTable(connection);
  }
}
