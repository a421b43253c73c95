import { planAliases, type AliasPlan, type ConvertContext } from './common.js';
import { Report } from './report.js';
import { convertResource, type MetalLBKind } from './v1beta.js';

const NO_ALIASES = planAliases([]);

function convert(kind: MetalLBKind, version: string, spec: unknown, object: Record<string, unknown> = {}, aliases: AliasPlan = NO_ALIASES) {
  const report = new Report();
  const ctx: ConvertContext = { namespace: 'headland-system', aliases, routerIDs: [], namespaces: new Set(), madeUpNames: new Set() };
  const input = { apiVersion: `metallb.io/${version}`, kind, metadata: { name: 'x', namespace: 'metallb-system' }, ...(spec === undefined ? {} : { spec }), ...object };
  const converted = convertResource(input, version, kind, 'f.yaml', report, ctx);
  return { converted, spec: converted?.object['spec'], entries: report.entries.map((e) => `${e.level} ${e.field ?? ''}: ${e.message}`), ctx };
}

type Row = [what: string, kind: MetalLBKind, version: string, spec: Record<string, unknown>, expected: Record<string, unknown>, entries: RegExp[]];

const selector = { matchLabels: { rack: 'r1' }, matchExpressions: [{ key: 'k', operator: 'In', values: ['a'] }] };

const rows: Row[] = [
  // IPAddressPool
  ['a pool carries over by field name', 'IPAddressPool', 'v1beta1',
    { addresses: ['192.0.2.0/24', '2001:db8::/120'], autoAssign: false, avoidBuggyIPs: true, serviceAllocation: { priority: 5, namespaces: ['a'], namespaceSelectors: [selector], serviceSelectors: [selector] } },
    { addresses: ['192.0.2.0/24', '2001:db8::/120'], autoAssign: false, avoidBuggyIPs: true, serviceAllocation: { priority: 5, namespaces: ['a'], namespaceSelectors: [selector], serviceSelectors: [selector] } },
    []],
  ['priority 0 is "no priority" in MetalLB, the first in Headland: left out', 'IPAddressPool', 'v1beta1',
    { addresses: ['192.0.2.0/24'], serviceAllocation: { priority: 0, namespaces: ['a'] } },
    { addresses: ['192.0.2.0/24'], serviceAllocation: { namespaces: ['a'] } },
    [/^changed spec.serviceAllocation.priority: 0 means "no priority" in MetalLB/]],
  ['a misspelt field is an error with a hint', 'IPAddressPool', 'v1beta1',
    { addresses: ['192.0.2.0/24'], autoassign: false },
    { addresses: ['192.0.2.0/24'] },
    [/^error spec.autoassign: unknown field of metallb.io\/v1beta1 IPAddressPool; did you mean autoAssign\?/]],
  // BGPAdvertisement
  ['an advertisement carries over by field name', 'BGPAdvertisement', 'v1beta1',
    { ipAddressPools: ['p'], ipAddressPoolSelectors: [selector], serviceSelectors: [selector], nodeSelectors: [selector], peers: ['r1'], aggregationLength: 24, aggregationLengthV6: 64, localPref: 50, communities: ['65000:1', 'large:1:2:3', 'vpn-only'] },
    { ipAddressPools: ['p'], ipAddressPoolSelectors: [selector], serviceSelectors: [selector], nodeSelectors: [selector], peers: ['r1'], aggregationLength: 24, aggregationLengthV6: 64, localPref: 50, communities: ['65000:1', 'large:1:2:3', 'vpn-only'] },
    []],
  ['localPref 0 is "not set" in MetalLB: left out', 'BGPAdvertisement', 'v1beta1',
    { ipAddressPools: ['p'], localPref: 0 },
    { ipAddressPools: ['p'] },
    [/^note spec.localPref: 0 means "not set"/]],
  // L2Advertisement
  ['an L2 advertisement: interfaces change meaning, node selectors are noted, preferences dropped', 'L2Advertisement', 'v1beta1',
    { ipAddressPools: ['p'], serviceSelectors: [selector], nodeSelectors: [selector], interfaces: ['eth0'], preferredNodeSelectors: [{ weight: 100, preference: selector }] },
    { ipAddressPools: ['p'], serviceSelectors: [selector], nodeSelectors: [selector], interfaces: ['eth0'] },
    [/^changed spec.interfaces: Headland elects only among nodes/, /^note spec.nodeSelectors: carried over with the same meaning/, /^dropped spec.preferredNodeSelectors: /]],
  // BGPPeer v1beta1
  ['a v1beta1 peer carries over by field name', 'BGPPeer', 'v1beta1',
    { myASN: 64512, peerASN: 64500, peerAddress: '192.0.2.1', sourceAddress: '192.0.2.2', peerPort: 1179, holdTime: '90s', keepaliveTime: '30s', routerID: '10.0.0.1', nodeSelectors: [selector], password: 'pw', bfdProfile: 'fast', ebgpMultiHop: true },
    { myASN: 64512, peerASN: 64500, peerAddress: '192.0.2.1', sourceAddress: '192.0.2.2', peerPort: 1179, holdTime: '90s', keepaliveTime: '30s', routerID: '10.0.0.1', nodeSelectors: [selector], password: 'pw', bfdProfile: 'fast', ebgpMultiHop: true },
    []],
  ['v1beta1 has no vrf: an unknown field, as the API server would prune it', 'BGPPeer', 'v1beta1',
    { myASN: 64512, peerASN: 64500, peerAddress: '192.0.2.1', vrf: 'red' },
    { myASN: 64512, peerASN: 64500, peerAddress: '192.0.2.1' },
    [/^error spec.vrf: unknown field of metallb.io\/v1beta1 BGPPeer/]],
  ['zero values are MetalLB\'s "unset": port 0, empty strings', 'BGPPeer', 'v1beta1',
    { myASN: 64512, peerASN: 64500, peerAddress: '192.0.2.1', peerPort: 0, password: '', routerID: '', sourceAddress: '' },
    { myASN: 64512, peerASN: 64500, peerAddress: '192.0.2.1' },
    [/^note spec.peerPort: 0 means the default port 179/]],
  ['ebgpMultiHop on an iBGP peer, which MetalLB refuses', 'BGPPeer', 'v1beta1',
    { myASN: 64512, peerASN: 64512, peerAddress: '192.0.2.1', ebgpMultiHop: true },
    { myASN: 64512, peerASN: 64512, peerAddress: '192.0.2.1', ebgpMultiHop: true },
    [/^changed spec.ebgpMultiHop: MetalLB refuses ebgpMultiHop on an iBGP peer/]],
  // BGPPeer v1beta2
  ['v1beta2 fields with a Headland equivalent carry over', 'BGPPeer', 'v1beta2',
    { myASN: 64512, dynamicASN: 'external', peerAddress: '192.0.2.1', connectTime: '5s', enableGracefulRestart: false, disableMP: false, dualStackAddressFamily: false },
    { myASN: 64512, dynamicASN: 'external', peerAddress: '192.0.2.1', connectTime: '5s', enableGracefulRestart: false },
    []],
  ['localASN is what the peer sees: it becomes myASN', 'BGPPeer', 'v1beta2',
    { myASN: 64512, localASN: 65410, peerASN: 64520, peerAddress: '172.30.0.3' },
    { myASN: 65410, peerASN: 64520, peerAddress: '172.30.0.3' },
    [/^changed spec.localASN: the peer sees AS 65410.*myASN is 65410 \(MetalLB's router-wide myASN 64512/]],
  ['a password Secret keeps its name and moves to Headland\'s namespace', 'BGPPeer', 'v1beta2',
    { myASN: 64512, peerASN: 64500, peerAddress: '192.0.2.1', passwordSecret: { name: 'bgp-auth', namespace: 'metallb-system' } },
    { myASN: 64512, peerASN: 64500, peerAddress: '192.0.2.1', passwordSecret: { name: 'bgp-auth' } },
    [/^changed spec.passwordSecret: Headland reads the password from Secret headland-system\/bgp-auth .*MetalLB read metallb-system\/bgp-auth \(type kubernetes.io\/basic-auth\)/]],
  ['an empty passwordSecret is "unset" (what MetalLB\'s generator writes)', 'BGPPeer', 'v1beta2',
    { myASN: 64512, peerASN: 64500, peerAddress: '192.0.2.1', passwordSecret: {} },
    { myASN: 64512, peerASN: 64500, peerAddress: '192.0.2.1' },
    []],
  ['vrf, disableMP and dualStackAddressFamily', 'BGPPeer', 'v1beta2',
    { myASN: 64512, peerASN: 64500, peerAddress: '192.0.2.1', vrf: 'red', disableMP: true, dualStackAddressFamily: true },
    { myASN: 64512, peerASN: 64500, peerAddress: '192.0.2.1' },
    [/^dropped spec.vrf: Headland opens BGP sessions in the node's default VRF only/, /^changed spec.disableMP: /, /^note spec.dualStackAddressFamily: Headland does this by default/]],
  ['graceful restart', 'BGPPeer', 'v1beta2',
    { myASN: 64512, peerASN: 64500, peerAddress: '192.0.2.1', enableGracefulRestart: true },
    { myASN: 64512, peerASN: 64500, peerAddress: '192.0.2.1', enableGracefulRestart: true },
    [/^note spec.enableGracefulRestart: carried over: Headland negotiates graceful restart \(RFC 4724\)/]],
  // BFDProfile
  ['a BFD profile; echo fields are dropped', 'BFDProfile', 'v1beta1',
    { receiveInterval: 380, transmitInterval: 270, detectMultiplier: 5, minimumTtl: 250, passiveMode: true, echoInterval: 50, echoMode: true },
    { receiveInterval: 380, transmitInterval: 270, detectMultiplier: 5, minimumTtl: 250, passiveMode: true },
    [/^dropped spec.echoMode: Headland's BFD has no echo mode/, /^dropped spec.echoInterval: /]],
  // Community
  ['community aliases', 'Community', 'v1beta1',
    { communities: [{ name: 'vpn-only', value: '1234:1' }, { name: 'NO_ADVERTISE', value: '65535:65282' }] },
    { communities: [{ name: 'vpn-only', value: '1234:1' }, { name: 'NO_ADVERTISE', value: '65535:65282' }] },
    []],
];

describe('convertResource', () => {
  test.each(rows)('%s', (_what, kind, version, spec, expected, entries) => {
    const r = convert(kind, version, spec);
    expect(r.spec).toEqual(expected);
    expect(r.entries).toEqual(entries.map((e) => expect.stringMatching(e)));
    expect(r.converted?.object).toMatchObject({ apiVersion: 'headland.io/v1beta1', kind, metadata: { name: 'x', namespace: 'headland-system' } });
  });

  test('an alias Headland reads as a value is left out of the Community, and references take its value', () => {
    const aliases = planAliases([{ name: 'no-export', value: '65000:1' }, { name: 'vpn-only', value: '1234:1' }]);
    const community = convert('Community', 'v1beta1', { communities: [{ name: 'no-export', value: '65000:1' }, { name: 'vpn-only', value: '1234:1' }] }, {}, aliases);
    expect(community.spec).toEqual({ communities: [{ name: 'vpn-only', value: '1234:1' }] });
    expect(community.entries).toEqual([expect.stringMatching(/^changed spec.communities\[0\].name: alias "no-export" left out: Headland reads "no-export" as the well-known community 65535:65281; references to it are written as 65000:1/)]);
    const adv = convert('BGPAdvertisement', 'v1beta1', { communities: ['no-export', 'vpn-only'] }, {}, aliases);
    expect(adv.spec).toEqual({ communities: ['65000:1', 'vpn-only'] });
  });

  test('unnumbered BGP (spec.interface) cannot be converted: an error, and no peer', () => {
    const r = convert('BGPPeer', 'v1beta2', { myASN: 64512, peerASN: 64500, interface: 'eth1' });
    expect(r.converted).toBeUndefined();
    expect(r.entries).toEqual([expect.stringMatching(/^error spec.interface: unnumbered BGP over interface "eth1" has no Headland equivalent/)]);
  });

  test('labels are kept (pool selectors match them); annotations are not, and said so', () => {
    const r = convert('IPAddressPool', 'v1beta1', { addresses: ['192.0.2.0/24'] }, {
      metadata: { name: 'x', namespace: 'metallb-system', labels: { tier: 'web' }, annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}', 'meta.helm.sh/release-name': 'metallb' }, uid: 'u', resourceVersion: '7', creationTimestamp: null },
      status: { assignedIPv4: 3 },
    });
    expect(r.converted?.object.metadata).toEqual({ name: 'x', namespace: 'headland-system', labels: { tier: 'web' } });
    expect(r.entries).toEqual(['note metadata.annotations: not carried over: meta.helm.sh/release-name']);
  });

  test('an object without spec gets an empty one (MetalLB\'s documented L2Advertisement has none)', () => {
    expect(convert('L2Advertisement', 'v1beta1', undefined).spec).toEqual({});
  });

  test.each([
    ['no name', { metadata: { namespace: 'metallb-system' } }, /^error metadata.name: missing/],
    ['a spec that is not a mapping', { spec: ['a'] }, /^error spec: must be a mapping, not a list/],
    ['metadata that is not a mapping', { metadata: 'x' }, /^error metadata.name: missing/],
  ])('%s: an error, and no object', (_what, object, entry) => {
    const r = convert('IPAddressPool', 'v1beta1', undefined, object);
    expect(r.converted).toBeUndefined();
    expect(r.entries).toContainEqual(expect.stringMatching(entry));
  });

  test('an unknown top-level field is an error; the object is still converted', () => {
    const r = convert('IPAddressPool', 'v1beta1', { addresses: ['192.0.2.0/24'] }, { specs: {} });
    expect(r.spec).toEqual({ addresses: ['192.0.2.0/24'] });
    expect(r.entries).toEqual([expect.stringMatching(/^error specs: unknown field of a Kubernetes object$/)]);
  });

  test('peers record their routerID for the check across peers', () => {
    const r = convert('BGPPeer', 'v1beta2', { myASN: 64512, peerASN: 64500, peerAddress: '192.0.2.1', routerID: '10.0.0.1' });
    expect(r.ctx.routerIDs.map((p) => p.routerID)).toEqual(['10.0.0.1']);
    expect([...r.ctx.namespaces]).toEqual(['metallb-system']);
  });
});
