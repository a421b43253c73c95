// Property tests: (1) over random clusters, the policy run for every node gives exactly what a
// brute-force restatement of the rules gives; (2) the incremental engine always equals a full run.
import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { formatCommunity } from '@headland/api';
import { EndpointIndex } from '../model/endpoint-index.js';
import type { NodeInfo, SliceInfo } from '../model/types.js';
import { announcements, explainService } from './announcements.js';
import { PolicyEngine } from './engine.js';
import { node, service, testConfig, type AdSpec, type EndpointSpec, type Labels, type PeerSpec, type ServiceSpec } from './fixtures.js';
import type { Announcement, PolicyInput } from './types.js';

const EXCLUDE = 'node.kubernetes.io/exclude-from-external-load-balancers';
const POOLS = { p1: ['203.0.113.0/26'], p2: ['203.0.113.0/25'], p6: ['2001:db8::/120'] };
/** Which pools hold each IP, written out by hand so the oracle does no IP math. */
const IP_POOLS: Record<string, string[]> = {
  '203.0.113.1': ['p1', 'p2'],
  '203.0.113.2': ['p1', 'p2'],
  '203.0.113.100': ['p2'],
  '203.0.113.200': [],
  '2001:db8::1': ['p6'],
  '2001:db8::2': ['p6'],
};
const IPS = Object.keys(IP_POOLS);
const NODE_NAMES = ['n1', 'n2', 'n3', 'n4'];
const UNIT = 125_000;

// ---- generators ----

// Each rule is a gate, so the common value of each field is the one that passes it: otherwise
// almost no generated cluster would announce anything and the properties would prove little.
const mostly = <T>(usual: T, ...others: T[]) => fc.oneof({ weight: 5, arbitrary: fc.constant(usual) }, { weight: 1, arbitrary: fc.constantFrom(...others) });
const nodeSelectorsArb = mostly<Labels[]>([], [{ zone: 'a' }], [{ zone: 'b' }], [{ zone: 'a' }, { zone: 'b' }]);
const rarely = fc.oneof({ weight: 8, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) });

const nodeArb = (name: string) =>
  fc.record({ zone: fc.constantFrom(undefined, 'a', 'b'), excluded: rarely, down: rarely }).map(({ zone, excluded, down }): NodeInfo => {
    const labels: Labels = {};
    if (zone !== undefined) labels['zone'] = zone;
    if (excluded) labels[EXCLUDE] = '';
    return node(name, labels, down);
  });

const peerArb = (i: number) =>
  fc.record({ nodeSelectors: nodeSelectorsArb, kind: fc.constantFrom('ibgp', 'ebgp', 'internal', 'external') }).map(({ nodeSelectors, kind }): PeerSpec => {
    const name = `r${i}`;
    if (kind === 'internal' || kind === 'external') return { name, nodeSelectors, dynamicASN: kind };
    return { name, nodeSelectors, myASN: 64512, peerASN: kind === 'ibgp' ? 64512 : 65000 };
  });

const adArb = (i: number) =>
  fc.record({
    pools: mostly(['p1', 'p2', 'p6'], ['p1'], ['p2'], ['p6'], ['p1', 'p6'], []),
    serviceSelectors: mostly<Labels[]>([], [{ app: 'x' }], [{ app: 'y' }]),
    nodeSelectors: nodeSelectorsArb,
    peers: fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.subarray(['r0', 'r1', 'r2']) }),
    aggregationLength: fc.constantFrom(32, 32, 24),
    aggregationLengthV6: fc.constantFrom(128, 128, 120),
    localPref: fc.constantFrom(undefined, 100, 200),
    communities: fc.subarray(['65000:1', '65000:2', 'large:1:2:3']),
    weighting: fc.constantFrom('LocalEndpoints' as const, 'LocalEndpoints' as const, 'None' as const),
  }).map((a): AdSpec => ({ name: `a${i}`, ...dropUndefined(a) }));

const serviceArb = (i: number) =>
  fc.record({
    type: mostly('LoadBalancer', 'ClusterIP'),
    loadBalancerClass: mostly<string | undefined>(undefined, 'x'),
    policy: fc.constantFrom('Cluster' as const, 'Local' as const),
    ips: fc.subarray(IPS, { minLength: 1, maxLength: 2 }),
    app: fc.constantFrom(undefined, 'x', 'y'),
    poolHint: fc.constantFrom(undefined, 'p1', 'p2'),
  }).map(({ app, ...s }): ServiceSpec => ({ key: `ns/s${i}`, ...dropUndefined(s), labels: app === undefined ? {} : { app } }));

/** Ready, draining, not ready, or any odd mix of conditions (which must count as nothing or ready). */
const conditionsArb = fc.oneof(
  { weight: 4, arbitrary: fc.constant({ ready: true, serving: true, terminating: false }) },
  { weight: 3, arbitrary: fc.constant({ ready: false, serving: true, terminating: true }) },
  { weight: 1, arbitrary: fc.constant({ ready: false, serving: false, terminating: false }) },
  { weight: 1, arbitrary: fc.record({ ready: fc.boolean(), serving: fc.boolean(), terminating: fc.boolean() }) },
);

const endpointArb = (services: number) =>
  fc.record({
    service: fc.nat({ max: Math.max(0, services - 1) }).map((i) => `ns/s${i}`),
    node: fc.oneof({ weight: 1, arbitrary: fc.constant(undefined) }, { weight: 8, arbitrary: fc.constantFrom(...NODE_NAMES) }),
    family: mostly(4 as const, 6 as const),
    conditions: conditionsArb,
  }).map(({ conditions, ...e }): EndpointSpec => ({ ...dropUndefined(e), ...conditions }));

const indexed = <T>(max: number, arb: (i: number) => fc.Arbitrary<T>, min = 0) => fc.integer({ min, max }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => arb(i))));

interface Cluster {
  lbClass: string | undefined;
  nodes: NodeInfo[];
  peers: PeerSpec[];
  ads: AdSpec[];
  services: ServiceSpec[];
  endpoints: EndpointSpec[];
}

const clusterArb: fc.Arbitrary<Cluster> = fc
  .record({
    lbClass: mostly<string | undefined>(undefined, 'x'),
    nodes: fc.integer({ min: 1, max: 4 }).chain((n) => fc.tuple(...NODE_NAMES.slice(0, n).map(nodeArb))),
    peers: indexed(3, peerArb, 1),
    ads: indexed(3, adArb, 1),
    services: indexed(6, serviceArb),
  })
  .chain((c) => fc.array(endpointArb(c.services.length), { minLength: Math.min(c.services.length * 2, 8), maxLength: c.services.length === 0 ? 0 : 30 }).map((endpoints) => ({ ...c, endpoints })));

function dropUndefined<T extends object>(o: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as never;
}

// ---- the brute-force statement of the rules ----

interface PathFacts {
  localPref: number | undefined;
  communities: string[];
  linkBandwidth: number | undefined;
  services: string[];
}

const selects = (selectors: Labels[] | undefined, labels: Labels) =>
  (selectors ?? []).length === 0 || (selectors ?? []).some((s) => Object.entries(s).every(([k, v]) => labels[k] === v));

function aggregate(ip: string, length: number): string {
  if (length === 32 || length === 128) return `${ip}/${length}`;
  return length === 24 ? '203.0.113.0/24' : '2001:db8::/120';
}

function oracle(c: Cluster, nodeName: string): Map<string, PathFacts> {
  const out = new Map<string, PathFacts & { lbs: Set<number | undefined> }>();
  const me = c.nodes.find((n) => n.name === nodeName);
  if (me === undefined || EXCLUDE in me.labels || me.networkUnavailable) return new Map();
  const myPeers = c.peers.filter((p) => selects(p.nodeSelectors, me.labels));
  const isReady = (e: EndpointSpec) => e.ready === true;
  const isDraining = (e: EndpointSpec) => e.ready !== true && e.serving === true && e.terminating === true;

  // Per IP: the services active anywhere, those qualifying here, and their paths.
  interface Member { key: string; weighted: boolean; qualifies: boolean; local: number; paths: { prefix: string; peer: string; localPref: number | undefined; communities: string[]; host: boolean }[] }
  const byIP = new Map<string, Member[]>();
  for (const s of c.services) {
    if ((s.type ?? 'LoadBalancer') !== 'LoadBalancer' || s.loadBalancerClass !== c.lbClass) continue;
    for (const ip of s.ips ?? []) {
      const family = ip.includes(':') ? 6 : 4;
      const holders = [...(IP_POOLS[ip] ?? [])].sort();
      const pool = s.poolHint !== undefined && holders.includes(s.poolHint) ? s.poolHint : holders[0];
      if (pool === undefined) continue;
      const ads = c.ads.filter((a) => a.pools.includes(pool) && selects(a.serviceSelectors, s.labels ?? {}));
      if (ads.length === 0) continue;
      const eps = c.endpoints.filter((e) => e.service === s.key && (e.family ?? 4) === family);
      const anyReady = eps.filter(isReady).length;
      if (anyReady + eps.filter(isDraining).length === 0) continue;
      const member: Member = { key: s.key, weighted: s.policy === 'Local' && ads.some((a) => (a.weighting ?? 'LocalEndpoints') === 'LocalEndpoints'), qualifies: false, local: 0, paths: [] };
      (byIP.get(ip) ?? byIP.set(ip, []).get(ip))?.push(member);
      const adsHere = ads.filter((a) => selects(a.nodeSelectors, me.labels));
      if (adsHere.length === 0) continue;
      if (s.policy === 'Local') {
        const localReady = eps.filter((e) => e.node === nodeName && isReady(e)).length;
        const localDraining = eps.filter((e) => e.node === nodeName && isDraining(e)).length;
        if (localReady > 0) member.local = localReady;
        else if (anyReady === 0 && localDraining > 0) member.local = localDraining;
        else continue;
      }
      member.qualifies = true;
      for (const a of adsHere) {
        const length = family === 4 ? (a.aggregationLength ?? 32) : (a.aggregationLengthV6 ?? 128);
        for (const p of myPeers) {
          if (a.peers !== undefined && !a.peers.includes(p.name)) continue;
          const ibgp = p.dynamicASN !== undefined ? p.dynamicASN === 'internal' : p.peerASN === p.myASN;
          member.paths.push({ prefix: aggregate(ip, length), peer: p.name, localPref: ibgp ? a.localPref : undefined, communities: a.communities ?? [], host: length === 32 || length === 128 });
        }
      }
    }
  }
  for (const members of byIP.values()) {
    const weighted = members.every((m) => m.weighted);
    const weight = members.filter((m) => m.qualifies).reduce((sum, m) => sum + m.local, 0) * UNIT;
    for (const m of members) {
      for (const p of m.paths) {
        const key = `${p.prefix} ${p.peer}`;
        const facts = out.get(key) ?? { localPref: undefined, communities: [], linkBandwidth: undefined, services: [], lbs: new Set() };
        if (p.localPref !== undefined) facts.localPref = Math.max(facts.localPref ?? 0, p.localPref);
        facts.communities = [...new Set([...facts.communities, ...p.communities])].sort();
        facts.lbs.add(weighted && p.host ? weight : undefined);
        facts.services = [...new Set([...facts.services, m.key])].sort();
        out.set(key, facts);
      }
    }
  }
  return new Map([...out].map(([k, { lbs, ...f }]) => [k, { ...f, linkBandwidth: [...lbs][0] }]));
}

// ---- running the policy ----

function policyInput(c: Cluster, nodeName: string, endpoints = endpointsOf(c.endpoints)): PolicyInput {
  return {
    config: testConfig({ pools: POOLS, peers: c.peers, ads: c.ads }),
    nodeName,
    lbClass: c.lbClass,
    services: new Map(c.services.map((s) => [s.key, service(s)])),
    nodes: new Map(c.nodes.map((n) => [n.name, n])),
    endpoints,
  };
}

function endpointsOf(list: readonly EndpointSpec[]): EndpointIndex {
  const index = new EndpointIndex();
  list.forEach((e, i) => index.applySlice(sliceOf(`slice-${i}`, e.service, e.family ?? 4, [e])));
  return index;
}

function sliceOf(key: string, serviceKey: string, family: 4 | 6, endpoints: readonly EndpointSpec[]): SliceInfo {
  return { key, serviceKey, family, endpoints: endpoints.map((e) => ({ nodeName: e.node, ready: e.ready ?? true, serving: e.serving ?? e.ready ?? true, terminating: e.terminating ?? false })) };
}

function flatten(list: readonly Announcement[]): Map<string, PathFacts> {
  const out = new Map<string, PathFacts>();
  for (const a of list) {
    for (const peer of a.peers) {
      const key = `${a.prefix} ${peer}`;
      expect(out.has(key)).toBe(false);
      out.set(key, { localPref: a.localPref, communities: a.communities.map(formatCommunity).sort(), linkBandwidth: a.linkBandwidth, services: [...a.services] });
    }
  }
  return out;
}

describe('the policy against a brute-force statement of the rules', () => {
  test('every node announces exactly the prefixes, peers, weights and attributes the rules say', () => {
    fc.assert(
      fc.property(clusterArb, (c) => {
        const endpoints = endpointsOf(c.endpoints);
        const weights = new Map<string, Set<string>>();
        for (const n of NODE_NAMES) {
          const list = announcements(policyInput(c, n, endpoints));
          expect(flatten(list)).toEqual(oracle(c, n));
          for (const a of list) {
            if (a.prefix.endsWith('/32') || a.prefix.endsWith('/128')) {
              const seen = weights.get(a.prefix) ?? new Set<string>();
              seen.add(a.linkBandwidth === undefined ? 'none' : 'weighted');
              weights.set(a.prefix, seen);
            }
          }
        }
        // Every path of a host route is weighted, or none is.
        for (const seen of weights.values()) expect(seen.size).toBe(1);
      }),
      { numRuns: 300 },
    );
  });
});

// ---- the engine against full runs ----

type Op =
  | { op: 'service'; spec: ServiceSpec }
  | { op: 'deleteService'; i: number }
  | { op: 'slice'; slot: number; endpoints: EndpointSpec[] }
  | { op: 'deleteSlice'; slot: number }
  | { op: 'node'; node: NodeInfo }
  | { op: 'deleteNode'; name: string }
  | { op: 'config'; peers: PeerSpec[]; ads: AdSpec[] };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: fc.nat({ max: 5 }).chain((i) => serviceArb(i)).map((spec) => ({ op: 'service' as const, spec })) },
  { weight: 1, arbitrary: fc.nat({ max: 5 }).map((i) => ({ op: 'deleteService' as const, i })) },
  {
    weight: 5,
    arbitrary: fc.record({ slot: fc.nat({ max: 7 }), service: fc.nat({ max: 5 }), family: fc.constantFrom(4 as const, 6 as const), endpoints: fc.array(endpointArb(1), { maxLength: 4 }) }).map(({ slot, service: s, family, endpoints }) => ({
      op: 'slice' as const,
      slot,
      endpoints: endpoints.map((e) => ({ ...e, service: `ns/s${s}`, family })),
    })),
  },
  { weight: 1, arbitrary: fc.nat({ max: 7 }).map((slot) => ({ op: 'deleteSlice' as const, slot })) },
  { weight: 2, arbitrary: fc.constantFrom(...NODE_NAMES).chain(nodeArb).map((n) => ({ op: 'node' as const, node: n })) },
  { weight: 1, arbitrary: fc.constantFrom(...NODE_NAMES).map((name) => ({ op: 'deleteNode' as const, name })) },
  { weight: 1, arbitrary: fc.record({ peers: indexed(3, peerArb, 1), ads: indexed(3, adArb) }).map((c) => ({ op: 'config' as const, ...c })) },
);

describe('the incremental engine', () => {
  test('after any sequence of changes, its announcements, deltas and explanations equal a full run', () => {
    fc.assert(
      fc.property(clusterArb, fc.array(opArb, { minLength: 1, maxLength: 25 }), (start, ops) => {
        const c: Cluster = { ...start, endpoints: [] };
        const slices = new Map<number, EndpointSpec[]>();
        const engine = new PolicyEngine({ nodeName: 'n1', lbClass: c.lbClass }, testConfig({ pools: POOLS, peers: c.peers, ads: c.ads }));
        for (const s of c.services) engine.upsertService(service(s));
        for (const n of c.nodes) engine.upsertNode(n);
        const applied = new Map<string, readonly Announcement[]>();
        for (const op of [{ op: 'noop' } as const, ...ops]) {
          switch (op.op) {
            case 'noop': break;
            case 'service': c.services = [...c.services.filter((s) => s.key !== op.spec.key), op.spec]; engine.upsertService(service(op.spec)); break;
            case 'deleteService': c.services = c.services.filter((s) => s.key !== `ns/s${op.i}`); engine.deleteService(`ns/s${op.i}`); break;
            case 'slice': {
              const first = op.endpoints[0];
              // An empty slice still names its Service; keep it under the slot's last Service.
              const svc = first?.service ?? 'ns/s0';
              slices.set(op.slot, op.endpoints.map((e) => ({ ...e, service: svc })));
              engine.applySlice(sliceOf(`slot-${op.slot}`, svc, first?.family ?? 4, op.endpoints));
              break;
            }
            case 'deleteSlice': slices.delete(op.slot); engine.deleteSlice(`slot-${op.slot}`); break;
            case 'node': c.nodes = [...c.nodes.filter((n) => n.name !== op.node.name), op.node]; engine.upsertNode(op.node); break;
            case 'deleteNode': c.nodes = c.nodes.filter((n) => n.name !== op.name); engine.deleteNode(op.name); break;
            case 'config': c.peers = op.peers; c.ads = op.ads; engine.setConfig(testConfig({ pools: POOLS, peers: op.peers, ads: op.ads })); break;
          }
          const delta = engine.flush();
          for (const [prefix, list] of delta.changed) {
            if (list.length === 0) applied.delete(prefix);
            else applied.set(prefix, list);
          }
          c.endpoints = [...slices.values()].flat();
          const full = policyInput(c, 'n1');
          const expected = announcements(full);
          expect(engine.announcements()).toEqual(expected);
          expect([...applied.values()].flat().sort(byText)).toEqual([...expected].sort(byText));
          for (const s of c.services) expect(engine.explainService(s.key)).toEqual(explainService(full, s.key));
        }
      }),
      { numRuns: 150 },
    );
  });
});

function byText(a: Announcement, b: Announcement): number {
  const ta = JSON.stringify(a);
  const tb = JSON.stringify(b);
  return ta < tb ? -1 : ta > tb ? 1 : 0;
}
