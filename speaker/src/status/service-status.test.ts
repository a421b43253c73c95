import { parseCommunity } from '@headland/api';
import type { Announcement } from '../policy/types.js';
import { AnnouncedServices, statusContent, statusObject, statusObjectName } from './service-status.js';

const ann = (prefix: string, services: string[], peers: string[], extra: Partial<Omit<Announcement, 'communities'>> & { communities?: string[] } = {}): Announcement => ({
  prefix,
  family: prefix.includes(':') ? 6 : 4,
  peers,
  services,
  ...extra,
  communities: (extra.communities ?? []).map(parseCommunity),
});

test.each([
  ['unweighted, one prefix', [ann('203.0.113.10/32', ['shop/web'], ['tor'])],
    { node: 'node1', serviceNamespace: 'shop', serviceName: 'web', peers: ['tor'], prefixes: [{ prefix: '203.0.113.10/32', peers: ['tor'] }] }],
  ['weighted: the weight is the ready local endpoints the bandwidth stands for',
    [ann('203.0.113.10/32', ['shop/web'], ['tor', 'spine'], { linkBandwidth: 375_000, localPref: 150, communities: ['64512:7', 'large:1:2:3'] })],
    { node: 'node1', serviceNamespace: 'shop', serviceName: 'web', peers: ['spine', 'tor'], weight: 3,
      prefixes: [{ prefix: '203.0.113.10/32', peers: ['tor', 'spine'], linkBandwidth: 375_000, localPref: 150, communities: ['64512:7', 'large:1:2:3'] }] }],
  ['dual-stack and an aggregate: peers united, the host route\'s weight',
    [ann('203.0.113.0/24', ['shop/web'], ['tor']), ann('2001:db8::5/128', ['shop/web'], ['tor6'], { linkBandwidth: 125_000 })],
    { node: 'node1', serviceNamespace: 'shop', serviceName: 'web', peers: ['tor', 'tor6'], weight: 1,
      prefixes: [{ prefix: '203.0.113.0/24', peers: ['tor'] }, { prefix: '2001:db8::5/128', peers: ['tor6'], linkBandwidth: 125_000 }] }],
])('statusContent: %s', (_name, list, expected) => {
  expect(statusContent('node1', 'shop/web', list)).toEqual(expected);
});

test('the status object: name, labels, empty spec', () => {
  const content = statusContent('node1', 'shop/web', [ann('203.0.113.10/32', ['shop/web'], ['tor'])]);
  expect(statusObject('headland-system', content)).toEqual({
    apiVersion: 'headland.io/v1beta1',
    kind: 'ServiceBGPStatus',
    metadata: { name: 'shop.web.node1', namespace: 'headland-system', labels: { 'headland.io/service-namespace': 'shop', 'headland.io/service-name': 'web', 'headland.io/node': 'node1' } },
    spec: {},
    status: content,
  });
});

test.each([
  ['short: readable', 'node1', 'shop/web', 'shop.web.node1'],
  ['a node name that makes it too long: cut, with a hash', 'n'.repeat(250), 'shop/web', /^shop\.web\.n+-[0-9a-f]{16}$/],
])('statusObjectName: %s', (_name, node, service, expected) => {
  const name = statusObjectName(node, service);
  if (typeof expected === 'string') expect(name).toBe(expected);
  else expect(name).toMatch(expected);
  expect(name.length).toBeLessThanOrEqual(253);
});

test('statusObjectName: two long names that share the cut part differ by their hash', () => {
  const node = 'n'.repeat(250);
  expect(statusObjectName(node, 'shop/web')).not.toBe(statusObjectName(`${node}x`, 'shop/web'));
});

// Sequential: each row is a delta; it names the Services touched and which are announced after it.
test('AnnouncedServices follows deltas', () => {
  const idx = new AnnouncedServices();
  const steps: [string, [string, Announcement[]][], string[], string[]][] = [
    ['web announced', [['203.0.113.10/32', [ann('203.0.113.10/32', ['shop/web'], ['tor'])]]], ['shop/web'], ['shop/web']],
    ['api shares the IP', [['203.0.113.10/32', [ann('203.0.113.10/32', ['shop/api', 'shop/web'], ['tor'])]]], ['shop/api', 'shop/web'], ['shop/api', 'shop/web']],
    ['db elsewhere', [['203.0.113.11/32', [ann('203.0.113.11/32', ['shop/db'], ['tor'])]]], ['shop/db'], ['shop/api', 'shop/db', 'shop/web']],
    ['web leaves the shared IP', [['203.0.113.10/32', [ann('203.0.113.10/32', ['shop/api'], ['tor'])]]], ['shop/api', 'shop/web'], ['shop/api', 'shop/db']],
    ['the shared IP withdrawn', [['203.0.113.10/32', []]], ['shop/api'], ['shop/db']],
    ['withdrawing what is gone touches nothing', [['203.0.113.10/32', []]], [], ['shop/db']],
  ];
  for (const [name, delta, touched, announced] of steps) {
    const got = idx.apply(new Map(delta));
    expect([name, [...got].sort(), [...idx.services()].sort()]).toEqual([name, touched, announced]);
  }
  expect(idx.statusOf('node1', 'shop/db')?.prefixes).toEqual([{ prefix: '203.0.113.11/32', peers: ['tor'] }]);
  expect(idx.statusOf('node1', 'shop/web')).toBeUndefined();
  expect(idx.isAnnounced('shop/db')).toBe(true);
  expect(idx.isAnnounced('shop/web')).toBe(false);
});

test('AnnouncedServices: a prefix carrying two Services gives each only its own announcements', () => {
  const idx = new AnnouncedServices();
  idx.apply(new Map([['203.0.113.10/32', [ann('203.0.113.10/32', ['a/x'], ['tor']), ann('203.0.113.10/32', ['b/y'], ['spine'])]]]));
  expect(idx.statusOf('n', 'a/x')?.peers).toEqual(['tor']);
  expect(idx.statusOf('n', 'b/y')?.peers).toEqual(['spine']);
});
