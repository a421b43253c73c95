import { parseIP } from '@headland/api';
import { desiredIngress, ingressIPs, ingressMatches, poolAnnotation, sameIPs } from './service-status.js';

const svc = (ingress: unknown, annotations: Record<string, string> = {}) => ({ metadata: { name: 's', namespace: 'n', annotations }, status: { loadBalancer: { ingress } } });

test.each([
  ['none', undefined, [], []],
  ['not a list', { ip: '1' }, [], []],
  ['one v4', [{ ip: '203.0.113.1' }], ['203.0.113.1'], []],
  ['v6 then v4', [{ ip: '2001:db8::1' }, { ip: '203.0.113.1' }], ['2001:db8::1', '203.0.113.1'], []],
  ['hostname and garbage', [{ hostname: 'lb.example' }, { ip: 'not-an-ip' }, 7], [], ['{"hostname":"lb.example"}', 'not-an-ip', '7']],
])('ingressIPs: %s', (_n, ingress, ips, unreadable) => {
  const r = ingressIPs(svc(ingress));
  expect(r.ips).toEqual(ips.map((s) => parseIP(s)));
  expect(r.unreadable).toEqual(unreadable);
});

test('desiredIngress writes ipMode VIP in the order given', () => {
  expect(desiredIngress([parseIP('2001:db8::5'), parseIP('203.0.113.5')])).toEqual([
    { ip: '2001:db8::5', ipMode: 'VIP' },
    { ip: '203.0.113.5', ipMode: 'VIP' },
  ]);
});

test.each([
  ['same', [{ ip: '203.0.113.5', ipMode: 'VIP' }], true],
  ['no ipMode yet', [{ ip: '203.0.113.5' }], false],
  ['other ip', [{ ip: '203.0.113.6', ipMode: 'VIP' }], false],
  ['extra entry', [{ ip: '203.0.113.5', ipMode: 'VIP' }, { ip: '2001:db8::5', ipMode: 'VIP' }], false],
  ['foreign ports', [{ ip: '203.0.113.5', ipMode: 'VIP', ports: [] }], false],
  ['empty', undefined, false],
])('ingressMatches: %s', (_n, ingress, expected) => {
  expect(ingressMatches(svc(ingress), desiredIngress([parseIP('203.0.113.5')]))).toBe(expected);
});

test('ingressMatches with nothing desired and nothing there', () => {
  expect(ingressMatches(svc(undefined), [])).toBe(true);
  expect(ingressMatches(svc([]), [])).toBe(true);
});

test('poolAnnotation and sameIPs', () => {
  expect(poolAnnotation(svc([], { 'headland.io/ip-allocated-from-pool': 'blue' }))).toBe('blue');
  expect(poolAnnotation(svc([]))).toBeUndefined();
  expect(sameIPs([parseIP('203.0.113.1')], [parseIP('203.0.113.1')])).toBe(true);
  expect(sameIPs([parseIP('203.0.113.1')], [parseIP('203.0.113.2')])).toBe(false);
  expect(sameIPs([parseIP('203.0.113.1')], [])).toBe(false);
});
