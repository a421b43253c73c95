// Reads fields of untyped input (a MetalLB spec, an entry of the v0.12 config) by name and type,
// reporting each wrong type as an error on its field, and every field nobody read as unknown.
import type { ObjectReport } from './report.js';

export const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** What a value is, for messages: "a string", "a list", "null". */
export function describeType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'number' && Number.isInteger(v)) return 'an integer';
  return `a ${typeof v}`;
}

export class Fields {
  readonly value: Readonly<Record<string, unknown>>;
  readonly report: ObjectReport;
  readonly #read = new Set<string>();

  constructor(value: Readonly<Record<string, unknown>>, report: ObjectReport) {
    this.value = value;
    this.report = report;
  }

  /** The fields of `value` (absent or null: none), or undefined when it is not a mapping (reported). */
  static of(value: unknown, report: ObjectReport): Fields | undefined {
    if (value === undefined || value === null) return new Fields({}, report);
    if (!isRecord(value)) {
      report.error('', `must be a mapping, not ${describeType(value)}`);
      return undefined;
    }
    return new Fields(value, report);
  }

  /** The value under `key`, marking it read; null counts as absent, as in Kubernetes. */
  raw(key: string): unknown {
    this.#read.add(key);
    const v = this.value[key];
    return v === null ? undefined : v;
  }

  has(key: string): boolean {
    return this.raw(key) !== undefined;
  }

  string(key: string): string | undefined {
    return this.typed(key, 'a string', (v): v is string => typeof v === 'string');
  }

  boolean(key: string): boolean | undefined {
    return this.typed(key, 'true or false', (v): v is boolean => typeof v === 'boolean');
  }

  integer(key: string): number | undefined {
    return this.typed(key, 'an integer', (v): v is number => typeof v === 'number' && Number.isSafeInteger(v));
  }

  /** A list of strings; a wrong item is reported by index and left out. */
  strings(key: string): string[] | undefined {
    const list = this.list(key);
    if (list === undefined) return undefined;
    const out: string[] = [];
    list.forEach((item, i) => {
      if (typeof item === 'string') out.push(item);
      else this.report.error(`${key}[${i}]`, `must be a string, not ${describeType(item)}`);
    });
    return out;
  }

  list(key: string): unknown[] | undefined {
    return this.typed(key, 'a list', (v): v is unknown[] => Array.isArray(v));
  }

  /** The fields of a nested mapping, reported under `key`. */
  nested(key: string): Fields | undefined {
    const v = this.raw(key);
    if (v === undefined) return undefined;
    return Fields.of(v, this.report.at(key));
  }

  /** A map of strings to strings (labels, match-labels). */
  stringMap(key: string): Record<string, string> | undefined {
    const v = this.typed(key, 'a mapping', isRecord);
    if (v === undefined) return undefined;
    const out: Record<string, string> = {};
    for (const [k, value] of Object.entries(v)) {
      if (typeof value === 'string') out[k] = value;
      else this.report.error(`${key}.${k}`, `must be a string, not ${describeType(value)}`);
    }
    return out;
  }

  /** Reports, as errors, the fields nobody read; `known` are the field names of `what`, for hints. */
  finish(known: readonly string[], what: string): void {
    for (const key of Object.keys(this.value)) {
      if (this.#read.has(key)) continue;
      const near = known.find((k) => squash(k) === squash(key));
      this.report.error(key, `unknown field of ${what}${near === undefined ? '' : `; did you mean ${near}?`}`);
    }
  }

  private typed<T>(key: string, expected: string, is: (v: unknown) => v is T): T | undefined {
    const v = this.raw(key);
    if (v === undefined) return undefined;
    if (is(v)) return v;
    this.report.error(key, `must be ${expected}, not ${describeType(v)}${typeof v === 'string' || typeof v === 'number' ? ` (${JSON.stringify(v)})` : ''}`);
    return undefined;
  }
}

/** A field name folded for "did you mean": case, dashes and underscores ignored. */
function squash(name: string): string {
  return name.toLowerCase().replace(/[-_]/g, '');
}
