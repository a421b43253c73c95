import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JsonObject } from '../json.js';
import { callWebhook, cleanPath, type ServiceRef } from './call.js';
import { webhooksOf, type Webhook } from './config.js';
import { createTestCa, type TestCa } from './test-pki.js';
import { answer, hang, raw, startWebhookServer, type Script, type TestWebhookServer } from './test-server.js';

const FIND_KIND = 'struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }';

function hook(fields: JsonObject): Webhook {
  const [w] = webhooksOf([{ metadata: { name: 'cfg' }, webhooks: [{ name: 'w.example.com', admissionReviewVersions: ['v1'], sideEffects: 'None', ...fields }] }], 'validating');
  if (w === undefined) throw new Error('no webhook');
  return w;
}

const review = { kind: 'AdmissionReview', apiVersion: 'admission.k8s.io/v1', request: { uid: 'uid-1' } };
const noService = (): never => {
  throw new Error('no service expected');
};

let ca: TestCa;
let otherCa: TestCa;
let good: { cert: string; key: string };
const servers: TestWebhookServer[] = [];

async function server(script: Script, tls = good): Promise<TestWebhookServer> {
  const s = await startWebhookServer(tls, script);
  servers.push(s);
  return s;
}

beforeAll(async () => {
  ca = await createTestCa();
  otherCa = await createTestCa('some-other-ca');
  good = await ca.issue({ dns: ['hook.ns.svc'], ips: ['127.0.0.1'] });
});

afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

describe('callWebhook over HTTPS', () => {
  test('posts the review to the URL with the timeout parameter and headers of the real client', async () => {
    const s = await server(answer({ allowed: true }));
    const out = await callWebhook(hook({ clientConfig: { url: s.url, caBundle: ca.caBundle }, timeoutSeconds: 7 }), review, noService);
    expect(out).toEqual({ ok: true, review: { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response: expect.objectContaining({ uid: 'uid-1', allowed: true }) } });
    const got = s.received[0];
    expect([got?.path, got?.headers['host'], got?.headers['content-type'], got?.headers['accept'], got?.headers['user-agent'], got?.review]).toEqual([
      '/validate?timeout=7s',
      `127.0.0.1:${s.port}`,
      'application/json',
      'application/json, */*',
      'kube-apiserver-admission',
      review,
    ]);
  });

  test('a Service reference is dialled where the resolver says and verified as NAME.NAMESPACE.svc', async () => {
    const svcOnly = await ca.issue({ dns: ['hook.ns.svc'] });
    const s = await server(answer({ allowed: true }), svcOnly);
    const asked: ServiceRef[] = [];
    const out = await callWebhook(hook({ clientConfig: { service: { namespace: 'ns', name: 'hook', path: 'validate/' }, caBundle: ca.caBundle } }), review, (ref) => {
      asked.push(ref);
      return { host: '127.0.0.1', port: s.port };
    });
    expect(out.ok).toBe(true);
    expect(asked).toEqual([{ namespace: 'ns', name: 'hook', port: 443 }]);
    expect([s.received[0]?.path, s.received[0]?.headers['host']]).toEqual(['/validate?timeout=10s', 'hook.ns.svc:443']);
  });

  test('a Service whose certificate names something else is refused', async () => {
    const s = await server(answer({ allowed: true }), await ca.issue({ dns: ['elsewhere.example.com'], ips: ['127.0.0.1'] }));
    const out = await callWebhook(hook({ clientConfig: { service: { namespace: 'ns', name: 'hook', port: 8443 }, caBundle: ca.caBundle } }), review, () => ({ host: '127.0.0.1', port: s.port }));
    expect(out).toEqual({ ok: false, error: 'failed to call webhook: Post "https://hook.ns.svc:8443/?timeout=10s": tls: failed to verify certificate: x509: certificate is valid for elsewhere.example.com, not hook.ns.svc' });
    expect(s.received).toHaveLength(0);
  });

  const post = (port: number, t = 10): string => `failed to call webhook: Post "https://127.0.0.1:${port}/validate?timeout=${t}s": `;
  test.each<[string, () => Promise<{ cert: string; key: string }>, Script, number, (port: number) => string | RegExp]>([
    ['a certificate from another CA', () => otherCa.issue({ ips: ['127.0.0.1'] }), answer({ allowed: true }), 10, (p) => post(p) + 'tls: failed to verify certificate: x509: certificate signed by unknown authority'],
    [
      'an expired certificate',
      () => ca.issue({ ips: ['127.0.0.1'], notBefore: new Date(Date.now() - 3 * 86400e3), notAfter: new Date(Date.now() - 86400e3) }),
      answer({ allowed: true }),
      10,
      (p) => new RegExp(`^${post(p).replace(/[.?*()[\]]/g, '\\$&')}tls: failed to verify certificate: x509: certificate has expired or is not yet valid: current time \\S+Z is after \\S+Z$`),
    ],
    ['no answer within timeoutSeconds', () => Promise.resolve(good), hang, 1, (p) => post(p, 1) + 'context deadline exceeded'],
    ['garbage', () => Promise.resolve(good), raw(200, 'this is not json'), 10, () => `failed to call webhook: couldn't get version/kind; json parse error: json: cannot unmarshal string into Go value of type ${FIND_KIND}`],
    ['a 500 with a text body', () => Promise.resolve(good), raw(500, 'boom'), 10, () => 'failed to call webhook: an error on the server ("boom") has prevented the request from succeeding'],
    ['the connection closed without an answer', () => Promise.resolve(good), (_r, res) => res.socket?.destroy(), 10, (p) => post(p) + 'EOF'],
  ])('%s', async (_name, tls, script, timeoutSeconds, expected) => {
    const s = await server(script, await tls());
    const started = Date.now();
    const out = await callWebhook(hook({ clientConfig: { url: s.url, caBundle: ca.caBundle }, timeoutSeconds }), review, noService);
    const want = expected(s.port);
    expect(out.ok).toBe(false);
    if (!out.ok) {
      if (typeof want === 'string') expect(out.error).toBe(want);
      else expect(out.error).toMatch(want);
    }
    expect(Date.now() - started).toBeLessThan(timeoutSeconds * 1000 + 900);
  });

  test('a closed port is refused as Go dials it', async () => {
    const s = await startWebhookServer(good, hang);
    await s.close();
    const out = await callWebhook(hook({ clientConfig: { url: s.url, caBundle: ca.caBundle } }), review, noService);
    expect(out).toEqual({ ok: false, error: `${post(s.port)}dial tcp 127.0.0.1:${s.port}: connect: connection refused` });
  });

  test('a plain HTTP server', async () => {
    const plain = createHttpServer((_req, res) => res.end('{}'));
    await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
    const port = (plain.address() as AddressInfo).port;
    try {
      const out = await callWebhook(hook({ clientConfig: { url: `https://127.0.0.1:${port}/validate`, caBundle: ca.caBundle } }), review, noService);
      expect(out).toEqual({ ok: false, error: `${post(port)}http: server gave HTTP response to HTTPS client` });
    } finally {
      plain.closeAllConnections();
      await new Promise((resolve) => plain.close(resolve));
    }
  });

  test.each<[string, JsonObject, () => never, string]>([
    ['the resolver cannot find the Service', { service: { namespace: 'ns', name: 'hook' } }, () => { throw new Error('service "hook" not found'); }, 'failed to call webhook: Post "https://hook.ns.svc:443/?timeout=10s": service "hook" not found'],
    ['a caBundle that is not PEM', { url: 'https://127.0.0.1:1/x', caBundle: Buffer.from('not a certificate').toString('base64') }, noService, 'could not get REST client: unable to load root certificates: unable to parse bytes as PEM block'],
    ['an http URL', { url: 'http://127.0.0.1:1/x' }, noService, `could not get REST client: webhook URL "http://127.0.0.1:1/x": 'https' is the only allowed URL scheme`],
    ['neither URL nor Service', {}, noService, 'could not get REST client: failed calling webhook "w.example.com": webhook configuration must have either service or URL'],
  ])('%s', async (_name, clientConfig, resolve, expected) => {
    expect(await callWebhook(hook({ clientConfig }), review, resolve)).toEqual({ ok: false, error: expected });
  });

  test.each([
    ['', '/'],
    ['validate', '/validate'],
    ['/a//b/./c/../d/', '/a/b/d'],
  ])('cleanPath(%j) → %s', (p, expected) => {
    expect(cleanPath(p)).toBe(expected);
  });
});
