import type { NonResourceAttributes, ResourceAttributes } from '../identity.js';
import { goQuote, goQuoteList, sanitizeHtml } from '../go-text.js';
import { forbiddenStatus } from '../rbac/forbidden.js';
import { internalErrorText, unauthorizedStatus } from './status.js';

test.each([
  ['plain text', 'jane', '"jane"'],
  ['quotes and backslashes', 'a"b\\c', '"a\\"b\\\\c"'],
  ['control characters', 'a\nb\tc\u0001', '"a\\nb\\tc\\x01"'],
  ['printable non-ASCII kept', 'ᛄé', '"ᛄé"'],
  ['a non-printable code point', '\u200b', '"\\u200b"'],
])('goQuote: %s', (_name, text, quoted) => {
  expect(goQuote(text)).toBe(quoted);
});

test('goQuoteList is Go %q of a []string', () => {
  expect(goQuoteList(['a', 'b c'])).toBe('["a" "b c"]');
  expect(goQuoteList([])).toBe('[]');
});

test('sanitizeHtml escapes &, < and > but not quotes', () => {
  expect(sanitizeHtml('<a href="x">&</a>')).toBe('&lt;a href="x"&gt;&amp;&lt;/a&gt;');
});

const user = { name: 'jane', groups: ['system:authenticated'] };
const res = (over: Partial<ResourceAttributes>): ResourceAttributes => ({
  kind: 'resource',
  user,
  verb: 'get',
  apiGroup: '',
  apiVersion: 'v1',
  resource: 'pods',
  subresource: '',
  name: '',
  namespace: '',
  ...over,
});

test.each([
  ['a cluster-wide list', res({ verb: 'list' }), 'pods is forbidden: User "jane" cannot list resource "pods" in API group "" at the cluster scope', { kind: 'pods' }],
  ['a named object in a namespace', res({ name: 'web', namespace: 'prod' }), 'pods "web" is forbidden: User "jane" cannot get resource "pods" in API group "" in the namespace "prod"', { name: 'web', kind: 'pods' }],
  [
    'a subresource of a grouped resource',
    res({ apiGroup: 'apps', resource: 'deployments', subresource: 'scale', name: 'd', namespace: 'n', verb: 'update' }),
    'deployments.apps "d" is forbidden: User "jane" cannot update resource "deployments/scale" in API group "apps" in the namespace "n"',
    { name: 'd', group: 'apps', kind: 'deployments' },
  ],
])('forbiddenStatus: %s', (_name, attrs, message, details) => {
  expect(forbiddenStatus(attrs)).toEqual({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: 'Forbidden', details, code: 403 });
});

test('forbiddenStatus for a path: "forbidden: ..." and empty details', () => {
  const attrs: NonResourceAttributes = { kind: 'nonResource', user: { name: 'system:anonymous', groups: ['system:unauthenticated'] }, verb: 'get', path: '/' };
  expect(forbiddenStatus(attrs)).toEqual({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: 'forbidden: User "system:anonymous" cannot get path "/"',
    reason: 'Forbidden',
    details: {},
    code: 403,
  });
});

test('forbiddenStatus appends a non-empty reason', () => {
  expect(forbiddenStatus(res({}), 'RBAC: role "r" not found').message).toBe('pods is forbidden: User "jane" cannot get resource "pods" in API group "" at the cluster scope: RBAC: role "r" not found');
});

test('unauthorizedStatus is the real 401 body', () => {
  expect(JSON.stringify(unauthorizedStatus())).toBe('{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401}');
});

test('internalErrorText quotes the URI and escapes HTML, like http.Error', () => {
  expect(internalErrorText('/api?x=<y>', 'oops')).toEqual({
    code: 500,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' },
    body: 'Internal Server Error: "/api?x=&lt;y&gt;": oops\n',
  });
});
