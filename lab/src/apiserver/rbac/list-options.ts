// What a collection GET's query tells the real request-info resolver: watch or list, and a name
// when the field selector pins metadata.name (so a resourceNames rule can allow the list).

import { parseLabelSelector } from '../selectors.js';

export interface ListQuery {
  readonly watch: boolean;
  /** From `fieldSelector=metadata.name=x`; "" when none, or when the query does not decode. */
  readonly name: string;
}

type Term = { readonly field: string; readonly op: '=' | '!='; readonly value: string };

/** Splits on commas not escaped by a backslash; the escapes stay in the terms. */
function splitTerms(selector: string): string[] {
  const terms: string[] = [];
  let start = 0;
  let escaped = false;
  for (let i = 0; i < selector.length; i++) {
    const c = selector[i];
    if (escaped) escaped = false;
    else if (c === '\\') escaped = true;
    else if (c === ',') {
      terms.push(selector.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(selector.slice(start));
  return terms;
}

/** Only `\\`, `\,` and `\=` are escapes; a bare `,` or `=` in a value is an error. */
function unescapeValue(value: string): string | undefined {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '\\') {
      const next = value[i + 1];
      if (next !== '\\' && next !== ',' && next !== '=') return undefined;
      out += next;
      i++;
    } else if (c === ',' || c === '=') return undefined;
    else out += c;
  }
  return out;
}

/** The real fields.ParseSelector: terms sorted, the first operator (`!=`, `==`, `=`) splits each. */
function parseFieldTerms(selector: string): Term[] | undefined {
  const terms: Term[] = [];
  for (const part of splitTerms(selector).sort()) {
    if (part === '') continue;
    let at = 0;
    while (at < part.length && !part.startsWith('!=', at) && part[at] !== '=') at++;
    if (at === part.length) return undefined;
    const op = part.startsWith('!=', at) ? '!=' : part.startsWith('==', at) ? '==' : '=';
    const value = unescapeValue(part.slice(at + op.length));
    if (value === undefined) return undefined;
    terms.push({ field: part.slice(0, at), op: op === '!=' ? '!=' : '=', value });
  }
  return terms;
}

/** path.IsValidPathSegmentName: a name that cannot be a URL path segment is not taken. */
function validSegment(name: string): boolean {
  return name !== '.' && name !== '..' && !name.includes('/') && !name.includes('%');
}

const INT64 = /^[+-]?\d+$/;
function validInt64(text: string): boolean {
  if (!INT64.test(text)) return false;
  const n = BigInt(text);
  return n >= -(2n ** 63n) && n < 2n ** 63n;
}

function labelSelectorParses(text: string): boolean {
  try {
    parseLabelSelector(text);
    return true;
  } catch {
    return false;
  }
}

/** Any value but "0" or "false" (any case), the empty one included, means true. */
function queryBool(query: URLSearchParams, key: string): boolean {
  const v = query.getAll(key)[0];
  return v !== undefined && v !== '0' && v.toLowerCase() !== 'false';
}

/**
 * A query whose list options do not decode (a bad selector, limit=abc) still lists or watches,
 * but gives no name: the real resolver drops everything but `watch` then.
 */
export function listQuery(query: URLSearchParams): ListQuery {
  const watch = queryBool(query, 'watch');
  const [fieldSelector = ''] = query.getAll('fieldSelector');
  const [labelSelector = ''] = query.getAll('labelSelector');
  const ints = ['limit', 'timeoutSeconds'].map((k) => query.getAll(k)[0]).filter((v): v is string => v !== undefined);
  const terms = parseFieldTerms(fieldSelector);
  if (terms === undefined || !labelSelectorParses(labelSelector) || !ints.every(validInt64)) return { watch, name: '' };
  const pinned = terms.find((t) => t.field === 'metadata.name' && t.op === '=');
  return { watch, name: pinned !== undefined && validSegment(pinned.value) ? pinned.value : '' };
}
