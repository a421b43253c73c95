// The Accept header as kube-apiserver reads it: goautoneg's clause parsing and ordering, then
// the first clause the endpoint can serve, with `as=Table` / `as=PartialObjectMetadata` conversions.

import { ApiError, Reason } from '../errors.js';

export interface AcceptClause {
  type: string;
  subType: string;
  q: number;
  params: Readonly<Record<string, string>>;
}

/** A media type the endpoint can write. */
export interface ServedMediaType {
  mediaType: string;
  /** It has a watch framing (JSON and protobuf do, YAML does not). */
  stream: boolean;
  /**
   * Usable without a conversion. Custom resources are served as JSON and YAML only, yet a
   * PartialObjectMetadata or Table of them may still be protobuf: list it with `standard: false`.
   */
  standard?: boolean;
}

export const JSON_MEDIA_TYPE: ServedMediaType = { mediaType: 'application/json', stream: true };

export type MetaKind = 'Table' | 'PartialObjectMetadata' | 'PartialObjectMetadataList';

/** A request to answer with a meta.k8s.io type instead of the resource itself. */
export interface Conversion {
  kind: MetaKind;
  version: 'v1' | 'v1beta1';
}

export interface AcceptChoice {
  mediaType: string;
  conversion: Conversion | undefined;
  /** `pretty=1` in the clause. */
  pretty: boolean;
}

/** `strings.TrimFunc(s, ' ')`: goautoneg trims spaces only, not tabs. */
const trimSpaces = (s: string): string => s.replace(/^ +| +$/g, '');

/** Go's strings.Index split at the first `sep`: [before, after], after '' when absent. */
function cut(s: string, sep: string): [string, string] {
  const i = s.indexOf(sep);
  return i === -1 ? [s, ''] : [s.slice(0, i), s.slice(i + 1)];
}

/** strconv.ParseFloat(s, 32), 0 where Go reports a syntax error. */
function parseQ(s: string): number {
  if (/^[+-]?(inf|infinity)$/i.test(s)) return s.startsWith('-') ? -Infinity : Infinity;
  if (/^[+-]?nan$/i.test(s)) return NaN;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) return 0;
  return Math.fround(Number(s));
}

function parseClause(part: string): AcceptClause | undefined {
  const [range, paramText] = cut(trimSpaces(part), ';');
  const [rawType, rest] = cut(range, '/');
  const type = trimSpaces(rawType);
  let subType: string;
  if (rest === '') {
    if (type !== '*') return undefined;
    subType = '*';
  } else {
    const [sub, extra] = cut(rest, '/');
    if (extra !== '') return undefined;
    subType = trimSpaces(sub);
  }
  let q = 1;
  const params: Record<string, string> = {};
  let remaining = paramText;
  while (remaining !== '') {
    let param: string;
    [param, remaining] = cut(remaining, ';');
    const [key, afterKey] = cut(param, '=');
    if (afterKey === '') continue;
    const [value, extra] = cut(afterKey, '=');
    if (extra !== '') continue;
    const token = trimSpaces(key);
    if (token === 'q') q = parseQ(value);
    else params[token] = trimSpaces(value);
  }
  return { type, subType, q, params };
}

/** goautoneg's ordering: higher q first, then concrete types before wildcards. */
function before(a: AcceptClause, b: AcceptClause): boolean {
  if (a.q > b.q) return true;
  if (a.type !== '*' && b.type === '*') return true;
  return a.subType !== '*' && b.subType === '*';
}

/** Clauses of an Accept header in the order the server tries them (goautoneg.ParseAccept). */
export function parseAccept(header: string): AcceptClause[] {
  const clauses: AcceptClause[] = [];
  let remaining = header;
  while (remaining !== '') {
    let part: string;
    [part, remaining] = cut(remaining, ',');
    const clause = parseClause(part);
    if (clause !== undefined) clauses.push(clause);
  }
  // Go's sort.Sort is an insertion sort at these sizes; its comparison is not a strict order,
  // so only the same algorithm gives the same result.
  for (let i = 1; i < clauses.length; i++) {
    for (let j = i; j > 0 && before(clauses[j] as AcceptClause, clauses[j - 1] as AcceptClause); j--) {
      [clauses[j - 1], clauses[j]] = [clauses[j] as AcceptClause, clauses[j - 1] as AcceptClause];
    }
  }
  return clauses;
}

type Target = { kind: string; group: string; version: string } | undefined;

/** The endpoint's AllowsMediaTypeTransform for resources, every one of which converts to a Table. */
function allows(served: ServedMediaType, target: Target): boolean {
  const [type, subType] = cut(served.mediaType, '/');
  if (target === undefined) return served.standard !== false;
  if (target.group !== 'meta.k8s.io' || (target.version !== 'v1' && target.version !== 'v1beta1')) return false;
  if (target.kind === 'Table') return type === 'application' && (subType === 'json' || subType === 'yaml');
  return target.kind === 'PartialObjectMetadata' || target.kind === 'PartialObjectMetadataList';
}

function options(clause: AcceptClause, served: ServedMediaType): AcceptChoice | undefined {
  let target: Target;
  let pretty = false;
  for (const [key, value] of Object.entries(clause.params)) {
    if (key === 'as' || key === 'g' || key === 'v') {
      target ??= { kind: '', group: '', version: '' };
      if (key === 'as') target.kind = value;
      else if (key === 'g') target.group = value;
      else target.version = value;
    } else if (key === 'stream') {
      if (value !== '' && (!served.stream || value !== 'watch')) return undefined;
    } else if (key === 'sv') {
      if (value !== '' && value !== 'v1') return undefined;
    } else if (key === 'pretty') pretty = value === '1';
  }
  if (!allows(served, target)) return undefined;
  const conversion = target === undefined ? undefined : { kind: target.kind as MetaKind, version: target.version as Conversion['version'] };
  return { mediaType: served.mediaType, conversion, pretty };
}

function matches(clause: AcceptClause, mediaType: string): boolean {
  const [type, subType] = cut(mediaType, '/');
  return (clause.type === type && (clause.subType === subType || clause.subType === '*')) || (clause.type === '*' && clause.subType === '*');
}

export interface NegotiateOptions {
  /** What the endpoint writes, in its order of preference (kube-apiserver: JSON, YAML, protobuf). */
  served?: readonly ServedMediaType[];
  /** A watch, which needs a media type with stream framing. */
  watch?: boolean;
}

/**
 * The response format for a request's Accept header, as NegotiateOutputMediaType (or, for a
 * watch, NegotiateOutputMediaTypeStream) picks it; a 406 ApiError with the real message otherwise.
 */
export function negotiate(header: string | undefined, opts: NegotiateOptions = {}): AcceptChoice {
  const served = opts.served ?? [JSON_MEDIA_TYPE];
  let choice: AcceptChoice | undefined;
  const first = served[0];
  if ((header === undefined || header === '') && first !== undefined) {
    choice = { mediaType: first.mediaType, conversion: undefined, pretty: false };
    if (opts.watch === true && !first.stream) choice = undefined;
  } else {
    search: for (const clause of parseAccept(header ?? '')) {
      for (const s of served) {
        if (!matches(clause, s.mediaType)) continue;
        const found = options(clause, s);
        if (found !== undefined) {
          choice = opts.watch === true && !s.stream ? undefined : found;
          break search;
        }
      }
    }
  }
  if (choice !== undefined) return choice;
  const listed = opts.watch === true ? served.filter((s) => s.stream).map((s) => `${s.mediaType};stream=watch`) : served.map((s) => s.mediaType);
  throw new ApiError(406, Reason.NotAcceptable, `only the following media types are accepted: ${listed.join(', ')}`);
}
