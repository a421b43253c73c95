// How the registry's refusals read: apimachinery field errors with Go's value formatting, and the
// three shapes a failed allocation takes on the wire (422 Invalid, 500 InternalError, 500 unknown).

import { ApiError, invalid, Reason, type FieldError, type StatusCause } from '../errors.js';

export type Failure =
  | { kind: 'invalid'; errors: FieldError[] }
  /** errors.NewInternalError: "Internal error occurred: ..." with the text as the one cause. */
  | { kind: 'internal'; message: string }
  /** A plain Go error reaching the handler: code 500, no reason, the text as the message. */
  | { kind: 'unknown'; message: string };

/** strconv.Quote for the strings this module prints. */
export function goQuote(s: string): string {
  const named: Record<string, string> = { '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v', '"': '\\"', '\\': '\\\\' };
  let out = '';
  for (const ch of s) {
    const code = ch.codePointAt(0) ?? 0;
    if (named[ch] !== undefined) out += named[ch];
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return `"${out}"`;
}

/** %#v of a slice of a string type: []string(nil), []string{}, []core.IPFamily{"IPv4", "IPv6"}. */
export function goSlice(items: readonly string[] | undefined, type = 'string'): string {
  if (items === undefined) return `[]${type}(nil)`;
  return `[]${type}{${items.map(goQuote).join(', ')}}`;
}

/** A pointer to a named string type, as field errors print it: the quoted value, or null. */
export function goPtr(v: string | undefined): string {
  return v === undefined ? 'null' : goQuote(v);
}

export function fieldInvalid(field: string, value: string, detail: string): FieldError {
  return { field, type: 'FieldValueInvalid', detail: `Invalid value: ${value}: ${detail}` };
}

export function fieldRequired(field: string): FieldError {
  return { field, type: 'FieldValueRequired', detail: 'Required value' };
}

export function fieldForbidden(field: string, detail: string): FieldError {
  return { field, type: 'FieldValueForbidden', detail: `Forbidden: ${detail}` };
}

export function fieldNotSupported(field: string, value: string, supported: readonly string[]): FieldError {
  return { field, type: 'FieldValueNotSupported', detail: `Unsupported value: ${value}: supported values: ${supported.map(goQuote).join(', ')}` };
}

export function fieldDuplicate(field: string, value: string): FieldError {
  return { field, type: 'FieldValueDuplicate', detail: `Duplicate value: ${value}` };
}

export const invalidFailure = (errors: FieldError[]): Failure => ({ kind: 'invalid', errors });
export const internalFailure = (message: string): Failure => ({ kind: 'internal', message });

/** The ApiError kube-apiserver would answer with for this Service name. */
export function toApiError(name: string, f: Failure): ApiError {
  switch (f.kind) {
    case 'invalid':
      return invalid('Service', '', name, f.errors);
    case 'internal': {
      // The real cause carries only a message; StatusCause in errors.ts insists on a reason.
      const cause = { message: f.message } as StatusCause;
      return new ApiError(500, Reason.InternalError, `Internal error occurred: ${f.message}`, { causes: [cause] });
    }
    case 'unknown':
      // metav1.StatusReasonUnknown is the empty string; errors.ts has no name for it.
      return new ApiError(500, '' as string as Reason, f.message);
  }
}
