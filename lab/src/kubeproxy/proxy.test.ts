// The stand-in's wiring against the lab's in-process API server, with nft replaced by a gate the
// test opens and closes: health answers follow the ruleset applied, never the API's newest view.

import { request } from 'node:http';
import { KubeConfig } from '@kubernetes/client-node';
import { closeHttpClient, requestJson } from '@headland/kube';
import { ApiServer, kubeconfigYaml } from '../apiserver/index.js';
import { serviceHealthAnswer } from './health.js';
import { startKubeProxy, type KubeProxy } from './proxy.js';
import type { LogEntry } from '../programs/json-lines.js';

interface Reply {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

function get(port: number, path: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Waits (without asserting how long) until `ready()` holds. */
async function until(what: string, ready: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ready()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** nft as the test wants it: each run can be held at a gate, or fail. */
class FakeNft {
  calls = 0;
  applied: string[] = [];
  fail = false;
  private gate: Promise<void> | undefined;
  private release: (() => void) | undefined;
  hold(): void {
    this.gate = new Promise((r) => (this.release = r));
  }
  open(): void {
    this.release?.();
    this.gate = undefined;
  }
  readonly run = async (_netns: string | undefined, script: string): Promise<void> => {
    this.calls++;
    await this.gate;
    if (this.fail) throw new Error('nft: Could not process rule: Device or resource busy');
    this.applied.push(script);
  };
}

const T0 = Date.UTC(2026, 0, 2, 3, 4, 5);
const TIMEOUT = 60_000;

let api: ApiServer;
let kc: KubeConfig;

beforeAll(async () => {
  api = new ApiServer({ kubernetesService: false });
  const { port } = await api.listen('127.0.0.1', 0);
  kc = new KubeConfig();
  kc.loadFromString(kubeconfigYaml(`http://127.0.0.1:${port}`));
});

afterAll(async () => {
  await closeHttpClient(kc);
  await api.close();
});

const slice = (addresses: string[]) => ({
  apiVersion: 'discovery.k8s.io/v1',
  kind: 'EndpointSlice',
  metadata: { name: 'web-abc', labels: { 'kubernetes.io/service-name': 'web' } },
  addressType: 'IPv4',
  ports: [{ name: 'http', protocol: 'TCP', port: 8080 }],
  endpoints: addresses.map((a) => ({ addresses: [a], nodeName: 'n1', conditions: { ready: true, serving: true, terminating: false } })),
});

test('a lagging stand-in answers from the ruleset it applied, and the proxy health follows nft and the Node', async () => {
  const nft = new FakeNft();
  const logs: LogEntry[] = [];
  let clock = T0;
  await requestJson(kc, 'POST', '/api/v1/nodes', { body: { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' } } });
  const created = await requestJson(kc, 'POST', '/api/v1/namespaces/default/services', {
    body: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { type: 'LoadBalancer', externalTrafficPolicy: 'Local', ports: [{ name: 'http', port: 80, targetPort: 8080 }] } },
  });
  const healthCheckNodePort = (created['spec'] as { healthCheckNodePort: number }).healthCheckNodePort;
  expect(healthCheckNodePort).toBeGreaterThan(0);
  // With an address the ruleset has rules that change with the endpoints (the stand-in skips nft for an unchanged ruleset).
  await requestJson(kc, 'PATCH', '/api/v1/namespaces/default/services/web/status', { body: { status: { loadBalancer: { ingress: [{ ip: '203.0.113.10' }] } } }, contentType: 'application/merge-patch+json' });

  let proxy: KubeProxy | undefined;
  try {
    proxy = await startKubeProxy({
      kubeconfig: kc,
      nodeName: 'n1',
      nodeIPs: ['198.18.0.11'],
      debounceMs: 500,
      nft: nft.run,
      now: () => clock,
      healthTimeoutMs: TIMEOUT,
      log: (e) => logs.push(e),
      health: { healthzBindAddress: { host: '127.0.0.1', port: 0 }, serviceHealthHost: '127.0.0.1', serviceHealthPort: () => 0 },
    });
    const p = proxy;
    await p.ready;
    const port = p.serviceHealthAddress('default/web')!.port;
    const check = () => p.health().services.find((c) => c.name === 'web')!;
    expect(check()).toEqual({ namespace: 'default', name: 'web', port: healthCheckNodePort, family: 'IPv4', localEndpoints: 0 });
    let reply = await get(port, '/');
    expect([reply.status, reply.headers['x-load-balancing-endpoint-weight'], reply.body]).toEqual([503, '0', serviceHealthAnswer(check(), true).body]);

    // A local endpoint appears, but nft is slow: the ruleset with it is being written, not in.
    nft.hold();
    const callsBefore = nft.calls;
    await requestJson(kc, 'POST', '/apis/discovery.k8s.io/v1/namespaces/default/endpointslices', { body: slice(['10.0.1.2']) });
    await until('the apply with the new endpoint to start', () => nft.calls > callsBefore);
    reply = await get(port, '/healthz');
    expect([reply.status, JSON.parse(reply.body)]).toEqual([503, { service: { namespace: 'default', name: 'web' }, localEndpoints: 0, serviceProxyHealthy: true }]);
    expect(check().localEndpoints).toBe(0);

    nft.open();
    await until('the ruleset with the endpoint to be applied', () => check().localEndpoints === 1);
    reply = await get(port, '/');
    expect([reply.status, reply.headers['x-load-balancing-endpoint-weight'], reply.headers['content-type'], reply.body]).toEqual([200, '1', 'application/json', serviceHealthAnswer(check(), true).body]);

    // /healthz: the Node is there and healthy; the autoscaler's taint makes it 503, /livez does not care.
    const healthz = p.healthzAddress()!.port;
    await until('the Node to be seen', () => p.health().nodeEligible);
    reply = await get(healthz, '/healthz');
    expect([reply.status, JSON.parse(reply.body)]).toMatchObject([200, { nodeEligible: true, healthy: true, currentTime: '2026-01-02T03:04:05Z', status: { IPv4: { healthy: true }, IPv6: { healthy: true } } }]);
    await requestJson(kc, 'PATCH', '/api/v1/nodes/n1', { body: { spec: { taints: [{ key: 'ToBeDeletedByClusterAutoscaler', value: '1767322000', effect: 'NoSchedule' }] } }, contentType: 'application/merge-patch+json' });
    await until('the taint to be seen', () => !p.health().nodeEligible);
    reply = await get(healthz, '/healthz');
    expect([reply.status, JSON.parse(reply.body)]).toMatchObject([503, { nodeEligible: false, healthy: true }]);
    expect((await get(healthz, '/livez')).status).toBe(200);
    expect((await get(port, '/')).status).toBe(200);

    // nft fails: the queued update grows old and, at the timeout, the proxy is unhealthy; the
    // Service keeps the count of the ruleset that is in (1), not the API's (2).
    nft.fail = true;
    const failedBefore = nft.calls;
    await requestJson(kc, 'PUT', '/apis/discovery.k8s.io/v1/namespaces/default/endpointslices/web-abc', {
      body: { ...slice(['10.0.1.2', '10.0.1.3']), metadata: { ...slice([]).metadata, namespace: 'default' } },
    });
    await until('the failing apply', () => nft.calls > failedBefore && logs.some((e) => e.msg === 'applying ruleset failed'));
    expect(p.health().proxy.healthy).toBe(true);
    clock += TIMEOUT;
    expect(p.health().proxy).toMatchObject({ healthy: false, status: { IPv4: { healthy: false }, IPv6: { healthy: true } } });
    reply = await get(port, '/');
    expect([reply.status, JSON.parse(reply.body)]).toEqual([503, { service: { namespace: 'default', name: 'web' }, localEndpoints: 1, serviceProxyHealthy: false }]);
    expect((await get(healthz, '/livez')).status).toBe(503);

    // nft recovers: Updated clears the queue and the new count is published.
    nft.fail = false;
    await until('the retried apply', () => check().localEndpoints === 2);
    expect(p.health().proxy.healthy).toBe(true);
    expect((await get(port, '/')).status).toBe(200);
  } finally {
    await proxy?.stop();
  }
  expect(logs.filter((e) => e.level === 'error' && e.msg !== 'applying ruleset failed')).toEqual([]);
}, 30_000);
