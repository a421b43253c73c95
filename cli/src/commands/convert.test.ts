import { parseAllDocuments } from 'yaml';
import { convertFiles } from './convert.js';
import { validateFiles } from './validate.js';

const pool = (name: string, addresses = '192.0.2.0/24') =>
  `apiVersion: metallb.io/v1beta1\nkind: IPAddressPool\nmetadata: {name: ${name}, namespace: metallb-system}\nspec: {addresses: ["${addresses}"]}\n`;
const l2 = 'apiVersion: metallb.io/v1beta1\nkind: L2Advertisement\nmetadata: {name: l2, namespace: metallb-system}\n';

describe('headland convert', () => {
  test('YAML on stdout, each object under a comment naming its source; the report on stderr; exit 0', () => {
    const r = convertFiles(new Map([['metallb.yaml', `${pool('a')}---\n${l2}`]]), { output: 'yaml', namespace: 'headland-system' });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^# Headland objects converted from MetalLB by `headland convert`/);
    expect(r.stdout).toContain('# from metallb.yaml: document 1: IPAddressPool metallb-system/a\n');
    expect(parseAllDocuments(r.stdout).map((d) => d.toJS() as unknown)).toEqual([
      { apiVersion: 'headland.io/v1beta1', kind: 'IPAddressPool', metadata: { name: 'a', namespace: 'headland-system' }, spec: { addresses: ['192.0.2.0/24'] } },
      { apiVersion: 'headland.io/v1beta1', kind: 'L2Advertisement', metadata: { name: 'l2', namespace: 'headland-system' }, spec: {} },
    ]);
    expect(r.stderr.at(-1)).toBe('headland convert: 2 objects written; 4 notes');
    expect(r.stderr).toContainEqual(expect.stringMatching(/^note: Services need no change/));
    expect(validateFiles(new Map([['out.yaml', r.stdout]]), false)).toMatchObject({ lines: ['valid: 1 IPAddressPool, 1 L2Advertisement'], exitCode: 0, report: { valid: true } });
  });

  test('-o json: {objects, report} on stdout', () => {
    const r = convertFiles(new Map([['metallb.yaml', pool('a')]]), { output: 'json', namespace: 'headland-system' });
    const json = JSON.parse(r.stdout) as { objects: unknown[]; report: { level: string; message: string }[] };
    expect(Object.keys(json)).toEqual(['objects', 'report']);
    expect(json.objects).toEqual([{ apiVersion: 'headland.io/v1beta1', kind: 'IPAddressPool', metadata: { name: 'a', namespace: 'headland-system' }, spec: { addresses: ['192.0.2.0/24'] } }]);
    expect(json.report).toContainEqual({ level: 'note', message: expect.stringMatching(/^Services need no change/) });
    expect(r.stderr).toEqual(['headland convert: 1 object written; 2 notes']);
  });

  test('communities that Go\'s YAML 1.1 readers could take for base-60 numbers are quoted', () => {
    const adv = 'apiVersion: metallb.io/v1beta1\nkind: BGPAdvertisement\nmetadata: {name: b, namespace: metallb-system}\nspec: {communities: ["1234:1"]}\n';
    expect(convertFiles(new Map([['a.yaml', adv]]), { output: 'yaml', namespace: 'headland-system' }).stdout).toContain('- "1234:1"\n');
  });

  test('-n sets the namespace of every object', () => {
    const r = convertFiles(new Map([['a.yaml', pool('a')]]), { output: 'json', namespace: 'lb' });
    expect((JSON.parse(r.stdout) as { objects: { metadata: { namespace: string } }[] }).objects[0]?.metadata.namespace).toBe('lb');
  });

  test('anything not converted: exit 1, and the rest is still written; files and documents are named', () => {
    const r = convertFiles(
      new Map([
        ['a.yaml', `${pool('a')}---\nkind: [\n`],
        ['b.yaml', 'apiVersion: metallb.io/v1beta1\nkind: Pool\nmetadata: {name: x}\n'],
        ['c.yaml', pool('c', '198.51.100.0/24')],
      ]),
      { output: 'yaml', namespace: 'headland-system' },
    );
    expect(r.exitCode).toBe(1);
    expect(parseAllDocuments(r.stdout).map((d) => (d.toJS() as { metadata: { name: string } }).metadata.name)).toEqual(['a', 'c']);
    expect(r.stderr.filter((l) => l.startsWith('error:'))).toEqual([expect.stringMatching(/^error: a.yaml: document 2: YAML: /), expect.stringMatching(/^error: b.yaml: Pool x: Pool is not a MetalLB configuration kind/)]);
    expect(r.stderr.at(-1)).toMatch(/; 2 errors, /);
  });

  test('output that Headland\'s validation refuses: exit 1', () => {
    const r = convertFiles(new Map([['a.yaml', `${pool('a')}---\n${pool('b')}`]]), { output: 'yaml', namespace: 'headland-system' });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContainEqual(expect.stringMatching(/^invalid: a.yaml: document 2: IPAddressPool metallb-system\/b: converted IPAddressPool headland-system\/b: spec.addresses\[0\]: 192.0.2.0\/24 overlaps/));
  });

  test('references to objects not in the files are reported but do not fail the conversion', () => {
    const r = convertFiles(new Map([['a.yaml', 'apiVersion: metallb.io/v1beta1\nkind: L2Advertisement\nmetadata: {name: l2}\nspec: {ipAddressPools: [elsewhere]}\n']]), { output: 'yaml', namespace: 'headland-system' });
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toContainEqual(expect.stringMatching(/^missing: a.yaml: L2Advertisement l2: converted L2Advertisement headland-system\/l2: spec.ipAddressPools\[0\]: IPAddressPool "elsewhere" does not exist.*\(not in the given files\)$/));
  });

  test('a file that cannot be read exits 2 and says why', () => {
    expect(convertFiles(new Map<string, string | Error>([['gone.yaml', new Error('ENOENT: no such file')]]), { output: 'yaml', namespace: 'headland-system' })).toEqual({ stdout: '', stderr: ['gone.yaml: cannot read: ENOENT: no such file'], exitCode: 2 });
  });
});
