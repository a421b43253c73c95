// Split brain, simulated: during a partition each side elects its own owners (both answer, as
// they must); after it heals, membership views converge and the deterministic election then
// gives every IP one owner again. The bound: at most one node answers for an IP within 1 s.
//
// Why it holds: the election is a function of (cluster facts, alive set), the same on every node,
// so two nodes answer for one IP only while their alive sets differ. After the heal, every member
// pings one member it holds dead each round (100 ms); that ping carries "you are dead at
// incarnation i", and the ack carries the same about the pinger, so both ends refute at once
// (incarnation i+1) and broadcast it to every member, which overrides "dead at i" everywhere.
// So the alive sets agree one round plus a few one-way delays after the heal (102 ms here),
// with lost datagrams costing a round each; the piggybacked copies cover what a broadcast lost.
import { describe, expect, test } from '@jest/globals';
import { electL2, ownedBy } from '../election/elect.js';
import { electionInput, endpointsFor, manyServices, node } from '../election/fixtures.js';
import { MEMBER_STATE } from './codec.js';
import { SimulatedNetwork } from './simulation.js';
import { aliveNodes, LIVENESS_SOURCE } from './view.js';

const key = Buffer.from('split brain test key, 32 bytes!!');
const names = ['n1', 'n2', 'n3', 'n4', 'n5'];
const services = manyServices(30);

/** What each speaker answers for now, re-elected only when its membership changed. */
function answering(sim: SimulatedNetwork): () => Map<string, string[]> {
  const cache = new Map<string, { version: number; ips: string[] }>();
  return () => {
    const owners = new Map<string, string[]>();
    for (const [name, member] of sim.members) {
      if (sim.stopped.has(name)) continue;
      let entry = cache.get(name);
      if (entry === undefined || entry.version !== member.version) {
        const alive = aliveNodes({ self: name, source: LIVENESS_SOURCE.Probes, members: member.status(), readyNodes: new Set(names) });
        const election = electL2(electionInput({ nodes: names.map((n) => node(n)), services, endpoints: endpointsFor(services, 'n1'), alive: [...alive] }));
        entry = { version: member.version, ips: ownedBy(election, name).map((o) => o.ip) };
        cache.set(name, entry);
      }
      for (const ip of entry.ips) owners.set(ip, [...(owners.get(ip) ?? []), name]);
    }
    return owners;
  };
}

const doubled = (owners: Map<string, string[]>) => [...owners.values()].filter((o) => o.length > 1).length;

describe('split brain', () => {
  test.each([
    { name: '2 | 3', groups: [['n1', 'n2'], ['n3', 'n4', 'n5']], seed: 1 },
    { name: '1 | 4', groups: [['n3'], ['n1', 'n2', 'n4', 'n5']], seed: 2 },
    { name: '1 | 1 | 3', groups: [['n1'], ['n5'], ['n2', 'n3', 'n4']], seed: 3 },
    { name: '2 | 3, another seed', groups: [['n2', 'n4'], ['n1', 'n3', 'n5']], seed: 4 },
  ])('partition $name: after healing, one owner per IP within 1 s', ({ groups, seed }) => {
    const sim = new SimulatedNetwork({ names, key, seed });
    const owners = answering(sim);
    sim.run(1000);
    expect(doubled(owners())).toBe(0);
    expect(owners().size).toBe(30);

    sim.partition(groups);
    sim.run(2000);
    for (const group of groups) {
      for (const name of group) {
        const view = sim.members.get(name)?.status() ?? [];
        for (const s of view) expect(s.state === MEMBER_STATE.Dead).toBe(!group.includes(s.name));
      }
    }
    // Each side answers for every IP: the partition is a real split brain.
    expect(doubled(owners())).toBe(30);

    sim.heal();
    const healedAt = sim.now;
    let lastDoubled = healedAt;
    sim.run(3000, (now) => {
      if (doubled(owners()) > 0) lastDoubled = now;
    });
    expect(lastDoubled - healedAt).toBeLessThan(1000);
    const final = owners();
    expect(final.size).toBe(30);
    expect(doubled(final)).toBe(0);
    for (const m of sim.members.values()) for (const s of m.status()) expect(s.state).toBe(MEMBER_STATE.Alive);
  });
});
