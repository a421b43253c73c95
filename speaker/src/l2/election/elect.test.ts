// The election over cluster facts: who may answer for an IP (tables), Services sharing an IP,
// interfaces, and several simulated speakers on one input finding exactly one winner per IP.
import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import type { NodeInfo, ServiceInfo } from '../../model/types.js';
import type { NodeDataPlane } from '../membership/codec.js';
import { contestsOf } from './candidates.js';
import { electL2, ownedBy } from './elect.js';
import { electionInput, endpointsFor, manyServices, node, service, type ElectionSpec } from './fixtures.js';

const nodes3 = [node('n1'), node('n2'), node('n3')];
const web = (extra: Partial<Parameters<typeof service>[0]> = {}) => service({ key: 'ns/web', ips: ['203.0.113.10'], ...extra });
const readyOn = (...names: string[]) => names.map((n) => ({ service: 'ns/web', node: n }));

describe('who may answer for an IP', () => {
  test.each<{ name: string; spec: ElectionSpec; owners?: string[]; reason?: string }>([
    { name: 'any alive node for a Cluster Service', spec: { nodes: nodes3, services: [web()], endpoints: readyOn('n3') }, owners: ['n1', 'n2', 'n3'] },
    { name: 'the exclusion label keeps a node out', spec: { nodes: [node('n1', { 'node.kubernetes.io/exclude-from-external-load-balancers': '' }), node('n2')], services: [web()], endpoints: readyOn('n1') }, owners: ['n2'] },
    { name: 'NetworkUnavailable keeps a node out', spec: { nodes: [node('n1', {}, true), node('n2')], services: [web()], endpoints: readyOn('n1') }, owners: ['n2'] },
    { name: 'a node whose speaker is not alive is out', spec: { nodes: nodes3, services: [web()], endpoints: readyOn('n1'), alive: ['n2'] }, owners: ['n2'] },
    { name: 'nodeSelectors choose the nodes', spec: { nodes: [node('n1'), node('n2', { edge: 'yes' })], ads: [{ name: 'l2', pools: ['lan'], nodeSelectors: [{ edge: 'yes' }] }], services: [web()], endpoints: readyOn('n1') }, owners: ['n2'] },
    { name: 'Local: only nodes with a ready local endpoint', spec: { nodes: nodes3, services: [web({ policy: 'Local' })], endpoints: readyOn('n2') }, owners: ['n2'] },
    { name: 'Local: a not-ready local endpoint does not qualify', spec: { nodes: nodes3, services: [web({ policy: 'Local' })], endpoints: [{ service: 'ns/web', node: 'n1', ready: false }, { service: 'ns/web', node: 'n3' }] }, owners: ['n3'] },
    { name: 'no node alive', spec: { nodes: nodes3, services: [web()], endpoints: readyOn('n1'), alive: [] }, reason: 'NoEligibleNode' },
    { name: 'Local with endpoints only on a dead node', spec: { nodes: nodes3, services: [web({ policy: 'Local' })], endpoints: readyOn('n1'), alive: ['n2', 'n3'] }, reason: 'NoEligibleNode' },
    { name: 'an IP outside every pool', spec: { nodes: nodes3, services: [web({ ips: ['198.51.100.1'] })], endpoints: readyOn('n1') }, reason: 'NoPool' },
    { name: 'a pool no L2Advertisement names', spec: { nodes: nodes3, ads: [{ name: 'other', pools: ['other'] }], services: [web()], endpoints: readyOn('n1') }, reason: 'NoAdvertisement' },
    { name: 'serviceSelectors that miss', spec: { nodes: nodes3, ads: [{ name: 'l2', pools: ['lan'], serviceSelectors: [{ tier: 'edge' }] }], services: [web()], endpoints: readyOn('n1') }, reason: 'ServiceNotSelected' },
    { name: 'no endpoint anywhere', spec: { nodes: nodes3, services: [web()] }, reason: 'NoEndpoints' },
  ])('$name', ({ spec, owners, reason }) => {
    const election = electL2(electionInput(spec));
    const owner = election.owners.get('203.0.113.10') ?? election.owners.get('198.51.100.1');
    if (owners !== undefined) {
      expect(owners).toContain(owner?.node);
      expect(owner?.candidates).toBe(owners.length);
    } else {
      expect(owner).toBeUndefined();
      expect([...election.unowned.values()][0]?.reason).toBe(reason);
    }
  });

  test('Services of another class, or not LoadBalancers, are not elected at all', () => {
    const spec = { nodes: nodes3, services: [web({ loadBalancerClass: 'other' }), service({ key: 'ns/np', type: 'NodePort', ips: ['203.0.113.11'] })], endpoints: readyOn('n1') };
    const election = electL2(electionInput(spec));
    expect(election.owners.size + election.unowned.size).toBe(0);
  });

  test('the reason names the nodes and why each is out', () => {
    const election = electL2(electionInput({ nodes: [node('n1', {}, true), node('n2')], services: [web({ policy: 'Local' })], endpoints: readyOn('n1') }));
    expect(election.unowned.get('203.0.113.10')?.detail).toBe('no node may answer for 203.0.113.10 (n1: NodeNetworkUnavailable, n2: NoLocalEndpoint)');
  });
});

describe('interfaces and shared IPs', () => {
  test.each<{ name: string; ads: NonNullable<ElectionSpec['ads']>; interfaces: string[] | undefined }>([
    { name: 'no interfaces listed: every interface', ads: [{ name: 'a', pools: ['lan'] }], interfaces: undefined },
    { name: 'one advertisement lists them', ads: [{ name: 'a', pools: ['lan'], interfaces: ['eth1', 'eth0'] }], interfaces: ['eth0', 'eth1'] },
    { name: 'two advertisements: the union', ads: [{ name: 'a', pools: ['lan'], interfaces: ['eth1'] }, { name: 'b', pools: ['lan'], interfaces: ['bond0'] }], interfaces: ['bond0', 'eth1'] },
    { name: 'one lists none: every interface', ads: [{ name: 'a', pools: ['lan'], interfaces: ['eth1'] }, { name: 'b', pools: ['lan'] }], interfaces: undefined },
    { name: 'an advertisement not selecting the node adds nothing', ads: [{ name: 'a', pools: ['lan'], interfaces: ['eth1'] }, { name: 'b', pools: ['lan'], interfaces: ['eth9'], nodeSelectors: [{ x: 'y' }] }], interfaces: ['eth1'] },
  ])('$name', ({ ads, interfaces }) => {
    const election = electL2(electionInput({ nodes: [node('n1')], ads, services: [web()], endpoints: readyOn('n1') }));
    expect(election.owners.get('203.0.113.10')?.interfaces).toEqual(interfaces);
  });

  test.each<{ name: string; ads: NonNullable<ElectionSpec['ads']>; has: Record<string, string[]>; owners: string[]; interfaces?: string[] | undefined; reason?: string }>([
    { name: 'a node without the named interface is out', ads: [{ name: 'a', pools: ['lan'], interfaces: ['eth1'] }], has: { n1: [], n2: ['eth1'], n3: ['eth1'] }, owners: ['n2', 'n3'], interfaces: ['eth1'] },
    { name: 'a node with one of two named interfaces answers on that one', ads: [{ name: 'a', pools: ['lan'], interfaces: ['eth1', 'bond0'] }], has: { n1: ['bond0'], n2: [], n3: [] }, owners: ['n1'], interfaces: ['bond0'] },
    { name: 'a node membership says nothing of stays in', ads: [{ name: 'a', pools: ['lan'], interfaces: ['eth1'] }], has: { n1: [], n2: [] }, owners: ['n3'], interfaces: ['eth1'] },
    { name: 'no interfaces named: what a node has does not matter', ads: [{ name: 'a', pools: ['lan'] }], has: { n1: [], n2: [], n3: [] }, owners: ['n1', 'n2', 'n3'], interfaces: undefined },
    { name: 'nobody has it: unowned, and the reason says so', ads: [{ name: 'a', pools: ['lan'], interfaces: ['eth1'] }], has: { n1: [], n2: [], n3: [] }, owners: [], reason: 'no node may answer for 203.0.113.10 (n1: NoInterface, n2: NoInterface, n3: NoInterface)' },
  ])('interfaces nodes have: $name', ({ ads, has, owners, interfaces, reason }) => {
    const election = electL2(electionInput({ nodes: nodes3, ads, services: [web()], endpoints: readyOn('n1'), interfacesOf: has }));
    const owner = election.owners.get('203.0.113.10');
    if (owners.length === 0) {
      expect(owner).toBeUndefined();
      expect(election.unowned.get('203.0.113.10')?.detail).toBe(reason);
      return;
    }
    expect(owners).toContain(owner?.node);
    expect(owner?.candidates).toBe(owners.length);
    expect(owner?.interfaces).toEqual(interfaces);
  });

  test('Services sharing an IP land on one node, the one that can serve them all', () => {
    const shared = [service({ key: 'ns/a', ips: ['203.0.113.20'] }), service({ key: 'ns/b', ips: ['203.0.113.20'], policy: 'Local' })];
    const election = electL2(electionInput({ nodes: nodes3, services: shared, endpoints: [{ service: 'ns/a', node: 'n1' }, { service: 'ns/b', node: 'n3' }] }));
    expect(election.owners.get('203.0.113.20')).toMatchObject({ node: 'n3', services: ['ns/a', 'ns/b'], candidates: 1 });
  });

  test('a sharer with no endpoints does not narrow the choice', () => {
    const shared = [service({ key: 'ns/a', ips: ['203.0.113.20'] }), service({ key: 'ns/b', ips: ['203.0.113.20'], policy: 'Local' })];
    const election = electL2(electionInput({ nodes: nodes3, services: shared, endpoints: [{ service: 'ns/a', node: 'n1' }] }));
    expect(election.owners.get('203.0.113.20')).toMatchObject({ services: ['ns/a'], candidates: 3 });
  });

  test('dual-stack: each family of a Service is its own IP', () => {
    const dual = service({ key: 'ns/dual', ips: ['203.0.113.30', '2001:db8::30'] });
    const election = electL2(electionInput({ nodes: nodes3, services: [dual], endpoints: [{ service: 'ns/dual', node: 'n1' }, { service: 'ns/dual', node: 'n1', family: 6 }] }));
    expect([...election.owners.keys()]).toEqual(['2001:db8::30', '203.0.113.30']);
    expect(election.owners.get('2001:db8::30')?.family).toBe(6);
  });
});

describe("kube-proxy's word, as each node published it", () => {
  const ok: NodeDataPlane = { proxyServing: true, notServing: [], overflow: false };
  const proxyDown: NodeDataPlane = { proxyServing: false, notServing: [], overflow: false };
  const webDown: NodeDataPlane = { proxyServing: true, notServing: ['ns/web'], overflow: false };
  const overflow: NodeDataPlane = { proxyServing: true, notServing: [], overflow: true };
  const local = web({ policy: 'Local', healthCheckNodePort: 30_000 });
  const draining = (n: string) => ({ service: 'ns/web', node: n, ready: false, serving: true, terminating: true });

  test.each<{ name: string; spec: ElectionSpec; owners: string[]; detail?: string }>([
    { name: 'Cluster: a node whose /healthz is not ok is out', spec: { services: [web()], endpoints: readyOn('n1'), dataPlaneOf: { n1: ok, n2: proxyDown, n3: ok } }, owners: ['n1', 'n3'], detail: "node n2's kube-proxy /healthz is not ok, so it does not serve ns/web (per membership)" },
    { name: 'Cluster: a Local list does not matter', spec: { services: [web()], endpoints: readyOn('n1'), dataPlaneOf: { n1: ok, n2: webDown, n3: overflow } }, owners: ['n1', 'n2', 'n3'] },
    { name: 'Local: a node listing the Service is out', spec: { services: [local], endpoints: readyOn('n1', 'n2'), dataPlaneOf: { n1: ok, n2: webDown } }, owners: ['n1'], detail: "node n2's kube-proxy does not serve ns/web (per membership)" },
    { name: 'Local: overflow is out for every checked Local Service', spec: { services: [local], endpoints: readyOn('n1', 'n2'), dataPlaneOf: { n1: ok, n2: overflow } }, owners: ['n1'], detail: "node n2's kube-proxy does not serve ns/web (per membership: more Services fail there than it can list)" },
    { name: 'Local with ready endpoints: /healthz does not matter', spec: { services: [local], endpoints: readyOn('n1', 'n2'), dataPlaneOf: { n1: proxyDown, n2: proxyDown } }, owners: ['n1', 'n2'] },
    { name: 'Local served only by terminating pods: /healthz decides', spec: { services: [local], endpoints: [draining('n1'), draining('n2')], dataPlaneOf: { n1: webDown, n2: proxyDown } }, owners: ['n1'], detail: "node n2's kube-proxy /healthz is not ok, so it does not serve ns/web (per membership)" },
    { name: 'unknown state (never heard, a version 2 speaker) stays a candidate', spec: { services: [web()], endpoints: readyOn('n1'), dataPlaneOf: { n1: proxyDown, n2: undefined } }, owners: ['n2', 'n3'] },
    { name: 'dataPlaneCheck None: the state is not read', spec: { ads: [{ name: 'l2', pools: ['lan'], dataPlaneCheck: 'None' }], services: [web()], endpoints: readyOn('n1'), dataPlaneOf: { n1: proxyDown, n2: proxyDown, n3: proxyDown } }, owners: ['n1', 'n2', 'n3'] },
    { name: 'one of two selecting advertisements checks: checked', spec: { ads: [{ name: 'a', pools: ['lan'], dataPlaneCheck: 'None' }, { name: 'b', pools: ['lan'] }], services: [web()], endpoints: readyOn('n1'), dataPlaneOf: { n1: proxyDown } }, owners: ['n2', 'n3'] },
    { name: 'the checking advertisement does not select the node: not checked there', spec: { ads: [{ name: 'a', pools: ['lan'], dataPlaneCheck: 'None' }, { name: 'b', pools: ['lan'], nodeSelectors: [{ edge: 'yes' }] }], services: [web()], endpoints: readyOn('n1'), dataPlaneOf: { n1: proxyDown, n2: proxyDown, n3: proxyDown } }, owners: ['n1', 'n2', 'n3'] },
    { name: 'the checking advertisement names an interface the node lacks: not checked there', spec: { ads: [{ name: 'a', pools: ['lan'], dataPlaneCheck: 'None' }, { name: 'b', pools: ['lan'], interfaces: ['eth9'] }], services: [web()], endpoints: readyOn('n1'), interfacesOf: { n1: [], n2: ['eth9'], n3: [] }, dataPlaneOf: { n1: proxyDown, n2: proxyDown, n3: ok } }, owners: ['n1', 'n3'] },
  ])('$name', ({ spec, owners, detail }) => {
    const input = electionInput({ nodes: nodes3, ...spec });
    const owner = electL2(input).owners.get('203.0.113.10');
    expect(owners).toContain(owner?.node);
    expect(owner?.candidates).toBe(owners.length);
    const [contest] = contestsOf(input);
    if (detail !== undefined) expect([...(contest?.refusals.values() ?? [])]).toContainEqual({ reason: 'DataPlaneNotServing', detail });
  });

  test('nobody serves it: unowned, and the reason names every node', () => {
    const election = electL2(electionInput({ nodes: nodes3, services: [web()], endpoints: readyOn('n1'), dataPlaneOf: { n1: proxyDown, n2: proxyDown, n3: proxyDown } }));
    expect(election.owners.size).toBe(0);
    expect(election.unowned.get('203.0.113.10')).toMatchObject({ reason: 'NoEligibleNode', detail: 'no node may answer for 203.0.113.10 (n1: DataPlaneNotServing, n2: DataPlaneNotServing, n3: DataPlaneNotServing)' });
  });

  test('Services sharing an IP go to the node that serves them all', () => {
    const shared = [service({ key: 'ns/a', ips: ['203.0.113.20'] }), service({ key: 'ns/b', ips: ['203.0.113.20'], policy: 'Local', healthCheckNodePort: 30_001 })];
    const election = electL2(electionInput({ nodes: nodes3, services: shared, endpoints: [{ service: 'ns/a', node: 'n1' }, { service: 'ns/b', node: 'n2' }, { service: 'ns/b', node: 'n3' }], dataPlaneOf: { n3: { proxyServing: true, notServing: ['ns/b'], overflow: false } } }));
    expect(election.owners.get('203.0.113.20')).toMatchObject({ node: 'n2', services: ['ns/a', 'ns/b'], candidates: 1 });
  });

  test('a failing node is refused for what it does not serve, and keeps the rest', () => {
    const services = [web({ policy: 'Local', healthCheckNodePort: 30_000 }), service({ key: 'ns/api', ips: ['203.0.113.11'], policy: 'Local', healthCheckNodePort: 30_002 })];
    const endpoints = [{ service: 'ns/web', node: 'n1' }, { service: 'ns/api', node: 'n1' }, { service: 'ns/web', node: 'n2' }];
    const election = electL2(electionInput({ nodes: nodes3, services, endpoints, dataPlaneOf: { n1: webDown } }));
    expect(election.owners.get('203.0.113.10')?.node).toBe('n2');
    expect(election.owners.get('203.0.113.11')?.node).toBe('n1');
  });
});

/** What one speaker computes: its own copy of the input, built in its own order. */
function speakerView(spec: ElectionSpec, seed: number): ElectionSpec {
  const shuffle = <T>(list: readonly T[] | undefined): T[] => fc.sample(fc.shuffledSubarray([...(list ?? [])], { minLength: list?.length ?? 0, maxLength: list?.length ?? 0 }), { numRuns: 1, seed })[0] ?? [];
  return { ...spec, nodes: shuffle(spec.nodes), services: shuffle(spec.services), endpoints: shuffle(spec.endpoints) };
}

describe('several speakers on one input', () => {
  test('exactly one winner per IP, balanced, whatever order each speaker read things in', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 60 }), fc.integer(), (nodeCount, ipCount, seed) => {
        const nodes: NodeInfo[] = Array.from({ length: nodeCount }, (_, i) => node(`node-${i}`));
        const services: ServiceInfo[] = manyServices(ipCount);
        const spec: ElectionSpec = { nodes, services, endpoints: endpointsFor(services, 'node-0') };
        const claims = new Map<string, string[]>();
        for (const [i, n] of nodes.entries()) {
          for (const owned of ownedBy(electL2(electionInput(speakerView(spec, seed + i))), n.name)) claims.set(owned.ip, [...(claims.get(owned.ip) ?? []), n.name]);
        }
        expect(claims.size).toBe(ipCount);
        for (const winners of claims.values()) expect(winners).toHaveLength(1);
        const loads = nodes.map((n) => [...claims.values()].filter((w) => w[0] === n.name).length);
        expect(Math.max(...loads)).toBeLessThanOrEqual(Math.ceil(ipCount / nodeCount) + 1);
      }),
      { numRuns: 60 },
    );
  });

  test('with data-plane states: still exactly one winner per IP, and never a node that does not serve it', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 30 }), fc.integer(), fc.array(fc.record({ proxyServing: fc.boolean(), overflow: fc.boolean() }), { minLength: 6, maxLength: 6 }), (nodeCount, ipCount, seed, states) => {
        const nodes: NodeInfo[] = Array.from({ length: nodeCount }, (_, i) => node(`node-${i}`));
        const services: ServiceInfo[] = manyServices(ipCount).map((s, i) => (i % 2 === 0 ? s : { ...s, trafficPolicy: 'Local' as const, healthCheckNodePort: 30_000 + i }));
        const endpoints = services.flatMap((s) => nodes.map((n) => ({ service: s.key, node: n.name, family: s.ingressIPs[0]?.family ?? 4 })));
        const dataPlaneOf = Object.fromEntries(nodes.map((n, i) => [n.name, { ...states[i]!, notServing: states[i]!.overflow ? [] : services.filter((_, j) => (i + j) % 3 === 0).map((s) => s.key).sort() }]));
        const spec: ElectionSpec = { nodes, services, endpoints, dataPlaneOf };
        const claims = new Map<string, string[]>();
        for (const [i, n] of nodes.entries()) {
          for (const owned of ownedBy(electL2(electionInput(speakerView(spec, seed + i))), n.name)) claims.set(owned.ip, [...(claims.get(owned.ip) ?? []), n.name]);
        }
        const agreed = electL2(electionInput(spec));
        expect([...claims.keys()].sort()).toEqual([...agreed.owners.keys()].sort());
        for (const [ip, winners] of claims) {
          expect(winners).toHaveLength(1);
          const state = dataPlaneOf[winners[0]!]!;
          for (const key of agreed.owners.get(ip)?.services ?? []) {
            if (services.find((s) => s.key === key)?.trafficPolicy === 'Cluster') expect(state.proxyServing).toBe(true);
            else expect(state.overflow || state.notServing.includes(key)).toBe(false);
          }
        }
      }),
      { numRuns: 60 },
    );
  });

  test('30 IPs over 3 nodes: 10 each; a node leaving hands its IPs to the other two, and back when it returns', () => {
    const services = manyServices(30);
    const spec: ElectionSpec = { nodes: nodes3, services, endpoints: endpointsFor(services, 'n1') };
    const claimsOf = (e: ReturnType<typeof electL2>) => Object.fromEntries([...e.owners.values()].map((o) => [o.ip, [o.node]]));
    const before = electL2(electionInput(spec));
    expect([...before.loads.values()]).toEqual([10, 10, 10]);
    const after = electL2(electionInput({ ...spec, alive: ['n1', 'n3'], claims: claimsOf(before) }));
    expect(ownedBy(after, 'n2')).toEqual([]);
    expect([...after.loads.values()]).toEqual([15, 15]);
    for (const o of before.owners.values()) expect(after.owners.get(o.ip)?.node).toBe(o.node === 'n2' ? after.owners.get(o.ip)?.node : o.node);
    const back = electL2(electionInput({ ...spec, claims: claimsOf(after) }));
    // 15/15/0 -> the returning node takes from both until it is within 2 of them: 13 moves, 30 IPs stay balanced.
    expect(Math.max(...back.loads.values()) - Math.min(...back.loads.values())).toBeLessThanOrEqual(2);
    const moved = [...back.owners.values()].filter((o) => after.owners.get(o.ip)?.node !== o.node);
    for (const o of moved) expect(o.node).toBe('n2');
  });
});
