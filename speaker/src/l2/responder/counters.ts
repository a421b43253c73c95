// What the responders count, for the speaker's metrics: frames received, replies and gratuitous
// packets sent per protocol, and every dropped frame under exactly one named reason.

import { WIRE_ERROR_REASONS } from '../wire/errors.js';

/** Reasons the responder itself refuses a well-formed frame (the wire's reasons come first). */
export const REFUSAL_REASONS = [
  /** ARP operation other than request (replies, RARP, InARP). */
  'opcode',
  /** An ICMPv6 ND message that is not a Neighbor Solicitation (an advertisement). */
  'not-solicitation',
  /** NS whose IPv6 hop limit is not 255: it crossed a router (RFC 4861 §7.1.1). */
  'hop-limit',
  /** NS for a multicast target (RFC 4861 §7.1.1). */
  'target-multicast',
  /** DAD probe (source ::) with a source link-layer option or not to a solicited-node group (§7.1.1). */
  'bad-dad',
  /** Sender MAC is multicast or broadcast: no host has it, so no reply can go there. */
  'group-sender',
  /** Sender IP is one we own: someone else claims it (a spoof or a conflict); never answered. */
  'spoofed-sender',
  /** Asks for an IP this node does not own on that interface. */
  'not-owned',
] as const;

export const DROP_REASONS = [...WIRE_ERROR_REASONS, ...REFUSAL_REASONS] as const;
export type DropReason = (typeof DROP_REASONS)[number];
export type L2Protocol = 'arp' | 'ndp';

export interface PacketResponderCounters {
  /** Frames the kernel filter passed to us (ARP of any kind, Neighbor Solicitations). */
  readonly received: Record<L2Protocol, number>;
  readonly replies: Record<L2Protocol, number>;
  readonly gratuitous: Record<L2Protocol, number>;
  readonly dropped: Record<DropReason, number>;
  /** Frames the kernel would not queue (send buffer full). */
  readonly sendFailures: number;
  /** Frames the kernel dropped before we read them (socket receive queue full). */
  readonly kernelDrops: number;
}

/** A fresh set of zero counters, mutable for the one responder that owns it. */
export function zeroCounters(): { -readonly [K in keyof PacketResponderCounters]: PacketResponderCounters[K] } {
  return {
    received: { arp: 0, ndp: 0 },
    replies: { arp: 0, ndp: 0 },
    gratuitous: { arp: 0, ndp: 0 },
    dropped: Object.fromEntries(DROP_REASONS.map((r) => [r, 0])) as Record<DropReason, number>,
    sendFailures: 0,
    kernelDrops: 0,
  };
}

export function copyCounters(c: PacketResponderCounters): PacketResponderCounters {
  return { ...c, received: { ...c.received }, replies: { ...c.replies }, gratuitous: { ...c.gratuitous }, dropped: { ...c.dropped } };
}
