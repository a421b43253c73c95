// Label and field selectors as kube-apiserver parses them from `?labelSelector=` and
// `?fieldSelector=`: parse once into requirements, then match plain objects against them.

export class SelectorError extends Error {
  override readonly name = 'SelectorError';
  constructor(message: string) {
    super(`selectors: ${message}`);
  }
}

export type LabelRequirement =
  | { key: string; op: 'exists' | 'notexists' }
  | { key: string; op: 'in' | 'notin'; values: readonly string[] }
  | { key: string; op: 'gt' | 'lt'; value: number };

export type LabelSelector = readonly LabelRequirement[];

const KEY = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

function checkKey(key: string, whole: string): string {
  if (!KEY.test(key) || key.length > 316) {
    throw new SelectorError(`invalid label key "${key}" in selector "${whole}"`);
  }
  return key;
}

function checkValue(value: string, whole: string): string {
  if (!VALUE.test(value) || value.length > 63) {
    throw new SelectorError(`invalid label value "${value}" in selector "${whole}"`);
  }
  return value;
}

/** Splits on commas that are not inside a `( ... )` value set. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

function parseRequirement(raw: string, whole: string): LabelRequirement {
  const part = raw.trim();
  if (part === '') throw new SelectorError(`empty requirement in label selector "${whole}"`);
  const set = /^(\S+)\s+(in|notin)\s*\((.*)\)$/.exec(part);
  if (set) {
    const values = (set[3] ?? '').split(',').map((v) => checkValue(v.trim(), whole));
    return { key: checkKey(set[1] ?? '', whole), op: set[2] === 'in' ? 'in' : 'notin', values };
  }
  if (part.startsWith('!')) return { key: checkKey(part.slice(1).trim(), whole), op: 'notexists' };
  const cmp = /^([^=!<>\s]+)\s*(==|=|!=|<|>)\s*(.*)$/.exec(part);
  if (cmp) {
    const key = checkKey(cmp[1] ?? '', whole);
    const value = (cmp[3] ?? '').trim();
    switch (cmp[2]) {
      case '=':
      case '==':
        return { key, op: 'in', values: [checkValue(value, whole)] };
      case '!=':
        return { key, op: 'notin', values: [checkValue(value, whole)] };
      default: {
        if (!/^-?\d+$/.test(value)) throw new SelectorError(`"${value}" is not an integer in label selector "${whole}"`);
        return { key, op: cmp[2] === '<' ? 'lt' : 'gt', value: Number(value) };
      }
    }
  }
  if (/^\S+$/.test(part)) return { key: checkKey(part, whole), op: 'exists' };
  throw new SelectorError(`unable to parse requirement "${part}" in label selector "${whole}"`);
}

export function parseLabelSelector(text: string): LabelSelector {
  if (text.trim() === '') return [];
  return splitTopLevel(text).map((p) => parseRequirement(p, text));
}

export function matchesLabels(selector: LabelSelector, labels: Readonly<Record<string, string>>): boolean {
  return selector.every((r) => {
    const has = Object.prototype.hasOwnProperty.call(labels, r.key);
    const value = has ? labels[r.key] : undefined;
    switch (r.op) {
      case 'exists':
        return has;
      case 'notexists':
        return !has;
      case 'in':
        return value !== undefined && r.values.includes(value);
      case 'notin':
        return value === undefined || !r.values.includes(value);
      case 'gt':
      case 'lt': {
        if (value === undefined || !/^-?\d+$/.test(value)) return false;
        return r.op === 'gt' ? Number(value) > r.value : Number(value) < r.value;
      }
    }
  });
}

export interface FieldRequirement {
  field: string;
  op: 'eq' | 'ne';
  value: string;
}

export type FieldSelector = readonly FieldRequirement[];

/** Splits on unescaped separators; `\,` `\=` `\!` and `\\` escape them in values. */
function splitEscaped(text: string, sep: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i] ?? '';
    if (c === '\\' && i + 1 < text.length) {
      current += c + (text[i + 1] ?? '');
      i++;
    } else if (c === sep) {
      parts.push(current);
      current = '';
    } else current += c;
  }
  parts.push(current);
  return parts;
}

function unescape(value: string): string {
  return value.replace(/\\(.)/g, '$1');
}

/** `allowed` lists the fields this resource can be selected by (beyond metadata.name/namespace). */
export function parseFieldSelector(text: string, allowed: readonly string[] = []): FieldSelector {
  if (text.trim() === '') return [];
  return splitEscaped(text, ',').map((raw) => {
    const part = raw.trim();
    const m = /^([A-Za-z0-9_.]+)\s*(==|!=|=)(.*)$/.exec(part);
    if (!m) throw new SelectorError(`invalid field selector "${part}": expected field=value, field==value or field!=value`);
    const field = m[1] ?? '';
    if (field !== 'metadata.name' && field !== 'metadata.namespace' && !allowed.includes(field)) {
      throw new SelectorError(`field label not supported: ${field}`);
    }
    return { field, op: m[2] === '!=' ? 'ne' : 'eq', value: unescape(m[3] ?? '') };
  });
}

/** A dotted path into a plain object, rendered as a string the way field selectors compare. */
export function fieldValue(obj: unknown, path: string): string {
  let cur: unknown = obj;
  for (const step of path.split('.')) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) return '';
    cur = (cur as Record<string, unknown>)[step];
  }
  if (cur === undefined || cur === null) return '';
  return typeof cur === 'string' ? cur : String(cur);
}

export function matchesFields(selector: FieldSelector, obj: unknown): boolean {
  return selector.every((r) => (fieldValue(obj, r.field) === r.value) === (r.op === 'eq'));
}
