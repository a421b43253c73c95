// The apimachinery types whose JSON is not an object of their proto fields (Time, MicroTime, Quantity,
// IntOrString, FieldsV1): pure conversions between their wire fields and the JSON Go's MarshalJSON writes.

import type { Json } from '../json.js';
import { ProtobufError, ProtobufErrorReason } from './errors.js';

/** Seconds of 0000-01-01T00:00:00Z and 9999-12-31T23:59:59Z: Go refuses to write a year outside them as JSON. */
const MIN_SECONDS = -62167219200;
const MAX_SECONDS = 253402300799;

function invalid(path: string, detail: string): ProtobufError {
  return new ProtobufError(ProtobufErrorReason.InvalidValue, detail, path);
}

/**
 * A Time or MicroTime as JSON. `empty` is a zero-length message, which Go reads as the zero time (JSON null);
 * Time keeps whole seconds only (its nanos are ignored on read, as upstream does), MicroTime keeps microseconds.
 */
export function timeToJson(empty: boolean, seconds: number, nanos: number, micro: boolean, path: string): Json {
  if (empty) return null;
  const carry = Math.floor(nanos / 1e9);
  const secs = seconds + carry;
  const frac = nanos - carry * 1e9;
  if (!Number.isSafeInteger(secs) || secs < MIN_SECONDS || secs > MAX_SECONDS) {
    throw invalid(path, `time of ${seconds} seconds is outside the years 0000-9999 that JSON can carry`);
  }
  const whole = new Date(secs * 1000).toISOString().slice(0, 19);
  if (!micro) return `${whole}Z`;
  return `${whole}.${String(Math.floor(frac / 1000)).padStart(6, '0')}Z`;
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

/** A JSON time as the seconds and nanos to write; null (the zero time) means an empty message. */
export function jsonToTime(value: Json | undefined, micro: boolean, path: string): { seconds: number; nanos: number } | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'string') throw invalid(path, `a time must be an RFC 3339 string, not ${JSON.stringify(value)}`);
  const m = RFC3339.exec(value);
  if (m === null) throw invalid(path, `${JSON.stringify(value)} is not an RFC 3339 time`);
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const at = new Date(0);
  at.setUTCFullYear(year, month - 1, day);
  at.setUTCHours(hour, minute, second, 0);
  if (at.getUTCMonth() !== month - 1 || at.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) {
    throw invalid(path, `${JSON.stringify(value)} is not a valid date and time`);
  }
  const offset = m[8] !== undefined ? 0 : (m[9] === '-' ? -1 : 1) * (Number(m[10]) * 60 + Number(m[11])) * 60;
  const seconds = at.getTime() / 1000 - offset;
  if (!micro) return { seconds, nanos: 0 };
  const nanos = Math.floor(Number((m[7] ?? '').slice(0, 9).padEnd(9, '0')) / 1000) * 1000;
  return { seconds, nanos };
}

/** The forms ParseQuantity accepts: a signed decimal, then a binary or decimal SI suffix or an exponent. */
const QUANTITY = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+|Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])?$/;

/** A Quantity as JSON; absent means the zero quantity. The text is kept as given (not canonicalised). */
export function quantityToJson(text: string | undefined, path: string): Json {
  if (text === undefined) return '0';
  if (!QUANTITY.test(text)) throw invalid(path, `quantity ${JSON.stringify(text)} must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`);
  return text;
}

export function jsonToQuantity(value: Json | undefined, path: string): string {
  if (value === null || value === undefined) return '0';
  const text = typeof value === 'number' ? String(value) : value;
  if (typeof text !== 'string' || !QUANTITY.test(text.trim())) throw invalid(path, `${JSON.stringify(value)} is not a quantity`);
  return text.trim();
}

/** IntOrString as JSON: type 1 is the string, type 0 the number; Go refuses any other type. */
export function intOrStringToJson(type: number, intVal: number, strVal: string, path: string): Json {
  if (type === 0) return intVal;
  if (type === 1) return strVal;
  throw invalid(path, `IntOrString has impossible type ${type}`);
}

export function jsonToIntOrString(value: Json | undefined, path: string): { type: number; intVal: number; strVal: string } {
  if (value === null || value === undefined) return { type: 0, intVal: 0, strVal: '' };
  if (typeof value === 'string') return { type: 1, intVal: 0, strVal: value };
  if (typeof value === 'number' && Number.isInteger(value) && value >= -(2 ** 31) && value < 2 ** 31) return { type: 0, intVal: value, strVal: '' };
  throw invalid(path, `${JSON.stringify(value)} is neither a 32-bit integer nor a string`);
}

/** FieldsV1 carries its JSON verbatim in `Raw`; no Raw is JSON null. */
export function fieldsV1ToJson(raw: Uint8Array | undefined, path: string): Json {
  if (raw === undefined) return null;
  try {
    return JSON.parse(new TextDecoder().decode(raw)) as Json;
  } catch {
    throw invalid(path, 'fieldsV1 does not hold JSON');
  }
}

export function jsonToFieldsV1(value: Json | undefined): Uint8Array | undefined {
  if (value === null || value === undefined) return undefined;
  return new TextEncoder().encode(JSON.stringify(value));
}
