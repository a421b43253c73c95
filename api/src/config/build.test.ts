import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { formatIP } from '../ip/address.js';
import { formatRange } from '../ip/range.js';
import { matchesAny } from '../selector.js';
import { buildConfig } from './build.js';
import { formatIssue, SEVERITY } from './issues.js';
import { snapshotFromObjects } from './snapshot.js';

const fromYaml = (text: string) => snapshotFromObjects(parseAllDocuments(text).map((d) => d.toJS() as unknown));

// What a BGP set-up in the lab looks like: a dual-stack pool, a router with an MD5 password
// from a Secret and a BFD profile, community aliases, and an advertisement of the pool.
const REALISTIC = `
apiVersion: headland.io/v1beta1
kind: IPAddressPool
metadata: { name: bgp-pool, namespace: headland-system, labels: { announce: bgp } }
spec:
  addresses: [203.0.113.0/25, 2001:db8:1::/120]
  avoidBuggyIPs: true
  serviceAllocation: { priority: 10, namespaces: [web] }
---
apiVersion: headland.io/v1beta1
kind: BFDProfile
metadata: { name: fast }
spec: { receiveInterval: 100, transmitInterval: 100 }
---
apiVersion: headland.io/v1beta1
kind: BGPPeer
metadata: { name: tor-router, namespace: headland-system }
spec:
  myASN: 64512
  peerASN: 64500
  peerAddress: 198.18.0.1
  sourceAddress: 198.18.0.10
  holdTime: 1m30s
  passwordSecret: { name: tor-md5 }
  bfdProfile: fast
  nodeSelectors: [{ matchLabels: { rack: r1 } }]
---
apiVersion: v1
kind: Secret
metadata: { name: tor-md5, namespace: headland-system }
data: { password: czNjcjN0 }
---
apiVersion: headland.io/v1beta1
kind: Community
metadata: { name: lab-communities }
spec:
  communities: [{ name: no-export-upstream, value: "65535:65281" }]
---
apiVersion: headland.io/v1beta1
kind: BGPAdvertisement
metadata: { name: bgp-pool-weighted, namespace: headland-system }
spec:
  ipAddressPoolSelectors: [{ matchLabels: { announce: bgp } }]
  peers: [tor-router]
  aggregationLengthV6: 120
  communities: ["64512:100", "large:64512:1:2", no-export-upstream]
---
apiVersion: v1
kind: ConfigMap
metadata: { name: unrelated }
`;

test('a realistic snapshot builds the whole model', () => {
  const { snapshot, others } = fromYaml(REALISTIC);
  expect(others).toHaveLength(1);
  const config = buildConfig(snapshot);
  expect(config.issues.map(formatIssue)).toEqual([]);
  expect(config.rejected).toEqual([]);

  expect([...config.pools.keys()]).toEqual(['bgp-pool']);
  const pool = config.pools.get('bgp-pool');
  expect(pool?.ref).toEqual({ kind: 'IPAddressPool', namespace: 'headland-system', name: 'bgp-pool' });
  expect(pool?.addresses.ranges(4).map(formatRange)).toEqual(['203.0.113.0/25']);
  expect(pool?.addresses.ranges(6).map(formatRange)).toEqual(['2001:db8:1::/120']);
  expect(pool?.addresses.size()).toBe(384n);
  expect(pool).toMatchObject({ entries: ['203.0.113.0/25', '2001:db8:1::/120'], autoAssign: true, avoidBuggyIPs: true, labels: { announce: 'bgp' } });
  expect(pool?.allocation).toEqual({ priority: 10, namespaces: new Set(['web']), namespaceSelectors: [], serviceSelectors: [] });

  expect([...config.peers.keys()]).toEqual(['tor-router']);
  const peer = config.peers.get('tor-router');
  expect(peer).toMatchObject({
    myASN: 64512,
    peerASN: 64500,
    dynamicASN: undefined,
    port: 179,
    routerID: undefined,
    holdTime: 90,
    keepaliveTime: 30,
    connectTime: 10,
    password: 's3cr3t',
    ebgpMultiHop: false,
    ttlSecurity: false,
    passive: false,
    bfdProfile: 'fast',
    gracefulRestart: false,
  });
  expect(formatIP(peer!.address)).toBe('198.18.0.1');
  expect(formatIP(peer!.sourceAddress!)).toBe('198.18.0.10');
  expect(matchesAny(peer!.nodeSelectors, { rack: 'r1' })).toBe(true);
  expect(matchesAny(peer!.nodeSelectors, { rack: 'r2' })).toBe(false);

  expect(config.bgpAdvertisements).toHaveLength(1);
  expect(config.bgpAdvertisements[0]).toEqual({
    ref: { kind: 'BGPAdvertisement', namespace: 'headland-system', name: 'bgp-pool-weighted' },
    pools: ['bgp-pool'],
    serviceSelectors: [],
    nodeSelectors: [],
    peers: ['tor-router'],
    aggregationLength: 32,
    aggregationLengthV6: 120,
    localPref: undefined,
    communities: [
      { type: 'standard', asn: 64512, value: 100 },
      { type: 'large', global: 64512, local1: 1, local2: 2 },
      { type: 'standard', asn: 65535, value: 65281 },
    ],
    weighting: 'LocalEndpoints',
    dataPlaneCheck: 'KubeProxy',
  });
  expect(config.l2Advertisements).toEqual([]);
  expect(config.bfdProfiles.get('fast')).toMatchObject({ receiveInterval: 100, transmitInterval: 100, detectMultiplier: 3, minimumTtl: 254, passiveMode: false });
  expect(Object.fromEntries(config.communities)).toEqual({ 'no-export-upstream': { type: 'standard', asn: 65535, value: 65281 } });
});

test('an invalid object of each kind beside the realistic set takes nothing else down', () => {
  const broken = `${REALISTIC}
---
apiVersion: headland.io/v1beta1
kind: IPAddressPool
metadata: { name: broken-pool }
spec: { addresses: [203.0.113.64/26] }
---
apiVersion: headland.io/v1beta1
kind: BGPPeer
metadata: { name: broken-peer }
spec: { myASN: 64512, peerASN: 64500, peerAddress: 198.18.0.2, holdTime: 2s }
---
apiVersion: headland.io/v1beta1
kind: BGPAdvertisement
metadata: { name: broken-adv }
spec: { ipAddressPools: [bgp-pool], aggregationLength: 8 }
---
apiVersion: headland.io/v1beta1
kind: L2Advertisement
metadata: { name: broken-l2 }
spec: { interfaces: [this-name-is-too-long] }
---
apiVersion: headland.io/v1beta1
kind: BFDProfile
metadata: { name: broken-bfd }
spec: { detectMultiplier: 1 }
---
apiVersion: headland.io/v1beta1
kind: Community
metadata: { name: broken-community }
spec: { communities: [{ name: x, value: "1:2:3:4" }] }
`;
  const config = buildConfig(fromYaml(broken).snapshot);
  expect(config.rejected.map((r) => `${r.ref.kind} ${r.ref.name}`).sort()).toEqual([
    'BFDProfile broken-bfd',
    'BGPAdvertisement broken-adv',
    'BGPPeer broken-peer',
    'Community broken-community',
    'IPAddressPool broken-pool',
    'L2Advertisement broken-l2',
  ]);
  expect(config.issues.every((i) => i.severity === SEVERITY.Invalid && i.ref.name.startsWith('broken-'))).toBe(true);
  expect([...config.pools.keys()]).toEqual(['bgp-pool']);
  expect([...config.peers.keys()]).toEqual(['tor-router']);
  expect(config.bgpAdvertisements.map((a) => a.ref.name)).toEqual(['bgp-pool-weighted']);
  expect(config.issues.map(formatIssue)).toContainEqual('IPAddressPool headland-system/broken-pool: spec.addresses[0]: 203.0.113.64/26 overlaps IPAddressPool headland-system/bgp-pool at 203.0.113.64/26');
});

test('stringData of a Secret is read as it is, and wins over data', () => {
  const { snapshot } = fromYaml('apiVersion: v1\nkind: Secret\nmetadata: { name: s }\ndata: { password: YQ== , other: Yg== }\nstringData: { password: plain }\n');
  expect(snapshot.secrets).toEqual([{ namespace: 'headland-system', name: 's', data: { password: 'plain', other: 'b' } }]);
});

// The shipped examples must build without a single issue: they are what users copy.
const examples = join(dirname(fileURLToPath(import.meta.url)), '../../../manifests/examples');
const exampleFiles = readdirSync(examples).filter((f) => f.endsWith('.yaml'));
test.each(exampleFiles)('manifests/examples/%s builds cleanly', (file) => {
  const config = buildConfig(fromYaml(readFileSync(join(examples, file), 'utf8')).snapshot);
  expect(config.issues.map(formatIssue)).toEqual([]);
  expect(config.pools.size).toBeGreaterThan(0);
});
