import type { Json, JsonObject } from '../json.js';
import { ServiceAllocator, type AllocatorSnapshot } from './allocator.js';
import { edit, MiniStore, nodePorts, outcomeText, service, specOf } from './fixtures.js';

// Every case starts from a fresh single-stack cluster whose random picks start at the bottom of
// the upper band: the first address is 198.19.129.1, the first node ports 30086 then 30087.
interface Case {
  from: JsonObject;
  change: Record<string, Json>;
  want: string;
  held: AllocatorSnapshot;
  spec?: JsonObject;
  absent?: string[];
  ports?: number[];
}

const LB = { type: 'LoadBalancer' };
const LOCAL_LB = { type: 'LoadBalancer', externalTrafficPolicy: 'Local' };
const held = (ips: string[], ports: number[]): AllocatorSnapshot => ({ ips: { IPv4: ips }, nodePorts: ports });
const IP = '198.19.129.1';

const cases: Record<string, Case> = {
  'ClusterIP → NodePort allocates a node port': {
    from: {}, change: { type: 'NodePort', externalTrafficPolicy: 'Cluster' }, want: 'ok', held: held([IP], [30086]), spec: { clusterIP: IP }, ports: [30086],
  },
  'NodePort → ClusterIP releases and clears the node ports and externalTrafficPolicy': {
    from: { type: 'NodePort' }, change: { type: 'ClusterIP' }, want: 'ok', held: held([IP], []), ports: [0], absent: ['externalTrafficPolicy'],
  },
  'NodePort → LoadBalancer keeps the node port and defaults allocateLoadBalancerNodePorts': {
    from: { type: 'NodePort' }, change: LB, want: 'ok', held: held([IP], [30086]), ports: [30086], spec: { allocateLoadBalancerNodePorts: true },
  },
  'LoadBalancer → ClusterIP releases the node ports and drops the LoadBalancer-only fields': {
    from: LB, change: { type: 'ClusterIP' }, want: 'ok', held: held([IP], []), ports: [0], absent: ['allocateLoadBalancerNodePorts', 'externalTrafficPolicy'],
  },
  'LoadBalancer Local → ClusterIP releases node ports and the health check port': {
    from: LOCAL_LB, change: { type: 'ClusterIP' }, want: 'ok', held: held([IP], []), ports: [0], absent: ['healthCheckNodePort', 'externalTrafficPolicy'],
  },
  'LoadBalancer Local → NodePort Local releases only the health check port': {
    from: LOCAL_LB, change: { type: 'NodePort' }, want: 'ok', held: held([IP], [30086]), ports: [30086], spec: { externalTrafficPolicy: 'Local' }, absent: ['healthCheckNodePort'],
  },
  'Local → Cluster releases the health check port': {
    from: LOCAL_LB, change: { externalTrafficPolicy: 'Cluster' }, want: 'ok', held: held([IP], [30086]), ports: [30086], absent: ['healthCheckNodePort'],
  },
  'Cluster → Local allocates a health check port': {
    from: LB, change: { externalTrafficPolicy: 'Local' }, want: 'ok', held: held([IP], [30086, 30087]), spec: { healthCheckNodePort: 30087 },
  },
  'ClusterIP → ExternalName releases the address and clears the family fields': {
    from: {}, change: { type: 'ExternalName', externalName: 'example.com' }, want: 'ok', held: held([], []),
    absent: ['clusterIP', 'clusterIPs', 'ipFamilies', 'ipFamilyPolicy'],
  },
  'NodePort → ExternalName releases the address and the node port': {
    from: { type: 'NodePort' }, change: { type: 'ExternalName', externalName: 'example.com' }, want: 'ok', held: held([], []), ports: [0], absent: ['clusterIP'],
  },
  'ExternalName → ClusterIP allocates an address': {
    from: { type: 'ExternalName' }, change: { type: 'ClusterIP', externalName: null }, want: 'ok', held: held([IP], []),
    spec: { clusterIP: IP, clusterIPs: [IP], ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack' },
  },
  'ExternalName → LoadBalancer allocates an address and a node port': {
    from: { type: 'ExternalName' }, change: { type: 'LoadBalancer', externalTrafficPolicy: 'Cluster', externalName: null }, want: 'ok', held: held([IP], [30086]),
    ports: [30086], spec: { clusterIP: IP, allocateLoadBalancerNodePorts: true },
  },
  'headless → ExternalName had nothing to release': {
    from: { clusterIP: 'None', selector: { app: 'a' } }, change: { type: 'ExternalName', externalName: 'example.com' }, want: 'ok', held: held([], []), absent: ['clusterIP'],
  },
  'allocateLoadBalancerNodePorts true → false keeps the node port': {
    from: LB, change: { allocateLoadBalancerNodePorts: false }, want: 'ok', held: held([IP], [30086]), ports: [30086],
  },
  'allocateLoadBalancerNodePorts false → true allocates one': {
    from: { type: 'LoadBalancer', allocateLoadBalancerNodePorts: false }, change: { allocateLoadBalancerNodePorts: true }, want: 'ok', held: held([IP], [30086]), ports: [30086],
  },
  'NodePort → ClusterIP with a new node port named is refused and takes nothing': {
    from: { type: 'NodePort' }, change: { type: 'ClusterIP', ports: [{ port: 80, protocol: 'TCP', nodePort: 30200 }] },
    want: 'Service "a" is invalid: spec.ports[0].nodePort: Forbidden: may not be used when `type` is \'ClusterIP\'', held: held([IP], [30086]),
  },
  'headless ClusterIP → NodePort is refused, and the node port it took is given back': {
    from: { clusterIP: 'None', selector: { app: 'a' } }, change: { type: 'NodePort', externalTrafficPolicy: 'Cluster' },
    want: 'Service "a" is invalid: spec.clusterIPs[0]: Invalid value: "None": may not be set to \'None\' for NodePort services', held: held([], []),
  },
  'changing the health check port is refused': {
    from: LOCAL_LB, change: { healthCheckNodePort: 30100 }, want: 'Service "a" is invalid: spec.healthCheckNodePort: Forbidden: field is immutable', held: held([IP], [30086, 30087]),
  },
};

test.each(Object.entries(cases))('%s', (_name, c) => {
  const store = new MiniStore(new ServiceAllocator({ serviceClusterIPRanges: ['198.19.128.0/20'], random: () => 0 }));
  expect(outcomeText(store.create(service('a', c.from)))).toBe('ok');
  const out = store.update('a', (o) => edit(o, c.change));
  expect(outcomeText(out)).toBe(c.want);
  expect(store.alloc.snapshot()).toEqual(c.held);
  if (c.want !== 'ok') return;
  expect(specOf(out)).toMatchObject(c.spec ?? {});
  for (const field of c.absent ?? []) expect(specOf(out)[field]).toBeUndefined();
  if (c.ports !== undefined) expect(nodePorts(out)).toEqual(c.ports);
});

test('leaving LoadBalancer clears the load-balancer status; staying keeps it', () => {
  const store = new MiniStore(new ServiceAllocator({ random: () => 0 }));
  store.create(service('a', LB));
  const ingress = { loadBalancer: { ingress: [{ ip: '198.18.100.10', ipMode: 'VIP' }] } };
  store.objects.set('a', { ...store.get('a'), status: ingress });
  expect(store.update('a', (o) => edit(o, { externalTrafficPolicy: 'Local' }))).toMatchObject({ status: ingress });
  expect(store.update('a', (o) => edit(o, { type: 'NodePort' }))).toMatchObject({ status: { loadBalancer: {} } });
});
