import { MemoryRbac, MemoryRbacError } from './memory.js';
import { objectName } from './objects.js';

const RBAC = 'rbac.authorization.k8s.io/v1';
const rbac = new MemoryRbac([
  { apiVersion: RBAC, kind: 'Role', metadata: { name: 'r', namespace: 'a' } },
  { apiVersion: RBAC, kind: 'Role', metadata: { name: 'r', namespace: 'b' } },
  { apiVersion: RBAC, kind: 'RoleBinding', metadata: { name: 'rb', namespace: 'a' } },
  { apiVersion: RBAC, kind: 'ClusterRole', metadata: { name: 'cr' } },
  { apiVersion: RBAC, kind: 'ClusterRoleBinding', metadata: { name: 'crb' } },
  { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'sa', namespace: 'a' } },
  { apiVersion: 'v1', kind: 'Role', metadata: { name: 'not-rbac', namespace: 'a' } },
]);

const names = (objs: readonly { readonly [k: string]: unknown }[]) => objs.map(objectName);

test.each([
  ['roles in a', () => names(rbac.roles('a')), ['r']],
  ['roles in c', () => names(rbac.roles('c')), []],
  ['role bindings in a', () => names(rbac.roleBindings('a')), ['rb']],
  ['role bindings in b', () => names(rbac.roleBindings('b')), []],
  ['cluster roles', () => names(rbac.clusterRoles()), ['cr']],
  ['cluster role bindings', () => names(rbac.clusterRoleBindings()), ['crb']],
  ['role b/r', () => rbac.role('b', 'r')?.['metadata'], { name: 'r', namespace: 'b' }],
  ['role c/r', () => rbac.role('c', 'r'), undefined],
  ['cluster role cr', () => objectName(rbac.clusterRole('cr') ?? {}), 'cr'],
  ['cluster role missing', () => rbac.clusterRole('x'), undefined],
])('%s', (_what, get, expected) => {
  expect(get()).toEqual(expected);
});

test.each([
  [{ apiVersion: RBAC, kind: 'ClusterRole', metadata: {} }, 'rbac/memory: a ClusterRole has no metadata.name'],
  [{ apiVersion: RBAC, kind: 'Role', metadata: { name: 'r' } }, 'rbac/memory: Role "r" has no metadata.namespace'],
  [{ apiVersion: RBAC, kind: 'RoleBinding', metadata: { name: 'b' } }, 'rbac/memory: RoleBinding "b" has no metadata.namespace'],
])('rejects %j', (obj, message) => {
  expect(() => new MemoryRbac([obj])).toThrow(MemoryRbacError);
  expect(() => new MemoryRbac([obj])).toThrow(message);
});
