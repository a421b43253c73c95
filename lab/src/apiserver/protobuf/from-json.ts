// Writes a JSON object as a message the way gogo-protobuf marshals the Go struct: fields in number order,
// non-pointer scalars and structs always written, pointers only when set, map keys sorted (so bytes match kubectl's).

import protobuf from 'protobufjs';
import { isObject, type Json, type JsonObject } from '../json.js';
import { ProtobufError, ProtobufErrorReason } from './errors.js';
import { isKindMessage } from './kinds.js';
import type { FieldSpec, MessageSpec, ScalarType } from './schema.js';
import { jsonToFieldsV1, jsonToIntOrString, jsonToQuantity, jsonToTime } from './well-known.js';

export interface WriteOptions {
  /** `reject` (the default) refuses a JSON key our declarations lack; `skip` leaves it out of the bytes. */
  unknownFields?: 'reject' | 'skip';
}

const WIRE_VARINT = 0;
const WIRE_LEN = 2;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const utf8 = new TextEncoder();

function invalid(path: string, detail: string): ProtobufError {
  return new ProtobufError(ProtobufErrorReason.InvalidValue, detail, path);
}

function tag(w: protobuf.Writer, no: number, wt: number): void {
  w.uint32(((no << 3) | wt) >>> 0);
}

function writeScalar(w: protobuf.Writer, no: number, scalar: ScalarType, v: Json, path: string): void {
  switch (scalar) {
    case 'string':
      if (typeof v !== 'string') throw invalid(path, `expected a string, got ${JSON.stringify(v)}`);
      tag(w, no, WIRE_LEN);
      w.bytes(utf8.encode(v));
      return;
    case 'bytes':
      if (typeof v !== 'string' || !BASE64.test(v)) throw invalid(path, `expected base64 text, got ${JSON.stringify(v)}`);
      tag(w, no, WIRE_LEN);
      w.bytes(Buffer.from(v, 'base64'));
      return;
    case 'bool':
      if (typeof v !== 'boolean') throw invalid(path, `expected true or false, got ${JSON.stringify(v)}`);
      tag(w, no, WIRE_VARINT);
      w.bool(v);
      return;
    case 'int32':
      if (typeof v !== 'number' || !Number.isInteger(v) || v < -(2 ** 31) || v >= 2 ** 31) throw invalid(path, `expected a 32-bit integer, got ${JSON.stringify(v)}`);
      tag(w, no, WIRE_VARINT);
      w.int32(v);
      return;
    case 'int64':
      if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw invalid(path, `expected an integer, got ${JSON.stringify(v)}`);
      tag(w, no, WIRE_VARINT);
      w.int64(v);
  }
}

function zeroOf(scalar: ScalarType): Json {
  if (scalar === 'string' || scalar === 'bytes') return '';
  if (scalar === 'bool') return false;
  return 0;
}

/** Writes the named field of a special message; its number and type come from our .proto. */
function writeNamed(w: protobuf.Writer, spec: MessageSpec, name: string, v: Json, path: string): void {
  const f = spec.byName.get(name);
  if (f === undefined || f.value.kind !== 'scalar') throw invalid(path, `${spec.fullName} lacks scalar field ${name}`);
  writeScalar(w, f.no, f.value.scalar, v, path);
}

function writeSpecial(w: protobuf.Writer, spec: MessageSpec, v: Json | undefined, path: string): void {
  switch (spec.special) {
    case 'Time':
    case 'MicroTime': {
      const t = jsonToTime(v, spec.special === 'MicroTime', path);
      if (t === null) return;
      writeNamed(w, spec, 'seconds', t.seconds, path);
      writeNamed(w, spec, 'nanos', t.nanos, path);
      return;
    }
    case 'Quantity':
      writeNamed(w, spec, 'string', jsonToQuantity(v, path), path);
      return;
    case 'IntOrString': {
      const x = jsonToIntOrString(v, path);
      writeNamed(w, spec, 'type', x.type, path);
      writeNamed(w, spec, 'intVal', x.intVal, path);
      writeNamed(w, spec, 'strVal', x.strVal, path);
      return;
    }
    case 'FieldsV1': {
      const raw = jsonToFieldsV1(v);
      const [field] = spec.fields;
      if (raw !== undefined && field !== undefined) {
        tag(w, field.no, WIRE_LEN);
        w.bytes(raw);
      }
      return;
    }
    case 'ExtraValue': {
      // A Go []string: null (nil) and [] both write no items.
      if (v === null || v === undefined) return;
      if (!Array.isArray(v)) throw invalid(path, `expected a list of strings, got ${JSON.stringify(v)}`);
      v.forEach((item, i) => writeNamed(w, spec, 'items', item, `${path}[${i}]`));
    }
  }
}

function writeNested(w: protobuf.Writer, no: number, spec: MessageSpec, v: Json | undefined, path: string, opts: WriteOptions): void {
  tag(w, no, WIRE_LEN);
  w.fork();
  writeMessageBody(w, spec, v, path, opts);
  w.ldelim();
}

function writeValue(w: protobuf.Writer, field: FieldSpec, v: Json | undefined, path: string, opts: WriteOptions): void {
  if (field.value.kind === 'message') writeNested(w, field.no, field.value.message, v, path, opts);
  else writeScalar(w, field.no, field.value.scalar, v ?? zeroOf(field.value.scalar), path);
}

/** Go sorts map keys as byte strings; JavaScript's default sort compares UTF-16 units, which differs past the BMP. */
function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

function writeMap(w: protobuf.Writer, field: FieldSpec, v: Json, path: string, opts: WriteOptions): void {
  if (!isObject(v)) throw invalid(path, `expected an object, got ${JSON.stringify(v)}`);
  for (const key of Object.keys(v).sort(byteOrder)) {
    const value = v[key];
    tag(w, field.no, WIRE_LEN);
    w.fork();
    writeScalar(w, 1, 'string', key, path);
    const at = `${path}[${JSON.stringify(key)}]`;
    // A null []byte is a nil slice, which gogo leaves out of the entry; every other value is written.
    if (!(value === null && field.value.kind === 'scalar' && field.value.scalar === 'bytes')) {
      if (field.value.kind === 'message') writeNested(w, 2, field.value.message, value, at, opts);
      else writeScalar(w, 2, field.value.scalar, value ?? zeroOf(field.value.scalar), at);
    }
    w.ldelim();
  }
}

function writeField(w: protobuf.Writer, field: FieldSpec, obj: JsonObject, path: string, opts: WriteOptions): void {
  const at = path === '' ? field.name : `${path}.${field.name}`;
  if (field.presence === 'inline' && field.value.kind === 'message') {
    // The parent already vetted the keys; the embedded struct takes the ones that are its own.
    tag(w, field.no, WIRE_LEN);
    w.fork();
    writeObject(w, field.value.message, obj, path, opts);
    w.ldelim();
    return;
  }
  const v = obj[field.name];
  if (field.cardinality === 'map') {
    if (v !== undefined && v !== null) writeMap(w, field, v, at, opts);
  } else if (field.cardinality === 'repeated') {
    if (v === undefined || v === null) return;
    if (!Array.isArray(v)) throw invalid(at, `expected a list, got ${JSON.stringify(v)}`);
    v.forEach((item, i) => writeValue(w, field, item, `${at}[${i}]`, opts));
  } else if (field.presence === 'ptr' || field.presence === 'nullable') {
    if (v !== undefined && v !== null) writeValue(w, field, v, at, opts);
  } else {
    writeValue(w, field, v, at, opts);
  }
}

const jsonKeyCache = new WeakMap<MessageSpec, ReadonlySet<string>>();

/** The JSON keys a message's object may hold: its own fields', inline structs' fields, and TypeMeta's for kinds. */
function jsonKeys(spec: MessageSpec): ReadonlySet<string> {
  let keys = jsonKeyCache.get(spec);
  if (keys === undefined) {
    const set = new Set<string>(isKindMessage(spec.fullName) ? ['kind', 'apiVersion'] : []);
    for (const f of spec.fields) {
      if (f.presence === 'inline' && f.value.kind === 'message') for (const k of jsonKeys(f.value.message)) set.add(k);
      else set.add(f.name);
    }
    keys = set;
    jsonKeyCache.set(spec, keys);
  }
  return keys;
}

function writeMessageBody(w: protobuf.Writer, spec: MessageSpec, v: Json | undefined, path: string, opts: WriteOptions): void {
  if (spec.special !== undefined) return writeSpecial(w, spec, v, path);
  if (v === undefined || v === null) return writeObject(w, spec, {}, path, opts);
  if (!isObject(v)) throw invalid(path, `expected an object, got ${JSON.stringify(v)}`);
  if (opts.unknownFields !== 'skip') {
    const known = jsonKeys(spec);
    for (const key of Object.keys(v)) {
      if (!known.has(key)) {
        throw new ProtobufError(ProtobufErrorReason.UnknownField, `${spec.fullName} has no field ${JSON.stringify(key)}`, path);
      }
    }
  }
  writeObject(w, spec, v, path, opts);
}

function writeObject(w: protobuf.Writer, spec: MessageSpec, obj: JsonObject, path: string, opts: WriteOptions): void {
  for (const field of spec.fields) writeField(w, field, obj, path, opts);
}

/** The bytes of `value` as message `spec`. */
export function jsonToMessage(spec: MessageSpec, value: Json, opts: WriteOptions = {}): Uint8Array {
  const w = protobuf.Writer.create();
  writeMessageBody(w, spec, value, '', opts);
  return w.finish();
}
