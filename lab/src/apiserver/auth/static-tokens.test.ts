import { ADMIN_USER, newToken, StaticTokenError, StaticTokens } from './static-tokens.js';

const viewer = { name: 'viewer', groups: ['viewers'] };
const table = new StaticTokens([
  ['admin-token', ADMIN_USER],
  ['viewer-token', viewer],
]);

test.each([
  ['the admin token', 'admin-token', ADMIN_USER],
  ['the viewer token', 'viewer-token', viewer],
  ['an unknown token', 'nobody', undefined],
  ['a prefix of a known token', 'admin-tok', undefined],
  ['a known token with more after it', 'admin-token2', undefined],
  ['a known token in another case', 'ADMIN-TOKEN', undefined],
  ['the empty string', '', undefined],
])('lookup: %s', (_name, token, expected) => {
  expect(table.lookup(token)).toEqual(expected);
});

test('the admin is headland-admin in system:masters and system:authenticated', () => {
  expect(ADMIN_USER).toEqual({ name: 'headland-admin', groups: ['system:masters', 'system:authenticated'] });
});

test.each([
  ['an empty token', [['', viewer]], 'static-tokens: the token for "viewer" is empty or contains white space'],
  ['a token with a space', [['a b', viewer]], 'static-tokens: the token for "viewer" is empty or contains white space'],
  ['the same token twice', [['t', viewer], ['t', ADMIN_USER]], 'static-tokens: the token for "headland-admin" is given twice'],
] as const)('the table refuses %s', (_name, entries, message) => {
  expect(() => new StaticTokens(entries)).toThrow(StaticTokenError);
  expect(() => new StaticTokens(entries)).toThrow(message);
});

test('newToken gives distinct 43-character base64url tokens', () => {
  const a = newToken();
  const b = newToken();
  expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
  expect(a).not.toBe(b);
  expect(new StaticTokens([[a, viewer]]).size).toBe(1);
});
