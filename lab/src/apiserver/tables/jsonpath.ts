// Evaluating a client-go JSONPath over a decoded object as the CRD table convertor does
// (missing keys allowed): which values a printer column finds, and when it fails instead.

import { isObject, type Json } from '../json.js';
import { JsonPathError, parseTemplate, type ListNode, type PathNode, type SliceParam } from './jsonpath-parse.js';

export { JsonPathError } from './jsonpath-parse.js';

/** A float written in the path (`1.0`): Go keeps it apart from JSON integers when comparing. */
export class PathFloat {
  constructor(readonly value: number) {}
}

export type PathValue = Json | PathFloat;

/** Raised while walking an object; the real server leaves the cell empty. */
export class JsonPathEvalError extends Error {
  override readonly name = 'JsonPathEvalError';
  constructor(detail: string) {
    super(`jsonpath: ${detail}`);
  }
}

/** JSON integers decode to int64 in Go's unstructured objects, other numbers to float64. */
export const isInt = (n: number): boolean => Number.isInteger(n) && Math.abs(n) < 2 ** 63;

type Kind = 'bool' | 'int' | 'float' | 'string';

function kindOf(v: PathValue): Kind {
  if (v instanceof PathFloat) return 'float';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return isInt(v) ? 'int' : 'float';
  throw new JsonPathEvalError('invalid type for comparison');
}

const scalar = (v: PathValue): number | string | boolean => (v instanceof PathFloat ? v.value : (v as number | string | boolean));

/** Byte-wise, as Go compares strings. */
const compareText = (a: string, b: string): number => Buffer.compare(Buffer.from(a), Buffer.from(b));

/** text/template's eq and lt, which client-go's filters use. */
function equal(a: PathValue, b: PathValue): boolean {
  const [ka, kb] = [kindOf(a), kindOf(b)];
  if (ka !== kb) throw new JsonPathEvalError('incompatible types for comparison');
  return scalar(a) === scalar(b);
}

function less(a: PathValue, b: PathValue): boolean {
  const [ka, kb] = [kindOf(a), kindOf(b)];
  if (ka !== kb) throw new JsonPathEvalError('incompatible types for comparison');
  if (ka === 'bool') throw new JsonPathEvalError('invalid type for comparison');
  if (ka === 'string') return compareText(a as string, b as string) < 0;
  return (scalar(a) as number) < (scalar(b) as number);
}

function compare(op: string, a: PathValue, b: PathValue): boolean {
  switch (op) {
    case '==':
      return equal(a, b);
    case '!=':
      return !equal(a, b);
    case '<':
      return less(a, b);
    case '>':
      return !(less(a, b) || equal(a, b));
    case '<=':
      return less(a, b) || equal(a, b);
    case '>=':
      return !less(a, b);
    default:
      throw new JsonPathEvalError(`unrecognized filter operator ${op}`);
  }
}

function typeName(v: PathValue): string {
  if (v instanceof PathFloat || typeof v === 'number') return kindOf(v) === 'int' ? 'int64' : 'float64';
  if (Array.isArray(v)) return '[]interface {}';
  if (isObject(v)) return 'map[string]interface {}';
  return typeof v;
}

/** Members of a map or elements of a list (strings are not walked into here). */
function children(v: PathValue): PathValue[] {
  if (Array.isArray(v)) return v;
  if (isObject(v)) return Object.values(v);
  return [];
}

function slice(input: PathValue[], params: readonly [SliceParam, SliceParam, SliceParam]): PathValue[] {
  const out: PathValue[] = [];
  for (const v of input) {
    if (v === null) continue;
    if (!Array.isArray(v)) throw new JsonPathEvalError(`${typeName(v)} is not array or slice`);
    const len = v.length;
    let from = params[0].known ? params[0].value : 0;
    if (from < 0) from += len;
    let to = params[1].known ? params[1].value : len;
    if (to < 0 || (to === 0 && params[1].derived)) to += len;
    // Go returns here, dropping whatever later inputs would have added.
    if (to === from) return out;
    if (from >= len || from < 0) throw new JsonPathEvalError(`array index out of bounds: index ${from}, length ${len}`);
    if (to > len || to < 0) throw new JsonPathEvalError(`array index out of bounds: index ${to - 1}, length ${len}`);
    if (from > to) throw new JsonPathEvalError(`starting index ${from} is greater than ending index ${to}`);
    let step = 1;
    if (params[2].known) {
      if (params[2].value <= 0) throw new JsonPathEvalError('step must be > 0');
      step = params[2].value;
    }
    for (let i = from; i < to; i += step) out.push(v[i] as Json);
  }
  return out;
}

function filter(input: PathValue[], node: Extract<PathNode, { kind: 'filter' }>): PathValue[] {
  const out: PathValue[] = [];
  for (const v of input) {
    if (!Array.isArray(v)) throw new JsonPathEvalError(`${JSON.stringify(v)} is not array or slice and cannot be filtered`);
    for (const item of v) {
      if (node.op === 'exists') {
        let found: PathValue[] = [];
        try {
          found = walkList([item], node.left);
        } catch (e) {
          if (!(e instanceof JsonPathEvalError)) throw e;
        }
        if (found.length > 0) out.push(item);
        continue;
      }
      const lefts = walkList([item], node.left);
      if (lefts.length === 0) continue;
      if (lefts.length > 1) throw new JsonPathEvalError('can only compare one element at a time');
      const rights = walkList([item], node.right);
      if (rights.length === 0) continue;
      if (rights.length > 1) throw new JsonPathEvalError('can only compare one element at a time');
      if (compare(node.op, lefts[0] as PathValue, rights[0] as PathValue)) out.push(item);
    }
  }
  return out;
}

function recursive(input: PathValue[]): PathValue[] {
  const out: PathValue[] = [];
  for (const v of input) {
    const kids = children(v);
    if (kids.length === 0) continue;
    out.push(v, ...recursive(kids));
  }
  return out;
}

function walk(input: PathValue[], node: PathNode): PathValue[] {
  switch (node.kind) {
    case 'list':
      return walkList(input, node);
    case 'text':
      return [node.text];
    case 'field':
      return input.flatMap((v) => (isObject(v) && Object.prototype.hasOwnProperty.call(v, node.name) ? [v[node.name] as Json] : []));
    case 'wildcard':
      return input.flatMap(children);
    case 'recursive':
      return recursive(input);
    case 'array':
      return slice(input, node.params);
    case 'union':
      return node.lists.flatMap((l) => walkList(input, l));
    case 'filter':
      return filter(input, node);
    case 'int':
    case 'bool':
      return input.map(() => node.value);
    case 'float':
      return input.map(() => new PathFloat(node.value));
    case 'identifier':
      // `range`/`end` loops belong to kubectl's output templates, not to printer columns.
      throw new JsonPathEvalError(`unrecognized identifier ${node.name}`);
  }
}

function walkList(input: PathValue[], list: ListNode): PathValue[] {
  return list.nodes.reduce((values, node) => walk(values, node), input);
}

/** A column's path, parsed once; `find` gives what it selects in one object. */
export class JsonPath {
  private readonly top: PathNode[];

  /** `path` as written in a CRD (`.status.ready`); braces are added as the server does. */
  constructor(readonly path: string) {
    this.top = parseTemplate(`{${path}}`, path);
  }

  /** The values the first action selects; throws JsonPathEvalError where the real server errs. */
  find(obj: Json): PathValue[] {
    const results = this.top.map((node) => walk([obj], node));
    return results[0] ?? [];
  }
}
