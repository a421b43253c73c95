// Test-only: the few API paths the webhook's keeper uses (one Secret collection, one
// ValidatingWebhookConfiguration), in memory, with resourceVersions and 404/409 as a server has them.
import type { Rest } from './cert-keeper.js';

type Obj = Record<string, unknown> & { metadata: Record<string, unknown> };

const fail = (statusCode: number, message: string): Error => Object.assign(new Error(`fake-api: ${message}`), { statusCode });
const clone = <T>(v: T): T => (v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T));

export class FakeApi implements Rest {
  readonly secrets = new Map<string, Obj>();
  configuration: Obj | undefined;
  readonly calls: string[] = [];
  /** Answered instead of the next matching call, once. */
  readonly faults: { method: string; pathPart: string; statusCode: number }[] = [];
  #rv = 1;

  constructor(readonly namespace = 'headland-system') {}

  installConfiguration(name = 'headland-validating-webhook', webhooks = 1): void {
    this.configuration = {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingWebhookConfiguration',
      metadata: { name, resourceVersion: String(this.#rv++) },
      webhooks: Array.from({ length: webhooks }, (_, i) => ({ name: `v${i}.headland.io`, clientConfig: { service: { name: 'headland-webhook', namespace: this.namespace, path: '/validate' } } })),
    };
  }

  /** A write by someone else: bumps the resourceVersion so a write at the old one conflicts. */
  touch(obj: Obj): void {
    obj.metadata['resourceVersion'] = String(this.#rv++);
  }

  async request(method: string, path: string, req: { body?: unknown; contentType?: string } = {}): Promise<unknown> {
    this.calls.push(`${method} ${path}`);
    await Promise.resolve();
    const fault = this.faults.findIndex((f) => f.method === method && path.includes(f.pathPart));
    if (fault >= 0) {
      const [f] = this.faults.splice(fault, 1);
      throw fail(f!.statusCode, `injected ${f!.statusCode}`);
    }
    const secrets = `/api/v1/namespaces/${this.namespace}/secrets`;
    const body = clone(req.body) as Obj;
    if (path.startsWith(`${secrets}/`)) {
      const name = decodeURIComponent(path.slice(secrets.length + 1));
      const have = this.secrets.get(name);
      if (method === 'GET') {
        if (have === undefined) throw fail(404, `secrets "${name}" not found`);
        return clone(have);
      }
      if (method === 'PUT') {
        if (have === undefined) throw fail(404, `secrets "${name}" not found`);
        if (body.metadata['resourceVersion'] !== have.metadata['resourceVersion']) throw fail(409, 'the object has been modified');
        body.metadata['resourceVersion'] = String(this.#rv++);
        this.secrets.set(name, body);
        return clone(body);
      }
    }
    if (path === secrets && method === 'POST') {
      const name = String(body.metadata['name']);
      if (this.secrets.has(name)) throw fail(409, `secrets "${name}" already exists`);
      body.metadata['resourceVersion'] = String(this.#rv++);
      this.secrets.set(name, body);
      return clone(body);
    }
    if (path.startsWith('/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations/')) {
      const c = this.configuration;
      const name = decodeURIComponent(path.split('/').pop() ?? '');
      if (c === undefined || c.metadata['name'] !== name) throw fail(404, `validatingwebhookconfigurations "${name}" not found`);
      if (method === 'GET') return clone(c);
      if (method === 'PATCH') {
        if (req.contentType !== 'application/merge-patch+json') throw fail(415, 'merge patches only');
        if (body.metadata['resourceVersion'] !== c.metadata['resourceVersion']) throw fail(409, 'the object has been modified');
        c['webhooks'] = body['webhooks'];
        c.metadata['resourceVersion'] = String(this.#rv++);
        return clone(c);
      }
    }
    throw fail(404, `no route for ${method} ${path}`);
  }

  /** The caBundle of each webhook, decoded. */
  caBundles(): string[] {
    const hooks = (this.configuration?.['webhooks'] ?? []) as { clientConfig?: { caBundle?: string } }[];
    return hooks.map((w) => Buffer.from(w.clientConfig?.caBundle ?? '', 'base64').toString('utf8'));
  }
}
