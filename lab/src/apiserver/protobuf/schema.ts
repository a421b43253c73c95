// Reads our .proto declarations once (protobufjs parses them) into plain field tables the codec walks:
// number, JSON name, wire shape, and how Go's JSON treats the field (the `(go)` option, explained below).

import protobuf from 'protobufjs';
import { INTSTR_PROTO, META_V1_PROTO, RESOURCE_PROTO, RUNTIME_PROTO } from './proto/apimachinery.js';
import { CORE_V1_PROTO } from './proto/core-v1.js';
import { CORE_V1_POD_EXTRAS_PROTO } from './proto/core-v1-pod-extras.js';
import { CORE_V1_POD_PROTO } from './proto/core-v1-pod.js';
import { CORE_V1_PROBES_PROTO } from './proto/core-v1-probes.js';
import { AUTHENTICATION_V1_PROTO, AUTHORIZATION_V1_PROTO } from './proto/auth-v1.js';
import { APPS_V1_PROTO, COORDINATION_V1_PROTO, DISCOVERY_V1_PROTO, EVENTS_V1_PROTO } from './proto/groups.js';
import { RBAC_V1_PROTO } from './proto/rbac-v1.js';

export type ScalarType = 'string' | 'bytes' | 'bool' | 'int32' | 'int64';

/**
 * How Go's encoding/json and gogo-protobuf treat a field, which decides both the JSON we produce and the bytes we write:
 * - omitempty (no option; scalars, lists, maps): JSON leaves out the zero value; a scalar is still always written on the wire.
 * - always: Go has no `omitempty`: the zero value is in the JSON (`null` for an empty list or map).
 * - ptr: a Go pointer: in the JSON and on the wire exactly when set.
 * - nullable: a Go pointer without `omitempty`: on the wire exactly when set, in the JSON always (null when unset).
 * - struct (no option; messages): a Go struct value: always in the JSON and always written, even when empty.
 * - inline: an embedded struct whose fields sit in the parent's JSON object.
 */
export type Presence = 'omitempty' | 'always' | 'ptr' | 'nullable' | 'struct' | 'inline';

/** Messages whose JSON is not an object of their fields (ExtraValue is a Go `[]string`: its JSON is the list). */
export type Special = 'Time' | 'MicroTime' | 'Quantity' | 'IntOrString' | 'FieldsV1' | 'ExtraValue';

export type ValueType = { kind: 'scalar'; scalar: ScalarType } | { kind: 'message'; message: MessageSpec };

export interface FieldSpec {
  readonly name: string;
  readonly no: number;
  readonly cardinality: 'single' | 'repeated' | 'map';
  /** The element type for lists, the value type for maps (whose keys are always strings). */
  readonly value: ValueType;
  readonly presence: Presence;
}

export interface MessageSpec {
  readonly fullName: string;
  readonly special: Special | undefined;
  /** In field-number order, the order gogo-protobuf writes them. */
  readonly fields: readonly FieldSpec[];
  readonly byNumber: ReadonlyMap<number, FieldSpec>;
  readonly byName: ReadonlyMap<string, FieldSpec>;
}

const SPECIALS: Record<string, Special> = {
  'k8s.io.apimachinery.pkg.apis.meta.v1.Time': 'Time',
  'k8s.io.apimachinery.pkg.apis.meta.v1.MicroTime': 'MicroTime',
  'k8s.io.apimachinery.pkg.apis.meta.v1.FieldsV1': 'FieldsV1',
  'k8s.io.apimachinery.pkg.api.resource.Quantity': 'Quantity',
  'k8s.io.apimachinery.pkg.util.intstr.IntOrString': 'IntOrString',
  'k8s.io.api.authentication.v1.ExtraValue': 'ExtraValue',
  'k8s.io.api.authorization.v1.ExtraValue': 'ExtraValue',
};

const SCALARS: readonly string[] = ['string', 'bytes', 'bool', 'int32', 'int64'];

export const PROTO_SOURCES: readonly string[] = [
  RUNTIME_PROTO,
  INTSTR_PROTO,
  RESOURCE_PROTO,
  META_V1_PROTO,
  CORE_V1_PROTO,
  CORE_V1_POD_PROTO,
  CORE_V1_POD_EXTRAS_PROTO,
  CORE_V1_PROBES_PROTO,
  APPS_V1_PROTO,
  COORDINATION_V1_PROTO,
  EVENTS_V1_PROTO,
  DISCOVERY_V1_PROTO,
  RBAC_V1_PROTO,
  AUTHENTICATION_V1_PROTO,
  AUTHORIZATION_V1_PROTO,
];

/** A declaration we cannot use; only a broken .proto text in this folder causes it. */
export class SchemaError extends Error {
  override readonly name = 'SchemaError';
  constructor(message: string) {
    super(`protobuf schema: ${message}`);
  }
}

interface Building {
  fullName: string;
  special: Special | undefined;
  fields: FieldSpec[];
  byNumber: Map<number, FieldSpec>;
  byName: Map<string, FieldSpec>;
}

function collectTypes(ns: protobuf.NamespaceBase, out: protobuf.Type[]): void {
  for (const nested of ns.nestedArray) {
    if (nested instanceof protobuf.Type) out.push(nested);
    if (nested instanceof protobuf.Namespace || nested instanceof protobuf.Type) collectTypes(nested, out);
  }
}

function presenceOf(f: protobuf.Field, where: string, isMessage: boolean): Presence {
  const opt: unknown = f.options?.['(go)'];
  const cardinality = f.map ? 'map' : f.repeated ? 'repeated' : 'single';
  if (opt === undefined) return cardinality === 'single' && isMessage ? 'struct' : 'omitempty';
  if (opt === 'always' || (cardinality === 'single' && (opt === 'ptr' || opt === 'nullable')) || (cardinality === 'single' && isMessage && opt === 'inline')) return opt;
  throw new SchemaError(`${where}: option (go) = ${JSON.stringify(opt)} does not fit a ${cardinality} ${isMessage ? 'message' : 'scalar'} field`);
}

function buildField(f: protobuf.Field, where: string, specs: ReadonlyMap<string, Building>): FieldSpec {
  f.resolve();
  if (f instanceof protobuf.MapField && f.keyType !== 'string') throw new SchemaError(`${where}: map keys must be strings`);
  let value: ValueType;
  if (f.resolvedType instanceof protobuf.Type) {
    const target = specs.get(f.resolvedType.fullName.slice(1));
    if (target === undefined) throw new SchemaError(`${where}: type ${f.resolvedType.fullName} was not collected`);
    value = { kind: 'message', message: target };
  } else if (SCALARS.includes(f.type)) {
    value = { kind: 'scalar', scalar: f.type as ScalarType };
  } else {
    throw new SchemaError(`${where}: type ${f.type} is neither one of ours nor a supported scalar`);
  }
  return {
    name: f.name,
    no: f.id,
    cardinality: f.map ? 'map' : f.repeated ? 'repeated' : 'single',
    value,
    presence: presenceOf(f, where, value.kind === 'message'),
  };
}

/** Parses the given .proto texts into message tables keyed by full name (no leading dot). */
export function buildSchema(sources: readonly string[]): ReadonlyMap<string, MessageSpec> {
  const root = new protobuf.Root();
  for (const text of sources) protobuf.parse(text, root, { keepCase: true });
  try {
    root.resolveAll();
  } catch (e) {
    throw new SchemaError(e instanceof Error ? e.message : String(e));
  }
  const types: protobuf.Type[] = [];
  collectTypes(root, types);
  const specs = new Map<string, Building>();
  for (const t of types) {
    const fullName = t.fullName.slice(1);
    specs.set(fullName, { fullName, special: SPECIALS[fullName], fields: [], byNumber: new Map(), byName: new Map() });
  }
  for (const t of types) {
    const spec = specs.get(t.fullName.slice(1));
    if (spec === undefined) continue;
    for (const f of [...t.fieldsArray].sort((a, b) => a.id - b.id)) {
      const field = buildField(f, `${spec.fullName}.${f.name}`, specs);
      spec.fields.push(field);
      spec.byNumber.set(field.no, field);
      spec.byName.set(field.name, field);
    }
  }
  return specs;
}

let schema: ReadonlyMap<string, MessageSpec> | undefined;

/** The message table for a full name such as `k8s.io.api.core.v1.Service`. */
export function messageSpec(fullName: string): MessageSpec {
  schema ??= buildSchema(PROTO_SOURCES);
  const spec = schema.get(fullName);
  if (spec === undefined) throw new SchemaError(`no message ${fullName}`);
  return spec;
}

export function allMessageNames(): string[] {
  schema ??= buildSchema(PROTO_SOURCES);
  return [...schema.keys()];
}
