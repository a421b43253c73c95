import { formatIP } from '../ip/address.js';
import { buildConfig } from './build.js';
import { isRejected, issuesOf, pool, snapshot } from './fixtures.js';
import { SEVERITY } from './issues.js';
import { matchesAny } from '../selector.js';

describe('a single pool is rejected', () => {
  test.each<[string, unknown, string, RegExp]>([
    ['an invalid CIDR, naming its index', { addresses: ['203.0.113.0/25', '203.0.113.300/32'] }, 'spec.addresses[1]', /^ip: "203\.0\.113\.300".* is not an IP address/],
    ['host bits set', { addresses: ['203.0.113.5/24'] }, 'spec.addresses[0]', /^ip: 203\.0\.113\.5\/24 has host bits set/],
    ['a range with start > end', { addresses: ['203.0.113.20-203.0.113.10'] }, 'spec.addresses[0]', /^ip: .*reversed/],
    ['a mixed-family range', { addresses: ['203.0.113.1-2001:db8::1'] }, 'spec.addresses[0]', /^ip: .*mixes families/],
    ['neither CIDR nor range', { addresses: ['203.0.113.7'] }, 'spec.addresses[0]', /^ip: .*not a pool entry/],
    ['an IPv4-mapped IPv6 CIDR', { addresses: ['::ffff:203.0.113.0/120'] }, 'spec.addresses[0]', /IPv4-mapped/],
    ['a range reaching into IPv4-mapped space', { addresses: ['::fffe:ffff:ffff-::ffff:0:1'] }, 'spec.addresses[0]', /IPv4-mapped/],
    ['overlapping entries', { addresses: ['203.0.113.0/25', '203.0.113.100-203.0.113.200'] }, 'spec.addresses[1]', /overlaps spec\.addresses\[0\] \(203\.0\.113\.0\/25\) at 203\.0\.113\.100-203\.0\.113\.127/],
    ['the same entry twice', { addresses: ['2001:db8::/120', '2001:db8::/120'] }, 'spec.addresses[1]', /overlaps spec\.addresses\[0\].* at 2001:db8::\/120/],
    ['no usable address with avoidBuggyIPs', { addresses: ['203.0.113.255/32', '203.0.113.0/32'], avoidBuggyIPs: true }, 'spec.addresses', /no usable address/],
    ['a two-address range of .255 and .0', { addresses: ['198.18.0.255-198.18.1.0'], avoidBuggyIPs: true }, 'spec.addresses', /no usable address/],
    ['no addresses (schema)', { addresses: [] }, 'spec.addresses', /at least 1 items/],
    ['addresses not a list (schema)', { addresses: '203.0.113.0/24' }, 'spec.addresses', /must be array/],
    ['an unknown field (schema)', { addresses: ['203.0.113.0/24'], autoassign: false }, 'spec.autoassign', /unknown field/],
    ['a bad namespace name', { addresses: ['203.0.113.0/24'], serviceAllocation: { namespaces: ['team-a', 'Team_B'] } }, 'spec.serviceAllocation.namespaces[1]', /namespace "Team_B" must be lower-case/],
    ['a too long namespace name', { addresses: ['203.0.113.0/24'], serviceAllocation: { namespaces: ['a'.repeat(64)] } }, 'spec.serviceAllocation.namespaces[0]', /more than 63/],
    ['a namespace selector that does not parse', { addresses: ['203.0.113.0/24'], serviceAllocation: { namespaceSelectors: [{ matchExpressions: [{ key: 'team', operator: 'In', values: [] }] }] } }, 'spec.serviceAllocation.namespaceSelectors[0].matchExpressions[0].values', /^selector: operator In needs at least one value/],
    ['a service selector that does not parse', { addresses: ['203.0.113.0/24'], serviceAllocation: { serviceSelectors: [{}, { matchLabels: { 'bad key': 'x' } }] } }, 'spec.serviceAllocation.serviceSelectors[1].matchLabels["bad key"]', /^selector: label key/],
  ])('%s', (_name, spec, field, message) => {
    const config = buildConfig(snapshot({ ipAddressPools: [pool('p', spec)] }));
    expect(config.pools.has('p')).toBe(false);
    expect(isRejected(config, 'IPAddressPool', 'p')).toBe(true);
    expect(issuesOf(config, 'IPAddressPool', 'p')).toContainEqual({
      ref: { kind: 'IPAddressPool', namespace: 'headland-system', name: 'p' },
      field,
      message: expect.stringMatching(message),
      severity: SEVERITY.Invalid,
    });
  });
});

describe('a single pool is accepted', () => {
  test.each<[string, unknown, bigint, bigint]>([
    ['an IPv4 CIDR', { addresses: ['203.0.113.0/24'] }, 256n, 0n],
    ['an IPv6 CIDR', { addresses: ['2001:db8::/64'] }, 0n, 2n ** 64n],
    ['a range across an octet', { addresses: ['198.18.0.255-198.18.1.1'] }, 3n, 0n],
    ['adjacent entries (touching is not overlapping)', { addresses: ['203.0.113.0/25', '203.0.113.128/25'] }, 256n, 0n],
    ['both families', { addresses: ['203.0.113.0/25', '2001:db8:1::/120'] }, 128n, 256n],
    ['avoidBuggyIPs with one good address', { addresses: ['203.0.113.254-203.0.113.255'], avoidBuggyIPs: true }, 2n, 0n],
    ['avoidBuggyIPs does not touch IPv6', { addresses: ['2001:db8::/128'], avoidBuggyIPs: true }, 0n, 1n],
  ])('%s', (_name, spec, v4, v6) => {
    const config = buildConfig(snapshot({ ipAddressPools: [pool('p', spec)] }));
    expect(config.issues).toEqual([]);
    const p = config.pools.get('p');
    expect(p?.addresses.size(4)).toBe(v4);
    expect(p?.addresses.size(6)).toBe(v6);
    expect(p?.entries).toEqual((spec as { addresses: string[] }).addresses);
  });
});

describe('defaults and fields', () => {
  test.each<[string, unknown, boolean, boolean]>([
    ['defaults', { addresses: ['203.0.113.0/24'] }, true, false],
    ['autoAssign off', { addresses: ['203.0.113.0/24'], autoAssign: false }, false, false],
    ['avoidBuggyIPs on', { addresses: ['203.0.113.0/24'], avoidBuggyIPs: true }, true, true],
    ['null autoAssign takes the default', { addresses: ['203.0.113.0/24'], autoAssign: null }, true, false],
  ])('%s', (_name, spec, autoAssign, avoidBuggyIPs) => {
    const p = buildConfig(snapshot({ ipAddressPools: [pool('p', spec)] })).pools.get('p');
    expect(p?.autoAssign).toBe(autoAssign);
    expect(p?.avoidBuggyIPs).toBe(avoidBuggyIPs);
    expect(p?.allocation).toBeUndefined();
  });

  test('labels and serviceAllocation are carried and compiled', () => {
    const p = buildConfig(
      snapshot({
        ipAddressPools: [
          pool(
            'p',
            {
              addresses: ['203.0.113.0/24'],
              serviceAllocation: { priority: 5, namespaces: ['team-a', 'team-b'], namespaceSelectors: [{ matchLabels: { tier: 'prod' } }], serviceSelectors: [{ matchExpressions: [{ key: 'app', operator: 'Exists' }] }] },
            },
            { labels: { site: 'lab' } },
          ),
        ],
      }),
    ).pools.get('p');
    expect(p?.labels).toEqual({ site: 'lab' });
    expect(p?.allocation?.priority).toBe(5);
    expect([...(p?.allocation?.namespaces ?? [])]).toEqual(['team-a', 'team-b']);
    expect(matchesAny(p?.allocation?.namespaceSelectors, { tier: 'prod' })).toBe(true);
    expect(matchesAny(p?.allocation?.namespaceSelectors, { tier: 'dev' })).toBe(false);
    expect(matchesAny(p?.allocation?.serviceSelectors, { app: 'x' })).toBe(true);
    expect(matchesAny(p?.allocation?.serviceSelectors, {})).toBe(false);
  });
});

describe('overlap across pools', () => {
  test.each<[string, string[], string[], string, RegExp]>([
    ['IPv4 CIDR inside another', ['203.0.113.0/24'], ['203.0.113.64/26'], 'spec.addresses[0]', /overlaps IPAddressPool headland-system\/a at 203\.0\.113\.64\/26/],
    ['IPv6 ranges crossing', ['2001:db8::/120'], ['2001:db8::80-2001:db8::1:0'], 'spec.addresses[0]', /overlaps IPAddressPool headland-system\/a at 2001:db8::80\/121/],
    ['second entry overlaps', ['198.18.0.0/24'], ['203.0.113.0/24', '198.18.0.255-198.18.1.10'], 'spec.addresses[1]', /at 198\.18\.0\.255\/32/],
  ])('%s: reported on the later pool', (_name, a, b, field, message) => {
    // Given in reverse order: "later" means later by namespace/name, not by input position.
    const config = buildConfig(snapshot({ ipAddressPools: [pool('b', { addresses: b }), pool('a', { addresses: a })] }));
    expect(config.pools.has('a')).toBe(true);
    expect(config.pools.has('b')).toBe(false);
    expect(issuesOf(config, 'IPAddressPool', 'a')).toEqual([]);
    expect(issuesOf(config, 'IPAddressPool', 'b')).toContainEqual(expect.objectContaining({ field, message: expect.stringMatching(message), severity: SEVERITY.Invalid }));
  });

  test('namespace orders before name', () => {
    const config = buildConfig(
      snapshot({ ipAddressPools: [pool('a', { addresses: ['203.0.113.0/24'] }, { namespace: 'zz' }), pool('z', { addresses: ['203.0.113.0/24'] }, { namespace: 'aa' })] }),
    );
    expect([...config.pools.keys()]).toEqual(['z']);
    expect(issuesOf(config, 'IPAddressPool', 'a')[0]?.message).toMatch(/overlaps IPAddressPool aa\/z/);
  });

  test('a rejected pool does not block a later one', () => {
    const config = buildConfig(
      snapshot({
        ipAddressPools: [pool('a', { addresses: ['203.0.113.0/24'] }), pool('b', { addresses: ['203.0.113.0/25', 'nonsense'] }), pool('c', { addresses: ['203.0.113.0/25'] })],
      }),
    );
    // c overlaps a (accepted), not because of b.
    expect([...config.pools.keys()]).toEqual(['a']);
    expect(issuesOf(config, 'IPAddressPool', 'c').map((i) => i.message)).toEqual([expect.stringMatching(/overlaps IPAddressPool headland-system\/a/)]);
  });

  test('disjoint pools are both kept', () => {
    const config = buildConfig(snapshot({ ipAddressPools: [pool('a', { addresses: ['203.0.113.0/25'] }), pool('b', { addresses: ['203.0.113.128/25'] })] }));
    expect([...config.pools.keys()]).toEqual(['a', 'b']);
    expect(formatIP(config.pools.get('b')?.addresses.nth(4, 0n) ?? { family: 4, value: 0n })).toBe('203.0.113.128');
  });
});

test('an invalid pool beside a valid one leaves the valid one in the config', () => {
  const config = buildConfig(snapshot({ ipAddressPools: [pool('bad', { addresses: ['203.0.113.0/33'] }), pool('good', { addresses: ['2001:db8::/120'] })] }));
  expect([...config.pools.keys()]).toEqual(['good']);
  expect(config.rejected.map((r) => r.ref.name)).toEqual(['bad']);
  expect(config.issues.every((i) => i.ref.name === 'bad')).toBe(true);
});
