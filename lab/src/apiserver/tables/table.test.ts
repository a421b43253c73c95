import { ApiError } from '../errors.js';
import type { JsonObject } from '../json.js';
import { parseIncludeObject, tablePrinter, toTable, type IncludeObject } from './table.js';

const now = new Date('2024-05-01T12:00:00Z');
const ns = (name: string, rv: string): JsonObject => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name, uid: `uid-${name}`, resourceVersion: rv, creationTimestamp: '2024-05-01T11:59:55Z', labels: { 'kubernetes.io/metadata.name': name } },
  spec: { finalizers: ['kubernetes'] },
  status: { phase: 'Active' },
});
const NAMESPACES = { group: '', plural: 'namespaces' };

describe('toTable', () => {
  test('a list of namespaces, as kubectl get ns receives it', () => {
    const table = toTable(NAMESPACES, [ns('default', '10'), ns('kube-system', '11')], { now, resourceVersion: '42' });
    expect(table).toEqual({
      kind: 'Table',
      apiVersion: 'meta.k8s.io/v1',
      metadata: { resourceVersion: '42' },
      columnDefinitions: [
        { name: 'Name', type: 'string', format: 'name', description: expect.any(String), priority: 0 },
        { name: 'Status', type: 'string', format: '', description: expect.any(String), priority: 0 },
        { name: 'Age', type: 'string', format: '', description: expect.any(String), priority: 0 },
      ],
      rows: [
        { cells: ['default', 'Active', '5s'], object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: ns('default', '10')['metadata'] } },
        { cells: ['kube-system', 'Active', '5s'], object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: ns('kube-system', '11')['metadata'] } },
      ],
    });
    // Key order as Go's encoder writes it.
    expect(Object.keys(table)).toEqual(['kind', 'apiVersion', 'metadata', 'columnDefinitions', 'rows']);
  });

  test.each<[IncludeObject | undefined, unknown]>([
    [undefined, { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1beta1', metadata: ns('default', '10')['metadata'] }],
    ['Metadata', { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1beta1', metadata: ns('default', '10')['metadata'] }],
    ['Object', ns('default', '10')],
    ['None', null],
  ])('includeObject %s embeds %j (v1beta1 table)', (includeObject, object) => {
    const table = toTable(NAMESPACES, [ns('default', '10')], { now, version: 'v1beta1', ...(includeObject === undefined ? {} : { includeObject }) });
    expect(table.apiVersion).toBe('meta.k8s.io/v1beta1');
    expect(table.rows?.[0]?.object).toEqual(object);
    expect(JSON.parse(JSON.stringify(table.rows?.[0]))).toHaveProperty('object');
  });

  test('a single GET is a one-row table carrying the object resourceVersion', () => {
    const table = toTable(NAMESPACES, [ns('default', '10')], { now, resourceVersion: '10' });
    expect(table.rows).toHaveLength(1);
    expect(table.metadata).toEqual({ resourceVersion: '10' });
  });

  test('watch events after the first leave the column definitions out', () => {
    expect(toTable(NAMESPACES, [ns('a', '1')], { now, noHeaders: true }).columnDefinitions).toBeNull();
  });

  test('an empty list: [] from a printer, null from the default convertor', () => {
    expect(toTable(NAMESPACES, [], { now }).rows).toEqual([]);
    expect(toTable({ group: 'rbac.authorization.k8s.io', plural: 'clusterroles' }, [], { now }).rows).toBeNull();
    expect(toTable({ group: 'headland.io', plural: 'ipaddresspools', crd: 'ipaddresspools.headland.io' }, [], { now }).rows).toEqual([]);
  });

  test('the row conditions of a finished pod are kept', () => {
    const pod = { metadata: { name: 'job-x', creationTimestamp: '2024-05-01T11:00:00Z' }, spec: { containers: [{ name: 'c' }] }, status: { phase: 'Succeeded' } };
    const row = toTable({ group: '', plural: 'pods' }, [pod], { now, includeObject: 'None' }).rows?.[0];
    expect(row).toEqual({ cells: ['job-x', '0/1', 'Succeeded', '0', '60m', '<none>', '<none>', '<none>', '<none>'], conditions: [{ type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' }], object: null });
  });

  test('types without a printer get NAME and CREATED AT', () => {
    const table = toTable({ group: 'rbac.authorization.k8s.io', plural: 'roles' }, [{ metadata: { name: 'reader', creationTimestamp: '2024-01-02T03:04:05Z' } }], { now, includeObject: 'None' });
    expect(table.columnDefinitions?.map((c) => [c.name, c.type, c.format])).toEqual([
      ['Name', 'string', 'name'],
      ['Created At', 'date', ''],
    ]);
    expect(table.rows).toEqual([{ cells: ['reader', '2024-01-02T03:04:05Z'], object: null }]);
  });

  test('custom resources use the columns given for their version', () => {
    const table = toTable({ group: 'example.com', plural: 'widgets', crd: 'widgets.example.com' }, [{ metadata: { name: 'w' }, spec: { size: 4 } }], { now, includeObject: 'None', crdColumns: [{ name: 'Size', type: 'integer', jsonPath: '.spec.size' }] });
    expect(table.columnDefinitions?.map((c) => c.name)).toEqual(['Name', 'Size']);
    expect(table.rows?.[0]?.cells).toEqual(['w', 4]);
  });

  test('a bad column is reported to the caller', () => {
    expect(tablePrinter({ group: 'example.com', plural: 'widgets', crd: 'widgets.example.com' }, [{ name: 'Size', type: 'integer', jsonPath: '.spec[' }]).error?.path).toBe('.spec[');
    expect(tablePrinter(NAMESPACES).generic).toBe(false);
  });
});

describe('parseIncludeObject (TableOptions)', () => {
  test.each([
    ['', 'Metadata'],
    ['includeObject=', 'Metadata'],
    ['includeObject=Metadata', 'Metadata'],
    ['includeObject=Object', 'Object'],
    ['includeObject=None', 'None'],
  ])('%s is %s', (query, want) => {
    expect(parseIncludeObject(new URLSearchParams(query))).toBe(want);
  });

  test('anything else is a 400 worded as kube-apiserver words it', () => {
    expect(() => parseIncludeObject(new URLSearchParams('includeObject=object'))).toThrow(ApiError);
    expect(() => parseIncludeObject(new URLSearchParams('includeObject=object'))).toThrow(`Unable to convert to Table as requested: includeObject: Invalid value: "object": must be 'Metadata', 'Object', 'None', or empty`);
  });
});
