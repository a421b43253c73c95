// An immutable set of addresses kept as sorted, merged ranges per family with prefix sums,
// so membership, nth and indexOf cost O(log k) in the number of ranges, not the pool size.

import { IPParseError, compareIP, formatIP, isFamily, type Family, type IPAddress } from './address.js';
import { checkRange, rangeSize, type IPRange } from './range.js';

// Ranges of one family, disjoint and non-adjacent, ascending; offsets[i] counts the
// addresses in ranges before i, so the address at index n lives in the last range whose
// offset is <= n.
interface FamilyRanges {
  readonly ranges: readonly IPRange[];
  readonly offsets: readonly bigint[];
  readonly size: bigint;
}

// Frozen, so the arrays that ranges() hands out cannot be used to change a set.
const EMPTY: FamilyRanges = Object.freeze({ ranges: Object.freeze([] as IPRange[]), offsets: Object.freeze([] as bigint[]), size: 0n }) as FamilyRanges;

export class IPSet {
  readonly #byFamily: Readonly<Record<Family, FamilyRanges>>;

  private constructor(byFamily: Record<Family, FamilyRanges>) {
    this.#byFamily = byFamily;
  }

  /** Sorts the ranges and merges those that overlap or touch; throws IPParseError on a malformed range. */
  static from(ranges: Iterable<IPRange>): IPSet {
    const input: Record<Family, IPRange[]> = { 4: [], 6: [] };
    for (const r of ranges) {
      checkRange(r);
      input[r.family].push({ family: r.family, first: r.first, last: r.last });
    }
    return new IPSet({ 4: merge(input[4]), 6: merge(input[6]) });
  }

  ranges(family: Family): readonly IPRange[] {
    return this.#of(family).ranges;
  }

  /** Exact count of addresses in one family, or in both when no family is given. */
  size(family?: Family): bigint {
    if (family === undefined) return this.#byFamily[4].size + this.#byFamily[6].size;
    return this.#of(family).size;
  }

  contains(ip: IPAddress): boolean {
    if (!isFamily(ip?.family)) return false;
    return this.#rangeIndexOf(ip) !== undefined;
  }

  /** The n-th address (0-based, ascending) of a family, or undefined past the end. */
  nth(family: Family, n: bigint): IPAddress | undefined {
    const { ranges, offsets, size } = this.#of(family);
    if (typeof n !== 'bigint' || n < 0n || n >= size) return undefined;
    const i = countWhile(offsets.length, (k) => (offsets[k] ?? 0n) <= n) - 1;
    const r = ranges[i];
    const offset = offsets[i];
    if (r === undefined || offset === undefined) return undefined;
    return { family, value: r.first + (n - offset) };
  }

  /** Where ip sits in ascending order within its family: the inverse of nth. */
  indexOf(ip: IPAddress): bigint | undefined {
    if (!isFamily(ip?.family)) return undefined;
    const i = this.#rangeIndexOf(ip);
    if (i === undefined) return undefined;
    const { ranges, offsets } = this.#byFamily[ip.family];
    const r = ranges[i];
    const offset = offsets[i];
    if (r === undefined || offset === undefined) return undefined;
    return offset + (ip.value - r.first);
  }

  /**
   * Addresses of a family in ascending order, produced lazily, starting at `from` (or the next
   * address in the set after it); checks its arguments before the first address is asked for.
   */
  iterate(family: Family, from?: IPAddress): Generator<IPAddress> {
    const { ranges } = this.#of(family);
    if (from !== undefined && from.family !== family) {
      throw new IPParseError(`iterate over IPv${family} cannot start from ${formatIP(from)}, an IPv${from.family} address`);
    }
    const start = from?.value ?? 0n;
    // Skip the ranges that end before `start`.
    let i = countWhile(ranges.length, (k) => (ranges[k]?.last ?? 0n) < start);
    return (function* walk(): Generator<IPAddress> {
      for (; i < ranges.length; i++) {
        const r = ranges[i];
        if (r === undefined) return;
        for (let v = r.first > start ? r.first : start; v <= r.last; v++) yield { family, value: v };
      }
    })();
  }

  /** The first (lowest, IPv4 before IPv6) maximal run of addresses in both sets. */
  overlaps(other: IPSet): IPRange | undefined {
    for (const family of [4, 6] as const) {
      const mine = this.ranges(family);
      const theirs = other.ranges(family);
      let i = 0;
      let j = 0;
      while (i < mine.length && j < theirs.length) {
        const a = mine[i];
        const b = theirs[j];
        if (a === undefined || b === undefined) break;
        const first = a.first > b.first ? a.first : b.first;
        const last = a.last < b.last ? a.last : b.last;
        if (first <= last) return { family, first, last };
        if (a.last < b.last) i++;
        else j++;
      }
    }
    return undefined;
  }

  isEmpty(): boolean {
    return this.size() === 0n;
  }

  #of(family: Family): FamilyRanges {
    if (!isFamily(family)) throw new IPParseError(`family ${String(family)} is not 4 or 6`);
    return this.#byFamily[family];
  }

  #rangeIndexOf(ip: IPAddress): number | undefined {
    const { ranges } = this.#byFamily[ip.family];
    const i = countWhile(ranges.length, (k) => (ranges[k]?.first ?? 0n) <= ip.value) - 1;
    const r = ranges[i];
    return r !== undefined && r.first <= ip.value && ip.value <= r.last ? i : undefined;
  }
}

function merge(ranges: IPRange[]): FamilyRanges {
  if (ranges.length === 0) return EMPTY;
  ranges.sort((a, b) => compareIP({ family: a.family, value: a.first }, { family: b.family, value: b.first }));
  const merged: IPRange[] = [];
  for (const r of ranges) {
    const previous = merged.at(-1);
    if (previous !== undefined && r.first <= previous.last + 1n) {
      if (r.last > previous.last) merged[merged.length - 1] = { ...previous, last: r.last };
    } else {
      merged.push(r);
    }
  }
  const offsets: bigint[] = [];
  let size = 0n;
  for (const r of merged) {
    offsets.push(size);
    size += rangeSize(r);
  }
  return { ranges: Object.freeze(merged.map((r) => Object.freeze(r))) as IPRange[], offsets: Object.freeze(offsets) as bigint[], size };
}

// Binary search: how many leading indexes satisfy a predicate that is true up to some point
// and false after it.
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
