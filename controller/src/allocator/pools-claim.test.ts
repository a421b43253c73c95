// Pool edits (setPools and what they strand), the restart path (claim) and usage counts.
import { parseIP } from '@headland/api';
import { Allocator } from './allocator.js';
import { poolsFrom, request, ips, story } from './fixtures.js';

const POOL = 'headland.io/address-pool';
const IPS = 'headland.io/loadBalancerIPs';

describe('pool edits', () => {
  story({ a: { addresses: ['203.0.113.0/30'] }, b: { addresses: ['203.0.113.8/30'] } }, [
    ['s1 in a', ['allocate', 's1'], 'a 203.0.113.0'],
    ['s2 in a', ['allocate', 's2'], 'a 203.0.113.1'],
    ['s3 in b by name', ['allocate', 's3', { annotations: { [POOL]: 'b' } }], 'b 203.0.113.8'],
    ['b removed: s3 stranded', ['setPools', { a: { addresses: ['203.0.113.0/30'] } }], 'stranded default/s3'],
    ['s3 now asks for a pool that is gone', ['allocate', 's3', { annotations: { [POOL]: 'b' } }], '!PoolNotFound'],
    ['a shrinks past s1\'s IP: s1 stranded, s2 stays', ['setPools', { a: { addresses: ['203.0.113.1-203.0.113.2'] } }], 'stranded default/s1'],
    ['s2 is untouched', ['allocate', 's2'], 'a 203.0.113.1 (kept)'],
    ['s1 gets what is left', ['allocate', 's1'], 'a 203.0.113.2'],
    [
      'a grows below its old start: indices shift, held IPs stay held',
      ['setPools', { a: { addresses: ['198.18.0.0/31', '203.0.113.1-203.0.113.3'] } }],
      'stranded ',
    ],
    ['the new lowest goes out first', ['allocate', 's4'], 'a 198.18.0.0'],
    ['s5', ['allocate', 's5'], 'a 198.18.0.1'],
    ['held addresses are skipped after the shift', ['allocate', 's6'], 'a 203.0.113.3'],
    ['a limited to another namespace strands every service of default', ['setPools', { a: { addresses: ['198.18.0.0/31', '203.0.113.1-203.0.113.3'], serviceAllocation: { namespaces: ['other'] } } }], 'stranded default/s1,default/s2,default/s4,default/s5,default/s6'],
    ['back to open', ['setPools', { a: { addresses: ['203.0.113.0/30'] } }], 'stranded '],
    ['s7 auto', ['allocate', 's7'], 'a 203.0.113.0'],
    ['s8 asks for its IP', ['allocate', 's8', { annotations: { [IPS]: '203.0.113.1' } }], 'a 203.0.113.1'],
    ['autoAssign: false strands the auto one only', ['setPools', { a: { addresses: ['203.0.113.0/30'], autoAssign: false } }], 'stranded default/s7'],
    ['s9 asks for .0', ['allocate', 's9', { annotations: { [IPS]: '203.0.113.0' } }], 'a 203.0.113.0'],
    ['avoidBuggyIPs strands the holder of .0', ['setPools', { a: { addresses: ['203.0.113.0/30'], avoidBuggyIPs: true } }], 'stranded default/s9'],
  ]);

  test('stranded entries say which IPs, which pool and why', () => {
    const allocator = new Allocator(poolsFrom({ a: { addresses: ['203.0.113.0/30'] } }));
    allocator.allocate(request('s1'));
    const { stranded } = allocator.setPools([]);
    expect(stranded).toEqual([{ key: 'default/s1', ips: ips('203.0.113.0'), pool: 'a', why: 'pool a no longer exists' }]);
    expect(allocator.assignmentOf('default/s1')).toBeUndefined();
    expect(allocator.holders(parseIP('203.0.113.0'))).toEqual([]);
  });

  test('a stranded reason names the rule', () => {
    const allocator = new Allocator(poolsFrom({ a: { addresses: ['203.0.113.0/30'] } }));
    allocator.allocate(request('s1'));
    const { stranded } = allocator.setPools(poolsFrom({ a: { addresses: ['203.0.113.0/30'], autoAssign: false } }));
    expect(stranded[0]?.why).toMatch(/^allocator: pool a has autoAssign: false/);
  });
});

describe('claim: the restart path', () => {
  story(
    {
      a: { addresses: ['203.0.113.0/28'] },
      manual: { addresses: ['203.0.113.16/28'], autoAssign: false },
      d: { addresses: ['198.18.0.0/30', '2001:db8::/126'] },
    },
    [
      ['s1 claims the IP in its status', ['claim', 's1', ['203.0.113.7']], 'a 203.0.113.7'],
      ['a claim never picks another IP: s2 claiming s1\'s fails', ['claim', 's2', ['203.0.113.7']], '!RequestedIPInUse'],
      ['and leaves s2 with nothing', ['holders', '203.0.113.7'], 'default/s1'],
      ['an IP in no pool', ['claim', 's3', ['192.0.2.1']], '!RequestedIPNotInPool'],
      ['the service now asks for another IP', ['claim', 's4', ['203.0.113.8'], { annotations: { [IPS]: '203.0.113.9' } }], '!RequestChanged'],
      ['the service now asks for another pool', ['claim', 's4', ['203.0.113.8'], { annotations: { [POOL]: 'manual' } }], '!RequestChanged'],
      ['the status has two families, the service one', ['claim', 's5', ['198.18.0.1', '2001:db8::1']], '!RequestChanged'],
      ['RequireDualStack claims both, in ipFamilies order', ['claim', 's5', ['198.18.0.1', '2001:db8::1'], { spec: { ipFamilyPolicy: 'RequireDualStack', ipFamilies: ['IPv6', 'IPv4'] } }], 'd 2001:db8::1,198.18.0.1'],
      ['IPs of two pools', ['claim', 's6', ['203.0.113.1', '2001:db8::2'], { spec: { ipFamilyPolicy: 'PreferDualStack', ipFamilies: ['IPv4', 'IPv6'] } }], '!RequestedIPsInDifferentPools'],
      ['an autoAssign: false IP the service no longer asks for', ['claim', 's7', ['203.0.113.17']], '!PoolNotAllowed'],
      ['one it still asks for', ['claim', 's7', ['203.0.113.17'], { annotations: { [IPS]: '203.0.113.17' } }], 'manual 203.0.113.17'],
      ['claiming what it holds is no change', ['claim', 's1', ['203.0.113.7']], 'a 203.0.113.7 (kept)'],
      ['claiming other IPs moves it', ['claim', 's1', ['203.0.113.3']], 'a 203.0.113.3'],
      ['and frees the old', ['holders', '203.0.113.7'], ''],
      ['new allocations go around claimed IPs', ['allocate', 's8'], 'a 203.0.113.0'],
      ['s9', ['allocate', 's9'], 'a 203.0.113.1'],
      ['s10', ['allocate', 's10'], 'a 203.0.113.2'],
      ['s11 skips the claimed .3', ['allocate', 's11'], 'a 203.0.113.4'],
    ],
  );

  test('nothing to claim is an invalid request', () => {
    const allocator = new Allocator(poolsFrom({ a: { addresses: ['203.0.113.0/28'] } }));
    const result = allocator.claim(request('s1'), []);
    expect(result.ok ? 'ok' : result.error.reason).toBe('InvalidRequest');
  });

  test('a failed claim keeps what the service held', () => {
    const allocator = new Allocator(poolsFrom({ a: { addresses: ['203.0.113.0/28'] } }));
    allocator.allocate(request('s1'));
    allocator.allocate(request('s2'));
    expect(allocator.claim(request('s2'), ips('203.0.113.0')).ok).toBe(false);
    expect(allocator.assignmentOf('default/s2')).toEqual({ pool: 'a', ips: ips('203.0.113.1') });
  });
});

describe('usage', () => {
  test.each([
    // pool spec, services allocated (IPv4 SingleStack unless the pool is IPv6-only), family, expected
    [{ addresses: ['203.0.113.0/24'] }, 3, 4, { assigned: 3n, available: 253n, total: 256n }],
    [{ addresses: ['203.0.113.0/24'], avoidBuggyIPs: true }, 3, 4, { assigned: 3n, available: 251n, total: 254n }],
    [{ addresses: ['10.0.0.0/8'] }, 2, 4, { assigned: 2n, available: (1n << 24n) - 2n, total: 1n << 24n }],
    [{ addresses: ['2001:db8::/64'] }, 3, 6, { assigned: 3n, available: (1n << 64n) - 3n, total: 1n << 64n }],
    [{ addresses: ['2001:db8::/32'] }, 1, 6, { assigned: 1n, available: (1n << 96n) - 1n, total: 1n << 96n }],
    [{ addresses: ['2001:db8::/64'] }, 0, 4, { assigned: 0n, available: 0n, total: 0n }],
  ] as const)('%j with %d services, IPv%d: %j', (spec, services, family, expected) => {
    const allocator = new Allocator(poolsFrom({ p: spec as unknown as Record<string, unknown> }));
    const v6only = spec.addresses.every((a) => a.includes(':'));
    for (let i = 0; i < services; i++) expect(allocator.allocate(request(`s${i}`, v6only ? { spec: { ipFamilies: ['IPv6'] } } : {})).ok).toBe(true);
    expect(allocator.usage().get('p')?.[family]).toEqual(expected);
  });

  test('every pool is listed, used or not', () => {
    const allocator = new Allocator(poolsFrom({ a: { addresses: ['203.0.113.0/30'] }, b: { addresses: ['2001:db8::/126'] } }));
    expect([...allocator.usage().keys()].sort()).toEqual(['a', 'b']);
    expect(allocator.usage().get('b')).toEqual({ 4: { assigned: 0n, available: 0n, total: 0n }, 6: { assigned: 0n, available: 4n, total: 4n } });
  });
});
