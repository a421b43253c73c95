// Values written out as the Go server writes them into a `string` column: fmt.Fprint for
// scalars, encoding/json (sorted keys, HTML-safe escapes) for maps and lists.

import { isObject, type Json } from '../json.js';
import { isInt, PathFloat, type PathValue } from './jsonpath.js';

/** fmt's %v for a float64: %g with the shortest digits, exponent form below 1e-4 and from 1e6. */
export function goFloat(n: number): string {
  if (n === 0) return Object.is(n, -0) ? '-0' : '0';
  const [mantissa = '0', exp = '0'] = n.toExponential().split('e');
  const e = Number(exp);
  if (e < -4 || e >= 6) return `${mantissa}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  return String(n);
}

const HTML_UNSAFE: Readonly<Record<string, string>> = { '<': '\\u003c', '>': '\\u003e', '&': '\\u0026', '\u2028': '\\u2028', '\u2029': '\\u2029' };

function goJsonString(s: string): string {
  return JSON.stringify(s).replace(/[<>&\u2028\u2029]/g, (c) => HTML_UNSAFE[c] ?? c);
}

const byBytes = (a: string, b: string): number => Buffer.compare(Buffer.from(a), Buffer.from(b));

/** json.Marshal of a decoded value: compact, map keys sorted, `<>&` escaped. */
export function goJson(v: Json): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return goJsonString(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map(goJson).join(',')}]`;
  const keys = Object.keys(v).sort(byBytes);
  return `{${keys.map((k) => `${goJsonString(k)}:${goJson(v[k] as Json)}`).join(',')}}`;
}

/** jsonpath's PrintResults of one value, as the CRD table convertor fills a `string` column. */
export function printResult(v: PathValue): string {
  if (v instanceof PathFloat) return goFloat(v.value);
  if (v === null) return '<no value>';
  if (Array.isArray(v) || isObject(v)) return goJson(v);
  if (typeof v === 'number') return isInt(v) ? String(v) : goFloat(v);
  return String(v);
}
