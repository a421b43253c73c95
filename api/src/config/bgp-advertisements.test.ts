import { matchesAny } from '../selector.js';
import { buildConfig } from './build.js';
import { bgpAdv, community, isRejected, issuesOf, PEER_SPEC, peer, pool, snapshot } from './fixtures.js';
import { SEVERITY } from './issues.js';
import type { Snapshot } from './types.js';

// Pools: v4 is a /24 made of two /25 entries, mixed has a /26 and a /120, small a /28 range.
const POOLS: Snapshot['ipAddressPools'] = [
  pool('v4', { addresses: ['203.0.113.0/25', '203.0.113.128/25'] }, { labels: { tier: 'web' } }),
  pool('mixed', { addresses: ['198.18.0.0/26', '2001:db8:1::/120'] }, { labels: { tier: 'db' } }),
  pool('small', { addresses: ['198.18.1.0-198.18.1.15', '198.18.1.16-198.18.1.17'] }),
];
const PEERS: Snapshot['bgpPeers'] = [peer('r1', PEER_SPEC), peer('r2', { ...PEER_SPEC, peerAddress: '198.18.0.2' })];
const ALIASES: Snapshot['communities'] = [community('aliases', { communities: [{ name: 'keep-local', value: 'no-export' }, { name: 'tag', value: 'large:64512:1:2' }] })];

const build = (...advs: Snapshot['bgpAdvertisements']) =>
  buildConfig(snapshot({ ipAddressPools: POOLS, bgpPeers: PEERS, communities: ALIASES, bgpAdvertisements: advs }));

describe('an advertisement is rejected', () => {
  test.each<[string, unknown, string, RegExp]>([
    ['aggregationLength shorter than a merged /24 pool', { ipAddressPools: ['v4'], aggregationLength: 23 }, 'spec.aggregationLength', /23 is shorter than \/24 \(203\.0\.113\.0\/24\) of IPAddressPool "v4"/],
    ['aggregationLength shorter than the shortest block of a range', { ipAddressPools: ['small'], aggregationLength: 27 }, 'spec.aggregationLength', /27 is shorter than \/28 \(198\.18\.1\.0\/28\)/],
    ['aggregationLengthV6 shorter than a /120', { ipAddressPools: ['mixed'], aggregationLengthV6: 64 }, 'spec.aggregationLengthV6', /64 is shorter than \/120/],
    ['aggregationLength checked for pools chosen by selector', { ipAddressPoolSelectors: [{ matchLabels: { tier: 'db' } }], aggregationLength: 24 }, 'spec.aggregationLength', /of IPAddressPool "mixed"/],
    ['aggregationLength checked for all pools when none is named', { aggregationLength: 25 }, 'spec.aggregationLength', /of IPAddressPool "mixed"/],
    ['aggregationLength past 32 (schema)', { aggregationLength: 33 }, 'spec.aggregationLength', /less than or equal to 32/],
    ['a standard community past 16 bits', { communities: ['65536:1'] }, 'spec.communities[0]', /^community: .*asn 65536 is more than 65535/],
    ['a community with three parts', { communities: ['no-export', '1:2:3'] }, 'spec.communities[1]', /^community: .*not a community/],
    ['a large community past 32 bits', { communities: ['large:1:2:4294967296'] }, 'spec.communities[0]', /local2 4294967296 is more than 4294967295/],
    ['a bad weighting (schema)', { weighting: 'Pods' }, 'spec.weighting', /Unsupported value/],
    ['a localPref past 32 bits (schema)', { localPref: 4294967296 }, 'spec.localPref', /less than or equal to 4294967295/],
    ['a node selector that does not parse', { nodeSelectors: [{ matchLabels: { k: 'bad value' } }] }, 'spec.nodeSelectors[0].matchLabels["k"]', /^selector: label value/],
    ['a service selector that does not parse', { serviceSelectors: [{ matchExpressions: [{ key: 'k', operator: 'NotIn' }] }] }, 'spec.serviceSelectors[0].matchExpressions[0].values', /^selector: operator NotIn needs at least one value/],
    ['a pool selector that does not parse', { ipAddressPoolSelectors: [{ matchLabels: { '/x': 'y' } }] }, 'spec.ipAddressPoolSelectors[0].matchLabels["/x"]', /^selector: label key "\/x" prefix "" is empty/],
  ])('%s', (_name, spec, field, message) => {
    const config = build(bgpAdv('adv', spec));
    expect(config.bgpAdvertisements).toEqual([]);
    expect(isRejected(config, 'BGPAdvertisement', 'adv')).toBe(true);
    expect(issuesOf(config, 'BGPAdvertisement', 'adv')).toContainEqual(expect.objectContaining({ field, message: expect.stringMatching(message), severity: SEVERITY.Invalid }));
  });

  test('a community alias that is not defined holds the advertisement back (transient)', () => {
    const config = build(bgpAdv('adv', { communities: ['65000:1', 'keep-locl'] }));
    expect(config.bgpAdvertisements).toEqual([]);
    expect(config.rejected).toEqual([
      { ref: { kind: 'BGPAdvertisement', namespace: 'headland-system', name: 'adv' }, issues: [expect.objectContaining({ field: 'spec.communities[1]', message: expect.stringMatching(/alias "keep-locl" is not defined/), severity: SEVERITY.MissingReference })] },
    ]);
  });
});

describe('aggregation lengths that stay inside the pool are fine', () => {
  test.each<[string, unknown]>([
    ['/24 over two /25 entries that merge', { ipAddressPools: ['v4'], aggregationLength: 24 }],
    ['/28 over a range whose widest block is a /28', { ipAddressPools: ['small'], aggregationLength: 28 }],
    ['/120 for an IPv6 /120', { ipAddressPools: ['mixed'], aggregationLengthV6: 120 }],
    ['a short IPv4 length for a pool with only IPv6 addresses of that family checked', { ipAddressPools: ['mixed'], aggregationLength: 26, aggregationLengthV6: 124 }],
  ])('%s', (_name, spec) => {
    const config = build(bgpAdv('adv', spec));
    expect(config.issues).toEqual([]);
    expect(config.bgpAdvertisements).toHaveLength(1);
  });
});

describe('pools chosen', () => {
  test.each<[string, unknown, string[]]>([
    ['neither names nor selectors: all pools', {}, ['mixed', 'small', 'v4']],
    ['empty lists: all pools', { ipAddressPools: [], ipAddressPoolSelectors: [] }, ['mixed', 'small', 'v4']],
    ['by name', { ipAddressPools: ['v4'] }, ['v4']],
    ['by selector', { ipAddressPoolSelectors: [{ matchLabels: { tier: 'web' } }] }, ['v4']],
    ['by name and selector together', { ipAddressPools: ['small'], ipAddressPoolSelectors: [{ matchExpressions: [{ key: 'tier', operator: 'In', values: ['web', 'db'] }] }] }, ['mixed', 'small', 'v4']],
    ['a selector that matches nothing', { ipAddressPoolSelectors: [{ matchLabels: { tier: 'cache' } }] }, []],
    ['an empty selector matches every pool', { ipAddressPoolSelectors: [{}] }, ['mixed', 'small', 'v4']],
  ])('%s', (_name, spec, pools) => {
    const config = build(bgpAdv('adv', spec));
    expect(config.issues).toEqual([]);
    expect(config.bgpAdvertisements[0]?.pools).toEqual(pools);
  });

  test('a missing pool is skipped and reported, the advertisement kept', () => {
    const config = build(bgpAdv('adv', { ipAddressPools: ['v4', 'gone'] }));
    expect(config.bgpAdvertisements[0]?.pools).toEqual(['v4']);
    expect(config.rejected).toEqual([]);
    expect(config.issues).toEqual([expect.objectContaining({ field: 'spec.ipAddressPools[1]', message: expect.stringMatching(/IPAddressPool "gone" does not exist/), severity: SEVERITY.MissingReference })]);
  });

  test('only missing pools leave an advertisement of nothing, never of everything', () => {
    const config = build(bgpAdv('adv', { ipAddressPools: ['gone'] }));
    expect(config.bgpAdvertisements[0]?.pools).toEqual([]);
  });
});

describe('peers', () => {
  test.each<[string, unknown, string[] | undefined, number]>([
    ['absent: every peer', {}, undefined, 0],
    ['named', { peers: ['r2', 'r1'] }, ['r1', 'r2'], 0],
    ['a missing peer is skipped', { peers: ['r1', 'r9'] }, ['r1'], 1],
    ['only missing peers: to nobody', { peers: ['r9'] }, [], 1],
  ])('%s', (_name, spec, peers, missing) => {
    const config = build(bgpAdv('adv', spec));
    expect(config.bgpAdvertisements[0]?.peers).toEqual(peers);
    expect(config.issues.map((i) => i.severity)).toEqual(Array(missing).fill(SEVERITY.MissingReference));
    expect(config.issues.every((i) => i.field.startsWith('spec.peers['))).toBe(true);
  });
});

describe('fields', () => {
  test('everything set', () => {
    const config = build(
      bgpAdv('adv', {
        ipAddressPools: ['v4'],
        serviceSelectors: [{ matchLabels: { app: 'web' } }],
        nodeSelectors: [{ matchLabels: { rack: 'r1' } }],
        peers: ['r1'],
        aggregationLength: 24,
        aggregationLengthV6: 64,
        localPref: 200,
        communities: ['65000:100', 'large:1:2:3', 'blackhole', 'keep-local', 'tag'],
        weighting: 'None',
      }),
    );
    expect(config.issues).toEqual([]);
    const adv = config.bgpAdvertisements[0];
    expect(adv).toMatchObject({ pools: ['v4'], peers: ['r1'], aggregationLength: 24, aggregationLengthV6: 64, localPref: 200, weighting: 'None' });
    expect(adv?.communities).toEqual([
      { type: 'standard', asn: 65000, value: 100 },
      { type: 'large', global: 1, local1: 2, local2: 3 },
      { type: 'standard', asn: 65535, value: 666 },
      { type: 'standard', asn: 65535, value: 65281 },
      { type: 'large', global: 64512, local1: 1, local2: 2 },
    ]);
    expect(matchesAny(adv?.serviceSelectors, { app: 'web' })).toBe(true);
    expect(matchesAny(adv?.serviceSelectors, { app: 'db' })).toBe(false);
    expect(matchesAny(adv?.nodeSelectors, { rack: 'r1' })).toBe(true);
    expect(matchesAny(adv?.nodeSelectors, { rack: 'r2' })).toBe(false);
  });

  test('defaults', () => {
    const adv = build(bgpAdv('adv', {})).bgpAdvertisements[0];
    expect(adv).toMatchObject({ peers: undefined, aggregationLength: 32, aggregationLengthV6: 128, localPref: undefined, communities: [], weighting: 'LocalEndpoints', dataPlaneCheck: 'KubeProxy', serviceSelectors: [], nodeSelectors: [] });
  });

  test('sorted by namespace/name', () => {
    const config = build(bgpAdv('b', {}, { namespace: 'aa' }), bgpAdv('a', {}, { namespace: 'zz' }), bgpAdv('a', {}, { namespace: 'aa' }));
    expect(config.bgpAdvertisements.map((a) => `${a.ref.namespace}/${a.ref.name}`)).toEqual(['aa/a', 'aa/b', 'zz/a']);
  });
});

describe('overlapping advertisements with different localPref', () => {
  test.each<[string, object, object, boolean]>([
    ['same pool, both without selectors', { ipAddressPools: ['v4'], localPref: 100 }, { ipAddressPools: ['v4'], localPref: 200 }, true],
    ['one sets localPref, the other not', { ipAddressPools: ['v4'] }, { ipAddressPools: ['v4'], localPref: 200 }, true],
    ['share a pool through a selector', { ipAddressPools: ['v4'], localPref: 100 }, { ipAddressPoolSelectors: [{ matchLabels: { tier: 'web' } }], localPref: 200 }, true],
    ['node selectors that may overlap', { ipAddressPools: ['v4'], localPref: 100, nodeSelectors: [{ matchLabels: { rack: 'r1' } }] }, { ipAddressPools: ['v4'], localPref: 200, nodeSelectors: [{ matchLabels: { zone: 'a' } }] }, true],
    ['same localPref', { ipAddressPools: ['v4'], localPref: 100 }, { ipAddressPools: ['v4'], localPref: 100 }, false],
    ['no shared pool', { ipAddressPools: ['v4'], localPref: 100 }, { ipAddressPools: ['small'], localPref: 200 }, false],
    ['disjoint node selectors', { ipAddressPools: ['v4'], localPref: 100, nodeSelectors: [{ matchLabels: { rack: 'r1' } }] }, { ipAddressPools: ['v4'], localPref: 200, nodeSelectors: [{ matchLabels: { rack: 'r2' } }] }, false],
    ['disjoint peers', { ipAddressPools: ['v4'], localPref: 100, peers: ['r1'] }, { ipAddressPools: ['v4'], localPref: 200, peers: ['r2'] }, false],
    ['one to every peer', { ipAddressPools: ['v4'], localPref: 100 }, { ipAddressPools: ['v4'], localPref: 200, peers: ['r2'] }, true],
    ['different IPv4 aggregation lengths on an IPv4 pool: different prefixes', { ipAddressPools: ['v4'], localPref: 100, aggregationLength: 32 }, { ipAddressPools: ['v4'], aggregationLength: 24 }, false],
    ['different IPv4 lengths but the same IPv6 length on pools with IPv6', { ipAddressPools: ['v4', 'mixed'], localPref: 100, aggregationLength: 32 }, { ipAddressPools: ['v4', 'mixed'], localPref: 200, aggregationLength: 28 }, true],
    ['disjoint service selectors', { ipAddressPools: ['v4'], localPref: 100, serviceSelectors: [{ matchLabels: { env: 'prod' } }] }, { ipAddressPools: ['v4'], localPref: 200, serviceSelectors: [{ matchLabels: { env: 'staging' } }] }, false],
  ])('%s', (_name, a, b, conflict) => {
    const config = build(bgpAdv('later', b), bgpAdv('earlier', a));
    expect(config.bgpAdvertisements.map((x) => x.ref.name)).toEqual(conflict ? ['earlier'] : ['earlier', 'later']);
    expect(issuesOf(config, 'BGPAdvertisement', 'earlier')).toEqual([]);
    const issues = issuesOf(config, 'BGPAdvertisement', 'later');
    if (conflict) expect(issues).toEqual([expect.objectContaining({ field: 'spec.localPref', message: expect.stringMatching(/differs from .* of BGPAdvertisement headland-system\/earlier, which also announces pool (v4|mixed)/), severity: SEVERITY.Invalid })]);
    else expect(issues).toEqual([]);
  });
});
