// One service CIDR as kube-apiserver's bitmap ipallocator.Range sees it: the network address, and
// for IPv4 the broadcast address, are never handed out, and IPv6 ranges are capped at 65536 slots.

import { formatIP, isIPv4MappedIPv6, parseIP, IPParseError, type Family, type IPAddress, type IPPrefix } from '@headland/api';
import { BandedBitmap, IP_BAND, staticBandSize, type Random } from './bitmap.js';

/** Service IP families as the API spells them. */
export type IPFamilyName = 'IPv4' | 'IPv6';

export const FAMILY_NAME: Readonly<Record<Family, IPFamilyName>> = { 4: 'IPv4', 6: 'IPv6' };

export function otherFamily(f: IPFamilyName): IPFamilyName {
  return f === 'IPv4' ? 'IPv6' : 'IPv4';
}

const IPV6_MAX_SLOTS = 65536n;
const DOTTED = /^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$/;

/**
 * Reads an address the way Go's netutils.ParseIPSloppy does: IPv4 parts may carry leading zeros
 * (still decimal), and ::ffff:a.b.c.d counts as IPv4. Undefined when it is no address at all.
 */
export function parseServiceIP(text: string): IPAddress | undefined {
  if (DOTTED.test(text)) {
    const parts = text.split('.').map(Number);
    if (parts.some((p) => p > 255)) return undefined;
    return { family: 4, value: parts.reduce((acc, p) => (acc << 8n) | BigInt(p), 0n) };
  }
  let ip: IPAddress;
  try {
    ip = parseIP(text);
  } catch (e) {
    if (e instanceof IPParseError) return undefined;
    throw e;
  }
  return isIPv4MappedIPv6(ip) ? { family: 4, value: ip.value & 0xffffffffn } : ip;
}

/** The family Go's net helpers would name for this text, or undefined when it is not an IP. */
export function familyOfText(text: string): IPFamilyName | undefined {
  const ip = parseServiceIP(text);
  return ip === undefined ? undefined : FAMILY_NAME[ip.family];
}

export class ServiceIPRange {
  readonly family: IPFamilyName;
  /** The CIDR as kube-apiserver prints it in errors: "198.19.128.0/20". */
  readonly cidr: string;
  readonly prefix: IPPrefix;
  // Slot 0 is the first address after the network address.
  readonly #base: bigint;
  readonly #bitmap: BandedBitmap;

  constructor(prefix: IPPrefix, random: Random) {
    this.prefix = prefix;
    this.family = FAMILY_NAME[this.prefix.family];
    this.cidr = `${formatIP({ family: this.prefix.family, value: this.prefix.first })}/${this.prefix.prefixLength}`;
    const size = rangeSize(this.prefix);
    let max = this.prefix.family === 6 ? (size > IPV6_MAX_SLOTS ? IPV6_MAX_SLOTS : size) : size - 1n;
    max -= 1n;
    if (max < 0n) max = 0n;
    this.#base = this.prefix.first + 1n;
    this.#bitmap = new BandedBitmap(Number(max), staticBandSize(size, IP_BAND), random);
  }

  /** How many addresses can be handed out. */
  get size(): number {
    return this.#bitmap.size;
  }

  get used(): number {
    return this.#bitmap.used;
  }

  /** The size of the low band kept for user-chosen addresses. */
  get staticBand(): number {
    return this.#bitmap.offset;
  }

  /** Undefined when taken, else the real allocator's error text. */
  allocate(ip: IPAddress): string | undefined {
    const slot = this.#slot(ip);
    if (slot === undefined) {
      return `the provided IP (${formatIP(ip)}) is not in the valid range. The range of valid IPs is ${this.cidr}`;
    }
    return this.#bitmap.take(slot) ? undefined : 'provided IP is already allocated';
  }

  /** A random free address, or undefined when the range is full. */
  allocateNext(): IPAddress | undefined {
    const slot = this.#bitmap.takeNext();
    return slot === undefined ? undefined : this.#ip(slot);
  }

  release(ip: IPAddress): void {
    const slot = this.#slot(ip);
    if (slot !== undefined) this.#bitmap.release(slot);
  }

  has(ip: IPAddress): boolean {
    const slot = this.#slot(ip);
    return slot !== undefined && this.#bitmap.has(slot);
  }

  clear(): void {
    this.#bitmap.clear();
  }

  /** The n-th address that can be handed out (0 is the first after the network address). */
  addressAt(slot: number): IPAddress {
    if (!Number.isInteger(slot) || slot < 0 || slot >= this.size) throw new RangeError(`slot ${slot} is outside ${this.cidr}`);
    return this.#ip(slot);
  }

  /** Allocated addresses, ascending, as Go prints them. */
  allocated(): string[] {
    return this.#bitmap.slots().map((s) => formatIP(this.#ip(s)));
  }

  #ip(slot: number): IPAddress {
    return { family: this.prefix.family, value: this.#base + BigInt(slot) };
  }

  #slot(ip: IPAddress): number | undefined {
    if (ip.family !== this.prefix.family || ip.value < this.prefix.first || ip.value > this.prefix.last) return undefined;
    const offset = ip.value - this.#base;
    return offset < 0n || offset >= BigInt(this.size) ? undefined : Number(offset);
  }
}

// netutils.RangeSize: 0 for /31 and /32 (and /127, /128), 2^host otherwise.
function rangeSize(p: IPPrefix): bigint {
  const host = (p.family === 4 ? 32 : 128) - p.prefixLength;
  return host <= 1 ? 0n : 1n << BigInt(host);
}
