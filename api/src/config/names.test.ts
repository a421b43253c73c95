import { dnsLabelProblem, dnsSubdomainProblem, interfaceNameProblem } from './names.js';

test.each<[string, boolean]>([
  ['headland-system', true],
  ['a', true],
  ['0abc', true],
  ['a'.repeat(63), true],
  ['a'.repeat(64), false],
  ['', false],
  ['-a', false],
  ['a-', false],
  ['A', false],
  ['a.b', false],
  ['a_b', false],
])('DNS label %j ok=%s', (text, ok) => {
  expect(dnsLabelProblem(text) === undefined).toBe(ok);
});

test.each<[string, boolean]>([
  ['example.com', true],
  ['pool-1', true],
  [`${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`, true],
  [`${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(62)}`, false],
  ['a..b', false],
  ['.a', false],
  ['a.', false],
  ['Example.com', false],
])('DNS subdomain %j ok=%s', (text, ok) => {
  expect(dnsSubdomainProblem(text) === undefined).toBe(ok);
});

test.each<[string, boolean]>([
  ['eth0', true],
  ['bond0.100', true],
  ['a'.repeat(15), true],
  ['a'.repeat(16), false],
  ['', false],
  ['.', false],
  ['..', false],
  ['...', true],
  ['a/b', false],
  ['a b', false],
  ['a\nb', false],
  ['a:b', false],
])('interface %j ok=%s', (text, ok) => {
  expect(interfaceNameProblem(text) === undefined).toBe(ok);
});
