// The assignment alone: determinism, the balance bound, claims, and how many IPs move when a
// node leaves or joins, beside plain rendezvous (MetalLB's choice) on the same inputs.
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

  test('balanced: with every node eligible and no claims, no node owns more than ceil(M/N) (plain rendezvous does)', () => {
    fc.assert(
      fc.property(sizes, ({ n, m, tag }) => {
        const result = assignOwners(everyNode(ipsOf(tag, m), names(tag, n)));
        expect(result.owners.size).toBe(m);
        expect(maxLoad(result.owners)).toBeLessThanOrEqual(Math.ceil(m / n));
        expect(result.overCap).toEqual([]);
      }),
    );
    // The bound is not free: on 3 nodes x 30 IPs plain rendezvous overshoots it on some IP sets.
    const overshoot = Array.from({ length: 20 }, (_, t) => maxLoad(assignRendezvous(everyNode(ipsOf(`10.${t}`, 30), names(`n${t}`, 3)))) - 10);
    expect(Math.max(...overshoot)).toBeGreaterThan(1);
  });

  test('candidate sets that differ: every key gets a candidate of its own, full candidates overflow', () => {
    const onlyA = Array.from({ length: 6 }, (_, i) => ({ key: `only-a-${i}`, candidates: ['a'] }));
    const contests = [...everyNode(ipsOf('10.0', 6), ['a', 'b']), ...onlyA];
    const result = assignOwners(contests);
    for (const c of contests) expect(c.candidates).toContain(result.owners.get(c.key));
    // 12 keys over 2 nodes: cap 6; a must take its 6 own keys (placed first: fewest candidates), so b takes the shared ones.
    expect(result.cap).toBe(6);
    expect(result.loads.get('a')).toBe(6);
    expect(result.overCap).toEqual([]);
    const crowded = assignOwners([...onlyA, { key: 'only-a-6', candidates: ['a'] }, { key: 'x', candidates: ['a', 'b'] }]);
    expect(crowded.owners.get('only-a-6')).toBe('a');
    expect(crowded.owners.get('x')).toBe('b');
    expect(crowded.overCap.length).toBeGreaterThan(0);
  });

  test.each([
    { name: 'a claimant keeps its key over a higher-ranked candidate', claimants: ['n2'], candidates: ['n1', 'n2', 'n3'], owner: 'n2' },
    { name: 'a claimant that is not a candidate is ignored', claimants: ['gone'], candidates: ['n1'], owner: 'n1' },
    { name: 'of two claimants, the higher-ranked keeps it', claimants: ['n1', 'n3'], candidates: ['n1', 'n2', 'n3'], owner: rank('k', 'n1') > rank('k', 'n3') ? 'n1' : 'n3' },
  ])('$name', ({ claimants, candidates, owner }) => {
    expect(assignOwners([{ key: 'k', candidates, claimants }]).owners.get('k')).toBe(owner);
  });

  test('a partition heals: the node that claimed every key on its side lets go of the others\' keys', () => {
    const nodes = ['a', 'b', 'c'];
    const ips = ipsOf('10.7', 12);
    const before = assignOwners(everyNode(ips, nodes)).owners;
    // a was cut off: b and c took its keys, and a claimed all 12 meanwhile.
    const split = assignOwners(claimedBy(everyNode(ips, ['b', 'c']), before)).owners;
    const healed = assignOwners(everyNode(ips, nodes).map((c) => ({ ...c, claimants: ['a', split.get(c.key) ?? ''] })));
    for (const [ip, owner] of healed.owners) if (owner !== 'a') expect(owner).toBe(split.get(ip));
    for (const [ip, owner] of split) if (healed.owners.get(ip) !== owner) expect(healed.owners.get(ip)).toBe('a');
    expect(Math.max(...healed.loads.values()) - Math.min(...healed.loads.values())).toBeLessThanOrEqual(2);
  });

  test('fed its own answer back as claims, it returns it (also with candidate sets that differ)', () => {
    fc.assert(
      fc.property(sizes, fc.array(fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }), { minLength: 60, maxLength: 60 }), ({ n, m, tag }, masks) => {
        const nodes = names(tag, n);
        const contests = ipsOf(tag, m).map((key, i) => {
          const some = nodes.filter((_, j) => masks[i]?.[j] !== false);
          return { key, candidates: some.length > 0 ? some : nodes.slice(0, 1) };
        });
        const first = assignOwners(contests).owners;
        expect(assignOwners(claimedBy(contests, first)).owners).toEqual(first);
      }),
    );
  });

  test('a node leaving moves only its own keys; a node joining takes keys only for itself, up to within 2 of the most loaded', () => {
    fc.assert(
      fc.property(sizes, fc.nat(), ({ n, m, tag }, pick) => {
        const nodes = names(tag, n);
        const ips = ipsOf(tag, m);
        const before = assignOwners(everyNode(ips, nodes)).owners;
        const leaver = nodes[pick % n] ?? '';
        const rest = nodes.filter((x) => x !== leaver);
        const left = assignOwners(claimedBy(everyNode(ips, rest), before));
        for (const [ip, owner] of before) if (owner !== leaver) expect(left.owners.get(ip)).toBe(owner);
        expect(maxLoad(left.owners)).toBeLessThanOrEqual(Math.ceil(m / rest.length) + 1);
        const joiner = `${tag}-new`;
        const joined = assignOwners(claimedBy(everyNode(ips, [...nodes, joiner]), before));
        for (const [ip, owner] of joined.owners) if (owner !== joiner) expect(before.get(ip)).toBe(owner);
        const loads = [...joined.loads.values()];
        expect(Math.max(...loads) - (joined.loads.get(joiner) ?? 0)).toBeLessThanOrEqual(2);
        expect(Math.max(...loads)).toBeLessThanOrEqual(Math.ceil(m / (n + 1)) + 1);
      }),
      { numRuns: 300 },
    );
  });

  test('a run of joins and leaves: each step moves the minimum and keeps the bound', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 1, maxLength: 25 }), fc.integer({ min: 1, max: 80 }), (steps, m) => {
        const ips = ipsOf('10.9', m);
        let nodes = ['s-a', 's-b'];
        let owners = assignOwners(everyNode(ips, nodes)).owners;
        for (const step of steps) {
          const name = `s-${step}`;
          const leaving = nodes.includes(name) && nodes.length > 1;
          nodes = leaving ? nodes.filter((x) => x !== name) : nodes.includes(name) ? nodes : [...nodes, name];
          const next = assignOwners(claimedBy(everyNode(ips, nodes), owners));
          for (const [ip, owner] of next.owners) {
            const was = owners.get(ip);
            if (was !== owner) expect(leaving ? was : owner).toBe(name);
          }
          expect(maxLoad(next.owners)).toBeLessThanOrEqual(Math.ceil(m / nodes.length) + 1);
          owners = next.owners;
        }
      }),
      { numRuns: 200 },
    );
  });

  /*
   * Measured here (30 random IP sets per row, all nodes eligible; "share" = M/(N+1), what a
   * joiner would get on average from plain rendezvous):
   *
   *   N    M   | leave: moved (the leaver's)  join: moved (share) | rendezvous: most on one node - ceil(M/N)
   *   3    31  |        10.1 (10.1)                 7.0 (7.8)      |   up to 5
   *   10   95  |         9.5 (9.5)                  7.4 (8.6)      |   up to 9
   *   20  400  |        20.0 (20.0)                18.0 (19.0)     |   up to 15
   *
   * Where candidate sets differ (Local Services, node selectors) a leave can leave nodes 3 apart
   * that only evening out repairs: over 2,000 random such cases, 3% more keys moved than the
   * leaver's. A key claimed by two nodes at once (a split brain healing) goes to one of them.
   */
});

function claimedBy(contests: readonly Contest[], owners: ReadonlyMap<string, string>): Contest[] {
  return contests.map((c) => ({ ...c, claimants: owners.has(c.key) ? [owners.get(c.key) ?? ''] : [] }));
}
