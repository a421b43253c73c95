// A webhook's HTTP answer read as client-go's REST client reads it: statuses outside 2xx become its
// generic server errors, and bodies are decoded (JSON, else YAML) into an AdmissionReview with Go's error texts.

import { parse as parseYaml } from 'yaml';
import { isObject, type Json, type JsonObject } from '../json.js';
import { goJsonSyntaxError } from './go-json.js';
import { goQuote } from '../go-text.js';

export interface DecodedResponse {
  readonly uid: string;
  readonly allowed: boolean;
  readonly status: JsonObject | undefined;
  /** Undefined when absent or null; a Go []byte decoded from base64. */
  readonly patch: Buffer | undefined;
  /** Undefined when absent or null (Go's nil pointer), "" when given empty. */
  readonly patchType: string | undefined;
  readonly warnings: readonly string[];
  readonly auditAnnotations: Readonly<Record<string, string>>;
}

export interface DecodedReview {
  readonly apiVersion: string;
  readonly kind: string;
  readonly response: DecodedResponse | undefined;
}

export type BodyOutcome = { ok: true; review: DecodedReview } | { ok: false; error: string };

const MAX_UNSTRUCTURED = 2048;
const FIND_KIND = 'struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }';

const GENERIC: Readonly<Record<number, string>> = {
  409: 'the server reported a conflict',
  404: 'the server could not find the requested resource',
  400: 'the server rejected our request for an unknown reason',
  401: 'the server has asked for the client to provide credentials',
  405: 'the server does not allow this method on the requested resource',
  422: 'the server rejected our request due to an error in our request',
  503: 'the server is currently unable to handle the request',
  504: 'the server was unable to return a response in the time allotted, but may still be processing the request',
  429: 'the server has received too many requests and has asked us to try again later',
};

function isText(contentType: string | undefined): boolean {
  return contentType !== undefined && contentType.trim().toLowerCase().startsWith('text/');
}

/** errors.NewGenericServerResponse for a POST with no resource, as newUnstructuredResponseError calls it. */
export function genericServerResponse(code: number, serverMessage: string): string {
  if (code === 403 || code === 406 || code === 415) return serverMessage;
  const known = GENERIC[code];
  if (known !== undefined) return known;
  if (code >= 500) return `an error on the server (${goQuote(serverMessage)}) has prevented the request from succeeding`;
  return `the server responded with the status code ${code} but did not return more information`;
}

function goType(v: Json): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'object') return 'object';
  if (typeof v === 'boolean') return 'bool';
  return typeof v === 'number' ? 'number' : 'string';
}

/** The universal deserializer: JSON when the data opens with `{`, otherwise YAML converted to JSON. */
function universalDecode(body: Buffer): { ok: true; value: Json } | { ok: false; error: string } {
  const text = body.toString('utf8');
  if (/^[ \t\r\n]*\{/.test(text)) {
    const syntax = goJsonSyntaxError(body);
    if (syntax !== undefined) return { ok: false, error: `couldn't get version/kind; json parse error: ${syntax}` };
    return { ok: true, value: JSON.parse(text) as Json };
  }
  let value: Json;
  try {
    value = (parseYaml(text) ?? null) as Json;
  } catch (e) {
    const first = (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? '';
    return { ok: false, error: `error converting YAML to JSON: yaml: ${first}` };
  }
  if (value !== null && !isObject(value)) {
    return { ok: false, error: `couldn't get version/kind; json parse error: json: cannot unmarshal ${goType(value)} into Go value of type ${FIND_KIND}` };
  }
  return { ok: true, value };
}

/** Reads a non-2xx answer: a Status with status Failure in the body speaks for itself; anything else is generic. */
function unexpectedStatus(code: number, contentType: string | undefined, body: Buffer): string {
  if (body.length > 0) {
    const decoded = universalDecode(body);
    if (decoded.ok && isObject(decoded.value) && decoded.value['kind'] === 'Status' && decoded.value['status'] === 'Failure') {
      const message = decoded.value['message'];
      return typeof message === 'string' ? message : '';
    }
  }
  const text = isText(contentType) ? body.subarray(0, MAX_UNSTRUCTURED).toString('utf8').trim() : 'unknown';
  return genericServerResponse(code, text);
}

class TypeError_ extends Error {}

function typeError(value: Json, struct: string, field: string, type: string): never {
  const what = typeof value === 'number' && !Number.isInteger(value) && type.startsWith('int') ? `number ${value}` : goType(value);
  throw new TypeError_(`json: cannot unmarshal ${what} into Go struct field ${struct}.${field} of type ${type}`);
}

function field<T>(obj: JsonObject, key: string, struct: string, path: string, type: string, check: (v: Json) => v is Json & T): T | undefined {
  const v = obj[key];
  if (v === undefined || v === null) return undefined;
  if (!check(v)) typeError(v, struct, `${path}${key}`, type);
  return v as T;
}

const isString = (v: Json): v is string => typeof v === 'string';
const isBool = (v: Json): v is boolean => typeof v === 'boolean';
const isObj = (v: Json): v is JsonObject => isObject(v);
const isArray = (v: Json): v is Json[] => Array.isArray(v);

/** Go's base64.StdEncoding, strict about padding, naming the first bad byte as Go does. */
function base64Bytes(s: string): Buffer {
  const clean = s.replace(/[\r\n]/g, '');
  const bad = clean.search(/[^A-Za-z0-9+/=]/);
  const pad = clean.indexOf('=');
  if (bad >= 0) throw new TypeError_(`illegal base64 data at input byte ${bad}`);
  if (pad >= 0 && (pad < clean.length - 2 || !/^=*$/.test(clean.slice(pad)))) throw new TypeError_(`illegal base64 data at input byte ${pad}`);
  if (clean.length % 4 !== 0) throw new TypeError_(`illegal base64 data at input byte ${clean.length - (clean.length % 4)}`);
  return Buffer.from(clean, 'base64');
}

function decodeResponse(r: JsonObject): DecodedResponse {
  const S = 'AdmissionResponse';
  const P = 'response.';
  const warnings = field(r, 'warnings', S, P, '[]string', isArray) ?? [];
  for (const w of warnings) if (typeof w !== 'string' && w !== null) typeError(w, S, `${P}warnings`, 'string');
  const annotations = field(r, 'auditAnnotations', S, P, 'map[string]string', isObj) ?? {};
  for (const v of Object.values(annotations)) if (typeof v !== 'string' && v !== null) typeError(v, S, `${P}auditAnnotations`, 'string');
  const status = field(r, 'status', S, P, 'v1.Status', isObj);
  if (status !== undefined) {
    field(status, 'message', 'Status', `${P}status.`, 'string', isString);
    field(status, 'reason', 'Status', `${P}status.`, 'v1.StatusReason', isString);
    field(status, 'status', 'Status', `${P}status.`, 'string', isString);
    field(status, 'code', 'Status', `${P}status.`, 'int32', (v): v is number => typeof v === 'number' && Number.isInteger(v));
  }
  const patch = field(r, 'patch', S, P, '[]uint8', isString);
  return {
    uid: field(r, 'uid', S, P, 'types.UID', isString) ?? '',
    allowed: field(r, 'allowed', S, P, 'bool', isBool) ?? false,
    status,
    patch: patch === undefined ? undefined : base64Bytes(patch),
    patchType: field(r, 'patchType', S, P, 'v1.PatchType', isString),
    warnings: warnings.filter((w): w is string => typeof w === 'string'),
    auditAnnotations: Object.fromEntries(Object.entries(annotations).filter((e): e is [string, string] => typeof e[1] === 'string')),
  };
}

/**
 * The webhook's HTTP answer as `r.Do(ctx).Into(response)` sees it. Errors are the text that follows
 * `failed to call webhook: `. The Content-Type does not matter: the webhook client's decoder takes any.
 */
export function decodeWebhookResponse(statusCode: number, contentType: string | undefined, body: Buffer): BodyOutcome {
  if (statusCode < 200 || statusCode > 206) return { ok: false, error: unexpectedStatus(statusCode, contentType, body) };
  if (body.length === 0) return { ok: false, error: `0-length response with status code: ${statusCode} and content type: ${contentType ?? 'application/json'}` };
  const decoded = universalDecode(body);
  if (!decoded.ok) return decoded;
  const doc = isObject(decoded.value) ? decoded.value : {};
  try {
    const apiVersion = field(doc, 'apiVersion', 'AdmissionReview', '', 'string', isString) ?? '';
    const kind = field(doc, 'kind', 'AdmissionReview', '', 'string', isString) ?? '';
    const response = field(doc, 'response', 'AdmissionReview', '', 'v1.AdmissionResponse', isObj);
    return { ok: true, review: { apiVersion, kind, response: response === undefined ? undefined : decodeResponse(response) } };
  } catch (e) {
    if (e instanceof TypeError_) return { ok: false, error: e.message };
    throw e;
  }
}
