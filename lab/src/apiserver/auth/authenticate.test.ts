import { ANONYMOUS_USER, authenticate, EXTRA_SPACE_WARNING, parseAuthorizationHeader, withAuthenticatedGroup, type AuthenticatorConfig } from './authenticate.js';
import { ADMIN_USER, StaticTokens } from './static-tokens.js';
import { DEFAULT_ISSUER, ServiceAccountTokens } from './tokens.js';

let config: AuthenticatorConfig;
let saToken: string;
let foreignToken: string;

beforeAll(async () => {
  const serviceAccounts = await ServiceAccountTokens.create();
  const other = await ServiceAccountTokens.create({ issuer: 'https://elsewhere' });
  saToken = (await serviceAccounts.issue({ namespace: 'lab', name: 'speaker', uid: 'sa-1' })).token;
  foreignToken = (await other.issue({ namespace: 'lab', name: 'speaker', uid: 'sa-1' })).token;
  config = {
    staticTokens: new StaticTokens([
      ['admin-token', ADMIN_USER],
      ['plain-token', { name: 'alice', groups: ['devs'] }],
    ]),
    serviceAccounts,
    lookup: (kind, ns, name) => (kind === 'ServiceAccount' && ns === 'lab' && name === 'speaker' ? { uid: 'sa-1' } : undefined),
  };
});

test.each([
  ['no header', undefined, { kind: 'absent' }],
  ['an empty header', '   ', { kind: 'absent' }],
  ['a bearer token', 'Bearer abc', { kind: 'bearer', token: 'abc' }],
  ['the scheme in any case', 'bEaReR abc', { kind: 'bearer', token: 'abc' }],
  ['surrounding white space', '  Bearer abc  ', { kind: 'bearer', token: 'abc' }],
  ['a third part, ignored', 'Bearer abc def', { kind: 'bearer', token: 'abc' }],
  ['"Bearer" alone', 'Bearer', { kind: 'ignored' }],
  ['"Bearer" and spaces only', 'Bearer    ', { kind: 'ignored' }],
  ['two spaces before the token', 'Bearer  abc', { kind: 'ignored', warning: EXTRA_SPACE_WARNING }],
  ['a tab instead of a space', 'Bearer\tabc', { kind: 'ignored' }],
  ['basic auth', 'Basic YWxpY2U6c2VjcmV0', { kind: 'ignored' }],
  ['a token without scheme', 'abc', { kind: 'ignored' }],
])('parseAuthorizationHeader: %s', (_name, value, expected) => {
  expect(parseAuthorizationHeader(value)).toEqual(expected);
});

type Expect = { kind: 'authenticated'; name: string; groups: string[] } | { kind: 'anonymous' } | { kind: 'unauthorized'; reason: string | RegExp };

test.each<[string, () => string | undefined, boolean, Expect]>([
  ['the admin token', () => 'Bearer admin-token', true, { kind: 'authenticated', name: 'headland-admin', groups: ['system:masters', 'system:authenticated'] }],
  ['a static token, system:authenticated added', () => 'Bearer plain-token', true, { kind: 'authenticated', name: 'alice', groups: ['devs', 'system:authenticated'] }],
  [
    'a ServiceAccount token',
    () => `Bearer ${saToken}`,
    true,
    { kind: 'authenticated', name: 'system:serviceaccount:lab:speaker', groups: ['system:serviceaccounts', 'system:serviceaccounts:lab', 'system:authenticated'] },
  ],
  ['no header, anonymous on', () => undefined, true, { kind: 'anonymous' }],
  ['no header, anonymous off', () => undefined, false, { kind: 'unauthorized', reason: 'no credentials, and anonymous requests are off' }],
  ['another scheme, anonymous on', () => 'Basic YWxpY2U6c2VjcmV0', true, { kind: 'anonymous' }],
  ['another scheme, anonymous off', () => 'Basic YWxpY2U6c2VjcmV0', false, { kind: 'unauthorized', reason: 'no credentials, and anonymous requests are off' }],
  ['"Bearer" with no token, anonymous on', () => 'Bearer', true, { kind: 'anonymous' }],
  ['an unknown token, even with anonymous on', () => 'Bearer nobody-knows-me', true, { kind: 'unauthorized', reason: 'invalid bearer token' }],
  ['a JWT of another issuer', () => `Bearer ${foreignToken}`, true, { kind: 'unauthorized', reason: 'invalid bearer token' }],
  ['a garbled JWT', () => 'Bearer a.b.c', true, { kind: 'unauthorized', reason: 'invalid bearer token' }],
  ['a JWT without an issuer', () => `Bearer ${saToken.split('.')[0] ?? ''}.e30.${saToken.split('.')[2] ?? ''}`, true, { kind: 'unauthorized', reason: 'invalid bearer token' }],
  ['our JWT with a changed payload', () => `Bearer ${saToken.split('.')[0] ?? ''}.${Buffer.from(`{"iss":"${DEFAULT_ISSUER}"}`).toString('base64url')}.${saToken.split('.')[2] ?? ''}`, true, { kind: 'unauthorized', reason: /^tokens: signature not made by this server's key/ }],
])('authenticate: %s', async (_name, header, anonymous, expected) => {
  const value = header();
  const result = await authenticate(value === undefined ? {} : { authorization: value }, { ...config, anonymous });
  expect(result.kind).toBe(expected.kind);
  if (result.kind === 'authenticated' && expected.kind === 'authenticated') {
    expect(result.user.name).toBe(expected.name);
    expect(result.user.groups).toEqual(expected.groups);
  }
  if (result.kind === 'anonymous') expect(result.user).toEqual({ name: 'system:anonymous', groups: ['system:unauthenticated'] });
  if (result.kind === 'unauthorized' && expected.kind === 'unauthorized') {
    if (typeof expected.reason === 'string') expect(result.reason).toBe(expected.reason);
    else expect(result.reason).toMatch(expected.reason);
    expect(result.status).toEqual({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 });
  }
});

test('a second space before the token goes on as anonymous, with the real warning', async () => {
  const result = await authenticate({ authorization: 'Bearer  admin-token' }, config);
  expect(result).toEqual({ kind: 'anonymous', user: ANONYMOUS_USER, warnings: [EXTRA_SPACE_WARNING] });
});

test('the first of repeated Authorization values counts (headersDistinct)', async () => {
  const result = await authenticate({ authorization: ['Bearer admin-token', 'Bearer nobody'] }, config);
  expect(result.kind).toBe('authenticated');
});

test('a ServiceAccount token is refused once its ServiceAccount is gone', async () => {
  const result = await authenticate({ authorization: `Bearer ${saToken}` }, { ...config, lookup: () => undefined });
  expect(result).toMatchObject({ kind: 'unauthorized', reason: 'serviceaccounts "speaker" not found' });
});

test('without a ServiceAccount issuer only static tokens authenticate', async () => {
  const { serviceAccounts: _sa, ...staticOnly } = config;
  expect(await authenticate({ authorization: `Bearer ${saToken}` }, staticOnly)).toMatchObject({ kind: 'unauthorized', reason: 'invalid bearer token' });
});

test.each([
  ['adds system:authenticated', { name: 'a', groups: ['g'] }, ['g', 'system:authenticated']],
  ['keeps it when present', { name: 'a', groups: ['system:authenticated', 'g'] }, ['system:authenticated', 'g']],
  ['leaves a system:unauthenticated user alone', { name: 'a', groups: ['system:unauthenticated'] }, ['system:unauthenticated']],
  ['leaves system:anonymous alone', { name: 'system:anonymous', groups: [] }, []],
])('withAuthenticatedGroup %s', (_name, user, groups) => {
  expect(withAuthenticatedGroup(user).groups).toEqual(groups);
});
