import { emptySnapshot, loadYaml, type Loaded } from './load.js';

function load(text: string): Loaded {
  const into: Loaded = { snapshot: emptySnapshot(), problems: [], ignored: 0 };
  loadYaml('f.yaml', text, into);
  return into;
}

const pool = (name: string) => `apiVersion: headland.io/v1beta1
kind: IPAddressPool
metadata: {name: ${name}}
spec: {addresses: [203.0.113.0/28]}
`;

describe('loadYaml', () => {
  test('sorts Headland kinds into the snapshot and counts other kinds as ignored', () => {
    const r = load(
      [
        pool('a'),
        'apiVersion: headland.io/v1beta1\nkind: BGPPeer\nmetadata: {name: p}\nspec: {myASN: 64513, peerASN: 64512, peerAddress: 198.18.0.1}\n',
        'apiVersion: headland.io/v1beta1\nkind: Community\nmetadata: {name: c}\nspec: {communities: []}\n',
        'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\n',
        '',
      ].join('---\n'),
    );
    expect(r.problems).toEqual([]);
    expect(r.snapshot.ipAddressPools).toHaveLength(1);
    expect(r.snapshot.bgpPeers).toHaveLength(1);
    expect(r.snapshot.communities).toHaveLength(1);
    expect(r.ignored).toBe(1);
  });

  test('reads the items of a List', () => {
    const r = load(`apiVersion: v1\nkind: List\nitems:\n  - ${JSON.stringify({ apiVersion: 'headland.io/v1beta1', kind: 'IPAddressPool', metadata: { name: 'a' }, spec: { addresses: ['203.0.113.0/28'] } })}\n`);
    expect(r.snapshot.ipAddressPools).toHaveLength(1);
  });

  test('decodes Secrets from data and stringData, defaulting the namespace', () => {
    const r = load(
      'apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata: {password: ' +
        Buffer.from('sekret').toString('base64') +
        '}\nstringData: {other: plain}\n',
    );
    expect(r.snapshot.secrets).toEqual([{ namespace: 'headland-system', name: 's', data: { password: 'sekret', other: 'plain' } }]);
  });

  test.each([
    ['a YAML syntax error, naming the document', `${pool('a')}---\nkind: [\n`, /f\.yaml: document 2: YAML: /],
    ['a scalar document', 'just a string\n', /not a Kubernetes object/],
    ['missing apiVersion', 'kind: IPAddressPool\n', /apiVersion and kind must both be strings/],
    ['a version Headland does not serve', 'apiVersion: headland.io/v1alpha1\nkind: IPAddressPool\n', /apiVersion headland.io\/v1alpha1 is not served; use headland.io\/v1beta1/],
    ['a kind Headland does not have', 'apiVersion: headland.io/v1beta1\nkind: Pool\n', /Pool is not a kind of headland.io/],
    ['a MetalLB object', 'apiVersion: metallb.io/v1beta1\nkind: IPAddressPool\n', /MetalLB object/],
    ['an old MetalLB object', 'apiVersion: metallb.universe.tf/v1alpha1\nkind: AddressPool\n', /MetalLB object/],
    ['a Secret without a name', 'apiVersion: v1\nkind: Secret\nmetadata: {}\n', /Secret: metadata.name is missing/],
    ['a Secret whose data is not base64', 'apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata: {password: "not base64!"}\n', /data.password: not base64/],
  ])('%s is named as a problem', (_what, text, expected) => {
    const r = load(text);
    expect(r.problems.map((p) => `${p.where}: ${p.message}`).join('\n')).toMatch(expected);
  });
});
