import { modelOf, type ClusterObjects, type Obj } from '../cluster/snapshot.js';
import { renderStatus } from './render.js';
import { statusReport } from './status.js';

const pool = (name: string, used: number, free: string): Obj => ({ apiVersion: 'headland.io/v1beta1', kind: 'IPAddressPool', metadata: { name, namespace: 'headland-system' }, spec: { addresses: ['203.0.113.0/28'] }, status: { assignedIPv4: used, availableIPv4: free } }) as Obj;
const speaker = (node: string, sessions: [string, string][]): Obj =>
  ({ kind: 'SpeakerStatus', metadata: { name: node }, status: { node, version: '0.1.0', sessionsUp: sessions.filter(([, s]) => s === 'Established').length, sessionsTotal: sessions.length, sessions: sessions.map(([peer, state]) => ({ peer, state })), announcedServices: ['a/b'], dataPlane: { checked: 0, notServingCount: 0, notServing: [] }, problems: [] } }) as Obj;

const objects: ClusterObjects = {
  services: [],
  endpointSlices: [],
  nodes: ['node1', 'node2', 'node3'].map((name) => ({ kind: 'Node', metadata: { name } }) as Obj),
  config: [
    pool('roomy', 1, '15'),
    pool('full', 16, '0'),
    pool('tight', 15, '1'),
    { apiVersion: 'headland.io/v1beta1', kind: 'BGPPeer', metadata: { name: 'broken', namespace: 'headland-system' }, spec: { myASN: 64513, peerASN: 64512, peerAddress: 'not-an-ip' } } as Obj,
  ],
  speakerStatuses: [speaker('node1', [['tor', 'Established'], ['tor-b', 'Established']]), speaker('node2', [['tor', 'Established'], ['tor-b', 'Active']])],
  l2Statuses: [],
  gaps: ['Secrets in headland-system: forbidden to you'],
};

test('exhausted pools first, then by usage; speakers per node; a session matrix; invalid objects', () => {
  const r = statusReport(modelOf(objects));
  expect(r.pools.map((p) => [p.name, p.exhausted, Math.round((p.usage ?? 0) * 100)])).toEqual([['full', true, 100], ['tight', false, 94], ['roomy', false, 6]]);
  expect(r.speakers.map((s) => [s.node, s.reporting, `${s.sessionsUp}/${s.sessionsTotal}`])).toEqual([['node1', true, '2/2'], ['node2', true, '1/2'], ['node3', false, '0/0']]);
  expect(r.peers).toEqual(['tor', 'tor-b']);
  expect(r.sessions['node2']).toEqual({ tor: 'Established', 'tor-b': 'Active' });
  expect(r.invalid.join('\n')).toMatch(/BGPPeer headland-system\/broken: spec.peerAddress/);
  const text = renderStatus(r, false).join('\n');
  expect(text).toMatch(/full\s+16\s+0\s+-\s+-\s+EXHAUSTED/);
  expect(text).toMatch(/2 of 3 nodes report; 3 of 4 BGP sessions up/);
  expect(text).toMatch(/node2\s+up\s+active/);
  expect(text).toMatch(/node3\s+SILENT/);
  expect(text).toMatch(/warning: could not read Secrets/);
});
