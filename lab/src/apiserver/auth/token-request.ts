// POST .../namespaces/NS/serviceaccounts/NAME/token (`kubectl create token`): a TokenRequest
// decoded, checked and answered as the real TokenREST does, given the issuer and the objects it names.

import { ApiError, badRequest, conflict, invalid, notFound, Reason, type FieldError } from '../errors.js';
import { getPath, isObject, type Json, type JsonObject } from '../json.js';
import { goQuote } from '../go-text.js';
import type { ObjectRef } from './sa-claims.js';
import { DEFAULT_EXPIRATION_SECONDS, type ServiceAccountTokens } from './tokens.js';

export const TOKEN_REQUEST_API_VERSION = 'authentication.k8s.io/v1';
/** The real bounds: 10 minutes, and 2^32 seconds. */
export const MIN_EXPIRATION_SECONDS = 600;
export const MAX_EXPIRATION_SECONDS = 2 ** 32;
/** What the kubelet asks for its projected tokens, which the real server quietly extends to a year. */
export const WARN_ONLY_EXPIRATION_SECONDS = 3607;
export const EXTENDED_EXPIRATION_SECONDS = 365 * 24 * 60 * 60;

export type BoundKind = 'Pod' | 'Secret' | 'Node';

export interface TokenRequestInput {
  /** Namespace and ServiceAccount name from the URL. */
  readonly namespace: string;
  readonly name: string;
  /** The decoded request body. */
  readonly body: Json;
  /** The ServiceAccount from the store, undefined when there is none (404). */
  readonly serviceAccount: JsonObject | undefined;
  /** Finds a Pod or Secret in `namespace`, or a Node (namespace ''), for boundObjectRef. */
  readonly getObject: (kind: BoundKind, namespace: string, name: string) => JsonObject | undefined;
  readonly tokens: ServiceAccountTokens;
  readonly now?: Date;
  /** --service-account-max-token-expiration: longer requests are shortened, with a warning (0: no cap). */
  readonly maxExpirationSeconds?: number;
  /** --service-account-extend-token-expiration (real default true). */
  readonly extendExpiration?: boolean;
}

export interface TokenRequestResult {
  /** The TokenRequest to answer with (201), status.token set. */
  readonly object: JsonObject;
  /** Texts for `Warning: 299 - "..."` headers. */
  readonly warnings: readonly string[];
}

interface BoundRef {
  readonly kind: string;
  readonly apiVersion: string;
  readonly name: string;
  readonly uid: string;
}

interface Spec {
  readonly audiences: readonly string[];
  readonly expirationSeconds: number;
  readonly boundObjectRef: BoundRef | undefined;
}

// Body-shape errors read as the real decoder's: "TokenRequest in version "v1" cannot be handled as a TokenRequest: json: ...".
function undecodable(detail: string): ApiError {
  return badRequest(`TokenRequest in version "v1" cannot be handled as a TokenRequest: json: ${detail}`);
}

function jsonKind(v: Json): string {
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'null';
  return typeof v === 'object' ? 'object' : typeof v === 'number' ? `number ${v}` : typeof v;
}

function cannotUnmarshal(v: Json, field: string, goType: string): ApiError {
  return undecodable(`cannot unmarshal ${jsonKind(v)} into Go struct field ${field} of type ${goType}`);
}

function optionalString(obj: JsonObject, key: string, structName: string, path: string): string {
  const v = obj[key];
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string') throw cannotUnmarshal(v, `${structName}.${path}.${key}`, 'string');
  return v;
}

/** Reads spec with the v1 defaults (3600 s, no audiences, no binding); throws 400 for wrong JSON types. */
function readSpec(body: JsonObject): Spec {
  const raw = body['spec'];
  if (raw !== undefined && raw !== null && !isObject(raw)) throw cannotUnmarshal(raw, 'TokenRequest.spec', 'v1.TokenRequestSpec');
  const spec = isObject(raw) ? raw : {};
  const exp = spec['expirationSeconds'];
  if (exp !== undefined && exp !== null && (typeof exp !== 'number' || !Number.isInteger(exp))) throw cannotUnmarshal(exp, 'TokenRequestSpec.spec.expirationSeconds', 'int64');
  const auds = spec['audiences'];
  if (auds !== undefined && auds !== null && !Array.isArray(auds)) throw cannotUnmarshal(auds, 'TokenRequestSpec.spec.audiences', '[]string');
  for (const a of Array.isArray(auds) ? auds : []) if (typeof a !== 'string') throw cannotUnmarshal(a, 'TokenRequestSpec.spec.audiences', 'string');
  const ref = spec['boundObjectRef'];
  if (ref !== undefined && ref !== null && !isObject(ref)) throw cannotUnmarshal(ref, 'TokenRequestSpec.spec.boundObjectRef', 'v1.BoundObjectReference');
  const where = 'spec.boundObjectRef';
  return {
    audiences: Array.isArray(auds) ? (auds as string[]) : [],
    expirationSeconds: typeof exp === 'number' ? exp : DEFAULT_EXPIRATION_SECONDS,
    boundObjectRef: isObject(ref)
      ? {
          kind: optionalString(ref, 'kind', 'BoundObjectReference', where),
          apiVersion: optionalString(ref, 'apiVersion', 'BoundObjectReference', where),
          name: optionalString(ref, 'name', 'BoundObjectReference', where),
          uid: optionalString(ref, 'uid', 'BoundObjectReference', where),
        }
      : undefined,
  };
}

/** Group and version of an apiVersion as Go's schema.ParseGroupVersion reads it; both empty when it cannot. */
function groupVersion(apiVersion: string): { group: string; version: string } {
  const parts = apiVersion.split('/');
  if (apiVersion === '') return { group: '', version: '' };
  if (parts.length === 1) return { group: '', version: apiVersion };
  if (parts.length === 2) return { group: parts[0] ?? '', version: parts[1] ?? '' };
  return { group: '', version: '' };
}

const str = (obj: Json | undefined, path: readonly string[]): string => {
  const v = getPath(obj, path);
  return typeof v === 'string' ? v : '';
};

interface Binding {
  readonly pod?: ObjectRef;
  readonly node?: ObjectRef;
  readonly secret?: ObjectRef;
}

/** Finds the object a token is to be bound to, refusing what the real server refuses. */
function resolveBinding(input: TokenRequestInput, ref: BoundRef): Binding {
  const gv = groupVersion(ref.apiVersion);
  const plural: Record<string, string> = { Pod: 'pods', Secret: 'secrets', Node: 'nodes' };
  const resource = plural[ref.kind];
  if (gv.group !== '' || resource === undefined) throw badRequest(`cannot bind token to object of type ${gv.group}/${gv.version}, Kind=${ref.kind}`);
  if (ref.name === '') throw badRequest('Name parameter required.');
  const kind = ref.kind as BoundKind;
  const obj = input.getObject(kind, kind === 'Node' ? '' : input.namespace, ref.name);
  if (obj === undefined) throw notFound({ group: '', plural: resource, kind, name: ref.name });
  const uid = str(obj, ['metadata', 'uid']);
  if (kind === 'Pod' && input.name !== (str(obj, ['spec', 'serviceAccountName']) || 'default')) {
    throw badRequest(`cannot bind token for serviceaccount "${input.name}" to pod running with different serviceaccount name.`);
  }
  if (ref.uid !== '' && ref.uid !== uid) {
    throw conflict(
      { group: '', plural: kind, kind, name: ref.name },
      `the UID in the bound object reference (${ref.uid}) does not match the UID in record. The object might have been deleted and then recreated`,
    );
  }
  const self: ObjectRef = { name: ref.name, uid };
  if (kind === 'Secret') return { secret: self };
  if (kind === 'Node') return { node: self };
  const nodeName = str(obj, ['spec', 'nodeName']);
  if (nodeName === '') return { pod: self };
  const node = input.getObject('Node', '', nodeName);
  return { pod: self, node: { name: nodeName, uid: str(node, ['metadata', 'uid']) } };
}

function rfc3339(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** Handles a TokenRequest: throws ApiError with the real code and message for what the real server refuses. */
export async function createTokenRequest(input: TokenRequestInput): Promise<TokenRequestResult> {
  const body = input.body;
  if (!isObject(body)) throw badRequest(`the request body must be a TokenRequest object, got ${Array.isArray(body) ? 'an array' : typeof body}`);
  if (body['kind'] !== undefined && body['kind'] !== 'TokenRequest') throw badRequest(`the body is a ${String(body['kind'])}, but the URL is for TokenRequest`);
  if (body['apiVersion'] !== undefined && body['apiVersion'] !== TOKEN_REQUEST_API_VERSION) {
    throw badRequest(`the body has apiVersion ${String(body['apiVersion'])}, but the URL is for ${TOKEN_REQUEST_API_VERSION}`);
  }
  const spec = readSpec(body);
  const metaName = str(body, ['metadata', 'name']);
  const metaNamespace = str(body, ['metadata', 'namespace']);
  const mismatch = (field: string, value: string, what: string): ApiError =>
    invalid('TokenRequest', 'authentication.k8s.io', input.name, [{ field, type: 'FieldValueInvalid', detail: `Invalid value: ${goQuote(value)}: must match the service account ${what} if specified` }]);
  if (metaName !== '' && metaName !== input.name) throw mismatch('metadata.name', metaName, 'name');
  if (metaNamespace !== '' && metaNamespace !== input.namespace) throw mismatch('metadata.namespace', metaNamespace, 'namespace');

  const sa = input.serviceAccount;
  if (sa === undefined) throw notFound({ group: '', plural: 'serviceaccounts', kind: 'ServiceAccount', name: input.name });
  const audiences = spec.audiences.length === 0 ? [...input.tokens.apiAudiences] : [...spec.audiences];
  const errors: FieldError[] = [];
  const invalidExp = (why: string): FieldError => ({ field: 'spec.expirationSeconds', type: 'FieldValueInvalid', detail: `Invalid value: ${spec.expirationSeconds}: ${why}` });
  if (spec.expirationSeconds < MIN_EXPIRATION_SECONDS) errors.push(invalidExp('may not specify a duration less than 10 minutes'));
  if (spec.expirationSeconds > MAX_EXPIRATION_SECONDS) errors.push(invalidExp('may not specify a duration larger than 2^32 seconds'));
  if (errors.length > 0) throw invalid('TokenRequest', 'authentication.k8s.io', '', errors);

  const binding = spec.boundObjectRef === undefined ? {} : resolveBinding(input, spec.boundObjectRef);
  const warnings: string[] = [];
  let expirationSeconds = spec.expirationSeconds;
  const max = input.maxExpirationSeconds ?? 0;
  if (max > 0 && expirationSeconds > max) {
    warnings.push(`requested expiration of ${expirationSeconds} seconds shortened to ${max} seconds`);
    expirationSeconds = max;
  }
  const kubeAudiences = audiences.every((a) => input.tokens.apiAudiences.includes(a));
  const extend = (input.extendExpiration ?? true) && binding.pod !== undefined && expirationSeconds === WARN_ONLY_EXPIRATION_SECONDS && kubeAudiences;

  const now = input.now ?? new Date();
  const saName = str(sa, ['metadata', 'name']) || input.name;
  const saUid = str(sa, ['metadata', 'uid']);
  if (saUid === '') throw new ApiError(500, Reason.InternalError, `token-request: ServiceAccount ${input.namespace}/${saName} has no metadata.uid`);
  const issued = await input.tokens.issue({
    namespace: input.namespace,
    name: saName,
    uid: saUid,
    audiences,
    expirationSeconds: extend ? EXTENDED_EXPIRATION_SECONDS : expirationSeconds,
    ...binding,
    ...(extend ? { warnAfterSeconds: expirationSeconds } : {}),
    now,
  });
  const ref = spec.boundObjectRef;
  const boundObjectRef: Json = ref === undefined ? null : Object.fromEntries(Object.entries(ref).filter(([, v]) => v !== ''));
  const metadata = isObject(body['metadata']) ? body['metadata'] : {};
  return {
    object: {
      kind: 'TokenRequest',
      apiVersion: TOKEN_REQUEST_API_VERSION,
      metadata: { ...metadata, name: input.name, namespace: input.namespace, creationTimestamp: rfc3339(now.getTime()) },
      spec: { audiences, expirationSeconds, boundObjectRef },
      status: { token: issued.token, expirationTimestamp: rfc3339(now.getTime() + expirationSeconds * 1000) },
    },
    warnings,
  };
}
