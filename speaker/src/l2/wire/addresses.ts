// MAC, IPv4 and IPv6 addresses between the wire's bytes and the text the rest of the speaker uses.
// IPv6 text is RFC 5952 (api's formatIP); IPv4 is formatted by hand since every ARP frame needs it.

import { formatIP, ipFromBytes, ipToBytes, parseIP } from '@headland/api';
import { L2WireError } from './errors.js';

const MODULE = 'l2/wire/addresses';
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export const BROADCAST_MAC = 'ff:ff:ff:ff:ff:ff';
export const ZERO_MAC = '00:00:00:00:00:00';

export function macFromBytes(bytes: Uint8Array, offset: number): string {
  const h = (i: number): string => HEX[bytes[offset + i]!]!;
  return `${h(0)}:${h(1)}:${h(2)}:${h(3)}:${h(4)}:${h(5)}`;
}

/** The value of one hex digit's char code, or -1. */
function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  const lower = c | 0x20;
  return lower >= 97 && lower <= 102 ? lower - 87 : -1;
}

/** Writes "aa:bb:cc:dd:ee:ff" as 6 bytes at offset (by char codes: every reply frame does this). */
export function writeMac(mac: string, into: Uint8Array, offset: number): void {
  let ok = typeof mac === 'string' && mac.length === 17;
  for (let i = 0; ok && i < 6; i++) {
    const hi = hexDigit(mac.charCodeAt(i * 3));
    const lo = hexDigit(mac.charCodeAt(i * 3 + 1));
    if (hi < 0 || lo < 0 || (i < 5 && mac.charCodeAt(i * 3 + 2) !== 58)) ok = false;
    else into[offset + i] = (hi << 4) | lo;
  }
  if (!ok) throw new L2WireError(MODULE, 'value', `MAC ${JSON.stringify(mac)} is not like 02:00:5e:00:00:01`);
}

/** Group (multicast or broadcast) MACs have the I/G bit, the low bit of the first octet. */
export function isGroupMac(mac: string): boolean {
  return (parseInt(mac.slice(0, 2), 16) & 1) === 1;
}

export function ipv4FromBytes(bytes: Uint8Array, offset: number): string {
  return `${bytes[offset]}.${bytes[offset + 1]}.${bytes[offset + 2]}.${bytes[offset + 3]}`;
}

const DOTTED_PART = /^(?:0|[1-9][0-9]{0,2})$/;

/** Writes a dotted quad without BigInt (every ARP reply does this); anything unusual goes through api's parser for its error. */
export function writeIPv4(ip: string, into: Uint8Array, offset: number): void {
  const parts = typeof ip === 'string' ? ip.split('.') : [];
  if (parts.length === 4 && parts.every((p) => DOTTED_PART.test(p) && Number(p) <= 255)) {
    for (let i = 0; i < 4; i++) into[offset + i] = Number(parts[i]);
    return;
  }
  into.set(addressBytes(ip, 4), offset);
}

export function ipv6FromBytes(bytes: Uint8Array, offset: number): string {
  return formatIP(ipFromBytes(bytes.subarray(offset, offset + 16)));
}

export function writeIPv6(ip: string, into: Uint8Array, offset: number): void {
  into.set(addressBytes(ip, 6), offset);
}

/** The address's bytes (4 or 16), checking its family; L2WireError for text that is not one. */
export function addressBytes(ip: string, family: 4 | 6): Uint8Array {
  let parsed;
  try {
    parsed = parseIP(ip);
  } catch {
    throw new L2WireError(MODULE, 'value', `${JSON.stringify(ip)} is not an IP address`);
  }
  if (parsed.family !== family) throw new L2WireError(MODULE, 'value', `${ip} is not an IPv${family} address`);
  return ipToBytes(parsed);
}

/** RFC 4291 §2.7.1: ff02::1:ffXX:XXXX from the low 24 bits of the address. */
export function solicitedNodeAddress(ip: string): string {
  const b = addressBytes(ip, 6);
  const group = Uint8Array.of(0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0xff, b[13]!, b[14]!, b[15]!);
  return ipv6FromBytes(group, 0);
}

/** RFC 2464 §7: an IPv6 multicast address maps to 33:33 and its low 32 bits. */
export function ipv6MulticastMac(ip: string): string {
  const b = addressBytes(ip, 6);
  if (b[0] !== 0xff) throw new L2WireError(MODULE, 'value', `${ip} is not an IPv6 multicast address`);
  return macFromBytes(Uint8Array.of(0x33, 0x33, b[12]!, b[13]!, b[14]!, b[15]!), 0);
}

export function isIPv6Multicast(bytes: Uint8Array, offset: number): boolean {
  return bytes[offset] === 0xff;
}

export function isIPv6Unspecified(bytes: Uint8Array, offset: number): boolean {
  for (let i = 0; i < 16; i++) if (bytes[offset + i] !== 0) return false;
  return true;
}
