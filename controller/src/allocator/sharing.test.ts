// Sharing an IP (allow-shared-ip): sequential tables, each row changing the shared allocator.
import { parseIP } from '@headland/api';
import { story } from './fixtures.js';
import { selectorKey } from './sharing.js';

const SHARE = 'headland.io/allow-shared-ip';
const IPS = 'headland.io/loadBalancerIPs';
const tcp = (...ports: number[]) => ports.map((port) => ({ port, protocol: 'TCP' }));
const shared = (key: string, ports: { port: number; protocol: string }[], extra: Record<string, unknown> = {}, annotations: Record<string, string> = {}) => ({
  annotations: { [SHARE]: key, ...annotations },
  spec: { ports, ...extra },
});
const local = (app: string) => ({ externalTrafficPolicy: 'Local', selector: { app } });

describe('sharing one IP', () => {
  const allocator = story({ a: { addresses: ['203.0.113.0/28'] } }, [
    ['s1 with key k on 80/TCP', ['allocate', 's1', shared('k', tcp(80))], 'a 203.0.113.0'],
    ['s2 with key k on 443/TCP joins it', ['allocate', 's2', shared('k', tcp(443))], 'a 203.0.113.0'],
    ['both hold it', ['holders', '203.0.113.0'], 'default/s1,default/s2'],
    ['s3 with key k on 80/TCP cannot ask for it: port in use', ['allocate', 's3', shared('k', tcp(80), {}, { [IPS]: '203.0.113.0' })], '!SharingPortConflict'],
    ['left to choose, s3 gets a free IP instead', ['allocate', 's3', shared('k', tcp(80))], 'a 203.0.113.1'],
    ['another key', ['allocate', 's4', shared('other', tcp(8080), {}, { [IPS]: '203.0.113.0' })], '!SharingKeyMismatch'],
    ['no key at all', ['allocate', 's5', { annotations: { [IPS]: '203.0.113.0' }, spec: { ports: tcp(8081) } }], '!RequestedIPInUse'],
    ['a Local service cannot share with Cluster ones', ['allocate', 's6', shared('k', tcp(8082), local('x'), { [IPS]: '203.0.113.0' })], '!SharingTrafficPolicyMismatch'],
    ['l1: Local, key m, app=x', ['allocate', 'l1', shared('m', tcp(80), local('x'))], 'a 203.0.113.2'],
    ['l2: Local, key m, other pods', ['allocate', 'l2', shared('m', tcp(443), local('y'), { [IPS]: '203.0.113.2' })], '!SharingSelectorMismatch'],
    ['l3: Local, key m, same pods, other port', ['allocate', 'l3', shared('m', tcp(443), local('x'), { [IPS]: '203.0.113.2' })], 'a 203.0.113.2'],
    ['l4: found without asking', ['allocate', 'l4', shared('m', tcp(8080), local('x'))], 'a 203.0.113.2'],
    ['a Cluster service with key m cannot join Local ones', ['allocate', 'c1', shared('m', tcp(9000), {}, { [IPS]: '203.0.113.2' })], '!SharingTrafficPolicyMismatch'],
    ['the same port over UDP and TCP may share', ['allocate', 'u1', shared('dns', [{ port: 53, protocol: 'UDP' }])], 'a 203.0.113.3'],
    ['u2 on 53/TCP', ['allocate', 'u2', shared('dns', tcp(53))], 'a 203.0.113.3'],
    ['s2 changes to port 80, now clashing with s1: it moves to where 80 is free', ['allocate', 's2', shared('k', tcp(80))], 'a 203.0.113.4'],
    ['s1 keeps its IP alone', ['holders', '203.0.113.0'], 'default/s1'],
    ['s1 drops its key: it keeps its IP, nobody else holds it', ['allocate', 's1', { spec: { ports: tcp(80) } }], 'a 203.0.113.0 (kept)'],
    ['so a newcomer with key k no longer finds it shareable', ['allocate', 's7', shared('k', tcp(22), {}, { [IPS]: '203.0.113.0' })], '!RequestedIPInUse'],
    ['delete s1', ['release', 's1'], 'released'],
    ['its IP is free again', ['allocate', 's8'], 'a 203.0.113.0'],
  ]);

  test('a shared IP counts once in usage', () => {
    expect(allocator.usage().get('a')?.[4]).toEqual({ assigned: 5n, available: 11n, total: 16n });
    expect(allocator.holders(parseIP('203.0.113.2'))).toEqual(['default/l1', 'default/l3', 'default/l4']);
  });
});

describe('sharing dual-stack IPs', () => {
  const dual = { ipFamilyPolicy: 'RequireDualStack', ipFamilies: ['IPv4', 'IPv6'] };
  story({ d: { addresses: ['203.0.113.0/30', '2001:db8::/126'] } }, [
    ['d1 takes a pair', ['allocate', 'd1', shared('k', tcp(80), dual)], 'd 203.0.113.0,2001:db8::'],
    ['d2 shares the pair', ['allocate', 'd2', shared('k', tcp(443), dual)], 'd 203.0.113.0,2001:db8::'],
    ['an IPv6-only sharer takes the shared IPv6', ['allocate', 'd3', shared('k', tcp(8443), { ipFamilies: ['IPv6'] })], 'd 2001:db8::'],
    ['a conflicting port gets a fresh pair', ['allocate', 'd4', shared('k', tcp(80), dual)], 'd 203.0.113.1,2001:db8::1'],
  ]);
});

describe('selectorKey', () => {
  test.each([
    [undefined, 'no selector'],
    [{}, '{}'],
    [{ b: '2', a: '1' }, 'a=1,b=2'],
  ])('%j -> %s', (selector, expected) => {
    expect(selectorKey(selector)).toBe(expected);
  });
});
