// ServiceL2Status content from an election: only this node's IPs, grouped per Service (shared IPs
// in each), sorted, interfaces when named; changes between two elections; the object's name and labels.
import type { L2Election, L2Owner } from './election/index.js';
import { changedServices, l2StatusContents, l2StatusObject } from './status.js';

const owner = (ip: string, node: string, services: string[], interfaces?: string[]): L2Owner => ({
  ip, family: ip.includes(':') ? 6 : 4, pool: 'lan', node, interfaces, services, candidates: 3,
});
const election = (owners: L2Owner[]): L2Election => ({ owners: new Map(owners.map((o) => [o.ip, o])), unowned: new Map(), loads: new Map(), cap: 2 });

test.each([
  { name: 'nothing owned', owners: [owner('203.0.113.1', 'n2', ['shop/a'])], want: {} },
  {
    name: 'two IPs of one Service, sorted, one with interfaces',
    owners: [owner('203.0.113.9', 'n1', ['shop/a'], ['eth1']), owner('203.0.113.1', 'n1', ['shop/a']), owner('203.0.113.5', 'n2', ['shop/a'])],
    want: { 'shop/a': [{ ip: '203.0.113.1' }, { ip: '203.0.113.9', interfaces: ['eth1'] }] },
  },
  {
    name: 'a shared IP shows in each of its Services',
    owners: [owner('2001:db8::1', 'n1', ['shop/a', 'web/b'])],
    want: { 'shop/a': [{ ip: '2001:db8::1' }], 'web/b': [{ ip: '2001:db8::1' }] },
  },
])('$name', ({ owners, want }) => {
  const got = l2StatusContents(election(owners), 'n1');
  expect(Object.fromEntries([...got].map(([s, c]) => [s, c.addresses]))).toEqual(want);
  for (const [s, c] of got) expect(`${c.serviceNamespace}/${c.serviceName}`).toBe(s);
});

test('changed Services: appeared, moved interfaces, gone; untouched ones are not listed', () => {
  const before = l2StatusContents(election([owner('203.0.113.1', 'n1', ['shop/a']), owner('203.0.113.2', 'n1', ['shop/b']), owner('203.0.113.3', 'n1', ['shop/c'])]), 'n1');
  const after = l2StatusContents(election([owner('203.0.113.1', 'n1', ['shop/a']), owner('203.0.113.2', 'n1', ['shop/b'], ['eth2']), owner('203.0.113.4', 'n1', ['shop/d'])]), 'n1');
  expect(changedServices(before, after)).toEqual(['shop/b', 'shop/c', 'shop/d']);
});

test('the object carries the node and Service labels and the BGP status naming', () => {
  const [content] = [...l2StatusContents(election([owner('203.0.113.1', 'n1', ['shop/a'])]), 'n1').values()];
  expect(l2StatusObject('headland-system', content!)).toEqual({
    apiVersion: 'headland.io/v1beta1',
    kind: 'ServiceL2Status',
    metadata: {
      name: 'shop.a.n1',
      namespace: 'headland-system',
      labels: { 'headland.io/service-namespace': 'shop', 'headland.io/service-name': 'a', 'headland.io/node': 'n1' },
    },
    spec: {},
    status: { node: 'n1', serviceNamespace: 'shop', serviceName: 'a', addresses: [{ ip: '203.0.113.1' }] },
  });
});
