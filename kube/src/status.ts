// The HTTP status an error carries, whichever client-node path raised it: ApiException
// (`code`), Watch (`statusCode`), our own HttpError, or a Status object itself.

export function statusCodeOf(err: unknown): number | undefined {
  return codeAt(err, 0);
}

function codeAt(err: unknown, depth: number): number | undefined {
  if (typeof err !== 'object' || err === null || depth > 3) return undefined;
  const e = err as Record<string, unknown>;
  for (const field of ['statusCode', 'code'] as const) {
    const v = e[field];
    // Node system errors put strings like 'ECONNREFUSED' in `code`: only HTTP-like numbers count.
    if (typeof v === 'number' && Number.isInteger(v) && v >= 100 && v <= 599) return v;
  }
  // ApiException keeps the Status object in `body`, and older paths nested it under `response`.
  for (const field of ['body', 'response'] as const) {
    const inner = e[field];
    if (typeof inner === 'object' && inner !== null) {
      const code = codeAt(inner, depth + 1);
      if (code !== undefined) return code;
    }
  }
  return undefined;
}

export const isConflict = (err: unknown): boolean => statusCodeOf(err) === 409;
export const isNotFound = (err: unknown): boolean => statusCodeOf(err) === 404;
export const isGone = (err: unknown): boolean => statusCodeOf(err) === 410;
