import { ApiError } from '../errors.js';
import type { Json, JsonObject } from '../json.js';
import type { StoredObject } from './sa-claims.js';
import { createTokenRequest, EXTENDED_EXPIRATION_SECONDS, type BoundKind, type TokenRequestInput } from './token-request.js';
import { DEFAULT_ISSUER, ServiceAccountTokens } from './tokens.js';

let tokens: ServiceAccountTokens;
beforeAll(async () => {
  tokens = await ServiceAccountTokens.create();
});

const NOW = new Date('2025-06-01T12:00:00Z');
const robot: JsonObject = { metadata: { name: 'robot', namespace: 'lab', uid: 'sa-1' } };
const objects: Record<string, JsonObject> = {
  'Pod/lab/web': { metadata: { name: 'web', uid: 'pod-1' }, spec: { serviceAccountName: 'robot', nodeName: 'n1' } },
  'Pod/lab/other': { metadata: { name: 'other', uid: 'pod-2' }, spec: { serviceAccountName: 'builder' } },
  'Pod/lab/unscheduled': { metadata: { name: 'unscheduled', uid: 'pod-3' }, spec: { serviceAccountName: 'robot' } },
  'Node//n1': { metadata: { name: 'n1', uid: 'node-1' } },
  'Secret/lab/s': { metadata: { name: 's', uid: 'sec-1' } },
};
const getObject = (kind: BoundKind, ns: string, name: string): JsonObject | undefined => objects[`${kind}/${ns}/${name}`];

function input(body: Json, over: Partial<TokenRequestInput> = {}): TokenRequestInput {
  return { namespace: 'lab', name: 'robot', body, serviceAccount: robot, getObject, tokens, now: NOW, ...over };
}
const tr = (spec: JsonObject, extra: JsonObject = {}): JsonObject => ({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec, ...extra });
const payload = (token: string): Record<string, unknown> => JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
const lookup = (kind: string, ns: string, name: string): StoredObject | undefined => {
  if (kind === 'ServiceAccount') return ns === 'lab' && name === 'robot' ? { uid: 'sa-1' } : undefined;
  const o = objects[`${kind}/${ns}/${name}`];
  return o === undefined ? undefined : { uid: String((o['metadata'] as JsonObject)['uid']) };
};

test('the body kubectl create token sends gets the real defaults, and a token that authenticates', async () => {
  const body = {
    kind: 'TokenRequest',
    apiVersion: 'authentication.k8s.io/v1',
    metadata: { creationTimestamp: null },
    spec: { audiences: null, expirationSeconds: null, boundObjectRef: null },
    status: { token: '', expirationTimestamp: null },
  };
  const { object, warnings } = await createTokenRequest(input(body));
  expect(warnings).toEqual([]);
  expect(object).toEqual({
    kind: 'TokenRequest',
    apiVersion: 'authentication.k8s.io/v1',
    metadata: { name: 'robot', namespace: 'lab', creationTimestamp: '2025-06-01T12:00:00Z' },
    spec: { audiences: [DEFAULT_ISSUER], expirationSeconds: 3600, boundObjectRef: null },
    status: { token: expect.any(String), expirationTimestamp: '2025-06-01T13:00:00Z' },
  });
  const token = (object['status'] as JsonObject)['token'] as string;
  const verified = await tokens.verify(token, lookup, { now: NOW });
  expect(verified).toMatchObject({ ok: true, user: { name: 'system:serviceaccount:lab:robot', uid: 'sa-1' } });
});

test.each<[string, JsonObject, { spec: JsonObject; claims: Record<string, unknown>; lifetime: number; expires: string; warnings?: string[] }, Partial<TokenRequestInput>?]>([
  ['the minimum, 600 s', tr({ expirationSeconds: 600 }), { spec: { expirationSeconds: 600 }, claims: {}, lifetime: 600, expires: '2025-06-01T12:10:00Z' }],
  ['another audience', tr({ audiences: ['vault'] }), { spec: { audiences: ['vault'] }, claims: { aud: ['vault'] }, lifetime: 3600, expires: '2025-06-01T13:00:00Z' }],
  [
    'bound to a scheduled pod: pod and node named',
    tr({ boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'web' } }),
    {
      spec: { boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'web' } },
      claims: { 'kubernetes.io': { namespace: 'lab', serviceaccount: { name: 'robot', uid: 'sa-1' }, pod: { name: 'web', uid: 'pod-1' }, node: { name: 'n1', uid: 'node-1' } } },
      lifetime: 3600,
      expires: '2025-06-01T13:00:00Z',
    },
  ],
  [
    'bound to a secret, its uid given and right',
    tr({ boundObjectRef: { kind: 'Secret', apiVersion: 'v1', name: 's', uid: 'sec-1' } }),
    { spec: {}, claims: { 'kubernetes.io': { namespace: 'lab', serviceaccount: { name: 'robot', uid: 'sa-1' }, secret: { name: 's', uid: 'sec-1' } } }, lifetime: 3600, expires: '2025-06-01T13:00:00Z' },
  ],
  [
    'bound to a node',
    tr({ boundObjectRef: { kind: 'Node', apiVersion: 'v1', name: 'n1' } }),
    { spec: {}, claims: { 'kubernetes.io': { namespace: 'lab', serviceaccount: { name: 'robot', uid: 'sa-1' }, node: { name: 'n1', uid: 'node-1' } } }, lifetime: 3600, expires: '2025-06-01T13:00:00Z' },
  ],
  [
    "the kubelet's 3607 s for a pod: extended to a year, warnafter set",
    tr({ expirationSeconds: 3607, boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'unscheduled' } }),
    {
      spec: { expirationSeconds: 3607 },
      claims: { 'kubernetes.io': { namespace: 'lab', serviceaccount: { name: 'robot', uid: 'sa-1' }, pod: { name: 'unscheduled', uid: 'pod-3' }, warnafter: NOW.getTime() / 1000 + 3607 } },
      lifetime: EXTENDED_EXPIRATION_SECONDS,
      expires: '2025-06-01T13:00:07Z',
    },
  ],
  ['3607 s without a pod: not extended', tr({ expirationSeconds: 3607 }), { spec: {}, claims: {}, lifetime: 3607, expires: '2025-06-01T13:00:07Z' }],
  [
    '3607 s for a pod but another audience: not extended',
    tr({ expirationSeconds: 3607, audiences: ['vault'], boundObjectRef: { kind: 'Pod', name: 'unscheduled' } }),
    { spec: {}, claims: {}, lifetime: 3607, expires: '2025-06-01T13:00:07Z' },
  ],
  [
    'longer than the server maximum: shortened, with the real warning',
    tr({ expirationSeconds: 7200 }),
    { spec: { expirationSeconds: 1200 }, claims: {}, lifetime: 1200, expires: '2025-06-01T12:20:00Z', warnings: ['requested expiration of 7200 seconds shortened to 1200 seconds'] },
    { maxExpirationSeconds: 1200 },
  ],
])('issues: %s', async (_name, body, expected, over = {}) => {
  const { object, warnings } = await createTokenRequest(input(body, over));
  expect(object['spec']).toMatchObject(expected.spec);
  const status = object['status'] as JsonObject;
  expect(status['expirationTimestamp']).toBe(expected.expires);
  const claims = payload(status['token'] as string);
  expect(claims).toMatchObject(expected.claims);
  expect((claims['exp'] as number) - (claims['iat'] as number)).toBe(expected.lifetime);
  expect(warnings).toEqual(expected.warnings ?? []);
});

test.each<[string, Json, number, string, Partial<TokenRequestInput>?]>([
  ['599 s', tr({ expirationSeconds: 599 }), 422, 'TokenRequest.authentication.k8s.io "" is invalid: spec.expirationSeconds: Invalid value: 599: may not specify a duration less than 10 minutes'],
  ['more than 2^32 s', tr({ expirationSeconds: 2 ** 32 + 1 }), 422, 'TokenRequest.authentication.k8s.io "" is invalid: spec.expirationSeconds: Invalid value: 4294967297: may not specify a duration larger than 2^32 seconds'],
  ['a string duration', tr({ expirationSeconds: '3600' }), 400, 'TokenRequest in version "v1" cannot be handled as a TokenRequest: json: cannot unmarshal string into Go struct field TokenRequestSpec.spec.expirationSeconds of type int64'],
  ['a fractional duration', tr({ expirationSeconds: 1.5 }), 400, 'TokenRequest in version "v1" cannot be handled as a TokenRequest: json: cannot unmarshal number 1.5 into Go struct field TokenRequestSpec.spec.expirationSeconds of type int64'],
  ['audiences as a string', tr({ audiences: 'vault' }), 400, 'TokenRequest in version "v1" cannot be handled as a TokenRequest: json: cannot unmarshal string into Go struct field TokenRequestSpec.spec.audiences of type []string'],
  ['spec as a list', { kind: 'TokenRequest', spec: [] }, 400, 'TokenRequest in version "v1" cannot be handled as a TokenRequest: json: cannot unmarshal array into Go struct field TokenRequest.spec of type v1.TokenRequestSpec'],
  ['another kind', { kind: 'Pod', apiVersion: 'v1' }, 400, 'the body is a Pod, but the URL is for TokenRequest'],
  ['a list for a body', [], 400, 'the request body must be a TokenRequest object, got an array'],
  ['another name in metadata', tr({}, { metadata: { name: 'other' } }), 422, 'TokenRequest.authentication.k8s.io "robot" is invalid: metadata.name: Invalid value: "other": must match the service account name if specified'],
  ['another namespace in metadata', tr({}, { metadata: { namespace: 'prod' } }), 422, 'TokenRequest.authentication.k8s.io "robot" is invalid: metadata.namespace: Invalid value: "prod": must match the service account namespace if specified'],
  ['no such ServiceAccount', tr({}), 404, 'serviceaccounts "robot" not found', { serviceAccount: undefined }],
  ['a pod that is not there', tr({ boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'gone' } }), 404, 'pods "gone" not found'],
  ['a pod of another ServiceAccount', tr({ boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'other' } }), 400, 'cannot bind token for serviceaccount "robot" to pod running with different serviceaccount name.'],
  [
    'a pod deleted and created again (uid changed)',
    tr({ boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'web', uid: 'pod-0' } }),
    409,
    'Operation cannot be fulfilled on Pod "web": the UID in the bound object reference (pod-0) does not match the UID in record. The object might have been deleted and then recreated',
  ],
  ['a Deployment', tr({ boundObjectRef: { kind: 'Deployment', apiVersion: 'apps/v1', name: 'd' } }), 400, 'cannot bind token to object of type apps/v1, Kind=Deployment'],
  ['a ConfigMap', tr({ boundObjectRef: { kind: 'ConfigMap', apiVersion: 'v1', name: 'c' } }), 400, 'cannot bind token to object of type /v1, Kind=ConfigMap'],
  ['a Pod of another group', tr({ boundObjectRef: { kind: 'Pod', apiVersion: 'example.com/v1', name: 'web' } }), 400, 'cannot bind token to object of type example.com/v1, Kind=Pod'],
  ['a bound object without a name', tr({ boundObjectRef: { kind: 'Secret', apiVersion: 'v1' } }), 400, 'Name parameter required.'],
  ['a bound object kind that is a number', tr({ boundObjectRef: { kind: 7 } }), 400, 'TokenRequest in version "v1" cannot be handled as a TokenRequest: json: cannot unmarshal number 7 into Go struct field BoundObjectReference.spec.boundObjectRef.kind of type string'],
])('refuses %s', async (_name, body, code, message, over = {}) => {
  const err = await createTokenRequest(input(body, over)).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApiError);
  expect((err as ApiError).code).toBe(code);
  expect((err as ApiError).message).toBe(message);
});
