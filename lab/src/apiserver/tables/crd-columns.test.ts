import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { Json, JsonObject } from '../json.js';
import { crdPrinter, printerColumnsOf } from './crd-columns.js';
import type { Cell } from './printer.js';

const CRDS = new URL('../../../../manifests/crds/', import.meta.url);
const crd = (file: string): JsonObject => parse(readFileSync(new URL(file, CRDS), 'utf8')) as JsonObject;

const now = new Date('2024-05-01T12:00:00Z');
const created = '2024-04-30T09:00:00Z';
const header = (raw: Json | undefined): string[] => crdPrinter(raw).printer.columns.map((c) => `${c.name.toUpperCase()}${c.priority === 1 ? '*' : ''}:${c.type}`);
const cells = (raw: Json | undefined, o: JsonObject): Cell[] => crdPrinter(raw).printer.print(o, now).cells;

describe("the project's CRDs", () => {
  const pools = printerColumnsOf(crd('headland.io_ipaddresspools.yaml'), 'v1beta1');
  const bgp = printerColumnsOf(crd('headland.io_servicebgpstatuses.yaml'), 'v1beta1');

  test('IPAddressPool columns come from additionalPrinterColumns, NAME first', () => {
    expect(header(pools)).toEqual(['NAME:string', 'AUTO ASSIGN:boolean', 'AVOID BUGGY IPS*:boolean', 'ASSIGNED IPV4:integer', 'AVAILABLE IPV4:string', 'ASSIGNED IPV6:integer', 'AVAILABLE IPV6:string', 'AGE:date']);
  });

  test.each<[string, JsonObject, Cell[]]>([
    [
      'a pool with status',
      { metadata: { name: 'blue', creationTimestamp: created }, spec: { addresses: ['203.0.113.0/28'], autoAssign: true, avoidBuggyIPs: false }, status: { assignedIPv4: 3, availableIPv4: '13', assignedIPv6: 0, availableIPv6: '0' } },
      ['blue', true, false, 3, '13', 0, '0', '27h'],
    ],
    ['a pool the controller has not seen yet', { metadata: { name: 'new', creationTimestamp: created }, spec: { addresses: ['fd00::/64'] } }, ['new', null, null, null, null, null, null, '27h']],
  ])('IPAddressPool: %s', (_, o, want) => {
    expect(cells(pools, o)).toEqual(want);
  });

  test('ServiceBGPStatus: a list in a string column is JSON, as the server prints it', () => {
    expect(header(bgp)).toEqual(['NAME:string', 'SERVICE NAMESPACE:string', 'SERVICE:string', 'NODE:string', 'PEERS:string', 'WEIGHT:integer', 'AGE:date']);
    const o = { metadata: { name: 'default-web-w1', creationTimestamp: '2024-05-01T11:59:30Z' }, status: { serviceNamespace: 'default', serviceName: 'web', node: 'w-1', peers: ['tor-a', 'tor-b'], weight: 2 } };
    expect(cells(bgp, o)).toEqual(['default-web-w1', 'default', 'web', 'w-1', '["tor-a","tor-b"]', 2, '30s']);
  });

  test('every CRD of the project has columns that parse', () => {
    for (const file of ['bfdprofiles', 'bgpadvertisements', 'bgppeers', 'communities', 'ipaddresspools', 'l2advertisements', 'servicebgpstatuses', 'servicel2statuses']) {
      const doc = crd(`headland.io_${file}.yaml`);
      const version = String((doc['spec'] as { versions: { name: string }[] }).versions[0]?.name);
      const built = crdPrinter(printerColumnsOf(doc, version));
      expect(built.error).toBeUndefined();
      expect(built.printer.columns.length).toBe((printerColumnsOf(doc, version)?.length ?? 0) + 1);
    }
  });
});

describe('columns the CRD does not list', () => {
  test.each([
    ['no additionalPrinterColumns', undefined],
    ['an empty list', []],
  ])('%s: NAME and AGE, as serveDefaultColumnsIfEmpty gives', (_, raw) => {
    expect(header(raw)).toEqual(['NAME:string', 'AGE:date']);
    expect(cells(raw, { metadata: { name: 'x', creationTimestamp: created } })).toEqual(['x', '27h']);
  });

  test('columns that are listed replace AGE instead of joining it', () => {
    expect(header([{ name: 'Ready', type: 'string', jsonPath: '.status.ready' }])).toEqual(['NAME:string', 'READY:string']);
  });

  test('an unknown version has no columns', () => {
    expect(printerColumnsOf(crd('headland.io_ipaddresspools.yaml'), 'v9')).toBeUndefined();
  });
});

describe('cells by column type (cellForJSONValue)', () => {
  const o: JsonObject = {
    metadata: { name: 'x' },
    spec: { count: 3, ratio: 2.75, flag: true, word: 'hi', when: '2024-05-01T11:00:00Z', zero: '0001-01-01T00:00:00Z', bad: 'yesterday', empty: '', nil: null, map: { b: 1, a: '<x>' }, items: [{ name: 'first' }, { name: 'second' }] },
  };
  test.each<[string, string, Cell]>([
    ['integer', '.spec.count', 3],
    ['integer', '.spec.ratio', 2],
    ['integer', '.spec.word', null],
    ['number', '.spec.count', 3],
    ['number', '.spec.ratio', 2.75],
    ['boolean', '.spec.flag', true],
    ['boolean', '.spec.word', null],
    ['date', '.spec.when', '60m'],
    ['date', '.spec.zero', '<unknown>'],
    ['date', '.spec.empty', '<unknown>'],
    ['date', '.spec.bad', '<invalid>'],
    ['date', '.spec.count', null],
    ['string', '.spec.word', 'hi'],
    ['string', '.spec.count', '3'],
    ['string', '.spec.ratio', '2.75'],
    ['string', '.spec.flag', 'true'],
    ['string', '.spec.nil', '<no value>'],
    ['string', '.spec.map', '{"a":"\\u003cx\\u003e","b":1}'],
    ['string', '.spec.items[*].name', 'first'],
    ['string', '.spec.items[?(@.name=="second")].name', 'second'],
    ['string', '.spec.missing', null],
    ['string', '.spec.items[7].name', null],
    ['integer', '.spec.nil', null],
    ['Color', '.spec.word', null],
  ])('%s %s is %j', (type, jsonPath, want) => {
    expect(cells([{ name: 'C', type, jsonPath }], o)).toEqual(['x', want]);
  });

  test('format, priority and description are passed through', () => {
    const built = crdPrinter([{ name: 'Addr', type: 'string', format: 'ipv4', priority: 1, description: 'the address', jsonPath: '.spec.word' }]);
    expect(built.printer.columns[1]).toEqual({ name: 'Addr', type: 'string', format: 'ipv4', priority: 1, description: 'the address' });
  });
});

describe('a column whose jsonPath does not parse', () => {
  const raw: Json = [
    { name: 'Good', type: 'string', jsonPath: '.spec.word' },
    { name: 'Bad', type: 'string', jsonPath: '.spec.items[0' },
    { name: 'After', type: 'string', jsonPath: '.spec.word' },
  ];

  test('it and the columns after it are dropped, as the real convertor stops at the first bad path', () => {
    const built = crdPrinter(raw);
    expect(built.printer.columns.map((c) => c.name)).toEqual(['Name', 'Good']);
    expect(built.printer.print({ metadata: { name: 'x' }, spec: { word: 'w' } }, now).cells).toEqual(['x', 'w']);
  });

  test('the error names the path', () => {
    expect(crdPrinter(raw).error?.message).toBe('jsonpath: ".spec.items[0": unterminated array');
  });
});
