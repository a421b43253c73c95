// One TCP connection and the FSM that runs on it (RFC 4271 keeps one FSM per connection;
// a collision briefly has two). Turns bytes into FSM events and FSM commands into I/O.

import * as net from 'node:net';
import { classicContext } from '../wire/context.js';
import { BgpWireError, ErrorCode, CeaseSubcode } from '../wire/errors.js';
import { MessageFramer } from '../wire/framer.js';
import { decodeMessage, serializeMessage, type BgpMessage, type DecodedMessage } from '../wire/message.js';
import { validateUpdate, type UpdateVerdict } from '../wire/validate-update.js';
import type { SessionConfig } from '../fsm/config.js';
import { Fsm, type FsmLogEntry } from '../fsm/fsm.js';
import { checkOpen } from '../fsm/open-check.js';
import { timerEvent } from '../fsm/timers.js';
import type { Command, FsmEvent, TimerName } from '../fsm/types.js';
import type { Clock, TimerHandle } from './clock.js';
import type { SocketSecurity } from './peer-config.js';
import { openSecuredSocket, secureAccepted } from './secure-socket.js';

export interface ConnectTarget {
  readonly host: string;
  readonly port: number;
  readonly localAddress?: string;
  /** TCP MD5 key and TTLs; the socket then comes from native/ with them set before the SYN. */
  readonly security?: SocketSecurity;
}

/** Called on every socket before it is used (outgoing: before connect): where TCP MD5, TTL and GTSM go. */
export type SocketOptionsHook = (socket: net.Socket, info: { readonly direction: 'outgoing' | 'incoming'; readonly peer: string }) => void;

export interface ConnectionHooks {
  readonly clock: Clock;
  readonly random: () => number;
  readonly target: ConnectTarget;
  readonly socketOptions?: SocketOptionsHook;
  readonly log?: (entry: FsmLogEntry) => void;
  /** Whether our OPEN carries the graceful-restart R bit (RFC 4724). */
  readonly restarting?: () => boolean;
  onState(connection: Connection, change: Extract<Command, { type: 'state-change' }>): void;
  onUpdate(connection: Connection, verdict: UpdateVerdict): void;
  onRouteRefresh(connection: Connection): void;
  onMessage(direction: 'in' | 'out', message: BgpMessage): void;
  /** A problem worth an operator's eye: a NOTIFICATION either way, a socket error, an RFC 7606 repair. */
  onError(direction: 'sent' | 'received' | 'local', error: Error): void;
}

/** How long a dropped socket waits for the peer's FIN before it is destroyed. */
const DROP_LINGER_MS = 5000;

/**
 * Frame octets handled before the event loop gets a turn: a 64 KB read of UPDATEs holds up to
 * 13,000 /32s, 50-100 ms of decoding and Adj-RIB-In work in one go, which BFD at 50 ms x 3 does
 * not survive (bench/src/bfd.ts). One frame is never split, so a 65,535-octet UPDATE is one slice.
 */
export const RECEIVE_SLICE_BYTES = 16_384;

/**
 * Milliseconds of work per slice (received frames here, a table dump in peer-routes-out.ts),
 * whatever the size: cold code and garbage collection make some slices several times slower.
 */
export const SLICE_BUDGET_MS = 5;

const emptyVerdict: UpdateVerdict = { action: 'accept', attributes: [], announce: [], withdraw: [], errors: [], endOfRib: undefined };

export class Connection {
  readonly fsm: Fsm;
  private socket: net.Socket | undefined;
  /** Who opened the current socket: decides §6.8 collisions. */
  private direction: 'outgoing' | 'incoming' | undefined;
  private framer = new MessageFramer();
  /** Frames read from the current socket and not handled yet: a big read is handled in slices. */
  private backlog: Uint8Array[] = [];
  private readonly timers = new Map<TimerName, TimerHandle>();
  /** Dropped sockets the peer has not closed yet, each with when it is closed. */
  private readonly closing = new Map<net.Socket, Promise<void>>();

  constructor(
    config: SessionConfig,
    private readonly hooks: ConnectionHooks,
  ) {
    this.fsm = new Fsm(config, { random: hooks.random, ...(hooks.log ? { log: hooks.log } : {}), ...(hooks.restarting ? { restarting: hooks.restarting } : {}) });
  }

  get opener(): 'outgoing' | 'incoming' | undefined {
    return this.direction;
  }

  /** Our address on the connection, once connected. */
  get localAddress(): string | undefined {
    return this.socket?.localAddress === undefined ? undefined : unmapped(this.socket.localAddress);
  }

  /** Resolves once every socket this connection dropped is closed at both ends (or given up on). */
  closed(): Promise<void> {
    return Promise.all(this.closing.values()).then(() => undefined);
  }

  /**
   * Destroys the sockets dropped and still waiting for the peer's FIN, now: for a path known to
   * be dead (BFD Down), where what was written (the NOTIFICATION) is left to the kernel to try
   * and the linger would only hold the socket, and a reconnect, for nothing.
   */
  abandonClosing(): void {
    for (const socket of this.closing.keys()) socket.destroy();
  }

  handle(event: FsmEvent): void {
    for (const command of this.fsm.handle(event)) this.execute(command);
  }

  /** Takes an accepted socket: the FSM decides whether it is wanted. */
  adopt(socket: net.Socket): void {
    if (this.socket) this.drop();
    this.hooks.socketOptions?.(socket, { direction: 'incoming', peer: this.hooks.target.host });
    this.attach(socket, 'incoming');
    const security = this.hooks.target.security;
    try {
      if (security) secureAccepted(socket, security);
    } catch (error) {
      // Through 'close' like any socket failure: the FSM sees TcpConnectionFails with the reason.
      socket.destroy(error as Error);
    }
    this.handle({ name: 'TcpConnectionConfirmed' });
  }

  /** Sends UPDATEs (or anything else) on an established connection. */
  send(message: BgpMessage): void {
    const socket = this.socket;
    if (!socket) return;
    const ctx = this.fsm.negotiated?.context ?? classicContext;
    try {
      socket.write(serializeMessage(message, ctx));
      this.hooks.onMessage('out', message);
      if (message.type === 'notification') this.hooks.onError('sent', wireErrorOf(message));
    } catch (error) {
      this.hooks.onError('local', error as Error);
    }
  }

  private execute(command: Command): void {
    switch (command.type) {
      case 'send':
        this.send(command.message);
        return;
      case 'arm-timer': {
        this.timers.get(command.timer)?.cancel();
        const event = timerEvent(command.timer, this.fsm.config.passive);
        this.timers.set(command.timer, this.hooks.clock.setTimeout(() => {
          this.timers.delete(command.timer);
          this.handle({ name: event });
        }, command.seconds * 1000));
        return;
      }
      case 'cancel-timer':
        this.timers.get(command.timer)?.cancel();
        this.timers.delete(command.timer);
        return;
      case 'connect':
        this.connect();
        return;
      case 'close':
        this.drop();
        return;
      case 'deliver-update':
        this.hooks.onUpdate(this, command.verdict);
        return;
      case 'state-change':
        if (command.to === 'OpenConfirm') this.framer.context = this.fsm.negotiated?.context ?? classicContext;
        this.hooks.onState(this, command);
    }
  }

  private connect(): void {
    const { host, port, localAddress, security } = this.hooks.target;
    let socket: net.Socket;
    let failure: Error | undefined;
    try {
      socket = security ? openSecuredSocket(host, localAddress, security) : new net.Socket();
    } catch (error) {
      socket = new net.Socket();
      failure = error as Error;
    }
    this.hooks.socketOptions?.(socket, { direction: 'outgoing', peer: host });
    this.attach(socket, 'outgoing');
    if (failure) {
      // Reported through 'error' and 'close' like a refused connect, so the FSM retries later.
      socket.destroy(failure);
      return;
    }
    socket.once('connect', () => {
      if (this.socket === socket) this.handle({ name: 'Tcp_CR_Acked' });
    });
    // A secured socket is bound already (binding again would fail).
    socket.connect({ host, port, ...(localAddress && !security ? { localAddress } : {}) });
  }

  private attach(socket: net.Socket, direction: 'outgoing' | 'incoming'): void {
    this.socket = socket;
    this.direction = direction;
    this.framer = new MessageFramer();
    this.backlog = [];
    socket.setNoDelay(true);
    let lastError: string | undefined;
    socket.on('data', (chunk: Buffer) => this.receive(socket, chunk));
    socket.on('error', (error) => {
      lastError = error.message;
    });
    socket.on('close', () => {
      if (this.socket !== socket) return;
      // What was read before the close comes first (a NOTIFICATION, say), in order.
      this.drain(socket, Infinity);
      if (this.socket !== socket) return;
      this.socket = undefined;
      if (lastError !== undefined) this.hooks.onError('local', new Error(`session: ${this.hooks.target.host}: ${lastError}`));
      this.handle({ name: 'TcpConnectionFails', reason: lastError ?? 'connection closed by peer' });
    });
  }

  /**
   * Closes the current socket after what was written (a NOTIFICATION, say) has gone out, then
   * waits for the peer to close its side: closed() tells when, so that a new connection to the
   * same peer is not opened while the peer is still reading the old one.
   */
  private drop(): void {
    const socket = this.socket;
    this.socket = undefined;
    this.backlog = [];
    if (!socket) return;
    socket.removeAllListeners('data');
    socket.on('error', () => undefined);
    // Discard what still comes, so the peer's FIN is read; both ends done, Node destroys the socket.
    socket.resume();
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    this.closing.set(socket, closed);
    socket.end();
    // A peer that never reads or never closes must not keep the socket alive forever.
    const giveUp = this.hooks.clock.setTimeout(() => socket.destroy(), DROP_LINGER_MS);
    void closed.then(() => {
      giveUp.cancel();
      this.closing.delete(socket);
    });
  }

  private receive(socket: net.Socket, chunk: Buffer): void {
    let frames: Uint8Array[];
    try {
      frames = this.framer.push(chunk);
    } catch (error) {
      this.fail(asWireError(error));
      return;
    }
    // The socket is paused while a backlog is left: no read comes before the one before it is handled.
    for (const frame of frames) this.backlog.push(frame);
    this.drain(socket, RECEIVE_SLICE_BYTES);
  }

  /**
   * Handles backlogged frames, `budget` octets' or SLICE_BUDGET_MS' worth (at least one frame);
   * with more left, the socket is paused and the rest goes on in the next tick.
   */
  private drain(socket: net.Socket, budget: number): void {
    let handled = 0;
    const started = performance.now();
    while (this.socket === socket && this.backlog.length > 0) {
      if (handled >= budget || (budget !== Infinity && handled > 0 && performance.now() - started > SLICE_BUDGET_MS)) {
        socket.pause();
        setImmediate(() => {
          if (this.socket === socket) this.drain(socket, RECEIVE_SLICE_BYTES);
        });
        return;
      }
      const frame = this.backlog.shift()!;
      handled += frame.length;
      if (!this.handleFrame(frame)) return;
    }
    if (this.socket === socket && socket.isPaused()) socket.resume();
  }

  /** Decodes one frame and runs its FSM event; false when it was an error (the FSM is closing). */
  private handleFrame(frame: Uint8Array): boolean {
    let event: FsmEvent | undefined;
    try {
      const [message] = decodeMessage(frame, 0, this.framer.context);
      this.hooks.onMessage('in', message);
      event = this.eventFor(message);
    } catch (error) {
      this.fail(asWireError(error));
      return false;
    }
    if (event) this.handle(event);
    return true;
  }

  private fail(error: BgpWireError): void {
    this.hooks.onError('local', error);
    const name = error.code === ErrorCode.open ? 'BGPOpenMsgErr' : error.code === ErrorCode.update ? 'UpdateMsgErr' : 'BGPHeaderErr';
    this.handle({ name, error });
  }

  private eventFor(message: DecodedMessage): FsmEvent | undefined {
    switch (message.type) {
      case 'open':
        return { name: 'BGPOpen', negotiated: checkOpen(message, this.fsm.config) };
      case 'update': {
        const negotiated = this.fsm.negotiated;
        if (!negotiated || this.fsm.state !== 'Established') return { name: 'UpdateMsg', verdict: emptyVerdict };
        const verdict = validateUpdate(message, { external: negotiated.external, peerAs: negotiated.peerAs, enforceFirstAs: true, fourOctetAs: negotiated.context.fourOctetAs });
        for (const problem of verdict.errors) this.hooks.onError('local', problem);
        return { name: 'UpdateMsg', verdict };
      }
      case 'notification':
        this.hooks.onError('received', wireErrorOf(message));
        // RFC 4271 §8.1.2: a version error is its own event (it may lead to a retry with another version).
        return { name: message.code === ErrorCode.open && message.subcode === 1 ? 'NotifMsgVerErr' : 'NotifMsg', notification: message };
      case 'keepalive':
        return { name: 'KeepAliveMsg' };
      case 'route-refresh':
        if (this.fsm.state === 'Established') this.hooks.onRouteRefresh(this);
        return undefined;
    }
  }
}

/** "::ffff:198.18.0.1" (IPv4 on a dual-stack socket) as plain IPv4. */
export function unmapped(address: string): string {
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}

function wireErrorOf(message: { code: number; subcode: number; data: Uint8Array }): BgpWireError {
  return new BgpWireError(`notification: ${message.code}/${message.subcode}`, { code: message.code, subcode: message.subcode, data: message.data });
}

/** Anything thrown while reading a peer's bytes becomes a NOTIFICATION, never a crash. */
function asWireError(error: unknown): BgpWireError {
  if (error instanceof BgpWireError) return error;
  const text = error instanceof Error ? error.message : String(error);
  return new BgpWireError(`session: internal error while reading: ${text}`, { code: ErrorCode.cease, subcode: CeaseSubcode.outOfResources });
}
