// The AdmissionReview sent to a webhook (CreateV1AdmissionReview) and the checks on the one it returns
// (VerifyAdmissionResponse), for the first review version the webhook accepts.

import type { JsonObject } from '../json.js';
import type { Webhook } from './config.js';
import type { AdmissionRequest, Invocation, Operation } from './match.js';
import type { DecodedReview } from './response-body.js';
import { goQuote } from '../go-text.js';

export type ReviewVersion = 'v1' | 'v1beta1';

const OPTIONS_KIND: Readonly<Record<Operation, string | undefined>> = { CREATE: 'CreateOptions', UPDATE: 'UpdateOptions', DELETE: 'DeleteOptions', CONNECT: undefined };

/**
 * The `options` of a review: the request's CreateOptions, UpdateOptions (also for PATCH) or
 * DeleteOptions fields under their meta.k8s.io/v1 kind. CONNECT options carry their own kind; pass them whole.
 */
export function reviewOptions(operation: Operation, fields: JsonObject = {}): JsonObject | null {
  const kind = OPTIONS_KIND[operation];
  if (kind === undefined) return null;
  const { kind: _k, apiVersion: _a, ...rest } = fields;
  return { kind, apiVersion: 'meta.k8s.io/v1', ...rest };
}

/** The first of the webhook's admissionReviewVersions this server speaks, as CreateAdmissionObjects picks it. */
export function reviewVersionFor(webhook: Webhook): ReviewVersion | undefined {
  for (const v of webhook.admissionReviewVersions) if (v === 'v1' || v === 'v1beta1') return v;
  return undefined;
}

export const NO_KNOWN_REVIEW_VERSION = 'webhook does not accept known AdmissionReview versions (v1, v1beta1)';

function versioned(obj: JsonObject | null, invocation: Invocation): JsonObject | null {
  if (obj === null) return null;
  const { group, version, kind } = invocation.kind;
  // matchPolicy Equivalent may call the webhook in another served version: CRD conversion "None" only relabels.
  return { ...obj, apiVersion: group === '' ? version : `${group}/${version}`, kind: typeof obj['kind'] === 'string' ? obj['kind'] : kind };
}

/** The review the webhook receives; `object` and `oldObject` are in the invocation's version. */
export function buildAdmissionReview(uid: string, version: ReviewVersion, invocation: Invocation, req: AdmissionRequest): JsonObject {
  const user: JsonObject = {};
  if (req.user.name !== '') user['username'] = req.user.name;
  if (req.user.uid !== undefined && req.user.uid !== '') user['uid'] = req.user.uid;
  if (req.user.groups.length > 0) user['groups'] = [...req.user.groups];
  const extra = Object.entries(req.user.extra ?? {});
  if (extra.length > 0) user['extra'] = Object.fromEntries(extra.map(([k, v]) => [k, [...v]]));
  const request: JsonObject = {
    uid,
    kind: { ...invocation.kind },
    resource: { ...invocation.resource },
    ...(invocation.subresource !== '' ? { subResource: invocation.subresource } : {}),
    requestKind: { ...req.kind },
    requestResource: { ...req.resource },
    ...(req.subresource !== '' ? { requestSubResource: req.subresource } : {}),
    ...(req.name !== '' ? { name: req.name } : {}),
    ...(req.namespace !== '' ? { namespace: req.namespace } : {}),
    operation: req.operation,
    userInfo: user,
    object: versioned(req.object, invocation),
    oldObject: versioned(req.oldObject, invocation),
    dryRun: req.dryRun,
    options: req.options,
  };
  return { kind: 'AdmissionReview', apiVersion: `admission.k8s.io/${version}`, request };
}

export interface AdmissionResult {
  readonly allowed: boolean;
  /** The webhook's metav1.Status, if it gave one. */
  readonly status: JsonObject | undefined;
  /** Mutating only: the JSON Patch bytes, with patchType JSONPatch. */
  readonly patch: Buffer | undefined;
  readonly patchType: string;
  readonly warnings: readonly string[];
  readonly auditAnnotations: Readonly<Record<string, string>>;
}

export type Verified = { ok: true; result: AdmissionResult } | { ok: false; error: string };

/** VerifyAdmissionResponse; errors are the text that follows `received invalid webhook response: `. */
export function verifyAdmissionResponse(uid: string, version: ReviewVersion, mutating: boolean, review: DecodedReview): Verified {
  const r = review.response;
  if (r === undefined) return { ok: false, error: 'webhook response was absent' };
  const base = { allowed: r.allowed, status: r.status, warnings: r.warnings, auditAnnotations: r.auditAnnotations };
  const hasPatch = r.patch !== undefined && r.patch.length > 0;
  if (version === 'v1beta1') {
    // v1beta1 never checked uid, kind or patchType; a patch is taken as a JSON Patch.
    return { ok: true, result: { ...base, patch: mutating && hasPatch ? r.patch : undefined, patchType: mutating && hasPatch ? 'JSONPatch' : '' } };
  }
  if (r.uid !== uid) return { ok: false, error: `expected response.uid=${goQuote(uid)}, got ${goQuote(r.uid)}` };
  const group = review.apiVersion.includes('/') ? review.apiVersion.slice(0, review.apiVersion.indexOf('/')) : '';
  const ver = review.apiVersion.includes('/') ? review.apiVersion.slice(review.apiVersion.indexOf('/') + 1) : review.apiVersion;
  if (group !== 'admission.k8s.io' || ver !== 'v1' || review.kind !== 'AdmissionReview') {
    return { ok: false, error: `expected webhook response of admission.k8s.io/v1, Kind=AdmissionReview, got ${group}/${ver}, Kind=${review.kind}` };
  }
  if (!mutating) {
    if (hasPatch) return { ok: false, error: 'validating webhook may not return response.patch' };
    if (r.patchType !== undefined) return { ok: false, error: 'validating webhook may not return response.patchType' };
    return { ok: true, result: { ...base, patch: undefined, patchType: '' } };
  }
  if (hasPatch && r.patchType === undefined) return { ok: false, error: 'webhook returned response.patch but not response.patchType' };
  if (!hasPatch && r.patchType !== undefined) return { ok: false, error: 'webhook returned response.patchType but not response.patch' };
  if (r.patchType === '') return { ok: false, error: 'webhook returned invalid response.patchType of ""' };
  return { ok: true, result: { ...base, patch: hasPatch ? r.patch : undefined, patchType: r.patchType ?? '' } };
}
