// AdmissionReview (admission.k8s.io/v1) in and out: the request read from the JSON the API
// server POSTs, checked enough to answer it, and the response written back. No decisions here.

export const REVIEW_API_VERSION = 'admission.k8s.io/v1';

export const OPERATION = { Create: 'CREATE', Update: 'UPDATE', Delete: 'DELETE', Connect: 'CONNECT' } as const;
export type Operation = (typeof OPERATION)[keyof typeof OPERATION];

export interface GroupVersionKind {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
}

export interface AdmissionRequest {
  readonly uid: string;
  readonly kind: GroupVersionKind;
  readonly operation: Operation;
  /** "" for cluster-scoped objects. */
  readonly namespace: string;
  /** "" on a create with generateName. */
  readonly name: string;
  /** The new object (CREATE, UPDATE); null for DELETE. */
  readonly object: unknown;
  /** The stored object (UPDATE, DELETE); null for CREATE. */
  readonly oldObject: unknown;
  readonly dryRun: boolean;
}

export interface AdmissionStatus {
  readonly code: number;
  readonly reason: string;
  readonly message: string;
}

export interface AdmissionResponse {
  readonly uid: string;
  readonly allowed: boolean;
  readonly status?: AdmissionStatus;
  readonly warnings?: readonly string[];
}

export type ParsedReview = { ok: true; request: AdmissionRequest } | { ok: false; error: string };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown): string => (typeof v === 'string' ? v : '');

/** The request of an AdmissionReview; an error (for a 400) when it is not one we can answer. */
export function parseReview(body: unknown): ParsedReview {
  if (!isRecord(body)) return { ok: false, error: 'review: the body is not a JSON object' };
  if (body['kind'] !== 'AdmissionReview' || body['apiVersion'] !== REVIEW_API_VERSION) {
    return { ok: false, error: `review: expected ${REVIEW_API_VERSION} AdmissionReview, got ${text(body['apiVersion']) || '(no apiVersion)'} ${text(body['kind']) || '(no kind)'}` };
  }
  const r = body['request'];
  if (!isRecord(r)) return { ok: false, error: 'review: the AdmissionReview has no request' };
  const uid = text(r['uid']);
  if (uid === '') return { ok: false, error: 'review: request.uid is missing' };
  const operation = r['operation'];
  if (!Object.values(OPERATION).includes(operation as Operation)) return { ok: false, error: `review: request.operation ${JSON.stringify(operation)} is not one of CREATE, UPDATE, DELETE, CONNECT` };
  const kind = isRecord(r['kind']) ? r['kind'] : {};
  return {
    ok: true,
    request: {
      uid,
      kind: { group: text(kind['group']), version: text(kind['version']), kind: text(kind['kind']) },
      operation: operation as Operation,
      namespace: text(r['namespace']),
      name: text(r['name']),
      object: r['object'] ?? null,
      oldObject: r['oldObject'] ?? null,
      dryRun: r['dryRun'] === true,
    },
  };
}

/** The AdmissionReview that answers a request. */
export function reviewResponse(response: AdmissionResponse): Record<string, unknown> {
  const out: Record<string, unknown> = { uid: response.uid, allowed: response.allowed };
  if (response.status !== undefined) out['status'] = { ...response.status };
  if (response.warnings !== undefined && response.warnings.length > 0) out['warnings'] = [...response.warnings];
  return { apiVersion: REVIEW_API_VERSION, kind: 'AdmissionReview', response: out };
}
