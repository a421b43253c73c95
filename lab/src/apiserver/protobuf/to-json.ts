// Turns a message's bytes into the JSON the JSON API carries for it: Go's encoding/json rules per field
// (omitempty, pointers, struct values, inline structs), bytes as base64, and the special apimachinery types.

import type { Json, JsonObject } from '../json.js';
import type { FieldSpec, MessageSpec, ScalarType } from './schema.js';
import { fieldsV1ToJson, intOrStringToJson, quantityToJson, timeToJson } from './well-known.js';
import { readMessage, type Collected, type ReadOptions, type ScalarValue } from './wire-read.js';

function concat(chunks: readonly Uint8Array[]): Uint8Array {
  if (chunks.length === 1 && chunks[0] !== undefined) return chunks[0];
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

function zeroOf(scalar: ScalarType): ScalarValue {
  if (scalar === 'string') return '';
  if (scalar === 'bool') return false;
  if (scalar === 'bytes') return new Uint8Array(0);
  return 0;
}

function isZero(v: ScalarValue): boolean {
  return v instanceof Uint8Array ? v.length === 0 : v === '' || v === 0 || v === false;
}

function scalarJson(v: ScalarValue): Json {
  return v instanceof Uint8Array ? Buffer.from(v).toString('base64') : v;
}

function num(c: Collected, spec: MessageSpec, name: string): number {
  const f = spec.byName.get(name);
  const v = f === undefined ? undefined : c.singles.get(f);
  return typeof v === 'number' ? v : 0;
}

function str(c: Collected, spec: MessageSpec, name: string): string | undefined {
  const f = spec.byName.get(name);
  const v = f === undefined ? undefined : c.singles.get(f);
  return typeof v === 'string' ? v : undefined;
}

function specialJson(spec: MessageSpec, bytes: Uint8Array, path: string, opts: ReadOptions): Json {
  const c = readMessage(spec, bytes, path, opts);
  switch (spec.special) {
    case 'Time':
    case 'MicroTime':
      return timeToJson(bytes.length === 0, num(c, spec, 'seconds'), num(c, spec, 'nanos'), spec.special === 'MicroTime', path);
    case 'Quantity':
      return quantityToJson(str(c, spec, 'string'), path);
    case 'IntOrString':
      return intOrStringToJson(num(c, spec, 'type'), num(c, spec, 'intVal'), str(c, spec, 'strVal') ?? '', path);
    case 'FieldsV1': {
      const [raw] = spec.fields;
      const v = raw === undefined ? undefined : c.singles.get(raw);
      return fieldsV1ToJson(v instanceof Uint8Array ? v : undefined, path);
    }
    case 'ExtraValue': {
      // A Go []string: gogo reads no items as a nil slice, which JSON writes as null.
      const [items] = spec.fields;
      const list = items === undefined ? [] : (c.lists.get(items) ?? []);
      return list.length === 0 ? null : list.map(scalarJson);
    }
    default:
      return objectJson(spec, c, path, opts);
  }
}

/** The JSON of one message given its bytes (an empty array for an absent struct value). */
export function messageToJson(spec: MessageSpec, bytes: Uint8Array, path: string, opts: ReadOptions = {}): Json {
  if (spec.special !== undefined) return specialJson(spec, bytes, path, opts);
  return objectJson(spec, readMessage(spec, bytes, path, opts), path, opts);
}

function valueJson(field: FieldSpec, v: ScalarValue | undefined, path: string, opts: ReadOptions): Json {
  if (field.value.kind === 'message') return messageToJson(field.value.message, v instanceof Uint8Array ? v : new Uint8Array(0), path, opts);
  return scalarJson(v ?? zeroOf(field.value.scalar));
}

function listJson(field: FieldSpec, c: Collected, path: string, opts: ReadOptions): Json | undefined {
  const items = c.lists.get(field) ?? [];
  if (items.length === 0) return field.presence === 'always' ? null : undefined;
  return items.map((v, i) => valueJson(field, v, `${path}[${i}]`, opts));
}

function mapJson(field: FieldSpec, c: Collected, path: string, opts: ReadOptions): Json | undefined {
  const entries = c.maps.get(field);
  if (entries === undefined || entries.size === 0) return field.presence === 'always' ? null : undefined;
  const out: JsonObject = {};
  for (const [k, v] of entries) out[k] = valueJson(field, v, `${path}[${JSON.stringify(k)}]`, opts);
  return out;
}

function singleJson(field: FieldSpec, c: Collected, path: string, opts: ReadOptions): Json | undefined {
  if (field.value.kind === 'message') {
    const chunks = c.messages.get(field);
    if (chunks === undefined && field.presence === 'ptr') return undefined;
    if (chunks === undefined && field.presence === 'nullable') return null;
    return messageToJson(field.value.message, concat(chunks ?? []), path, opts);
  }
  const v = c.singles.get(field);
  if (field.presence === 'ptr' || field.presence === 'nullable') return v === undefined ? (field.presence === 'ptr' ? undefined : null) : scalarJson(v);
  const value = v ?? zeroOf(field.value.scalar);
  if (field.presence === 'omitempty' && isZero(value)) return undefined;
  if (value instanceof Uint8Array && v === undefined) return null;
  return scalarJson(value);
}

function objectJson(spec: MessageSpec, c: Collected, path: string, opts: ReadOptions): JsonObject {
  const out: JsonObject = {};
  for (const field of spec.fields) {
    const at = path === '' ? field.name : `${path}.${field.name}`;
    const value =
      field.cardinality === 'map' ? mapJson(field, c, at, opts) : field.cardinality === 'repeated' ? listJson(field, c, at, opts) : singleJson(field, c, field.presence === 'inline' ? path : at, opts);
    if (value === undefined) continue;
    if (field.presence === 'inline' && value !== null && typeof value === 'object' && !Array.isArray(value)) Object.assign(out, value);
    else out[field.name] = value;
  }
  return out;
}
