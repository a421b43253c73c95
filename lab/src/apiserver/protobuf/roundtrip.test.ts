import { readdirSync, readFileSync } from 'node:fs';
import type { JsonObject } from '../json.js';
import { decodeK8sProtobuf, encodeK8sProtobuf } from './envelope.js';
import { protobufKinds } from './kinds.js';

// Realistic objects of every kind, written the way the JSON API carries them (Go's omission rules applied).
const DIR = new URL('./testdata/objects/', import.meta.url);
const FILES = readdirSync(DIR).filter((f) => f.endsWith('.json')).sort();

function load(file: string): JsonObject {
  return JSON.parse(readFileSync(new URL(file, DIR), 'utf8')) as JsonObject;
}

test('every kind with a protobuf form has a sample, and lists have some too', () => {
  const sampled = new Set(FILES.map((f) => `${String(load(f)['apiVersion'])} ${String(load(f)['kind'])}`));
  const kinds = protobufKinds().filter((k) => !k.kind.endsWith('List')).map((k) => `${k.apiVersion} ${k.kind}`);
  expect(kinds.filter((k) => !sampled.has(k))).toEqual([]);
  expect([...sampled].filter((k) => k.endsWith('List')).length).toBeGreaterThan(0);
});

test.each(FILES)('%s: JSON → protobuf → JSON gives the same object', (file) => {
  const object = load(file);
  const decoded = decodeK8sProtobuf(encodeK8sProtobuf(object));
  expect(decoded.object).toEqual(object);
  expect([decoded.apiVersion, decoded.kind]).toEqual([object['apiVersion'], object['kind']]);
});

test.each(FILES)('%s: encoding is stable (decoded object encodes to the same bytes)', (file) => {
  const bytes = encodeK8sProtobuf(load(file));
  expect(Buffer.from(encodeK8sProtobuf(decodeK8sProtobuf(bytes).object)).equals(Buffer.from(bytes))).toBe(true);
});
