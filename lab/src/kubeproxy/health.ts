// kube-proxy's two health servers as pure functions of plain state: the proxy server's /healthz
// and /livez, and the answer on each Local LoadBalancer Service's healthCheckNodePort.
//
// Matched from kubernetes/kubernetes (the newest stored copies of these files), facts only:
// pkg/proxy/healthcheck/proxy_health.go
//   - Per IP family: lastUpdated (set by Updated) and the oldest pending update (set by
//     QueuedUpdate only while unset, cleared by Updated). Only families with a lastUpdated are
//     judged; one is unhealthy once now - oldestPending >= healthTimeout. healthy = all healthy.
//   - Body is Go's json.Marshal of ProxyHealth: {"lastUpdated","currentTime","nodeEligible"
//     (/healthz only),"healthy","status":{"IPv4"|"IPv6":{"lastUpdated","healthy"}}}, no newline;
//     "status" is left out when empty. Times are Go time.Time JSON (RFC 3339, fraction without
//     trailing zeros; the zero time is "0001-01-01T00:00:00Z").
//   - On 200 the top-level lastUpdated is replaced by the current time; on 503 it is the newest
//     family lastUpdated. The per-family entries always carry the real lastUpdated.
//   - /healthz is 503 when !healthy or !nodeEligible, but its "healthy" field stays the proxiers'
//     health. /livez ignores the Node and has no nodeEligible field.
//   - Both set Content-Type: application/json and X-Content-Type-Options: nosniff.
//   - nodeEligible: false without a Node, with metadata.deletionTimestamp set, or with a taint
//     whose key is ToBeDeletedByClusterAutoscaler (any value or effect).
//   - Served by a Go ServeMux with exactly "/healthz" and "/livez": any method, query ignored;
//     anything else is Go's 404 ("404 page not found\n", text/plain; charset=utf-8, nosniff).
// pkg/proxy/healthcheck/service_health.go
//   - One handler for every path and method of the port. 200 when localEndpoints != 0 and the
//     proxy's Health().Healthy (the Node is not consulted), else 503.
//   - Headers: Content-Type: application/json, X-Content-Type-Options: nosniff,
//     X-Load-Balancing-Endpoint-Weight: <localEndpoints> (on 503 too).
//   - Body: the dedented tab-indented template {service:{namespace,name},localEndpoints,
//     serviceProxyHealthy}, trimmed of newlines at both ends.
//   - A Service's port is opened at the address "0.0.0.0:<port>" (nodePortAddresses unset), which
//     Go binds for IPv4 and IPv6 alike; in a dual-stack kube-proxy each family's proxier has its
//     own server and only the first to bind serves, with its own family's count (the other logs
//     "address already in use"; kubernetes issue #114702). PR #137370 (merged 2026-03, after the
//     stored copy, not backported to 1.35) gives each family its own socket instead; not followed here.
// pkg/proxy/endpointschangetracker.go (LocalReadyEndpoints), pkg/proxy/endpointslicecache.go
//   - localEndpoints = distinct addresses[0] over every port of the Service's slices of the
//     proxier's family, counting endpoints that are ready (unset = ready) and whose nodeName is
//     this node. Serving-but-terminating endpoints do not count; slice ports without a number
//     and endpoints without addresses or of the other family are ignored.
// pkg/proxy/servicechangetracker.go, pkg/proxy/serviceport.go (NeedsHealthCheck)
//   - A proxier knows a Service only if it has a ClusterIP of that proxier's family; it has a
//     health check when it is type LoadBalancer with externalTrafficPolicy Local and a non-zero
//     spec.healthCheckNodePort.
// pkg/proxy/nftables/proxier.go, pkg/proxy/metaproxier/meta_proxier.go
//   - SyncLoop calls Updated at start. A Service or EndpointSlice event (once both informers have
//     synced) and a Node label change call QueuedUpdate. Only a successful nft transaction calls
//     Updated, then SyncServices(health check ports) and SyncEndpoints(local ready counts): a
//     count is the one of the ruleset just written, and a failed sync changes nothing.
//   - EndpointSlices reach only the proxier of their addressType (FQDN: none); Services and Nodes both.
// cmd/kube-proxy/app/server.go: healthTimeout = 2 × the proxier's sync period (30 s by default).
// pkg/proxy/apis/config/v1alpha1/defaults.go: healthz address 0.0.0.0:10256, port 10256 added to a bare IP.
//
// Not matched: kube-proxy waits for its Node before serving and exits when it is deleted
// (pkg/proxy/node.go); the stand-in serves at once and keeps running, answering nodeEligible
// false meanwhile. Go's ServeMux redirects unclean paths ("//healthz") with a 301; here they are 404.

import { isIP } from 'node:net';
import { IP_FAMILIES, type EndpointSlice, type IPFamily, type NodeState, type Service } from './model.js';

/** The taint the Cluster Autoscaler puts on a Node it is about to delete. */
export const TO_BE_DELETED_TAINT = 'ToBeDeletedByClusterAutoscaler';
export const PROXY_HEALTHZ_PORT = 10256;
/** kube-proxy's 2 × 30 s default sync period; the stand-in has no sync period, so it is a flag. */
export const DEFAULT_HEALTH_TIMEOUT_MS = 60_000;

export interface HttpAnswer {
  readonly status: 200 | 404 | 503;
  /** In the order Go's handlers set them. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

// --- the proxy's own health -------------------------------------------------------------------

/** Times in ms since the epoch, per family; a missing entry is Go's missing map key. */
export interface ProxyHealthState {
  readonly lastUpdated: Readonly<Partial<Record<IPFamily, number>>>;
  readonly oldestQueued: Readonly<Partial<Record<IPFamily, number>>>;
}

export const EMPTY_PROXY_HEALTH: ProxyHealthState = { lastUpdated: {}, oldestQueued: {} };

/** QueuedUpdate: a change for these families is waiting for a sync; the oldest one counts. */
export function queuedUpdate(state: ProxyHealthState, families: readonly IPFamily[], now: number): ProxyHealthState {
  const oldestQueued = { ...state.oldestQueued };
  for (const f of families) oldestQueued[f] ??= now;
  return { ...state, oldestQueued };
}

/** Updated: these families' rules are in; whatever was queued before counts as done. */
export function updated(state: ProxyHealthState, families: readonly IPFamily[], now: number): ProxyHealthState {
  const lastUpdated = { ...state.lastUpdated };
  const oldestQueued = { ...state.oldestQueued };
  for (const f of families) {
    lastUpdated[f] = now;
    delete oldestQueued[f];
  }
  return { lastUpdated, oldestQueued };
}

export interface ProxierHealth {
  readonly lastUpdated: number;
  readonly healthy: boolean;
}

export interface ProxyHealth {
  /** The newest family lastUpdated; undefined is Go's zero time. */
  readonly lastUpdated: number | undefined;
  readonly currentTime: number;
  readonly healthy: boolean;
  readonly status: Readonly<Partial<Record<IPFamily, ProxierHealth>>>;
}

/** Health(): families never updated are not judged, so a fresh state is healthy. */
export function proxyHealth(state: ProxyHealthState, now: number, timeoutMs: number): ProxyHealth {
  let lastUpdated: number | undefined;
  let healthy = true;
  const status: Partial<Record<IPFamily, ProxierHealth>> = {};
  for (const family of IP_FAMILIES) {
    const last = state.lastUpdated[family];
    if (last === undefined) continue;
    if (lastUpdated === undefined || last > lastUpdated) lastUpdated = last;
    const queued = state.oldestQueued[family];
    const familyHealthy = queued === undefined || now - queued < timeoutMs;
    healthy &&= familyHealthy;
    status[family] = { lastUpdated: last, healthy: familyHealthy };
  }
  return { lastUpdated, currentTime: now, healthy, status };
}

/** NodeEligible(): no Node yet (or any more) is not eligible. */
export function nodeEligible(node: NodeState | undefined): boolean {
  return node !== undefined && node.deletionTimestamp === undefined && !node.taintKeys.includes(TO_BE_DELETED_TAINT);
}

const JSON_HEADERS = { 'Content-Type': 'application/json', 'X-Content-Type-Options': 'nosniff' } as const;

/** Go's time.Time JSON for a UTC instant in ms: RFC 3339 with the fraction's trailing zeros cut. */
export function goTime(ms: number | undefined): string {
  if (ms === undefined) return '0001-01-01T00:00:00Z';
  return new Date(ms).toISOString().replace(/\.?0*Z$/, 'Z');
}

function proxyHealthBody(health: ProxyHealth, lastUpdated: number | undefined, eligible: boolean | undefined): string {
  // Built by hand so the keys come in ProxyHealth's field order, as json.Marshal writes them.
  const status = IP_FAMILIES.flatMap((f) => {
    const s = health.status[f];
    return s === undefined ? [] : [`${JSON.stringify(f)}:{"lastUpdated":${JSON.stringify(goTime(s.lastUpdated))},"healthy":${s.healthy}}`];
  });
  return [
    `{"lastUpdated":${JSON.stringify(goTime(lastUpdated))}`,
    `"currentTime":${JSON.stringify(goTime(health.currentTime))}`,
    ...(eligible === undefined ? [] : [`"nodeEligible":${eligible}`]),
    `"healthy":${health.healthy}`,
    ...(status.length === 0 ? [] : [`"status":{${status.join(',')}}`]),
  ].join(',') + '}';
}

export function healthzAnswer(state: ProxyHealthState, node: NodeState | undefined, now: number, timeoutMs: number): HttpAnswer {
  const health = proxyHealth(state, now, timeoutMs);
  const eligible = nodeEligible(node);
  const ok = health.healthy && eligible;
  return { status: ok ? 200 : 503, headers: JSON_HEADERS, body: proxyHealthBody(health, ok ? now : health.lastUpdated, eligible) };
}

export function livezAnswer(state: ProxyHealthState, now: number, timeoutMs: number): HttpAnswer {
  const health = proxyHealth(state, now, timeoutMs);
  return { status: health.healthy ? 200 : 503, headers: JSON_HEADERS, body: proxyHealthBody(health, health.healthy ? now : health.lastUpdated, undefined) };
}

export const NOT_FOUND: HttpAnswer = {
  status: 404,
  headers: { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' },
  body: '404 page not found\n',
};

/** The proxy health server's mux: `target` is the request target, query and all. */
export function proxyHealthAnswer(target: string, state: ProxyHealthState, node: NodeState | undefined, now: number, timeoutMs: number): HttpAnswer {
  const path = target.split('?', 1)[0];
  if (path === '/healthz') return healthzAnswer(state, node, now, timeoutMs);
  if (path === '/livez') return livezAnswer(state, now, timeoutMs);
  return NOT_FOUND;
}

// --- which changes queue an update --------------------------------------------------------------

/** The families whose proxier an informer event reaches (metaproxier), from the raw objects. */
export function familiesOfChange(kind: 'Service' | 'EndpointSlice', objects: readonly unknown[]): IPFamily[] {
  const found = new Set<IPFamily>();
  for (const obj of objects) {
    if (typeof obj !== 'object' || obj === null) continue;
    if (kind === 'EndpointSlice') {
      const t = (obj as { addressType?: unknown }).addressType;
      if (t === 'IPv4' || t === 'IPv6') found.add(t);
      continue;
    }
    // Services go to both proxiers; only one with a ClusterIP of its family has anything to change.
    for (const f of serviceFamilies(obj)) found.add(f);
  }
  return IP_FAMILIES.filter((f) => found.has(f));
}

function serviceFamilies(obj: object): IPFamily[] {
  const spec = (obj as { spec?: { ipFamilies?: unknown; clusterIPs?: unknown; clusterIP?: unknown } }).spec;
  if (spec === undefined || spec === null) return [];
  if (Array.isArray(spec.ipFamilies) && spec.ipFamilies.length > 0) return IP_FAMILIES.filter((f) => (spec.ipFamilies as unknown[]).includes(f));
  const ips = Array.isArray(spec.clusterIPs) && spec.clusterIPs.length > 0 ? spec.clusterIPs : [spec.clusterIP];
  return IP_FAMILIES.filter((f) => ips.some((ip) => typeof ip === 'string' && isIP(ip) === (f === 'IPv4' ? 4 : 6)));
}

/** kube-proxy's proxiers Sync() on a Node add or update whose labels differ from the last seen, and on delete. */
export function nodeChangeQueues(lastLabels: Readonly<Record<string, string>> | undefined, next: NodeState | undefined): boolean {
  if (next === undefined) return true;
  const a = lastLabels;
  const b = next.labels;
  if (a === undefined || b === undefined) return a !== b;
  const keys = Object.keys(a);
  return keys.length !== Object.keys(b).length || keys.some((k) => a[k] !== b[k]);
}

// --- the per-Service health checks --------------------------------------------------------------

export interface ServiceHealthCheck {
  readonly namespace: string;
  readonly name: string;
  readonly port: number;
  /** The proxier whose server holds the port: the first to bind it, IPv4 when the Service has it. */
  readonly family: IPFamily;
  readonly localEndpoints: number;
}

export const serviceKey = (s: { readonly namespace: string; readonly name: string }): string => `${s.namespace}/${s.name}`;

/**
 * The health checks for this node, sorted by Service, from the same Services and EndpointSlices
 * a ruleset is built from; publish them only once that ruleset is applied.
 */
export function serviceHealthChecks(services: readonly Service[], slices: readonly EndpointSlice[], nodeName: string): ServiceHealthCheck[] {
  const checks: ServiceHealthCheck[] = [];
  for (const service of services) {
    if (service.type !== 'LoadBalancer' || service.externalTrafficPolicy !== 'Local' || service.healthCheckNodePort === undefined) continue;
    // A proxier's Service map has one entry per port; with none there is nothing to health-check.
    if (service.ports.length === 0) continue;
    // Both proxiers bind "0.0.0.0:port" (both families in Go); metaproxier hands every event to
    // the IPv4 one first, and at start-up it syncs first, so it is the one that holds the port.
    const family = IP_FAMILIES.find((f) => service.ipFamilies?.includes(f));
    if (family === undefined) continue;
    checks.push({ namespace: service.namespace, name: service.name, port: service.healthCheckNodePort, family, localEndpoints: localReadyEndpoints(service, slices, family, nodeName) });
  }
  return checks.sort((a, b) => serviceKey(a).localeCompare(serviceKey(b)));
}

/** LocalReadyEndpoints for one Service and family: distinct addresses, over all ports. */
export function localReadyEndpoints(service: Pick<Service, 'namespace' | 'name'>, slices: readonly EndpointSlice[], family: IPFamily, nodeName: string): number {
  const addresses = new Set<string>();
  const want = family === 'IPv4' ? 4 : 6;
  for (const slice of slices) {
    if (slice.namespace !== service.namespace || slice.serviceName !== service.name || slice.addressType !== family) continue;
    if (slice.ports.length === 0) continue;
    for (const e of slice.endpoints) {
      if (isIP(e.address) !== want) continue;
      if ((e.ready ?? true) && e.nodeName === nodeName) addresses.add(e.address);
    }
  }
  return addresses.size;
}

/** Go's %q for the ASCII names Kubernetes allows. */
const goQuote = (s: string): string => JSON.stringify(s);

/** The answer on a Service's health check port, whatever the path or method. */
export function serviceHealthAnswer(check: Pick<ServiceHealthCheck, 'namespace' | 'name' | 'localEndpoints'>, proxyHealthy: boolean): HttpAnswer {
  const count = check.localEndpoints;
  return {
    status: count !== 0 && proxyHealthy ? 200 : 503,
    headers: { ...JSON_HEADERS, 'X-Load-Balancing-Endpoint-Weight': String(count) },
    body: ['{', '\t"service": {', `\t\t"namespace": ${goQuote(check.namespace)},`, `\t\t"name": ${goQuote(check.name)}`, '\t},', `\t"localEndpoints": ${count},`, `\t"serviceProxyHealthy": ${proxyHealthy}`, '}'].join('\n'),
  };
}
