import { describe, expect, test } from '@jest/globals';
import { BANDWIDTH_PER_ENDPOINT } from './endpoint-rules.js';
import { announcements, explainNode, explainService } from './announcements.js';
import { input, node, service, testConfig, type AdSpec, type EndpointSpec, type PeerSpec, type ServiceSpec } from './fixtures.js';
import type { NodeInfo } from '../model/types.js';
import { REASON, type Reason } from './types.js';

const POOLS = { p4: ['203.0.113.0/24'], p6: ['2001:db8::/64'], other: ['203.0.113.128/25'] };
const AD: AdSpec = { name: 'a', pools: ['p4', 'p6'] };
const PEER: PeerSpec = { name: 'r1' };
const SVC: ServiceSpec = { key: 'ns/s', ips: ['203.0.113.10'] };
const UNIT = BANDWIDTH_PER_ENDPOINT;

interface Case {
  name: string;
  svc?: Partial<ServiceSpec>;
  ads?: AdSpec[];
  peers?: PeerSpec[];
  nodes?: NodeInfo[];
  endpoints?: EndpointSpec[];
  lbClass?: string;
  reason: Reason;
  /** Link bandwidth of the announcement, or undefined when unweighted / not announced. */
  bandwidth?: number | undefined;
}

function run(c: Omit<Case, 'name' | 'reason' | 'bandwidth'>) {
  const i = input({
    config: testConfig({ pools: POOLS, peers: c.peers ?? [PEER], ads: c.ads ?? [AD] }),
    ...(c.lbClass !== undefined ? { lbClass: c.lbClass } : {}),
    services: [service({ ...SVC, ...c.svc })],
    nodes: c.nodes ?? [node('n1'), node('n2')],
    endpoints: c.endpoints ?? [{ service: 'ns/s', node: 'n2' }],
  });
  return { list: announcements(i), why: explainService(i, 'ns/s') };
}

function check(c: Case): void {
  const { list, why } = run(c);
  expect(why?.verdict.reason).toBe(c.reason);
  const announced = c.reason === REASON.Announced || c.reason === REASON.AnnouncedServingTerminating;
  expect(list.length > 0).toBe(announced);
  expect(why?.ips.some((ip) => ip.announced) ?? false).toBe(announced);
  for (const a of list) expect(a.linkBandwidth).toBe(c.bandwidth);
}

describe('which Services are ours', () => {
  test.each<Case>([
    { name: 'a LoadBalancer with an IP in a pool', reason: REASON.Announced },
    { name: 'ClusterIP', svc: { type: 'ClusterIP' }, reason: REASON.NotLoadBalancer },
    { name: 'NodePort', svc: { type: 'NodePort' }, reason: REASON.NotLoadBalancer },
    { name: 'no IP assigned yet', svc: { ips: [] }, reason: REASON.NoIP },
    { name: 'a class while we serve none', svc: { loadBalancerClass: 'other.io/lb' }, reason: REASON.ClassMismatch },
    { name: 'no class while we serve one', lbClass: 'headland.io/lb', reason: REASON.ClassMismatch },
    { name: 'our class', svc: { loadBalancerClass: 'headland.io/lb' }, lbClass: 'headland.io/lb', reason: REASON.Announced },
    { name: 'another class while we serve one', svc: { loadBalancerClass: 'x' }, lbClass: 'headland.io/lb', reason: REASON.ClassMismatch },
    { name: 'IP in no pool', svc: { ips: ['198.51.100.1'] }, reason: REASON.NoPool },
  ])('$name', check);
});

describe('Cluster policy: any ready or serving endpoint anywhere', () => {
  test.each<Case>([
    { name: 'ready endpoint on another node', endpoints: [{ service: 'ns/s', node: 'n2' }], reason: REASON.Announced },
    { name: 'ready endpoint with no node', endpoints: [{ service: 'ns/s' }], reason: REASON.Announced },
    { name: 'only a terminating but serving endpoint', endpoints: [{ service: 'ns/s', node: 'n2', ready: false, serving: true, terminating: true }], reason: REASON.Announced },
    { name: 'no endpoint', endpoints: [], reason: REASON.NoEndpoints },
    { name: 'only a not-ready, not-serving endpoint', endpoints: [{ service: 'ns/s', node: 'n1', ready: false, serving: false }], reason: REASON.NoEndpoints },
    { name: 'endpoints of the other family only', endpoints: [{ service: 'ns/s', node: 'n1', family: 6 }], reason: REASON.NoEndpoints },
    { name: 'Cluster is never weighted', endpoints: [{ service: 'ns/s', node: 'n1' }, { service: 'ns/s', node: 'n1' }], reason: REASON.Announced, bandwidth: undefined },
  ])('$name', check);
});

describe('Local policy: ready local endpoints; terminating ones only when nothing is ready anywhere', () => {
  const local = { policy: 'Local' } as const;
  const draining = { ready: false, serving: true, terminating: true };
  test.each<Case>([
    { name: '1 ready here', svc: local, endpoints: [{ service: 'ns/s', node: 'n1' }], reason: REASON.Announced, bandwidth: UNIT },
    { name: '3 ready here, 1 elsewhere', svc: local, endpoints: [{ service: 'ns/s', node: 'n1' }, { service: 'ns/s', node: 'n1' }, { service: 'ns/s', node: 'n1' }, { service: 'ns/s', node: 'n2' }], reason: REASON.Announced, bandwidth: 3 * UNIT },
    { name: 'ready only elsewhere', svc: local, endpoints: [{ service: 'ns/s', node: 'n2' }], reason: REASON.NoLocalEndpoint },
    { name: 'terminating here, ready elsewhere', svc: local, endpoints: [{ service: 'ns/s', node: 'n1', ...draining }, { service: 'ns/s', node: 'n2' }], reason: REASON.NoLocalEndpoint },
    { name: 'terminating here, nothing ready anywhere', svc: local, endpoints: [{ service: 'ns/s', node: 'n1', ...draining }, { service: 'ns/s', node: 'n1', ...draining }], reason: REASON.AnnouncedServingTerminating, bandwidth: 2 * UNIT },
    { name: 'terminating elsewhere only', svc: local, endpoints: [{ service: 'ns/s', node: 'n2', ...draining }], reason: REASON.NoLocalEndpoint },
    { name: 'ready but with no node named', svc: local, endpoints: [{ service: 'ns/s' }], reason: REASON.NoLocalEndpoint },
    { name: 'no endpoint at all', svc: local, endpoints: [], reason: REASON.NoEndpoints },
    { name: 'weighting None', svc: local, ads: [{ ...AD, weighting: 'None' }], endpoints: [{ service: 'ns/s', node: 'n1' }], reason: REASON.Announced, bandwidth: undefined },
    {
      name: 'one advertisement weighted, one not: weighted',
      svc: local, ads: [{ ...AD, weighting: 'None' }, { name: 'b', pools: ['p4'], nodeSelectors: [{ zone: 'z9' }] }],
      endpoints: [{ service: 'ns/s', node: 'n1' }], reason: REASON.Announced, bandwidth: UNIT,
    },
  ])('$name', check);
});

describe('eligibility: advertisements, node labels and conditions', () => {
  test.each<Case>([
    { name: 'no advertisement for the pool', ads: [{ name: 'a', pools: ['other'] }], svc: { ips: ['203.0.113.10'] }, reason: REASON.NoAdvertisement },
    { name: 'service selector does not match', ads: [{ ...AD, serviceSelectors: [{ app: 'web' }] }], reason: REASON.ServiceNotSelected },
    { name: 'service selector matches', ads: [{ ...AD, serviceSelectors: [{ app: 'web' }] }], svc: { labels: { app: 'web' } }, reason: REASON.Announced },
    { name: 'one of several service selectors matches', ads: [{ ...AD, serviceSelectors: [{ app: 'db' }, { app: 'web' }] }], svc: { labels: { app: 'web' } }, reason: REASON.Announced },
    { name: 'node selector does not match', ads: [{ ...AD, nodeSelectors: [{ zone: 'a' }] }], reason: REASON.NodeNotSelected },
    { name: 'node selector matches', ads: [{ ...AD, nodeSelectors: [{ zone: 'a' }] }], nodes: [node('n1', { zone: 'a' })], reason: REASON.Announced },
    { name: 'exclusion label', nodes: [node('n1', { 'node.kubernetes.io/exclude-from-external-load-balancers': 'true' })], reason: REASON.NodeExcluded },
    { name: 'exclusion label with an empty value', nodes: [node('n1', { 'node.kubernetes.io/exclude-from-external-load-balancers': '' })], reason: REASON.NodeExcluded },
    { name: 'NetworkUnavailable', nodes: [node('n1', {}, true)], reason: REASON.NodeNetworkUnavailable },
    { name: 'this node not in the node list', nodes: [node('n2')], reason: REASON.NodeUnknown },
    { name: 'no peer selects the node', peers: [{ name: 'r1', nodeSelectors: [{ rack: 'r9' }] }], reason: REASON.NoPeers },
    { name: 'an impossible aggregation length is refused, not thrown', ads: [{ ...AD, aggregationLength: 33 }], reason: REASON.BadAdvertisement },
    { name: 'the advertisement names another peer', ads: [{ ...AD, peers: ['r2'] }], peers: [PEER, { name: 'r2', nodeSelectors: [{ rack: 'r9' }] }], reason: REASON.NoPeers },
  ])('$name', check);
});

describe('peers and attributes', () => {
  const base = { endpoints: [{ service: 'ns/s', node: 'n1' }] };

  test('peers: those selecting the node, narrowed by the advertisement', () => {
    const { list } = run({
      ...base,
      nodes: [node('n1', { rack: 'r1' })],
      peers: [{ name: 'a-rack1', nodeSelectors: [{ rack: 'r1' }] }, { name: 'b-all' }, { name: 'c-rack2', nodeSelectors: [{ rack: 'r2' }] }, { name: 'd-all' }],
      ads: [{ ...AD, peers: ['a-rack1', 'b-all', 'c-rack2'] }],
    });
    expect(list.map((a) => a.peers)).toEqual([['a-rack1', 'b-all']]);
  });

  test.each([
    { name: 'iBGP by ASN', peer: { name: 'r1', myASN: 64512, peerASN: 64512 }, localPref: 200 },
    { name: 'eBGP', peer: { name: 'r1', myASN: 64512, peerASN: 64513 }, localPref: undefined },
    { name: 'dynamic internal', peer: { name: 'r1', dynamicASN: 'internal' as const }, localPref: 200 },
    { name: 'dynamic external', peer: { name: 'r1', dynamicASN: 'external' as const }, localPref: undefined },
  ])('local preference only toward iBGP peers: $name', ({ peer, localPref }) => {
    const { list } = run({ ...base, peers: [peer], ads: [{ ...AD, localPref: 200 }] });
    expect(list).toHaveLength(1);
    expect(list[0]?.localPref).toBe(localPref);
  });

  test('iBGP and eBGP peers of one prefix get separate announcements', () => {
    const { list } = run({ ...base, peers: [{ name: 'e', peerASN: 65000 }, { name: 'i', peerASN: 64512 }], ads: [{ ...AD, localPref: 50 }] });
    expect(list.map((a) => [a.prefix, a.peers, a.localPref])).toEqual([
      ['203.0.113.10/32', ['e'], undefined],
      ['203.0.113.10/32', ['i'], 50],
    ]);
  });

  test('several advertisements: communities are merged per peer, the highest local preference wins', () => {
    const { list } = run({
      ...base,
      peers: [{ name: 'i1', peerASN: 64512 }, { name: 'i2', peerASN: 64512 }],
      ads: [
        { name: 'a', pools: ['p4'], localPref: 100, communities: ['65000:2', 'large:1:2:3'] },
        { name: 'b', pools: ['p4'], localPref: 300, communities: ['65000:1', '65000:2'], peers: ['i2'] },
      ],
    });
    expect(list.map((a) => ({ peers: a.peers, localPref: a.localPref, communities: a.communities }))).toEqual([
      { peers: ['i1'], localPref: 100, communities: [{ type: 'standard', asn: 65000, value: 2 }, { type: 'large', global: 1, local1: 2, local2: 3 }] },
      {
        peers: ['i2'], localPref: 300,
        communities: [{ type: 'standard', asn: 65000, value: 1 }, { type: 'standard', asn: 65000, value: 2 }, { type: 'large', global: 1, local1: 2, local2: 3 }],
      },
    ]);
  });

  test('different aggregation lengths give one prefix each; aggregates carry no weight', () => {
    const { list } = run({
      svc: { policy: 'Local' },
      endpoints: [{ service: 'ns/s', node: 'n1' }],
      ads: [{ name: 'a', pools: ['p4'] }, { name: 'b', pools: ['p4'], aggregationLength: 24 }],
    });
    expect(list.map((a) => [a.prefix, a.family, a.linkBandwidth])).toEqual([
      ['203.0.113.0/24', 4, undefined],
      ['203.0.113.10/32', 4, UNIT],
    ]);
  });

  test('IPv6 aggregation and a dual-stack Service counted per family', () => {
    const { list } = run({
      svc: { policy: 'Local', ips: ['203.0.113.10', '2001:db8::10'] },
      endpoints: [{ service: 'ns/s', node: 'n1' }, { service: 'ns/s', node: 'n1', family: 6 }, { service: 'ns/s', node: 'n1', family: 6 }],
      ads: [{ ...AD, aggregationLengthV6: 64 }, { name: 'host6', pools: ['p6'] }],
    });
    expect(list.map((a) => [a.prefix, a.family, a.linkBandwidth])).toEqual([
      ['203.0.113.10/32', 4, UNIT],
      ['2001:db8::/64', 6, undefined],
      ['2001:db8::10/128', 6, 2 * UNIT],
    ]);
  });

  test('an aggregate stands for every Service whose IP falls in it', () => {
    const i = input({
      config: testConfig({ pools: POOLS, peers: [PEER], ads: [{ ...AD, aggregationLength: 24 }] }),
      services: [service({ key: 'ns/b', ips: ['203.0.113.20'] }), service({ key: 'ns/a', ips: ['203.0.113.10'] })],
      endpoints: [{ service: 'ns/a' }, { service: 'ns/b' }],
    });
    expect(announcements(i)).toEqual([{ prefix: '203.0.113.0/24', family: 4, peers: ['r1'], communities: [], services: ['ns/a', 'ns/b'] }]);
  });

  test('the pool is the one whose addresses hold the IP; the annotation only breaks ties', () => {
    const cfg = testConfig({ pools: { low: ['203.0.113.0/24'], high: ['203.0.113.0/25'] }, peers: [PEER], ads: [{ name: 'a', pools: ['high'] }] });
    const mk = (poolHint: string | undefined, ip: string) =>
      explainService(input({ config: cfg, services: [service({ key: 'ns/s', ips: [ip], ...(poolHint ? { poolHint } : {}) })], endpoints: [{ service: 'ns/s' }] }), 'ns/s')?.ips[0]?.pool;
    expect(mk(undefined, '203.0.113.10')).toBe('high'); // first by name
    expect(mk('low', '203.0.113.10')).toBe('low');
    expect(mk('high', '203.0.113.200')).toBe('low'); // the hint names a pool that does not hold the IP
  });
});

describe('Services sharing an IP', () => {
  const shared = ['203.0.113.50'];
  function runShared(services: ServiceSpec[], endpoints: EndpointSpec[], ads: AdSpec[] = [AD]) {
    const i = input({
      config: testConfig({ pools: POOLS, peers: [PEER], ads }),
      services: services.map((s) => service({ ips: shared, ...s })),
      nodes: [node('n1'), node('n2')],
      endpoints,
    });
    return { list: announcements(i), why: (key: string) => explainService(i, key) };
  }

  test('announced once while any qualifies, standing for those that do', () => {
    const { list, why } = runShared([{ key: 'ns/a', policy: 'Local' }, { key: 'ns/b', policy: 'Local' }], [{ service: 'ns/a', node: 'n1' }, { service: 'ns/b', node: 'n2' }]);
    expect(list).toEqual([{ prefix: '203.0.113.50/32', family: 4, peers: ['r1'], communities: [], linkBandwidth: UNIT, services: ['ns/a'] }]);
    expect(why('ns/b')?.ips[0]).toMatchObject({ announced: false, ipAnnounced: true, reason: REASON.NoLocalEndpoint });
  });

  test('the weight is the sum of the sharing Local Services\' local endpoints', () => {
    const { list } = runShared(
      [{ key: 'ns/a', policy: 'Local' }, { key: 'ns/b', policy: 'Local' }],
      [{ service: 'ns/a', node: 'n1' }, { service: 'ns/b', node: 'n1' }, { service: 'ns/b', node: 'n1' }, { service: 'ns/b', node: 'n2' }],
    );
    expect(list.map((a) => [a.linkBandwidth, a.services])).toEqual([[3 * UNIT, ['ns/a', 'ns/b']]]);
  });

  test('shared with a Cluster Service that has endpoints: no path is weighted, and the explanation says why', () => {
    const { list, why } = runShared([{ key: 'ns/a', policy: 'Local' }, { key: 'ns/c' }], [{ service: 'ns/a', node: 'n1' }, { service: 'ns/c', node: 'n2' }]);
    expect(list.map((a) => [a.linkBandwidth, a.services])).toEqual([[undefined, ['ns/a', 'ns/c']]]);
    expect(why('ns/a')?.ips[0]?.unweightedBecause).toContain('ns/c');
  });

  test('a sharer with no endpoints anywhere does not take the weight away', () => {
    const { list } = runShared([{ key: 'ns/a', policy: 'Local' }, { key: 'ns/c' }], [{ service: 'ns/a', node: 'n1' }]);
    expect(list.map((a) => [a.linkBandwidth, a.services])).toEqual([[UNIT, ['ns/a']]]);
  });
});

describe('output order and explanations', () => {
  test('sorted by family, address and length, whatever the input order', () => {
    const svcs = ['2001:db8::1', '203.0.113.9', '203.0.113.10', '203.0.113.2'].map((ip, i) => service({ key: `ns/s${i}`, ips: [ip] }));
    const eps = svcs.map((s) => ({ service: s.key, family: s.ingressIPs[0]?.family ?? 4 }));
    const cfg = testConfig({ pools: POOLS, peers: [PEER], ads: [AD] });
    const forward = announcements(input({ config: cfg, services: svcs, endpoints: eps }));
    const backward = announcements(input({ config: cfg, services: [...svcs].reverse(), endpoints: eps }));
    expect(forward.map((a) => a.prefix)).toEqual(['203.0.113.2/32', '203.0.113.9/32', '203.0.113.10/32', '2001:db8::1/128']);
    expect(backward).toEqual(forward);
  });

  test('explainNode says why a node may not announce, and lists its peers', () => {
    const cfg = testConfig({ pools: POOLS, peers: [PEER, { name: 'r2', nodeSelectors: [{ rack: 'x' }] }], ads: [AD] });
    expect(explainNode(input({ config: cfg, nodes: [node('n1')] }))).toMatchObject({ eligible: true, verdict: { reason: REASON.NodeEligible }, peers: ['r1'] });
    expect(explainNode(input({ config: cfg, nodes: [node('n1', {}, true)] }))).toMatchObject({ eligible: false, verdict: { reason: REASON.NodeNetworkUnavailable } });
    expect(explainNode(input({ config: cfg, nodes: [] })).verdict.reason).toBe(REASON.NodeUnknown);
  });

  test('explainService: unknown Service, and the detail names the objects', () => {
    const i = input({ config: testConfig({ pools: POOLS, peers: [PEER], ads: [{ ...AD, nodeSelectors: [{ zone: 'a' }] }] }), services: [service(SVC)], endpoints: [{ service: 'ns/s' }] });
    expect(explainService(i, 'ns/missing')).toBeUndefined();
    expect(explainService(i, 'ns/s')?.verdict.detail).toMatch(/BGPAdvertisement a .*node n1/);
  });
});
