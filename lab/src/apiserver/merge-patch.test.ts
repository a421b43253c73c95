import { applyMergePatch } from './merge-patch.js';
import type { Json } from './json.js';

// The examples of RFC 7386 appendix A, then the Kubernetes-shaped cases.
const cases: [string, Json, Json, Json][] = [
  ['replace a value', { a: 'b' }, { a: 'c' }, { a: 'c' }],
  ['add a key', { a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
  ['null deletes', { a: 'b' }, { a: null }, {}],
  ['null deletes one of two', { a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
  ['array replaces', { a: ['b'] }, { a: 'c' }, { a: 'c' }],
  ['value becomes array', { a: 'c' }, { a: ['b'] }, { a: ['b'] }],
  ['nested merge and delete', { a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
  ['arrays are not merged', { a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
  ['scalar target', ['a', 'b'], ['c', 'd'], ['c', 'd']],
  ['object patch over array target', { a: 'b' }, ['c'], ['c']],
  ['null patch', { a: 'foo' }, null, null],
  ['string patch', { a: 'foo' }, 'bar', 'bar'],
  ['nulls nested in new objects are dropped', { e: null }, { a: 1 }, { e: null, a: 1 }],
  ['array target replaced by object', [1, 2], { a: 'b', c: null }, { a: 'b' }],
  ['deep new object', {}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
  ['labels merge', { metadata: { labels: { a: '1', b: '2' } } }, { metadata: { labels: { b: null, c: '3' } } }, { metadata: { labels: { a: '1', c: '3' } } }],
];

test.each(cases)('%s', (_name, target, patch, expected) => {
  const before = JSON.stringify(target);
  expect(applyMergePatch(target, patch)).toEqual(expected);
  expect(JSON.stringify(target)).toBe(before);
});
