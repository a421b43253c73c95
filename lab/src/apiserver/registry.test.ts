import { openApiGroupVersion, openApiRoot } from './openapi.js';
import { Registry } from './registry.js';
import { BUILTIN_TYPES, resourceTypeFromCrd } from './resources.js';
import type { JsonObject } from './json.js';

const widgets = resourceTypeFromCrd({
  metadata: { name: 'widgets.lab.headland.io' },
  spec: { group: 'lab.headland.io', scope: 'Namespaced', names: { plural: 'widgets', kind: 'Widget' }, versions: [{ name: 'v1', served: true, storage: true, subresources: { status: {} }, schema: { openAPIV3Schema: { type: 'object' } } }] },
});

test('discovery lists built-in groups, and a CRD group appears and goes', () => {
  const r = new Registry();
  const names = () => (r.apiGroupList()['groups'] as JsonObject[]).map((g) => g['name']);
  expect(names()).toEqual([
    'admissionregistration.k8s.io',
    'apiextensions.k8s.io',
    'apps',
    'authentication.k8s.io',
    'authorization.k8s.io',
    'coordination.k8s.io',
    'discovery.k8s.io',
    'events.k8s.io',
    'rbac.authorization.k8s.io',
  ]);
  expect(r.put(widgets)).toBe(true);
  expect(names()).toContain('lab.headland.io');
  const resources = (r.apiResourceList('lab.headland.io', 'v1')['resources'] as JsonObject[]).map((x) => x['name']);
  expect(resources).toEqual(['widgets', 'widgets/status']);
  expect(r.remove('lab.headland.io', 'widgets')).toBe(widgets);
  expect(names()).not.toContain('lab.headland.io');
});

test('reviews are create-only; a ServiceAccount lists its token subresource as the real server does', () => {
  const r = new Registry();
  const authz = r.apiResourceList('authorization.k8s.io', 'v1')['resources'] as JsonObject[];
  expect(authz.find((x) => x['name'] === 'selfsubjectaccessreviews')).toEqual(expect.objectContaining({ verbs: ['create'], namespaced: false, kind: 'SelfSubjectAccessReview' }));
  const core = r.apiResourceList('', 'v1')['resources'] as JsonObject[];
  expect(core.find((x) => x['name'] === 'serviceaccounts/token')).toEqual({ name: 'serviceaccounts/token', singularName: '', namespaced: true, group: 'authentication.k8s.io', version: 'v1', kind: 'TokenRequest', verbs: ['create'] });
  expect(core.find((x) => x['name'] === 'serviceaccounts')).toEqual(expect.objectContaining({ shortNames: ['sa'], verbs: expect.arrayContaining(['create', 'get', 'list', 'watch']) }));
});

test('a CRD cannot shadow or remove a built-in', () => {
  const r = new Registry();
  const fake = { ...widgets, group: '', plural: 'services' };
  expect(r.put(fake)).toBe(false);
  expect(r.remove('', 'services')).toBeUndefined();
  expect(r.find('', 'v1', 'services')?.crd).toBeUndefined();
});

test('core v1 resources include status subresources', () => {
  const names = (new Registry().apiResourceList('', 'v1')['resources'] as JsonObject[]).map((x) => x['name']);
  expect(names).toEqual(expect.arrayContaining(['services', 'services/status', 'pods/status', 'nodes/status', 'configmaps', 'secrets', 'events']));
  expect(names).not.toContain('configmaps/status');
});

test('OpenAPI v3: every PATCH names its GVK and takes fieldValidation, without strategic merge', () => {
  const r = new Registry();
  r.put(widgets);
  const doc = openApiGroupVersion(r, 'lab.headland.io', 'v1');
  const item = (doc['paths'] as JsonObject)['/apis/lab.headland.io/v1/namespaces/{namespace}/widgets/{name}'] as JsonObject;
  const patch = item['patch'] as JsonObject;
  expect(patch['x-kubernetes-group-version-kind']).toEqual({ group: 'lab.headland.io', version: 'v1', kind: 'Widget' });
  expect((patch['parameters'] as JsonObject[]).map((p) => p['name'])).toContain('fieldValidation');
  expect(Object.keys(((patch['requestBody'] as JsonObject)['content'] as JsonObject))).not.toContain('application/strategic-merge-patch+json');
});

test('the OpenAPI root hash changes when a group-version document does', () => {
  const r = new Registry();
  r.put(widgets);
  const before = JSON.stringify(openApiRoot(r));
  r.put({ ...widgets, plural: 'gadgets', kind: 'Gadget' });
  const after = openApiRoot(r);
  expect(Object.keys(after['paths'] as JsonObject)).toHaveLength(BUILTIN_TYPES.reduce((s, t) => s.add(`${t.group}/${t.versions[0] ?? ''}`), new Set<string>()).size + 1);
  expect(JSON.stringify(after)).not.toBe(before);
});
