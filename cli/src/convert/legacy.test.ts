import { parse } from 'yaml';
import { planAliases, type ConvertContext } from './common.js';
import { convertLegacy, legacyAliases, parseLegacyText } from './legacy.js';
import { Report } from './report.js';

function convert(configYaml: string) {
  const value: unknown = parse(configYaml);
  const report = new Report();
  const ctx: ConvertContext = { namespace: 'headland-system', aliases: planAliases(legacyAliases(value)), routerIDs: [], namespaces: new Set(), madeUpNames: new Set() };
  const objects = convertLegacy({ source: { where: 'cm.yaml', object: 'ConfigMap metallb-system/config' }, prefix: 'data.config', value, namespace: 'metallb-system' }, report, ctx);
  return {
    objects: objects.map((o) => ({ kind: o.object.kind, name: o.object.metadata.name, spec: o.object['spec'], from: o.field })),
    entries: report.entries.filter((e) => !/^written as/.test(e.message)).map((e) => `${e.level} ${e.field ?? ''}: ${e.message}`),
  };
}

describe('v0.12 peers', () => {
  test('every field maps to its BGPPeer field; the peer is named by its address', () => {
    const r = convert(`
peers:
- peer-address: 10.0.0.1
  peer-asn: 64501
  my-asn: 64500
  peer-port: 1179
  source-address: 10.0.0.2
  hold-time: 120s
  keepalive-time: 40s
  router-id: 1.2.3.4
  password: secret
  bfd-profile: fast
  ebgp-multihop: true
  node-selectors:
  - match-labels: {rack: frontend}
    match-expressions:
    - {key: network-speed, operator: NotIn, values: [slow]}
`);
    expect(r.objects).toEqual([
      {
        kind: 'BGPPeer',
        name: 'peer-10.0.0.1',
        from: 'data.config.peers[0]',
        spec: {
          myASN: 64500, peerASN: 64501, peerAddress: '10.0.0.1', peerPort: 1179, sourceAddress: '10.0.0.2', routerID: '1.2.3.4', holdTime: '120s', keepaliveTime: '40s',
          password: 'secret', ebgpMultiHop: true, bfdProfile: 'fast',
          nodeSelectors: [{ matchLabels: { rack: 'frontend' }, matchExpressions: [{ key: 'network-speed', operator: 'NotIn', values: ['slow'] }] }],
        },
      },
    ]);
    expect(r.entries).toEqual([]);
  });

  test.each([
    ['IPv4', ['10.0.0.1'], ['peer-10.0.0.1']],
    ['IPv6, colons become dashes and none is left at the end', ['fd00::1', '2001:db8::'], ['peer-fd00-1', 'peer-2001-db8']],
    ['one address twice (two node selectors)', ['10.0.0.1', '10.0.0.1'], ['peer-10.0.0.1', 'peer-10.0.0.1-2']],
  ])('names: %s', (_what, addresses, names) => {
    const r = convert(`peers:\n${addresses.map((a) => `- {peer-address: "${a}", peer-asn: 64501, my-asn: 64500}`).join('\n')}\n`);
    expect(r.objects.map((o) => o.name)).toEqual(names);
  });

  test.each([
    ['a hold time without unit is refused, as MetalLB does', 'hold-time: 120', {}, [/^error data.config.peers\[0\].hold-time: 120 has no unit; MetalLB reads hold-time as a duration such as "120s"/]],
    ['fractions of a second are truncated', 'hold-time: 90.5s', { holdTime: '90s' }, [/^changed data.config.peers\[0\].hold-time: 90.5s is not whole seconds/]],
    ['a CRD spelling is an unknown key, with a hint', 'bfdProfile: fast', {}, [/^error data.config.peers\[0\].bfdProfile: unknown field of a peers entry; did you mean bfd-profile\?/]],
    ['an unknown key in a selector', 'node-selectors: [{matchLabels: {a: b}}]', { nodeSelectors: [{}] }, [/^error data.config.peers\[0\].node-selectors\[0\].matchLabels: unknown field of a node-selectors entry; did you mean match-labels\?/]],
  ])('%s', (_what, extra, spec, entries) => {
    const r = convert(`peers:\n- {peer-address: 10.0.0.1, peer-asn: 64501, my-asn: 64500, ${extra}}\n`);
    expect(r.objects[0]?.spec).toEqual({ myASN: 64500, peerASN: 64501, peerAddress: '10.0.0.1', ...spec });
    expect(r.entries).toEqual(entries.map((e) => expect.stringMatching(e)));
  });
});

describe('v0.12 address pools: the protocol becomes an advertisement of the pool', () => {
  const names = (r: ReturnType<typeof convert>) => r.objects.map((o) => `${o.kind} ${o.name}`);

  test('layer2: a pool and an L2Advertisement of it', () => {
    const r = convert('address-pools:\n- {name: default, protocol: layer2, addresses: [192.168.1.240-192.168.1.250], auto-assign: false, avoid-buggy-ips: true}\n');
    expect(r.objects).toEqual([
      { kind: 'IPAddressPool', name: 'default', from: 'data.config.address-pools[0]', spec: { addresses: ['192.168.1.240-192.168.1.250'], autoAssign: false, avoidBuggyIPs: true } },
      { kind: 'L2Advertisement', name: 'default', from: 'data.config.address-pools[0]', spec: { ipAddressPools: ['default'] } },
    ]);
    expect(r.entries).toEqual([expect.stringMatching(/^note data.config.address-pools\[0\].protocol: layer2 is written as L2Advertisement headland-system\/default/)]);
  });

  test('bgp without bgp-advertisements: one advertisement with every default, as v0.12 did', () => {
    const r = convert('address-pools:\n- {name: p, protocol: bgp, addresses: [198.51.100.0/24]}\n');
    expect(r.objects.map((o) => [o.kind, o.name, o.spec])).toEqual([
      ['IPAddressPool', 'p', { addresses: ['198.51.100.0/24'] }],
      ['BGPAdvertisement', 'p', { ipAddressPools: ['p'] }],
    ]);
  });

  test('bgp with several bgp-advertisements: one BGPAdvertisement each, numbered', () => {
    const r = convert(`
address-pools:
- name: p
  protocol: bgp
  addresses: [198.51.100.0/24]
  bgp-advertisements:
  - {aggregation-length: 32, aggregation-length-v6: 128, localpref: 100, communities: [no-advertise, "64512:1"]}
  - {aggregation-length: 24, localpref: 0}
bgp-communities:
  no-advertise: 65535:65282
  vpn-only: 1234:1
`);
    expect(names(r)).toEqual(['Community bgp-communities', 'IPAddressPool p', 'BGPAdvertisement p-1', 'BGPAdvertisement p-2']);
    expect(r.objects[0]?.spec).toEqual({ communities: [{ name: 'vpn-only', value: '1234:1' }] });
    expect(r.objects[2]?.spec).toEqual({ ipAddressPools: ['p'], aggregationLength: 32, aggregationLengthV6: 128, localPref: 100, communities: ['no-advertise', '64512:1'] });
    expect(r.objects[3]?.spec).toEqual({ ipAddressPools: ['p'], aggregationLength: 24 });
    expect(r.entries).toEqual([
      expect.stringMatching(/^changed data.config.bgp-communities.no-advertise: alias "no-advertise" left out: .*the same value/),
      expect.stringMatching(/^note data.config.address-pools\[0\].bgp-advertisements\[1\].localpref: 0 means "not set"/),
      expect.stringMatching(/^note data.config.address-pools\[0\].protocol: bgp is written as BGPAdvertisement headland-system\/p-1, headland-system\/p-2/),
    ]);
  });

  test.each([
    ['no protocol: the pool alone, and an error', '{name: p, addresses: [192.0.2.0/24]}', ['IPAddressPool p'], [/^error data.config.address-pools\[0\].protocol: missing/]],
    ['an unknown protocol', '{name: p, protocol: ospf, addresses: [192.0.2.0/24]}', ['IPAddressPool p'], [/^error data.config.address-pools\[0\].protocol: "ospf" is not bgp or layer2/]],
    ['bgp-advertisements on a layer2 pool, which MetalLB refuses', '{name: p, protocol: layer2, addresses: [192.0.2.0/24], bgp-advertisements: [{localpref: 1}]}', ['IPAddressPool p', 'L2Advertisement p'], [/^error data.config.address-pools\[0\].bgp-advertisements: a layer2 pool cannot have bgp-advertisements/, /^note /]],
    ['no name: not converted', '{protocol: layer2, addresses: [192.0.2.0/24]}', [], [/^error data.config.address-pools\[0\].name: missing: MetalLB refuses an entry without a name; not converted/]],
    ['an old spelling', '{name: p, protocol: layer2, cidr: [192.0.2.0/24]}', ['IPAddressPool p', 'L2Advertisement p'], [/^note /, /^error data.config.address-pools\[0\].cidr: unknown field of an address-pools entry$/]],
    ['host bits and spaces in addresses, read as MetalLB does', '{name: p, protocol: layer2, addresses: ["198.51.100.10/24", "10.0.0.100 - 10.0.0.199"]}', ['IPAddressPool p', 'L2Advertisement p'], [/^changed data.config.address-pools\[0\].addresses\[0\]: 198.51.100.10\/24 has host bits set/, /^note /]],
  ])('%s', (_what, pool, objects, entries) => {
    const r = convert(`address-pools:\n- ${pool}\n`);
    expect(names(r)).toEqual(objects);
    expect(r.entries).toEqual(entries.map((e) => expect.stringMatching(e)));
  });
});

describe('v0.12 BFD profiles and the configuration as a whole', () => {
  test('bfd-profiles: the timers carry over, echo fields are dropped', () => {
    const r = convert('bfd-profiles:\n- {name: full1, receive-interval: 179, transmit-interval: 180, detect-multiplier: 4, echo-interval: 62, echo-mode: true, passive-mode: true, minimum-ttl: 254}\n');
    expect(r.objects).toEqual([{ kind: 'BFDProfile', name: 'full1', from: 'data.config.bfd-profiles[0]', spec: { receiveInterval: 179, transmitInterval: 180, detectMultiplier: 4, minimumTtl: 254, passiveMode: true } }]);
    expect(r.entries).toEqual([expect.stringMatching(/^dropped data.config.bfd-profiles\[0\].echo-mode: Headland's BFD has no echo mode/), expect.stringMatching(/^dropped data.config.bfd-profiles\[0\].echo-interval: /)]);
  });

  test.each([
    ['an unknown top-level key, with a hint', 'address_pools: []\n', [/^error data.config.address_pools: unknown field of the MetalLB v0.12 configuration; did you mean address-pools\?/]],
    ['a section of the wrong type', 'peers: {peer-address: 10.0.0.1}\n', [/^error data.config.peers: must be a list, not a mapping/]],
    ['an entry that is not a mapping', 'peers: [10.0.0.1]\n', [/^error data.config.peers\[0\]: must be a mapping, not a string/]],
    ['a configuration that is not a mapping', '[]\n', [/^error data.config: must be a mapping, not a list/]],
  ])('%s', (_what, yaml, entries) => {
    const r = convert(yaml);
    expect(r.objects).toEqual([]);
    expect(r.entries).toEqual(entries.map((e) => expect.stringMatching(e)));
  });

  test('YAML errors in data.config are named on the field', () => {
    const report = new Report();
    expect(parseLegacyText('peers: [\n', report.about({ where: 'cm.yaml', object: 'ConfigMap c' }, 'data.config'))).toBeUndefined();
    expect(report.entries[0]).toMatchObject({ level: 'error', field: 'data.config', message: expect.stringMatching(/^YAML: /) });
  });
});
