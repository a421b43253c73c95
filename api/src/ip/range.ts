// Inclusive address ranges of one family: CIDR and a-b parsing, sizes, minimal CIDR covers,
// and the aggregate prefixes that BGP announcements and pool validation need.

import { FAMILY_BITS, IPParseError, addressProblem, formatIP, parseIP, type Family, type IPAddress } from './address.js';
import { quote } from './quote.js';

export interface IPRange {
  readonly family: Family;
  readonly first: bigint;
  readonly last: bigint;
}

export type IPPrefix = IPRange & { readonly prefixLength: number };

const DECIMAL_PREFIX = /^(?:0|[1-9][0-9]*)$/;
// The dash and any spaces beside it; the addresses themselves are checked by parseIP.
const RANGE_TEXT = /^([^\s-]*) *- *([^\s-]*)$/;

export function parseCIDR(text: string): IPPrefix {
  if (typeof text !== 'string') throw new IPParseError(`${quote(text)} is not a CIDR`);
  const parts = text.split('/');
  if (parts.length !== 2) {
    throw new IPParseError(`${quote(text)} is not a CIDR: ${parts.length < 2 ? 'the /prefix-length is missing' : "it has more than one '/'"}`);
  }
  const [addressText = '', prefixText = ''] = parts;
  const address = parseIP(addressText);
  const bits = FAMILY_BITS[address.family];
  if (!DECIMAL_PREFIX.test(prefixText)) {
    throw new IPParseError(`${quote(text)} is not a CIDR: prefix length ${quote(prefixText)} is not a decimal number without leading zeros`);
  }
  const prefixLength = Number(prefixText);
  if (prefixLength > bits) {
    throw new IPParseError(`${quote(text)} is not a CIDR: prefix length ${prefixLength} is longer than ${bits} bits of IPv${address.family}`);
  }
  const network = prefixOf(address, prefixLength);
  if (network.first !== address.value) {
    throw new IPParseError(`${text} has host bits set (the network is ${formatIP({ family: address.family, value: network.first })}/${prefixLength})`);
  }
  return network;
}

/** "first-last", spaces allowed beside the dash, both ends of one family, first <= last. */
export function parseRange(text: string): IPRange {
  if (typeof text !== 'string') throw new IPParseError(`${quote(text)} is not a range`);
  const match = RANGE_TEXT.exec(text);
  if (match === null) throw new IPParseError(`${quote(text)} is not a range: expected "first-last" with one '-'`);
  const first = parseIP(match[1] ?? '');
  const last = parseIP(match[2] ?? '');
  if (first.family !== last.family) {
    throw new IPParseError(`${quote(text)} mixes families: ${formatIP(first)} is IPv${first.family}, ${formatIP(last)} is IPv${last.family}`);
  }
  if (first.value > last.value) {
    throw new IPParseError(`${quote(text)} is reversed: ${formatIP(first)} comes after ${formatIP(last)}`);
  }
  return { family: first.family, first: first.value, last: last.value };
}

/** One entry of IPAddressPool.spec.addresses: a CIDR or a first-last range. */
export function parsePoolEntry(text: string): IPRange {
  if (typeof text === 'string' && text.includes('/')) {
    const { family, first, last } = parseCIDR(text);
    return { family, first, last };
  }
  if (typeof text === 'string' && text.includes('-')) return parseRange(text);
  throw new IPParseError(`${quote(text)} is not a pool entry: expected a CIDR (192.0.2.0/24) or a range (192.0.2.10-192.0.2.20)`);
}

export function rangeSize(r: IPRange): bigint {
  return r.last - r.first + 1n;
}

export function rangesOverlap(a: IPRange, b: IPRange): boolean {
  return a.family === b.family && a.first <= b.last && b.first <= a.last;
}

export function rangeContains(r: IPRange, ip: IPAddress): boolean {
  return r.family === ip.family && r.first <= ip.value && ip.value <= r.last;
}

/** "net/len" when the range is exactly one CIDR block, otherwise "first-last". */
export function formatRange(r: IPRange): string {
  checkRange(r);
  const length = exactPrefixLength(r);
  const first = formatIP({ family: r.family, value: r.first });
  if (length !== undefined) return `${first}/${length}`;
  return `${first}-${formatIP({ family: r.family, value: r.last })}`;
}

/** The fewest CIDR blocks that together hold exactly the range, ascending. */
export function rangeToCIDRs(r: IPRange): string[] {
  checkRange(r);
  const bits = FAMILY_BITS[r.family];
  const cidrs: string[] = [];
  let first = r.first;
  // Each step takes the largest block aligned at `first` that does not pass `last`:
  // at most 2 blocks per bit, so an IPv6 range needs at most 256 steps.
  while (first <= r.last) {
    let hostBits = first === 0n ? bits : trailingZeros(first);
    while (first + (1n << BigInt(hostBits)) - 1n > r.last) hostBits--;
    cidrs.push(`${formatIP({ family: r.family, value: first })}/${bits - hostBits}`);
    first += 1n << BigInt(hostBits);
  }
  return cidrs;
}

/** The /prefixLength block that holds ip, e.g. 192.0.2.77 /24 -> 192.0.2.0/24. */
export function prefixOf(ip: IPAddress, prefixLength: number): IPPrefix {
  const problem = addressProblem(ip?.family, ip?.value);
  if (problem !== undefined) throw new IPParseError(`prefixOf: ${problem}`);
  const bits = FAMILY_BITS[ip.family];
  if (!Number.isInteger(prefixLength) || prefixLength < 0 || prefixLength > bits) {
    throw new IPParseError(`prefixOf: prefix length ${String(prefixLength)} is not an integer from 0 to ${bits} for IPv${ip.family}`);
  }
  const hostMask = (1n << BigInt(bits - prefixLength)) - 1n;
  const first = ip.value & ~hostMask;
  return { family: ip.family, first, last: first | hostMask, prefixLength };
}

/**
 * The longest prefix length p whose /p block around r.first also holds r.last: the tightest
 * single aggregate of the range (a /24 pool gives 24, 192.0.2.255-192.0.3.0 gives 23).
 */
export function largestPrefixCovering(r: IPRange): number {
  checkRange(r);
  return FAMILY_BITS[r.family] - bitLength(r.first ^ r.last);
}

/** Throws IPParseError unless r is a well-formed range (family, values in range, first <= last). */
export function checkRange(r: IPRange): void {
  const problem = rangeProblem(r);
  if (problem !== undefined) throw new IPParseError(problem);
}

export function rangeProblem(r: IPRange): string | undefined {
  if (typeof r !== 'object' || r === null) return `range is ${quote(r)}, not an object`;
  const problem = addressProblem(r.family, r.first) ?? addressProblem(r.family, r.last);
  if (problem !== undefined) return `range is invalid: ${problem}`;
  if (r.first > r.last) return `range is invalid: first ${r.first} is after last ${r.last}`;
  return undefined;
}

function exactPrefixLength(r: IPRange): number | undefined {
  const length = largestPrefixCovering(r);
  const block = prefixOf({ family: r.family, value: r.first }, length);
  return block.first === r.first && block.last === r.last ? length : undefined;
}

function trailingZeros(value: bigint): number {
  let count = 0;
  while ((value & 1n) === 0n) {
    value >>= 1n;
    count++;
  }
  return count;
}

function bitLength(value: bigint): number {
  return value === 0n ? 0 : value.toString(2).length;
}
