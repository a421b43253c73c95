import type { RequestAttributes, UserInfo } from '../identity.js';
import { forbiddenMessage, forbiddenStatus } from './forbidden.js';

const speaker: UserInfo = { name: 'system:serviceaccount:headland-system:headland-speaker', groups: ['system:authenticated'] };
const anonymous: UserInfo = { name: 'system:anonymous', groups: ['system:unauthenticated'] };

function res(user: UserInfo, verb: string, apiGroup: string, combined: string, namespace = '', name = ''): RequestAttributes {
  const [resource = '', subresource = ''] = combined.split('/');
  return { kind: 'resource', user, verb, apiGroup, apiVersion: 'v1', resource, subresource, name, namespace };
}

const SPEAKER = 'User "system:serviceaccount:headland-system:headland-speaker"';

test.each<[string, RequestAttributes, string, string]>([
  ['namespaced, named, subresource', res(speaker, 'patch', '', 'services/status', 'y', 'x'), '',
    `services "x" is forbidden: ${SPEAKER} cannot patch resource "services/status" in API group "" in the namespace "y"`],
  ['namespaced collection', res(anonymous, 'list', '', 'pods', 'default'), '',
    'pods is forbidden: User "system:anonymous" cannot list resource "pods" in API group "" in the namespace "default"'],
  ['all namespaces', res(speaker, 'list', '', 'secrets'), '',
    `secrets is forbidden: ${SPEAKER} cannot list resource "secrets" in API group "" at the cluster scope`],
  ['cluster-scoped, named', res(speaker, 'delete', '', 'nodes', '', 'n1'), '',
    `nodes "n1" is forbidden: ${SPEAKER} cannot delete resource "nodes" in API group "" at the cluster scope`],
  ['create has no name', res(speaker, 'create', 'apps', 'deployments', 'ns'), '',
    `deployments.apps is forbidden: ${SPEAKER} cannot create resource "deployments" in API group "apps" in the namespace "ns"`],
  ['group resource and subresource', res(speaker, 'update', 'headland.io', 'ipaddresspools/status', 'headland-system', 'pool'), '',
    `ipaddresspools.headland.io "pool" is forbidden: ${SPEAKER} cannot update resource "ipaddresspools/status" in API group "headland.io" in the namespace "headland-system"`],
  ['with the RBAC reason', res(speaker, 'get', '', 'services', 'd', 'web'), 'RBAC: clusterrole.rbac.authorization.k8s.io "ghost" not found',
    `services "web" is forbidden: ${SPEAKER} cannot get resource "services" in API group "" in the namespace "d": RBAC: clusterrole.rbac.authorization.k8s.io "ghost" not found`],
  ['non-resource', { kind: 'nonResource', user: anonymous, verb: 'get', path: '/foo' }, '', 'forbidden: User "system:anonymous" cannot get path "/foo"'],
  ['non-resource, other verb', { kind: 'nonResource', user: { name: 'x', groups: [] }, verb: 'post', path: '/healthz' }, '', 'forbidden: User "x" cannot post path "/healthz"'],
  ['quotes escaped as Go does', res({ name: 'we"ird', groups: [] }, 'get', '', 'services', 'a', 'b"c'), '',
    'services "b\\"c" is forbidden: User "we\\"ird" cannot get resource "services" in API group "" in the namespace "a"'],
  ['HTML escaped in the message, not in the reason', { kind: 'nonResource', user: anonymous, verb: 'get', path: '/<x>&' }, 'RBAC: <y>',
    'forbidden: User "system:anonymous" cannot get path "/&lt;x&gt;&amp;": RBAC: <y>'],
  ['no resource, no group', res(speaker, 'get', '', '', '', ''), '', `forbidden: ${SPEAKER} cannot get resource "" in API group "" at the cluster scope`],
])('%s', (_what, attrs, reason, expected) => {
  expect(forbiddenMessage(attrs, reason)).toBe(expected);
});

test.each<[string, RequestAttributes, object]>([
  ['named core resource', res(speaker, 'patch', '', 'services/status', 'y', 'x'), { name: 'x', kind: 'services' }],
  ['group collection', res(speaker, 'list', 'apps', 'deployments', 'y'), { group: 'apps', kind: 'deployments' }],
  ['non-resource', { kind: 'nonResource', user: anonymous, verb: 'get', path: '/foo' }, {}],
])('Status details: %s', (_what, attrs, details) => {
  expect(forbiddenStatus(attrs)).toEqual({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: forbiddenMessage(attrs),
    reason: 'Forbidden',
    details,
    code: 403,
  });
});
