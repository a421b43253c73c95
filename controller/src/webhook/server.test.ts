import { X509Certificate } from 'node:crypto';
import { createServer } from 'node:net';
import { createLogger } from '@headland/kube';
import { judgeTls, renewTls, type WebhookTls } from './certs.js';
import { callWebhook } from './https-client.js';
import { webhookHosts } from './names.js';
import { WebhookServer, type ReviewAnswerer } from './server.js';

const log = createLogger({ name: 'test', level: 'silent' });
const HOSTS = webhookHosts('headland-system');
const SERVERNAME = HOSTS[0]!;
let tls: WebhookTls;
let renewed: WebhookTls;
const servers: WebhookServer[] = [];

beforeAll(async () => {
  const now = new Date();
  tls = await renewTls(undefined, judgeTls(undefined, HOSTS, now), HOSTS, now);
  renewed = await renewTls(tls, { ca: 'keep', serving: 'renew', prune: false, reasons: [] }, HOSTS, now);
});

afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

const echo: ReviewAnswerer = (body) => ((body as { bad?: boolean }).bad === true ? { status: 400, error: 'not a review' } : { status: 200, body: { got: body } });

async function start(answer: ReviewAnswerer = echo, extra: { maxBodyBytes?: number } = {}): Promise<WebhookServer> {
  const s = await WebhookServer.listen({ addr: '127.0.0.1:0', tls, answer, log, ...extra });
  servers.push(s);
  return s;
}

const call = (s: WebhookServer, over: { method?: string; path?: string; body?: string } = {}) => callWebhook(s.port, { ca: tls.caBundle, servername: SERVERNAME, body: '{"x":1}', ...over });

test.each<[string, { method?: string; path?: string; body?: string }, number, string]>([
  ['answers a review with JSON', {}, 200, '{"got":{"x":1}}'],
  ['ignores the query string the API server adds', { path: '/validate?timeout=5s' }, 200, '{"got":{"x":1}}'],
  ['refuses what is not JSON', { body: 'nope' }, 400, 'webhook: the body is not JSON\n'],
  ['says why a JSON body is not a review', { body: '{"bad":true}' }, 400, 'not a review\n'],
  ['only POST', { method: 'GET', body: '' }, 405, 'method not allowed\n'],
  ['only /validate', { path: '/mutate' }, 404, 'not found\n'],
])('%s', async (_what, over, status, text) => {
  const s = await start();
  const r = await call(s, over);
  expect({ status: r.status, text: r.text }).toEqual({ status, text });
});

test('a body over the limit is refused with 413', async () => {
  const s = await start(echo, { maxBodyBytes: 1024 });
  const r = await call(s, { body: JSON.stringify({ pad: 'x'.repeat(4096) }) }).catch((e: unknown) => ({ status: -1, text: String(e), fingerprint: '' }));
  // The server answers 413 and closes; the client may see the answer or the reset first.
  expect([413, -1]).toContain(r.status);
});

test('a decision that throws is a 500, the server goes on', async () => {
  const s = await start(() => {
    throw new Error('boom');
  });
  expect((await call(s)).status).toBe(500);
  expect((await call(s)).status).toBe(500);
});

test('presents the certificate for the Service name, trusted through the caBundle alone', async () => {
  const s = await start();
  const r = await call(s);
  expect(r.fingerprint).toBe(new X509Certificate(tls.cert).fingerprint256);
  await expect(callWebhook(s.port, { ca: tls.caBundle, servername: 'other.headland-system.svc', body: '{}' })).rejects.toThrow(/altnames|Hostname/i);
});

test('a renewed certificate is served from the next connection on, without a restart', async () => {
  const s = await start();
  expect((await call(s)).fingerprint).toBe(new X509Certificate(tls.cert).fingerprint256);
  s.setCertificate(renewed);
  expect((await call(s)).fingerprint).toBe(new X509Certificate(renewed.cert).fingerprint256);
});

test('close() stops listening', async () => {
  const s = await start();
  const port = s.port;
  await s.close();
  await expect(callWebhook(port, { ca: tls.caBundle, servername: SERVERNAME, body: '{}' })).rejects.toThrow(/ECONNREFUSED/);
});

test('an address in use is an error from listen()', async () => {
  const blocker = createServer();
  await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
  const port = (blocker.address() as { port: number }).port;
  await expect(WebhookServer.listen({ addr: `127.0.0.1:${port}`, tls, answer: echo, log })).rejects.toThrow(/EADDRINUSE/);
  blocker.close();
});

test('":PORT" listens on every address, IPv6 included where the host has it', async () => {
  const s = await WebhookServer.listen({ addr: ':0', tls, answer: echo, log });
  servers.push(s);
  expect((await call(s)).status).toBe(200);
});
