import { matchesAny } from '../selector.js';
import { buildConfig } from './build.js';
import { isRejected, issuesOf, l2Adv, pool, snapshot } from './fixtures.js';
import { SEVERITY } from './issues.js';
import type { Snapshot } from './types.js';

const POOLS: Snapshot['ipAddressPools'] = [pool('lan', { addresses: ['198.18.10.0/24'] }, { labels: { l2: 'yes' } }), pool('wan', { addresses: ['2001:db8:2::/120'] })];
const build = (...advs: Snapshot['l2Advertisements']) => buildConfig(snapshot({ ipAddressPools: POOLS, l2Advertisements: advs }));

describe('an L2 advertisement is rejected', () => {
  test.each<[string, unknown, string, RegExp]>([
    ['an empty interface name', { interfaces: [''] }, 'spec.interfaces[0]', /interface name "" is empty/],
    ['a 16-character interface name', { interfaces: ['eth0', 'abcdefghijklmnop'] }, 'spec.interfaces[1]', /16 characters, more than 15/],
    ['a slash', { interfaces: ['eth/0'] }, 'spec.interfaces[0]', /cannot contain "\/"/],
    ['a space', { interfaces: ['eth 0'] }, 'spec.interfaces[0]', /whitespace/],
    ['a tab', { interfaces: ['eth\t0'] }, 'spec.interfaces[0]', /whitespace/],
    ['a colon (alias syntax)', { interfaces: ['eth0:1'] }, 'spec.interfaces[0]', /":"/],
    ['"."', { interfaces: ['.'] }, 'spec.interfaces[0]', /cannot be "\."/],
    ['".."', { interfaces: ['..'] }, 'spec.interfaces[0]', /cannot be "\.\."/],
    ['interfaces not strings (schema)', { interfaces: [0] }, 'spec.interfaces[0]', /must be string/],
    ['a node selector that does not parse', { nodeSelectors: [{ matchLabels: { 'a/b/c': 'x' } }] }, 'spec.nodeSelectors[0].matchLabels["a/b/c"]', /^selector: /],
    ['a service selector that does not parse', { serviceSelectors: [{ matchExpressions: [{ key: 'k', operator: 'In', values: ['-'] }] }] }, 'spec.serviceSelectors[0].matchExpressions[0].values[0]', /^selector: label value/],
    ['a pool selector that does not parse', { ipAddressPoolSelectors: [{ matchExpressions: [{ key: 'k', operator: 'DoesNotExist', values: ['v'] }] }] }, 'spec.ipAddressPoolSelectors[0].matchExpressions[0].values', /^selector: /],
    ['a field of BGPAdvertisement (schema)', { peers: ['r1'] }, 'spec.peers', /unknown field "peers"/],
  ])('%s', (_name, spec, field, message) => {
    const config = build(l2Adv('l2', spec));
    expect(config.l2Advertisements).toEqual([]);
    expect(isRejected(config, 'L2Advertisement', 'l2')).toBe(true);
    expect(issuesOf(config, 'L2Advertisement', 'l2')).toContainEqual(expect.objectContaining({ field, message: expect.stringMatching(message), severity: SEVERITY.Invalid }));
  });
});

describe('an L2 advertisement is accepted', () => {
  test.each<[string, unknown, string[], string[] | undefined]>([
    ['defaults: all pools, all interfaces', {}, ['lan', 'wan'], undefined],
    ['interfaces, duplicates folded', { interfaces: ['eth0', 'bond0.100', 'eth0', 'abcdefghijklmno'] }, ['lan', 'wan'], ['eth0', 'bond0.100', 'abcdefghijklmno']],
    ['pools by name', { ipAddressPools: ['wan'] }, ['wan'], undefined],
    ['pools by selector', { ipAddressPoolSelectors: [{ matchLabels: { l2: 'yes' } }] }, ['lan'], undefined],
  ])('%s', (_name, spec, pools, interfaces) => {
    const config = build(l2Adv('l2', spec));
    expect(config.issues).toEqual([]);
    expect(config.l2Advertisements).toEqual([expect.objectContaining({ ref: { kind: 'L2Advertisement', namespace: 'headland-system', name: 'l2' }, pools, interfaces })]);
  });

  test('a missing pool is skipped and reported as transient', () => {
    const config = build(l2Adv('l2', { ipAddressPools: ['nope', 'lan'] }));
    expect(config.l2Advertisements[0]?.pools).toEqual(['lan']);
    expect(config.rejected).toEqual([]);
    expect(config.issues).toEqual([expect.objectContaining({ field: 'spec.ipAddressPools[0]', severity: SEVERITY.MissingReference })]);
  });

  test('selectors are compiled', () => {
    const adv = build(l2Adv('l2', { nodeSelectors: [{ matchLabels: { rack: 'r1' } }], serviceSelectors: [{ matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['db'] }] }] })).l2Advertisements[0];
    expect(matchesAny(adv?.nodeSelectors, { rack: 'r1' })).toBe(true);
    expect(matchesAny(adv?.nodeSelectors, { rack: 'r2' })).toBe(false);
    expect(matchesAny(adv?.serviceSelectors, { app: 'web' })).toBe(true);
    expect(matchesAny(adv?.serviceSelectors, { app: 'db' })).toBe(false);
  });
});
