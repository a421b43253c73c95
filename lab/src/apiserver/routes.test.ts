import { parseRoute } from './routes.js';

test.each([
  ['/version', { kind: 'version' }],
  ['/healthz', { kind: 'health', which: 'healthz' }],
  ['/api', { kind: 'apiVersions' }],
  ['/api/v1', { kind: 'resourceList', group: '', version: 'v1' }],
  ['/apis', { kind: 'apiGroupList' }],
  ['/apis/discovery.k8s.io', { kind: 'apiGroup', group: 'discovery.k8s.io' }],
  ['/apis/discovery.k8s.io/v1', { kind: 'resourceList', group: 'discovery.k8s.io', version: 'v1' }],
  ['/openapi/v3', { kind: 'openapiRoot' }],
  ['/openapi/v3/api/v1', { kind: 'openapiGroupVersion', group: '', version: 'v1' }],
  ['/openapi/v3/apis/lab.headland.io/v1', { kind: 'openapiGroupVersion', group: 'lab.headland.io', version: 'v1' }],
  ['/openapi/v2', { kind: 'unknown' }],
  ['/_headland/drop-watches', { kind: 'dropWatches' }],
  ['/api/v1/services', { kind: 'resource', group: '', version: 'v1', namespace: undefined, plural: 'services', name: undefined, subresource: undefined }],
  ['/api/v1/namespaces', { kind: 'resource', group: '', version: 'v1', namespace: undefined, plural: 'namespaces', name: undefined, subresource: undefined }],
  ['/api/v1/namespaces/default', { kind: 'resource', group: '', version: 'v1', namespace: undefined, plural: 'namespaces', name: 'default', subresource: undefined }],
  ['/api/v1/namespaces/default/status', { kind: 'resource', group: '', version: 'v1', namespace: undefined, plural: 'namespaces', name: 'default', subresource: 'status' }],
  ['/api/v1/namespaces/default/services', { kind: 'resource', group: '', version: 'v1', namespace: 'default', plural: 'services', name: undefined, subresource: undefined }],
  ['/api/v1/namespaces/default/services/web/status', { kind: 'resource', group: '', version: 'v1', namespace: 'default', plural: 'services', name: 'web', subresource: 'status' }],
  ['/api/v1/nodes/n1', { kind: 'resource', group: '', version: 'v1', namespace: undefined, plural: 'nodes', name: 'n1', subresource: undefined }],
  ['/apis/lab.headland.io/v1/namespaces/x/widgets/w', { kind: 'resource', group: 'lab.headland.io', version: 'v1', namespace: 'x', plural: 'widgets', name: 'w', subresource: undefined }],
  ['/apis/lab.headland.io/v1/clusterthings/t/status', { kind: 'resource', group: 'lab.headland.io', version: 'v1', namespace: undefined, plural: 'clusterthings', name: 't', subresource: 'status' }],
  ['/api/v1/namespaces/default/services/web/status/extra', { kind: 'unknown' }],
  ['/nonsense', { kind: 'unknown' }],
])('%s', (path, expected) => {
  expect(parseRoute(path)).toEqual(expected);
});
