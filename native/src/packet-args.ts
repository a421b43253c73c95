// Checks every argument of the AF_PACKET functions before the addon sees it, so a bad value is a
// NativeArgumentError naming the argument instead of an errno from the kernel. Pure, no I/O.

import { NativeArgumentError } from './errors.js';

const MODULE = 'native/packet';
/** IFNAMSIZ - 1: the kernel's longest interface name. */
export const MAX_INTERFACE_NAME_BYTES = 15;
/** An Ethernet header; anything shorter is not a frame. */
export const ETHERNET_HEADER_BYTES = 14;

export const PACKET_PROTOCOLS = ['arp', 'ndp'] as const;
/** What the socket's kernel filter lets through: ARP frames, ICMPv6 Neighbor Solicitations. */
export type PacketProtocol = (typeof PACKET_PROTOCOLS)[number];

function fail(what: string): never {
  throw new NativeArgumentError(`${MODULE}: ${what}`);
}

const show = (value: unknown): string => (typeof value === 'string' ? JSON.stringify(value) : String(value));

export function checkInterfaceName(name: unknown): string {
  if (typeof name !== 'string' || name.length === 0) fail(`interface name ${show(name)} must be a non-empty string`);
  if (Buffer.byteLength(name) > MAX_INTERFACE_NAME_BYTES) fail(`interface name ${show(name)} is longer than ${MAX_INTERFACE_NAME_BYTES} bytes`);
  if (/[\s/:]/.test(name) || name === '.' || name === '..') fail(`interface name ${show(name)} has a character Linux refuses in interface names`);
  return name;
}

/** The bit mask packet.c takes: 1 ARP, 2 Neighbor Solicitation. */
export function checkProtocols(protocols: unknown): number {
  if (!Array.isArray(protocols) || protocols.length === 0) fail('protocols must be a non-empty list of "arp" and "ndp"');
  let mask = 0;
  for (const p of protocols as unknown[]) {
    const i = PACKET_PROTOCOLS.indexOf(p as PacketProtocol);
    if (i < 0) fail(`protocol ${show(p)} is not one of ${PACKET_PROTOCOLS.join(', ')}`);
    mask |= 1 << i;
  }
  return mask;
}

/** A MAC address as 6 bytes, from "aa:bb:cc:dd:ee:ff" (or with dashes) or 6 bytes. */
export function checkMac(mac: unknown, what = 'mac'): Buffer {
  if (mac instanceof Uint8Array) {
    if (mac.length !== 6) fail(`${what} is ${mac.length} bytes, not 6`);
    return Buffer.from(mac);
  }
  if (typeof mac !== 'string' || !/^[0-9a-f]{2}([:-][0-9a-f]{2}){5}$/i.test(mac)) fail(`${what} ${show(mac)} is not a MAC address like 02:00:5e:00:00:01`);
  return Buffer.from(mac.split(/[:-]/).map((h) => parseInt(h, 16)));
}

/** A multicast MAC (I/G bit set), as PACKET_ADD_MEMBERSHIP with PACKET_MR_MULTICAST wants. */
export function checkMulticastMac(mac: unknown): Buffer {
  const bytes = checkMac(mac, 'multicast mac');
  if ((bytes[0]! & 1) === 0) fail(`multicast mac ${formatMac(bytes)} is a unicast address (group bit not set)`);
  return bytes;
}

/** A whole Ethernet frame to send: header included, at most the interface MTU of payload. */
export function checkFrame(frame: unknown, mtu: number): Buffer {
  if (!(frame instanceof Uint8Array)) fail('frame must be a Uint8Array or Buffer');
  if (frame.length < ETHERNET_HEADER_BYTES) fail(`frame is ${frame.length} bytes, shorter than an Ethernet header (14)`);
  if (frame.length > mtu + ETHERNET_HEADER_BYTES) fail(`frame is ${frame.length} bytes, more than the interface MTU ${mtu} + 14`);
  return Buffer.isBuffer(frame) ? frame : Buffer.from(frame.buffer, frame.byteOffset, frame.length);
}

const DOTTED_QUAD = /^(?:0|[1-9][0-9]{0,2})(?:\.(?:0|[1-9][0-9]{0,2})){3}$/;

/** Dotted-quad IPv4 addresses as 4 network-order bytes each, the ARP fast path's table. */
export function checkIPv4List(ips: unknown): Buffer {
  if (!Array.isArray(ips)) fail('ipv4 must be a list of dotted-quad IPv4 addresses');
  const out = Buffer.alloc(4 * ips.length);
  (ips as unknown[]).forEach((ip, i) => {
    const parts = typeof ip === 'string' && DOTTED_QUAD.test(ip) ? ip.split('.').map(Number) : [];
    if (parts.length !== 4 || parts.some((p) => p > 255)) fail(`ipv4 address ${show(ip)} is not a dotted-quad IPv4 address`);
    out.set(parts, 4 * i);
  });
  return out;
}

export function formatMac(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(':');
}
