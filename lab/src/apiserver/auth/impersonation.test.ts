import type { ResourceAttributes, UserInfo } from '../identity.js';
import {
  impersonate,
  impersonatedUser,
  impersonationCheck,
  ImpersonationError,
  parseImpersonationHeaders,
  type Authorize,
  type HeaderValues,
  type ImpersonationTarget,
} from './impersonation.js';

test.each<[string, HeaderValues, ImpersonationTarget[]]>([
  ['no impersonation headers', { accept: 'application/json' }, []],
  ['a user', { 'impersonate-user': 'jane' }, [{ kind: 'User', name: 'jane' }]],
  ['a ServiceAccount user', { 'impersonate-user': 'system:serviceaccount:foo:default' }, [{ kind: 'ServiceAccount', namespace: 'foo', name: 'default' }]],
  ['a ServiceAccount-like name with three parts is a plain user', { 'impersonate-user': 'system:serviceaccount:foo:bar:baz' }, [{ kind: 'User', name: 'system:serviceaccount:foo:bar:baz' }]],
  ['a ServiceAccount-like name with a bad namespace is a plain user', { 'impersonate-user': 'system:serviceaccount:Foo:bar' }, [{ kind: 'User', name: 'system:serviceaccount:Foo:bar' }]],
  [
    'a user and repeated groups, in order',
    { 'impersonate-user': 'jane', 'impersonate-group': ['b', 'a, c'] },
    [{ kind: 'User', name: 'jane' }, { kind: 'Group', name: 'b' }, { kind: 'Group', name: 'a, c' }],
  ],
  ['the first of repeated users', { 'impersonate-user': ['jane', 'joe'] }, [{ kind: 'User', name: 'jane' }]],
  [
    'extras: keys lower-cased and %-unescaped, a value per check',
    { 'impersonate-user': 'jane', 'Impersonate-Extra-Scopes': ['scope-a', 'scope-b'], 'impersonate-extra-example.com%2fescaped%e1%9b%84scopes': 'x' },
    [
      { kind: 'User', name: 'jane' },
      { kind: 'UserExtra', key: 'scopes', value: 'scope-a' },
      { kind: 'UserExtra', key: 'scopes', value: 'scope-b' },
      { kind: 'UserExtra', key: 'example.com/escapedᛄscopes', value: 'x' },
    ],
  ],
  ['an extra key with a malformed escape kept as sent', { 'impersonate-user': 'jane', 'impersonate-extra-almost%zzpercent%xxencoded': 'v' }, [
    { kind: 'User', name: 'jane' },
    { kind: 'UserExtra', key: 'almost%zzpercent%xxencoded', value: 'v' },
  ]],
  ['a uid, checked last', { 'impersonate-uid': 'u-1', 'impersonate-user': 'jane' }, [{ kind: 'User', name: 'jane' }, { kind: 'UID', uid: 'u-1' }]],
])('parseImpersonationHeaders: %s', (_name, headers, expected) => {
  expect(parseImpersonationHeaders(headers)).toEqual(expected);
});

test.each<[string, HeaderValues, string]>([
  ['a group without a user', { 'impersonate-group': 'some-group' }, 'requested [{Group  some-group    }] without impersonating a user'],
  ['an extra without a user', { 'impersonate-extra-scopes': 'scope-a' }, 'requested [{UserExtra  scope-a  authentication.k8s.io/v1  scopes}] without impersonating a user'],
  ['a uid without a user', { 'impersonate-uid': 'some-uid' }, 'requested [{UID  some-uid  authentication.k8s.io/v1  }] without impersonating a user'],
  ['groups with an empty user', { 'impersonate-user': '', 'impersonate-group': ['a', 'b'] }, 'requested [{Group  a    } {Group  b    }] without impersonating a user'],
])('parseImpersonationHeaders refuses %s', (_name, headers, message) => {
  expect(() => parseImpersonationHeaders(headers)).toThrow(ImpersonationError);
  expect(() => parseImpersonationHeaders(headers)).toThrow(message);
});

const dev = (groups: string[]): UserInfo => ({ name: 'dev', groups });

test.each<[string, ImpersonationTarget, Partial<ResourceAttributes>]>([
  ['a user', { kind: 'User', name: 'jane' }, { apiGroup: '', resource: 'users', name: 'jane', namespace: '', subresource: '' }],
  ['a group', { kind: 'Group', name: 'g' }, { apiGroup: '', resource: 'groups', name: 'g', namespace: '' }],
  ['a ServiceAccount', { kind: 'ServiceAccount', namespace: 'foo', name: 'default' }, { apiGroup: '', resource: 'serviceaccounts', name: 'default', namespace: 'foo' }],
  ['an extra', { kind: 'UserExtra', key: 'scopes', value: 'a' }, { apiGroup: 'authentication.k8s.io', apiVersion: 'v1', resource: 'userextras', subresource: 'scopes', name: 'a' }],
  ['a uid', { kind: 'UID', uid: 'u' }, { apiGroup: 'authentication.k8s.io', apiVersion: 'v1', resource: 'uids', name: 'u' }],
])('impersonationCheck: %s', (_name, target, expected) => {
  expect(impersonationCheck(dev([]), target)).toMatchObject({ kind: 'resource', verb: 'impersonate', user: dev([]), ...expected });
});

test.each<[string, ImpersonationTarget[], UserInfo]>([
  ['a user gets system:authenticated', [{ kind: 'User', name: 'jane' }], { name: 'jane', groups: ['system:authenticated'] }],
  ['a ServiceAccount gets its groups', [{ kind: 'ServiceAccount', namespace: 'foo', name: 'default' }], { name: 'system:serviceaccount:foo:default', groups: ['system:serviceaccounts', 'system:serviceaccounts:foo', 'system:authenticated'] }],
  ['a ServiceAccount with groups given gets only those', [{ kind: 'ServiceAccount', namespace: 'foo', name: 'default' }, { kind: 'Group', name: 'g' }], { name: 'system:serviceaccount:foo:default', groups: ['g', 'system:authenticated'] }],
  ['system:anonymous gets system:unauthenticated', [{ kind: 'User', name: 'system:anonymous' }], { name: 'system:anonymous', groups: ['system:unauthenticated'] }],
  ['system:unauthenticated given keeps system:authenticated out', [{ kind: 'User', name: 'x' }, { kind: 'Group', name: 'system:unauthenticated' }], { name: 'x', groups: ['system:unauthenticated'] }],
  ['system:authenticated given is not doubled', [{ kind: 'User', name: 'x' }, { kind: 'Group', name: 'g' }, { kind: 'Group', name: 'system:authenticated' }], { name: 'x', groups: ['g', 'system:authenticated'] }],
  [
    'extras and uid carried',
    [{ kind: 'User', name: 'x' }, { kind: 'UserExtra', key: 'scopes', value: 'a' }, { kind: 'UserExtra', key: 'scopes', value: 'b' }, { kind: 'UID', uid: 'u-1' }],
    { name: 'x', uid: 'u-1', groups: ['system:authenticated'], extra: { scopes: ['a', 'b'] } },
  ],
])('impersonatedUser: %s', (_name, targets, expected) => {
  expect(impersonatedUser(targets)).toEqual(expected);
});

/** Grants by the requestor's groups, like the real filter's own tests do. */
const authorize: Authorize = (a) => {
  const g = a.user.groups;
  if (a.user.name === 'rbac-denied') return { allowed: false, reason: 'RBAC: clusterrole.rbac.authorization.k8s.io "impersonator" not found' };
  if (g.includes('user-impersonater') && a.resource === 'users') return true;
  if (g.includes('group-impersonater') && a.resource === 'groups') return true;
  if (g.includes('sa-impersonater') && a.resource === 'serviceaccounts') return true;
  if (g.includes('scopes-setter') && a.resource === 'userextras' && a.subresource === 'scopes') return true;
  if (g.includes('uid-impersonater') && a.resource === 'uids' && a.name === 'some-uid') return true;
  return false;
};

type Outcome = { user: UserInfo } | { forbidden: string } | 'none';

test.each<[string, UserInfo, HeaderValues, Outcome]>([
  ['no headers', dev([]), {}, 'none'],
  ['a user, allowed', dev(['user-impersonater']), { 'impersonate-user': 'jane' }, { user: { name: 'jane', groups: ['system:authenticated'] } }],
  ['a user, refused', { name: 'tester', groups: [] }, { 'impersonate-user': 'anyone' }, { forbidden: 'users "anyone" is forbidden: User "tester" cannot impersonate resource "users" in API group "" at the cluster scope' }],
  ['a group, allowed', dev(['user-impersonater', 'group-impersonater']), { 'impersonate-user': 'system:admin', 'impersonate-group': 'some-group' }, { user: { name: 'system:admin', groups: ['some-group', 'system:authenticated'] } }],
  ['a group, refused', dev(['user-impersonater']), { 'impersonate-user': 'system:admin', 'impersonate-group': 'some-group' }, { forbidden: 'groups "some-group" is forbidden: User "dev" cannot impersonate resource "groups" in API group "" at the cluster scope' }],
  ['a ServiceAccount, allowed', dev(['sa-impersonater']), { 'impersonate-user': 'system:serviceaccount:foo:default' }, { user: { name: 'system:serviceaccount:foo:default', groups: ['system:serviceaccounts', 'system:serviceaccounts:foo', 'system:authenticated'] } }],
  ['a ServiceAccount, refused', dev(['user-impersonater']), { 'impersonate-user': 'system:serviceaccount:foo:default' }, { forbidden: 'serviceaccounts "default" is forbidden: User "dev" cannot impersonate resource "serviceaccounts" in API group "" in the namespace "foo"' }],
  ['extras, allowed', dev(['user-impersonater', 'scopes-setter']), { 'impersonate-user': 'x', 'impersonate-extra-scopes': ['a', 'b'] }, { user: { name: 'x', groups: ['system:authenticated'], extra: { scopes: ['a', 'b'] } } }],
  ['an extra, refused', dev(['user-impersonater']), { 'impersonate-user': 'x', 'impersonate-extra-scopes': 'scope-a' }, { forbidden: 'userextras.authentication.k8s.io "scope-a" is forbidden: User "dev" cannot impersonate resource "userextras/scopes" in API group "authentication.k8s.io" at the cluster scope' }],
  ['a uid, allowed', dev(['user-impersonater', 'uid-impersonater']), { 'impersonate-user': 'x', 'impersonate-uid': 'some-uid' }, { user: { name: 'x', uid: 'some-uid', groups: ['system:authenticated'] } }],
  ['a uid, refused', dev(['user-impersonater', 'uid-impersonater']), { 'impersonate-user': 'x', 'impersonate-uid': 'other-uid' }, { forbidden: 'uids.authentication.k8s.io "other-uid" is forbidden: User "dev" cannot impersonate resource "uids" in API group "authentication.k8s.io" at the cluster scope' }],
  ['a refusal with an RBAC reason', { name: 'rbac-denied', groups: [] }, { 'impersonate-user': 'x' }, { forbidden: 'users "x" is forbidden: User "rbac-denied" cannot impersonate resource "users" in API group "" at the cluster scope: RBAC: clusterrole.rbac.authorization.k8s.io "impersonator" not found' }],
  ['HTML in the message is escaped', { name: '<b>', groups: [] }, { 'impersonate-user': 'x&y' }, { forbidden: 'users "x&y" is forbidden: User "&lt;b&gt;" cannot impersonate resource "users" in API group "" at the cluster scope' }],
])('impersonate: %s', (_name, requestor, headers, expected) => {
  const outcome = impersonate(requestor, headers, '/api/v1/pods', authorize);
  if (expected === 'none') expect(outcome).toEqual({ kind: 'none' });
  else if ('user' in expected) expect(outcome).toEqual({ kind: 'impersonated', user: expected.user });
  else {
    if (outcome.kind !== 'forbidden') throw new Error(`not forbidden: ${JSON.stringify(outcome)}`);
    expect(outcome.status.code).toBe(403);
    expect(outcome.status.reason).toBe('Forbidden');
    expect(outcome.status.message).toBe(expected.forbidden);
  }
});

test('a refusal names the object in the Status details, as the real 403 does', () => {
  const outcome = impersonate(dev([]), { 'impersonate-user': 'x', 'impersonate-extra-scopes': 'a' }, '/api', () => false);
  expect(outcome).toMatchObject({ kind: 'forbidden', status: { details: { name: 'x', kind: 'users' } } });
  const uid = impersonate(dev(['user-impersonater']), { 'impersonate-user': 'x', 'impersonate-uid': 'u' }, '/api', authorize);
  expect(uid).toMatchObject({ kind: 'forbidden', status: { details: { name: 'u', group: 'authentication.k8s.io', kind: 'uids' } } });
});

test('groups without a user: the real plain-text 500, no authorization asked', () => {
  let asked = 0;
  const outcome = impersonate(dev([]), { 'impersonate-group': 'g' }, '/api/v1/pods?watch=1', () => {
    asked++;
    return true;
  });
  expect(asked).toBe(0);
  expect(outcome).toEqual({
    kind: 'malformed',
    message: 'requested [{Group  g    }] without impersonating a user',
    response: {
      code: 500,
      headers: { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' },
      body: 'Internal Server Error: "/api/v1/pods?watch=1": requested [{Group  g    }] without impersonating a user\n',
    },
  });
});

test('checks stop at the first refusal', () => {
  const asked: string[] = [];
  impersonate(dev([]), { 'impersonate-user': 'x', 'impersonate-group': ['a', 'b'] }, '/api', (a) => {
    asked.push(`${a.resource}/${a.name}`);
    return a.resource === 'users';
  });
  expect(asked).toEqual(['users/x', 'groups/a']);
});
