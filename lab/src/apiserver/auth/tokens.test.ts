import { createHash, webcrypto } from 'node:crypto';
import { createLocalJWKSet, importJWK, jwtVerify } from 'jose';
import type { ObjectLookup, StoredObject } from './sa-claims.js';
import { DEFAULT_ISSUER, ServiceAccountTokens, TokenError, type IssueRequest } from './tokens.js';

let tokens: ServiceAccountTokens;
let sameIssuerOtherKey: ServiceAccountTokens;
let otherIssuer: ServiceAccountTokens;

beforeAll(async () => {
  tokens = await ServiceAccountTokens.create();
  sameIssuerOtherKey = await ServiceAccountTokens.create();
  otherIssuer = await ServiceAccountTokens.create({ issuer: 'https://other.example' });
});

const NOW = new Date('2025-06-01T12:00:00Z');
const robot: IssueRequest = { namespace: 'default', name: 'robot', uid: 'sa-1', now: NOW };
const store = (objs: Record<string, StoredObject>): ObjectLookup => (kind, ns, name) => objs[`${kind}/${ns}/${name}`];
const live = store({ 'ServiceAccount/default/robot': { uid: 'sa-1' }, 'Pod/default/web': { uid: 'pod-1' } });

function part(token: string, i: number): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[i] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
}
const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64url');

test('an issued token carries the real bound-token claims, keys sorted as Go marshals them', async () => {
  const { token } = await tokens.issue({ ...robot, expirationSeconds: 1200 });
  expect(part(token, 0)).toEqual({ alg: 'ES256', kid: tokens.keyId });
  const payload = part(token, 1);
  const iat = NOW.getTime() / 1000;
  expect(payload).toEqual({
    aud: [DEFAULT_ISSUER],
    exp: iat + 1200,
    iat,
    iss: DEFAULT_ISSUER,
    jti: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
    'kubernetes.io': { namespace: 'default', serviceaccount: { name: 'robot', uid: 'sa-1' } },
    nbf: iat,
    sub: 'system:serviceaccount:default:robot',
  });
  expect(Object.keys(payload)).toEqual(['aud', 'exp', 'iat', 'iss', 'jti', 'kubernetes.io', 'nbf', 'sub']);
});

test('a pod-bound token names the pod and its node; warnafter when asked', async () => {
  const { token } = await tokens.issue({ ...robot, pod: { name: 'web', uid: 'pod-1' }, node: { name: 'n1', uid: '' }, warnAfterSeconds: 3607, audiences: ['a', 'b'] });
  const payload = part(token, 1);
  expect(payload['aud']).toEqual(['a', 'b']);
  expect(payload['kubernetes.io']).toEqual({
    namespace: 'default',
    node: { name: 'n1' },
    pod: { name: 'web', uid: 'pod-1' },
    serviceaccount: { name: 'robot', uid: 'sa-1' },
    warnafter: NOW.getTime() / 1000 + 3607,
  });
});

test('the kid is the base64url SHA-256 of the public key, and the JWKS verifies tokens', async () => {
  const { keys } = await tokens.jwks();
  const jwk = keys[0];
  if (jwk === undefined) throw new Error('no key');
  expect(jwk).toMatchObject({ use: 'sig', kty: 'EC', crv: 'P-256', alg: 'ES256', kid: tokens.keyId });
  const spki = await webcrypto.subtle.exportKey('spki', (await importJWK(jwk, 'ES256', { extractable: true })) as webcrypto.CryptoKey);
  expect(tokens.keyId).toBe(createHash('sha256').update(Buffer.from(spki)).digest('base64url'));
  const { token } = await tokens.issue({ namespace: 'default', name: 'robot', uid: 'sa-1' });
  const { payload } = await jwtVerify(token, createLocalJWKSet({ keys }), { issuer: DEFAULT_ISSUER, audience: DEFAULT_ISSUER });
  expect(payload.sub).toBe('system:serviceaccount:default:robot');
});

test.each([
  ['zero seconds', { expirationSeconds: 0 }, 'tokens: expirationSeconds must be a positive integer, got 0'],
  ['a fraction of a second', { expirationSeconds: 1.5 }, 'tokens: expirationSeconds must be a positive integer, got 1.5'],
  ['a secret and a pod at once', { secret: { name: 's', uid: 'u' }, pod: { name: 'p', uid: 'u' } }, 'tokens: internal error, token can only be bound to one object type'],
  ['no uid', { uid: '' }, 'tokens: the ServiceAccount namespace, name and uid must all be set'],
])('issue refuses %s', async (_name, over, message) => {
  await expect(tokens.issue({ ...robot, ...over })).rejects.toThrow(TokenError);
  await expect(tokens.issue({ ...robot, ...over })).rejects.toThrow(message);
});

type Case = [string, () => Promise<string>, ObjectLookup, { audiences?: string[]; now?: Date }, { ok: true } | { ours: boolean; reason: string | RegExp }];

const issued = async (over: Partial<IssueRequest> = {}): Promise<string> => (await tokens.issue({ ...robot, ...over })).token;
const later = (s: number): Date => new Date(NOW.getTime() + s * 1000);

const cases: Case[] = [
  ['a fresh token', () => issued(), live, { now: NOW }, { ok: true }],
  ['an expired token', () => issued({ expirationSeconds: 600 }), live, { now: later(3600) }, { ours: true, reason: 'service account token has expired' }],
  ['a not-yet-valid token', () => issued(), live, { now: later(-3600) }, { ours: true, reason: 'service account token is not valid yet' }],
  ['a token for another audience', () => issued({ audiences: ['vault'] }), live, { now: NOW }, { ours: true, reason: `token audiences ["vault"] is invalid for the target audiences ["${DEFAULT_ISSUER}"]` }],
  ['a token for another audience, asked for that audience', () => issued({ audiences: ['vault'] }), live, { now: NOW, audiences: ['vault'] }, { ok: true }],
  [
    'a token signed by another key under our issuer',
    async () => (await sameIssuerOtherKey.issue(robot)).token,
    live,
    { now: NOW },
    { ours: true, reason: /^tokens: signature not made by this server's key/ },
  ],
  [
    'a token whose claims were changed after signing',
    async () => {
      const [h, , s] = (await issued()).split('.');
      return `${h}.${b64(JSON.stringify({ iss: DEFAULT_ISSUER, sub: 'system:serviceaccount:kube-system:admin' }))}.${s}`;
    },
    live,
    { now: NOW },
    { ours: true, reason: /^tokens: signature not made by this server's key/ },
  ],
  [
    'a token saying alg none',
    async () => `${b64('{"alg":"none"}')}.${(await issued()).split('.')[1]}.${b64('x')}`,
    live,
    { now: NOW },
    { ours: true, reason: /^tokens: signature not made by this server's key/ },
  ],
  ['a token of the ServiceAccount deleted and created again', () => issued(), store({ 'ServiceAccount/default/robot': { uid: 'sa-2' } }), { now: NOW }, { ours: true, reason: 'service account UID (sa-2) does not match claim (sa-1)' }],
  ['a token of a deleted ServiceAccount', () => issued(), store({}), { now: NOW }, { ours: true, reason: 'serviceaccounts "robot" not found' }],
  ['a token bound to a pod since deleted', () => issued({ pod: { name: 'gone', uid: 'pod-9' } }), live, { now: NOW }, { ours: true, reason: 'service account token has been invalidated' }],
  ['a token of another issuer', async () => (await otherIssuer.issue(robot)).token, live, { now: NOW }, { ours: false, reason: `tokens: issuer "https://other.example" is not "${DEFAULT_ISSUER}"` }],
  ['one part', () => Promise.resolve('abcdef'), live, {}, { ours: false, reason: 'jws: expected 3 dot-separated parts, got 1' }],
  ['two parts', () => Promise.resolve('abc.def'), live, {}, { ours: false, reason: 'jws: expected 3 dot-separated parts, got 2' }],
  ['four parts', () => Promise.resolve('a.b.c.d'), live, {}, { ours: false, reason: 'jws: expected 3 dot-separated parts, got 4' }],
  ['a payload that is not base64url', () => Promise.resolve(`${b64('{}')}.not*base64.${b64('s')}`), live, {}, { ours: false, reason: 'jws: the payload is not base64url' }],
  ['a header that is not base64url', () => Promise.resolve(`a+b.${b64('{}')}.${b64('s')}`), live, {}, { ours: false, reason: 'jws: the header is not base64url' }],
  ['a payload that is not JSON', () => Promise.resolve(`${b64('{}')}.${b64('not json')}.${b64('s')}`), live, {}, { ours: false, reason: /^jws: the payload is not JSON: / }],
  ['a payload that is a JSON list', () => Promise.resolve(`${b64('{}')}.${b64('[1]')}.${b64('s')}`), live, {}, { ours: false, reason: 'jws: the payload is not a JSON object' }],
  ['an empty signature', () => Promise.resolve(`${b64('{}')}.${b64('{}')}.`), live, {}, { ours: false, reason: 'jws: the signature is empty' }],
  ['the JSON serialization', () => Promise.resolve('{"payload":"e30","signature":"x"}'), live, {}, { ours: false, reason: 'jws: JSON serialization, not the compact form' }],
];

test.each(cases)('verify: %s', async (_name, make, lookup, opts, expected) => {
  const result = await tokens.verify(await make(), lookup, opts);
  if ('ok' in expected) {
    expect(result).toMatchObject({ ok: true, user: { name: 'system:serviceaccount:default:robot', uid: 'sa-1' } });
    return;
  }
  if (result.ok) throw new Error(`accepted: ${JSON.stringify(result.user)}`);
  expect(result.ours).toBe(expected.ours);
  if (typeof expected.reason === 'string') expect(result.reason).toBe(expected.reason);
  else expect(result.reason).toMatch(expected.reason);
});

test('a verified token maps to the ServiceAccount user with its groups and extras', async () => {
  const { token, claims } = await tokens.issue({ ...robot, pod: { name: 'web', uid: 'pod-1' } });
  const result = await tokens.verify(token, live, { now: NOW });
  expect(result).toEqual({
    ok: true,
    claims,
    audiences: [DEFAULT_ISSUER],
    user: {
      name: 'system:serviceaccount:default:robot',
      uid: 'sa-1',
      groups: ['system:serviceaccounts', 'system:serviceaccounts:default', 'system:authenticated'],
      extra: {
        'authentication.kubernetes.io/credential-id': [`JTI=${claims.jti ?? ''}`],
        'authentication.kubernetes.io/pod-name': ['web'],
        'authentication.kubernetes.io/pod-uid': ['pod-1'],
      },
    },
  });
});

test('create refuses a server without audiences', async () => {
  await expect(ServiceAccountTokens.create({ apiAudiences: [] })).rejects.toThrow('tokens: the API server needs at least one audience');
});

test('the OpenID discovery document names the issuer and the key set', () => {
  expect(tokens.openIdConfiguration('https://127.0.0.1:6443/openid/v1/jwks')).toEqual({
    issuer: DEFAULT_ISSUER,
    jwks_uri: 'https://127.0.0.1:6443/openid/v1/jwks',
    response_types_supported: ['id_token'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['ES256'],
  });
});
