import { toStatus } from '../errors.js';
import type { JsonObject } from '../json.js';
import { ServiceAllocator } from './allocator.js';
import { edit, MiniStore, nodePorts, outcomeText, service, specOf, type Outcome } from './fixtures.js';

const fresh = (last = 32767): MiniStore =>
  new MiniStore(new ServiceAllocator({ serviceClusterIPRanges: ['198.19.128.0/20'], nodePortRange: { first: 30000, last }, random: () => 0 }));
const dns = (tcp: number, udp: number): JsonObject[] => [
  { name: 'dns-tcp', port: 53, protocol: 'TCP', ...(tcp === 0 ? {} : { nodePort: tcp }) },
  { name: 'dns-udp', port: 53, protocol: 'UDP', ...(udp === 0 ? {} : { nodePort: udp }) },
];

test.each<[string, JsonObject, string, number[], number[]]>([
  ['TCP and UDP of one port share a node port on create', { type: 'NodePort', ports: dns(0, 0) }, 'ok', [30086, 30086], [30086]],
  ['a choice on the second entry is taken by both', { type: 'NodePort', ports: dns(0, 30053) }, 'ok', [30053, 30053], [30053]],
  ['two different choices are both taken', { type: 'NodePort', ports: dns(30053, 30054) }, 'ok', [30053, 30054], [30053, 30054]],
  ['the same node port on two ports of one protocol', { type: 'NodePort', ports: [{ name: 'a', port: 80, protocol: 'TCP', nodePort: 30080 }, { name: 'b', port: 81, protocol: 'TCP', nodePort: 30080 }] },
    'Service "a" is invalid: spec.ports[1].nodePort: Invalid value: 30080: provided port is already allocated', [], []],
  ['a LoadBalancer without node ports', { type: 'LoadBalancer', allocateLoadBalancerNodePorts: false, ports: dns(0, 0) }, 'ok', [0, 0], []],
  ['a LoadBalancer without node ports still honours one asked for', { type: 'LoadBalancer', allocateLoadBalancerNodePorts: false, ports: dns(30053, 0) }, 'ok', [30053, 0], [30053]],
  ['allocateLoadBalancerNodePorts on a NodePort', { type: 'NodePort', allocateLoadBalancerNodePorts: true },
    'Service "a" is invalid: spec.allocateLoadBalancerNodePorts: Forbidden: may only be used when `type` is \'LoadBalancer\'', [], []],
])('%s', (...[, spec, want, ports, held]) => {
  const store = fresh();
  const out = store.create(service('a', spec));
  expect(outcomeText(out)).toBe(want);
  if (want === 'ok') expect(nodePorts(out)).toEqual(ports);
  expect(store.alloc.snapshot().nodePorts).toEqual(held);
});

describe('node ports on update', () => {
  const store = fresh();
  test.each<[string, () => Outcome, string, number[]]>([
    ['ClusterIP with DNS ports', () => store.create(service('a', { ports: dns(0, 0) })), 'ok', []],
    ['→ NodePort: on update each entry gets its own port', () => store.update('a', (o) => edit(o, { type: 'NodePort', externalTrafficPolicy: 'Cluster' })), 'ok', [30086, 30087]],
    ['pointing UDP at the TCP port frees the UDP one', () => store.update('a', (o) => edit(o, { ports: dns(30086, 30086) })), 'ok', [30086]],
    ['the same port twice for one protocol fails as the real one does, with a plain error', () =>
      store.update('a', (o) => edit(o, { ports: [...dns(30086, 30086), { name: 'again', port: 54, protocol: 'TCP', nodePort: 30086 }] })),
      'duplicate nodePort: {TCP 30086}', [30086]],
  ])('%s', (...[, act, want, held]) => {
    const out = act();
    expect(outcomeText(out)).toBe(want);
    expect(store.alloc.snapshot().nodePorts).toEqual(held);
    if (out instanceof Error) expect(toStatus(out)).toEqual({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: want, reason: '', code: 500 });
  });
});

describe('health check node ports', () => {
  const store = fresh();
  const local = (extra: JsonObject = {}): JsonObject => ({ type: 'LoadBalancer', externalTrafficPolicy: 'Local', ...extra });
  test.each<[string, () => Outcome, string, number[], number?]>([
    ['a Local LoadBalancer gets a node port and a health check port', () => store.create(service('a', local())), 'ok', [30086, 30087], 30087],
    ['without node ports it still gets a health check port', () => store.create(service('b', local({ allocateLoadBalancerNodePorts: false }))), 'ok', [30086, 30087, 30088], 30088],
    ['a chosen one is honoured', () => store.create(service('c', local({ allocateLoadBalancerNodePorts: false, healthCheckNodePort: 30100 }))), 'ok', [30086, 30087, 30088, 30100], 30100],
    ['a taken one is an internal error, as the real one answers', () => store.create(service('d', local({ healthCheckNodePort: 30100 }))),
      'Internal error occurred: failed to allocate requested HealthCheck NodePort 30100: provided port is already allocated', [30086, 30087, 30088, 30100]],
    ['one out of range too', () => store.create(service('e', local({ healthCheckNodePort: 80 }))),
      'Internal error occurred: failed to allocate requested HealthCheck NodePort 80: provided port is not in the valid range. The range of valid ports is 30000-32767',
      [30086, 30087, 30088, 30100]],
    ['a NodePort cannot have one', () => store.create(service('f', { type: 'NodePort', externalTrafficPolicy: 'Local', healthCheckNodePort: 30101 })),
      'Service "f" is invalid: spec.healthCheckNodePort: Invalid value: 30101: may only be set when `type` is \'LoadBalancer\' and `externalTrafficPolicy` is \'Local\'',
      [30086, 30087, 30088, 30100]],
    ['nor a Cluster LoadBalancer', () => store.create(service('g', { type: 'LoadBalancer', healthCheckNodePort: 30101 })),
      'Service "g" is invalid: spec.healthCheckNodePort: Invalid value: 30101: may only be set when `type` is \'LoadBalancer\' and `externalTrafficPolicy` is \'Local\'',
      [30086, 30087, 30088, 30100]],
    ['deleting a frees both kinds', () => store.delete('a'), 'ok', [30088, 30100]],
    ['deleting c frees its chosen one', () => store.delete('c'), 'ok', [30088]],
  ])('%s', (...[, act, want, held, hc]) => {
    const out = act();
    expect(outcomeText(out)).toBe(want);
    expect(store.alloc.snapshot().nodePorts).toEqual(held);
    if (hc !== undefined) expect(specOf(out)['healthCheckNodePort']).toBe(hc);
  });
});

test('no port left for the health check: the node port taken just before is given back', () => {
  const store = fresh(30000);
  const out = store.create(service('a', { type: 'LoadBalancer', externalTrafficPolicy: 'Local' }));
  expect(outcomeText(out)).toBe('Internal error occurred: failed to allocate a HealthCheck NodePort 0: range is full');
  expect(store.alloc.snapshot()).toEqual({ ips: { IPv4: [] }, nodePorts: [] });
});

test.each<[string, JsonObject, string]>([
  ['clusterIP on an ExternalName', { type: 'ExternalName', clusterIP: '198.19.128.10' }, 'Service "a" is invalid: spec.clusterIPs: Forbidden: may not be set for ExternalName services'],
  ['ipFamilies on an ExternalName', { type: 'ExternalName', ipFamilies: ['IPv4'] }, 'Service "a" is invalid: spec.ipFamilies: Forbidden: may not be set for ExternalName services'],
  ['ipFamilyPolicy on an ExternalName', { type: 'ExternalName', ipFamilyPolicy: 'SingleStack' }, 'Service "a" is invalid: spec.ipFamilyPolicy: Forbidden: may not be set for ExternalName services'],
  ['a headless LoadBalancer', { type: 'LoadBalancer', clusterIP: 'None' }, 'Service "a" is invalid: spec.clusterIPs[0]: Invalid value: "None": may not be set to \'None\' for LoadBalancer services'],
])('%s is refused', (...[, spec, want]) => {
  const store = fresh();
  expect(outcomeText(store.create(service('a', spec)))).toBe(want);
  expect(store.alloc.snapshot()).toEqual({ ips: { IPv4: [] }, nodePorts: [] });
});

// kube-apiserver accepts a nodePort on an ExternalName without allocating it, yet frees it when the
// Service goes; here such a number is inert, so it can never free a port another Service holds.
describe('a node port named by an ExternalName', () => {
  const store = fresh();
  const one = (nodePort: number): JsonObject[] => [{ port: 80, protocol: 'TCP', nodePort }];
  test.each<[string, () => Outcome, string, number[]]>([
    ['is accepted and not allocated', () => store.create(service('name', { type: 'ExternalName', ports: one(30080) })), 'ok', []],
    ['so a NodePort can take it', () => store.create(service('np', { type: 'NodePort', ports: one(30080) })), 'ok', [30080]],
    ['deleting the ExternalName leaves it with the NodePort', () => store.delete('name'), 'ok', [30080]],
    ['an ExternalName turned NodePort must allocate what it names', () =>
      (store.create(service('name2', { type: 'ExternalName', ports: one(30080) })), store.update('name2', (o) => edit(o, { type: 'NodePort', externalName: null }))),
      'Service "name2" is invalid: spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated', [30080]],
  ])('%s', (...[, act, want, held]) => {
    expect(outcomeText(act())).toBe(want);
    expect(store.alloc.snapshot().nodePorts).toEqual(held);
  });
});
