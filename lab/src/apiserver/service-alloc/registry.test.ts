import { ApiError, toStatus } from '../errors.js';
import { ServiceAllocator } from './allocator.js';
import { edit, MiniStore, nodePorts, outcomeText, service, specOf, type Outcome } from './fixtures.js';
import { decorateOnRead, onCreate, onDelete } from './registry.js';

// Random picks always start at the bottom of the upper band: 198.19.129.1 and 30086 come first.
describe('one cluster, request after request', () => {
  const store = new MiniStore(new ServiceAllocator({ serviceClusterIPRanges: ['198.19.128.0/20'], random: () => 0 }));
  const np = (name: string, port: number): Outcome => store.create(service(name, { type: 'NodePort', ports: [{ port: 80, protocol: 'TCP', targetPort: 80, nodePort: port }] }));
  test.each<[string, () => Outcome, string, ((o: Outcome) => void)?]>([
    ['a gets the first address of the upper band, written back in full', () => store.create(service('a')), 'ok', (o) => {
      expect(specOf(o)).toMatchObject({ clusterIP: '198.19.129.1', clusterIPs: ['198.19.129.1'], ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack' });
      expect((o as Record<string, unknown>)['status']).toEqual({ loadBalancer: {} });
    }],
    ['b asks for the address a holds', () => store.create(service('b', { clusterIP: '198.19.129.1' })),
      'Service "b" is invalid: spec.clusterIPs: Invalid value: []string{"198.19.129.1"}: failed to allocate IP 198.19.129.1: provided IP is already allocated'],
    ['a goes', () => store.delete('a'), 'ok'],
    ['now b gets it', () => store.create(service('b', { clusterIP: '198.19.129.1' })), 'ok', (o) => expect(specOf(o)['clusterIPs']).toEqual(['198.19.129.1'])],
    ['c asks outside the service CIDR', () => store.create(service('c', { clusterIP: '10.96.0.10' })),
      'Service "c" is invalid: spec.clusterIPs: Invalid value: []string{"10.96.0.10"}: failed to allocate IP 10.96.0.10: the provided IP (10.96.0.10) is not in the valid range. The range of valid IPs is 198.19.128.0/20'],
    ['d asks for the network address', () => store.create(service('d', { clusterIP: '198.19.128.0' })),
      'Service "d" is invalid: spec.clusterIPs: Invalid value: []string{"198.19.128.0"}: failed to allocate IP 198.19.128.0: the provided IP (198.19.128.0) is not in the valid range. The range of valid IPs is 198.19.128.0/20'],
    ['e asks for the broadcast address', () => store.create(service('e', { clusterIP: '198.19.143.255' })),
      'Service "e" is invalid: spec.clusterIPs: Invalid value: []string{"198.19.143.255"}: failed to allocate IP 198.19.143.255: the provided IP (198.19.143.255) is not in the valid range. The range of valid IPs is 198.19.128.0/20'],
    ['f asks for the last usable one', () => store.create(service('f', { clusterIP: '198.19.143.254' })), 'ok'],
    ['g with leading zeros keeps its text, holds the address', () => store.create(service('g', { clusterIP: '198.19.128.010' })), 'ok', (o) => expect(specOf(o)['clusterIP']).toBe('198.19.128.010')],
    ['h asks for g\'s address spelt plainly', () => store.create(service('h', { clusterIP: '198.19.128.10' })),
      'Service "h" is invalid: spec.clusterIPs: Invalid value: []string{"198.19.128.10"}: failed to allocate IP 198.19.128.10: provided IP is already allocated'],
    ['i is not an address at all', () => store.create(service('i', { clusterIP: 'ten' })),
      'Service "i" is invalid: spec.clusterIPs[0]: Invalid value: "ten": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'],
    ['j is headless: nothing allocated', () => store.create(service('j', { clusterIP: 'None', selector: { app: 'j' } })), 'ok', (o) =>
      expect(specOf(o)).toMatchObject({ clusterIP: 'None', clusterIPs: ['None'], ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack' })],
    ['k is a NodePort asking for 30080', () => np('k', 30080), 'ok', (o) => expect(nodePorts(o)).toEqual([30080])],
    ['l asks for 30080 too', () => np('l', 30080), 'Service "l" is invalid: spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated'],
    ['m asks for port 80', () => np('m', 80), 'Service "m" is invalid: spec.ports[0].nodePort: Invalid value: 80: provided port is not in the valid range. The range of valid ports is 30000-32767'],
    ['n is a NodePort left to chance', () => store.create(service('n', { type: 'NodePort' })), 'ok', (o) => expect(nodePorts(o)).toEqual([30086])],
    ['o is an ExternalName: nothing allocated, no family fields', () => store.create(service('o', { type: 'ExternalName' })), 'ok', (o) => {
      expect(specOf(o)['clusterIP']).toBeUndefined();
      expect(specOf(o)['ipFamilies']).toBeUndefined();
    }],
    ['p is a ClusterIP naming a node port', () => store.create(service('p', { ports: [{ port: 80, protocol: 'TCP', nodePort: 30090 }] })),
      'Service "p" is invalid: spec.ports[0].nodePort: Forbidden: may not be used when `type` is \'ClusterIP\''],
  ])('%s', (...[, act, want, check]) => {
    const before = store.alloc.snapshot();
    const out = act();
    expect(outcomeText(out)).toBe(want);
    if (out instanceof ApiError) expect(store.alloc.snapshot()).toEqual(before);
    check?.(out);
  });
  test('the allocator holds exactly what the stored Services hold', () => {
    expect(store.alloc.snapshot()).toEqual({ ips: { IPv4: ['198.19.128.10', '198.19.129.1', '198.19.129.2', '198.19.129.3', '198.19.143.254'] }, nodePorts: [30080, 30086] });
  });
});

test('a refused create answers 422 with one cause per field error', () => {
  const a = new ServiceAllocator({ serviceClusterIPRanges: ['198.19.128.0/20'] });
  const r = onCreate(a, service('x', { clusterIP: '198.19.128.5', clusterIPs: ['198.19.128.6'] }));
  if (r.ok) throw new Error('accepted');
  expect(toStatus(r.error)).toEqual({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: 'Service "x" is invalid: spec.clusterIPs: Invalid value: []string{"198.19.128.6"}: first value must match `clusterIP`',
    reason: 'Invalid',
    details: {
      name: 'x',
      group: '',
      kind: 'Service',
      causes: [{ reason: 'FieldValueInvalid', message: 'Invalid value: []string{"198.19.128.6"}: first value must match `clusterIP`', field: 'spec.clusterIPs' }],
    },
    code: 422,
  });
});

describe('a tiny cluster runs out', () => {
  const store = new MiniStore(new ServiceAllocator({ serviceClusterIPRanges: ['198.19.128.0/30'], nodePortRange: { first: 30000, last: 30002 }, random: () => 0 }));
  const ports = (n: number): Array<Record<string, string | number>> => Array.from({ length: n }, (_, i) => ({ name: `p${i}`, port: 80 + i, protocol: 'TCP' }));
  test.each<[string, () => Outcome, string]>([
    ['the first of two addresses', () => store.create(service('a')), 'ok'],
    ['the second', () => store.create(service('b', { type: 'NodePort', ports: ports(2) })), 'ok'],
    ['no third', () => store.create(service('c')), 'Internal error occurred: failed to allocate a serviceIP: range is full'],
    ['b goes, freeing an address and two ports', () => store.delete('b'), 'ok'],
    ['four node ports do not fit in three; the address taken first is given back', () => store.create(service('d', { type: 'NodePort', ports: ports(4) })),
      'Internal error occurred: failed to allocate a nodePort: range is full'],
    ['three do', () => store.create(service('e', { type: 'NodePort', ports: ports(3) })), 'ok'],
  ])('%s', (_name, act, want) => {
    const before = store.alloc.snapshot();
    const out = act();
    expect(outcomeText(out)).toBe(want);
    if (out instanceof ApiError) {
      expect(store.alloc.snapshot()).toEqual(before);
      expect(toStatus(out)).toMatchObject({ code: 500, reason: 'InternalError', details: { causes: [{ message: out.message.slice('Internal error occurred: '.length) }] } });
    }
  });
  test('everything is held', () => {
    expect(store.alloc.snapshot()).toEqual({ ips: { IPv4: ['198.19.128.1', '198.19.128.2'] }, nodePorts: [30000, 30001, 30002] });
  });
});

describe('updates that keep what was allocated', () => {
  const store = new MiniStore(new ServiceAllocator({ random: () => 0 }));
  test.each<[string, () => Outcome, string, ((o: Outcome) => void)?]>([
    ['a NodePort', () => store.create(service('a', { type: 'NodePort', ports: [{ name: 'http', port: 80, protocol: 'TCP' }] })), 'ok'],
    ['re-sending the original YAML keeps the address and the node port', () =>
      store.update('a', () => service('a', { type: 'NodePort', ports: [{ name: 'http', port: 80, protocol: 'TCP' }] })), 'ok', (o) => {
      expect(specOf(o)).toMatchObject({ clusterIP: '198.19.129.1', clusterIPs: ['198.19.129.1'], ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack' });
      expect(nodePorts(o)).toEqual([30086]);
    }],
    ['an old client sending only clusterIP keeps clusterIPs in step', () => store.update('a', (o) => edit(o, { clusterIPs: null })), 'ok', (o) =>
      expect(specOf(o)['clusterIPs']).toEqual(['198.19.129.1'])],
    ['changing clusterIP is refused', () => store.update('a', (o) => edit(o, { clusterIP: '198.19.128.77' })),
      'Service "a" is invalid: spec.clusterIPs[0]: Invalid value: []string{"198.19.128.77"}: may not change once set'],
    ['changing clusterIPs is refused', () => store.update('a', (o) => edit(o, { clusterIPs: ['198.19.128.77'] })),
      'Service "a" is invalid: spec.clusterIPs: Invalid value: []string{"198.19.128.77"}: first value must match `clusterIP`'],
    ['a renamed port gets a new node port and the old one goes', () =>
      store.update('a', (o) => edit(o, { ports: [{ name: 'web', port: 80, protocol: 'TCP' }] })), 'ok', (o) => expect(nodePorts(o)).toEqual([30087])],
    ['moving to a chosen node port', () => store.update('a', (o) => edit(o, { ports: [{ name: 'web', port: 80, protocol: 'TCP', nodePort: 30001 }] })), 'ok', (o) =>
      expect(nodePorts(o)).toEqual([30001])],
  ])('%s', (...[, act, want, check]) => {
    const before = store.alloc.snapshot();
    const out = act();
    expect(outcomeText(out)).toBe(want);
    if (out instanceof ApiError) expect(store.alloc.snapshot()).toEqual(before);
    check?.(out);
  });
  test('only the current address and port are held', () => {
    expect(store.alloc.snapshot()).toEqual({ ips: { IPv4: ['198.19.129.1'], IPv6: [] }, nodePorts: [30001] });
  });
});

test('delete answers with the Service as reads show it; reads default old objects', () => {
  const a = new ServiceAllocator({ serviceClusterIPRanges: ['198.19.128.0/20'] });
  const old = { metadata: { name: 'old', namespace: 'default' }, spec: { type: 'ClusterIP', clusterIP: '198.19.129.9', ports: [{ port: 80, protocol: 'TCP' }] } };
  const want = { type: 'ClusterIP', clusterIP: '198.19.129.9', clusterIPs: ['198.19.129.9'], ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack', ports: [{ port: 80, protocol: 'TCP' }] };
  expect(decorateOnRead(a, old)['spec']).toEqual(want);
  expect(onDelete(a, old)['spec']).toEqual(want);
});
