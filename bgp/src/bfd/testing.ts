// Shared helpers for the BFD tests and simulations: packets with defaults, receive metadata,
// and two sessions wired back to back through the codec and a demultiplexer on a manual clock.

import { ManualClock } from '../session/clock.js';
import { seededRandom } from '../wire/fuzz.js';
import { serializeControl, type BfdControlPacket } from './codec.js';
import type { BfdSessionConfigInput } from './config.js';
import { BfdDemux } from './demux.js';
import type { BfdReceiveMeta } from './receive.js';
import { BfdSession, type BfdStateChange } from './session.js';
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
