import { readDocuments } from '../load.js';
import { convertObjects } from './convert.js';
import type { ReportEntry } from './types.js';

function convert(yaml: string, namespace = 'headland-system') {
  const { objects, problems } = readDocuments('in.yaml', yaml);
  expect(problems).toEqual([]);
  const r = convertObjects(objects, { namespace });
  const line = (e: ReportEntry) => [e.level, e.where, e.object, e.field].filter((p) => p !== undefined).join(' | ') + ` | ${e.message}`;
  return {
    written: r.objects.map((o) => `${o.object.kind} ${o.object.metadata.namespace}/${o.object.metadata.name}`),
    objects: r.objects,
    report: r.report,
    lines: r.report.filter((e) => e.where !== undefined).map(line),
    notes: r.report.filter((e) => e.where === undefined).map((e) => e.message),
  };
}

const pool = (name: string, addresses = '192.0.2.0/24', ns = 'metallb-system') =>
  `apiVersion: metallb.io/v1beta1\nkind: IPAddressPool\nmetadata: {name: ${name}, namespace: ${ns}}\nspec: {addresses: [${addresses}]}\n`;
const peer = (name: string, extra = '', address = '192.0.2.1') =>
  `apiVersion: metallb.io/v1beta2\nkind: BGPPeer\nmetadata: {name: ${name}, namespace: metallb-system}\nspec: {myASN: 64512, peerASN: 64500, peerAddress: ${address}${extra}}\n`;

describe('convertObjects: what each document is', () => {
  test.each([
    ['a scalar', 'just text\n', /^error \| in.yaml \| not a Kubernetes object/],
    ['no kind', 'apiVersion: metallb.io/v1beta1\nmetadata: {name: x}\n', /^error \| in.yaml \| apiVersion and kind must both be strings/],
    ['a MetalLB kind headland convert does not read', 'apiVersion: metallb.io/v1beta1\nkind: OSPFInstance\nmetadata: {name: x}\n', /^error \| in.yaml \| OSPFInstance x \| OSPFInstance is not a MetalLB configuration kind that headland convert reads/],
    ['a kind at a version MetalLB does not serve', 'apiVersion: metallb.io/v1beta2\nkind: IPAddressPool\nmetadata: {name: x}\n', /metallb.io\/v1beta2 has no IPAddressPool; MetalLB serves it as metallb.io\/v1beta1/],
    ['a Deployment', 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: controller, namespace: metallb-system}\n', /^error \| in.yaml \| Deployment metallb-system\/controller \| Deployment apps\/v1 is not MetalLB configuration/],
    ['a Headland object', 'apiVersion: headland.io/v1beta1\nkind: IPAddressPool\nmetadata: {name: x}\n', /already a Headland object \(headland.io\/v1beta1\); check it with headland validate/],
    ['a ConfigMap that is not MetalLB\'s', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: other}\ndata: {foo: bar}\n', /^error \| in.yaml \| ConfigMap other \| data.config \| missing: not MetalLB's v0.12 configuration/],
    ['MetalLB\'s status kinds are skipped', 'apiVersion: metallb.io/v1beta1\nkind: ServiceL2Status\nmetadata: {name: s}\n', /^note \| in.yaml \| ServiceL2Status s \| skipped: ServiceL2Status is state MetalLB writes/],
  ])('%s', (_what, yaml, line) => {
    const r = convert(yaml);
    expect(r.written).toEqual([]);
    expect(r.lines).toEqual([expect.stringMatching(line)]);
  });

  test('the v0.12 configuration alone (data.config\'s YAML, as configmaptocrs -only-data reads it)', () => {
    const r = convert('address-pools:\n- {name: p, protocol: layer2, addresses: [192.0.2.0/24]}\n');
    expect(r.written).toEqual(['IPAddressPool headland-system/p', 'L2Advertisement headland-system/p']);
  });

  test('the items of a List, as kubectl get -o yaml writes them', () => {
    const r = convert(`apiVersion: v1\nkind: List\nitems:\n- ${JSON.stringify({ apiVersion: 'metallb.io/v1beta1', kind: 'IPAddressPool', metadata: { name: 'a', namespace: 'metallb-system' }, spec: { addresses: ['192.0.2.0/24'] } })}\n`);
    expect(r.written).toEqual(['IPAddressPool headland-system/a']);
  });
});

describe('convertObjects: the run as a whole', () => {
  test('one bad document does not stop the others, and each problem names its document', () => {
    const r = convert([pool('a'), 'apiVersion: metallb.io/v1beta1\nkind: Pool\nmetadata: {name: x}\n', pool('b', '198.51.100.0/24')].join('---\n'));
    expect(r.written).toEqual(['IPAddressPool headland-system/a', 'IPAddressPool headland-system/b']);
    expect(r.lines).toEqual([expect.stringMatching(/^error \| in.yaml: document 2 \| Pool x \| Pool is not a MetalLB configuration kind/)]);
  });

  test('every object goes to the namespace chosen, and the report says from where', () => {
    const r = convert([pool('a'), pool('b', '198.51.100.0/24', 'lb')].join('---\n'), 'networking');
    expect(r.written).toEqual(['IPAddressPool networking/a', 'IPAddressPool networking/b']);
    expect(r.notes.filter((n) => n.startsWith('objects from'))).toEqual([
      'objects from namespace lb are written to networking: Headland reads its kinds only in the namespace its controller and speakers run in (--namespace, default headland-system)',
      'objects from namespace metallb-system are written to networking: Headland reads its kinds only in the namespace its controller and speakers run in (--namespace, default headland-system)',
    ]);
  });

  test('the report always says Service annotations need no conversion', () => {
    expect(convert(pool('a')).notes).toContainEqual(expect.stringMatching(/^Services need no change: the annotations address-pool, loadBalancerIPs, allow-shared-ip are read under metallb.io\/ and metallb.universe.tf\//));
  });

  test('the converted objects are validated as headland validate does, and issues point back at the MetalLB object', () => {
    const r = convert([pool('a'), pool('b')].join('---\n'));
    expect(r.report).toContainEqual(expect.objectContaining({ level: 'invalid', where: 'in.yaml: document 2', object: 'IPAddressPool metallb-system/b', message: expect.stringMatching(/^converted IPAddressPool headland-system\/b: spec.addresses\[0\]: 192.0.2.0\/24 overlaps IPAddressPool headland-system\/a/) }));
  });

  test('a password Secret given with the input is copied to Headland\'s namespace and resolves the reference', () => {
    const secret = 'apiVersion: v1\nkind: Secret\nmetadata: {name: bgp-auth, namespace: metallb-system}\ntype: kubernetes.io/basic-auth\nstringData: {password: s3cret}\n';
    const withSecret = convert([peer('p', ', passwordSecret: {name: bgp-auth, namespace: metallb-system}'), secret].join('---\n'));
    expect(withSecret.written).toEqual(['BGPPeer headland-system/p', 'Secret headland-system/bgp-auth']);
    expect(withSecret.objects[1]?.object).toEqual({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'bgp-auth', namespace: 'headland-system' }, type: 'kubernetes.io/basic-auth', stringData: { password: 's3cret' } });
    expect(withSecret.report.filter((e) => e.level === 'missing' || e.level === 'invalid')).toEqual([]);
    const without = convert(peer('p', ', passwordSecret: {name: bgp-auth}'));
    expect(without.report).toContainEqual(expect.objectContaining({ level: 'missing', message: expect.stringMatching(/spec.passwordSecret.name: Secret headland-system\/bgp-auth does not exist \(not in the given files\)/) }));
  });

  test('routerIDs that differ between peers are reported: Headland has one per node', () => {
    const r = convert([peer('a', ', routerID: 10.0.0.1'), peer('b', ', routerID: 10.0.0.2', '192.0.2.2'), peer('c', '', '192.0.2.3')].join('---\n'));
    expect(r.lines.filter((l) => l.startsWith('changed'))).toEqual([
      expect.stringMatching(/^changed \| in.yaml: document 1 \| BGPPeer metallb-system\/a \| spec.routerID \| 10.0.0.1: Headland uses one BGP identifier per node/),
      expect.stringMatching(/^changed \| in.yaml: document 2 \| BGPPeer metallb-system\/b \| spec.routerID \| 10.0.0.2: /),
    ]);
    expect(convert([peer('a', ', routerID: 10.0.0.1'), peer('b', ', routerID: 10.0.0.1', '192.0.2.2')].join('---\n')).lines).toEqual([]);
  });

  test('an alias defined in one document is rewritten in another', () => {
    const community = 'apiVersion: metallb.io/v1beta1\nkind: Community\nmetadata: {name: c, namespace: metallb-system}\nspec: {communities: [{name: blackhole, value: "65000:666"}]}\n';
    const adv = 'apiVersion: metallb.io/v1beta1\nkind: BGPAdvertisement\nmetadata: {name: a, namespace: metallb-system}\nspec: {communities: [blackhole]}\n';
    const r = convert([adv, community].join('---\n'));
    expect(r.objects.map((o) => o.object['spec'])).toEqual([{ communities: ['65000:666'] }, { communities: [] }]);
  });

  test('Headland defaults that differ from MetalLB are noted once, for the kinds written', () => {
    const l2 = convert(`${pool('a')}---\napiVersion: metallb.io/v1beta1\nkind: L2Advertisement\nmetadata: {name: l2, namespace: metallb-system}\n`);
    expect(l2.notes.map((n) => n.split(':')[0])).toEqual(['objects from namespace metallb-system are written to headland-system', 'Services need no change', 'advertisements default to dataPlaneCheck', 'L2Advertisement']);
    const bgp = convert(`${peer('p')}---\napiVersion: metallb.io/v1beta1\nkind: BGPAdvertisement\nmetadata: {name: b, namespace: metallb-system}\n`);
    expect(bgp.notes.map((n) => n.split(':')[0])).toEqual(['objects from namespace metallb-system are written to headland-system', 'Services need no change', 'BGPAdvertisement', 'advertisements default to dataPlaneCheck', 'BGPPeer', 'BGPPeer']);
  });

  test('objects exported from a cluster (defaults filled, managed fields, status) convert without noise', () => {
    const meta = (name: string) => ({ name, namespace: 'metallb-system', uid: 'u', resourceVersion: '1', generation: 1, creationTimestamp: '2024-01-01T00:00:00Z', managedFields: [{ manager: 'kubectl' }] });
    const items = [
      { apiVersion: 'metallb.io/v1beta1', kind: 'IPAddressPool', metadata: meta('p'), spec: { addresses: ['192.0.2.0/24'], autoAssign: true, avoidBuggyIPs: false }, status: { assignedIPv4: 1, assignedIPv6: 0, availableIPv4: 255, availableIPv6: 0 } },
      { apiVersion: 'metallb.io/v1beta2', kind: 'BGPPeer', metadata: meta('r'), spec: { myASN: 64512, peerASN: 64500, peerAddress: '192.0.2.1', peerPort: 179, disableMP: false, dualStackAddressFamily: false, passwordSecret: {} }, status: {} },
      { apiVersion: 'metallb.io/v1beta1', kind: 'BGPAdvertisement', metadata: meta('b'), spec: { aggregationLength: 32, aggregationLengthV6: 128, ipAddressPools: ['p'] }, status: {} },
    ];
    const r = convert(JSON.stringify({ apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: '' }, items }));
    expect(r.written).toEqual(['IPAddressPool headland-system/p', 'BGPPeer headland-system/r', 'BGPAdvertisement headland-system/b']);
    expect(r.lines).toEqual([]);
    expect(r.objects[1]?.object['spec']).toEqual({ myASN: 64512, peerASN: 64500, peerAddress: '192.0.2.1', peerPort: 179 });
  });
});
