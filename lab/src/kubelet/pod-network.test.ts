import { parsePrefix, type Prefix } from '../lab/cidr.js';
import { KubeletError } from './errors.js';
import { allocateAddress, parsePodCidrs, PodNetwork, podLinkNames } from './pod-network.js';

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

describe('PodNetwork.reachFromControlPlane', () => {
  type Answer = { code: number; stdout: string; stderr: string };
  /** An Exec that records argv and answers by the first matching rule. */
  const fakeExec = (rules: [RegExp, Answer][]) => {
    const calls: string[] = [];
    const exec = async (argv: readonly string[]): Promise<Answer> => {
      const line = argv.join(' ');
      calls.push(line);
      return rules.find(([re]) => re.test(line))?.[1] ?? { code: 0, stdout: '', stderr: '' };
    };
    return { exec, calls };
  };
  const mgmt: [RegExp, Answer] = [/addr show dev mgmt0/, { code: 0, stdout: JSON.stringify([{ ifname: 'mgmt0', addr_info: [{ family: 'inet', local: '198.19.255.11', prefixlen: 24 }] }]), stderr: '' }];
  const cidrs = parsePodCidrs(['198.18.101.0/24', '2001:db8:101::/64']);
  const stateFile = '/nonexistent/headland-test/pod-network.json';

  test('adds the IPv4 pod CIDR to the mgmt guard set and routes it from the root namespace via the mgmt address; cleanup takes the route away', async () => {
    const { exec, calls } = fakeExec([mgmt]);
    const net = new PodNetwork('lab-n1', cidrs, stateFile, exec);
    expect(await net.reachFromControlPlane()).toEqual([{ prefix: '198.18.101.0/24', via: '198.19.255.11' }]);
    expect(calls).toEqual([
      'ip -n lab-n1 -j -4 addr show dev mgmt0',
      'ip netns exec lab-n1 nft add element inet headland_lab_mgmt pod_networks { 198.18.101.0/24 }',
      'ip route replace 198.18.101.0/24 via 198.19.255.11',
    ]);
    await net.unreachFromControlPlane();
    expect(calls.at(-1)).toBe('ip route del 198.18.101.0/24 via 198.19.255.11');
  });

  test('a node without a mgmt link (not a lab k8s-node) is left alone', async () => {
    const { exec, calls } = fakeExec([[/addr show dev mgmt0/, { code: 1, stdout: '', stderr: 'Device "mgmt0" does not exist.' }]]);
    expect(await new PodNetwork('lab-n1', cidrs, stateFile, exec).reachFromControlPlane()).toEqual([]);
    expect(calls).toHaveLength(1);
  });

  test('a guard without the set (a lab built before it) is an error that says what to do, and no route is made', async () => {
    const { exec, calls } = fakeExec([mgmt, [/nft add element/, { code: 1, stdout: '', stderr: 'Error: No such file or directory' }]]);
    await expect(new PodNetwork('lab-n1', cidrs, stateFile, exec).reachFromControlPlane()).rejects.toThrow(/kubelet\/pod-network: .*No such file or directory \(the node's mgmt guard has no set pod_networks: a lab built by an older headland-lab; take it down and up again\)/);
    expect(calls.some((c) => c.startsWith('ip route'))).toBe(false);
  });

  test('IPv6-only pod CIDRs need nothing (the control plane calls in over IPv4)', async () => {
    const { exec, calls } = fakeExec([mgmt]);
    expect(await new PodNetwork('lab-n1', parsePodCidrs(['2001:db8:101::/64']), stateFile, exec).reachFromControlPlane()).toEqual([]);
    expect(calls).toEqual([]);
  });
});
