// kube-proxy's answers as checks: pure functions from one HTTP answer (or its absence) to a
// ServiceCheck or ProxyCheck. Formats: k8s.io/kubernetes pkg/proxy/healthcheck, service_health.go
// (hcHandler) and proxy_health.go (healthzHandler); Cilium's replacement sends the same shapes.
//
// Service (healthCheckNodePort, any path): 200 when the Service has >= 1 local endpoint and the
// proxy is healthy, else 503; since 1.28 (kubernetes#118999; Cilium and Antrea too) also the header
// X-Load-Balancing-Endpoint-Weight: <localEndpoints>. serviceProxyHealthy came with KEP-3836.
//   {"service": {"namespace": "ns", "name": "web"}, "localEndpoints": 2, "serviceProxyHealthy": true}
// An unknown or closed Service gets an empty 200: that is why a 200 must carry the JSON to count.
//
// Proxy (:10256/healthz): 200 while the rules are in sync and the node is eligible, else 503.
//   older: {"lastUpdated": "<Go time.String()>","currentTime": "<...>", "nodeEligible": true}
//   newer: json.Marshal of ProxyHealth: {"lastUpdated":"<RFC 3339>","currentTime":"<RFC 3339>",
//          "nodeEligible":true,"healthy":true,"status":{"IPv4":{"lastUpdated":..,"healthy":true}}}
// nodeEligible came with KEP-3836 and Cilium does not send it; healthy is the newest. The times
// are read as opaque strings and kept out of the check (they change on every answer).
import { messageOf, ProbeRequestError, PROBE_FAILURE } from './errors.js';
import { CHECK_REASON, CHECK_STATUS, type CheckReason, type HttpAnswer, type ProxyCheck, type ServiceCheck } from './types.js';

export const WEIGHT_HEADER = 'x-load-balancing-endpoint-weight';

/** `http://127.0.0.1:31234/`, `http://[::1]:10256/healthz`. */
export function targetUrl(host: string, port: number, path: string): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}${path}`;
}

export type WeightHeader = { readonly kind: 'absent' } | { readonly kind: 'weight'; readonly weight: number } | { readonly kind: 'invalid'; readonly text: string };

/** A decimal integer >= 0 that is safe in a double; anything else ("-1", "2.5", "1, 2", "") is invalid. */
export function parseWeightHeader(value: string | undefined): WeightHeader {
  if (value === undefined) return { kind: 'absent' };
  const weight = Number(value);
  if (/^[0-9]+$/.test(value) && Number.isSafeInteger(weight)) return { kind: 'weight', weight };
  return { kind: 'invalid', text: value };
}

interface ServiceBody {
  readonly namespace: string;
  readonly name: string;
  readonly localEndpoints: number;
  readonly serviceProxyHealthy: boolean | undefined;
}

interface ProxyBody {
  readonly nodeEligible: boolean | undefined;
  /** The proxiers' own health, without the Node's eligibility. */
  readonly healthy: boolean | undefined;
}

type Read<T> = { readonly body: T } | { readonly problem: string };

const EXCERPT_CHARS = 80;

function excerpt(text: string): string {
  return JSON.stringify(text.length > EXCERPT_CHARS ? `${text.slice(0, EXCERPT_CHARS)}...` : text);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** JSON.parse plus the problems every body shares; `problem` completes "body is not kube-proxy's JSON: ...". */
function readJson(answer: HttpAnswer): Read<Record<string, unknown>> {
  if (answer.truncated) return { problem: `longer than ${Buffer.byteLength(answer.body)} bytes` };
  if (answer.body.trim() === '') return { problem: 'empty' };
  let value: unknown;
  try {
    value = JSON.parse(answer.body);
  } catch (error) {
    return { problem: (error as Error).message };
  }
  if (!isObject(value)) return { problem: `not an object: ${excerpt(answer.body)}` };
  return { body: value };
}

export function readServiceBody(answer: HttpAnswer): Read<ServiceBody> {
  const json = readJson(answer);
  if (!('body' in json)) return json;
  const { service, localEndpoints, serviceProxyHealthy } = json.body;
  if (!isObject(service) || typeof service['namespace'] !== 'string' || typeof service['name'] !== 'string') {
    return { problem: `"service" is not {"namespace", "name"}: ${excerpt(answer.body)}` };
  }
  if (typeof localEndpoints !== 'number' || !Number.isSafeInteger(localEndpoints) || localEndpoints < 0) {
    return { problem: `"localEndpoints" is not an integer >= 0: ${excerpt(answer.body)}` };
  }
  if (serviceProxyHealthy !== undefined && typeof serviceProxyHealthy !== 'boolean') {
    return { problem: `"serviceProxyHealthy" is not true or false: ${excerpt(answer.body)}` };
  }
  return { body: { namespace: service['namespace'], name: service['name'], localEndpoints, serviceProxyHealthy } };
}

export function readProxyBody(answer: HttpAnswer): Read<ProxyBody> {
  const json = readJson(answer);
  if (!('body' in json)) return json;
  const { lastUpdated, currentTime, nodeEligible, healthy } = json.body;
  if (typeof lastUpdated !== 'string' || typeof currentTime !== 'string') {
    return { problem: `"lastUpdated" and "currentTime" are not both strings: ${excerpt(answer.body)}` };
  }
  if (nodeEligible !== undefined && typeof nodeEligible !== 'boolean') {
    return { problem: `"nodeEligible" is not true or false: ${excerpt(answer.body)}` };
  }
  if (healthy !== undefined && typeof healthy !== 'boolean') return { problem: `"healthy" is not true or false: ${excerpt(answer.body)}` };
  return { body: { nodeEligible, healthy } };
}

function notKubeProxy(problem: string): string {
  return `body is not kube-proxy's JSON: ${problem}`;
}

/**
 * The Service check for one answer on its healthCheckNodePort. `key` is "namespace/name": a body
 * naming another Service means the port was handed to someone else, and is failing.
 */
export function serviceCheck(key: string, url: string, answer: HttpAnswer, checkedAt: number): ServiceCheck {
  const asked = `GET ${url} answered ${answer.status}`;
  const failing = (reason: CheckReason, detail: string, localEndpoints?: number): ServiceCheck => ({
    status: CHECK_STATUS.Failing,
    reason,
    httpStatus: answer.status,
    ...(localEndpoints === undefined ? {} : { localEndpoints }),
    detail,
    checkedAt,
  });
  if (answer.status !== 200 && answer.status !== 503) return failing(CHECK_REASON.UnexpectedStatus, `${asked}, not kube-proxy's 200 or 503`);

  const read = readServiceBody(answer);
  if ('problem' in read) {
    return answer.status === 200
      ? failing(CHECK_REASON.BadBody, `${asked} but the ${notKubeProxy(read.problem)}`)
      : failing(CHECK_REASON.Unavailable, `${asked}; ${notKubeProxy(read.problem)}`);
  }
  const body = read.body;
  const named = `${body.namespace}/${body.name}`;
  if (named !== key) return failing(CHECK_REASON.WrongService, `${asked} for ${named}, not ${key}`, body.localEndpoints);
  const facts = [`localEndpoints ${body.localEndpoints}`];
  if (body.serviceProxyHealthy === false) facts.push('serviceProxyHealthy false');

  if (answer.status === 503) {
    if (body.localEndpoints === 0) return failing(CHECK_REASON.NoLocalEndpoints, `${asked} (${facts.join(', ')})`, 0);
    if (body.serviceProxyHealthy === false) {
      return failing(CHECK_REASON.ProxyNotSynced, `${asked} (${facts.join(', ')}: kube-proxy's rules are not in sync)`, body.localEndpoints);
    }
    return failing(CHECK_REASON.Unavailable, `${asked} (${facts.join(', ')})`, body.localEndpoints);
  }

  if (body.localEndpoints === 0) return failing(CHECK_REASON.Contradiction, `${asked} with localEndpoints 0 (kube-proxy answers 200 only with a local endpoint)`, 0);
  if (body.serviceProxyHealthy === false) return failing(CHECK_REASON.Contradiction, `${asked} with serviceProxyHealthy false`, body.localEndpoints);
  const header = parseWeightHeader(answer.headers[WEIGHT_HEADER]);
  const ok = (detail: string, weight?: number): ServiceCheck => ({
    status: CHECK_STATUS.Ok,
    reason: CHECK_REASON.Ok,
    httpStatus: 200,
    localEndpoints: body.localEndpoints,
    ...(weight === undefined ? {} : { weight }),
    detail: `${asked} (${detail})`,
    checkedAt,
  });
  switch (header.kind) {
    case 'absent':
      return ok(`${facts.join(', ')}; no X-Load-Balancing-Endpoint-Weight header, unweighted`);
    case 'invalid':
      return ok(`${facts.join(', ')}; X-Load-Balancing-Endpoint-Weight ${excerpt(header.text)} is not an integer >= 0, unweighted`);
    case 'weight':
      if (header.weight === 0) return failing(CHECK_REASON.Contradiction, `${asked} with X-Load-Balancing-Endpoint-Weight 0`, body.localEndpoints);
      if (header.weight !== body.localEndpoints) return ok(`${facts.join(', ')}, weight ${header.weight}: header and body disagree, the header counts`, header.weight);
      return ok(`${facts.join(', ')}, weight ${header.weight}`, header.weight);
  }
}

/** The proxy check for one answer on /healthz. */
export function proxyCheck(url: string, answer: HttpAnswer, checkedAt: number): ProxyCheck {
  const asked = `GET ${url} answered ${answer.status}`;
  const failing = (reason: CheckReason, detail: string, nodeEligible?: boolean): ProxyCheck => ({
    status: CHECK_STATUS.Failing,
    reason,
    httpStatus: answer.status,
    ...(nodeEligible === undefined ? {} : { nodeEligible }),
    detail,
    checkedAt,
  });
  if (answer.status !== 200 && answer.status !== 503) return failing(CHECK_REASON.UnexpectedStatus, `${asked}, not kube-proxy's 200 or 503`);
  const read = readProxyBody(answer);
  if ('problem' in read) {
    return answer.status === 200
      ? failing(CHECK_REASON.BadBody, `${asked} but the ${notKubeProxy(read.problem)}`)
      : failing(CHECK_REASON.Unavailable, `${asked}; ${notKubeProxy(read.problem)}`);
  }
  const { nodeEligible, healthy } = read.body;
  if (answer.status === 503) {
    if (nodeEligible === false) {
      return failing(CHECK_REASON.NodeNotEligible, `${asked} (nodeEligible false: the node is being deleted or tainted ToBeDeletedByClusterAutoscaler)`, false);
    }
    return failing(CHECK_REASON.ProxyNotSynced, `${asked} (kube-proxy's rules are not in sync)`, nodeEligible);
  }
  if (nodeEligible === false) return failing(CHECK_REASON.Contradiction, `${asked} with nodeEligible false`, false);
  if (healthy === false) return failing(CHECK_REASON.Contradiction, `${asked} with healthy false`, nodeEligible);
  return {
    status: CHECK_STATUS.Ok,
    reason: CHECK_REASON.Ok,
    httpStatus: 200,
    ...(nodeEligible === undefined ? {} : { nodeEligible }),
    detail: nodeEligible === undefined ? `${asked} (no nodeEligible field)` : `${asked} (nodeEligible true)`,
    checkedAt,
  };
}

const UNREACHABLE_REASON = {
  [PROBE_FAILURE.Timeout]: CHECK_REASON.Timeout,
  [PROBE_FAILURE.Refused]: CHECK_REASON.Refused,
  [PROBE_FAILURE.Reset]: CHECK_REASON.Reset,
  [PROBE_FAILURE.Network]: CHECK_REASON.NetworkError,
  [PROBE_FAILURE.Aborted]: CHECK_REASON.NetworkError,
} as const satisfies Record<(typeof PROBE_FAILURE)[keyof typeof PROBE_FAILURE], CheckReason>;

/** The check for a probe without an HTTP answer; serves as a ServiceCheck and a ProxyCheck alike. */
export function unreachableCheck(error: unknown, checkedAt: number): ServiceCheck & ProxyCheck {
  if (error instanceof ProbeRequestError) return { status: CHECK_STATUS.Unreachable, reason: UNREACHABLE_REASON[error.reason], detail: error.detail, checkedAt };
  return { status: CHECK_STATUS.Unreachable, reason: CHECK_REASON.NetworkError, detail: `request failed: ${messageOf(error)}`, checkedAt };
}

/** Two checks say the same (only checkedAt may differ): no 'change' event, no end of a burst. */
export function sameAnswer(a: ServiceCheck | ProxyCheck | undefined, b: ServiceCheck | ProxyCheck | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return answerSignature(a) === answerSignature(b);
}

/** Every field but checkedAt, as one comparable string. */
export function answerSignature(check: ServiceCheck | ProxyCheck): string {
  const service = check as ServiceCheck;
  const proxy = check as ProxyCheck;
  return JSON.stringify([check.status, check.reason, check.httpStatus, service.localEndpoints, service.weight, proxy.nodeEligible, check.detail]);
}
