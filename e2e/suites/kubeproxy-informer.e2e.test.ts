// The informer the stand-in uses (@headland/kube's) against a real headland-apiserver (in-process,
// loopback, no root needed): it follows changes, survives the server going away, and relists when it returns.
import { CoreV1Api, KubeConfig, type KubernetesObject } from '@kubernetes/client-node';
import { lab } from '@headland/lab';
import { ApiServer, kubeconfigYaml } from '@headland/lab/apiserver';
import { createInformer, type Informer } from '@headland/kube';

const { waitFor } = lab;

const names = (w: Informer<KubernetesObject>) => w.list().map((o) => o.metadata?.name).sort();

test('services are followed across a server restart, with failures reported and retried', async () => {
  let server = new ApiServer({ kubernetesService: false });
  const port = (await server.listen('127.0.0.1', 0)).port;
  const kc = new KubeConfig();
  kc.loadFromString(kubeconfigYaml(`http://127.0.0.1:${port}`));
  const core = kc.makeApiClient(CoreV1Api);
  const create = (name: string) => core.createNamespacedService({ namespace: 'default', body: { metadata: { name }, spec: { ports: [{ port: 80 }] } } });
  const errors: number[] = [];
  let changes = 0;
  const watched = createInformer<KubernetesObject>(kc, { apiVersion: 'v1', plural: 'services', kind: 'Service' }, { retryMinMs: 50, retryMaxMs: 200 });
  watched.on('change', () => changes++);
  watched.on('error', (_err, retryInMs) => errors.push(retryInMs));
  try {
    await watched.synced;
    await create('before');
    await waitFor(() => names(watched), (n) => n.join() === 'before', { timeoutMs: 5000, what: 'the first service' });
    expect(changes).toBeGreaterThan(0);

    await server.close();
    // Down: the informer fails, and the wrapper keeps retrying with growing waits up to the cap.
    await waitFor(() => errors.length, (n) => n >= 3, { timeoutMs: 5000, what: 'retries while the server is down' });
    expect(errors.slice(0, 3)).toEqual([50, 100, 200]);

    // A new server on the same port knows nothing of "before": the informer must relist.
    server = new ApiServer({ kubernetesService: false });
    await server.listen('127.0.0.1', port);
    await create('after');
    await waitFor(() => names(watched), (n) => n.join() === 'after', { timeoutMs: 10_000, what: 'the relisted services' });
  } finally {
    await watched.stop();
    await server.close();
  }
}, 30_000);
