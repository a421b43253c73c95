// Kubernetes-shaped failures: one error type carrying the HTTP code, reason and details, and
// the one function that turns it into the `Status` object the real API server sends.

export const Reason = {
  BadRequest: 'BadRequest',
  NotFound: 'NotFound',
  AlreadyExists: 'AlreadyExists',
  Conflict: 'Conflict',
  Invalid: 'Invalid',
  Gone: 'Gone',
  Expired: 'Expired',
  MethodNotAllowed: 'MethodNotAllowed',
  UnsupportedMediaType: 'UnsupportedMediaType',
  NotAcceptable: 'NotAcceptable',
  InternalError: 'InternalError',
  Unauthorized: 'Unauthorized',
  Forbidden: 'Forbidden',
} as const;
export type Reason = (typeof Reason)[keyof typeof Reason];

export interface StatusCause {
  reason: string;
  message: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  causes?: StatusCause[];
}

export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message: string;
  reason?: string;
  details?: StatusDetails;
  code: number;
}

/** A request the API server refuses; `code` is the HTTP status it answers with. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly code: number,
    readonly reason: Reason,
    message: string,
    readonly details?: StatusDetails,
  ) {
    super(message);
  }
}

/** A refusal whose Status was built whole elsewhere (authentication, RBAC, admission webhooks). */
export class StatusError extends Error {
  override readonly name = 'StatusError';
  constructor(readonly status: Status) {
    super(status.message);
  }
}

/** Identifies an object in messages the way kube-apiserver does: `services "web"`. */
export interface Target {
  group: string;
  plural: string;
  kind: string;
  name: string;
}

function qualified(t: Target): string {
  return t.group === '' ? t.plural : `${t.plural}.${t.group}`;
}

export function notFound(t: Target): ApiError {
  return new ApiError(404, Reason.NotFound, `${qualified(t)} "${t.name}" not found`, {
    name: t.name,
    group: t.group,
    kind: t.plural,
  });
}

export function alreadyExists(t: Target): ApiError {
  return new ApiError(409, Reason.AlreadyExists, `${qualified(t)} "${t.name}" already exists`, {
    name: t.name,
    group: t.group,
    kind: t.plural,
  });
}

export function conflict(t: Target, why: string): ApiError {
  return new ApiError(409, Reason.Conflict, `Operation cannot be fulfilled on ${qualified(t)} "${t.name}": ${why}`, {
    name: t.name,
    group: t.group,
    kind: t.plural,
  });
}

export const STALE_OBJECT = 'the object has been modified; please apply your changes to the latest version and try again';

export function badRequest(message: string): ApiError {
  return new ApiError(400, Reason.BadRequest, message);
}

export function gone(message: string): ApiError {
  return new ApiError(410, Reason.Expired, message);
}

/** One field problem, phrased like apimachinery's field.Error. */
export interface FieldError {
  field: string;
  type: 'FieldValueInvalid' | 'FieldValueRequired' | 'FieldValueNotSupported' | 'FieldValueForbidden' | 'FieldValueTooLong' | 'FieldValueTooMany' | 'FieldValueDuplicate';
  detail: string;
}

export function fieldErrorText(e: FieldError): string {
  return `${e.field}: ${e.detail}`;
}

export function invalid(kind: string, group: string, name: string, errors: readonly FieldError[]): ApiError {
  const what = group === '' ? kind : `${kind}.${group}`;
  const texts = errors.map(fieldErrorText);
  const joined = texts.length === 1 ? texts[0] : `[${texts.join(', ')}]`;
  return new ApiError(422, Reason.Invalid, `${what} "${name}" is invalid: ${joined}`, {
    name,
    group,
    kind,
    causes: errors.map((e) => ({ reason: e.type, message: e.detail, field: e.field })),
  });
}

export function toStatus(err: ApiError): Status {
  const status: Status = {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: err.message,
    reason: err.reason,
    code: err.code,
  };
  if (err.details !== undefined) status.details = err.details;
  return status;
}
