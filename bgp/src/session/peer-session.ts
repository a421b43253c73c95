// One configured peer: its connection(s) and FSM(s), §6.8 collision between an outgoing and
// an incoming connection, the Adj-RIBs while Established, graceful restart both ways, and the
// counters an operator reads.

import type * as net from 'node:net';
import type { BgpMessage } from '../wire/message.js';
import { BgpWireError, CeaseSubcode } from '../wire/errors.js';
import { notificationName } from '../wire/notification-names.js';
import type { Prefix } from '../wire/nlri.js';
import { withoutLoops } from './loop-detection.js';
import type { UpdateVerdict } from '../wire/validate-update.js';
import { resolveSessionConfig, type SessionConfig } from '../fsm/config.js';
import { resolveCollision } from '../fsm/collision.js';
import type { FsmLogEntry } from '../fsm/fsm.js';
import type { Negotiated } from '../fsm/open-check.js';
import { States, type Command, type State } from '../fsm/types.js';
import { AdjRibIn, type ReceivedRoute } from '../rib/adj-rib-in.js';
import { AdjRibOut } from '../rib/adj-rib-out.js';
import type { Clock } from './clock.js';
import { Connection, type SocketOptionsHook } from './connection.js';
import { GracefulRestartHelper, type HelperEvent, type HelperTerms } from './graceful-restart.js';
import { socketSecurity, type PeerConfig, type SocketSecurity } from './peer-config.js';
import { buildAnnouncement, type RouteAttributes } from './route.js';

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
}

export type PeerEvent =
  | { readonly type: 'state'; readonly peer: string; readonly from: State; readonly to: State; readonly reason: string }
  | { readonly type: 'update-received'; readonly peer: string; readonly announced: readonly ReceivedRoute[]; readonly withdrawn: readonly Prefix[]; readonly endOfRib: string | undefined }
  | { readonly type: 'error'; readonly peer: string; readonly direction: 'sent' | 'received' | 'local'; readonly error: Error }
  | ({ readonly type: 'graceful-restart'; readonly peer: string } & HelperEvent);

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

const zero = (): Record<BgpMessage['type'], number> => ({ open: 0, update: 0, notification: 0, keepalive: 0, 'route-refresh': 0 });
const rank = (state: State): number => States.indexOf(state);

export class PeerSession {
  readonly config: SessionConfig;
  /** TCP MD5 key and TTLs for this peer's sockets (undefined: plain Node sockets). */
  readonly security: SocketSecurity | undefined;
  readonly ribIn = new AdjRibIn();
  readonly counters: PeerCounters = {
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
  };
  private readonly primary: Connection;
  /** The incoming connection of a collision, until §6.8 decides. */
  private secondary: Connection | undefined;
  /** Sockets of past secondaries still closing. */
  private readonly retired = new Set<Promise<void>>();
  private ribOut: AdjRibOut | undefined;
  private established: Connection | undefined;
  private reported: State = 'Idle';
  private flushQueued = false;
  private stopped = true;
  /** R bit for our OPENs, until a session after the restart is Established. */
  private restarting: boolean;
  private readonly helper: GracefulRestartHelper;
  /** Graceful restart as agreed on the Established session, kept for when it ends. */
  private terms: HelperTerms | undefined;

  constructor(
    readonly peer: PeerConfig,
    private readonly deps: PeerDeps,
  ) {
    this.security = socketSecurity(peer);
    this.config = resolveSessionConfig({ ...peer, localAs: peer.localAs ?? deps.localAs, routerId: deps.routerId });
    this.restarting = deps.restarting === true && this.config.gracefulRestart !== undefined;
    this.helper = new GracefulRestartHelper({
      clock: deps.clock,
      ribIn: this.ribIn,
      staleRoutesTime: () => this.config.gracefulRestart?.staleRoutesTime ?? 360,
      emit: (event) => this.onHelper(event),
      removed: (prefixes) => this.removed(prefixes),
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
    this.primary.handle({ name: this.config.passive ? 'ManualStart_with_PassiveTcpEstablishment' : 'ManualStart' });
  }

  /**
   * Closes with NOTIFICATION Cease (RFC 4486 subcode; a Hard Reset where the N bit was agreed,
   * RFC 8538) where a session is up, and stays down. The peer's routes are dropped.
   */
  stop(ceaseSubcode: number = CeaseSubcode.administrativeShutdown, reason?: string): void {
    this.stopped = true;
    this.helper.cancel();
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
    return this.established !== undefined && this.terms !== undefined && this.terms.localEnabled && this.terms.peer !== undefined;
  }

  /**
   * For a restart of this speaker (RFC 4724): the session closes without withdrawing and without
   * a NOTIFICATION that would make the peer flush our routes. Meant for gracefulRestartAgreed
   * sessions; any other just closes (quietly where no OPEN was exchanged).
   */
  stopGracefully(): void {
    this.stopped = true;
    this.helper.cancel();
    this.secondary?.handle({ name: 'GracefulStop' });
    this.primary.handle({ name: 'GracefulStop' });
  }

  /** Withdraws everything we sent, now (before a Cease, so the peer moves traffic first). */
  withdrawAll(): void {
    const rib = this.ribOut;
    if (!rib) return;
    for (const [prefix] of this.deps.routes()) rib.withdraw(prefix);
    this.flush();
  }

  /** An accepted TCP connection from this peer's address. Returns false when refused. */
  acceptIncoming(socket: net.Socket): boolean {
    const state = this.primary.fsm.state;
    if (this.stopped || state === 'Idle' || state === 'Established' || this.secondary) return false;
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
    const rib = this.ribOut;
    const connection = this.established;
    if (!rib || !connection?.fsm.negotiated) return;
    try {
      rib.announce(buildAnnouncement(prefix, route, this.view(connection)));
    } catch (error) {
      this.deps.emit({ type: 'error', peer: this.address, direction: 'local', error: error as Error });
    }
    this.queueFlush();
  }

  withdraw(prefix: Prefix): void {
    if (!this.ribOut) return;
    this.ribOut.withdraw(prefix);
    this.queueFlush();
  }

  private view(connection: Connection) {
    const local = connection.localAddress;
    const localAddress = { ...this.peer.nextHop };
    if (local !== undefined) {
      if (local.includes(':')) localAddress.ipv6 ??= local;
      else localAddress.ipv4 ??= local;
    }
    return { localAs: this.config.localAs, external: connection.fsm.negotiated?.external ?? true, localAddress };
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
      onUpdate: (_connection, verdict) => this.onUpdate(verdict),
      onRouteRefresh: () => this.resendAll(),
      onMessage: (direction, message) => {
        (direction === 'in' ? this.counters.messagesIn : this.counters.messagesOut)[message.type] += 1;
      },
      onError: (direction, error) => this.onError(direction, error),
    });
  }

  private onError(direction: 'sent' | 'received' | 'local', error: Error): void {
    if (error instanceof BgpWireError && direction !== 'local') {
      const record = { code: error.code, subcode: error.subcode, name: notificationName(error.code, error.subcode), at: this.deps.clock.now() };
      if (direction === 'sent') this.counters.lastErrorSent = record;
      else this.counters.lastErrorReceived = record;
    }
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
      if (change.from === 'Established' && !this.stopped && this.primary.fsm.state === 'Idle') {
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
    this.terms = { localEnabled: this.config.gracefulRestart !== undefined, peer: negotiated.peerGracefulRestart, notification: negotiated.gracefulNotification };
    // Without our own capability the peer was never helped, unless it was under another config.
    this.helper.sessionUp(this.terms.localEnabled ? negotiated.peerGracefulRestart : undefined);
    this.sendTable(connection);
  }

  /** A fresh Adj-RIB-Out: the whole table, then End-of-RIB (session start and ROUTE-REFRESH). */
  private sendTable(connection: Connection): void {
    const negotiated = connection.fsm.negotiated;
    if (!negotiated) return;
    this.ribOut = new AdjRibOut(negotiated.families, negotiated.context);
    for (const [prefix, route] of this.deps.routes()) {
      try {
        this.ribOut.announce(buildAnnouncement(prefix, route, this.view(connection)));
      } catch (error) {
        this.deps.emit({ type: 'error', peer: this.address, direction: 'local', error: error as Error });
      }
    }
    this.flush();
  }

  private down(change: Extract<Command, { type: 'state-change' }>): void {
    this.established = undefined;
    this.ribOut = undefined;
    this.counters.establishedAt = undefined;
    this.counters.prefixesAnnounced = 0;
    const terms = this.terms ?? { localEnabled: false, peer: undefined, notification: false };
    this.terms = undefined;
    this.helper.sessionEnded({ event: change.event, ...(change.notification ? { notification: change.notification } : {}) }, terms, change.reason);
    this.counters.prefixesAccepted = this.ribIn.size;
    this.counters.staleRoutes = this.ribIn.staleCount;
  }

  /** Routes that left the Adj-RIB-In outside an UPDATE (session end, stale purge). */
  private removed(prefixes: Prefix[]): void {
    this.counters.prefixesAccepted = this.ribIn.size;
    this.counters.staleRoutes = this.ribIn.staleCount;
    if (prefixes.length > 0) this.deps.emit({ type: 'update-received', peer: this.address, announced: [], withdrawn: prefixes, endOfRib: undefined });
  }

  private onHelper(event: HelperEvent): void {
    if (event.phase === 'retained') this.counters.gracefulRestarts += 1;
    if (event.phase === 'purged') this.counters.staleRoutesPurged += event.purged;
    this.counters.staleRoutes = this.ribIn.staleCount;
    this.deps.emit({ type: 'graceful-restart', peer: this.address, ...event });
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

  private onUpdate(received: UpdateVerdict): void {
    const { verdict, looped } = withoutLoops(received, this.config.localAs);
    this.counters.prefixesLooped += looped;
    const change = this.ribIn.apply(verdict);
    this.counters.prefixesAccepted = this.ribIn.size;
    this.counters.staleRoutes = this.ribIn.staleCount;
    if (change.announced.length > 0 || change.withdrawn.length > 0 || change.endOfRib) {
      this.deps.emit({ type: 'update-received', peer: this.address, announced: change.announced, withdrawn: change.withdrawn, endOfRib: change.endOfRib });
    }
    if (change.endOfRib) this.helper.endOfRib(change.endOfRib);
  }

  /** ROUTE-REFRESH: send the whole table again (a fresh Adj-RIB-Out, End-of-RIB included). */
  private resendAll(): void {
    const connection = this.established;
    if (connection) this.sendTable(connection);
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
    const rib = this.ribOut;
    const connection = this.established;
    if (!rib || !connection) return;
    for (const update of rib.flush()) connection.send(update);
    this.counters.prefixesAnnounced = rib.advertised;
  }
}
