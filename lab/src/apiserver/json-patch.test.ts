import { applyJsonPatch, JsonPatchError, parseJsonPatch } from './json-patch.js';
import type { Json } from './json.js';

const doc = { metadata: { labels: { a: '1' }, finalizers: ['x'] }, spec: { ports: [{ port: 80 }, { port: 443 }] } };

const ok: [string, Json, Json][] = [
  ['add a key', [{ op: 'add', path: '/metadata/labels/b', value: '2' }], { ...doc, metadata: { ...doc.metadata, labels: { a: '1', b: '2' } } }],
  ['add at the end with -', [{ op: 'add', path: '/metadata/finalizers/-', value: 'y' }], { ...doc, metadata: { ...doc.metadata, finalizers: ['x', 'y'] } }],
  ['insert at an index', [{ op: 'add', path: '/spec/ports/0', value: { port: 22 } }], { ...doc, spec: { ports: [{ port: 22 }, { port: 80 }, { port: 443 }] } }],
  ['remove an element', [{ op: 'remove', path: '/spec/ports/0' }], { ...doc, spec: { ports: [{ port: 443 }] } }],
  ['replace a value', [{ op: 'replace', path: '/spec/ports/1/port', value: 8443 }], { ...doc, spec: { ports: [{ port: 80 }, { port: 8443 }] } }],
  ['move a key', [{ op: 'move', from: '/metadata/labels/a', path: '/metadata/labels/z' }], { ...doc, metadata: { ...doc.metadata, labels: { z: '1' } } }],
  ['copy a key', [{ op: 'copy', from: '/metadata/labels/a', path: '/metadata/labels/c' }], { ...doc, metadata: { ...doc.metadata, labels: { a: '1', c: '1' } } }],
  ['test passes then add', [{ op: 'test', path: '/spec/ports/0', value: { port: 80 } }, { op: 'add', path: '/x', value: 1 }], { ...doc, x: 1 }],
  ['escaped pointer', [{ op: 'add', path: '/metadata/labels/headland.io~1pool', value: 'b' }], { ...doc, metadata: { ...doc.metadata, labels: { a: '1', 'headland.io/pool': 'b' } } }],
  ['replace the root', [{ op: 'replace', path: '', value: { a: 1 } }], { a: 1 }],
];

test.each(ok)('%s', (_name, patch, expected) => {
  const before = JSON.stringify(doc);
  expect(applyJsonPatch(doc, parseJsonPatch(patch))).toEqual(expected);
  expect(JSON.stringify(doc)).toBe(before);
});

const bad: [string, unknown, string][] = [
  ['not an array', { op: 'add' }, 'must be an array'],
  ['unknown op', [{ op: 'frob', path: '/a' }], 'unknown op "frob"'],
  ['no path', [{ op: 'add', value: 1 }], 'has no "path"'],
  ['add without value', [{ op: 'add', path: '/a' }], 'has no "value"'],
  ['move without from', [{ op: 'move', path: '/a' }], 'has no "from"'],
];

test.each(bad)('malformed patch: %s', (_name, patch, message) => {
  expect(() => parseJsonPatch(patch)).toThrow(JsonPatchError);
  expect(() => parseJsonPatch(patch)).toThrow(message);
});

const failing: [string, Json, string][] = [
  ['test fails', [{ op: 'test', path: '/metadata/labels/a', value: '2' }], 'test failed at "/metadata/labels/a"'],
  ['remove a missing key', [{ op: 'remove', path: '/metadata/labels/zz' }], 'does not exist'],
  ['replace a missing key', [{ op: 'replace', path: '/nope', value: 1 }], 'does not exist'],
  ['index out of bounds', [{ op: 'add', path: '/spec/ports/5', value: 1 }], 'out of bounds'],
  ['not an index', [{ op: 'remove', path: '/spec/ports/first' }], 'not an array index'],
  ['path without slash', [{ op: 'add', path: 'a', value: 1 }], 'must start with "/"'],
  ['parent missing', [{ op: 'add', path: '/a/b/c', value: 1 }], 'does not exist'],
  ['move into own child', [{ op: 'move', from: '/spec', path: '/spec/x' }], 'own child'],
];

test.each(failing)('failing patch: %s', (_name, patch, message) => {
  expect(() => applyJsonPatch(doc, parseJsonPatch(patch))).toThrow(message);
});

test('a failing operation leaves the target untouched', () => {
  const ops = parseJsonPatch([{ op: 'add', path: '/metadata/labels/b', value: '2' }, { op: 'test', path: '/spec', value: 0 }]);
  expect(() => applyJsonPatch(doc, ops)).toThrow(JsonPatchError);
  expect(doc.metadata.labels).toEqual({ a: '1' });
});
