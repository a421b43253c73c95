// Splits one message's bytes into the values of its declared fields, checking tags and wire types;
// nested messages stay as bytes for the caller to read with their own table (so errors carry a path).

import protobuf from 'protobufjs';
import { ProtobufError, ProtobufErrorReason } from './errors.js';
import type { FieldSpec, MessageSpec, ScalarType } from './schema.js';

export type ScalarValue = string | number | boolean | Uint8Array;

/** Field values as read; a message-typed value is its bytes. Repeated occurrences of a single message are merged later by concatenation, as protobuf specifies. */
export interface Collected {
  readonly singles: Map<FieldSpec, ScalarValue>;
  readonly messages: Map<FieldSpec, Uint8Array[]>;
  readonly lists: Map<FieldSpec, ScalarValue[]>;
  /** A map entry without a value is `undefined`: the reader uses the value type's zero. */
  readonly maps: Map<FieldSpec, Map<string, ScalarValue | undefined>>;
}

export interface ReadOptions {
  /** `reject` (the default) refuses a field number our declarations lack; `skip` drops it as gogo-protobuf does. */
  unknownFields?: 'reject' | 'skip';
}

const WIRE_VARINT = 0;
const WIRE_LEN = 2;
const VARINT_SCALARS: readonly ScalarType[] = ['bool', 'int32', 'int64'];

function wireTypeOf(value: FieldSpec['value']): number {
  return value.kind === 'scalar' && VARINT_SCALARS.includes(value.scalar) ? WIRE_VARINT : WIRE_LEN;
}

function readVarintScalar(r: protobuf.Reader, scalar: ScalarType): number | boolean {
  if (scalar === 'bool') return r.bool();
  if (scalar === 'int32') return r.int32();
  // protobufjs hands out a Long when the long package is around, a number otherwise.
  const v: unknown = r.int64();
  return typeof v === 'number' ? v : (v as { toNumber(): number }).toNumber();
}

const utf8 = new TextDecoder('utf-8');

function readValue(r: protobuf.Reader, value: FieldSpec['value']): ScalarValue {
  if (value.kind === 'message' || value.scalar === 'bytes') return r.bytes();
  if (value.scalar === 'string') return utf8.decode(r.bytes());
  return readVarintScalar(r, value.scalar);
}

function readMapEntry(bytes: Uint8Array, field: FieldSpec, path: string): [string, ScalarValue | undefined] {
  const r = protobuf.Reader.create(bytes);
  let key = '';
  let value: ScalarValue | undefined;
  while (r.pos < r.len) {
    const tag = r.uint32();
    const no = tag >>> 3;
    const wt = tag & 7;
    if (no === 1 && wt === WIRE_LEN) key = utf8.decode(r.bytes());
    else if (no === 2 && wt === wireTypeOf(field.value)) value = readValue(r, field.value);
    else throw new ProtobufError(ProtobufErrorReason.Malformed, `map entry has field ${no} with wire type ${wt}; only 1 (key) and 2 (value) belong there`, path);
  }
  return [key, value];
}

function readPacked(r: protobuf.Reader, scalar: ScalarType): (number | boolean)[] {
  const block = protobuf.Reader.create(r.bytes());
  const out: (number | boolean)[] = [];
  while (block.pos < block.len) out.push(readVarintScalar(block, scalar));
  return out;
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list === undefined) m.set(k, [v]);
  else list.push(v);
}

function readField(r: protobuf.Reader, spec: MessageSpec, field: FieldSpec, wt: number, into: Collected, path: string): void {
  const want = wireTypeOf(field.value);
  const packed = field.cardinality === 'repeated' && want === WIRE_VARINT && wt === WIRE_LEN;
  if (wt !== want && !packed) {
    throw new ProtobufError(ProtobufErrorReason.WrongWireType, `${spec.fullName} field ${field.no} (${field.name}) arrived with wire type ${wt}, expected ${want}`, path);
  }
  if (packed && field.value.kind === 'scalar') {
    for (const v of readPacked(r, field.value.scalar)) push(into.lists, field, v);
  } else if (field.cardinality === 'map') {
    const [key, value] = readMapEntry(r.bytes(), field, path === '' ? field.name : `${path}.${field.name}`);
    const map = into.maps.get(field) ?? new Map<string, ScalarValue | undefined>();
    map.set(key, value);
    into.maps.set(field, map);
  } else if (field.cardinality === 'repeated') {
    push(into.lists, field, readValue(r, field.value));
  } else if (field.value.kind === 'message') {
    push(into.messages, field, r.bytes());
  } else {
    into.singles.set(field, readValue(r, field.value));
  }
}

function describe(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Reads the fields of `spec` from `bytes`; `path` names the message in errors. */
export function readMessage(spec: MessageSpec, bytes: Uint8Array, path: string, opts: ReadOptions = {}): Collected {
  const into: Collected = { singles: new Map(), messages: new Map(), lists: new Map(), maps: new Map() };
  const r = protobuf.Reader.create(bytes);
  try {
    while (r.pos < r.len) {
      const tag = r.uint32();
      const no = tag >>> 3;
      const wt = tag & 7;
      if (no === 0) throw new ProtobufError(ProtobufErrorReason.Malformed, `field number 0 is not allowed (tag ${tag})`, path);
      if (wt === 3 || wt === 4 || wt > 5) throw new ProtobufError(ProtobufErrorReason.Malformed, `wire type ${wt} of field ${no} is not used by Kubernetes messages`, path);
      const field = spec.byNumber.get(no);
      if (field !== undefined) readField(r, spec, field, wt, into, path);
      else if (opts.unknownFields === 'skip') r.skipType(wt);
      else throw new ProtobufError(ProtobufErrorReason.UnknownField, `${spec.fullName} has no field ${no} here (wire type ${wt})`, path);
    }
  } catch (e) {
    if (e instanceof ProtobufError) throw e;
    if (e instanceof RangeError) throw new ProtobufError(ProtobufErrorReason.Truncated, `${spec.fullName} ends in the middle of a field (${describe(e)})`, path);
    throw new ProtobufError(ProtobufErrorReason.Malformed, `${spec.fullName}: ${describe(e)}`, path);
  }
  return into;
}
