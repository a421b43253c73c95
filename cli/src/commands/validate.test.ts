import { readFileSync } from 'node:fs';
import { validateFiles } from './validate.js';

const repo = new URL('../../../', import.meta.url).pathname;
const read = (path: string) => readFileSync(repo + path, 'utf8');

describe('headland validate', () => {
  test('the shipped examples are valid: exit 0 and a summary', () => {
    const r = validateFiles(new Map([['bgp.yaml', read('manifests/examples/bgp.yaml')], ['l2.yaml', read('manifests/examples/l2.yaml')]]), false);
    expect(r.exitCode).toBe(0);
    expect(r.lines.at(-1)).toMatch(/^valid: 2 IPAddressPool, 1 BGPPeer, 1 BGPAdvertisement, 1 L2Advertisement/);
  });

  test('an overlapping pool is rejected as KIND NAMESPACE/NAME: FIELD: reason, exit 1', () => {
    const r = validateFiles(new Map([['overlap.yaml', read('cli/testdata/overlapping-pools.yaml')]]), false);
    expect(r.exitCode).toBe(1);
    expect(r.lines).toContain('IPAddressPool headland-system/green: spec.addresses[0]: 203.0.113.64/26 overlaps IPAddressPool headland-system/blue at 203.0.113.64/26');
    expect(r.lines.at(-1)).toBe('invalid: 1 problem; valid: 1 IPAddressPool');
  });

  const peer = (extra: string) => `apiVersion: headland.io/v1beta1
kind: BGPPeer
metadata: {name: p, namespace: headland-system}
spec: {myASN: 64513, peerASN: 64512, peerAddress: 198.18.0.1${extra}}
`;

  test('a reference to an object not in the files fails, unless --allow-missing', () => {
    const files = new Map([['p.yaml', peer(', passwordSecret: {name: bgp-auth}')]]);
    const strict = validateFiles(files, false);
    expect(strict.exitCode).toBe(1);
    expect(strict.lines.join('\n')).toMatch(/^BGPPeer headland-system\/p: spec\.passwordSecret.*\(not in the given files\)$/m);
    expect(validateFiles(files, true).exitCode).toBe(0);
  });

  test('an invalid value fails even with --allow-missing', () => {
    const r = validateFiles(new Map([['p.yaml', peer(', holdTime: 2s')]]), true);
    expect(r.exitCode).toBe(1);
    expect(r.lines.join('\n')).toMatch(/^BGPPeer headland-system\/p: spec\.holdTime: /m);
  });

  test('problems reading YAML count as invalid', () => {
    const r = validateFiles(new Map([['x.yaml', 'kind: [\n']]), false);
    expect(r.exitCode).toBe(1);
    expect(r.lines[0]).toMatch(/^x\.yaml: YAML: /);
  });

  test('a file that cannot be read exits 2 and says why', () => {
    const r = validateFiles(new Map<string, string | Error>([['gone.yaml', new Error('ENOENT: no such file')]]), false);
    expect(r).toMatchObject({ lines: ['gone.yaml: cannot read: ENOENT: no such file'], exitCode: 2, report: { valid: false } });
  });
});

test('-o json: the same verdict for tools, each problem with its object and field', () => {
  const r = validateFiles(new Map([['bad.yaml', 'apiVersion: headland.io/v1beta1\nkind: IPAddressPool\nmetadata: { name: p, namespace: headland-system }\nspec: { addresses: [not-a-cidr] }\n']]), false);
  expect(r.report.valid).toBe(false);
  expect(r.report.problems).toEqual([expect.objectContaining({ where: 'IPAddressPool headland-system/p', field: expect.stringMatching(/^spec\.addresses/), severity: 'Invalid' })]);
  const ok = validateFiles(new Map([['ok.yaml', 'apiVersion: headland.io/v1beta1\nkind: IPAddressPool\nmetadata: { name: p, namespace: headland-system }\nspec: { addresses: [203.0.113.0/28] }\n']]), false);
  expect(ok.report).toEqual({ valid: true, problems: [], objects: { IPAddressPool: 1, BGPPeer: 0, BGPAdvertisement: 0, L2Advertisement: 0, BFDProfile: 0 } });
});
