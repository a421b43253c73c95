// Shared helpers for the BFD tests and simulations: packets with defaults, receive metadata,
// two sessions wired back to back through the codec and a demultiplexer on a manual clock, and
// an in-memory UDP network standing in for the transport's sockets.

import { ManualClock } from '../session/clock.js';
import { seededRandom } from '../wire/fuzz.js';
import { serializeControl, type BfdControlPacket } from './codec.js';
import type { BfdSessionConfigInput } from './config.js';
import { BfdDemux } from './demux.js';
import type { BfdReceiveMeta } from './receive.js';
import { BfdSession, type BfdStateChange } from './session.js';
import type { BfdSocket, BfdSocketFactory, BfdSocketOptions } from './transport.js';
import { BFD_MULTIHOP_PORT, BFD_SINGLE_HOP_PORT } from './types.js';

export { seededRandom };

export const PEER_A = '192.0.2.1';
export const PEER_B = '192.0.2.2';

/** A Down packet from discriminator 0x0b0b0b0b with 1 s / 300 ms timers; override what matters. */
export function bfdPacket(overrides: Partial<BfdControlPacket> = {}): BfdControlPacket {
  return {
    diag: 0,
    state: 'Down',
    poll: false,
    final: false,
    controlPlaneIndependent: false,
    demand: false,
    detectMult: 3,
    myDiscriminator: 0x0b0b0b0b,
    yourDiscriminator: 0,
    desiredMinTxUs: 1_000_000,
    requiredMinRxUs: 300_000,
    requiredMinEchoRxUs: 0,
    ...overrides,
  };
}

/** What a single-hop (or multihop) socket reports for a genuine packet from `source`. */
export function receiveMeta(source: string = PEER_B, overrides: Partial<BfdReceiveMeta> = {}): BfdReceiveMeta {
  const multihop = overrides.destinationPort === BFD_MULTIHOP_PORT;
  return { ttl: multihop ? 250 : 255, sourceAddress: source, sourcePort: 49152, destinationPort: BFD_SINGLE_HOP_PORT, ...overrides };
}

export interface Recorded {
  readonly sent: BfdControlPacket[];
  /** Clock time (ms) of each sent packet. */
  readonly sentAt: number[];
  readonly changes: BfdStateChange[];
  /** Clock time (ms) of each change. */
  readonly changedAt: number[];
}

/** A session on `clock` recording what it sends and every state change. */
export function recordedSession(clock: ManualClock, config: BfdSessionConfigInput, seed = 1, send?: (p: BfdControlPacket) => void): { session: BfdSession } & Recorded {
  const recorded: Recorded = { sent: [], sentAt: [], changes: [], changedAt: [] };
  const session = new BfdSession({
    config,
    clock,
    random: seededRandom(seed),
    send: (packet) => {
      recorded.sent.push(packet);
      recorded.sentAt.push(clock.now());
      send?.(packet);
    },
    stateChange: (change) => {
      recorded.changes.push(change);
      recorded.changedAt.push(clock.now());
    },
  });
  return { session, ...recorded };
}

export interface BfdPair {
  readonly clock: ManualClock;
  readonly a: { session: BfdSession } & Recorded;
  readonly b: { session: BfdSession } & Recorded;
  /** Packets in flight are lost while a direction is cut. */
  readonly cut: { aToB: boolean; bToA: boolean };
}

/**
 * Sessions A (192.0.2.1, discriminator 0xa) and B (192.0.2.2, 0xb) sending to each other through
 * serializeControl, a one-way delay and a BfdDemux, as single-hop packets with TTL 255.
 */
export function bfdPair(options: { a?: Partial<BfdSessionConfigInput>; b?: Partial<BfdSessionConfigInput>; delayMs?: number; seed?: number } = {}): BfdPair {
  const clock = new ManualClock();
  const delay = options.delayMs ?? 1;
  const cut = { aToB: false, bToA: false };
  const demuxA = new BfdDemux<BfdSession>();
  const demuxB = new BfdDemux<BfdSession>();
  const wire = (to: BfdDemux<BfdSession>, from: string, isCut: () => boolean) => (packet: BfdControlPacket) => {
    const bytes = serializeControl(packet);
    if (isCut()) return;
    clock.setTimeout(() => to.deliver(bytes, receiveMeta(from)), delay);
  };
  const seed = options.seed ?? 1;
  const a = recordedSession(clock, { localDiscriminator: 0xa, peerAddress: PEER_B, ...options.a }, seed, wire(demuxB, PEER_A, () => cut.aToB));
  const b = recordedSession(clock, { localDiscriminator: 0xb, peerAddress: PEER_A, ...options.b }, seed + 1, wire(demuxA, PEER_B, () => cut.bToA));
  demuxA.add(a.session);
  demuxB.add(b.session);
  return { clock, a, b, cut };
}

export interface MemoryDatagram {
  readonly from: string;
  readonly fromPort: number;
  readonly to: string;
  readonly toPort: number;
  readonly ttl: number;
  readonly data: Uint8Array;
}

export interface MemoryNetwork {
  readonly sockets: BfdSocketFactory;
  /** Open sockets by "address port". */
  readonly bound: ReadonlyMap<string, BfdSocketOptions>;
  /** "address port" pairs another program holds: binding them fails with EADDRINUSE. */
  readonly taken: Set<string>;
  /** Every datagram sent, delivered or not. */
  readonly sent: MemoryDatagram[];
  /** Source addresses whose datagrams are lost. */
  readonly cut: Set<string>;
  /** Destination addresses a send to throws for (as the kernel does with no route). */
  readonly unreachable: Map<string, Error & { code: string }>;
  /** A datagram from anywhere, e.g. with a TTL no socket of ours sends. */
  inject(datagram: MemoryDatagram): void;
}

const anyOf = (address: string): string => (address.includes(':') ? '::' : '0.0.0.0');

/**
 * UDP on `clock`: a datagram reaches the socket bound to its destination address and port, else
 * the wildcard one, after `delayMs`, with the sender's TTL. A socket bound to the wildcard sends
 * from 192.0.2.100 / 2001:db8::100.
 */
export function memoryNetwork(clock: ManualClock, delayMs = 1): MemoryNetwork {
  const bound = new Map<string, BfdSocketOptions>();
  const taken = new Set<string>();
  const sent: MemoryDatagram[] = [];
  const cut = new Set<string>();
  const unreachable = new Map<string, Error & { code: string }>();
  const inject = (d: MemoryDatagram): void => {
    sent.push(d);
    if (cut.has(d.from)) return;
    const data = d.data.slice();
    clock.setTimeout(() => {
      const target = bound.get(`${d.to} ${d.toPort}`) ?? bound.get(`${anyOf(d.to)} ${d.toPort}`);
      target?.onDatagram({ data, sourceAddress: d.from, sourcePort: d.fromPort, ttl: d.ttl, localAddress: d.to });
    }, delayMs);
  };
  const sockets: BfdSocketFactory = (options) => {
    const key = `${options.address} ${options.port}`;
    if (taken.has(key) || (bound.has(key) && !(options.reuseAddress && bound.get(key)?.reuseAddress))) {
      throw Object.assign(new Error(`memory network: ${key} is in use`), { code: 'EADDRINUSE' });
    }
    bound.set(key, options);
    const from = options.address === anyOf(options.address) ? (options.address === '::' ? '2001:db8::100' : '192.0.2.100') : options.address;
    let open = true;
    const socket: BfdSocket = {
      send: (data, to, toPort) => {
        if (!open) throw new Error('memory network: closed');
        const failure = unreachable.get(to);
        if (failure) throw failure;
        inject({ from, fromPort: options.port, to, toPort, ttl: options.ttl, data });
        return true;
      },
      close: () => {
        if (open && bound.get(key) === options) bound.delete(key);
        open = false;
      },
    };
    return socket;
  };
  return { sockets, bound, taken, sent, cut, unreachable, inject };
}
