import type { JsonObject } from '../json.js';
import { ServiceAllocator } from './allocator.js';
import { MiniStore, outcomeText, service, specOf } from './fixtures.js';
import { restore } from './restore.js';

const stored = (name: string, spec: JsonObject): JsonObject => service(name, spec);

test('restore takes what each stored Service holds, and new ones avoid it', () => {
  const alloc = new ServiceAllocator({ random: () => 0 });
  alloc.nodePorts.allocate(31000); // stale state from before: restore starts over
  const { problems } = restore(alloc, [
    stored('a', { clusterIP: '198.19.129.1', clusterIPs: ['198.19.129.1'], ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack' }),
    stored('b', {
      type: 'LoadBalancer', externalTrafficPolicy: 'Local', healthCheckNodePort: 30087, clusterIP: '2001:db8:5e::101', clusterIPs: ['2001:db8:5e::101'],
      ports: [{ port: 53, protocol: 'TCP', nodePort: 30086 }, { port: 53, protocol: 'UDP', nodePort: 30086 }],
    }),
    stored('c', { type: 'ExternalName' }),
    stored('d', { clusterIP: 'None' }),
  ]);
  expect(problems).toEqual([]);
  expect(alloc.snapshot()).toEqual({ ips: { IPv4: ['198.19.129.1'], IPv6: ['2001:db8:5e::101'] }, nodePorts: [30086, 30087] });
  const store = new MiniStore(alloc);
  const e = store.create(service('e', { type: 'NodePort', ipFamilyPolicy: 'PreferDualStack' }));
  expect(specOf(e)).toMatchObject({ clusterIPs: ['198.19.129.2', '2001:db8:5e::102'], ports: [{ nodePort: 30088 }] });
});

test('Services stored before dual-stack read back with their family fields', () => {
  const { services } = restore(new ServiceAllocator(), [
    { metadata: { name: 'old' }, spec: { type: 'ClusterIP', clusterIP: '198.19.129.9' } },
    { metadata: { name: 'old6' }, spec: { type: 'ClusterIP', clusterIP: '2001:db8:5e::9' } },
    { metadata: { name: 'headless' }, spec: { type: 'ClusterIP', clusterIP: 'None' } },
    { metadata: { name: 'headless-selected' }, spec: { type: 'ClusterIP', clusterIP: 'None', selector: { app: 'x' } } },
    { metadata: { name: 'name' }, spec: { type: 'ExternalName', externalName: 'example.com', internalTrafficPolicy: 'Cluster' } },
  ]);
  expect(services.map((s) => s['spec'])).toEqual([
    { type: 'ClusterIP', clusterIP: '198.19.129.9', clusterIPs: ['198.19.129.9'], ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack' },
    { type: 'ClusterIP', clusterIP: '2001:db8:5e::9', clusterIPs: ['2001:db8:5e::9'], ipFamilies: ['IPv6'], ipFamilyPolicy: 'SingleStack' },
    { type: 'ClusterIP', clusterIP: 'None', clusterIPs: ['None'], ipFamilies: ['IPv4', 'IPv6'], ipFamilyPolicy: 'RequireDualStack' },
    { type: 'ClusterIP', clusterIP: 'None', clusterIPs: ['None'], ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack', selector: { app: 'x' } },
    { type: 'ExternalName', externalName: 'example.com' },
  ]);
});

test.each<[string, string[], JsonObject[], Array<[string, string, string]>]>([
  ['two Services on one address', ['198.19.128.0/20'], [stored('a', { clusterIP: '198.19.129.1' }), stored('b', { clusterIP: '198.19.129.1' })],
    [['b', 'ClusterIPAlreadyAllocated', 'Cluster IP [IPv4]:198.19.129.1 was assigned to multiple services; please recreate service']]],
  ['an address outside the service CIDR', ['198.19.128.0/20'], [stored('a', { clusterIP: '10.96.0.10' })],
    [['a', 'ClusterIPOutOfRange', 'Cluster IP [IPv4]:10.96.0.10 is not within the service CIDR 198.19.128.0/20; please recreate service']]],
  ['an address of a family the cluster no longer has', ['198.19.128.0/20'], [stored('a', { clusterIP: '2001:db8:5e::9' })],
    [['a', 'ClusterIPNotValid', 'Cluster IP 2001:db8:5e::9(IPv6) is of ip family that is no longer configured on cluster; please recreate service']]],
  ['a corrupt address', ['198.19.128.0/20'], [stored('a', { clusterIP: 'x' })], [['a', 'ClusterIPNotValid', 'Cluster IP <nil> is not a valid IP; please recreate service']]],
  ['two Services on one node port', ['198.19.128.0/20'],
    [stored('a', { type: 'NodePort', ports: [{ port: 80, protocol: 'TCP', nodePort: 30080 }] }), stored('b', { type: 'NodePort', ports: [{ port: 80, protocol: 'TCP', nodePort: 30080 }] })],
    [['b', 'PortAlreadyAllocated', 'Port 30080 was assigned to multiple services; please recreate service']]],
  ['a node port outside the range', ['198.19.128.0/20'], [stored('a', { type: 'NodePort', ports: [{ port: 80, protocol: 'TCP', nodePort: 8080 }] })],
    [['a', 'PortOutOfRange', 'Port 8080 is not within the port range 30000-32767; please recreate service']]],
  ['one node port twice for TCP in one Service', ['198.19.128.0/20'],
    [stored('a', { type: 'NodePort', ports: [{ port: 80, protocol: 'TCP', nodePort: 30080 }, { port: 81, protocol: 'TCP', nodePort: 30080 }] })],
    [['a', 'PortAlreadyAllocated', 'Port 30080 was assigned to multiple services; please recreate service']]],
])('%s is reported as the repair controller does', (...[, cidrs, services, want]) => {
  const { problems } = restore(new ServiceAllocator({ serviceClusterIPRanges: cidrs }), services);
  expect(problems.map((p) => [p.name, p.reason, p.message])).toEqual(want);
  expect(problems.every((p) => p.namespace === 'default')).toBe(true);
});

test('after a restore, deleting the restored Service frees what it held', () => {
  const alloc = new ServiceAllocator({ random: () => 0 });
  const { services } = restore(alloc, [stored('a', { type: 'NodePort', clusterIP: '198.19.129.5', ports: [{ port: 80, protocol: 'TCP', nodePort: 30080 }] })]);
  const store = new MiniStore(alloc);
  for (const s of services) store.objects.set('a', s);
  expect(outcomeText(store.create(service('b', { clusterIP: '198.19.129.5' })))).toContain('provided IP is already allocated');
  store.delete('a');
  expect(alloc.snapshot()).toEqual({ ips: { IPv4: [], IPv6: [] }, nodePorts: [] });
});

test('restore takes only what a delete would free: nothing for fields the type does not use', () => {
  const alloc = new ServiceAllocator({ serviceClusterIPRanges: ['198.19.128.0/20'] });
  const { problems } = restore(alloc, [
    stored('name', { type: 'ExternalName', clusterIP: '198.19.129.1', ports: [{ port: 80, protocol: 'TCP', nodePort: 30080 }] }),
    stored('np', { type: 'NodePort', healthCheckNodePort: 30100, ports: [{ port: 80, protocol: 'TCP', nodePort: 30081 }], clusterIP: '198.19.129.2' }),
  ]);
  expect(problems).toEqual([]);
  expect(alloc.snapshot()).toEqual({ ips: { IPv4: ['198.19.129.2'] }, nodePorts: [30081] });
  const store = new MiniStore(alloc);
  store.objects.set('np', stored('np', { type: 'NodePort', healthCheckNodePort: 30100, ports: [{ port: 80, protocol: 'TCP', nodePort: 30081 }], clusterIP: '198.19.129.2' }));
  store.delete('np');
  expect(alloc.snapshot()).toEqual({ ips: { IPv4: [] }, nodePorts: [] });
});
