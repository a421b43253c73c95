// Keeps the webhook's TLS material in its Secret (create if missing, reuse if valid, renew when
// due) and the ValidatingWebhookConfiguration's caBundle equal to the Secret's. Every replica
// runs one: each write is conditional (a create, or an update or patch at the resourceVersion
// just read), so replicas that race converge on one Secret and one caBundle.
import { statusCodeOf, type Logger } from '@headland/kube';
import { MERGE_PATCH, isRecord, str } from '../reconcile/objects.js';
import { isDue, judgeTls, pemCertificates, renewTls, secretDataOf, tlsFromSecretData, type WebhookTls } from './certs.js';
import { WEBHOOK_CONFIGURATION, WEBHOOK_SECRET } from './names.js';

/** The part of HttpClient the keeper uses (a fake in tests). */
export interface Rest {
  request(method: string, path: string, req?: { body?: unknown; contentType?: string }): Promise<unknown>;
}

export interface CertKeeperOptions {
  readonly rest: Rest;
  readonly namespace: string;
  /** The names the serving certificate must carry (webhookHosts). */
  readonly hosts: readonly string[];
  readonly log: Logger;
  readonly secretName?: string;
  readonly configurationName?: string;
  readonly now?: () => Date;
}

export const SECRET_WRITE = { None: 'None', Created: 'Created', Updated: 'Updated' } as const;
export type SecretWrite = (typeof SECRET_WRITE)[keyof typeof SECRET_WRITE];

export const CA_BUNDLE = {
  InSync: 'InSync',
  Patched: 'Patched',
  /** No ValidatingWebhookConfiguration of that name: nothing to keep (the webhook is not installed). */
  NotInstalled: 'NotInstalled',
} as const;
export type CaBundleState = (typeof CA_BUNDLE)[keyof typeof CA_BUNDLE];

const ATTEMPTS = 5;
const LABELS = { 'app.kubernetes.io/name': 'headland', 'app.kubernetes.io/component': 'controller' };

export class CertKeeper {
  readonly #o: CertKeeperOptions;
  readonly #secretPath: string;
  readonly #configurationPath: string;

  constructor(options: CertKeeperOptions) {
    this.#o = options;
    this.#secretPath = `/api/v1/namespaces/${encodeURIComponent(options.namespace)}/secrets`;
    this.#configurationPath = `/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations/${encodeURIComponent(options.configurationName ?? WEBHOOK_CONFIGURATION)}`;
  }

  get secretName(): string {
    return this.#o.secretName ?? WEBHOOK_SECRET;
  }

  /** The TLS material to serve: the Secret's when valid, else renewed there first. */
  async ensureSecret(): Promise<{ tls: WebhookTls; wrote: SecretWrite; reasons: readonly string[] }> {
    const { rest, log, hosts } = this.#o;
    const name = this.secretName;
    for (let attempt = 1; ; attempt++) {
      const now = (this.#o.now ?? (() => new Date()))();
      const secret = await this.#get(`${this.#secretPath}/${encodeURIComponent(name)}`);
      const current = tlsFromSecretData(isRecord(secret) ? secret['data'] : undefined);
      const plan = judgeTls(current, hosts, now);
      if (current !== undefined && !isDue(plan)) return { tls: current, wrote: SECRET_WRITE.None, reasons: [] };
      const next = await renewTls(current, plan, hosts, now);
      try {
        if (secret === undefined) {
          await rest.request('POST', this.#secretPath, {
            body: { apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: this.#o.namespace, labels: LABELS }, type: 'kubernetes.io/tls', data: secretDataOf(next) },
          });
        } else {
          // An update at the resourceVersion read: a replica that renewed first wins, we reread.
          const data = isRecord(secret['data']) ? secret['data'] : {};
          await rest.request('PUT', `${this.#secretPath}/${encodeURIComponent(name)}`, { body: { ...secret, data: { ...data, ...secretDataOf(next) } } });
        }
      } catch (err) {
        const code = statusCodeOf(err);
        if ((code === 409 || code === 404) && attempt < ATTEMPTS) continue;
        throw err;
      }
      const wrote = secret === undefined ? SECRET_WRITE.Created : SECRET_WRITE.Updated;
      log.info({ secret: `${this.#o.namespace}/${name}`, reasons: plan.reasons }, wrote === SECRET_WRITE.Created ? 'webhook: created the certificate Secret' : 'webhook: renewed the certificate Secret');
      return { tls: next, wrote, reasons: plan.reasons };
    }
  }

  /** Makes every webhook of the configuration trust exactly `caBundle` (PEM). */
  async ensureCaBundle(caBundle: string): Promise<CaBundleState> {
    const want = Buffer.from(caBundle, 'utf8').toString('base64');
    for (let attempt = 1; ; attempt++) {
      const config = await this.#get(this.#configurationPath);
      if (config === undefined) return CA_BUNDLE.NotInstalled;
      const webhooks = Array.isArray(config['webhooks']) ? config['webhooks'] : [];
      const stale = webhooks.filter((w) => !sameBundle(str(w, 'clientConfig', 'caBundle'), caBundle));
      if (stale.length === 0) return CA_BUNDLE.InSync;
      // The whole list at the resourceVersion read (a merge patch replaces lists), so nothing
      // another writer changed in between is lost: that would be a 409 instead.
      const patched = webhooks.map((w) => (isRecord(w) ? { ...w, clientConfig: { ...(isRecord(w['clientConfig']) ? w['clientConfig'] : {}), caBundle: want } } : w));
      try {
        await this.#o.rest.request('PATCH', this.#configurationPath, { contentType: MERGE_PATCH, body: { metadata: { resourceVersion: str(config, 'metadata', 'resourceVersion') }, webhooks: patched } });
      } catch (err) {
        if (statusCodeOf(err) === 409 && attempt < ATTEMPTS) continue;
        throw err;
      }
      this.#o.log.info({ configuration: str(config, 'metadata', 'name'), webhooks: stale.length }, 'webhook: put the CA into the configuration\'s caBundle');
      return CA_BUNDLE.Patched;
    }
  }

  async #get(path: string): Promise<Record<string, unknown> | undefined> {
    try {
      const obj = await this.#o.rest.request('GET', path);
      return isRecord(obj) ? obj : undefined;
    } catch (err) {
      if (statusCodeOf(err) === 404) return undefined;
      throw err;
    }
  }
}

/** Whether a configuration's caBundle (base64 of PEM) holds exactly the certificates of `pem`. */
function sameBundle(base64: string | undefined, pem: string): boolean {
  if (base64 === undefined || base64 === '') return false;
  const have = pemCertificates(Buffer.from(base64, 'base64').toString('utf8')).map((c) => c.replace(/\s+/g, ''));
  const want = pemCertificates(pem).map((c) => c.replace(/\s+/g, ''));
  return have.length === want.length && have.every((c, i) => c === want[i]);
}
