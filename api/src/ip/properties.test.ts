// Properties checked on random inputs, against a plain model where one is easy to write.
import fc from 'fast-check';
import { FAMILY_BITS, compareIP, formatIP, parseIP, type Family, type IPAddress } from './address.js';
import { largestPrefixCovering, parseCIDR, prefixOf, rangeToCIDRs, type IPRange } from './range.js';
import { IPSet } from './set.js';

const family = fc.constantFrom<Family>(4, 6);
const address = family.chain((f) => fc.bigInt(0n, (1n << BigInt(FAMILY_BITS[f])) - 1n).map((value): IPAddress => ({ family: f, value })));
const range = family.chain((f) =>
  fc
    .tuple(fc.bigInt(0n, (1n << BigInt(FAMILY_BITS[f])) - 1n), fc.bigInt(0n, (1n << BigInt(FAMILY_BITS[f])) - 1n))
    .map(([a, b]): IPRange => ({ family: f, first: a < b ? a : b, last: a < b ? b : a })),
);

test('formatIP then parseIP gives the address back, and formatting is stable', () => {
  fc.assert(
    fc.property(address, (a) => {
      const text = formatIP(a);
      expect(parseIP(text)).toEqual(a);
      expect(formatIP(parseIP(text))).toBe(text);
      expect(text).toBe(text.toLowerCase());
    }),
  );
});

test('any full eight-group spelling of an IPv6 address parses to the same value', () => {
  const group = fc.tuple(fc.integer({ min: 0, max: 0xffff }), fc.boolean(), fc.boolean());
  fc.assert(
    fc.property(fc.array(group, { minLength: 8, maxLength: 8 }), (groups) => {
      const text = groups.map(([word, padded, upper]) => {
        const hex = padded ? word.toString(16).padStart(4, '0') : word.toString(16);
        return upper ? hex.toUpperCase() : hex;
      });
      const value = groups.reduce((acc, [word]) => (acc << 16n) | BigInt(word), 0n);
      expect(parseIP(text.join(':'))).toEqual({ family: 6, value });
    }),
  );
});

test('rangeToCIDRs is an exact, aligned, minimal cover', () => {
  fc.assert(
    fc.property(range, (r) => {
      const blocks = rangeToCIDRs(r).map(parseCIDR);
      const bits = FAMILY_BITS[r.family];
      expect(blocks.length).toBeLessThanOrEqual(2 * bits);
      expect(blocks[0]?.first).toBe(r.first);
      expect(blocks.at(-1)?.last).toBe(r.last);
      for (const [i, block] of blocks.entries()) {
        const next = blocks[i + 1];
        if (next === undefined) continue;
        expect(next.first).toBe(block.last + 1n);
        // Minimal: two neighbours of one size that make an aligned block of twice the size
        // would have been written as that block.
        if (next.prefixLength === block.prefixLength && block.prefixLength > 0) {
          expect(prefixOf({ family: r.family, value: block.first }, block.prefixLength - 1).first).not.toBe(block.first);
        }
      }
    }),
  );
});

test('largestPrefixCovering is the tightest aggregate holding the range', () => {
  fc.assert(
    fc.property(range, (r) => {
      const p = largestPrefixCovering(r);
      const start: IPAddress = { family: r.family, value: r.first };
      const block = prefixOf(start, p);
      expect(block.first <= r.first && r.last <= block.last).toBe(true);
      if (p < FAMILY_BITS[r.family]) expect(prefixOf(start, p + 1).last < r.last).toBe(true);
    }),
  );
});

// Small ranges near one spot, so a plain sorted list of members is a usable model.
const nearbyRanges = fc.array(
  fc.tuple(family, fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 6 })).map(
    ([f, start, extra]): IPRange => {
      const base = f === 4 ? 0xc0000200n : 0x20010db8n << 96n;
      return { family: f, first: base + BigInt(start), last: base + BigInt(start + extra) };
    },
  ),
  { maxLength: 8 },
);

test('IPSet agrees with a plain sorted list of its members', () => {
  fc.assert(
    fc.property(nearbyRanges, (ranges) => {
      const set = IPSet.from(ranges);
      for (const f of [4, 6] as const) {
        const members = [...new Set(ranges.filter((r) => r.family === f).flatMap((r) => Array.from({ length: Number(r.last - r.first) + 1 }, (_, i) => r.first + BigInt(i))))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
        expect(set.size(f)).toBe(BigInt(members.length));
        expect([...set.iterate(f)].map((a) => a.value)).toEqual(members);
        for (const [i, value] of members.entries()) {
          expect(set.nth(f, BigInt(i))).toEqual({ family: f, value });
          expect(set.indexOf({ family: f, value })).toBe(BigInt(i));
        }
        expect(set.nth(f, BigInt(members.length))).toBeUndefined();
        // Merged: no two stored ranges touch or overlap, and they ascend.
        for (const [i, r] of set.ranges(f).entries()) {
          const next = set.ranges(f)[i + 1];
          if (next !== undefined) expect(next.first > r.last + 1n).toBe(true);
        }
        const low = members[0];
        if (low !== undefined) {
          expect(set.contains({ family: f, value: low - 1n })).toBe(members.includes(low - 1n));
        }
      }
    }),
  );
});

test('overlaps finds a common run exactly when the member lists share an address', () => {
  fc.assert(
    fc.property(nearbyRanges, nearbyRanges, (a, b) => {
      const left = IPSet.from(a);
      const right = IPSet.from(b);
      const common = [4, 6].flatMap((f) => [...left.iterate(f as Family)].filter((x) => right.contains(x))).sort(compareIP);
      const found = left.overlaps(right);
      if (common.length === 0) {
        expect(found).toBeUndefined();
      } else {
        expect(found && { family: found.family, value: found.first }).toEqual(common[0]);
      }
    }),
  );
});
