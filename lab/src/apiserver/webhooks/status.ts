// The Status objects admission webhooks end requests with, phrased as apimachinery's NewInternalError,
// NewForbidden, NewNotFound, NewBadRequest and the webhook plugin's ToStatusErr write them.

import { isObject, type Json, type JsonObject } from '../json.js';
import { goQuote } from '../go-text.js';

/** A metav1.Status as the server sends it; `code` is the HTTP status of the response. */
export interface AdmissionStatus {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: JsonObject;
  status: string;
  message: string;
  reason?: string;
  details?: JsonObject;
  code: number;
}

/** Fields in the order the real server writes them; reason and details left out when empty. */
function make(metadata: JsonObject, state: string, message: string, reason: string, details: JsonObject | undefined, code: number): AdmissionStatus {
  return { kind: 'Status', apiVersion: 'v1', metadata, status: state, message, ...(reason !== '' ? { reason } : {}), ...(details !== undefined ? { details } : {}), code };
}

function status(code: number, reason: string, message: string, details?: JsonObject): AdmissionStatus {
  return make({}, 'Failure', message, reason, details, code);
}

export function internalError(err: string): AdmissionStatus {
  return status(500, 'InternalError', `Internal error occurred: ${err}`, { causes: [{ message: err }] });
}

export function badRequest(message: string): AdmissionStatus {
  return status(400, 'BadRequest', message);
}

/** `resource` is plural; `group` "" for the core group. */
export function forbidden(group: string, resource: string, name: string, err: string): AdmissionStatus {
  const qualified = group === '' ? resource : `${resource}.${group}`;
  const message = resource === '' && group === '' ? `forbidden: ${err}` : name === '' ? `${qualified} is forbidden: ${err}` : `${qualified} ${goQuote(name)} is forbidden: ${err}`;
  const details: JsonObject = { kind: resource };
  if (name !== '') details['name'] = name;
  if (group !== '') details['group'] = group;
  return status(403, 'Forbidden', message, details);
}

export function namespaceNotFound(name: string): AdmissionStatus {
  return status(404, 'NotFound', `namespaces ${goQuote(name)} not found`, { name, kind: 'namespaces' });
}

function omitEmpty(obj: JsonObject, keys: readonly string[]): JsonObject {
  const out: JsonObject = {};
  for (const k of keys) {
    const v = obj[k];
    if (v === undefined || v === null || v === '' || v === 0 || (Array.isArray(v) && v.length === 0)) continue;
    out[k] = v;
  }
  return out;
}

/** The webhook's metav1.Status reduced to the fields Go decodes, empty ones dropped as `omitempty` drops them. */
function decodedStatus(result: JsonObject): { status: string; message: string; reason: string; code: number; details: JsonObject | undefined; metadata: JsonObject } {
  const details = result['details'];
  const causes = isObject(details) && Array.isArray(details['causes']) ? details['causes'].filter(isObject).map((c) => omitEmpty(c, ['reason', 'message', 'field'])) : [];
  let decodedDetails: JsonObject | undefined;
  if (isObject(details)) {
    decodedDetails = omitEmpty(details, ['name', 'group', 'kind', 'uid']);
    if (causes.length > 0) decodedDetails['causes'] = causes as Json[];
    if (typeof details['retryAfterSeconds'] === 'number' && details['retryAfterSeconds'] !== 0) decodedDetails['retryAfterSeconds'] = details['retryAfterSeconds'];
  }
  const meta = result['metadata'];
  return {
    status: typeof result['status'] === 'string' ? result['status'] : '',
    message: typeof result['message'] === 'string' ? result['message'] : '',
    reason: typeof result['reason'] === 'string' ? result['reason'] : '',
    code: typeof result['code'] === 'number' ? result['code'] : 0,
    details: decodedDetails,
    metadata: isObject(meta) ? omitEmpty(meta, ['selfLink', 'resourceVersion', 'continue', 'remainingItemCount']) : {},
  };
}

/**
 * A webhook's denial as the client sees it (ToStatusErr, Kubernetes 1.32): the webhook's status kept,
 * a code under 400 raised to 400, an empty or "Success" status made "Failure", and the message prefixed
 * `admission webhook "NAME" denied the request: ` (or suffixed ` without explanation` when it gave none).
 */
export function webhookDenied(webhookName: string, result: JsonObject | undefined): AdmissionStatus {
  const r = result === undefined ? { status: 'Failure', message: '', reason: '', code: 0, details: undefined, metadata: {} } : decodedStatus(result);
  const deniedBy = `admission webhook ${goQuote(webhookName)} denied the request`;
  const message = r.message !== '' ? `${deniedBy}: ${r.message}` : r.reason !== '' ? `${deniedBy}: ${r.reason}` : `${deniedBy} without explanation`;
  const state = r.status === '' || r.status === 'Success' ? 'Failure' : r.status;
  return make(r.metadata, state, message, r.reason, r.details, r.code < 400 ? 400 : r.code);
}

/** Dry run of a request a webhook with side effects matches (NewDryRunUnsupportedErr). */
export function dryRunUnsupported(webhookName: string): AdmissionStatus {
  return badRequest(`admission webhook ${goQuote(webhookName)} does not support dry run`);
}
