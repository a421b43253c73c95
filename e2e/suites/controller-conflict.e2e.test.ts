// The Service reconciler's write path against a real 409 (no root): its informer cache is
// behind the server, as after someone else's write, so the conditional status patch is
// refused; it must re-read, decide again from the fresh copy, and write once more.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { buildConfig, emptySnapshot, type Snapshot } from '@headland/api';
import { Allocator, ControllerMetrics, ServiceReconciler, type EventSink } from '@headland/controller';
import { HttpClient, createLogger, requestJson } from '@headland/kube';
import { ApiServer, kubeconfigYaml } from '@headland/lab/apiserver';

let dir = '';
let server: ApiServer;
let kc: KubeConfig;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'headland-conflict-'));
  server = new ApiServer();
  const { port } = await server.listen('127.0.0.1', 0);
  await writeFile(join(dir, 'kubeconfig'), kubeconfigYaml(`http://127.0.0.1:${port}`));
  kc = new KubeConfig();
  kc.loadFromFile(join(dir, 'kubeconfig'));
});

afterAll(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

test('a stale cache meets a 409, re-reads, and the fresh object gets its IP and keeps the other writer\'s change', async () => {
  const created = await requestJson(kc, 'POST', '/api/v1/namespaces/default/services', {
    body: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec: { type: 'LoadBalancer', ports: [{ port: 80, protocol: 'TCP' }] } },
  });
  // Another writer changes the Service after our cache saw it.
  await requestJson(kc, 'PATCH', '/api/v1/namespaces/default/services/web', { contentType: 'application/merge-patch+json', body: { metadata: { labels: { team: 'blue' } } } });
  const stale = created; // the resourceVersion the cache holds is now behind

  const pools = buildConfig({
    ...emptySnapshot(),
    ipAddressPools: [{ apiVersion: 'headland.io/v1beta1', kind: 'IPAddressPool', metadata: { name: 'p', namespace: 'headland-system' }, spec: { addresses: ['203.0.113.8/29'] } }],
  } as unknown as Snapshot).pools;
  const allocator = new Allocator();
  allocator.setPools(pools.values());
  const recorded: string[] = [];
  const events: EventSink = { pending: 0, event: (_o, _t, reason, message) => void recorded.push(`${reason}: ${message}`) };
  const rest = await HttpClient.create(kc);
  let services: unknown[] = [stale];
  const reconciler = new ServiceReconciler({
    view: { services: () => services, service: () => services[0], namespaceLabels: () => ({}) },
    allocator,
    rest,
    events,
    metrics: new ControllerMetrics(),
    log: createLogger({ name: 'test', level: 'silent' }),
    lbClass: undefined,
    workers: 1,
    onUsageChanged: () => undefined,
  });
  reconciler.start();
  const end = Date.now() + 10_000;
  let fresh: Record<string, any> = {};
  while (Date.now() < end) {
    fresh = (await requestJson(kc, 'GET', '/api/v1/namespaces/default/services/web')) as Record<string, any>;
    if (fresh['status']?.['loadBalancer']?.['ingress'] !== undefined && reconciler.idle()) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  expect(fresh['status']['loadBalancer']['ingress']).toEqual([{ ip: '203.0.113.8', ipMode: 'VIP' }]);
  // The other writer's label survived: the write was made on the fresh copy, not the stale one.
  expect(fresh['metadata']['labels']).toEqual({ team: 'blue' });
  expect(fresh['metadata']['annotations']['headland.io/ip-allocated-from-pool']).toBe('p');
  expect(recorded).toContain('IPAllocated: Assigned IP 203.0.113.8 from pool p');
  services = [];
  await reconciler.stop();
  rest.close();
});
