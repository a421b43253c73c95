// MetalLB's documented examples (cli/testdata/metallb/, each file citing its page) through
// `headland convert`, and its output through the validation `headland validate` runs.
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { convertFiles, type ConvertFilesResult } from '../commands/convert.js';
import { validateFiles } from '../commands/validate.js';
import type { Level, ReportEntry } from './types.js';

const dir = new URL('../../testdata/metallb/', import.meta.url).pathname;

function convert(...files: string[]): ConvertFilesResult & { report: ReportEntry[] } {
  const texts = new Map(files.map((f) => [f, readFileSync(dir + f, 'utf8')]));
  const yaml = convertFiles(texts, { output: 'yaml', namespace: 'headland-system' });
  const json = convertFiles(texts, { output: 'json', namespace: 'headland-system' });
  return { ...yaml, report: (JSON.parse(json.stdout) as { report: ReportEntry[] }).report };
}

/** "KIND name" of each object written. */
function written(stdout: string): string[] {
  return parseAllDocuments(stdout).map((d) => {
    const o = d.toJS() as { kind: string; metadata: { name: string; namespace: string } };
    expect(o.metadata.namespace).toBe('headland-system');
    return `${o.kind} ${o.metadata.name}`;
  });
}

/** The converted YAML judged as `headland validate -f converted.yaml [--allow-missing]` would. */
function validated(stdout: string, allowMissing: boolean) {
  return validateFiles(new Map([['converted.yaml', stdout]]), allowMissing);
}

type Expected = [level: Level, field: string, message: RegExp];

interface DocCase {
  readonly files: string[];
  readonly written: string[];
  /** The report entries that must be there (others are general notes or "written as"). */
  readonly entries?: Expected[];
  /** The output refers to pools or peers the page defines elsewhere: validate with --allow-missing. */
  readonly allowMissing?: boolean;
  /** Exit code of headland convert; 0 unless said. */
  readonly exitCode?: 0 | 1;
}

const cases: Record<string, DocCase> = {
  'an IPv4 CIDR, a range and an IPv6 CIDR carry over unchanged': {
    files: ['configuration-pool.yaml'],
    written: ['IPAddressPool first-pool'],
  },
  'layer 2: an L2Advertisement without spec answers for every pool': {
    files: ['configuration-layer2.yaml'],
    written: ['IPAddressPool first-pool', 'L2Advertisement example'],
  },
  'layer 2: an L2Advertisement naming its pool': {
    files: ['configuration-layer2-pools.yaml'],
    written: ['IPAddressPool first-pool', 'L2Advertisement example'],
  },
  'BGP: a v1beta2 peer, a pool and an advertisement naming it': {
    files: ['configuration-bgp.yaml'],
    written: ['BGPPeer sample', 'IPAddressPool first-pool', 'BGPAdvertisement example'],
  },
  'BGP: a BGPAdvertisement without spec announces every pool': {
    files: ['configuration-bgp-all-pools.yaml'],
    written: ['IPAddressPool first-pool', 'BGPAdvertisement example'],
  },
  'BFD: a profile and the peer naming it': {
    files: ['configuration-bfd.yaml'],
    written: ['BFDProfile testbfdprofile', 'BGPPeer peersample'],
  },
  'peers limited to nodes, and an advertisement from some nodes': {
    files: ['advanced-bgp-node-selectors.yaml'],
    written: ['BGPPeer example', 'BGPAdvertisement example'],
    allowMissing: true,
  },
  'an advertisement to some peers keeps the peer names': {
    files: ['advanced-bgp-peers-subset.yaml'],
    written: ['BGPAdvertisement example'],
    entries: [['missing', '', /spec.peers\[0\]: BGPPeer "PeerA" does not exist/]],
    allowMissing: true,
  },
  'a source address': {
    files: ['advanced-bgp-source-address.yaml'],
    written: ['BGPPeer example'],
  },
  'community aliases stay aliases': {
    files: ['advanced-bgp-communities.yaml'],
    written: ['Community communities', 'BGPAdvertisement local'],
    allowMissing: true,
  },
  'a VRF is dropped and said so': {
    files: ['advanced-bgp-vrf.yaml'],
    written: ['BGPPeer example'],
    entries: [['dropped', 'spec.vrf', /default VRF only; a peer reachable only through VRF "red"/]],
  },
  'an FRRConfiguration is an error; the BGPPeer beside it is still converted': {
    files: ['advanced-bgp-frr-k8s.yaml'],
    written: ['BGPPeer peer'],
    entries: [['error', '', /FRRConfiguration is FRR-K8s configuration, which has no Headland equivalent/]],
    exitCode: 1,
  },
  'graceful restart carries over under the same name': {
    files: ['advanced-bgp-graceful-restart.yaml'],
    written: ['BGPPeer example'],
    entries: [['note', 'spec.enableGracefulRestart', /RFC 4724/]],
  },
  'localASN becomes the peer\'s myASN': {
    files: ['advanced-bgp-local-asn.yaml'],
    written: ['BGPPeer example'],
    entries: [['changed', 'spec.localASN', /myASN is 65410/]],
  },
  'L2 node selectors carry over': {
    files: ['advanced-l2-node-selectors.yaml'],
    written: ['L2Advertisement example'],
    entries: [['note', 'spec.nodeSelectors', /same meaning/]],
    allowMissing: true,
  },
  'L2 preferred node selectors are dropped': {
    files: ['advanced-l2-preferred.yaml'],
    written: ['L2Advertisement prefer-edge', 'L2Advertisement tiered-zones'],
    entries: [['dropped', 'spec.preferredNodeSelectors', /no soft node preference/]],
    allowMissing: true,
  },
  'L2 interfaces change meaning: they decide the election in Headland': {
    files: ['advanced-l2-interfaces.yaml'],
    written: ['L2Advertisement example'],
    entries: [['changed', 'spec.interfaces', /elects only among nodes that have one of these interfaces/]],
    allowMissing: true,
  },
  'L2 interfaces of two advertisements': {
    files: ['advanced-l2-interfaces-union.yaml'],
    written: ['L2Advertisement example-advertisement9', 'L2Advertisement example-advertisement10'],
    allowMissing: true,
  },
  'L2 service selectors': {
    files: ['advanced-l2-service-selectors.yaml'],
    written: ['L2Advertisement frontend-services', 'L2Advertisement backend-services'],
    allowMissing: true,
  },
  'auto-assign off': {
    files: ['advanced-ipaddresspool-auto-assign.yaml'],
    written: ['IPAddressPool cheap', 'IPAddressPool expensive'],
  },
  'service allocation with a priority': {
    files: ['advanced-ipaddresspool-allocation.yaml'],
    written: ['IPAddressPool ippool-ns-service-alloc-sample'],
  },
  'the migration page\'s ConfigMap': {
    files: ['migration-configmap.yaml'],
    written: ['BGPPeer peer-10.96.0.100', 'IPAddressPool my-ip-space', 'BGPAdvertisement my-ip-space'],
    entries: [['note', 'data.config.address-pools[0].protocol', /bgp is written as BGPAdvertisement headland-system\/my-ip-space/]],
  },
  'what MetalLB\'s generator wrote for it: keepaliveTime 0s and passwordSecret {} are "unset"': {
    files: ['migration-generated.yaml'],
    written: ['BGPPeer peer1', 'IPAddressPool my-ip-space', 'BGPAdvertisement bgpadvertisement1'],
    entries: [['changed', 'spec.keepaliveTime', /0s left out/]],
  },
  'v0.12: a layer2 pool becomes a pool and an L2Advertisement': {
    files: ['v0.12-layer2.yaml'],
    written: ['IPAddressPool default', 'L2Advertisement default'],
    entries: [['note', 'data.config.address-pools[0].protocol', /layer2 is written as L2Advertisement/]],
  },
  'v0.12: the MetalLB Operator\'s AddressPool is refused by name': {
    files: ['v0.12-operator-addresspool.yaml'],
    written: [],
    entries: [['error', '', /AddressPool \(metallb.io\/v1beta1\) is MetalLB's deprecated pool kind/]],
    exitCode: 1,
  },
  'v0.12: a BGP peer and pool': {
    files: ['v0.12-bgp.yaml'],
    written: ['BGPPeer peer-10.0.0.1', 'IPAddressPool default', 'BGPAdvertisement default'],
  },
  'v0.12: the MetalLB Operator\'s v1beta1 BGPPeer': {
    files: ['v0.12-operator-bgppeer.yaml'],
    written: ['BGPPeer peer-sample1'],
  },
  'v0.12: BFD profiles, as data.config holds them; echo fields are dropped': {
    files: ['v0.12-bfd.yaml'],
    written: ['BFDProfile full1', 'BGPPeer peer-172.18.0.7'],
    entries: [
      ['dropped', 'bfd-profiles[0].echo-mode', /never uses echo mode/],
      ['dropped', 'bfd-profiles[0].echo-interval', /no echo interval/],
    ],
  },
  'v0.12: node selectors': {
    files: ['v0.12-node-selectors.yaml'],
    written: ['BGPPeer peer-10.0.0.1'],
  },
  'v0.12: source address': {
    files: ['v0.12-source-address.yaml'],
    written: ['BGPPeer peer-10.0.0.1'],
  },
  'v0.12: auto-assign': {
    files: ['v0.12-auto-assign.yaml'],
    written: ['IPAddressPool cheap', 'BGPAdvertisement cheap', 'IPAddressPool expensive', 'BGPAdvertisement expensive'],
  },
  'v0.12: the annotated example config: a misspelt key is an error, the rest converts': {
    files: ['v0.12-example-config.yaml'],
    written: ['BFDProfile bfdprofilename', 'BGPPeer peer-10.0.0.1', 'IPAddressPool my-ip-space', 'BGPAdvertisement my-ip-space'],
    entries: [
      ['error', 'data.config.peers[0].bfdProfile', /unknown field of a peers entry; did you mean bfd-profile\?/],
      ['changed', 'data.config.peers[0].ebgp-multihop', /MetalLB refuses ebgpMultiHop on an iBGP peer/],
      ['changed', 'data.config.bgp-communities.no-export', /the well-known community 65535:65281, the same value/],
    ],
    exitCode: 1,
  },
};

describe('MetalLB documentation examples', () => {
  test.each(Object.entries(cases))('%s', (_name, c) => {
    const r = convert(...c.files);
    expect(written(r.stdout)).toEqual(c.written);
    expect(r.exitCode).toBe(c.exitCode ?? 0);
    for (const [level, field, message] of c.entries ?? []) {
      expect(r.report).toContainEqual(expect.objectContaining({ level, ...(field === '' ? {} : { field }), message: expect.stringMatching(message) }));
    }
    // Nothing Headland's validation rejects, and no other failures than those expected.
    expect(r.report.filter((e) => e.level === 'invalid')).toEqual([]);
    const v = validated(r.stdout, c.allowMissing === true);
    expect(v.lines.at(-1)).toMatch(/^valid: /);
    expect(v.exitCode).toBe(0);
  });

  test('the ConfigMap and what MetalLB\'s generator made of it convert to the same specs', () => {
    const specs = (file: string) => {
      const docs = parseAllDocuments(convert(file).stdout).map((d) => d.toJS() as { kind: string; spec: Record<string, unknown> });
      return Object.fromEntries(docs.map((d) => [d.kind, d.spec]));
    };
    const fromConfigMap = specs('migration-configmap.yaml');
    const fromGenerated = specs('migration-generated.yaml');
    // The generator spelt out the default hold time; both mean 90s.
    expect(fromGenerated['BGPPeer']).toEqual({ ...fromConfigMap['BGPPeer'], holdTime: '1m30s' });
    expect(fromGenerated['IPAddressPool']).toEqual(fromConfigMap['IPAddressPool']);
    expect(fromGenerated['BGPAdvertisement']).toEqual(fromConfigMap['BGPAdvertisement']);
  });

  // Known gap, in api/ rather than here: buildConfig refuses two advertisements of one pool with
  // different localPref even when their aggregation lengths differ (so they announce different
  // prefixes) or their serviceSelectors differ, both of which MetalLB allows. The conversion is
  // right; Headland's validation names the second advertisement, so the command exits 1.
  test.each([
    ['advanced-bgp-aggregation.yaml', ['IPAddressPool first-pool', 'BGPAdvertisement local', 'BGPAdvertisement external']],
    ['v0.12-advertisements.yaml', ['BGPPeer peer-10.0.0.1', 'IPAddressPool default', 'BGPAdvertisement default-1', 'BGPAdvertisement default-2']],
  ])('%s: a per-IP and an aggregated advertisement with different localPref announce different prefixes, so both are valid', (file, objects) => {
    const r = convert(file);
    expect(written(r.stdout)).toEqual(objects);
    expect(r.report.filter((e) => e.level === 'invalid')).toEqual([]);
    expect(validated(r.stdout, false).exitCode).toBe(0);
  });

  test('v0.12 aggregation example: the per-pool advertisements and the alias left out for the well-known name', () => {
    const r = convert('v0.12-advertisements.yaml');
    expect(r.report).toContainEqual(expect.objectContaining({ level: 'changed', field: 'data.config.bgp-communities.no-advertise' }));
    const advertisements = parseAllDocuments(r.stdout)
      .map((d) => d.toJS() as { kind: string; spec: unknown })
      .filter((d) => d.kind === 'BGPAdvertisement');
    expect(advertisements.map((a) => a.spec)).toEqual([
      { ipAddressPools: ['default'], aggregationLength: 32, localPref: 100, communities: ['no-advertise'] },
      { ipAddressPools: ['default'], aggregationLength: 24 },
    ]);
  });

  test('service selectors with different localPref: disjoint selectors never meet, so both are valid once the pool is there', () => {
    const r = convert('configuration-layer2.yaml', 'advanced-bgp-service-selectors.yaml');
    expect(r.report.filter((e) => e.level === 'invalid')).toEqual([]);
    expect(r.exitCode).toBe(0);
  });
});
