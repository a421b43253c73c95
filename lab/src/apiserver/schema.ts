// Structural OpenAPI v3 schemas of CustomResourceDefinitions, applied the way
// kube-apiserver does: prune unknown fields, apply defaults, then validate. Pure.

import { clone, deepEqual, isObject, type Json, type JsonObject } from './json.js';
import type { FieldError } from './errors.js';

export interface JSONSchemaProps {
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  format?: string;
  description?: string;
  properties?: Readonly<Record<string, JSONSchemaProps>>;
  additionalProperties?: boolean | JSONSchemaProps;
  items?: JSONSchemaProps;
  required?: readonly string[];
  enum?: readonly Json[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: boolean;
  exclusiveMaximum?: boolean;
  multipleOf?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  minProperties?: number;
  maxProperties?: number;
  nullable?: boolean;
  default?: Json;
  allOf?: readonly JSONSchemaProps[];
  anyOf?: readonly JSONSchemaProps[];
  oneOf?: readonly JSONSchemaProps[];
  not?: JSONSchemaProps;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
  'x-kubernetes-list-type'?: 'atomic' | 'set' | 'map';
  'x-kubernetes-list-map-keys'?: readonly string[];
}

export interface SchemaOutcome {
  /** The object after pruning and defaulting. */
  value: JsonObject;
  /** Field paths dropped because the schema does not declare them (`fieldValidation=Strict` rejects these). */
  pruned: string[];
  /** Validation failures, in field order; empty when the object is valid. */
  errors: FieldError[];
}

/** Fields every object keeps at its root whatever the schema says; metadata is checked elsewhere. */
const ROOT_KEPT = ['apiVersion', 'kind', 'metadata'];

function fieldPath(parent: string, key: string): string {
  return parent === '' ? key : `${parent}.${key}`;
}

function isClosed(schema: JSONSchemaProps): boolean {
  return schema['x-kubernetes-preserve-unknown-fields'] !== true && schema.additionalProperties === undefined;
}

/** Prunes undeclared fields and non-nullable nulls, then fills defaults; works in place. */
function pruneAndDefault(value: Json, schema: JSONSchemaProps, path: string, pruned: string[], root: boolean): void {
  if (isObject(value)) {
    const props = schema.properties ?? {};
    const additional = schema.additionalProperties;
    for (const key of Object.keys(value)) {
      if (root && ROOT_KEPT.includes(key)) continue;
      const here = fieldPath(path, key);
      const sub = props[key] ?? (typeof additional === 'object' ? additional : undefined);
      if (sub === undefined) {
        if (isClosed(schema) && (schema.properties !== undefined || schema.type === 'object')) {
          delete value[key];
          pruned.push(here);
        }
        continue;
      }
      const v = value[key];
      if (v === null && sub.nullable !== true) {
        delete value[key];
        continue;
      }
      pruneAndDefault(v ?? null, sub, props[key] ? here : `${path}[${key}]`, pruned, false);
    }
    for (const [key, sub] of Object.entries(props)) {
      if (value[key] === undefined && sub.default !== undefined && !(root && ROOT_KEPT.includes(key))) {
        const filled = clone(sub.default);
        value[key] = filled;
        pruneAndDefault(filled, sub, fieldPath(path, key), pruned, false);
      }
    }
  } else if (Array.isArray(value) && schema.items !== undefined) {
    const items = schema.items;
    value.forEach((el, i) => pruneAndDefault(el, items, `${path}[${i}]`, pruned, false));
  }
}

function show(v: Json): string {
  return JSON.stringify(v);
}

function typeOk(v: Json, schema: JSONSchemaProps): boolean {
  if (schema['x-kubernetes-int-or-string'] === true) return typeof v === 'string' || Number.isInteger(v);
  switch (schema.type) {
    case undefined:
      return true;
    case 'object':
      return isObject(v);
    case 'array':
      return Array.isArray(v);
    case 'string':
      return typeof v === 'string';
    case 'integer':
      return typeof v === 'number' && Number.isInteger(v);
    case 'number':
      return typeof v === 'number';
    case 'boolean':
      return typeof v === 'boolean';
    default:
      return false;
  }
}

function expected(schema: JSONSchemaProps): string {
  if (schema['x-kubernetes-int-or-string'] === true) return 'must be integer or string';
  return `must be ${schema.type === 'integer' || schema.type === 'array' || schema.type === 'object' ? `an ${schema.type}` : schema.type}`;
}

function err(field: string, type: FieldError['type'], detail: string): FieldError {
  return { field, type, detail };
}

function validate(v: Json, schema: JSONSchemaProps, path: string, out: FieldError[], root: boolean): void {
  const at = path === '' ? '<root>' : path;
  if (v === null) {
    if (schema.nullable !== true && schema.type !== undefined) out.push(err(at, 'FieldValueInvalid', `Invalid value: null: ${expected(schema)}`));
    return;
  }
  if (!typeOk(v, schema)) {
    out.push(err(at, 'FieldValueInvalid', `Invalid value: ${show(v)}: ${expected(schema)}`));
    return;
  }
  if (schema.enum !== undefined && !schema.enum.some((e) => deepEqual(e, v))) {
    out.push(err(at, 'FieldValueNotSupported', `Unsupported value: ${show(v)}: supported values: ${schema.enum.map(show).join(', ')}`));
  }
  if (typeof v === 'number') validateNumber(v, schema, at, out);
  if (typeof v === 'string') validateString(v, schema, at, out);
  if (Array.isArray(v)) validateArray(v, schema, path, at, out);
  if (isObject(v)) validateObject(v, schema, path, at, out, root);
  validateCombinators(v, schema, path, at, out, root);
}

function validateNumber(v: number, s: JSONSchemaProps, at: string, out: FieldError[]): void {
  if (s.minimum !== undefined && (s.exclusiveMinimum === true ? v <= s.minimum : v < s.minimum)) {
    out.push(err(at, 'FieldValueInvalid', `Invalid value: ${v}: must be greater than ${s.exclusiveMinimum === true ? '' : 'or equal to '}${s.minimum}`));
  }
  if (s.maximum !== undefined && (s.exclusiveMaximum === true ? v >= s.maximum : v > s.maximum)) {
    out.push(err(at, 'FieldValueInvalid', `Invalid value: ${v}: must be less than ${s.exclusiveMaximum === true ? '' : 'or equal to '}${s.maximum}`));
  }
  if (s.multipleOf !== undefined && s.multipleOf > 0 && !Number.isInteger(v / s.multipleOf)) {
    out.push(err(at, 'FieldValueInvalid', `Invalid value: ${v}: must be a multiple of ${s.multipleOf}`));
  }
}

function validateString(v: string, s: JSONSchemaProps, at: string, out: FieldError[]): void {
  const length = [...v].length;
  if (s.minLength !== undefined && length < s.minLength) {
    out.push(err(at, 'FieldValueInvalid', `Invalid value: ${show(v)}: must be at least ${s.minLength} chars long`));
  }
  if (s.maxLength !== undefined && length > s.maxLength) {
    out.push(err(at, 'FieldValueTooLong', `Too long: may not be more than ${s.maxLength} chars`));
  }
  if (s.pattern !== undefined) {
    let re: RegExp;
    try {
      re = new RegExp(s.pattern, 'u');
    } catch {
      out.push(err(at, 'FieldValueInvalid', `Invalid value: ${show(v)}: the schema's pattern '${s.pattern}' does not compile`));
      return;
    }
    if (!re.test(v)) out.push(err(at, 'FieldValueInvalid', `Invalid value: ${show(v)}: must match pattern '${s.pattern}'`));
  }
}

function validateArray(v: Json[], s: JSONSchemaProps, path: string, at: string, out: FieldError[]): void {
  if (s.minItems !== undefined && v.length < s.minItems) {
    out.push(err(at, 'FieldValueInvalid', `Invalid value: ${v.length}: must have at least ${s.minItems} items`));
  }
  if (s.maxItems !== undefined && v.length > s.maxItems) {
    out.push(err(at, 'FieldValueTooMany', `Too many: ${v.length}: must have at most ${s.maxItems} items`));
  }
  const listType = s['x-kubernetes-list-type'];
  if (s.uniqueItems === true || listType === 'set') {
    v.forEach((el, i) => {
      if (v.findIndex((x) => deepEqual(x, el)) < i) out.push(err(`${path}[${i}]`, 'FieldValueDuplicate', `Duplicate value: ${show(el)}`));
    });
  }
  const mapKeys = s['x-kubernetes-list-map-keys'];
  if (listType === 'map' && mapKeys !== undefined) {
    const seen: Json[][] = [];
    v.forEach((el, i) => {
      const key = mapKeys.map((k) => (isObject(el) ? (el[k] ?? null) : null));
      if (seen.some((k) => deepEqual(k, key))) out.push(err(`${path}[${i}]`, 'FieldValueDuplicate', `Duplicate value: ${show(el)}`));
      seen.push(key);
    });
  }
  const items = s.items;
  if (items !== undefined) v.forEach((el, i) => validate(el, items, `${path}[${i}]`, out, false));
}

function validateObject(v: JsonObject, s: JSONSchemaProps, path: string, at: string, out: FieldError[], root: boolean): void {
  for (const name of s.required ?? []) {
    if (v[name] === undefined) out.push(err(fieldPath(path, name), 'FieldValueRequired', 'Required value'));
  }
  const count = Object.keys(v).length;
  if (s.minProperties !== undefined && count < s.minProperties) {
    out.push(err(at, 'FieldValueInvalid', `Invalid value: ${count}: must have at least ${s.minProperties} properties`));
  }
  if (s.maxProperties !== undefined && count > s.maxProperties) {
    out.push(err(at, 'FieldValueTooMany', `Too many: ${count}: must have at most ${s.maxProperties} properties`));
  }
  const props = s.properties ?? {};
  for (const [key, value] of Object.entries(v)) {
    if (root && ROOT_KEPT.includes(key)) continue;
    const sub = props[key];
    if (sub !== undefined) validate(value, sub, fieldPath(path, key), out, false);
    else if (typeof s.additionalProperties === 'object') validate(value, s.additionalProperties, `${path}[${key}]`, out, false);
    else if (s.additionalProperties === false) out.push(err(fieldPath(path, key), 'FieldValueForbidden', 'Forbidden: field not declared in schema'));
  }
}

function validateCombinators(v: Json, s: JSONSchemaProps, path: string, at: string, out: FieldError[], root: boolean): void {
  const passes = (sub: JSONSchemaProps): boolean => {
    const errs: FieldError[] = [];
    validate(v, sub, path, errs, root);
    return errs.length === 0;
  };
  for (const sub of s.allOf ?? []) validate(v, sub, path, out, root);
  if (s.anyOf !== undefined && !s.anyOf.some(passes)) {
    out.push(err(at, 'FieldValueInvalid', `Invalid value: ${show(v)}: must match at least one schema in anyOf`));
  }
  if (s.oneOf !== undefined && s.oneOf.filter(passes).length !== 1) {
    out.push(err(at, 'FieldValueInvalid', `Invalid value: ${show(v)}: must match exactly one schema in oneOf`));
  }
  if (s.not !== undefined && passes(s.not)) {
    out.push(err(at, 'FieldValueInvalid', `Invalid value: ${show(v)}: must not match the schema in not`));
  }
}

/** Prunes, defaults and validates a whole custom resource against its version's schema. */
export function applySchema(object: JsonObject, schema: JSONSchemaProps): SchemaOutcome {
  const value = clone(object);
  const pruned: string[] = [];
  pruneAndDefault(value, schema, '', pruned, true);
  const errors: FieldError[] = [];
  validate(value, schema, '', errors, true);
  return { value, pruned, errors };
}

/** Validates without changing anything: for checks on values already pruned and defaulted. */
export function validateValue(value: Json, schema: JSONSchemaProps, path = ''): FieldError[] {
  const errors: FieldError[] = [];
  validate(value, schema, path, errors, false);
  return errors;
}
