import type { RequestAttributes, UserInfo } from '../identity.js';
import { authorize } from './authorizer.js';
import { MemoryRbac } from './memory.js';

const RBAC = 'rbac.authorization.k8s.io/v1';
type Rule = { verbs: string[]; apiGroups?: string[]; resources?: string[]; resourceNames?: string[]; nonResourceURLs?: string[] };
type Subj = { kind: string; name: string; namespace?: string };

const clusterRole = (name: string, rules: Rule[]) => ({ apiVersion: RBAC, kind: 'ClusterRole', metadata: { name }, rules });
const role = (namespace: string, name: string, rules: Rule[]) => ({ apiVersion: RBAC, kind: 'Role', metadata: { name, namespace }, rules });
const roleRef = (kind: string, name: string) => ({ apiGroup: 'rbac.authorization.k8s.io', kind, name });
const crb = (name: string, ref: string, subjects: Subj[]) => ({ apiVersion: RBAC, kind: 'ClusterRoleBinding', metadata: { name }, roleRef: roleRef('ClusterRole', ref), subjects });
const rb = (namespace: string, name: string, refKind: string, ref: string, subjects: Subj[]) => ({
  apiVersion: RBAC,
  kind: 'RoleBinding',
  metadata: { name, namespace },
  roleRef: roleRef(refKind, ref),
  subjects,
});

const rbac = new MemoryRbac([
  clusterRole('reader', [{ verbs: ['get', 'list', 'watch'], apiGroups: [''], resources: ['services', 'pods'] }]),
  clusterRole('status-writer', [{ verbs: ['patch'], apiGroups: [''], resources: ['services/status'] }]),
  clusterRole('deployer', [{ verbs: ['*'], apiGroups: ['apps'], resources: ['deployments'] }]),
  clusterRole('configmap-getter', [{ verbs: ['get'], apiGroups: ['*'], resources: ['configmaps'] }]),
  clusterRole('batch-getter', [{ verbs: ['get'], apiGroups: ['batch'], resources: ['*'] }]),
  clusterRole('any-status', [{ verbs: ['update'], apiGroups: ['*'], resources: ['*/status'] }]),
  clusterRole('one-configmap', [{ verbs: ['get', 'list', 'watch', 'create', 'update', 'delete'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['cm-a'] }]),
  clusterRole('urls', [{ verbs: ['get'], nonResourceURLs: ['/healthz', '/logs/*'] }]),
  clusterRole('everything', [
    { verbs: ['*'], apiGroups: ['*'], resources: ['*'] },
    { verbs: ['*'], nonResourceURLs: ['*'] },
  ]),
  role('team-a', 'secret-reader', [{ verbs: ['get'], apiGroups: [''], resources: ['secrets'] }]),
  crb('reader', 'reader', [{ kind: 'User', name: 'alice' }]),
  crb('speaker-status', 'status-writer', [{ kind: 'ServiceAccount', name: 'headland-speaker', namespace: 'headland-system' }]),
  crb('sa-without-namespace', 'reader', [{ kind: 'ServiceAccount', name: 'lost' }]),
  crb('devs', 'deployer', [{ kind: 'Group', name: 'devs' }]),
  crb('configmaps', 'configmap-getter', [{ kind: 'User', name: 'ivy' }]),
  crb('batch', 'batch-getter', [{ kind: 'User', name: 'ivy' }]),
  crb('any-status', 'any-status', [{ kind: 'User', name: 'ivy' }]),
  crb('one-configmap', 'one-configmap', [{ kind: 'User', name: 'carol' }]),
  crb('urls', 'urls', [{ kind: 'Group', name: 'system:authenticated' }]),
  crb('ghost', 'ghost', [{ kind: 'User', name: 'bob' }, { kind: 'User', name: 'mia' }]),
  crb('ghost-again', 'ghost', [{ kind: 'User', name: 'mia' }]),
  crb('reader-for-mia', 'reader', [{ kind: 'User', name: 'mia' }]),
  crb('second-subject', 'reader', [{ kind: 'User', name: 'nobody' }, { kind: 'Group', name: 'readers' }]),
  rb('team-a', 'admin-here', 'ClusterRole', 'everything', [{ kind: 'User', name: 'erin' }]),
  rb('team-a', 'builder', 'Role', 'secret-reader', [{ kind: 'ServiceAccount', name: 'builder' }]),
  rb('team-a', 'broken-role', 'Role', 'nope', [{ kind: 'User', name: 'frank' }]),
  rb('team-a', 'broken-kind', 'Foo', 'x', [{ kind: 'User', name: 'frank' }]),
  rb('team-a', 'other-namespace-role', 'Role', 'secret-reader', [{ kind: 'User', name: 'gus' }]),
  rb('team-b', 'gus-role-elsewhere', 'Role', 'secret-reader', [{ kind: 'User', name: 'gus' }]),
  rb('team-b', 'urls-in-namespace', 'ClusterRole', 'urls', [{ kind: 'User', name: 'hank' }]),
  rb('team-b', 'everything-in-b', 'ClusterRole', 'everything', [{ kind: 'User', name: 'hank' }]),
]);

const u = (name: string, ...groups: string[]): UserInfo => ({ name, groups: [...groups, 'system:authenticated'] });
const sa = (namespace: string, name: string): UserInfo => ({
  name: `system:serviceaccount:${namespace}:${name}`,
  groups: ['system:serviceaccounts', `system:serviceaccounts:${namespace}`, 'system:authenticated'],
});

function res(user: UserInfo, verb: string, apiGroup: string, combined: string, namespace = '', name = ''): RequestAttributes {
  const [resource = '', subresource = ''] = combined.split('/');
  return { kind: 'resource', user, verb, apiGroup, apiVersion: 'v1', resource, subresource, name, namespace };
}

function url(user: UserInfo, verb: string, path: string): RequestAttributes {
  return { kind: 'nonResource', user, verb, path };
}

const alice = u('alice');
const byReader = 'RBAC: allowed by ClusterRoleBinding "reader" of ClusterRole "reader" to User "alice"';

test.each<[string, RequestAttributes, boolean, string]>([
  // A ClusterRoleBinding grants in every namespace and at the cluster scope.
  ['crb: get in a namespace', res(alice, 'get', '', 'services', 'default', 'web'), true, byReader],
  ['crb: list across namespaces', res(alice, 'list', '', 'services'), true, byReader],
  ['crb: watch in another namespace', res(alice, 'watch', '', 'pods', 'team-a'), true, byReader],
  ['crb: not a verb it grants', res(alice, 'update', '', 'services', 'default', 'web'), false, ''],
  ['crb: not a resource it grants', res(alice, 'get', '', 'secrets', 'default', 's'), false, ''],
  ['crb: the core rule is not the apps group', res(alice, 'get', 'apps', 'services', 'default', 'web'), false, ''],
  ['crb: not the subresource', res(alice, 'get', '', 'services/status', 'default', 'web'), false, ''],
  ['unknown user', res(u('zed'), 'get', '', 'services', 'default', 'web'), false, ''],
  // Subjects.
  ['group subject', res(u('dan', 'devs'), 'delete', 'apps', 'deployments', 'x', 'd'), true, 'RBAC: allowed by ClusterRoleBinding "devs" of ClusterRole "deployer" to Group "devs"'],
  ['group name is not a user name', res(u('devs'), 'delete', 'apps', 'deployments', 'x', 'd'), false, ''],
  ['the first matching subject is named', res(u('rio', 'readers'), 'get', '', 'pods', 'x', 'p'), true, 'RBAC: allowed by ClusterRoleBinding "second-subject" of ClusterRole "reader" to Group "readers"'],
  ['service account subject', res(sa('headland-system', 'headland-speaker'), 'patch', '', 'services/status', 'y', 'x'), true,
    'RBAC: allowed by ClusterRoleBinding "speaker-status" of ClusterRole "status-writer" to ServiceAccount "headland-speaker/headland-system"'],
  ['service account of another namespace', res(sa('default', 'headland-speaker'), 'patch', '', 'services/status', 'y', 'x'), false, ''],
  ['service account subject is not a user name', res(u('headland-speaker'), 'patch', '', 'services/status', 'y', 'x'), false, ''],
  ['a crb service account needs its namespace', res(sa('default', 'lost'), 'get', '', 'services', 'default', 'web'), false, ''],
  ['rb service account defaults to the binding namespace', res(sa('team-a', 'builder'), 'get', '', 'secrets', 'team-a', 's'), true,
    'RBAC: allowed by RoleBinding "builder/team-a" of Role "secret-reader" to ServiceAccount "builder/team-a"'],
  ['rb service account of another namespace', res(sa('team-b', 'builder'), 'get', '', 'secrets', 'team-a', 's'), false, ''],
  // Wildcards.
  ['verb *', res(u('dan', 'devs'), 'deletecollection', 'apps', 'deployments', 'x'), true, 'RBAC: allowed by ClusterRoleBinding "devs" of ClusterRole "deployer" to Group "devs"'],
  ['apiGroups * reaches the core group', res(u('ivy'), 'get', '', 'configmaps', 'x', 'c'), true, 'RBAC: allowed by ClusterRoleBinding "configmaps" of ClusterRole "configmap-getter" to User "ivy"'],
  ['apiGroups * reaches any group', res(u('ivy'), 'get', 'example.com', 'configmaps', 'x', 'c'), true, 'RBAC: allowed by ClusterRoleBinding "configmaps" of ClusterRole "configmap-getter" to User "ivy"'],
  ['resources * in one group', res(u('ivy'), 'get', 'batch', 'cronjobs', 'x', 'c'), true, 'RBAC: allowed by ClusterRoleBinding "batch" of ClusterRole "batch-getter" to User "ivy"'],
  ['resources * covers subresources', res(u('ivy'), 'get', 'batch', 'jobs/status', 'x', 'j'), true, 'RBAC: allowed by ClusterRoleBinding "batch" of ClusterRole "batch-getter" to User "ivy"'],
  ['resources * stays in its group', res(u('ivy'), 'get', 'apps', 'deployments', 'x', 'd'), false, ''],
  ['*/status', res(u('ivy'), 'update', 'apps', 'deployments/status', 'x', 'd'), true, 'RBAC: allowed by ClusterRoleBinding "any-status" of ClusterRole "any-status" to User "ivy"'],
  ['*/status is not the main resource', res(u('ivy'), 'update', 'apps', 'deployments', 'x', 'd'), false, ''],
  // resourceNames.
  ['resourceNames: get the named one', res(u('carol'), 'get', '', 'configmaps', 'x', 'cm-a'), true,
    'RBAC: allowed by ClusterRoleBinding "one-configmap" of ClusterRole "one-configmap" to User "carol"'],
  ['resourceNames: get another', res(u('carol'), 'get', '', 'configmaps', 'x', 'cm-b'), false, ''],
  ['resourceNames: list without a name', res(u('carol'), 'list', '', 'configmaps', 'x'), false, ''],
  ['resourceNames: watch pinned to the name', res(u('carol'), 'watch', '', 'configmaps', 'x', 'cm-a'), true,
    'RBAC: allowed by ClusterRoleBinding "one-configmap" of ClusterRole "one-configmap" to User "carol"'],
  ['resourceNames: create has no name', res(u('carol'), 'create', '', 'configmaps', 'x'), false, ''],
  ['resourceNames: update the named one', res(u('carol'), 'update', '', 'configmaps', 'x', 'cm-a'), true,
    'RBAC: allowed by ClusterRoleBinding "one-configmap" of ClusterRole "one-configmap" to User "carol"'],
  // A RoleBinding to a ClusterRole grants in its namespace only.
  ['rb to a ClusterRole: its namespace', res(u('erin'), 'delete', '', 'secrets', 'team-a', 's'), true,
    'RBAC: allowed by RoleBinding "admin-here/team-a" of ClusterRole "everything" to User "erin"'],
  ['rb to a ClusterRole: another namespace', res(u('erin'), 'delete', '', 'secrets', 'team-b', 's'), false, ''],
  ['rb to a ClusterRole: all namespaces', res(u('erin'), 'list', '', 'secrets'), false, ''],
  ['rb to a ClusterRole: cluster-scoped', res(u('erin'), 'get', '', 'nodes', '', 'n1'), false, ''],
  ['rb to a ClusterRole: no URLs', url(u('hank'), 'get', '/metrics'), false, ''],
  // A RoleBinding's Role is looked up in the binding's namespace.
  ['rb to a Role: its namespace', res(u('gus'), 'get', '', 'secrets', 'team-a', 's'), true,
    'RBAC: allowed by RoleBinding "other-namespace-role/team-a" of Role "secret-reader" to User "gus"'],
  ['rb to a Role missing from its namespace', res(u('gus'), 'get', '', 'secrets', 'team-b', 's'), false, 'RBAC: role.rbac.authorization.k8s.io "secret-reader" not found'],
  // Non-resource URLs come from ClusterRoleBindings.
  ['url exact', url(u('anyone'), 'get', '/healthz'), true, 'RBAC: allowed by ClusterRoleBinding "urls" of ClusterRole "urls" to Group "system:authenticated"'],
  ['url exact is not a prefix', url(u('anyone'), 'get', '/healthz/etcd'), false, ''],
  ['url prefix', url(u('anyone'), 'get', '/logs/kube-apiserver.log'), true, 'RBAC: allowed by ClusterRoleBinding "urls" of ClusterRole "urls" to Group "system:authenticated"'],
  ['url prefix, other verb', url(u('anyone'), 'post', '/logs/x'), false, ''],
  ['url, unauthenticated', url({ name: 'system:anonymous', groups: ['system:unauthenticated'] }, 'get', '/healthz'), false, ''],
  // Bindings to roles that do not exist grant nothing, and say so when nothing else allows.
  ['missing ClusterRole', res(u('bob'), 'get', '', 'services', 'default', 'web'), false, 'RBAC: clusterrole.rbac.authorization.k8s.io "ghost" not found'],
  ['missing ClusterRole, URL', url({ name: 'bob', groups: [] }, 'get', '/version'), false, 'RBAC: clusterrole.rbac.authorization.k8s.io "ghost" not found'],
  ['missing role, allowed by another binding', res(u('mia'), 'get', '', 'services', 'default', 'web'), true, 'RBAC: allowed by ClusterRoleBinding "reader-for-mia" of ClusterRole "reader" to User "mia"'],
  ['missing role twice, reported once', res(u('mia'), 'delete', '', 'services', 'default', 'web'), false, 'RBAC: clusterrole.rbac.authorization.k8s.io "ghost" not found'],
  ['several errors', res(u('frank'), 'get', '', 'secrets', 'team-a', 's'), false,
    'RBAC: [role.rbac.authorization.k8s.io "nope" not found, unsupported role reference kind: "Foo"]'],
  ['namespace errors only where the namespace is asked', res(u('frank'), 'get', '', 'secrets', 'team-b', 's'), false, ''],
  // The privileged group.
  ['system:masters', res(u('root', 'system:masters'), 'escalate', 'rbac.authorization.k8s.io', 'clusterroles', '', 'x'), true, ''],
  ['system:masters, URL', url(u('root', 'system:masters'), 'delete', '/anything'), true, ''],
  ['a user named system:masters is not the group', res(u('system:masters'), 'get', '', 'secrets', 'x', 's'), false, ''],
])('%s', (_what, attrs, allowed, reason) => {
  expect(authorize(attrs, rbac)).toEqual({ allowed, reason });
});

test('system:masters needs no RBAC objects at all', () => {
  expect(authorize(res(u('root', 'system:masters'), 'get', '', 'secrets', 'x', 's'), new MemoryRbac([]))).toEqual({ allowed: true, reason: '' });
});
