import fc from 'fast-check';
import { UsedRuns } from './used-runs.js';

function runsOf(used: UsedRuns): [number, number][] {
  return [...used.runs()].map((r) => [Number(r.start), Number(r.end)]);
}

describe('UsedRuns', () => {
  // Each row changes the same set; the runs after it are the expected state.
  const steps: [op: 'add' | 'remove', index: number, returns: boolean, runs: [number, number][]][] = [
    ['add', 5, true, [[5, 5]]],
    ['add', 5, false, [[5, 5]]],
    ['add', 7, true, [[5, 5], [7, 7]]],
    ['add', 6, true, [[5, 7]]], // joins both neighbours
    ['add', 4, true, [[4, 7]]], // extends downwards
    ['add', 8, true, [[4, 8]]], // extends upwards
    ['remove', 6, true, [[4, 5], [7, 8]]], // splits
    ['remove', 6, false, [[4, 5], [7, 8]]],
    ['remove', 4, true, [[5, 5], [7, 8]]], // trims the start
    ['remove', 8, true, [[5, 5], [7, 7]]], // trims the end
    ['remove', 5, true, [[7, 7]]], // drops a single
    ['add', 0, true, [[0, 0], [7, 7]]],
    ['remove', 3, false, [[0, 0], [7, 7]]],
  ];
  const used = new UsedRuns();
  test.each(steps)('%s %d -> %s, runs %j', (op, index, returns, runs) => {
    expect(used[op](BigInt(index))).toBe(returns);
    expect(runsOf(used)).toEqual(runs);
    expect(used.runCount).toBe(runs.length);
    expect(used.count).toBe(BigInt(runs.reduce((n, [a, b]) => n + b - a + 1, 0)));
  });

  test.each([
    [[], 0, 0],
    [[0, 1, 2], 0, 3],
    [[0, 1, 2], 1, 3],
    [[0, 1, 2, 4], 3, 3],
    [[1], 0, 0],
    [[0, 1, 2, 4], 4, 5],
  ])('with %j used, the first free at or after %d is %d', (indices, from, expected) => {
    const u = new UsedRuns();
    for (const i of indices) u.add(BigInt(i));
    expect(u.nextFree(BigInt(from))).toBe(BigInt(expected));
  });

  test('indices beyond 2^64 work (an IPv6 /64 and wider)', () => {
    const u = new UsedRuns();
    const big = 1n << 100n;
    u.add(big);
    u.add(big + 1n);
    expect(u.nextFree(big)).toBe(big + 2n);
    expect(u.has(big + 1n)).toBe(true);
    expect(u.has(big - 1n)).toBe(false);
  });

  test('stays balanced with many separate runs, added in order or reversed', () => {
    for (const order of ['up', 'down'] as const) {
      const u = new UsedRuns();
      const n = 4096;
      for (let k = 0; k < n; k++) u.add(BigInt(2 * (order === 'up' ? k : n - 1 - k)));
      expect(u.runCount).toBe(n);
      expect(u.depth).toBeLessThanOrEqual(Math.ceil(1.45 * Math.log2(n + 2)));
      for (let k = 0; k < n; k += 2) u.remove(BigInt(2 * k));
      expect(u.depth).toBeLessThanOrEqual(Math.ceil(1.45 * Math.log2(n / 2 + 2)));
    }
  });

  test('agrees with a plain set over random adds and removes', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 60 })), { maxLength: 300 }), (ops) => {
        const u = new UsedRuns();
        const plain = new Set<number>();
        for (const [adding, i] of ops) {
          if (adding) expect(u.add(BigInt(i))).toBe(!plain.has(i));
          else expect(u.remove(BigInt(i))).toBe(plain.has(i));
          if (adding) plain.add(i);
          else plain.delete(i);
        }
        expect(u.count).toBe(BigInt(plain.size));
        for (let i = 0; i <= 62; i++) {
          expect(u.has(BigInt(i))).toBe(plain.has(i));
          let free = i;
          while (plain.has(free)) free++;
          expect(u.nextFree(BigInt(i))).toBe(BigInt(free));
        }
        // Runs are maximal: ascending, never touching.
        const runs = [...u.runs()];
        runs.forEach((r, k) => {
          const next = runs[k + 1];
          if (next !== undefined) expect(next.start > r.end + 1n).toBe(true);
        });
      }),
    );
  });
});
