import {
  EMPTY_PROXY_HEALTH,
  familiesOfChange,
  goTime,
  healthzAnswer,
  livezAnswer,
  localReadyEndpoints,
  nodeChangeQueues,
  nodeEligible,
  proxyHealth,
  proxyHealthAnswer,
  queuedUpdate,
  serviceHealthAnswer,
  serviceHealthChecks,
  updated,
  type ProxyHealthState,
} from './health.js';
import type { Endpoint, EndpointSlice, IPFamily, NodeState, Service } from './model.js';

const T0 = Date.UTC(2026, 0, 2, 3, 4, 5, 0);
const TIMEOUT = 60_000;
const both: IPFamily[] = ['IPv4', 'IPv6'];
const node: NodeState = { name: 'n1', taintKeys: [] };

test.each<[number | undefined, string]>([
  [undefined, '0001-01-01T00:00:00Z'],
  [T0, '2026-01-02T03:04:05Z'],
  [T0 + 120, '2026-01-02T03:04:05.12Z'],
  [T0 + 7, '2026-01-02T03:04:05.007Z'],
])('goTime(%p) is Go time.Time JSON: %s', (ms, text) => {
  expect(goTime(ms)).toBe(text);
});

// Sequential: each row applies an event to the state the previous row left, then reads Health().
test('proxy health follows QueuedUpdate / Updated per family against the timeout', () => {
  type Step = [string, (s: ProxyHealthState) => ProxyHealthState, number, boolean, Partial<Record<IPFamily, boolean>>];
  const steps: Step[] = [
    ['nothing updated yet: nothing judged, healthy', (s) => s, T0, true, {}],
    ['queued before any Updated: still not judged', (s) => queuedUpdate(s, ['IPv4'], T0), T0 + TIMEOUT * 2, true, {}],
    ['sync loop starts: both updated', (s) => updated(s, both, T0), T0, true, { IPv4: true, IPv6: true }],
    ['IPv4 queued at +1s', (s) => queuedUpdate(s, ['IPv4'], T0 + 1_000), T0 + 1_000, true, { IPv4: true, IPv6: true }],
    ['a later queue keeps the oldest time', (s) => queuedUpdate(s, ['IPv4'], T0 + 30_000), T0 + 60_999, true, { IPv4: true, IPv6: true }],
    ['waited exactly the timeout: unhealthy', (s) => s, T0 + 61_000, false, { IPv4: false, IPv6: true }],
    ['Updated clears it', (s) => updated(s, both, T0 + 62_000), T0 + 200_000, true, { IPv4: true, IPv6: true }],
  ];
  let state = EMPTY_PROXY_HEALTH;
  for (const [what, step, now, healthy, families] of steps) {
    state = step(state);
    const h = proxyHealth(state, now, TIMEOUT);
    expect({ what, healthy: h.healthy, families: Object.fromEntries(Object.entries(h.status).map(([f, s]) => [f, s.healthy])) }).toEqual({ what, healthy, families });
  }
});

test.each<[string, NodeState | undefined, boolean]>([
  ['a plain Node', node, true],
  ['no Node (not seen yet, or deleted)', undefined, false],
  ['being deleted', { ...node, deletionTimestamp: '2026-01-02T03:04:05Z' }, false],
  ['marked by the Cluster Autoscaler', { ...node, taintKeys: ['node.kubernetes.io/unschedulable', 'ToBeDeletedByClusterAutoscaler'] }, false],
  ['other taints only', { ...node, taintKeys: ['node.kubernetes.io/unschedulable'] }, true],
])('nodeEligible: %s', (_what, n, eligible) => {
  expect(nodeEligible(n)).toBe(eligible);
});

const fresh = updated(EMPTY_PROXY_HEALTH, both, T0);
const late = queuedUpdate(fresh, ['IPv6'], T0 + 1_000);
const json = { 'Content-Type': 'application/json', 'X-Content-Type-Options': 'nosniff' };
const status = (v4: boolean, v6: boolean) => `"status":{"IPv4":{"lastUpdated":"2026-01-02T03:04:05Z","healthy":${v4}},"IPv6":{"lastUpdated":"2026-01-02T03:04:05Z","healthy":${v6}}}`;

test.each<[string, ProxyHealthState, NodeState | undefined, number, 200 | 503, string]>([
  ['healthy: lastUpdated is now', fresh, node, T0 + 5_500, 200, `{"lastUpdated":"2026-01-02T03:04:10.5Z","currentTime":"2026-01-02T03:04:10.5Z","nodeEligible":true,"healthy":true,${status(true, true)}}`],
  ['an update queued too long: 503 with the real lastUpdated', late, node, T0 + 61_000, 503, `{"lastUpdated":"2026-01-02T03:04:05Z","currentTime":"2026-01-02T03:05:06Z","nodeEligible":true,"healthy":false,${status(true, false)}}`],
  ['Node being deleted: 503, yet "healthy" is the proxy\'s', fresh, { ...node, deletionTimestamp: 'x' }, T0 + 1_000, 503, `{"lastUpdated":"2026-01-02T03:04:05Z","currentTime":"2026-01-02T03:04:06Z","nodeEligible":false,"healthy":true,${status(true, true)}}`],
  ['no Node known', fresh, undefined, T0, 503, `{"lastUpdated":"2026-01-02T03:04:05Z","currentTime":"2026-01-02T03:04:05Z","nodeEligible":false,"healthy":true,${status(true, true)}}`],
  ['never updated: zero time, no status', EMPTY_PROXY_HEALTH, undefined, T0, 503, '{"lastUpdated":"0001-01-01T00:00:00Z","currentTime":"2026-01-02T03:04:05Z","nodeEligible":false,"healthy":true}'],
])('/healthz: %s', (_what, state, n, now, code, body) => {
  expect(healthzAnswer(state, n, now, TIMEOUT)).toEqual({ status: code, headers: json, body });
});

test.each<[string, ProxyHealthState, number, 200 | 503, string]>([
  ['healthy, whatever the Node', fresh, T0 + 1_000, 200, `{"lastUpdated":"2026-01-02T03:04:06Z","currentTime":"2026-01-02T03:04:06Z","healthy":true,${status(true, true)}}`],
  ['queued too long', late, T0 + 61_000, 503, `{"lastUpdated":"2026-01-02T03:04:05Z","currentTime":"2026-01-02T03:05:06Z","healthy":false,${status(true, false)}}`],
])('/livez: %s', (_what, state, now, code, body) => {
  expect(livezAnswer(state, now, TIMEOUT)).toEqual({ status: code, headers: json, body });
});

test.each<[string, number]>([
  ['/healthz', 503],
  ['/healthz?verbose=1', 503],
  ['/livez', 200],
  ['/livez?x', 200],
  ['/healthz/', 404],
  ['/', 404],
  ['/metrics', 404],
  ['/HEALTHZ', 404],
])('proxy health mux: %s -> %d', (target, code) => {
  const answer = proxyHealthAnswer(target, fresh, undefined, T0, TIMEOUT);
  expect(answer.status).toBe(code);
  if (code === 404) expect(answer).toEqual({ status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' }, body: '404 page not found\n' });
});

const svc = (over: Partial<Service> = {}): Service => ({
  namespace: 'shop',
  name: 'web',
  type: 'LoadBalancer',
  externalTrafficPolicy: 'Local',
  ports: [{ name: 'http', protocol: 'TCP', port: 80 }],
  loadBalancerIPs: ['203.0.113.10'],
  ipFamilies: ['IPv4'],
  healthCheckNodePort: 31000,
  ...over,
});
const slice = (name: string, endpoints: Endpoint[], over: Partial<EndpointSlice> = {}): EndpointSlice => ({
  namespace: 'shop',
  name,
  serviceName: 'web',
  addressType: 'IPv4',
  ports: [{ name: 'http', protocol: 'TCP', port: 8080 }],
  endpoints,
  ...over,
});
const ep = (address: string, nodeName: string | undefined, conditions: Partial<Endpoint> = {}): Endpoint => ({ address, ...(nodeName === undefined ? {} : { nodeName }), ...conditions });

test.each<[string, EndpointSlice[], IPFamily, number]>([
  ['ready local endpoints count', [slice('a', [ep('10.0.1.2', 'n1'), ep('10.0.1.3', 'n1', { ready: true })])], 'IPv4', 2],
  ['ready unset counts as ready', [slice('a', [ep('10.0.1.2', 'n1', { serving: true })])], 'IPv4', 1],
  ['not ready does not count', [slice('a', [ep('10.0.1.2', 'n1', { ready: false })])], 'IPv4', 0],
  ['terminating but serving does not count', [slice('a', [ep('10.0.1.2', 'n1', { ready: false, serving: true, terminating: true })])], 'IPv4', 0],
  ['other nodes and no node do not count', [slice('a', [ep('10.0.2.2', 'n2'), ep('10.0.9.9', undefined)])], 'IPv4', 0],
  ['one address on two ports and in two slices is one endpoint', [slice('a', [ep('10.0.1.2', 'n1')], { ports: [{ name: 'http', protocol: 'TCP', port: 8080 }, { name: 'https', protocol: 'TCP', port: 8443 }] }), slice('b', [ep('10.0.1.2', 'n1')])], 'IPv4', 1],
  ['a slice without ports gives no endpoints', [slice('a', [ep('10.0.1.2', 'n1')], { ports: [] })], 'IPv4', 0],
  ['other Services\' slices do not count', [slice('a', [ep('10.0.1.2', 'n1')], { serviceName: 'api' }), slice('b', [ep('10.0.1.3', 'n1')], { namespace: 'other' })], 'IPv4', 0],
  ['only the family asked for', [slice('a', [ep('10.0.1.2', 'n1')]), slice('b', [ep('fd00::1:2', 'n1'), ep('fd00::1:3', 'n1')], { addressType: 'IPv6' })], 'IPv6', 2],
  ['FQDN slices never count', [slice('a', [ep('pod.example', 'n1')], { addressType: 'FQDN' })], 'IPv4', 0],
])('localReadyEndpoints: %s', (_what, slices, family, count) => {
  expect(localReadyEndpoints(svc(), slices, family, 'n1')).toBe(count);
});

const v4v6 = [slice('v4', [ep('10.0.1.2', 'n1')]), slice('v6', [ep('fd00::1:2', 'n1'), ep('fd00::1:3', 'n1')], { addressType: 'IPv6' })];

test.each<[string, Service[], string[]]>([
  ['a Local LoadBalancer with a health check port', [svc()], ['shop/web :31000 IPv4 1']],
  ['Cluster policy: none', [svc({ externalTrafficPolicy: 'Cluster' })], []],
  ['not a LoadBalancer: none', [svc({ type: 'NodePort' })], []],
  ['no healthCheckNodePort: none', [svc()].map(({ healthCheckNodePort: _, ...s }) => s), []],
  ['no ClusterIP family: kube-proxy skips the Service', [svc()].map(({ ipFamilies: _, ...s }) => s), []],
  ['no ports: no entry in the Service map', [svc({ ports: [] })], []],
  ['dual-stack: the IPv4 proxier holds the port', [svc({ ipFamilies: ['IPv6', 'IPv4'] })], ['shop/web :31000 IPv4 1']],
  ['IPv6 only: the IPv6 proxier and its endpoints', [svc({ ipFamilies: ['IPv6'] })], ['shop/web :31000 IPv6 2']],
  ['sorted by Service', [svc({ name: 'web', healthCheckNodePort: 31002 }), svc({ name: 'api', healthCheckNodePort: 31001 })], ['shop/api :31001 IPv4 0', 'shop/web :31002 IPv4 1']],
])('serviceHealthChecks: %s', (_what, services, want) => {
  expect(serviceHealthChecks(services, v4v6, 'n1').map((c) => `${c.namespace}/${c.name} :${c.port} ${c.family} ${c.localEndpoints}`)).toEqual(want);
});

test.each<[string, number, boolean, 200 | 503]>([
  ['endpoints and a healthy proxy', 2, true, 200],
  ['no local endpoints', 0, true, 503],
  ['endpoints but the proxy is behind', 3, false, 503],
])('service health answer: %s', (_what, count, healthy, code) => {
  const answer = serviceHealthAnswer({ namespace: 'shop', name: 'web', localEndpoints: count }, healthy);
  expect(answer.status).toBe(code);
  expect(answer.headers).toEqual({ ...json, 'X-Load-Balancing-Endpoint-Weight': String(count) });
  // The dedented Go template: tabs, no newline at either end.
  expect(answer.body).toBe(`{\n\t"service": {\n\t\t"namespace": "shop",\n\t\t"name": "web"\n\t},\n\t"localEndpoints": ${count},\n\t"serviceProxyHealthy": ${healthy}\n}`);
  expect(JSON.parse(answer.body)).toEqual({ service: { namespace: 'shop', name: 'web' }, localEndpoints: count, serviceProxyHealthy: healthy });
});

test.each<[string, 'Service' | 'EndpointSlice', unknown[], IPFamily[]]>([
  ['IPv4 slice', 'EndpointSlice', [{ addressType: 'IPv4' }], ['IPv4']],
  ['IPv6 slice', 'EndpointSlice', [{ addressType: 'IPv6' }], ['IPv6']],
  ['FQDN slice reaches no proxier', 'EndpointSlice', [{ addressType: 'FQDN' }], []],
  ['dual-stack Service', 'Service', [{ spec: { ipFamilies: ['IPv6', 'IPv4'] } }], ['IPv4', 'IPv6']],
  ['Service without ipFamilies: from clusterIPs', 'Service', [{ spec: { clusterIPs: ['fd00::10'] } }], ['IPv6']],
  ['Service with only clusterIP', 'Service', [{ spec: { clusterIP: '10.96.0.10' } }], ['IPv4']],
  ['headless Service', 'Service', [{ spec: { clusterIP: 'None' } }], []],
  ['a family dropped by an update still changes', 'Service', [{ spec: { ipFamilies: ['IPv4'] } }, { spec: { ipFamilies: ['IPv4', 'IPv6'] } }], ['IPv4', 'IPv6']],
])('familiesOfChange: %s', (_what, kind, objects, families) => {
  expect(familiesOfChange(kind, objects)).toEqual(families);
});

test.each<[string, Record<string, string> | undefined, NodeState | undefined, boolean]>([
  ['first sight of a labelled Node', undefined, { ...node, labels: { a: '1' } }, true],
  ['first sight of a Node without labels', undefined, node, false],
  ['same labels', { a: '1' }, { ...node, labels: { a: '1' } }, false],
  ['a label changed', { a: '1' }, { ...node, labels: { a: '2' } }, true],
  ['a label added', { a: '1' }, { ...node, labels: { a: '1', b: '1' } }, true],
  ['deleted', { a: '1' }, undefined, true],
])('nodeChangeQueues: %s', (_what, last, next, queues) => {
  expect(nodeChangeQueues(last, next)).toBe(queues);
});
