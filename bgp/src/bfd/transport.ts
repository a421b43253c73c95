// BFD over UDP (RFC 5881 single hop, RFC 5883 multihop): the listening sockets on 3784 / 4784
// and one sending socket per session, over an injected socket factory (native-socket.ts).
//
// Listeners: one per (port, family, bound address), opened with the first session that needs it
// and closed with the last; a session with a local address gets a listener on that address, one
// without shares the family's wildcard listener (both can hold the port: SO_REUSEADDR, and the
// kernel gives each datagram to the most specific socket). Every received datagram goes to
// `deliver` (normally BfdDemux.deliver) with its TTL, source, local port and local address; the
// TTL rules themselves are the session's (receive.ts), so a wrong TTL is counted on its session.
//
// Sending: one socket per session, bound to the session's local address (or the wildcard) and a
// source port in 49152-65535 that no other session of ours uses (RFC 5881 §4: fixed per session,
// SHOULD be unique), sending with TTL / hop limit 255 (RFC 5881 §5; RFC 5883 does not fix one,
// and 255 lets the peer's minimum TTL measure the hops). One fd per session is cheap next to a
// BGP session's, keeps the source address the session's own with no per-packet control data,
// and makes a port clash with another program a bind error (EADDRINUSE: try another port)
// instead of a silent share. Datagrams arriving on a sending socket are not ours: counted stray.

import { canonicalAddress } from './config.js';
import { allocateBfdSourcePort } from './demux.js';
import { BfdConfigError, BfdTransportError } from './errors.js';
import type { BfdReceiveMeta } from './receive.js';
import { BFD_MULTIHOP_PORT, BFD_SINGLE_HOP_PORT, BFD_SINGLE_HOP_TTL } from './types.js';

/** One received datagram, as a socket reports it. */
export interface BfdDatagram {
  /** Valid only during the call: the socket may reuse the bytes. */
  readonly data: Uint8Array;
  readonly sourceAddress: string;
  readonly sourcePort: number;
  /** IPv4 TTL / IPv6 Hop Limit as received; undefined when the system did not say (then dropped). */
  readonly ttl: number | undefined;
  /** The address it was sent to, where the socket can tell (IP_PKTINFO). */
  readonly localAddress: string | undefined;
}

export interface BfdSocketOptions {
  /** Local address to bind: a host address, or "0.0.0.0" / "::" for any. Picks the family. */
  readonly address: string;
  readonly port: number;
  /** TTL / hop limit of every datagram sent. */
  readonly ttl: number;
  /** SO_REUSEADDR: listeners share their port with one on another address of ours. */
  readonly reuseAddress: boolean;
  readonly onDatagram: (datagram: BfdDatagram) => void;
  /** What onDatagram threw. */
  readonly onError: (error: unknown) => void;
}

export interface BfdSocket {
  /** False when the system's queue was full and the datagram was dropped; other refusals throw. */
  send(data: Uint8Array, address: string, port: number): boolean;
  close(): void;
}

/**
 * Opens and binds a UDP socket that reports the received TTL. Throws when the system refuses;
 * an error whose `code` is "EADDRINUSE" means the port is taken (another one is tried).
 */
export type BfdSocketFactory = (options: BfdSocketOptions) => BfdSocket;

export interface BfdTransportCounters {
  readonly datagramsIn: number;
  readonly datagramsOut: number;
  /** Sends the system refused (no route, a firewall), and sends dropped on a full queue. */
  readonly sendErrors: number;
  readonly sendQueueFull: number;
  /** Datagrams that arrived on a session's sending socket: nobody sends BFD there. */
  readonly stray: number;
  readonly listeners: number;
  readonly endpoints: number;
}

export interface BfdTransportLogEntry {
  readonly level: 'debug' | 'warn';
  readonly msg: string;
  readonly error?: unknown;
}

export interface BfdTransportOptions {
  readonly sockets: BfdSocketFactory;
  /** [0, 1) source for picking source ports. */
  readonly random: () => number;
  /** Each received datagram with what the socket saw; normally BfdDemux.deliver. */
  readonly deliver: (datagram: Uint8Array, meta: BfdReceiveMeta) => void;
  readonly log?: (entry: BfdTransportLogEntry) => void;
}

/** Which session an endpoint sends for: where to, from where, and which port kind. */
export interface BfdEndpointSpec {
  readonly peerAddress: string;
  readonly localAddress?: string | undefined;
  readonly multihop: boolean;
}

/** A session's way out: its own source port, sending to the peer's 3784 or 4784. */
export interface BfdEndpoint {
  readonly sourcePort: number;
  /** The address the sending socket is bound to ("0.0.0.0" / "::" without a local address). */
  readonly bindAddress: string;
  /** True when it left; false when dropped (queue full) or refused (no route...): counted either way. */
  send(data: Uint8Array): boolean;
  /** Gives back the source port and the endpoint's hold on its listener; closing twice is fine. */
  close(): void;
}

/** How many source ports are tried when another program holds the one picked. */
const BIND_ATTEMPTS = 32;

const familyOf = (address: string): 4 | 6 => (address.includes(':') ? 6 : 4);
const wildcard = (family: 4 | 6): string => (family === 4 ? '0.0.0.0' : '::');
const errorCode = (error: unknown): unknown => (typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined);

interface Listener {
  readonly socket: BfdSocket;
  users: number;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export class BfdTransport {
  private readonly listeners = new Map<string, Listener>();
  private readonly sourcePorts = new Set<number>();
  private readonly endpoints = new Set<BfdEndpoint>();
  private readonly counts: Mutable<Omit<BfdTransportCounters, 'listeners' | 'endpoints'>> = {
    datagramsIn: 0,
    datagramsOut: 0,
    sendErrors: 0,
    sendQueueFull: 0,
    stray: 0,
  };
  private closed = false;

  constructor(private readonly options: BfdTransportOptions) {}

  get counters(): BfdTransportCounters {
    return { ...this.counts, listeners: this.listeners.size, endpoints: this.endpoints.size };
  }

  /**
   * Opens the session's listener (if not open yet) and its sending socket. Throws BfdConfigError
   * for addresses that are none or of two families, BfdTransportError when the system refuses.
   */
  open(spec: BfdEndpointSpec): BfdEndpoint {
    if (this.closed) throw new BfdTransportError('bfd transport: closed');
    const peer = canonicalAddress(spec.peerAddress);
    if (peer === undefined) throw new BfdConfigError(`bfd config: peerAddress must be an IPv4 or IPv6 address, got ${String(spec.peerAddress)}`);
    const family = familyOf(peer);
    let local: string | undefined;
    if (spec.localAddress !== undefined) {
      local = canonicalAddress(spec.localAddress);
      if (local === undefined) throw new BfdConfigError(`bfd config: localAddress must be an IPv4 or IPv6 address, got ${String(spec.localAddress)}`);
      if (familyOf(local) !== family) throw new BfdConfigError(`bfd config: localAddress ${local} is not of the peer ${peer}'s family (IPv${family})`);
    }
    const bindAddress = local ?? wildcard(family);
    const port = spec.multihop ? BFD_MULTIHOP_PORT : BFD_SINGLE_HOP_PORT;
    const releaseListener = this.acquireListener(bindAddress, port);
    let socket: BfdSocket;
    let sourcePort: number;
    try {
      [socket, sourcePort] = this.openSending(bindAddress);
    } catch (error) {
      releaseListener();
      throw error;
    }
    this.sourcePorts.add(sourcePort);
    const log = this.options.log;
    let lastError: unknown;
    let open = true;
    const endpoint: BfdEndpoint = {
      sourcePort,
      bindAddress,
      send: (data) => {
        if (!open) return false;
        try {
          if (!socket.send(data, peer, port)) {
            this.counts.sendQueueFull += 1;
            return false;
          }
        } catch (error) {
          this.counts.sendErrors += 1;
          // Logged when it starts failing or fails differently, not every packet.
          if (String(errorCode(error) ?? error) !== String(errorCode(lastError) ?? lastError)) {
            log?.({ level: 'warn', msg: `bfd transport: sending to ${peer} port ${port} from ${bindAddress} port ${sourcePort} failed: ${String(error)}`, error });
          }
          lastError = error;
          return false;
        }
        if (lastError !== undefined) log?.({ level: 'debug', msg: `bfd transport: sending to ${peer} works again` });
        lastError = undefined;
        this.counts.datagramsOut += 1;
        return true;
      },
      close: () => {
        if (!open) return;
        open = false;
        socket.close();
        this.sourcePorts.delete(sourcePort);
        this.endpoints.delete(endpoint);
        releaseListener();
      },
    };
    this.endpoints.add(endpoint);
    return endpoint;
  }

  /** Closes every socket; endpoints still held send nothing more. */
  close(): void {
    this.closed = true;
    for (const endpoint of [...this.endpoints]) endpoint.close();
    for (const listener of this.listeners.values()) listener.socket.close();
    this.listeners.clear();
  }

  /** The listener on address:port, opened now if it is not; returns its release. */
  private acquireListener(bindAddress: string, port: number): () => void {
    const key = `${bindAddress} ${port}`;
    let listener = this.listeners.get(key);
    if (listener === undefined) {
      const localAddress = bindAddress === wildcard(familyOf(bindAddress)) ? undefined : bindAddress;
      let socket: BfdSocket;
      try {
        socket = this.options.sockets({
          address: bindAddress,
          port,
          ttl: BFD_SINGLE_HOP_TTL,
          reuseAddress: true,
          onDatagram: (d) => this.received(d, port, localAddress),
          onError: (error) => this.options.log?.({ level: 'warn', msg: `bfd transport: handling a datagram on ${bindAddress} port ${port} failed: ${String(error)}`, error }),
        });
      } catch (error) {
        throw new BfdTransportError(`bfd transport: cannot listen on ${bindAddress} port ${port}: ${String(error)}`, { cause: error });
      }
      listener = { socket, users: 0 };
      this.listeners.set(key, listener);
    }
    listener.users += 1;
    const held = listener;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      held.users -= 1;
      if (held.users === 0 && this.listeners.get(key) === held) {
        this.listeners.delete(key);
        held.socket.close();
      }
    };
  }

  private received(d: BfdDatagram, port: number, boundTo: string | undefined): void {
    this.counts.datagramsIn += 1;
    const localAddress = d.localAddress ?? boundTo;
    // A missing TTL passes no rule: 0 is below every minimum and is not 255.
    const meta: BfdReceiveMeta = { ttl: d.ttl ?? 0, sourceAddress: d.sourceAddress, sourcePort: d.sourcePort, destinationPort: port, ...(localAddress === undefined ? {} : { localAddress }) };
    this.options.deliver(d.data, meta);
  }

  /** A sending socket on a free source port of ours, trying others while the system says taken. */
  private openSending(bindAddress: string): [BfdSocket, number] {
    const tried = new Set(this.sourcePorts);
    let lastError: unknown;
    for (let attempt = 0; attempt < BIND_ATTEMPTS; attempt++) {
      const port = allocateBfdSourcePort(tried, this.options.random);
      if (tried.has(port)) break; // every port is ours or tried
      tried.add(port);
      try {
        const socket = this.options.sockets({
          address: bindAddress,
          port,
          ttl: BFD_SINGLE_HOP_TTL,
          reuseAddress: false,
          onDatagram: () => {
            this.counts.stray += 1;
          },
          onError: () => undefined,
        });
        return [socket, port];
      } catch (error) {
        lastError = error;
        if (errorCode(error) !== 'EADDRINUSE') break;
      }
    }
    throw new BfdTransportError(`bfd transport: cannot bind a source port on ${bindAddress}: ${String(lastError ?? 'every port in 49152-65535 is in use')}`, { cause: lastError });
  }
}
