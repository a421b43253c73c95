// The kinds kubectl sends for tokens, access checks and RBAC: what the recorded bodies mean field by field,
// Go's JSON rules these kinds add (pointers without omitempty, ExtraValue lists), and the errors they bring.

import protobuf from 'protobufjs';
import { getPath, type Json, type JsonObject } from '../json.js';
import { decodeK8sProtobuf, encodeK8sProtobuf, wrapEnvelope } from './envelope.js';
import { ProtobufError } from './errors.js';
import { messageForKind } from './kinds.js';
import { readFixture } from './kubectl-cases.js';

// [fixture, path, value]: what each command meant.
const FIELDS: [string, string, Json | undefined][] = [
  ['serviceaccount', 'metadata', { name: 'sa1', creationTimestamp: null }],
  ['serviceaccount', 'automountServiceAccountToken', undefined],
  ['role', 'rules', [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }]],
  ['rolebinding', 'subjects', [{ kind: 'ServiceAccount', name: 'sa1', namespace: 'default' }]],
  ['rolebinding', 'roleRef', { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'r' }],
  ['clusterrole', 'rules', [{ verbs: ['get'], nonResourceURLs: ['/healthz'] }]],
  ['clusterrole', 'aggregationRule', undefined],
  ['clusterrolebinding', 'subjects', [{ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'g' }]],
  ['clusterrolebinding', 'roleRef.kind', 'ClusterRole'],
  ['token', 'spec', { audiences: null, expirationSeconds: null, boundObjectRef: null }],
  ['token', 'status', { token: '', expirationTimestamp: null }],
  ['token-duration-audience', 'spec', { audiences: ['a'], expirationSeconds: 1200, boundObjectRef: null }],
  ['whoami', 'status', { userInfo: {} }],
  ['can-i-patch-services-status', 'spec.resourceAttributes', { namespace: 'x', verb: 'patch', resource: 'services', name: 'status' }],
  ['can-i-patch-services-status', 'status', { allowed: false }],
  ['can-i-healthz', 'spec', { nonResourceAttributes: { path: '/healthz', verb: 'get' } }],
  ['can-i-list', 'spec.namespace', 'default'],
  ['can-i-list', 'status', { resourceRules: null, nonResourceRules: null, incomplete: false }],
];

test.each(FIELDS)('%s: %s', (name, path, want) => {
  const { object } = decodeK8sProtobuf(readFixture(name).body);
  expect(getPath(object, path.split('.'))).toEqual(want);
});

const AUTHN = 'authentication.k8s.io/v1';
const AUTHZ = 'authorization.k8s.io/v1';
const RBAC = 'rbac.authorization.k8s.io/v1';
const meta = { creationTimestamp: null };

// [what, input, what the JSON API carries after a protobuf trip]
const CASES: [string, JsonObject, JsonObject][] = [
  [
    'pointers without omitempty are null when unset, and keep a zero',
    { kind: 'TokenRequest', apiVersion: AUTHN, spec: { expirationSeconds: 0 } },
    { kind: 'TokenRequest', apiVersion: AUTHN, metadata: meta, spec: { audiences: null, expirationSeconds: 0, boundObjectRef: null }, status: { token: '', expirationTimestamp: null } },
  ],
  [
    'an empty ExtraValue list is null, as Go writes a nil []string; an empty extra map goes',
    { kind: 'SubjectAccessReview', apiVersion: AUTHZ, spec: { user: 'u', extra: { a: [], b: ['x', ''] } } },
    { kind: 'SubjectAccessReview', apiVersion: AUTHZ, metadata: meta, spec: { user: 'u', extra: { a: null, b: ['x', ''] } }, status: { allowed: false } },
  ],
  [
    'extra: {} is omitted',
    { kind: 'TokenReview', apiVersion: AUTHN, spec: {}, status: { user: { extra: {} }, authenticated: false } },
    { kind: 'TokenReview', apiVersion: AUTHN, metadata: meta, spec: {}, status: { user: {} } },
  ],
  [
    'rules review lists without omitempty are null, incomplete is always there',
    { kind: 'SelfSubjectRulesReview', apiVersion: AUTHZ, spec: {}, status: { resourceRules: [], nonResourceRules: [{}] } },
    { kind: 'SelfSubjectRulesReview', apiVersion: AUTHZ, metadata: meta, spec: {}, status: { resourceRules: null, nonResourceRules: [{ verbs: null }], incomplete: false } },
  ],
  ['a SelfSubjectReview always has its userInfo', { kind: 'SelfSubjectReview', apiVersion: AUTHN }, { kind: 'SelfSubjectReview', apiVersion: AUTHN, metadata: meta, status: { userInfo: {} } }],
  [
    'RBAC: subjects and roleRef keep their names, rules are null when empty, aggregationRule only when set',
    { kind: 'ClusterRoleBinding', apiVersion: RBAC, metadata: { name: 'b' }, subjects: [{}], roleRef: {} },
    { kind: 'ClusterRoleBinding', apiVersion: RBAC, metadata: { name: 'b', creationTimestamp: null }, subjects: [{ kind: '', name: '' }], roleRef: { apiGroup: '', kind: '', name: '' } },
  ],
  ['a Role without rules', { kind: 'ClusterRole', apiVersion: RBAC, metadata: { name: 'c' }, rules: [] }, { kind: 'ClusterRole', apiVersion: RBAC, metadata: { name: 'c', creationTimestamp: null }, rules: null }],
  ['a RoleBinding without subjects', { kind: 'RoleBinding', apiVersion: RBAC, subjects: [] }, { kind: 'RoleBinding', apiVersion: RBAC, metadata: meta, roleRef: { apiGroup: '', kind: '', name: '' } }],
  [
    'a ServiceAccount keeps automount false and drops empty lists',
    { kind: 'ServiceAccount', apiVersion: 'v1', metadata: { name: 's' }, secrets: [], imagePullSecrets: [], automountServiceAccountToken: false },
    { kind: 'ServiceAccount', apiVersion: 'v1', metadata: { name: 's', creationTimestamp: null }, automountServiceAccountToken: false },
  ],
];

test.each(CASES)('%s', (_what, input, want) => {
  expect(decodeK8sProtobuf(encodeK8sProtobuf(input)).object).toEqual(want);
});

test.each([
  ['v1', 'ServiceAccountList', true],
  [RBAC, 'RoleList', true],
  [RBAC, 'ClusterRoleBindingList', true],
  [AUTHN, 'TokenRequest', true],
  [AUTHZ, 'LocalSubjectAccessReview', true],
  [AUTHN, 'TokenRequestList', false],
  [AUTHZ, 'SelfSubjectAccessReviewList', false],
  [AUTHZ, 'TokenReview', false],
  ['authorization.k8s.io/v1beta1', 'SubjectAccessReview', false],
] as const)('%s %s has a protobuf form: %s', (apiVersion, kind, has) => {
  expect(messageForKind(apiVersion, kind) !== undefined).toBe(has);
});

/** A body of `kind` whose raw bytes are `rawHex`. */
const body = (apiVersion: string, kind: string, rawHex: string): Uint8Array => wrapEnvelope(apiVersion, kind, Buffer.from(rawHex, 'hex'));
const ld = (no: number, innerHex: string): string => Buffer.from(protobuf.Writer.create().uint32((no << 3) | 2).bytes(Buffer.from(innerHex, 'hex')).finish()).toString('hex');
const str = (no: number, s: string): string => ld(no, Buffer.from(s).toString('hex'));

test('a map entry without a value reads as a nil ExtraValue (null)', () => {
  const { object } = decodeK8sProtobuf(body(AUTHZ, 'SubjectAccessReview', ld(2, ld(5, str(1, 'k')))));
  expect(getPath(object, ['spec', 'extra'])).toEqual({ k: null });
});

test('expirationSeconds sent as bytes is refused with a path', () => {
  expect(() => decodeK8sProtobuf(body(AUTHN, 'TokenRequest', ld(2, ld(4, ''))))).toThrow('spec: k8s.io.api.authentication.v1.TokenRequestSpec field 4 (expirationSeconds) arrived with wire type 2');
});

test.each([
  ['an extra value that is no list', { kind: 'SubjectAccessReview', apiVersion: AUTHZ, spec: { extra: { k: 'v' } } }, 'protobuf: spec.extra["k"]: expected a list of strings, got "v"'],
  ['an extra item that is no string', { kind: 'TokenReview', apiVersion: AUTHN, status: { user: { extra: { k: [1] } } } }, 'protobuf: status.user.extra["k"][0]: expected a string, got 1'],
  ['expirationSeconds as a string', { kind: 'TokenRequest', apiVersion: AUTHN, spec: { expirationSeconds: '600' } }, 'protobuf: spec.expirationSeconds: expected an integer, got "600"'],
  ['a key the rules review lacks', { kind: 'SelfSubjectRulesReview', apiVersion: AUTHZ, spec: { namespace: 'x', verb: 'get' } }, 'protobuf: spec: k8s.io.api.authorization.v1.SelfSubjectRulesReviewSpec has no field "verb"'],
] as const)('encode: %s', (_what, object, message) => {
  expect(() => encodeK8sProtobuf(object as unknown as JsonObject)).toThrow(ProtobufError);
  expect(() => encodeK8sProtobuf(object as unknown as JsonObject)).toThrow(message);
});
