// Which session a received Control packet is for: by Your Discriminator when nonzero (RFC 5880
// §6.8.6, RFC 5881 §6), else by the peer's address and hop mode (RFC 5881 §3, RFC 5883 §3).
// Also hands out unique discriminators (§6.8.1) and source ports (RFC 5881 §4).

import { tryDecodeControl, type BfdControlPacket } from './codec.js';
import { canonicalAddress } from './config.js';
import { BfdConfigError, BfdWireReasons, type BfdWireError, type BfdWireReason } from './errors.js';
import type { BfdReceiveMeta } from './receive.js';
import type { BfdReceiveOutcome } from './session.js';
import { BFD_MULTIHOP_PORT, BFD_SOURCE_PORT_MAX, BFD_SOURCE_PORT_MIN } from './types.js';

/** What the demultiplexer needs of a session; BfdSession is one. */
export interface BfdDemuxSession {
  readonly localDiscriminator: number;
  readonly peerAddress: string;
  readonly localAddress: string | undefined;
  readonly multihop: boolean;
  receive(packet: BfdControlPacket, meta: BfdReceiveMeta): BfdReceiveOutcome;
}

export const BfdDemuxDropReasons = [
  'unknown-discriminator', // §6.8.6: Your Discriminator names no session
  'no-session', // Your Discriminator 0 from an address we hold no session with
] as const;
export type BfdDemuxDropReason = (typeof BfdDemuxDropReasons)[number];

export type BfdSelection<S> = { readonly session: S } | { readonly dropped: BfdDemuxDropReason };

export type BfdDeliveryOutcome<S> =
  | { readonly session: S; readonly outcome: BfdReceiveOutcome }
  | { readonly dropped: BfdDemuxDropReason }
  | { readonly malformed: BfdWireError };

const peerKey = (multihop: boolean, peer: string): string => `${multihop ? 'multihop' : 'single-hop'} ${peer}`;

export class BfdDemux<S extends BfdDemuxSession> {
  private readonly byDiscriminator = new Map<number, S>();
  private readonly byPeer = new Map<string, S[]>();
  private readonly malformedCounts = Object.fromEntries(BfdWireReasons.map((r) => [r, 0])) as Record<BfdWireReason, number>;
  private readonly droppedCounts = Object.fromEntries(BfdDemuxDropReasons.map((r) => [r, 0])) as Record<BfdDemuxDropReason, number>;

  /** Datagrams the codec rejected, by reason. */
  get malformed(): Readonly<Record<BfdWireReason, number>> {
    return { ...this.malformedCounts };
  }

  get dropped(): Readonly<Record<BfdDemuxDropReason, number>> {
    return { ...this.droppedCounts };
  }

  get size(): number {
    return this.byDiscriminator.size;
  }

  /** Throws BfdConfigError when the discriminator, or the same peer and local address, is taken. */
  add(session: S): void {
    if (this.byDiscriminator.has(session.localDiscriminator)) {
      throw new BfdConfigError(`bfd config: localDiscriminator ${session.localDiscriminator} is already in use`);
    }
    const key = peerKey(session.multihop, session.peerAddress);
    const peers = this.byPeer.get(key) ?? [];
    if (peers.some((s) => s.localAddress === session.localAddress)) {
      throw new BfdConfigError(`bfd config: a ${key} session from ${session.localAddress ?? 'any address'} already exists`);
    }
    this.byDiscriminator.set(session.localDiscriminator, session);
    this.byPeer.set(key, [...peers, session]);
  }

  remove(session: S): void {
    if (this.byDiscriminator.get(session.localDiscriminator) === session) this.byDiscriminator.delete(session.localDiscriminator);
    const key = peerKey(session.multihop, session.peerAddress);
    const rest = (this.byPeer.get(key) ?? []).filter((s) => s !== session);
    if (rest.length > 0) this.byPeer.set(key, rest);
    else this.byPeer.delete(key);
  }

  /**
   * The session for a packet: a nonzero Your Discriminator decides alone; a zero one (the
   * peer's first packets, State Down or AdminDown) goes by source address and port kind,
   * preferring a session bound to the local address it arrived on, then an unbound one.
   */
  select(packet: BfdControlPacket, meta: BfdReceiveMeta): BfdSelection<S> {
    if (packet.yourDiscriminator !== 0) {
      const session = this.byDiscriminator.get(packet.yourDiscriminator);
      return session ? { session } : { dropped: 'unknown-discriminator' };
    }
    const peer = canonicalAddress(meta.sourceAddress);
    const candidates = peer === undefined ? [] : (this.byPeer.get(peerKey(meta.destinationPort === BFD_MULTIHOP_PORT, peer)) ?? []);
    const local = meta.localAddress === undefined ? undefined : canonicalAddress(meta.localAddress);
    const session =
      (local !== undefined ? candidates.find((s) => s.localAddress === local) : undefined) ??
      candidates.find((s) => s.localAddress === undefined) ??
      (local === undefined ? candidates[0] : undefined);
    return session ? { session } : { dropped: 'no-session' };
  }

  /** Decodes a datagram, selects its session and hands it over; every failure is counted. */
  deliver(datagram: Uint8Array, meta: BfdReceiveMeta): BfdDeliveryOutcome<S> {
    const decoded = tryDecodeControl(datagram);
    if (!decoded.ok) {
      this.malformedCounts[decoded.error.reason] += 1;
      return { malformed: decoded.error };
    }
    const selected = this.select(decoded.packet, meta);
    if ('dropped' in selected) {
      this.droppedCounts[selected.dropped] += 1;
      return selected;
    }
    return { session: selected.session, outcome: selected.session.receive(decoded.packet, meta) };
  }

  /** §6.8.1: a random nonzero discriminator no session here uses. */
  allocateDiscriminator(random: () => number): number {
    const start = 1 + Math.floor(clampUnit(random()) * 0xffffffff);
    for (let i = 0; i < 0xffffffff; i++) {
      const candidate = ((start - 1 + i) % 0xffffffff) + 1;
      if (!this.byDiscriminator.has(candidate)) return candidate;
    }
    throw new BfdConfigError('bfd config: every discriminator is in use');
  }
}

function clampUnit(value: number): number {
  return Number.isFinite(value) && value >= 0 && value < 1 ? value : 0;
}

/**
 * RFC 5881 §4: a source port in 49152-65535 no other session uses, picked at random; when all
 * 16384 are taken a used one is shared, which §4 allows beyond that many sessions.
 */
export function allocateBfdSourcePort(inUse: ReadonlySet<number>, random: () => number): number {
  const span = BFD_SOURCE_PORT_MAX - BFD_SOURCE_PORT_MIN + 1;
  const start = Math.floor(clampUnit(random()) * span);
  for (let i = 0; i < span; i++) {
    const port = BFD_SOURCE_PORT_MIN + ((start + i) % span);
    if (!inUse.has(port)) return port;
  }
  return BFD_SOURCE_PORT_MIN + start;
}
