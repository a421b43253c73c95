import { bindingRoleRef, bindingSubjects, objectName, objectNamespace, policyRules } from './objects.js';

test.each([
  ['absent rules', {}, []],
  ['null rules (an aggregated ClusterRole before it is filled)', { rules: null }, []],
  ['rules not a list', { rules: 'x' }, []],
  [
    'absent and null fields read as empty lists',
    { rules: [{ verbs: ['get'], apiGroups: null }] },
    [{ verbs: ['get'], apiGroups: [], resources: [], resourceNames: [], nonResourceURLs: [] }],
  ],
  [
    'every field',
    { rules: [{ verbs: ['get'], apiGroups: [''], resources: ['services'], resourceNames: ['a'], nonResourceURLs: ['/x'] }] },
    [{ verbs: ['get'], apiGroups: [''], resources: ['services'], resourceNames: ['a'], nonResourceURLs: ['/x'] }],
  ],
  ['entries that are not strings are skipped', { rules: [{ verbs: ['get', 1, null] }] }, [{ verbs: ['get'], apiGroups: [], resources: [], resourceNames: [], nonResourceURLs: [] }]],
])('policyRules: %s', (_what, role, expected) => {
  expect(policyRules(role)).toEqual(expected);
});

test.each([
  ['absent', {}, []],
  ['null', { subjects: null }, []],
  [
    'namespace defaults to ""',
    { subjects: [{ kind: 'User', name: 'a', apiGroup: 'rbac.authorization.k8s.io' }, { kind: 'ServiceAccount', name: 'sa', namespace: 'ns' }] },
    [{ kind: 'User', name: 'a', namespace: '' }, { kind: 'ServiceAccount', name: 'sa', namespace: 'ns' }],
  ],
])('bindingSubjects: %s', (_what, binding, expected) => {
  expect(bindingSubjects(binding)).toEqual(expected);
});

test.each([
  ['complete', { roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'r' } }, { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'r' }],
  ['absent', {}, { apiGroup: '', kind: '', name: '' }],
])('bindingRoleRef: %s', (_what, binding, expected) => {
  expect(bindingRoleRef(binding)).toEqual(expected);
});

test.each([
  [{ metadata: { name: 'n', namespace: 'ns' } }, 'n', 'ns'],
  [{ metadata: { name: 'n' } }, 'n', ''],
  [{}, '', ''],
  [{ metadata: [] }, '', ''],
])('name and namespace of %j', (obj, name, namespace) => {
  expect([objectName(obj), objectNamespace(obj)]).toEqual([name, namespace]);
});
