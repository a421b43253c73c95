// Checks a value against an OpenAPI v3 structural schema the way the Kubernetes API server does,
// and fills in `default`s, so a file can be judged (and typos named) without a cluster.
import type { JSONSchemaProps } from './builder.js';
import { cloneJson, fieldPath, isPlainObject, quoteValue } from './validate-value.js';

export interface SchemaViolation {
  /** Where, like "spec.addresses[0]" or "spec.serviceAllocation.priority"; "" is the value itself. */
  path: string;
  /** Kubernetes style: `Invalid value: "abc": must be integer`, `Required value`, ... */
  message: string;
}

/** The schema itself is broken (a programming error, not bad user input). */
export class SchemaDefinitionError extends Error {
  override readonly name = 'SchemaDefinitionError';
  constructor(detail: string) {
    super(`validate: ${detail}`);
  }
}

const INT64_LIMIT = 2 ** 63;
// RFC 3339 as Kubernetes writes it; lenient on the separator, fraction and offset spelling.
const DATE_TIME = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])[Tt ]([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?([Zz]|[+-]([01]\d|2[0-3]):?[0-5]\d)$/;

const patternCache = new Map<string, RegExp>();

function compilePattern(pattern: string): RegExp {
  let re = patternCache.get(pattern);
  if (re === undefined) {
    try {
      // 'u' so that "." and lengths count code points, as Go's RE2 does.
      re = new RegExp(pattern, 'u');
    } catch (err: unknown) {
      throw new SchemaDefinitionError(`pattern '${pattern}' is not a valid regular expression: ${err instanceof Error ? err.message : String(err)}`);
    }
    patternCache.set(pattern, re);
  }
  return re;
}

/** Every place where `value` breaks `schema`, in document order; empty when it conforms. */
export function validateSchema(schema: JSONSchemaProps, value: unknown, path = ''): SchemaViolation[] {
  const out: SchemaViolation[] = [];
  check(schema, value, path, out);
  return out;
}

function check(schema: JSONSchemaProps, value: unknown, path: string, out: SchemaViolation[]): void {
  const bad = (message: string): void => {
    out.push({ path, message });
  };
  if (!typeMatches(schema, value)) {
    const expected = schema['x-kubernetes-int-or-string'] === true ? 'integer or string' : (schema.type ?? 'any');
    bad(`Invalid value: ${quoteValue(value)}: must be ${expected}`);
    return; // nothing else can be judged on a value of the wrong type
  }
  if (schema.enum !== undefined && !schema.enum.some((allowed) => allowed === value)) {
    bad(`Unsupported value: ${quoteValue(value)}: supported values: ${schema.enum.map((v) => quoteValue(v)).join(', ')}`);
  }
  if (typeof value === 'number' || typeof value === 'bigint') checkNumber(schema, Number(value), quoteValue(value), bad);
  else if (typeof value === 'string') checkString(schema, value, bad);
  else if (Array.isArray(value)) checkArray(schema, value, path, out);
  else if (isPlainObject(value)) checkObject(schema, value, path, out);
}

function typeMatches(schema: JSONSchemaProps, value: unknown): boolean {
  if (schema['x-kubernetes-int-or-string'] === true) {
    return typeof value === 'string' || isInteger(value);
  }
  switch (schema.type) {
    case undefined:
      // Only x-kubernetes-preserve-unknown-fields nodes may leave the type out; anything goes.
      return value !== undefined;
    case 'object':
      return isPlainObject(value);
    case 'array':
      return Array.isArray(value);
    case 'string':
      return typeof value === 'string';
    case 'boolean':
      return typeof value === 'boolean';
    case 'integer':
      return isInteger(value);
    case 'number':
      return (typeof value === 'number' && Number.isFinite(value)) || typeof value === 'bigint';
    default:
      return false;
  }
}

function isInteger(value: unknown): boolean {
  return (typeof value === 'number' && Number.isInteger(value)) || typeof value === 'bigint';
}

function checkNumber(schema: JSONSchemaProps, n: number, shown: string, bad: (m: string) => void): void {
  if (schema.minimum !== undefined && n < schema.minimum) bad(`Invalid value: ${shown}: must be greater than or equal to ${schema.minimum}`);
  if (schema.maximum !== undefined && n > schema.maximum) bad(`Invalid value: ${shown}: must be less than or equal to ${schema.maximum}`);
  // Numbers past 2^53 are already rounded, so int64 can only be checked to within that.
  if (schema.format === 'int64' && (n >= INT64_LIMIT || n < -INT64_LIMIT)) bad(`Invalid value: ${shown}: must fit in a 64-bit integer`);
}

function checkString(schema: JSONSchemaProps, s: string, bad: (m: string) => void): void {
  // Kubernetes counts characters (runes), not UTF-16 units or bytes.
  const length = [...s].length;
  if (schema.minLength !== undefined && length < schema.minLength) bad(`Invalid value: ${quoteValue(s)}: must be at least ${schema.minLength} characters long`);
  if (schema.maxLength !== undefined && length > schema.maxLength) bad(`Too long: may not be longer than ${schema.maxLength}`);
  if (schema.pattern !== undefined && !compilePattern(schema.pattern).test(s)) bad(`Invalid value: ${quoteValue(s)}: must match '${schema.pattern}'`);
  if (schema.format === 'date-time' && !DATE_TIME.test(s)) bad(`Invalid value: ${quoteValue(s)}: must be a date-time (RFC 3339, like "2024-01-02T15:04:05Z")`);
}

function checkArray(schema: JSONSchemaProps, items: unknown[], path: string, out: SchemaViolation[]): void {
  if (schema.minItems !== undefined && items.length < schema.minItems) {
    out.push({ path, message: `Invalid value: ${items.length}: must have at least ${schema.minItems} items` });
  }
  if (schema.maxItems !== undefined && items.length > schema.maxItems) {
    out.push({ path, message: `Too many: ${items.length}: must have at most ${schema.maxItems} items` });
  }
  items.forEach((item, i) => {
    if (schema.items !== undefined) check(schema.items, item, fieldPath.index(path, i), out);
  });
  checkListType(schema, items, path, out);
}

/** x-kubernetes-list-type set: no two items equal; map: no two items with the same keys. */
function checkListType(schema: JSONSchemaProps, items: unknown[], path: string, out: SchemaViolation[]): void {
  const listType = schema['x-kubernetes-list-type'];
  if (listType !== 'set' && listType !== 'map') return;
  const keys = schema['x-kubernetes-list-map-keys'] ?? [];
  const seen = new Set<string>();
  items.forEach((item, i) => {
    const identity = listType === 'set' ? item : keys.map((k) => (isPlainObject(item) ? item[k] : undefined));
    const key = JSON.stringify(identity) ?? 'undefined';
    if (seen.has(key)) out.push({ path: fieldPath.index(path, i), message: `Duplicate value: ${quoteValue(listType === 'set' ? item : identity)}` });
    seen.add(key);
  });
}

function checkObject(schema: JSONSchemaProps, obj: Record<string, unknown>, path: string, out: SchemaViolation[]): void {
  const properties = schema.properties;
  for (const name of schema.required ?? []) {
    if (!Object.hasOwn(obj, name) || obj[name] === undefined) out.push({ path: fieldPath.child(path, name), message: 'Required value' });
  }
  for (const [name, child] of Object.entries(obj)) {
    if (child === undefined) continue; // JSON has no undefined: the field is absent
    const childPath = properties !== undefined ? fieldPath.child(path, name) : fieldPath.key(path, name);
    // hasOwn: a field named "__proto__" or "constructor" must not find Object.prototype's.
    const known = properties !== undefined && Object.hasOwn(properties, name) ? properties[name] : undefined;
    if (known !== undefined) check(known, child, childPath, out);
    else if (schema.additionalProperties !== undefined) check(schema.additionalProperties, child, childPath, out);
    else if (properties !== undefined && schema['x-kubernetes-preserve-unknown-fields'] !== true) {
      // The API server would prune it silently; a user checking a file wants the typo named.
      out.push({ path: childPath, message: `unknown field ${JSON.stringify(name)}` });
    }
  }
}

/**
 * A copy of `value` with every absent property that has a `default` filled in, recursively and
 * into defaults themselves, as the API server does. A null counts as absent when a default exists
 * (the server prunes nulls of non-nullable fields before defaulting). Values of the wrong type are
 * left alone for validateSchema to report.
 */
export function applyDefaults<T>(schema: JSONSchemaProps, value: T): T {
  const copy = cloneJson(value);
  fill(schema, copy);
  return copy;
}

function fill(schema: JSONSchemaProps, value: unknown): void {
  if (Array.isArray(value)) {
    if (schema.items !== undefined) for (const item of value) fill(schema.items, item);
    return;
  }
  if (!isPlainObject(value)) return;
  for (const [name, prop] of Object.entries(schema.properties ?? {})) {
    const present = Object.hasOwn(value, name) ? value[name] : undefined;
    if ((present === undefined || present === null) && prop.default !== undefined) {
      value[name] = cloneJson(prop.default);
    }
    if (Object.hasOwn(value, name)) fill(prop, value[name]);
  }
  if (schema.additionalProperties !== undefined) {
    for (const [name, child] of Object.entries(value)) {
      if (schema.properties === undefined || !Object.hasOwn(schema.properties, name)) fill(schema.additionalProperties, child);
    }
  }
}
