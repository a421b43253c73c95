// The data-plane prober's failure types: a probe that got no HTTP answer (counted by reason, turned
// into an 'unreachable' check, never thrown past the prober) and local problems (bad options, bad targets).
export const PROBE_FAILURE = {
  /** No complete answer within the timeout (connect, headers or body). */
  Timeout: 'timeout',
  /** Nothing listens on the port: kube-proxy is down, or has not opened this Service's port yet. */
  Refused: 'refused',
  /** The connection was closed or reset before the answer was complete. */
  Reset: 'reset',
  /** Anything else below HTTP: no route, an answer that is not HTTP, a request that threw. */
  Network: 'network',
  /** The prober gave the request up (target removed, prober stopped); never becomes a check. */
  Aborted: 'aborted',
} as const;
export type ProbeFailure = (typeof PROBE_FAILURE)[keyof typeof PROBE_FAILURE];

/** A probe without an HTTP answer; `detail` is the plain words a check shows ("connect ECONNREFUSED 127.0.0.1:31234"). */
export class ProbeRequestError extends Error {
  override readonly name = 'ProbeRequestError';
  constructor(
    readonly reason: ProbeFailure,
    readonly detail: string,
    options?: ErrorOptions,
  ) {
    super(`dataplane: ${detail}`, options);
  }
}

/** Options or targets no caller of ours should build (a port out of range, a host that is not an IP). */
export class DataPlaneError extends Error {
  override readonly name = 'DataPlaneError';
  constructor(message: string) {
    super(`dataplane: ${message}`);
  }
}

/** The one wording of a timeout, whether the request's own timer or the prober's fired first. */
export function timeoutError(timeoutMs: number): ProbeRequestError {
  return new ProbeRequestError(PROBE_FAILURE.Timeout, `timed out after ${timeoutMs} ms`);
}

/** An error's message; duck-typed, since errors from node's core belong to another realm under jest's VM modules. */
export function messageOf(error: unknown): string {
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : String(error);
}
