// What the prober reports about kube-proxy's health servers on this node, and the one HTTP call
// it makes (injected, so tests run without sockets).

export const CHECK_STATUS = {
  /** kube-proxy says this node serves it now: announce. */
  Ok: 'ok',
  /** kube-proxy answered, and the answer is not a clean yes (503, another code, a garbled body). */
  Failing: 'failing',
  /** No HTTP answer: refused, reset, timed out. */
  Unreachable: 'unreachable',
} as const;
export type CheckStatus = (typeof CHECK_STATUS)[keyof typeof CHECK_STATUS];

/** Why a check has its status; one word a metric label or `headland explain` can switch on. */
export const CHECK_REASON = {
  Ok: 'Ok',
  /** Service: 503 with localEndpoints 0 (nothing ready on this node as kube-proxy sees it). */
  NoLocalEndpoints: 'NoLocalEndpoints',
  /** 503 because kube-proxy's rules are not in sync (serviceProxyHealthy false; /healthz 503). */
  ProxyNotSynced: 'ProxyNotSynced',
  /** /healthz 503 with nodeEligible false: the node is being deleted or tainted ToBeDeletedByClusterAutoscaler. */
  NodeNotEligible: 'NodeNotEligible',
  /** 503 whose body does not say why. */
  Unavailable: 'Unavailable',
  /** A code that is neither 200 nor 503. */
  UnexpectedStatus: 'UnexpectedStatus',
  /** The body names another Service: the port belongs to someone else now. */
  WrongService: 'WrongService',
  /** The body is not kube-proxy's JSON (not JSON, wrong shape, too long, empty). */
  BadBody: 'BadBody',
  /** A 200 that contradicts itself (localEndpoints 0, weight 0, serviceProxyHealthy or nodeEligible false). */
  Contradiction: 'Contradiction',
  Timeout: 'Timeout',
  Refused: 'Refused',
  Reset: 'Reset',
  NetworkError: 'NetworkError',
} as const;
export type CheckReason = (typeof CHECK_REASON)[keyof typeof CHECK_REASON];

interface Check {
  readonly status: CheckStatus;
  readonly reason: CheckReason;
  /** The HTTP code, when there was an answer. */
  readonly httpStatus?: number;
  /** Human words: `GET http://127.0.0.1:31234/ answered 503 (localEndpoints 0)`, `connect ECONNREFUSED 127.0.0.1:31234`. */
  readonly detail: string;
  /** Clock time the answer (or the failure) came in, ms. */
  readonly checkedAt: number;
}

/** kube-proxy's answer on a Local Service's healthCheckNodePort. */
export interface ServiceCheck extends Check {
  /** From the body, when it was kube-proxy's JSON. */
  readonly localEndpoints?: number;
  /** X-Load-Balancing-Endpoint-Weight; only on an 'ok' check whose header was a non-negative integer. */
  readonly weight?: number;
}

/** kube-proxy's answer on :10256/healthz. */
export interface ProxyCheck extends Check {
  /** From the body; older kube-proxy (before KEP-3836) and Cilium's replacement do not send it. */
  readonly nodeEligible?: boolean;
}

/** The key `poke` and the 'change' event use for the /healthz check; Service keys are "namespace/name". */
export const PROXY_KEY = 'proxy';

/** One HTTP answer, whatever its code. */
export interface HttpAnswer {
  readonly status: number;
  /** Lower-case names; a header sent twice is joined with ", " (node:http does this). */
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** At most `maxBodyBytes` bytes of it, as UTF-8. */
  readonly body: string;
  /** The body was longer than `maxBodyBytes` and was cut there. */
  readonly truncated: boolean;
}

export interface HttpGetTarget {
  /** An IP literal, IPv6 without brackets. */
  readonly host: string;
  readonly port: number;
  readonly path: string;
}

export interface HttpGetOptions {
  readonly timeoutMs: number;
  readonly maxBodyBytes: number;
  /** Aborted when the prober gives the request up; the request must then close its socket and settle. */
  readonly signal: AbortSignal;
}

/**
 * One GET. Resolves with any HTTP answer (a 503 is an answer); rejects with a ProbeRequestError
 * when there is none (anything else it throws is reported as a network error).
 */
export type HttpGet = (target: HttpGetTarget, options: HttpGetOptions) => Promise<HttpAnswer>;
