import { readFileSync } from 'node:fs';
import { lab, type traffic } from '../index.js';
import { announcementsOf, expectedShares, podSharesOf, podsByService, servicesOf, whoseAddress } from './facts.js';
import { DemoError, TOPOLOGY_FILE, layoutOf } from './layout.js';

const layout = layoutOf(lab.parseTopology(readFileSync(TOPOLOGY_FILE, 'utf8'), TOPOLOGY_FILE));
/** Captured from FRR 8.4 in the demo lab (`show ip route IP/32 json`, `show bgp ipv4 unicast IP/32 json`). */
const fixture = (name: string): string => readFileSync(new URL(`../../testdata/demo/${name}.json`, import.meta.url), 'utf8');
const route = (name: string, ip: string) => lab.findRoute(lab.parseFrrRoutes(fixture(`frr-route-${name}`)), `${ip}/32`);
const bgp = (name: string) => lab.parseFrrBgpPrefix(fixture(`frr-bgp-${name}`));

const svc = (name: string, policy: string | undefined, ips: string[], type = 'LoadBalancer') => ({
  metadata: { namespace: 'demo', name },
  spec: { type, ...(policy === undefined ? {} : { externalTrafficPolicy: policy }) },
  status: { loadBalancer: ips.length === 0 ? {} : { ingress: ips.map((ip) => ({ ip })) } },
});

describe('servicesOf', () => {
  test('LoadBalancer Services with their policy and status IPs; others left out', () => {
    const list = { items: [svc('web', 'Local', ['203.0.113.240']), svc('hello', 'Cluster', ['203.0.113.241', '2001:db8::1']), svc('pending', undefined, []), svc('internal', undefined, [], 'ClusterIP')] };
    expect(servicesOf(list)).toEqual([
      { key: 'demo/web', policy: 'Local', ips: ['203.0.113.240'] },
      { key: 'demo/hello', policy: 'Cluster', ips: ['203.0.113.241', '2001:db8::1'] },
      { key: 'demo/pending', policy: 'Cluster', ips: [] },
    ]);
  });

  test.each([['null', null], ['an array', []], ['no items', { kind: 'List' }]])('%s is refused with a DemoError', (_name, list) => {
    expect(() => servicesOf(list)).toThrow(DemoError);
    expect(() => servicesOf(list)).toThrow(/^demo\/facts: the Service list is not a list with "items"$/);
  });
});

describe('podsByService', () => {
  const ep = (ip: string, ready = true) => ({ addresses: [ip], conditions: { ready } });
  const slice = (name: string, service: string | undefined, endpoints: unknown[]) => ({
    metadata: { namespace: 'demo', name, labels: service === undefined ? {} : { 'kubernetes.io/service-name': service } },
    endpoints,
  });

  test('ready endpoints named by demo pod, slices of one Service merged; unready, unknown and unlabelled ones left out', () => {
    const list = {
      items: [
        slice('web-a', 'web', [ep('198.18.102.2'), ep('198.18.101.2'), ep('198.18.102.3', false)]),
        slice('web-b', 'web', [ep('198.18.102.4'), ep('198.18.250.9')]),
        slice('stray', undefined, [ep('198.18.103.2')]),
        slice('empty', 'hello', []),
      ],
    };
    expect(Object.fromEntries(podsByService(list, layout))).toEqual({ 'demo/web': ['web-1', 'web-2', 'web-4'], 'demo/hello': [] });
  });
});

describe('announcementsOf (from FRR output captured in the demo lab)', () => {
  test('the Local service: node1 weight 25 with 1 Mbps, node2 weight 75 with 3 Mbps', () => {
    expect(announcementsOf(route('web', '203.0.113.240'), bgp('web'), layout)).toEqual([
      { node: 'node1', nodeIP: '198.18.0.11', weight: 25, share: 0.25, linkBandwidth: '1.000 Mbps' },
      { node: 'node2', nodeIP: '198.18.0.12', weight: 75, share: 0.75, linkBandwidth: '3.000 Mbps' },
    ]);
  });

  test('the Cluster service: three nodes, equal weights, no link bandwidth', () => {
    const a = announcementsOf(route('hello', '203.0.113.241'), bgp('hello'), layout);
    expect(a.map((x) => [x.node, x.weight, x.linkBandwidth])).toEqual([['node1', 1, undefined], ['node2', 1, undefined], ['node3', 1, undefined]]);
    expect(a.reduce((n, x) => n + x.share, 0)).toBeCloseTo(1);
  });

  test('no route: nothing announced; a nexthop outside the demo is shown by its address', () => {
    expect(announcementsOf(undefined, undefined, layout)).toEqual([]);
    const other: lab.Route = { prefix: '203.0.113.240/32', paths: [{ source: 'bgp', best: true, nexthops: [{ via: '198.18.0.99', weight: 1 }], attributes: {} }] };
    expect(announcementsOf(other, undefined, layout)).toEqual([{ node: '198.18.0.99', nodeIP: '198.18.0.99', weight: 1, share: 1, linkBandwidth: undefined }]);
  });
});

describe('expectedShares', () => {
  const web = ['web-1', 'web-2', 'web-3', 'web-4'];
  const weighted = announcementsOf(route('web', '203.0.113.240'), bgp('web'), layout);
  const even = weighted.map((a) => ({ ...a, weight: 1, share: 0.5 }));

  test('Local, weighted 25/75 over 1 and 3 pods: a quarter each', () => {
    expect([...expectedShares('Local', web, weighted, layout).values()]).toEqual([0.25, 0.25, 0.25, 0.25]);
  });

  test('Local with equal weights: the lone pod takes half, the other three a sixth each', () => {
    const e = expectedShares('Local', web, even, layout);
    expect(e.get('web-1')).toBe(0.5);
    expect(e.get('web-2')).toBeCloseTo(1 / 6);
  });

  test('Cluster: an equal part per pod, whatever the router does', () => {
    expect(Object.fromEntries(expectedShares('Cluster', ['hello-1', 'hello-2'], [], layout))).toEqual({ 'hello-1': 0.5, 'hello-2': 0.5 });
  });

  test('Local on a node the router does not send to: nothing expected', () => {
    expect(expectedShares('Local', ['hello-2'], weighted, layout).get('hello-2')).toBe(0);
  });
});

test.each([
  ['198.18.1.2', "the client's own address"],
  ['198.18.0.12', "node2's address"],
  ['198.18.77.1', 'an address outside the demo'],
])('whoseAddress(%s) is %s', (ip, words) => {
  expect(whoseAddress(ip, layout)).toBe(words);
});

test('podSharesOf: every expected pod (even one that got nothing) and every pod that answered, with what it saw', () => {
  const summary: traffic.TrafficSummary = {
    target: '203.0.113.240:80', count: 10, ok: 9, failed: 1, durationMs: 5,
    perPod: { 'web-1': 3, 'web-2': 6 }, clientsByPod: { 'web-1': ['198.18.1.2'], 'web-2': ['198.18.0.11', '198.18.0.12'] }, failures: { timeout: 1 }, failedConnections: [],
  };
  const shares = podSharesOf(summary, new Map([['web-1', 0.5], ['web-3', 0.5]]), layout);
  expect(shares).toEqual([
    { pod: 'web-1', node: 'node1', connections: 3, share: 0.3, expected: 0.5, sawClients: [{ ip: '198.18.1.2', whose: "the client's own address" }] },
    { pod: 'web-2', node: 'node2', connections: 6, share: 0.6, expected: 0, sawClients: [{ ip: '198.18.0.11', whose: "node1's address" }, { ip: '198.18.0.12', whose: "node2's address" }] },
    { pod: 'web-3', node: 'node2', connections: 0, share: 0, expected: 0.5, sawClients: [] },
  ]);
});
