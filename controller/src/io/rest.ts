// A small JSON client for the few writes the controller makes (status and annotation patches,
// GETs on conflict): keep-alive sockets and no model-class round trips, so 10,000 Services
// get their status in seconds. Authentication and TLS come from the kubeconfig via client-node.
import http from 'node:http';
import https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import { ControllerError } from '../errors.js';

/** A non-2xx answer from the API server, with the Status object's reason when there is one. */
export class ApiError extends ControllerError {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly reason: string,
    detail: string,
  ) {
    super('controller/rest', `${method} ${path}: ${status} ${reason}: ${detail}`);
  }
  /** client-node's errors carry `code`; so do these, for one isConflict/isNotFound. */
  get code(): number {
    return this.status;
  }
}

export const MERGE_PATCH = 'application/merge-patch+json';

export class RestClient {
  readonly #base: URL;
  readonly #options: https.RequestOptions;
  readonly #agent: http.Agent;
  readonly #request: typeof http.request;

  private constructor(base: URL, options: https.RequestOptions, maxSockets: number) {
    this.#base = base;
    this.#options = options;
    const secure = base.protocol === 'https:';
    this.#request = secure ? https.request : http.request;
    const agentOptions = { keepAlive: true, maxSockets, ...(secure ? pickTls(options) : {}) };
    this.#agent = secure ? new https.Agent(agentOptions) : new http.Agent(agentOptions);
  }

  static async fromKubeConfig(kc: KubeConfig, maxSockets = 32): Promise<RestClient> {
    const cluster = kc.getCurrentCluster();
    if (cluster === null) throw new ControllerError('controller/rest', 'the kubeconfig has no current cluster');
    let base: URL;
    try {
      base = new URL(cluster.server);
    } catch {
      throw new ControllerError('controller/rest', `the kubeconfig's server "${cluster.server}" is not a URL`);
    }
    if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new ControllerError('controller/rest', `the kubeconfig's server "${cluster.server}" is not http(s)`);
    const options: https.RequestOptions = {};
    await kc.applyToHTTPSOptions(options);
    return new RestClient(base, options, maxSockets);
  }

  get(path: string): Promise<unknown> {
    return this.request('GET', path);
  }

  mergePatch(path: string, body: unknown): Promise<unknown> {
    return this.request('PATCH', path, body, MERGE_PATCH);
  }

  put(path: string, body: unknown): Promise<unknown> {
    return this.request('PUT', path, body);
  }

  request(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<unknown> {
    const url = new URL(this.#base.pathname.replace(/\/$/, '') + path, this.#base);
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const headers: Record<string, string | number> = { ...(this.#options.headers as Record<string, string> | undefined), accept: 'application/json' };
    if (payload !== undefined) {
      headers['content-type'] = contentType;
      headers['content-length'] = payload.length;
    }
    return new Promise((resolve, reject) => {
      const req = this.#request(url, { ...this.#options, method, headers, agent: this.#agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = text === '' ? undefined : JSON.parse(text);
          } catch {
            json = undefined;
          }
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) return resolve(json);
          const st = typeof json === 'object' && json !== null ? (json as Record<string, unknown>) : {};
          const reason = typeof st['reason'] === 'string' ? st['reason'] : (res.statusMessage ?? 'Error');
          const message = typeof st['message'] === 'string' ? st['message'] : text.slice(0, 300);
          reject(new ApiError(method, path, status, reason, message));
        });
      });
      req.setTimeout(30_000, () => req.destroy(new ControllerError('controller/rest', `${method} ${path}: no answer in 30 s`)));
      req.on('error', (err) => reject(err instanceof ControllerError ? err : new ControllerError('controller/rest', `${method} ${path}: ${err.message}`, { cause: err })));
      req.end(payload);
    });
  }

  close(): void {
    this.#agent.destroy();
  }
}

function pickTls(o: https.RequestOptions): https.AgentOptions {
  const out: https.AgentOptions = {};
  if (o.ca !== undefined) out.ca = o.ca;
  if (o.cert !== undefined) out.cert = o.cert;
  if (o.key !== undefined) out.key = o.key;
  if (o.rejectUnauthorized !== undefined) out.rejectUnauthorized = o.rejectUnauthorized;
  return out;
}

export const statusOf = (err: unknown): number | undefined => (err instanceof ApiError ? err.status : undefined);
