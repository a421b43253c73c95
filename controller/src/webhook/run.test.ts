import { X509Certificate } from 'node:crypto';
import { createLogger } from '@headland/kube';
import { ControllerMetrics } from '../metrics.js';
import { renewTls, secretDataOf, tlsFromSecretData } from './certs.js';
import { FakeApi } from './fake-api.js';
import { callWebhook } from './https-client.js';
import { webhookHosts } from './names.js';
import { startWebhook, type RunningWebhook } from './run.js';

const log = createLogger({ name: 'test', level: 'silent' });
const NS = 'headland-system';
const SERVERNAME = webhookHosts(NS)[0]!;
const running: RunningWebhook[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((w) => w.stop()));
});

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

const badPool = { apiVersion: 'headland.io/v1beta1', kind: 'IPAddressPool', metadata: { name: 'p', namespace: NS }, spec: { addresses: ['203.0.113.300/32'] } };
const review = JSON.stringify({
  apiVersion: 'admission.k8s.io/v1',
  kind: 'AdmissionReview',
  request: { uid: 'r1', kind: { group: 'headland.io', version: 'v1beta1', kind: 'IPAddressPool' }, operation: 'CREATE', namespace: NS, name: 'p', object: badPool },
});

function start(api: FakeApi, over: Partial<Parameters<typeof startWebhook>[0]> = {}): { webhook: RunningWebhook; metrics: ControllerMetrics } {
  const metrics = new ControllerMetrics();
  const webhook = startWebhook({ rest: api, namespace: NS, addr: '127.0.0.1:0', drainMs: 0, objects: () => [], synced: Promise.resolve(), log, metrics, checkIntervalMs: 50, retryIntervalMs: 50, ...over });
  running.push(webhook);
  return { webhook, metrics };
}

const secretTls = (api: FakeApi) => tlsFromSecretData(api.secrets.get('headland-webhook-cert')?.['data'])!;

async function until(what: string, ok: () => boolean, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

test('ready only once the certificate is loaded, the informers have listed, the server listens and the caBundle is ours', async () => {
  const api = new FakeApi();
  api.installConfiguration();
  const synced = deferred();
  const { webhook, metrics } = start(api, { synced: synced.promise });
  expect(webhook.ready()).toEqual({ ok: false, detail: 'webhook: no certificate yet' });
  await until('the certificate', () => webhook.ready().detail.includes('informers'));
  expect(webhook.ready()).toEqual({ ok: false, detail: 'webhook: waiting for the informers to list before serving' });
  expect(api.caBundles()).toEqual(['']);
  synced.resolve();
  const port = await webhook.listening;
  await until('ready', () => webhook.ready().ok);
  expect(webhook.ready()).toEqual({ ok: true, detail: `webhook: serving on port ${port}` });
  const tls = secretTls(api);
  expect(api.caBundles()).toEqual([tls.caBundle]);

  const r = await callWebhook(port, { ca: tls.caBundle, servername: SERVERNAME, body: review });
  expect(JSON.parse(r.text)).toMatchObject({ response: { uid: 'r1', allowed: false, status: { code: 403, message: expect.stringMatching(/^IPAddressPool headland-system\/p: spec\.addresses\[0\]: /) } } });
  expect(await metrics.registry.metrics()).toMatch(/headland_controller_webhook_requests_total\{kind="IPAddressPool",operation="CREATE",outcome="Invalid"\} 1/);
  expect(await metrics.registry.metrics()).toMatch(/headland_controller_webhook_certificate_expiry_timestamp_seconds \d+/);
});

test('without a ValidatingWebhookConfiguration it serves and is ready (not installed)', async () => {
  const api = new FakeApi();
  const { webhook } = start(api);
  const port = await webhook.listening;
  await until('ready', () => webhook.ready().ok);
  expect(webhook.ready().detail).toBe(`webhook: serving on port ${port} (ValidatingWebhookConfiguration headland-validating-webhook is not installed)`);
  // Installed later: the next check puts the CA in.
  api.installConfiguration();
  await until('the caBundle', () => api.caBundles()[0] === secretTls(api).caBundle);
});

test('an API server that refuses the Secret at first: not ready, retried, then ready', async () => {
  const api = new FakeApi();
  api.faults.push({ method: 'GET', pathPart: '/secrets/', statusCode: 503 });
  const { webhook } = start(api);
  expect(webhook.ready().ok).toBe(false);
  await webhook.listening;
  await until('ready', () => webhook.ready().ok);
});

test('a certificate another replica renewed is picked up and served without a restart', async () => {
  const api = new FakeApi();
  api.installConfiguration();
  const { webhook } = start(api);
  const port = await webhook.listening;
  const first = secretTls(api);
  const call = () => callWebhook(port, { ca: first.caBundle, servername: SERVERNAME, body: review });
  expect((await call()).fingerprint).toBe(new X509Certificate(first.cert).fingerprint256);
  // Another replica renews (same CA) and writes the Secret.
  const renewed = await renewTls(first, { ca: 'keep', serving: 'renew', prune: false, reasons: [] }, webhookHosts(NS), new Date());
  const secret = api.secrets.get('headland-webhook-cert')!;
  await api.request('PUT', `/api/v1/namespaces/${NS}/secrets/headland-webhook-cert`, { body: { ...secret, data: secretDataOf(renewed) } });
  const end = Date.now() + 5_000;
  let seen = '';
  while (Date.now() < end && seen !== new X509Certificate(renewed.cert).fingerprint256) {
    seen = (await call()).fingerprint;
    await new Promise((r) => setTimeout(r, 20));
  }
  expect(seen).toBe(new X509Certificate(renewed.cert).fingerprint256);
  expect(webhook.ready().ok).toBe(true);
});

test('stop(): unready at once, answers through the drain, then closes', async () => {
  const api = new FakeApi();
  api.installConfiguration();
  const { webhook } = start(api, { drainMs: 400 });
  await until('ready', () => webhook.ready().ok);
  const port = await webhook.listening;
  const ca = secretTls(api).caBundle;
  const t0 = Date.now();
  const stopped = webhook.stop();
  expect(webhook.ready()).toEqual({ ok: false, detail: 'webhook: shutting down' });
  expect((await callWebhook(port, { ca, servername: SERVERNAME, body: review })).status).toBe(200);
  await stopped;
  expect(Date.now() - t0).toBeGreaterThanOrEqual(390);
  await expect(callWebhook(port, { ca, servername: SERVERNAME, body: review })).rejects.toThrow(/ECONNREFUSED/);
});

test('stopped before the informers listed: never serves', async () => {
  const api = new FakeApi();
  const synced = deferred();
  const { webhook } = start(api, { synced: synced.promise });
  await until('the certificate', () => webhook.ready().detail.includes('informers'));
  await webhook.stop();
  synced.resolve();
  await expect(webhook.listening).rejects.toThrow(/stopped before it served/);
});

test('stop() without a ValidatingWebhookConfiguration: nobody calls, nothing to drain', async () => {
  const api = new FakeApi();
  const { webhook } = start(api, { drainMs: 5_000 });
  await webhook.listening;
  await until('ready', () => webhook.ready().ok);
  const t0 = Date.now();
  await webhook.stop();
  expect(Date.now() - t0).toBeLessThan(1_000);
});
