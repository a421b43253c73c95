import type { UserInfo } from '../identity.js';
import { MemoryRbac } from './memory.js';
import { aggregateMessage, roleRefRules, subjectMatches, visitRules } from './resolver.js';

const user = (name: string, ...groups: string[]): UserInfo => ({ name, groups });
const speaker = user('system:serviceaccount:headland-system:headland-speaker', 'system:serviceaccounts');

test.each<[string, UserInfo, { kind: string; name: string; namespace: string }, string, boolean]>([
  ['User', user('alice'), { kind: 'User', name: 'alice', namespace: '' }, '', true],
  ['User, other name', user('alice'), { kind: 'User', name: 'bob', namespace: '' }, '', false],
  ['User subject ignores its namespace', user('alice'), { kind: 'User', name: 'alice', namespace: 'x' }, '', true],
  ['Group', user('alice', 'devs'), { kind: 'Group', name: 'devs', namespace: '' }, '', true],
  ['Group, not a member', user('alice'), { kind: 'Group', name: 'devs', namespace: '' }, '', false],
  ['ServiceAccount', speaker, { kind: 'ServiceAccount', name: 'headland-speaker', namespace: 'headland-system' }, '', true],
  ['ServiceAccount, namespace from the binding', speaker, { kind: 'ServiceAccount', name: 'headland-speaker', namespace: '' }, 'headland-system', true],
  ['ServiceAccount, its own namespace wins', speaker, { kind: 'ServiceAccount', name: 'headland-speaker', namespace: 'other' }, 'headland-system', false],
  ['ServiceAccount, no namespace at all', speaker, { kind: 'ServiceAccount', name: 'headland-speaker', namespace: '' }, '', false],
  ['ServiceAccount, other name', speaker, { kind: 'ServiceAccount', name: 'headland-controller', namespace: 'headland-system' }, '', false],
  ['ServiceAccount subject is not its group', speaker, { kind: 'Group', name: 'system:serviceaccount:headland-system:headland-speaker', namespace: '' }, '', false],
  ['unknown kind', user('alice'), { kind: 'user', name: 'alice', namespace: '' }, '', false],
])('subjectMatches: %s', (_what, u, subject, namespace, expected) => {
  expect(subjectMatches(u, subject, namespace)).toBe(expected);
});

test.each([
  [[], ''],
  [['a'], 'a'],
  [['a', 'a'], 'a'],
  [['a', 'b'], '[a, b]'],
  [['a', 'b', 'a'], '[a, b]'],
])('aggregateMessage(%j)', (errors, expected) => {
  expect(aggregateMessage(errors)).toBe(expected);
});

const RBAC = 'rbac.authorization.k8s.io/v1';
const rbac = new MemoryRbac([
  { apiVersion: RBAC, kind: 'Role', metadata: { name: 'r', namespace: 'a' }, rules: [{ verbs: ['get'] }] },
  { apiVersion: RBAC, kind: 'ClusterRole', metadata: { name: 'cr' }, rules: [{ verbs: ['list'] }, { verbs: ['watch'] }] },
  {
    apiVersion: RBAC,
    kind: 'ClusterRoleBinding',
    metadata: { name: 'to-role' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'r' },
    subjects: [{ kind: 'User', name: 'u' }],
  },
  {
    apiVersion: RBAC,
    kind: 'RoleBinding',
    metadata: { name: 'rb', namespace: 'a' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cr' },
    subjects: [{ kind: 'User', name: 'u' }],
  },
]);

test.each([
  ['Role in the namespace', { apiGroup: '', kind: 'Role', name: 'r' }, 'a', { rules: [{ verbs: ['get'], apiGroups: [], resources: [], resourceNames: [], nonResourceURLs: [] }] }],
  ['Role from a ClusterRoleBinding', { apiGroup: '', kind: 'Role', name: 'r' }, '', { error: 'role.rbac.authorization.k8s.io "r" not found' }],
  ['Role of another namespace', { apiGroup: '', kind: 'Role', name: 'r' }, 'b', { error: 'role.rbac.authorization.k8s.io "r" not found' }],
  ['missing ClusterRole', { apiGroup: '', kind: 'ClusterRole', name: 'x' }, '', { error: 'clusterrole.rbac.authorization.k8s.io "x" not found' }],
  ['unknown kind', { apiGroup: '', kind: 'Group', name: 'x' }, '', { error: 'unsupported role reference kind: "Group"' }],
])('roleRefRules: %s', (_what, ref, namespace, expected) => {
  expect(roleRefRules(ref, namespace, rbac)).toEqual(expected);
});

test.each([
  ['cluster scope', '', ['error: role.rbac.authorization.k8s.io "r" not found']],
  ['namespace a: cluster bindings first, then the namespace', 'a', [
    'error: role.rbac.authorization.k8s.io "r" not found',
    'list from RoleBinding "rb/a" of ClusterRole "cr" to User "u"',
    'watch from RoleBinding "rb/a" of ClusterRole "cr" to User "u"',
  ]],
])('visitRules: %s', (_what, namespace, expected) => {
  const seen = [...visitRules(user('u'), namespace, rbac)].map((v) => ('error' in v ? `error: ${v.error}` : `${v.rule.verbs.join()} from ${v.source}`));
  expect(seen).toEqual(expected);
});
