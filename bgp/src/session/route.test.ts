import { parsePrefix } from '../wire/nlri.js';
import { WellKnownCommunity } from '../wire/attributes/communities.js';
import { buildAnnouncement, parseCommunity, parseLargeCommunity } from './route.js';
import { ManualClock } from './clock.js';
import { prefixContains } from './listener.js';

describe('parseCommunity', () => {
  test.each<[string | number, number]>([
    ['64512:100', 64512 * 65536 + 100],
    ['0:0', 0],
    ['65535:65535', 0xffffffff],
    ['NO_EXPORT', WellKnownCommunity.NO_EXPORT],
    ['BLACKHOLE', WellKnownCommunity.BLACKHOLE],
    [42, 42],
  ])('%s', (text, value) => expect(parseCommunity(text)).toBe(value));

  test.each<string | number>(['65536:1', '1:2:3', 'abc', '', ':1', 1.5, -1, 2 ** 32])('%s is refused with a route: error', (text) => {
    expect(() => parseCommunity(text)).toThrow(/^route: community/);
  });

  test('large communities', () => {
    expect(parseLargeCommunity('4200000000:1:2')).toEqual({ global: 4200000000, local1: 1, local2: 2 });
    for (const bad of ['1:2', '1:2:3:4', '4294967296:1:1', 'a:b:c']) expect(() => parseLargeCommunity(bad)).toThrow(/^route: large community/);
  });
});

describe('buildAnnouncement', () => {
  const prefix = parsePrefix('203.0.113.5/32');
  test.each([
    ['eBGP prepends our AS, no LOCAL_PREF', true, {}, ['origin', 'as-path'], [{ type: 'sequence', asns: [64512] }]],
    ['iBGP: empty AS_PATH and LOCAL_PREF 100', false, {}, ['origin', 'as-path', 'local-pref'], []],
    ['eBGP with a path after ours', true, { asPath: [65001, 65002] }, ['origin', 'as-path'], [{ type: 'sequence', asns: [64512, 65001, 65002] }]],
    ['everything', true, { med: 5, communities: ['1:1'], largeCommunities: ['1:2:3'], linkBandwidth: 1e6 }, ['origin', 'as-path', 'multi-exit-disc', 'communities', 'extended-communities', 'large-communities'], [{ type: 'sequence', asns: [64512] }]],
  ])('%s', (_name, external, route, types, asPath) => {
    const a = buildAnnouncement(prefix, route, { localAs: 64512, external, localAddress: { ipv4: '198.18.0.1' } });
    expect(a.nextHop).toBe('198.18.0.1');
    expect(a.attributes.map((x) => x.type)).toEqual(types);
    expect(a.attributes.find((x) => x.type === 'as-path')?.value).toEqual(asPath);
  });

  test('link bandwidth from a 4-octet AS uses AS_TRANS', () => {
    const a = buildAnnouncement(prefix, { linkBandwidth: 10 }, { localAs: 4200000000, external: true, localAddress: { ipv4: '198.18.0.1' } });
    expect(a.attributes.find((x) => x.type === 'extended-communities')?.value).toEqual([{ kind: 'link-bandwidth', asn: 23456, bytesPerSecond: 10 }]);
  });

  test('an IPv6 route over an IPv4-only session needs a configured next hop', () => {
    expect(() => buildAnnouncement(parsePrefix('2001:db8::/64'), {}, { localAs: 1, external: true, localAddress: { ipv4: '198.18.0.1' } })).toThrow(/^route: no ipv6 next hop/);
  });
});

describe('ManualClock', () => {
  test('runs due callbacks in due order, never early, and honours cancel', () => {
    const clock = new ManualClock();
    const fired: string[] = [];
    clock.setTimeout(() => fired.push('b'), 200);
    clock.setTimeout(() => fired.push('a'), 100);
    const c = clock.setTimeout(() => fired.push('c'), 150);
    clock.setTimeout(() => clock.setTimeout(() => fired.push('nested'), 10), 120);
    c.cancel();
    clock.advance(99);
    expect(fired).toEqual([]);
    clock.advance(101);
    expect(fired).toEqual(['a', 'nested', 'b']);
    expect(clock.now()).toBe(200);
    expect(clock.armed).toBe(0);
  });
});

describe('prefixContains', () => {
  test.each([
    ['198.18.0.0/24', '198.18.0.77', true],
    ['198.18.0.0/24', '198.18.1.1', false],
    ['198.18.0.0/15', '198.19.255.255', true],
    ['0.0.0.0/0', '203.0.113.9', true],
    ['2001:db8::/32', '2001:db8:ffff::1', true],
    ['2001:db8::/32', '2001:db9::1', false],
    ['198.18.0.0/24', '2001:db8::1', false],
    ['198.18.0.0/24', 'garbage', false],
  ])('%s contains %s: %s', (range, address, expected) => expect(prefixContains(parsePrefix(range), address)).toBe(expected));
});
