import { buildConfig, emptySnapshot, type Snapshot } from '@headland/api';
import { sameConditions, verdicts, withValidCondition } from './config-status.js';

const pool = (name: string, addresses: string[]) => ({ apiVersion: 'headland.io/v1beta1', kind: 'IPAddressPool', metadata: { name, namespace: 'headland-system', generation: 3 }, spec: { addresses } });
const peer = (name: string, spec: Record<string, unknown>) => ({ apiVersion: 'headland.io/v1beta1', kind: 'BGPPeer', metadata: { name, namespace: 'headland-system' }, spec });

function config(extra: Partial<Snapshot>) {
  return buildConfig({ ...emptySnapshot(), ...extra } as Snapshot);
}

test.each([
  ['valid pool', { ipAddressPools: [pool('good', ['203.0.113.0/28'])] }, 'IPAddressPool', 'good', { status: 'True', reason: 'Accepted' }],
  ['bad CIDR', { ipAddressPools: [pool('bad', ['203.0.113.0/33'])] }, 'IPAddressPool', 'bad', { status: 'False', reason: 'Invalid' }],
  // The controller holds no Secrets, so it must not call this peer invalid.
  ['peer with a Secret the controller cannot see', { bgpPeers: [peer('p', { myASN: 64512, peerASN: 64513, peerAddress: '198.18.0.1', passwordSecret: { name: 'pw' } })] }, 'BGPPeer', 'p', { status: 'True', reason: 'Accepted' }],
  ['peer with a bad ASN', { bgpPeers: [peer('p', { myASN: 0, peerASN: 64513, peerAddress: '198.18.0.1' })] }, 'BGPPeer', 'p', { status: 'False', reason: 'Invalid' }],
] as const)('%s', (_n, snap, kind, name, expected) => {
  const [v] = verdicts(config(snap as unknown as Partial<Snapshot>), [{ kind, namespace: 'headland-system', name }]);
  expect(v).toMatchObject(expected);
  if (expected.status === 'False') expect(v!.message).toMatch(/spec\./);
});

test('overlapping pools: the later one is rejected, the other stays valid', () => {
  const c = config({ ipAddressPools: [pool('blue', ['203.0.113.0/26']), pool('green', ['203.0.113.0/25'])] as never });
  const [blue, green] = verdicts(c, [{ kind: 'IPAddressPool', namespace: 'headland-system', name: 'blue' }, { kind: 'IPAddressPool', namespace: 'headland-system', name: 'green' }]);
  expect(blue!.status).toBe('True');
  expect(green).toMatchObject({ status: 'False', reason: 'Invalid' });
  expect(green!.message).toMatch(/overlaps IPAddressPool headland-system\/blue/);
});

test('withValidCondition keeps lastTransitionTime while the status stays, and other conditions', () => {
  const verdict = { kind: 'IPAddressPool', namespace: 'n', name: 'p', status: 'True', reason: 'Accepted', message: 'ok', issues: [] } as const;
  const obj = { metadata: { generation: 2 }, status: { conditions: [{ type: 'Other', status: 'True', reason: 'X', message: 'x', lastTransitionTime: 't0' }, { type: 'Valid', status: 'True', reason: 'Accepted', message: 'old', lastTransitionTime: 't1' }] } };
  const next = withValidCondition(obj, verdict, 'now');
  expect(next).toEqual([
    { type: 'Other', status: 'True', reason: 'X', message: 'x', lastTransitionTime: 't0' },
    { type: 'Valid', status: 'True', reason: 'Accepted', message: 'ok', lastTransitionTime: 't1', observedGeneration: 2 },
  ]);
  expect(sameConditions(obj, next)).toBe(false);
  expect(sameConditions({ status: { conditions: next } }, next)).toBe(true);
  const flipped = withValidCondition(obj, { ...verdict, status: 'False', reason: 'Invalid' }, 'now');
  expect(flipped[1]!.lastTransitionTime).toBe('now');
});
