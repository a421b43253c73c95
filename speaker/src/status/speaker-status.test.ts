import { MAX_NOT_SERVING, speakerStatusContent, speakerStatusObject, type SpeakerFacts } from './speaker-status.js';

const base: SpeakerFacts = {
  node: 'node1',
  version: '0.1.0',
  sessions: [
    { peer: 'tor-b', address: '198.18.0.2', state: 'Active', establishedAt: undefined, prefixesSent: 0, prefixesReceived: 0, lastError: 'Hold Timer Expired (4/0) sent' },
    { peer: 'tor-a', address: '198.18.0.1', state: 'Established', establishedAt: Date.UTC(2026, 11, 7, 4, 0, 0), prefixesSent: 3, prefixesReceived: 1, lastError: undefined },
  ],
  announcedPrefixes: 3,
  announcedServices: new Set(['shop/web', 'shop/api']),
  l2: undefined,
  proxyCheck: { status: 'ok', reason: 'Ok', detail: 'GET http://127.0.0.1:10256/healthz answered 200' },
  serviceChecks: new Map([
    ['shop/web', { status: 'ok', reason: 'Ok', detail: '200' }],
    ['shop/new', undefined],
    ['shop/lag', { status: 'failing', reason: 'NoLocalEndpoints', detail: 'answered 503 (localEndpoints 0)' }],
  ]),
  problems: [],
};

test('sessions sorted by peer with counts; announced Services sorted; what kube-proxy does not serve, unchecked included', () => {
  const s = speakerStatusContent(base);
  expect(s).toMatchObject({ node: 'node1', version: '0.1.0', sessionsUp: 1, sessionsTotal: 2, announcedPrefixes: 3, announcedServices: ['shop/api', 'shop/web'] });
  expect(s.sessions.map((x) => x.peer)).toEqual(['tor-a', 'tor-b']);
  expect(s.sessions[0]).toMatchObject({ state: 'Established', establishedSince: '2026-12-07T04:00:00.000Z', prefixesSent: 3, prefixesReceived: 1 });
  expect(s.sessions[1]).toMatchObject({ state: 'Active', lastError: 'Hold Timer Expired (4/0) sent' });
  expect(s.sessions[1]).not.toHaveProperty('establishedSince');
  expect(s.dataPlane).toEqual({
    proxy: { status: 'ok', reason: 'Ok', detail: 'GET http://127.0.0.1:10256/healthz answered 200' },
    checked: 3,
    notServingCount: 2,
    notServing: [
      { service: 'shop/lag', status: 'failing', reason: 'NoLocalEndpoints', detail: 'answered 503 (localEndpoints 0)' },
      { service: 'shop/new', status: 'unchecked', reason: 'NotAskedYet', detail: 'kube-proxy has not been asked yet' },
    ],
  });
  expect(s).not.toHaveProperty('l2');
});

test('the notServing list is bounded; the checked count is not', () => {
  const many = new Map(Array.from({ length: 250 }, (_, i) => [`ns/s${String(i).padStart(3, '0')}`, { status: 'unreachable', reason: 'Refused', detail: 'connect ECONNREFUSED' }] as const));
  const s = speakerStatusContent({ ...base, serviceChecks: many });
  expect(s.dataPlane.checked).toBe(250);
  expect(s.dataPlane.notServingCount).toBe(250);
  expect(s.dataPlane.notServing).toHaveLength(MAX_NOT_SERVING);
});

test('L2 view and the object named after the node with the node label', () => {
  const s = speakerStatusContent({ ...base, l2: { ownedIPs: 2, answeredServices: ['b/x', 'a/y'], members: [{ name: 'node2', state: 'alive' }, { name: 'node1', state: 'alive' }] }, problems: ['no BGP router id'] });
  expect(s.l2).toEqual({ ownedIPs: 2, answeredServices: ['a/y', 'b/x'], members: [{ name: 'node1', state: 'alive' }, { name: 'node2', state: 'alive' }] });
  const o = speakerStatusObject('headland-system', s);
  expect(o.metadata).toEqual({ name: 'node1', namespace: 'headland-system', labels: { 'headland.io/node': 'node1' } });
  expect(o.status.problems).toEqual(['no BGP router id']);
});
