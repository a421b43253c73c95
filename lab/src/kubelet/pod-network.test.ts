import { parsePrefix, type Prefix } from '../lab/cidr.js';
import { KubeletError } from './errors.js';
import { allocateAddress, parsePodCidrs, podLinkNames } from './pod-network.js';

const p = (t: string) => parsePrefix(t) as Prefix;

describe('allocateAddress: from the top of the CIDR down, never the network, bridge or broadcast address', () => {
  test.each([
    ['198.18.101.0/24', [], '198.18.101.254'],
    ['198.18.101.0/24', ['198.18.101.254'], '198.18.101.253'],
    ['198.18.101.0/30', [], '198.18.101.2'],
    ['198.18.101.0/30', ['198.18.101.2'], undefined],
    ['198.18.101.0/31', [], undefined],
    ['2001:db8:101::/64', [], '2001:db8:101:0:ffff:ffff:ffff:ffff'],
    ['2001:db8:101::/126', ['2001:db8:101::3', '2001:db8:101::2'], undefined],
    ['2001:db8:101::/126', ['2001:db8:101::3'], '2001:db8:101::2'],
  ] as const)('%s taken %j -> %s', (cidr, taken, want) => {
    expect(allocateAddress(p(cidr), new Set(taken))).toBe(want);
  });
});

describe('parsePodCidrs refuses by name', () => {
  test.each([
    [['10.0.0.0/24'], /outside the lab's ranges/],
    [['198.18.101.1/24'], /host bits set/],
    [['198.18.101.0/24', '198.18.102.0/24'], /a second IPv4 pod CIDR/],
    [['198.18.101.0/32'], /no room for pods/],
    [['banana'], /--pod-cidr "banana": "banana" is not an IPv4 or IPv6 address/],
    [['198.19.255.0/24'], /outside the lab's ranges/],
  ] as const)('%j', (texts, msg) => {
    expect(() => parsePodCidrs(texts)).toThrow(KubeletError);
    expect(() => parsePodCidrs(texts)).toThrow(msg);
  });
  test('one per family is fine', () => {
    expect(parsePodCidrs(['198.18.101.0/24', '2001:db8:101::/64']).map((x) => x.family)).toEqual([4, 6]);
  });
});

test('link names fit the kernel limit and are stable per uid', () => {
  const n = podLinkNames('hl-install_node1', '5b0c7f3e-1d2a-4c3b-9e8f-0a1b2c3d4e5f');
  expect(n).toEqual({ netns: 'hl-install_node1_k5b0c7f3e', veth: 'vk5b0c7f3e' });
  expect(n.veth.length).toBeLessThanOrEqual(15);
});
