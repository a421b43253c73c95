import type { UserInfo } from '../identity.js';
import { bootstrapPolicy } from './bootstrap.js';
import { MemoryRbac } from './memory.js';
import { rulesReview, RulesReviewError } from './rules-review.js';

const RBAC = 'rbac.authorization.k8s.io/v1';
const ref = (kind: string, name: string) => ({ apiGroup: 'rbac.authorization.k8s.io', kind, name });

const rbac = new MemoryRbac([
  {
    apiVersion: RBAC,
    kind: 'ClusterRole',
    metadata: { name: 'viewer' },
    rules: [
      { verbs: ['get', 'list'], apiGroups: [''], resources: ['services'] },
      { verbs: ['get'], nonResourceURLs: ['/metrics'] },
      { verbs: ['get'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['one'] },
      { verbs: ['get'] },
    ],
  },
  { apiVersion: RBAC, kind: 'ClusterRole', metadata: { name: 'aggregated' }, rules: null },
  { apiVersion: RBAC, kind: 'Role', metadata: { name: 'secrets', namespace: 'team-a' }, rules: [{ verbs: ['get'], apiGroups: [''], resources: ['secrets'] }] },
  { apiVersion: RBAC, kind: 'ClusterRoleBinding', metadata: { name: 'viewer' }, roleRef: ref('ClusterRole', 'viewer'), subjects: [{ kind: 'User', name: 'alice' }] },
  { apiVersion: RBAC, kind: 'ClusterRoleBinding', metadata: { name: 'aggregated' }, roleRef: ref('ClusterRole', 'aggregated'), subjects: [{ kind: 'User', name: 'alice' }] },
  { apiVersion: RBAC, kind: 'RoleBinding', metadata: { name: 'secrets', namespace: 'team-a' }, roleRef: ref('Role', 'secrets'), subjects: [{ kind: 'User', name: 'alice' }] },
  // A RoleBinding cannot grant URLs: the rule shows in the review all the same, as the real one's does.
  { apiVersion: RBAC, kind: 'RoleBinding', metadata: { name: 'urls', namespace: 'team-a' }, roleRef: ref('ClusterRole', 'viewer'), subjects: [{ kind: 'User', name: 'bob' }] },
  { apiVersion: RBAC, kind: 'RoleBinding', metadata: { name: 'broken', namespace: 'team-a' }, roleRef: ref('Role', 'gone'), subjects: [{ kind: 'User', name: 'alice' }] },
  { apiVersion: RBAC, kind: 'RoleBinding', metadata: { name: 'broken2', namespace: 'team-a' }, roleRef: ref('ClusterRole', 'gone'), subjects: [{ kind: 'User', name: 'alice' }] },
]);

const user = (name: string, ...groups: string[]): UserInfo => ({ name, groups });

const viewerResourceRules = [
  { verbs: ['get', 'list'], apiGroups: [''], resources: ['services'] },
  { verbs: ['get'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['one'] },
];

test.each<[string, UserInfo, string, object]>([
  ['cluster rules only, in a namespace without bindings', user('alice'), 'default', {
    resourceRules: viewerResourceRules,
    nonResourceRules: [{ verbs: ['get'], nonResourceURLs: ['/metrics'] }],
    incomplete: false,
  }],
  ['cluster and namespace rules, with evaluation errors', user('alice'), 'team-a', {
    resourceRules: [...viewerResourceRules, { verbs: ['get'], apiGroups: [''], resources: ['secrets'] }],
    nonResourceRules: [{ verbs: ['get'], nonResourceURLs: ['/metrics'] }],
    incomplete: false,
    evaluationError: '[role.rbac.authorization.k8s.io "gone" not found, clusterrole.rbac.authorization.k8s.io "gone" not found]',
  }],
  ['a RoleBinding to a ClusterRole lists all its rules', user('bob'), 'team-a', {
    resourceRules: viewerResourceRules,
    nonResourceRules: [{ verbs: ['get'], nonResourceURLs: ['/metrics'] }],
    incomplete: false,
  }],
  ['nothing bound', user('zed'), 'team-a', { resourceRules: [], nonResourceRules: [], incomplete: false }],
])('%s', (_what, u, namespace, expected) => {
  expect(rulesReview(u, namespace, rbac)).toEqual(expected);
});

test('what kubectl auth can-i --list shows an ordinary user of a fresh cluster', () => {
  const { clusterRoles, clusterRoleBindings } = bootstrapPolicy();
  const fresh = new MemoryRbac([...clusterRoles, ...clusterRoleBindings]);
  expect(rulesReview(user('alice', 'system:authenticated'), 'default', fresh)).toEqual({
    resourceRules: [
      { verbs: ['create'], apiGroups: ['authorization.k8s.io'], resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'] },
      { verbs: ['create'], apiGroups: ['authentication.k8s.io'], resources: ['selfsubjectreviews'] },
    ],
    nonResourceRules: [
      { verbs: ['get'], nonResourceURLs: ['/api', '/api/*', '/apis', '/apis/*', '/healthz', '/livez', '/openapi', '/openapi/*', '/readyz', '/version', '/version/'] },
      { verbs: ['get'], nonResourceURLs: ['/healthz', '/livez', '/readyz', '/version', '/version/'] },
    ],
    incomplete: false,
  });
});

test('system:masters sees cluster-admin, bound to its group', () => {
  const { clusterRoles, clusterRoleBindings } = bootstrapPolicy();
  const fresh = new MemoryRbac([...clusterRoles, ...clusterRoleBindings]);
  const status = rulesReview(user('admin', 'system:masters', 'system:authenticated'), 'default', fresh);
  expect(status.resourceRules[0]).toEqual({ verbs: ['*'], apiGroups: ['*'], resources: ['*'] });
  expect(status.nonResourceRules[0]).toEqual({ verbs: ['*'], nonResourceURLs: ['*'] });
});

test('a review needs a namespace, as the real server answers 400', () => {
  const call = () => rulesReview(user('alice'), '', rbac);
  expect(call).toThrow(RulesReviewError);
  expect(call).toThrow('rbac/rules-review: no namespace on request');
});
