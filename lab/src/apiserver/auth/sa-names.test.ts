import { isDnsLabel, isDnsSubdomain, serviceAccountGroups, serviceAccountUsername, splitServiceAccountUsername } from './sa-names.js';

test.each([
  ['a ServiceAccount user', 'system:serviceaccount:foo:default', { namespace: 'foo', name: 'default' }],
  ['a dotted ServiceAccount name', 'system:serviceaccount:foo:a.b', { namespace: 'foo', name: 'a.b' }],
  ['a plain user', 'jane', undefined],
  ['the prefix alone', 'system:serviceaccount:', undefined],
  ['a namespace only', 'system:serviceaccount:foo', undefined],
  ['three parts', 'system:serviceaccount:foo:bar:baz', undefined],
  ['an upper-case namespace', 'system:serviceaccount:Foo:bar', undefined],
  ['a dotted namespace (not a label)', 'system:serviceaccount:a.b:bar', undefined],
  ['an empty name', 'system:serviceaccount:foo:', undefined],
  ['the group prefix, not the user prefix', 'system:serviceaccounts:foo:bar', undefined],
])('splitServiceAccountUsername: %s', (_name, username, expected) => {
  expect(splitServiceAccountUsername(username)).toEqual(expected);
});

test('user name and groups of a ServiceAccount', () => {
  expect(serviceAccountUsername('lab', 'robot')).toBe('system:serviceaccount:lab:robot');
  expect(serviceAccountGroups('lab')).toEqual(['system:serviceaccounts', 'system:serviceaccounts:lab']);
});

test.each([
  ['a', true, true],
  ['a-b', true, true],
  ['a.b', false, true],
  ['-a', false, false],
  ['a_b', false, false],
  ['', false, false],
  ['x'.repeat(63), true, true],
  ['x'.repeat(64), false, true],
  [`${'x'.repeat(63)}.`.repeat(4).slice(0, 254), false, false],
])('isDnsLabel / isDnsSubdomain of %j', (text, label, subdomain) => {
  expect(isDnsLabel(text)).toBe(label);
  expect(isDnsSubdomain(text)).toBe(subdomain);
});
