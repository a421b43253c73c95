import { IPSet, parseCIDR, parsePoolEntry } from '@headland/api';
import { LAB_RANGES } from '../../lab/cidr.js';
import { ServiceAllocator, ServiceAllocatorConfigError } from './allocator.js';

test('the defaults are dual-stack, IPv4 first, inside the lab ranges, with the usual node ports', () => {
  const a = new ServiceAllocator();
  expect(a.families).toEqual(['IPv4', 'IPv6']);
  expect([a.range('IPv4')?.cidr, a.range('IPv6')?.cidr, a.nodePorts.text]).toEqual(['198.19.128.0/20', '2001:db8:5e::/112', '30000-32767']);
  const lab = IPSet.from(LAB_RANGES.map(parsePoolEntry));
  for (const f of a.families) {
    const p = a.range(f)?.prefix ?? parseCIDR('0.0.0.0/0');
    expect([lab.contains({ family: p.family, value: p.first }), lab.contains({ family: p.family, value: p.last })]).toEqual([true, true]);
  }
});

test.each([
  [['198.19.128.0/20'], ['IPv4'], '198.19.128.1'],
  [['2001:db8:5e::/112', '198.19.128.0/20'], ['IPv6', 'IPv4'], '2001:db8:5e::1'],
  // ParseCIDRSloppy masks host bits off.
  [['198.19.128.77/20'], ['IPv4'], '198.19.128.1'],
])('%j: families %j, the kubernetes Service gets %s', (cidrs, families, ip) => {
  const a = new ServiceAllocator({ serviceClusterIPRanges: cidrs });
  expect([a.families, a.primaryFamily, a.kubernetesServiceIP()]).toEqual([families, families[0], ip]);
});

test.each([
  [['198.16.0.0/11'], 'specified --service-cluster-ip-range is too large; for 32-bit addresses, the mask must be >= 12'],
  [['198.19.128.0/20', '2001:db8::/96'], 'specified --service-cluster-ip-range[1] is too large; for 128-bit addresses, the mask must be >= 108'],
  [['198.19.128.0/20', '198.19.144.0/20'], '--service-cluster-ip-range[0] and --service-cluster-ip-range[1] must be of different IP family'],
  [['198.19.128.0'], 'service-cluster-ip-range[0] is not a valid cidr'],
  [['198.19.128.0/20', 'x/64'], 'service-cluster-ip-range[1] is not a valid cidr'],
  [[], '--service-cluster-ip-range must hold one CIDR, or two of different IP families'],
])('%j is refused', (cidrs, message) => {
  expect(() => new ServiceAllocator({ serviceClusterIPRanges: cidrs })).toThrow(new ServiceAllocatorConfigError(message));
});

test('clear empties every range', () => {
  const a = new ServiceAllocator({ random: () => 0 });
  a.range('IPv4')?.allocateNext();
  a.range('IPv6')?.allocateNext();
  a.nodePorts.allocateNext();
  expect(a.snapshot()).toEqual({ ips: { IPv4: ['198.19.129.1'], IPv6: ['2001:db8:5e::101'] }, nodePorts: [30086] });
  a.clear();
  expect(a.snapshot()).toEqual({ ips: { IPv4: [], IPv6: [] }, nodePorts: [] });
});
