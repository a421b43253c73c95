// Address and prefix handling for topology files, and the lab's address plan (which ranges are ours).
// Parsing is the api's strict parser; this module adds prefixes-with-host-bits and the lab ranges.

import { IPParseError, parseIP, type Family, type IPAddress } from '@headland/api';

export type { Family };
export type Address = IPAddress;

export interface Prefix extends Address {
  /** Prefix length; addresses written without one get the host length (32 or 128). */
  readonly length: number;
}

const BITS = { 4: 32, 6: 128 } as const satisfies Record<Family, number>;

/** The lab's ranges: fabric and pods, the mgmt subnet, and the service pools (RFC 2544, 5737, 3849). */
export const LAB_RANGES: readonly string[] = ['198.18.0.0/15', '203.0.113.0/24', '2001:db8::/32'];
export const MGMT_SUBNET = '198.19.255.0/24';
export const MGMT_GATEWAY = '198.19.255.1';

/** The address, or a sentence saying why the text is not one. */
export function parseAddress(text: string): Address | string {
  if (text.includes('%')) return 'zone indexes are not allowed';
  try {
    return parseIP(text);
  } catch (e) {
    if (e instanceof IPParseError) return 'not an IPv4 or IPv6 address';
    throw e;
  }
}

/** "a/len" (or a bare address, as a host prefix), or a sentence saying what is wrong. */
export function parsePrefix(text: string): Prefix | string {
  const slash = text.indexOf('/');
  const addrText = slash < 0 ? text : text.slice(0, slash);
  const addr = parseAddress(addrText);
  if (typeof addr === 'string') return `"${addrText}" is ${addr}`;
  if (slash < 0) return { ...addr, length: BITS[addr.family] };
  const lenText = text.slice(slash + 1);
  const length = /^[0-9]{1,3}$/.test(lenText) ? Number(lenText) : NaN;
  if (!(length >= 0 && length <= BITS[addr.family])) return `prefix length "${lenText}" is not 0..${BITS[addr.family]}`;
  return { ...addr, length };
}

export function formatAddress(a: Address): string {
  if (a.family === 4) {
    return [24n, 16n, 8n, 0n].map((s) => ((a.value >> s) & 0xffn).toString()).join('.');
  }
  const groups = Array.from({ length: 8 }, (_, i) => Number((a.value >> BigInt(112 - 16 * i)) & 0xffffn));
  // RFC 5952: compress the longest run (at least two) of zero groups, the first one on a tie.
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) { bestStart = i; bestLen = j - i; }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

export function formatPrefix(p: Prefix): string {
  return `${formatAddress(p)}/${p.length}`;
}

function mask(family: Family, length: number): bigint {
  const bits = BigInt(BITS[family]);
  return ((1n << bits) - 1n) ^ ((1n << (bits - BigInt(length))) - 1n);
}

export function contains(net: Prefix, a: Address): boolean {
  return net.family === a.family && (a.value & mask(net.family, net.length)) === (net.value & mask(net.family, net.length));
}

/** True when the prefix's host bits are zero (a network, not an interface address). */
export function isNetwork(p: Prefix): boolean {
  return (p.value & mask(p.family, p.length)) === p.value;
}

/** The first usable host of a network: the node's bridge address on its pod subnet. */
export function firstHost(net: Prefix): Address {
  return { family: net.family, value: (net.value & mask(net.family, net.length)) + 1n };
}

const labRanges = LAB_RANGES.map((r) => parsePrefix(r) as Prefix);
const mgmtRange = parsePrefix(MGMT_SUBNET) as Prefix;

/** Inside the lab's fabric/pod/service ranges and not in the mgmt subnet. */
export function isLabAddress(a: Address): boolean {
  return labRanges.some((r) => contains(r, a)) && !contains(mgmtRange, a);
}

/** A whole prefix lies inside one lab range (and outside the mgmt subnet). */
export function isLabPrefix(p: Prefix): boolean {
  return labRanges.some((r) => r.length <= p.length && contains(r, p)) && !(contains(mgmtRange, p) || contains(p, mgmtRange));
}

export function isMgmtAddress(a: Address): boolean {
  return contains(mgmtRange, a);
}
