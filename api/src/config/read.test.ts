import { buildConfig } from './build.js';
import { bgpAdv, isRejected, issuesOf, peer, PEER_SPEC, pool, snapshot } from './fixtures.js';
import { SEVERITY } from './issues.js';
import type { Snapshot } from './types.js';

const POOL_SPEC = { addresses: ['203.0.113.0/28'] };
const raw = (value: unknown) => value as Snapshot['ipAddressPools'][number];

describe('identity and shape', () => {
  test.each<[string, unknown, string, string, RegExp]>([
    ['not an object', 'pool', '(item 0)', '(object)', /must be an object, not string/],
    ['null', null, '(item 0)', '(object)', /not null/],
    ['no metadata', { spec: POOL_SPEC }, '(item 0)', 'metadata', /Required value/],
    ['metadata a list', { metadata: [], spec: POOL_SPEC }, '(item 0)', 'metadata', /must be an object/],
    ['no name', { metadata: {}, spec: POOL_SPEC }, '(item 0)', 'metadata.name', /Required value/],
    ['an empty name', { metadata: { name: '' }, spec: POOL_SPEC }, '(item 0)', 'metadata.name', /Required value/],
    ['a name with capitals', { metadata: { name: 'Pool1' }, spec: POOL_SPEC }, 'Pool1', 'metadata.name', /lower-case/],
    ['a namespace that is not a DNS label', { metadata: { name: 'p', namespace: 'a.b' }, spec: POOL_SPEC }, 'p', 'metadata.namespace', /lower-case/],
    ['a namespace that is a number', { metadata: { name: 'p', namespace: 7 }, spec: POOL_SPEC }, 'p', 'metadata.namespace', /must be a string/],
    ['labels not a map', { metadata: { name: 'p', labels: ['a'] }, spec: POOL_SPEC }, 'p', 'metadata.labels', /map of strings/],
    ['a label value not a string', { metadata: { name: 'p', labels: { a: 1 } }, spec: POOL_SPEC }, 'p', 'metadata.labels["a"]', /label value must be a string/],
    ['a bad label key', { metadata: { name: 'p', labels: { 'a b': 'x' } }, spec: POOL_SPEC }, 'p', 'metadata.labels["a b"]', /label key/],
    ['no spec', { metadata: { name: 'p' } }, 'p', 'spec', /Required value/],
    ['spec a string', { metadata: { name: 'p' }, spec: '203.0.113.0/28' }, 'p', 'spec', /must be an object/],
    ['spec with a missing required field', { metadata: { name: 'p' }, spec: {} }, 'p', 'spec.addresses', /Required value/],
  ])('%s', (_name, item, name, field, message) => {
    const config = buildConfig(snapshot({ ipAddressPools: [raw(item)] }));
    expect(config.pools.size).toBe(0);
    expect(config.rejected.map((r) => r.ref.name)).toEqual([name]);
    expect(config.issues).toContainEqual(expect.objectContaining({ ref: expect.objectContaining({ kind: 'IPAddressPool', name }), field, message: expect.stringMatching(message), severity: SEVERITY.Invalid }));
  });

  test('an object without a namespace counts as headland-system', () => {
    const config = buildConfig(snapshot({ ipAddressPools: [pool('p', POOL_SPEC)] }));
    expect(config.pools.get('p')?.ref).toEqual({ kind: 'IPAddressPool', namespace: 'headland-system', name: 'p' });
  });

  test('several malformed items are each reported under their position', () => {
    const config = buildConfig(snapshot({ ipAddressPools: [raw(1), raw(null), pool('ok', POOL_SPEC)] }));
    expect(config.rejected.map((r) => r.ref.name).sort()).toEqual(['(item 0)', '(item 1)']);
    expect([...config.pools.keys()]).toEqual(['ok']);
  });

  test('a snapshot with missing or malformed lists still builds', () => {
    const config = buildConfig({ ipAddressPools: 'x', bgpPeers: null } as unknown as Snapshot);
    expect(config.pools.size).toBe(0);
    expect(config.issues).toEqual([]);
    expect(buildConfig(undefined as unknown as Snapshot).issues).toEqual([]);
  });
});

describe('duplicates', () => {
  test('the same namespace/name twice: the second is invalid', () => {
    const config = buildConfig(snapshot({ ipAddressPools: [pool('p', POOL_SPEC), pool('p', { addresses: ['198.18.0.0/28'] }, { namespace: 'headland-system' })] }));
    expect(config.pools.get('p')?.entries).toEqual(['203.0.113.0/28']);
    expect(config.issues).toEqual([expect.objectContaining({ field: 'metadata.name', message: 'IPAddressPool headland-system/p is defined twice', severity: SEVERITY.Invalid })]);
  });

  test.each<[string, Snapshot]>([
    ['pools', snapshot({ ipAddressPools: [pool('p', POOL_SPEC, { namespace: 'b' }), pool('p', { addresses: ['198.18.0.0/28'] }, { namespace: 'a' })] })],
    ['peers', snapshot({ bgpPeers: [peer('p', PEER_SPEC, { namespace: 'b' }), peer('p', { ...PEER_SPEC, peerAddress: '198.18.0.2' }, { namespace: 'a' })] })],
  ])('one name in two namespaces: %s are named without a namespace, so the later is invalid', (_name, input) => {
    const config = buildConfig(input);
    expect(config.rejected).toEqual([{ ref: expect.objectContaining({ namespace: 'b', name: 'p' }), issues: [expect.objectContaining({ field: 'metadata.name', message: expect.stringMatching(/already used by .* a\/p; .* referred to by name alone/) })] }]);
  });

  test('advertisements may share a name across namespaces', () => {
    const config = buildConfig(snapshot({ bgpAdvertisements: [bgpAdv('x', {}, { namespace: 'a' }), bgpAdv('x', {}, { namespace: 'b' })] }));
    expect(config.issues).toEqual([]);
    expect(config.bgpAdvertisements).toHaveLength(2);
  });
});

test('objects are judged independently: a bad one never hides a good one of another kind', () => {
  const config = buildConfig(snapshot({ ipAddressPools: [raw({ metadata: { name: 'bad' }, spec: { addresses: ['x'] } })], bgpPeers: [peer('r1', PEER_SPEC)] }));
  expect(isRejected(config, 'IPAddressPool', 'bad')).toBe(true);
  expect(config.peers.has('r1')).toBe(true);
  expect(issuesOf(config, 'BGPPeer', 'r1')).toEqual([]);
});

describe('garbage never throws', () => {
  const garbage: unknown[] = [
    undefined,
    0,
    'x',
    [],
    { metadata: { name: 'g' }, spec: null },
    { metadata: { name: 'g' }, spec: [] },
    { metadata: { name: 'g', labels: null, namespace: null }, spec: { addresses: [null], peerAddress: {}, communities: [{}], ipAddressPools: [1], nodeSelectors: [null], interfaces: 'eth0' } },
    { metadata: { name: 'g' }, spec: { __proto__: { addresses: ['203.0.113.0/24'] } } },
    { metadata: { name: 'constructor' }, spec: { constructor: 1, toString: 'x' } },
  ];
  const lists = ['ipAddressPools', 'bgpPeers', 'bgpAdvertisements', 'l2Advertisements', 'bfdProfiles', 'communities', 'secrets'] as const;
  test.each(lists.flatMap((list) => garbage.map((item, i) => [list, i, item] as const)))('%s item %d', (list, _i, item) => {
    const config = buildConfig({ ...snapshot({}), [list]: [item, item] } as Snapshot);
    expect(config.pools.size + config.peers.size).toBe(0);
  });
});
