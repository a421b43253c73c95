import type { JsonObject } from '../json.js';
import {
  boundObjectProblem,
  ClaimsError,
  matchAudiences,
  readClaims,
  serviceAccountUser,
  timeProblem,
  type ObjectLookup,
  type ServiceAccountClaims,
  type StoredObject,
} from './sa-claims.js';

const NOW = Date.parse('2025-06-01T12:00:00Z');
const S = NOW / 1000;

function claims(over: Partial<ServiceAccountClaims> = {}, k8s: Partial<ServiceAccountClaims['kubernetes.io']> = {}): ServiceAccountClaims {
  return {
    iss: 'https://kubernetes.default.svc.cluster.local',
    sub: 'system:serviceaccount:default:robot',
    aud: ['https://kubernetes.default.svc.cluster.local'],
    exp: S + 3600,
    nbf: S,
    iat: S,
    jti: 'j-1',
    'kubernetes.io': { namespace: 'default', serviceaccount: { name: 'robot', uid: 'sa-1' }, ...k8s },
    ...over,
  };
}

test.each([
  ['fresh', {}, undefined],
  ['expired an hour ago', { exp: S - 3600 }, 'service account token has expired'],
  ['expired 30 s ago, within the minute of leeway', { exp: S - 30 }, undefined],
  ['expired 61 s ago, past the leeway', { exp: S - 61 }, 'service account token has expired'],
  ['valid from in ten minutes', { nbf: S + 600, iat: S }, 'service account token is not valid yet'],
  ['valid from in 30 s, within the leeway', { nbf: S + 30, iat: S }, undefined],
  ['issued in the future, nbf fine', { iat: S + 600 }, 'service account token is issued in the future'],
  ['no exp at all (the real server accepts it)', { exp: undefined }, undefined],
])('timeProblem: %s', (_name, over, expected) => {
  const c = { ...claims(), ...over } as ServiceAccountClaims;
  expect(timeProblem(c, NOW)).toBe(expected);
});

const API = ['https://kubernetes.default.svc.cluster.local'];
test.each([
  ['the API audience', API, API, { audiences: API }],
  ['no audience: a legacy token, taken as for the API', [], API, { audiences: API }],
  ['another audience', ['vault'], API, { reason: 'token audiences ["vault"] is invalid for the target audiences ["https://kubernetes.default.svc.cluster.local"]' }],
  ['two audiences, one of them ours', ['vault', API[0] ?? ''], API, { audiences: API }],
  ['a request for another audience', API, ['vault'], { reason: 'token audiences ["https://kubernetes.default.svc.cluster.local"] is invalid for the target audiences ["vault"]' }],
])('matchAudiences: %s', (_name, token, requested, expected) => {
  expect(matchAudiences(token, API, requested)).toEqual(expected);
});

const good: JsonObject = {
  iss: 'i',
  sub: 's',
  aud: ['a'],
  exp: 2,
  nbf: 1,
  iat: 1,
  jti: 'j',
  'kubernetes.io': { namespace: 'n', serviceaccount: { name: 'x', uid: 'u' }, pod: { name: 'p', uid: 'pu' }, node: { name: 'nd' } },
};

test('readClaims reads every claim, a node without uid included', () => {
  expect(readClaims(good)).toEqual({
    iss: 'i',
    sub: 's',
    aud: ['a'],
    exp: 2,
    nbf: 1,
    iat: 1,
    jti: 'j',
    'kubernetes.io': { namespace: 'n', serviceaccount: { name: 'x', uid: 'u' }, pod: { name: 'p', uid: 'pu' }, node: { name: 'nd', uid: '' } },
  });
});

test('readClaims takes a single audience string as a list of one', () => {
  expect(readClaims({ ...good, aud: 'a' }).aud).toEqual(['a']);
});

test.each([
  ['no kubernetes.io claim', { 'kubernetes.io': undefined }, 'sa-claims: the kubernetes.io claim naming the ServiceAccount is missing'],
  ['no serviceaccount in it', { 'kubernetes.io': { namespace: 'n' } }, 'sa-claims: kubernetes.io.serviceaccount is missing'],
  ['exp as a string', { exp: '2' }, 'sa-claims: exp is not a number'],
  ['aud as a number', { aud: 3 }, 'sa-claims: aud is neither a string nor a list of strings'],
  ['aud with a number in it', { aud: ['a', 3] }, 'sa-claims: aud is neither a string nor a list of strings'],
  ['iss as an object', { iss: {} }, 'sa-claims: iss is not a string'],
  ['a pod that is a string', { 'kubernetes.io': { namespace: 'n', serviceaccount: { name: 'x', uid: 'u' }, pod: 'p' } }, 'sa-claims: kubernetes.io.pod is not an object'],
  ['a serviceaccount uid that is a number', { 'kubernetes.io': { namespace: 'n', serviceaccount: { name: 'x', uid: 7 } } }, 'sa-claims: kubernetes.io.serviceaccount.uid is not a string'],
])('readClaims refuses %s', (_name, over, message) => {
  const payload = JSON.parse(JSON.stringify({ ...good, ...over })) as JsonObject;
  expect(() => readClaims(payload)).toThrow(ClaimsError);
  expect(() => readClaims(payload)).toThrow(message);
});

const ago = (s: number): string => new Date(NOW - s * 1000).toISOString();

function lookupOf(objs: Record<string, StoredObject>): ObjectLookup {
  return (kind, ns, name) => objs[`${kind}/${ns}/${name}`];
}

const sa = { 'ServiceAccount/default/robot': { uid: 'sa-1' } };
test.each([
  ['the ServiceAccount as it was', {}, sa, undefined],
  ['the ServiceAccount deleted', {}, {}, 'serviceaccounts "robot" not found'],
  ['the ServiceAccount deleted and created again', {}, { 'ServiceAccount/default/robot': { uid: 'sa-2' } }, 'service account UID (sa-2) does not match claim (sa-1)'],
  ['the ServiceAccount being deleted for two minutes', {}, { 'ServiceAccount/default/robot': { uid: 'sa-1', deletionTimestamp: ago(120) } }, 'service account default/robot has been deleted'],
  ['the ServiceAccount being deleted for 30 s (within leeway)', {}, { 'ServiceAccount/default/robot': { uid: 'sa-1', deletionTimestamp: ago(30) } }, undefined],
  ['its pod there', { pod: { name: 'p', uid: 'p-1' } }, { ...sa, 'Pod/default/p': { uid: 'p-1' } }, undefined],
  ['its pod gone', { pod: { name: 'p', uid: 'p-1' } }, sa, 'service account token has been invalidated'],
  ['its pod replaced', { pod: { name: 'p', uid: 'p-1' } }, { ...sa, 'Pod/default/p': { uid: 'p-2' } }, 'pod UID (p-2) does not match service account pod ref claim (p-1)'],
  ['its pod being deleted', { pod: { name: 'p', uid: 'p-1' } }, { ...sa, 'Pod/default/p': { uid: 'p-1', deletionTimestamp: ago(300) } }, 'service account token has been invalidated'],
  ['its secret replaced', { secret: { name: 's', uid: 's-1' } }, { ...sa, 'Secret/default/s': { uid: 's-2' } }, 'secret UID (s-2) does not match service account secret ref claim (s-1)'],
  ['its secret gone', { secret: { name: 's', uid: 's-1' } }, sa, 'service account token has been invalidated'],
  ['its node (no pod) replaced', { node: { name: 'n', uid: 'n-1' } }, { ...sa, 'Node//n': { uid: 'n-2' } }, 'node UID (n-2) does not match service account node ref claim (n-1)'],
  ['its node (no pod) gone', { node: { name: 'n', uid: 'n-1' } }, sa, 'service account token has been invalidated'],
  ["a pod's node gone (only the pod is checked)", { pod: { name: 'p', uid: 'p-1' }, node: { name: 'n', uid: 'n-1' } }, { ...sa, 'Pod/default/p': { uid: 'p-1' } }, undefined],
])('boundObjectProblem: %s', (_name, k8s, objs, expected) => {
  expect(boundObjectProblem(claims({}, k8s), lookupOf(objs), NOW)).toBe(expected);
});

test.each([
  ['a plain token', {}, { 'authentication.kubernetes.io/credential-id': ['JTI=j-1'] }],
  [
    'a pod-bound token on a node',
    { pod: { name: 'p', uid: 'p-1' }, node: { name: 'n', uid: 'n-1' } },
    {
      'authentication.kubernetes.io/credential-id': ['JTI=j-1'],
      'authentication.kubernetes.io/pod-name': ['p'],
      'authentication.kubernetes.io/pod-uid': ['p-1'],
      'authentication.kubernetes.io/node-name': ['n'],
      'authentication.kubernetes.io/node-uid': ['n-1'],
    },
  ],
  ['a node the server did not find (no uid)', { pod: { name: 'p', uid: 'p-1' }, node: { name: 'n', uid: '' } }, {
    'authentication.kubernetes.io/credential-id': ['JTI=j-1'],
    'authentication.kubernetes.io/pod-name': ['p'],
    'authentication.kubernetes.io/pod-uid': ['p-1'],
    'authentication.kubernetes.io/node-name': ['n'],
  }],
])('serviceAccountUser: %s', (_name, k8s, extra) => {
  expect(serviceAccountUser(claims({}, k8s))).toEqual({
    name: 'system:serviceaccount:default:robot',
    uid: 'sa-1',
    groups: ['system:serviceaccounts', 'system:serviceaccounts:default', 'system:authenticated'],
    extra,
  });
});

test('serviceAccountUser: a token without jti has no extras', () => {
  const { jti: _jti, ...withoutJti } = claims();
  expect(serviceAccountUser(withoutJti).extra).toBeUndefined();
});
