// The answers the real server's authentication and impersonation filters give when they refuse a
// request: the 401 Status body and the plain-text 500 of a filter error (403s: rbac/forbidden.ts).

import type { Status } from '../errors.js';
import { goQuote, sanitizeHtml } from '../go-text.js';

/** The 401 every failed authentication gets; the real reason goes to the log only. */
export function unauthorizedStatus(): Status {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 };
}

/** A response that is not a Status: the real filters answer some errors with Go's http.Error. */
export interface PlainTextResponse {
  readonly code: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** The plain-text 500 a filter answers when it cannot go on, e.g. a malformed impersonation. */
export function internalErrorText(requestUri: string, message: string): PlainTextResponse {
  return {
    code: 500,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' },
    body: `${sanitizeHtml(`Internal Server Error: ${goQuote(requestUri)}: ${message}`)}\n`,
  };
}
