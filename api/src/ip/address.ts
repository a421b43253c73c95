// Single IPv4/IPv6 addresses as BigInt values: strict parsing, RFC 5952 formatting, ordering.
// Strict on purpose: pool specs are user input, so inet_aton shorthands and zones are refused.

import { quote } from './quote.js';

export type Family = 4 | 6;

export const FAMILY_BITS = { 4: 32, 6: 128 } as const satisfies Record<Family, number>;

export interface IPAddress {
  readonly family: Family;
  readonly value: bigint;
}

/** Every IP-math rejection: bad text, and also out-of-range values handed in by code. */
export class IPParseError extends Error {
  override readonly name = 'IPParseError';
  constructor(detail: string) {
    super(`ip: ${detail}`);
  }
}

// The longest textual address: ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255
const MAX_TEXT_LENGTH = 45;
const IPV4_PART = /^(?:0|[1-9][0-9]{0,2})$/;
const HEX_GROUP = /^[0-9a-f]{1,4}$/i;
const IPV4_MAPPED_HIGH = 0xffffn;

export function familyMax(family: Family): bigint {
  return (1n << BigInt(FAMILY_BITS[family])) - 1n;
}

export function isFamily(family: unknown): family is Family {
  return family === 4 || family === 6;
}

/** The address with this family and value; throws IPParseError when the value does not fit. */
export function makeIP(family: Family, value: bigint): IPAddress {
  const reason = addressProblem(family, value);
  if (reason !== undefined) throw new IPParseError(reason);
  return { family, value };
}

export function parseIP(text: string): IPAddress {
  const result = parseOrExplain(text);
  if (typeof result === 'string') throw new IPParseError(`${quote(text)} is not an IP address: ${result}`);
  return result;
}

export function isValidIP(text: string): boolean {
  return typeof parseOrExplain(text) !== 'string';
}

export function formatIP(a: IPAddress): string {
  const reason = addressProblem(a?.family, a?.value);
  if (reason !== undefined) throw new IPParseError(`cannot format: ${reason}`);
  if (a.family === 4) return formatIPv4(a.value);
  if (isIPv4MappedIPv6(a)) return `::ffff:${formatIPv4(a.value & 0xffffffffn)}`;
  return formatIPv6(a.value);
}

/** ::ffff:a.b.c.d (RFC 4291 2.5.5.2): an IPv6 value, never equal to the IPv4 address. */
export function isIPv4MappedIPv6(a: IPAddress): boolean {
  return a.family === 6 && a.value >> 32n === IPV4_MAPPED_HIGH;
}

/** IPv4 sorts before IPv6, then by numeric value. */
export function compareIP(a: IPAddress, b: IPAddress): number {
  if (a.family !== b.family) return a.family - b.family;
  return a.value < b.value ? -1 : a.value > b.value ? 1 : 0;
}

/** Undefined when family and value make a valid address, else what is wrong. */
export function addressProblem(family: unknown, value: unknown): string | undefined {
  if (!isFamily(family)) return `family ${String(family)} is not 4 or 6`;
  if (typeof value !== 'bigint') return `value of an IPv${family} address is a ${typeof value}, not a bigint`;
  if (value < 0n || value > familyMax(family)) return `value ${value} is out of range for IPv${family}`;
  return undefined;
}

// Returns the address, or a sentence saying what is wrong, so isValidIP needs no try/catch.
function parseOrExplain(text: unknown): IPAddress | string {
  if (typeof text !== 'string') return 'it is not a string';
  if (text === '') return 'it is empty';
  if (text.length > MAX_TEXT_LENGTH) return `it is longer than any address (${MAX_TEXT_LENGTH} characters)`;
  if (/\s/.test(text)) return 'it contains whitespace';
  if (text.includes('%')) return 'zones (%interface) are not accepted';
  if (text.includes('/')) return 'it has a prefix length; a bare address is expected';
  if (text.includes(':')) return parseIPv6(text);
  if (text.includes('.')) return parseIPv4(text);
  return 'it is neither dotted IPv4 nor colon-separated IPv6';
}

function parseIPv4(text: string): IPAddress | string {
  const value = ipv4Value(text);
  return typeof value === 'string' ? value : { family: 4, value };
}

function ipv4Value(text: string): bigint | string {
  const parts = text.split('.');
  if (parts.length !== 4) return `IPv4 needs exactly 4 dot-separated parts, found ${parts.length}`;
  let value = 0n;
  for (const part of parts) {
    if (part === '') return 'IPv4 has an empty part';
    if (!/^[0-9]+$/.test(part)) return `IPv4 part ${quote(part)} is not decimal`;
    if (!IPV4_PART.test(part)) {
      return part.length > 1 && part.startsWith('0')
        ? `IPv4 part ${quote(part)} has a leading zero (octal is not accepted)`
        : `IPv4 part ${quote(part)} is greater than 255`;
    }
    const octet = Number(part);
    if (octet > 255) return `IPv4 part ${quote(part)} is greater than 255`;
    value = (value << 8n) | BigInt(octet);
  }
  return value;
}

function parseIPv6(text: string): IPAddress | string {
  if (text.includes(':::')) return "':::' is not valid";
  const halves = text.split('::');
  if (halves.length > 2) return "'::' may appear only once";
  const compressed = halves.length === 2;
  const head = groupsOf(halves[0] ?? '');
  const tail = compressed ? groupsOf(halves[1] ?? '') : [];
  if (head === undefined || tail === undefined) return "it has an empty group (a stray ':' at the start or end, or between two groups)";

  // Only the very last group of the address may be a dotted IPv4 tail.
  const headWords = wordsOf(head, !compressed);
  if (typeof headWords === 'string') return headWords;
  const tailWords = wordsOf(tail, true);
  if (typeof tailWords === 'string') return tailWords;
  const count = headWords.length + tailWords.length;
  if (compressed && count > 7) return `'::' stands for at least one zero group, but ${count} groups are already written`;
  if (!compressed && count !== 8) return `it has ${count} groups; 8 are needed unless '::' is used`;

  const all = [...headWords, ...new Array<number>(8 - count).fill(0), ...tailWords];
  const value = all.reduce((acc, word) => (acc << 16n) | BigInt(word), 0n);
  return { family: 6, value };
}

// 16-bit words of the groups; a dotted IPv4 group becomes two words.
function wordsOf(groups: readonly string[], lastMayBeIPv4: boolean): number[] | string {
  const words: number[] = [];
  for (const [i, group] of groups.entries()) {
    if (group.includes('.')) {
      if (!lastMayBeIPv4 || i !== groups.length - 1) return `embedded IPv4 ${quote(group)} is allowed only as the last part`;
      const v4 = ipv4Value(group);
      if (typeof v4 === 'string') return `embedded ${v4}`;
      words.push(Number(v4 >> 16n), Number(v4 & 0xffffn));
    } else {
      if (!HEX_GROUP.test(group)) return `group ${quote(group)} is not 1 to 4 hex digits`;
      words.push(parseInt(group, 16));
    }
  }
  return words;
}

// An empty segment has no groups; otherwise every colon-separated group must be non-empty.
function groupsOf(segment: string): string[] | undefined {
  if (segment === '') return [];
  const groups = segment.split(':');
  return groups.includes('') ? undefined : groups;
}

function formatIPv4(value: bigint): string {
  return [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 0xffn)).join('.');
}

// RFC 5952 4.2: compress the longest run of two or more zero groups, the first on a tie.
function formatIPv6(value: bigint): string {
  const groups = Array.from({ length: 8 }, (_, i) => Number((value >> BigInt(112 - 16 * i)) & 0xffffn));
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let end = i;
    while (end < 8 && groups[end] === 0) end++;
    if (end - i > bestLength) {
      bestStart = i;
      bestLength = end - i;
    }
    i = end;
  }
  const hex = (gs: number[]): string => gs.map((g) => g.toString(16)).join(':');
  if (bestStart < 0) return hex(groups);
  return `${hex(groups.slice(0, bestStart))}::${hex(groups.slice(bestStart + bestLength))}`;
}
