import { TopologyError } from './errors.js';
import { parseTopology } from './parse.js';

/** A small valid topology; each bad case below changes one thing in it. */
const base = `
name: t1
topology:
  nodes:
    tor:
      kind: frr
      startup-config: tor.conf
      interfaces: { eth1: [198.18.0.1/24], eth2: [198.18.1.1/24, "2001:db8:1::1/64"] }
    sw: { kind: bridge }
    n1:
      kind: k8s-node
      interfaces: { eth1: [198.18.0.11/24] }
      routes: ["198.18.1.0/24 via 198.18.0.1", { dst: default, via: 198.18.0.1 }]
      pod-subnets: [198.18.101.0/24]
      pods: { pod-a: 198.18.101.2 }
    c:
      kind: linux
      interfaces: { eth1: [198.18.1.2/24] }
  links:
    - endpoints: ["tor:eth1", "sw:eth1"]
    - endpoints: ["n1:eth1", "sw:eth2"]
    - endpoints: ["c:eth1", "tor:eth2"]
`;

describe('parseTopology', () => {
  test('a valid topology becomes the model', () => {
    const t = parseTopology(base, '/labs/t1/t1.clab.yml');
    expect(t.name).toBe('t1');
    expect(t.nodes.map((n) => `${n.name}:${n.kind}`)).toEqual(['tor:frr', 'sw:bridge', 'n1:k8s-node', 'c:linux']);
    const tor = t.nodes[0]!;
    expect(tor.startupConfig).toBe('/labs/t1/tor.conf');
    expect(tor.forwarding).toBe(true);
    expect([...tor.interfaces.entries()]).toEqual([['eth1', ['198.18.0.1/24']], ['eth2', ['198.18.1.1/24', '2001:db8:1::1/64']]]);
    const n1 = t.nodes[2]!;
    expect(n1.mgmtIPv4).toBe('198.19.255.10');
    expect(n1.routes).toEqual([{ dst: '198.18.1.0/24', family: 4, via: '198.18.0.1' }, { dst: 'default', family: 4, via: '198.18.0.1' }]);
    expect(n1.pods).toEqual([{ name: 'pod-a', addresses: ['198.18.101.2'] }]);
    expect(t.nodes[3]!.forwarding).toBe(false);
    expect(t.links[2]).toEqual({ a: { node: 'c', iface: 'eth1' }, b: { node: 'tor', iface: 'eth2' } });
  });

  test('containerlab keys without meaning here are noted, not refused', () => {
    const t = parseTopology(base.replace('kind: linux', 'kind: linux\n      image: alpine\n      binds: [a:b]'), '');
    expect(t.notes).toEqual(expect.arrayContaining(['node "c": image ignored (no containers in this lab)', 'node "c": binds ignored (no containers in this lab)']));
  });

  test('topology.kinds and topology.defaults fill in node fields', () => {
    const text = base.replace('topology:\n', 'topology:\n  kinds:\n    linux: { env: { A: "1" } }\n');
    expect(parseTopology(text).nodes[3]!.env).toEqual({ A: '1' });
  });

  test.each<[string, string, string, RegExp]>([
    ['bad YAML', 'name: t1', 'name: [t1', /^lab\/parse: file: not valid YAML/],
    ['bad lab name', 'name: t1', 'name: T_1', /name: "T_1" is not a lab name/],
    ['no nodes', '  nodes:', '  nodez:', /topology.nodes: missing or empty/],
    ['unknown kind', 'kind: linux', 'kind: ceos', /node "c" field kind: unknown kind "ceos"/],
    ['unknown field', 'kind: linux', 'kind: linux\n      addresses: []', /node "c" field addresses: unknown field/],
    ['router without config', '      startup-config: tor.conf\n', '', /node "tor" field startup-config: kind frr needs a startup-config/],
    ['config on a host', 'kind: linux', 'kind: linux\n      startup-config: x.conf', /node "c" field startup-config: kind linux runs no daemon/],
    ['link to unknown node', '"c:eth1", "tor:eth2"', '"d:eth1", "tor:eth2"', /link 2 \(d:eth1 - tor:eth2\): unknown node "d"/],
    ['interface used twice', '"c:eth1", "tor:eth2"', '"c:eth1", "tor:eth1"', /link 2 endpoint tor:eth1: interface used twice \(also in link 0\)/],
    ['one endpoint', '["c:eth1", "tor:eth2"]', '["c:eth1"]', /link 2 field endpoints: must list exactly two/],
    ['endpoint without iface', '"c:eth1", "tor:eth2"', '"c", "tor:eth2"', /link 2 field endpoints: "c" is not "node:iface"/],
    ['interface name too long', '"c:eth1", "tor:eth2"', '"c:eth1", "tor:averyverylongname"', /"averyverylongname" is not an interface name/],
    ['reserved interface', '"n1:eth1", "sw:eth2"', '"n1:mgmt0", "sw:eth2"', /"mgmt0" is used by the lab itself/],
    ['address without link', 'interfaces: { eth1: [198.18.1.2/24] }', 'interfaces: { eth1: [198.18.1.2/24], eth9: [198.18.9.1/24] }', /node "c" field interfaces.eth9: has addresses but no link/],
    ['bad address', '[198.18.1.2/24]', '[198.18.1.300/24]', /node "c" field interfaces.eth1: bad address "198.18.1.300\/24"/],
    ['address without length', '[198.18.1.2/24]', '[198.18.1.2]', /bad address "198.18.1.2": needs a prefix length/],
    ['address outside the lab', '[198.18.1.2/24]', '[10.0.0.2/24]', /bad address "10.0.0.2\/24": outside the lab ranges/],
    ['address in mgmt', '[198.18.1.2/24]', '[198.19.255.7/24]', /outside the lab ranges/],
    ['duplicate address', '[198.18.1.2/24]', '[198.18.0.1/24]', /address 198.18.0.1 is already used by node "tor" eth1/],
    ['addresses on a bridge', 'sw: { kind: bridge }', 'sw: { kind: bridge, interfaces: { eth1: [198.18.5.1/24] } }', /node "sw" field interfaces.eth1: a bridge has ports/],
    ['route outside the lab', '198.18.1.0/24 via 198.18.0.1', '10.0.0.0/8 via 198.18.0.1', /node "n1" field routes\[0\]: bad dst "10.0.0.0\/8": outside the lab/],
    ['route via outside', '198.18.1.0/24 via 198.18.0.1', '198.18.1.0/24 via 192.0.2.1', /routes\[0\]: bad address via "192.0.2.1"/],
    ['route text', '198.18.1.0/24 via 198.18.0.1', '198.18.1.0/24 through 198.18.0.1', /routes\[0\]: "198.18.1.0\/24 through 198.18.0.1" is not/],
    ['route family mismatch', '198.18.1.0/24 via 198.18.0.1', '2001:db8:9::/64 via 198.18.0.1', /via 198.18.0.1 is not the family of 2001:db8:9::\/64/],
    ['route host bits', '198.18.1.0/24 via 198.18.0.1', '198.18.1.5/24 via 198.18.0.1', /bad dst "198.18.1.5\/24": host bits set/],
    ['pod outside subnet', 'pod-a: 198.18.101.2', 'pod-a: 198.18.102.2', /node "n1" field pods.pod-a: bad address "198.18.102.2": not inside/],
    ['pod on the gateway', 'pod-a: 198.18.101.2', 'pod-a: 198.18.101.1', /the network address and the first host/],
    ['pod subnet not a network', '[198.18.101.0/24]', '[198.18.101.7/24]', /pod-subnets: bad subnet "198.18.101.7\/24"/],
    ['pods on a host', 'kind: linux', 'kind: linux\n      pods: { p: 198.18.5.2 }', /node "c" field pods: only for kind k8s-node/],
    ['mgmt address outside mgmt', 'kind: k8s-node', 'kind: k8s-node\n      mgmt-ipv4: 198.18.7.7', /field mgmt-ipv4: bad address "198.18.7.7": must be 198.19.255.2-254/],
    ['mgmt on the host address', 'kind: k8s-node', 'kind: k8s-node\n      mgmt-ipv4: 198.19.255.1', /must be 198.19.255.2-254/],
    ['sysctl outside net', 'kind: linux', 'kind: linux\n      sysctls: { kernel.pid_max: 1 }', /sysctls.kernel.pid_max: only net.\* sysctls/],
    ['forwarding not a boolean', 'kind: linux', 'kind: linux\n      forwarding: yes-please', /field forwarding: must be true or false/],
    ['exec not strings', 'kind: linux', 'kind: linux\n      exec: [1]', /field exec\[0\]: must be a string/],
    ['bad node name', '    c:\n', '    c_1:\n', /node "c_1": "c_1" is not a node name/],
  ])('%s is refused with a TopologyError naming where', (_case, from, to, message) => {
    const text = base.replace(from, to);
    expect(text).not.toBe(base);
    expect(() => parseTopology(text)).toThrow(TopologyError);
    expect(() => parseTopology(text)).toThrow(message);
  });

  test.each([null, 42, 'text', []])('a document that is %j is refused, not crashed on', (doc) => {
    expect(() => parseTopology(JSON.stringify(doc))).toThrow(/^lab\/parse: /);
  });
});
