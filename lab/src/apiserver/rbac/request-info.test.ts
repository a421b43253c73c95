import type { UserInfo } from '../identity.js';
import { parseRoute } from '../routes.js';
import { requestAttributes, RequestInfoError } from './request-info.js';

const user: UserInfo = { name: 'alice', groups: ['system:authenticated'] };

function attrs(method: string, target: string) {
  const url = new URL(target, 'https://apiserver');
  return requestAttributes(user, method, url.pathname, url.searchParams);
}

type Expected = { verb: string; apiGroup?: string; apiVersion?: string; resource: string; subresource?: string; name?: string; namespace?: string };

test.each<[string, string, Expected]>([
  ['GET', '/api/v1/namespaces/default/services/web', { verb: 'get', resource: 'services', name: 'web', namespace: 'default' }],
  ['HEAD', '/api/v1/namespaces/default/services/web', { verb: 'get', resource: 'services', name: 'web', namespace: 'default' }],
  ['GET', '/api/v1/namespaces/default/services', { verb: 'list', resource: 'services', namespace: 'default' }],
  ['GET', '/api/v1/services', { verb: 'list', resource: 'services' }],
  ['GET', '/api/v1/services?watch=true', { verb: 'watch', resource: 'services' }],
  ['GET', '/api/v1/services?watch=1', { verb: 'watch', resource: 'services' }],
  ['GET', '/api/v1/services?watch=false', { verb: 'list', resource: 'services' }],
  ['GET', '/api/v1/namespaces/default/services/web?watch=true', { verb: 'get', resource: 'services', name: 'web', namespace: 'default' }],
  ['GET', '/api/v1/namespaces/default/services?fieldSelector=metadata.name%3Dweb', { verb: 'list', resource: 'services', name: 'web', namespace: 'default' }],
  ['GET', '/api/v1/namespaces/default/services?watch=1&fieldSelector=metadata.name%3Dweb', { verb: 'watch', resource: 'services', name: 'web', namespace: 'default' }],
  ['POST', '/api/v1/namespaces/default/services', { verb: 'create', resource: 'services', namespace: 'default' }],
  ['PUT', '/api/v1/namespaces/default/services/web', { verb: 'update', resource: 'services', name: 'web', namespace: 'default' }],
  ['PATCH', '/api/v1/namespaces/default/services/web', { verb: 'patch', resource: 'services', name: 'web', namespace: 'default' }],
  ['PATCH', '/api/v1/namespaces/y/services/x/status', { verb: 'patch', resource: 'services', subresource: 'status', name: 'x', namespace: 'y' }],
  ['PUT', '/api/v1/namespaces/y/services/x/status', { verb: 'update', resource: 'services', subresource: 'status', name: 'x', namespace: 'y' }],
  ['DELETE', '/api/v1/namespaces/default/services/web', { verb: 'delete', resource: 'services', name: 'web', namespace: 'default' }],
  ['DELETE', '/api/v1/namespaces/default/services', { verb: 'deletecollection', resource: 'services', namespace: 'default' }],
  ['OPTIONS', '/api/v1/namespaces/default/services/web', { verb: '', resource: 'services', name: 'web', namespace: 'default' }],
  ['POST', '/api/v1/namespaces/default/serviceaccounts/sa/token', { verb: 'create', resource: 'serviceaccounts', subresource: 'token', name: 'sa', namespace: 'default' }],
  // Cluster-scoped resources.
  ['GET', '/api/v1/nodes/n1', { verb: 'get', resource: 'nodes', name: 'n1' }],
  ['PATCH', '/api/v1/nodes/n1/status', { verb: 'patch', resource: 'nodes', subresource: 'status', name: 'n1' }],
  ['GET', '/apis/rbac.authorization.k8s.io/v1/clusterroles', { verb: 'list', apiGroup: 'rbac.authorization.k8s.io', resource: 'clusterroles' }],
  // Namespaces: a namespace is in its own namespace; status and finalize are its subresources.
  ['GET', '/api/v1/namespaces', { verb: 'list', resource: 'namespaces' }],
  ['GET', '/api/v1/namespaces/default', { verb: 'get', resource: 'namespaces', name: 'default', namespace: 'default' }],
  ['DELETE', '/api/v1/namespaces/default', { verb: 'delete', resource: 'namespaces', name: 'default', namespace: 'default' }],
  ['PUT', '/api/v1/namespaces/default/status', { verb: 'update', resource: 'namespaces', subresource: 'status', name: 'default', namespace: 'default' }],
  ['PUT', '/api/v1/namespaces/default/finalize', { verb: 'update', resource: 'namespaces', subresource: 'finalize', name: 'default', namespace: 'default' }],
  ['PUT', '/apis/lab.headland.io/v1/namespaces/x/status', { verb: 'update', apiGroup: 'lab.headland.io', resource: 'namespaces', subresource: 'status', name: 'x', namespace: 'x' }],
  // Groups.
  ['GET', '/apis/headland.io/v1beta1/namespaces/headland-system/ipaddresspools/p', { verb: 'get', apiGroup: 'headland.io', apiVersion: 'v1beta1', resource: 'ipaddresspools', name: 'p', namespace: 'headland-system' }],
  ['PUT', '/apis/headland.io/v1beta1/namespaces/hs/servicebgpstatuses/s/status', { verb: 'update', apiGroup: 'headland.io', apiVersion: 'v1beta1', resource: 'servicebgpstatuses', subresource: 'status', name: 's', namespace: 'hs' }],
  // Verbs in the path.
  ['GET', '/api/v1/watch/namespaces/default/pods', { verb: 'watch', resource: 'pods', namespace: 'default' }],
  ['GET', '/api/v1/watch/namespaces/default/pods/p', { verb: 'watch', resource: 'pods', name: 'p', namespace: 'default' }],
  ['GET', '/api/v1/proxy/namespaces/default/pods/p/some/path', { verb: 'proxy', resource: 'pods', name: 'p', namespace: 'default' }],
  // Extra segments are not interpreted; encoded slashes split like real ones.
  ['GET', '/api/v1/namespaces/default/pods/p/log/extra', { verb: 'get', resource: 'pods', subresource: 'log', name: 'p', namespace: 'default' }],
  ['GET', '/api/v1/namespaces/default/services/a%2Fb', { verb: 'get', resource: 'services', name: 'a', subresource: 'b', namespace: 'default' }],
  ['GET', '/api/v1/namespaces/default/services/', { verb: 'list', resource: 'services', namespace: 'default' }],
])('%s %s', (method, target, expected) => {
  expect(attrs(method, target)).toEqual({ kind: 'resource', user, apiGroup: '', apiVersion: 'v1', subresource: '', name: '', namespace: '', ...expected });
});

test.each([
  ['GET', '/version', 'get'],
  ['GET', '/version/', 'get'],
  ['GET', '/healthz', 'get'],
  ['GET', '/readyz/etcd', 'get'],
  ['GET', '/api', 'get'],
  ['GET', '/api/v1', 'get'],
  ['GET', '/apis', 'get'],
  ['GET', '/apis/apps', 'get'],
  ['GET', '/apis/apps/v1', 'get'],
  ['GET', '/openapi/v3/api/v1', 'get'],
  ['POST', '/logs/x', 'post'],
  ['HEAD', '/', 'head'],
  ['DELETE', '/metrics', 'delete'],
])('%s %s is a non-resource request', (method, path, verb) => {
  expect(attrs(method, path)).toEqual({ kind: 'nonResource', user, verb, path });
});

test('the path of a non-resource request is the decoded one', () => {
  expect(requestAttributes(user, 'GET', '/a%20b', new URLSearchParams())).toEqual({ kind: 'nonResource', user, verb: 'get', path: '/a b' });
});

test.each([
  ['/api/v1/watch', 'unable to determine kind and namespace from url, /api/v1/watch'],
  ['/apis/apps/v1/proxy', 'unable to determine kind and namespace from url, /apis/apps/v1/proxy'],
  ['/api/v1/services/%zz', 'invalid URL escape in path "/api/v1/services/%zz"'],
])('%s fails as the real server does', (path, kubeMessage) => {
  const call = () => requestAttributes(user, 'GET', path, new URLSearchParams());
  expect(call).toThrow(RequestInfoError);
  expect(call).toThrow(`rbac/request-info: ${kubeMessage}`);
});

// Where routes.ts finds a resource, both agree on what it addresses.
test.each([
  '/api/v1/services',
  '/api/v1/namespaces',
  '/api/v1/namespaces/default',
  '/api/v1/namespaces/default/status',
  '/api/v1/namespaces/default/services',
  '/api/v1/namespaces/default/services/web/status',
  '/api/v1/nodes/n1',
  '/apis/lab.headland.io/v1/namespaces/x/widgets/w',
  '/apis/lab.headland.io/v1/clusterthings/t/status',
])('agrees with parseRoute on %s', (path) => {
  const route = parseRoute(path);
  const a = attrs('GET', path);
  if (route.kind !== 'resource' || a.kind !== 'resource') throw new Error(`not a resource: ${path}`);
  expect({ group: a.apiGroup, version: a.apiVersion, plural: a.resource, name: a.name, subresource: a.subresource }).toEqual({
    group: route.group,
    version: route.version,
    plural: route.plural,
    name: route.name ?? '',
    subresource: route.subresource ?? '',
  });
  // A namespace object is in its own namespace for the authorizer; routes.ts leaves it out.
  expect(a.namespace).toBe(route.namespace ?? (route.plural === 'namespaces' ? (route.name ?? '') : ''));
});
