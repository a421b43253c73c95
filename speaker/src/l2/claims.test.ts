// Claims from ServiceL2Status objects: canonical IPs, several claimants, bad objects skipped by name.
import { describe, expect, test } from '@jest/globals';
import { claimSkeleton, claimsFrom } from './claims.js';

const status = (name: string, node: unknown, ips: unknown[]) => ({ metadata: { name, namespace: 'headland-system' }, status: { node, serviceNamespace: 'ns', serviceName: 's', addresses: ips.map((ip) => ({ ip, interfaces: ['eth1'] })) } });

describe('claimsFrom', () => {
  test.each<{ name: string; objects: unknown[]; claims: Record<string, string[]>; problems?: RegExp[] }>([
    { name: 'nothing', objects: [], claims: {} },
    { name: 'one node, two IPs', objects: [status('a', 'n1', ['203.0.113.1', '2001:db8::1'])], claims: { '203.0.113.1': ['n1'], '2001:db8::1': ['n1'] } },
    { name: 'IPv6 in another spelling is one IP', objects: [status('a', 'n1', ['2001:DB8:0::1']), status('b', 'n2', ['2001:db8::1'])], claims: { '2001:db8::1': ['n1', 'n2'] } },
    { name: 'two Services of one node sharing an IP: one claim', objects: [status('a', 'n1', ['203.0.113.1']), status('b', 'n1', ['203.0.113.1'])], claims: { '203.0.113.1': ['n1'] } },
    { name: 'no node: skipped and named', objects: [status('bad', '', ['203.0.113.1']), status('ok', 'n2', ['203.0.113.2'])], claims: { '203.0.113.2': ['n2'] }, problems: [/^ServiceL2Status bad: status.node/] },
    { name: 'an address that is no IP: only it is skipped', objects: [status('a', 'n1', ['203.0.113.300', 7, '203.0.113.3'])], claims: { '203.0.113.3': ['n1'] }, problems: [/"203.0.113.300" is not an IP/, /7 is not an IP/] },
    { name: 'not even an object', objects: [null, 'x'], claims: {}, problems: [/status.node/, /status.node/] },
  ])('$name', ({ objects, claims, problems }) => {
    const out = claimsFrom(objects);
    expect(Object.fromEntries(out.claims)).toEqual(claims);
    expect(out.problems).toHaveLength(problems?.length ?? 0);
    for (const [i, p] of (problems ?? []).entries()) expect(out.problems[i]).toMatch(p);
  });

  test('the skeleton keeps what claims need and drops the rest', () => {
    const kept = claimSkeleton({ ...status('a', 'n1', ['203.0.113.1']), metadata: { name: 'a', namespace: 'x', labels: { big: 'y' } } } as { metadata: { name: string; namespace: string } });
    expect(kept).toEqual({ metadata: { name: 'a', namespace: 'x' }, status: { node: 'n1', addresses: [{ ip: '203.0.113.1' }] } });
    expect(Object.fromEntries(claimsFrom([kept]).claims)).toEqual({ '203.0.113.1': ['n1'] });
  });
});
