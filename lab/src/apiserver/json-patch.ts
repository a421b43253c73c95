// JSON Patch (RFC 6902) with JSON Pointer paths (RFC 6901): add, remove, replace, move,
// copy and test, applied in order to a copy; any failing operation fails the whole patch.

import { clone, deepEqual, isObject, type Json } from './json.js';

export class JsonPatchError extends Error {
  override readonly name = 'JsonPatchError';
  constructor(message: string) {
    super(`json-patch: ${message}`);
  }
}

export interface JsonPatchOp {
  op: 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test';
  path: string;
  from?: string;
  value?: Json;
}

const OPS = ['add', 'remove', 'replace', 'move', 'copy', 'test'] as const;

/** Checks the shape of a decoded patch document, naming the first bad operation. */
export function parseJsonPatch(doc: unknown): JsonPatchOp[] {
  if (!Array.isArray(doc)) throw new JsonPatchError('a JSON patch must be an array of operations');
  return doc.map((raw: unknown, i) => {
    if (!isObject(raw)) throw new JsonPatchError(`operation ${i} is not an object`);
    const op = raw['op'];
    if (typeof op !== 'string' || !(OPS as readonly string[]).includes(op)) {
      throw new JsonPatchError(`operation ${i} has unknown op ${JSON.stringify(op ?? null)}`);
    }
    const path = raw['path'];
    if (typeof path !== 'string') throw new JsonPatchError(`operation ${i} (${op}) has no "path"`);
    const parsed: JsonPatchOp = { op: op as JsonPatchOp['op'], path };
    if (op === 'move' || op === 'copy') {
      const from = raw['from'];
      if (typeof from !== 'string') throw new JsonPatchError(`operation ${i} (${op}) has no "from"`);
      parsed.from = from;
    }
    if (op === 'add' || op === 'replace' || op === 'test') {
      if (!('value' in raw)) throw new JsonPatchError(`operation ${i} (${op}) has no "value"`);
      parsed.value = raw['value'] as Json;
    }
    return parsed;
  });
}

function tokens(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new JsonPatchError(`path "${pointer}" must start with "/"`);
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function arrayIndex(token: string, length: number, pointer: string, allowEnd: boolean): number {
  if (allowEnd && token === '-') return length;
  if (!/^(0|[1-9]\d*)$/.test(token)) throw new JsonPatchError(`path "${pointer}": "${token}" is not an array index`);
  const i = Number(token);
  if (i > length || (!allowEnd && i === length)) throw new JsonPatchError(`path "${pointer}": index ${i} is out of bounds`);
  return i;
}

function resolve(doc: Json, pointer: string): Json {
  let cur: Json = doc;
  for (const t of tokens(pointer)) {
    if (Array.isArray(cur)) cur = cur[arrayIndex(t, cur.length, pointer, false)] as Json;
    else if (isObject(cur) && Object.prototype.hasOwnProperty.call(cur, t)) cur = cur[t] as Json;
    else throw new JsonPatchError(`path "${pointer}" does not exist`);
  }
  return cur;
}

/** Parent container and last token of `pointer`; the root has no parent. */
function parentOf(doc: Json, pointer: string): [Json, string] {
  const ts = tokens(pointer);
  const last = ts.pop();
  if (last === undefined) throw new JsonPatchError('the document root cannot be the target here');
  const parentPointer = ts.length === 0 ? '' : '/' + ts.map((t) => t.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');
  const parent = resolve(doc, parentPointer);
  if (!Array.isArray(parent) && !isObject(parent)) throw new JsonPatchError(`path "${pointer}": parent is not a container`);
  return [parent, last];
}

function add(doc: Json, pointer: string, value: Json): Json {
  if (pointer === '') return value;
  const [parent, last] = parentOf(doc, pointer);
  if (Array.isArray(parent)) parent.splice(arrayIndex(last, parent.length, pointer, true), 0, value);
  else (parent as { [k: string]: Json })[last] = value;
  return doc;
}

function remove(doc: Json, pointer: string): Json {
  const [parent, last] = parentOf(doc, pointer);
  if (Array.isArray(parent)) parent.splice(arrayIndex(last, parent.length, pointer, false), 1);
  else {
    const obj = parent as { [k: string]: Json };
    if (!Object.prototype.hasOwnProperty.call(obj, last)) throw new JsonPatchError(`path "${pointer}" does not exist`);
    delete obj[last];
  }
  return doc;
}

export function applyJsonPatch(target: Json, ops: readonly JsonPatchOp[]): Json {
  let doc = clone(target);
  for (const op of ops) {
    switch (op.op) {
      case 'add':
        doc = add(doc, op.path, clone(op.value ?? null));
        break;
      case 'remove':
        doc = remove(doc, op.path);
        break;
      case 'replace':
        resolve(doc, op.path);
        doc = op.path === '' ? clone(op.value ?? null) : add(remove(doc, op.path), op.path, clone(op.value ?? null));
        break;
      case 'move': {
        const from = op.from ?? '';
        if (op.path.startsWith(from + '/')) throw new JsonPatchError(`cannot move "${from}" into its own child "${op.path}"`);
        const value = resolve(doc, from);
        doc = add(remove(doc, from), op.path, value);
        break;
      }
      case 'copy':
        doc = add(doc, op.path, clone(resolve(doc, op.from ?? '')));
        break;
      case 'test': {
        const actual = resolve(doc, op.path);
        if (!deepEqual(actual, op.value)) {
          throw new JsonPatchError(`test failed at "${op.path}": expected ${JSON.stringify(op.value)}, found ${JSON.stringify(actual)}`);
        }
        break;
      }
    }
  }
  return doc;
}
