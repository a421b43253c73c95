import type { RequestAttributes, UserInfo } from '../identity.js';
import { authorize } from './authorizer.js';
import { bootstrapPolicy } from './bootstrap.js';
import { MemoryRbac } from './memory.js';

const policy = bootstrapPolicy();
const fresh = new MemoryRbac([...policy.clusterRoles, ...policy.clusterRoleBindings]);

const anonymous: UserInfo = { name: 'system:anonymous', groups: ['system:unauthenticated'] };
const alice: UserInfo = { name: 'alice', groups: ['system:authenticated'] };

const url = (user: UserInfo, verb: string, path: string): RequestAttributes => ({ kind: 'nonResource', user, verb, path });
const res = (user: UserInfo, verb: string, apiGroup: string, resource: string, namespace = ''): RequestAttributes => ({
  kind: 'resource',
  user,
  verb,
  apiGroup,
  apiVersion: 'v1',
  resource,
  subresource: '',
  name: '',
  namespace,
});
const by = (role: string, group: string) => `RBAC: allowed by ClusterRoleBinding "${role}" of ClusterRole "${role}" to Group "${group}"`;

test.each<[string, RequestAttributes, boolean, string]>([
  ['anonymous: /version', url(anonymous, 'get', '/version'), true, by('system:public-info-viewer', 'system:unauthenticated')],
  ['anonymous: /version/', url(anonymous, 'get', '/version/'), true, by('system:public-info-viewer', 'system:unauthenticated')],
  ['anonymous: /healthz', url(anonymous, 'get', '/healthz'), true, by('system:public-info-viewer', 'system:unauthenticated')],
  ['anonymous: /livez', url(anonymous, 'get', '/livez'), true, by('system:public-info-viewer', 'system:unauthenticated')],
  ['anonymous: /readyz', url(anonymous, 'get', '/readyz'), true, by('system:public-info-viewer', 'system:unauthenticated')],
  ['anonymous: no single health check', url(anonymous, 'get', '/readyz/etcd'), false, ''],
  ['anonymous: no discovery', url(anonymous, 'get', '/api'), false, ''],
  ['anonymous: no OpenAPI', url(anonymous, 'get', '/openapi/v3'), false, ''],
  ['anonymous: no self review', res(anonymous, 'create', 'authorization.k8s.io', 'selfsubjectaccessreviews'), false, ''],
  ['authenticated: /api', url(alice, 'get', '/api'), true, by('system:discovery', 'system:authenticated')],
  ['authenticated: /apis/apps/v1', url(alice, 'get', '/apis/apps/v1'), true, by('system:discovery', 'system:authenticated')],
  ['authenticated: /openapi/v3/api/v1', url(alice, 'get', '/openapi/v3/api/v1'), true, by('system:discovery', 'system:authenticated')],
  ['authenticated: /healthz (discovery binds first)', url(alice, 'get', '/healthz'), true, by('system:discovery', 'system:authenticated')],
  ['authenticated: only get', url(alice, 'post', '/api'), false, ''],
  ['authenticated: no metrics', url(alice, 'get', '/metrics'), false, ''],
  ['authenticated: SelfSubjectAccessReview', res(alice, 'create', 'authorization.k8s.io', 'selfsubjectaccessreviews'), true, by('system:basic-user', 'system:authenticated')],
  ['authenticated: SelfSubjectRulesReview', res(alice, 'create', 'authorization.k8s.io', 'selfsubjectrulesreviews'), true, by('system:basic-user', 'system:authenticated')],
  ['authenticated: SelfSubjectReview', res(alice, 'create', 'authentication.k8s.io', 'selfsubjectreviews'), true, by('system:basic-user', 'system:authenticated')],
  ['authenticated: no SubjectAccessReview', res(alice, 'create', 'authorization.k8s.io', 'subjectaccessreviews'), false, ''],
  ['authenticated: no pods', res(alice, 'list', '', 'pods', 'default'), false, ''],
])('%s', (_what, attrs, allowed, reason) => {
  expect(authorize(attrs, fresh)).toEqual({ allowed, reason });
});

test.each([...policy.clusterRoles, ...policy.clusterRoleBindings].map((o) => [(o['metadata'] as { name: string }).name, o['kind'], o]))(
  '%s (%s) is marked as a default the server keeps up to date',
  (_name, _kind, obj) => {
    expect(obj).toMatchObject({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      metadata: { labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults' }, annotations: { 'rbac.authorization.kubernetes.io/autoupdate': 'true' } },
    });
  },
);

test.each([
  ['cluster-admin', ['system:masters']],
  ['system:discovery', ['system:authenticated']],
  ['system:basic-user', ['system:authenticated']],
  ['system:public-info-viewer', ['system:authenticated', 'system:unauthenticated']],
])('%s is bound to %j', (name, groups) => {
  const binding = policy.clusterRoleBindings.find((b) => (b['metadata'] as { name: string }).name === name);
  expect(binding).toMatchObject({
    kind: 'ClusterRoleBinding',
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
    subjects: groups.map((g) => ({ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: g })),
  });
  expect(fresh.clusterRole(name)).toBeDefined();
});

test('cluster-admin may do anything, through RBAC alone', () => {
  expect(fresh.clusterRole('cluster-admin')?.['rules']).toEqual([
    { verbs: ['*'], apiGroups: ['*'], resources: ['*'] },
    { verbs: ['*'], nonResourceURLs: ['*'] },
  ]);
});

test('each call gives fresh objects', () => {
  const first = bootstrapPolicy();
  first.clusterRoles.length = 0;
  (first.clusterRoleBindings[0]?.['metadata'] as { name: string }).name = 'changed';
  expect(bootstrapPolicy()).toEqual(policy);
});
