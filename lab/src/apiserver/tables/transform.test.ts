import type { JsonObject } from '../json.js';
import type { Conversion } from './accept.js';
import type { TableResource } from './table.js';
import { transformResponse, type Response } from './transform.js';

const now = new Date('2024-05-01T12:00:00Z');
const svc = (name: string): JsonObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: 'default', resourceVersion: '7', creationTimestamp: '2024-05-01T11:00:00Z' },
  spec: { type: 'ClusterIP', clusterIPs: ['10.96.0.1'], ports: [{ port: 443, protocol: 'TCP' }] },
});
const SERVICES: TableResource = { group: '', plural: 'services' };
const POOLS: TableResource = { group: 'headland.io', plural: 'ipaddresspools', crd: 'ipaddresspools.headland.io' };
const list = (items: JsonObject[]): Response => ({ list: true, value: { apiVersion: 'v1', kind: 'ServiceList', metadata: { resourceVersion: '99' }, items }, items });
const one = (o: JsonObject): Response => ({ list: false, value: o });
const q = (s = ''): URLSearchParams => new URLSearchParams(s);

const table: Conversion = { kind: 'Table', version: 'v1' };

test('no conversion: the response as it is', () => {
  const r = list([svc('a')]);
  expect(transformResponse(undefined, SERVICES, r, { now, query: q() })).toBe(r.value);
});

test('a list as a Table takes the list resourceVersion', () => {
  expect(transformResponse(table, SERVICES, list([svc('kubernetes')]), { now, query: q('includeObject=None') })).toEqual({
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { resourceVersion: '99' },
    columnDefinitions: expect.any(Array),
    rows: [{ cells: ['kubernetes', 'ClusterIP', '10.96.0.1', '<none>', '443/TCP', '60m', '<none>'], object: null }],
  });
});

test('one object as a Table takes its own resourceVersion', () => {
  const t = transformResponse({ kind: 'Table', version: 'v1beta1' }, SERVICES, one(svc('kubernetes')), { now, query: q() });
  expect(t).toMatchObject({ apiVersion: 'meta.k8s.io/v1beta1', metadata: { resourceVersion: '7' }, rows: [{ object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1beta1' } }] });
});

test('a bad includeObject fails before anything is printed', () => {
  expect(() => transformResponse(table, SERVICES, list([]), { now, query: q('includeObject=All') })).toThrow(expect.objectContaining({ code: 400 }));
});

test('custom resources print with the given columns', () => {
  const pool = { apiVersion: 'headland.io/v1beta1', kind: 'IPAddressPool', metadata: { name: 'blue', creationTimestamp: '2024-05-01T11:00:00Z' }, spec: { autoAssign: false } };
  const t = transformResponse(table, POOLS, list([pool]), { now, query: q(), crdColumns: [{ name: 'Auto Assign', type: 'boolean', jsonPath: '.spec.autoAssign' }] });
  expect(t).toMatchObject({ rows: [{ cells: ['blue', false] }] });
});

test.each<[string, Conversion, TableResource, Response, unknown]>([
  ['one object', { kind: 'PartialObjectMetadata', version: 'v1' }, SERVICES, one(svc('a')), { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: svc('a')['metadata'] }],
  [
    'a list',
    { kind: 'PartialObjectMetadataList', version: 'v1' },
    SERVICES,
    list([svc('a')]),
    { kind: 'PartialObjectMetadataList', apiVersion: 'meta.k8s.io/v1', metadata: { resourceVersion: '99' }, items: [{ kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: svc('a')['metadata'] }] },
  ],
  ['an empty list', { kind: 'PartialObjectMetadataList', version: 'v1beta1' }, SERVICES, list([]), { kind: 'PartialObjectMetadataList', apiVersion: 'meta.k8s.io/v1beta1', metadata: { resourceVersion: '99' }, items: null }],
])('metadata only: %s', (_, conversion, type, response, want) => {
  expect(transformResponse(conversion, type, response, { now, query: q() })).toEqual(want);
});

test.each<[Conversion, TableResource, Response, string]>([
  [{ kind: 'PartialObjectMetadata', version: 'v1' }, SERVICES, list([]), 'you requested PartialObjectMetadata, but the requested object is a list (*core.ServiceList)'],
  [{ kind: 'PartialObjectMetadataList', version: 'v1' }, SERVICES, one(svc('a')), 'you requested PartialObjectMetadataList, but the requested object is not a list (*core.Service)'],
  [{ kind: 'PartialObjectMetadataList', version: 'v1' }, POOLS, one({ kind: 'IPAddressPool', metadata: { name: 'p' } }), 'you requested PartialObjectMetadataList, but the requested object is not a list (*unstructured.Unstructured)'],
])('%j of the wrong shape is a 406', (conversion, type, response, message) => {
  expect(() => transformResponse(conversion, type, response, { now, query: q() })).toThrow(expect.objectContaining({ code: 406, reason: 'NotAcceptable', message }));
});
