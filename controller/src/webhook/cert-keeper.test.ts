import { createLogger } from '@headland/kube';
import { CA_BUNDLE, CertKeeper, SECRET_WRITE } from './cert-keeper.js';
import { LIFETIME, tlsFromSecretData } from './certs.js';
import { FakeApi } from './fake-api.js';
import { webhookHosts } from './names.js';

const log = createLogger({ name: 'test', level: 'silent' });
const DAY = 24 * 60 * 60 * 1000;
const T0 = new Date('2030-01-01T00:00:00Z');

function keeper(api: FakeApi, now: () => Date = () => T0): CertKeeper {
  return new CertKeeper({ rest: api, namespace: 'headland-system', hosts: webhookHosts('headland-system'), log, now });
}

describe('the certificate Secret', () => {
  test('is created when missing (kubernetes.io/tls, labelled), then reused as it is', async () => {
    const api = new FakeApi();
    const first = await keeper(api).ensureSecret();
    expect(first.wrote).toBe(SECRET_WRITE.Created);
    const secret = api.secrets.get('headland-webhook-cert');
    expect(secret?.['type']).toBe('kubernetes.io/tls');
    expect(secret?.metadata['labels']).toEqual({ 'app.kubernetes.io/name': 'headland', 'app.kubernetes.io/component': 'controller' });
    expect(tlsFromSecretData(secret?.['data'])).toEqual(first.tls);

    const again = await keeper(api).ensureSecret();
    expect(again).toEqual({ tls: first.tls, wrote: SECRET_WRITE.None, reasons: [] });
  });

  test('two replicas starting together end up with one certificate', async () => {
    const api = new FakeApi();
    const [a, b] = await Promise.all([keeper(api).ensureSecret(), keeper(api).ensureSecret()]);
    expect(a.tls).toEqual(b.tls);
    expect([a.wrote, b.wrote].sort()).toEqual([SECRET_WRITE.Created, SECRET_WRITE.None]);
    expect(api.calls.filter((c) => c.startsWith('POST'))).toHaveLength(2);
  });

  test('is renewed in place within 30 days of expiry, keeping the CA; other keys of the Secret stay', async () => {
    const api = new FakeApi();
    const first = await keeper(api).ensureSecret();
    (api.secrets.get('headland-webhook-cert')!['data'] as Record<string, string>)['note'] = 'aGk=';
    const late = new Date(T0.getTime() + (LIFETIME.servingDays - 10) * DAY);
    const renewed = await keeper(api, () => late).ensureSecret();
    expect(renewed.wrote).toBe(SECRET_WRITE.Updated);
    expect(renewed.reasons).toEqual(['the certificate expires on 2031-01-01: a new one is issued']);
    expect(renewed.tls.caBundle).toBe(first.tls.caBundle);
    expect(renewed.tls.cert).not.toBe(first.tls.cert);
    expect((api.secrets.get('headland-webhook-cert')!['data'] as Record<string, string>)['note']).toBe('aGk=');
  });

  test('a replica that renews second rereads and keeps the first one\'s certificate', async () => {
    const api = new FakeApi();
    await keeper(api).ensureSecret();
    const late = new Date(T0.getTime() + (LIFETIME.servingDays - 10) * DAY);
    const [a, b] = await Promise.all([keeper(api, () => late).ensureSecret(), keeper(api, () => late).ensureSecret()]);
    expect(a.tls).toEqual(b.tls);
    expect([a.wrote, b.wrote].sort()).toEqual([SECRET_WRITE.None, SECRET_WRITE.Updated]);
  });

  test('a Secret that is not ours to read as TLS (garbage) is replaced', async () => {
    const api = new FakeApi();
    api.secrets.set('headland-webhook-cert', { apiVersion: 'v1', kind: 'Secret', type: 'Opaque', metadata: { name: 'headland-webhook-cert', resourceVersion: '1' }, data: { 'tls.crt': 'eA==' } });
    const r = await keeper(api).ensureSecret();
    expect(r.wrote).toBe(SECRET_WRITE.Updated);
    expect(r.reasons).toEqual(['ca.crt holds no readable certificate']);
    // The type is immutable; the keeper keeps it.
    expect(api.secrets.get('headland-webhook-cert')?.['type']).toBe('Opaque');
  });

  test('an API failure other than a conflict is the caller\'s to retry', async () => {
    const api = new FakeApi();
    api.faults.push({ method: 'GET', pathPart: '/secrets/', statusCode: 403 });
    await expect(keeper(api).ensureSecret()).rejects.toThrow(/injected 403/);
  });
});

describe('the caBundle of the ValidatingWebhookConfiguration', () => {
  test('not installed: nothing to do', async () => {
    const api = new FakeApi();
    const { tls } = await keeper(api).ensureSecret();
    expect(await keeper(api).ensureCaBundle(tls.caBundle)).toBe(CA_BUNDLE.NotInstalled);
  });

  test('is patched into every webhook when it differs, then left alone', async () => {
    const api = new FakeApi();
    api.installConfiguration('headland-validating-webhook', 2);
    const { tls } = await keeper(api).ensureSecret();
    expect(await keeper(api).ensureCaBundle(tls.caBundle)).toBe(CA_BUNDLE.Patched);
    expect(api.caBundles()).toEqual([tls.caBundle, tls.caBundle]);
    const webhooks = api.configuration?.['webhooks'] as { name: string; clientConfig: { service: unknown } }[];
    expect(webhooks.map((w) => w.name)).toEqual(['v0.headland.io', 'v1.headland.io']);
    expect(webhooks[0]?.clientConfig.service).toEqual({ name: 'headland-webhook', namespace: 'headland-system', path: '/validate' });
    const patches = api.calls.filter((c) => c.startsWith('PATCH')).length;
    expect(await keeper(api).ensureCaBundle(tls.caBundle)).toBe(CA_BUNDLE.InSync);
    expect(api.calls.filter((c) => c.startsWith('PATCH'))).toHaveLength(patches);
  });

  test('a write by someone else in between: reread and patched again', async () => {
    const api = new FakeApi();
    api.installConfiguration();
    const { tls } = await keeper(api).ensureSecret();
    api.faults.push({ method: 'PATCH', pathPart: 'validatingwebhookconfigurations', statusCode: 409 });
    expect(await keeper(api).ensureCaBundle(tls.caBundle)).toBe(CA_BUNDLE.Patched);
    expect(api.caBundles()).toEqual([tls.caBundle]);
  });
});
