// The allocatable addresses of one pool family numbered 0..size-1 in ascending order, with
// avoidBuggyIPs (.0 and .255 skipped, IPv4 only) folded into the numbering by arithmetic.
import { type Family, type IPAddress, type IPSet } from '@headland/api';

/** Why an address of the pool is not allocatable, or undefined when it is. */
export type Exclusion = 'not-in-pool' | 'buggy';

export interface AddressSpace {
  readonly family: Family;
  /** Allocatable addresses, exact. */
  readonly size: bigint;
  nth(index: bigint): IPAddress | undefined;
  /** The index of an allocatable address, or why it has none. */
  indexOf(ip: IPAddress): bigint | Exclusion;
}

/** The allocatable space of one family of a pool, or undefined when the pool has none. */
export function addressSpace(addresses: IPSet, family: Family, avoidBuggyIPs: boolean): AddressSpace | undefined {
  const space = family === 4 && avoidBuggyIPs ? new SkippingSpace(addresses) : new PlainSpace(addresses, family);
  return space.size > 0n ? space : undefined;
}

export function isBuggy(ip: IPAddress): boolean {
  const low = ip.value & 0xffn;
  return ip.family === 4 && (low === 0n || low === 0xffn);
}

class PlainSpace implements AddressSpace {
  readonly size: bigint;
  constructor(
    readonly addresses: IPSet,
    readonly family: Family,
  ) {
    this.size = addresses.size(family);
  }

  nth(index: bigint): IPAddress | undefined {
    return this.addresses.nth(this.family, index);
  }

  indexOf(ip: IPAddress): bigint | Exclusion {
    if (ip.family !== this.family) return 'not-in-pool';
    return this.addresses.indexOf(ip) ?? 'not-in-pool';
  }
}

// allocatableBelow(v): how many IPv4 values in [0, v) end in neither .0 nor .255.
function allocatableBelow(v: bigint): bigint {
  return v - (v + 255n) / 256n - v / 256n;
}

// The inverse: the k-th value (0-based) that ends in neither .0 nor .255.
function kthAllocatable(k: bigint): bigint {
  return (k / 254n) * 256n + 1n + (k % 254n);
}

interface RankedRange {
  readonly first: bigint;
  readonly last: bigint;
  // Allocatable addresses in earlier ranges.
  readonly offset: bigint;
  // allocatableBelow(first), so a rank inside the range is one subtraction away.
  readonly base: bigint;
}

class SkippingSpace implements AddressSpace {
  readonly family = 4 as const;
  readonly size: bigint;
  readonly #ranges: RankedRange[] = [];

  constructor(readonly addresses: IPSet) {
    let offset = 0n;
    for (const { first, last } of addresses.ranges(4)) {
      const base = allocatableBelow(first);
      const count = allocatableBelow(last + 1n) - base;
      // A range of only .0/.255 addresses holds no index; leaving it out keeps nth's search simple.
      if (count === 0n) continue;
      this.#ranges.push({ first, last, offset, base });
      offset += count;
    }
    this.size = offset;
  }

  nth(index: bigint): IPAddress | undefined {
    if (index < 0n || index >= this.size) return undefined;
    const r = this.#ranges[countWhile(this.#ranges.length, (i) => (this.#ranges[i]?.offset ?? 0n) <= index) - 1];
    if (r === undefined) return undefined;
    return { family: 4, value: kthAllocatable(r.base + (index - r.offset)) };
  }

  indexOf(ip: IPAddress): bigint | Exclusion {
    if (ip.family !== 4 || !this.addresses.contains(ip)) return 'not-in-pool';
    if (isBuggy(ip)) return 'buggy';
    const r = this.#ranges[countWhile(this.#ranges.length, (i) => (this.#ranges[i]?.first ?? 0n) <= ip.value) - 1];
    if (r === undefined) return 'not-in-pool';
    return r.offset + allocatableBelow(ip.value) - r.base;
  }
}

// Binary search: how many leading indexes satisfy a predicate that holds up to some point.
function countWhile(length: number, holds: (index: number) => boolean): number {
  let low = 0;
  let high = length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (holds(middle)) low = middle + 1;
    else high = middle;
  }
  return low;
}
