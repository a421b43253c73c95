// The assignment alone: determinism, the balance bound, and how many IPs move when a node
// leaves or joins, beside plain rendezvous (MetalLB's choice) on the same inputs.
import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { assignOwners, assignRendezvous, type Contest } from './assign.js';
import { digestOf, rankOf } from './rank.js';

const names = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);
const ipsOf = (prefix: string, m: number) => Array.from({ length: m }, (_, i) => `${prefix}.${i >> 8}.${i & 255}`);
const everyNode = (ips: readonly string[], nodes: readonly string[]): Contest[] => ips.map((key) => ({ key, candidates: nodes }));
const maxLoad = (owners: ReadonlyMap<string, string>) => {
  const loads = new Map<string, number>();
  for (const n of owners.values()) loads.set(n, (loads.get(n) ?? 0) + 1);
  return Math.max(0, ...loads.values());
};
const moved = (a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>) => [...a].filter(([k, v]) => b.get(k) !== v).length;
const rank = (ip: string, node: string) => rankOf(digestOf(ip), digestOf(node));

const sizes = fc.record({ n: fc.integer({ min: 2, max: 12 }), m: fc.integer({ min: 1, max: 60 }), tag: fc.string({ minLength: 1, maxLength: 6 }) });

describe('assignOwners', () => {
  test.each([
    { name: 'no contests', contests: [], owners: {} },
    { name: 'no candidates: no owner', contests: [{ key: 'a', candidates: [] }], owners: {} },
    { name: 'one candidate wins', contests: [{ key: 'a', candidates: ['n1'] }], owners: { a: 'n1' } },
    { name: 'a candidate named twice counts once', contests: [{ key: 'a', candidates: ['n1', 'n1'] }], owners: { a: 'n1' } },
  ])('$name', ({ contests, owners }) => {
    expect(Object.fromEntries(assignOwners(contests).owners)).toEqual(owners);
  });

  test('a key contested twice is a typed error', () => {
    expect(() => assignOwners([{ key: 'a', candidates: ['n1'] }, { key: 'a', candidates: ['n2'] }])).toThrow(/^l2 election: the key a is contested twice/);
  });

  test('same inputs in any order give the same owners', () => {
    fc.assert(
      fc.property(sizes, fc.integer(), ({ n, m, tag }, seed) => {
        const nodes = names(tag, n);
        const contests = everyNode(ipsOf(tag, m), nodes);
        const shuffled = fc.sample(fc.shuffledSubarray(contests, { minLength: m, maxLength: m }), { numRuns: 1, seed })[0] ?? [];
        const reordered = shuffled.map((c) => ({ key: c.key, candidates: [...c.candidates].reverse() }));
        expect(assignOwners(reordered).owners).toEqual(assignOwners(contests).owners);
      }),
    );
  });

  test('balanced: with every node eligible, no node owns more than ceil(M/N)+1 (plain rendezvous does)', () => {
    fc.assert(
      fc.property(sizes, ({ n, m, tag }) => {
        const result = assignOwners(everyNode(ipsOf(tag, m), names(tag, n)));
        expect(result.owners.size).toBe(m);
        expect(maxLoad(result.owners)).toBeLessThanOrEqual(Math.ceil(m / n) + 1);
        expect(result.overCap).toEqual([]);
      }),
    );
    // The bound is not free: on 3 nodes x 30 IPs plain rendezvous overshoots it on some IP sets.
    const overshoot = Array.from({ length: 20 }, (_, t) => maxLoad(assignRendezvous(everyNode(ipsOf(`10.${t}`, 30), names(`n${t}`, 3)))) - 10);
    expect(Math.max(...overshoot)).toBeGreaterThan(1);
  });

  test('candidate sets that differ: every key gets a candidate of its own, full candidates overflow', () => {
    const contests = [...everyNode(ipsOf('10.0', 6), ['a', 'b']), { key: 'only-a-1', candidates: ['a'] }, { key: 'only-a-2', candidates: ['a'] }, { key: 'only-a-3', candidates: ['a'] }, { key: 'only-a-4', candidates: ['a'] }, { key: 'only-a-5', candidates: ['a'] }, { key: 'only-a-6', candidates: ['a'] }];
    const result = assignOwners(contests);
    for (const c of contests) expect(c.candidates).toContain(result.owners.get(c.key));
    // 12 keys over 2 nodes: cap 7; a must take its 6 own keys, so b takes the shared ones first.
    expect(result.cap).toBe(7);
    expect(result.loads.get('a')).toBeLessThanOrEqual(7);
    expect(result.overCap).toEqual([]);
  });

  test('stable when the cap holds: a leave moves no IP up its ranking, a join moves IPs only up', () => {
    // Deferred acceptance's comparative statics: one node fewer can only make keys worse off,
    // one more only better off, so nothing is reshuffled sideways among the nodes that stay.
    fc.assert(
      fc.property(sizes, ({ n, m, tag }) => {
        const nodes = names(tag, n);
        const ips = ipsOf(tag, m);
        const before = assignOwners(everyNode(ips, nodes));
        const leaver = nodes[0] ?? '';
        const left = assignOwners(everyNode(ips, nodes.slice(1)));
        if (left.cap === before.cap) {
          for (const [ip, owner] of before.owners) if (owner !== leaver) expect(rank(ip, left.owners.get(ip) ?? '')).toBeLessThanOrEqual(rank(ip, owner));
        }
        const joined = assignOwners(everyNode(ips, [...nodes, `${tag}-new`]));
        if (joined.cap === before.cap) {
          for (const [ip, owner] of before.owners) expect(rank(ip, joined.owners.get(ip) ?? '')).toBeGreaterThanOrEqual(rank(ip, owner));
        }
      }),
    );
  });

  test("moves on leave and join: the leaver's IPs (or the joiner's new ones) plus at most ceil(M/N)+2", () => {
    fc.assert(
      fc.property(sizes, fc.nat(), ({ n, m, tag }, pick) => {
        const nodes = names(tag, n);
        const ips = ipsOf(tag, m);
        const before = assignOwners(everyNode(ips, nodes)).owners;
        const leaver = nodes[pick % n] ?? '';
        const after = assignOwners(everyNode(ips, nodes.filter((x) => x !== leaver))).owners;
        const own = [...before.values()].filter((x) => x === leaver).length;
        expect(moved(before, after)).toBeLessThanOrEqual(own + Math.ceil(m / n) + 2);
        const joined = assignOwners(everyNode(ips, [...nodes, `${tag}-new`])).owners;
        const got = [...joined.values()].filter((x) => x === `${tag}-new`).length;
        expect(moved(before, joined)).toBeLessThanOrEqual(got + Math.ceil(m / n) + 2);
      }),
      { numRuns: 300 },
    );
  });

  /*
   * Measured here (30 random IP sets per row; "min" = the leaver's IPs, or what the joiner gets;
   * "over" = most IPs on one node minus ceil(M/N)):
   *
   *   N    M   | bounded: leave (min)   join (min)   over | plain rendezvous: moves = min, over
   *   3    31  |          10.6 (10.0)   8.8 (8.0)    <=1 |   over up to 5
   *   10   95  |          11.5 (9.5)   10.6 (8.4)    <=1 |   over up to 9
   *   50  210  |           5.2 (4.5)    4.9 (4.0)    <=1 |   over up to 7
   *   100 310  |           3.7 (3.2)    3.0 (2.6)    <=1 |   over up to 6
   *   20  400  |          33.0 (19.9)  26.4 (18.7)   <=1 |   over up to 15
   *   50  200  |          17.6 (4.2)    5.1 (3.9)    <=1 |   over up to 8
   *
   * Plain rendezvous moves exactly the minimum and no more, but a node can hold twice its share.
   * The bounded assignment moves about 1.1-1.3x the minimum, except when ceil(M/N) itself changes
   * with N (the last two rows: N divides M), when IPs that overflowed come back to their first
   * choice. The test below keeps the ordinary case honest.
   */
  test('ordinary sizes: on average a leave or join moves less than 1.5x the minimum', () => {
    for (const [n, m] of [[3, 31], [10, 95], [50, 210], [100, 310]] as const) {
      let total = 0;
      let minimum = 0;
      for (let t = 0; t < 10; t++) {
        const nodes = names(`r${t}`, n);
        const ips = ipsOf(`10.${t}`, m);
        const before = assignOwners(everyNode(ips, nodes)).owners;
        const leaver = nodes[t % n] ?? '';
        total += moved(before, assignOwners(everyNode(ips, nodes.filter((x) => x !== leaver))).owners);
        minimum += [...before.values()].filter((x) => x === leaver).length;
        const joined = assignOwners(everyNode(ips, [...nodes, 'new'])).owners;
        total += moved(before, joined);
        minimum += [...joined.values()].filter((x) => x === 'new').length;
        expect(moved(before, assignRendezvous(everyNode(ips, [...nodes, 'new'])))).toBeLessThanOrEqual(m);
      }
      expect(total / minimum).toBeLessThan(1.5);
    }
  });
});
