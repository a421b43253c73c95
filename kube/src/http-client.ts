// One keep-alive HTTP(S) client per kubeconfig for the JSON requests Headland makes (lists,
// leases, Events, status patches): node:http with pooled sockets, authentication and TLS from
// client-node, and no model-class round trips, so 10,000 writes cost milliseconds, not seconds.
import http from 'node:http';
import https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import { ConfigError, HttpError, KubeError } from './errors.js';

export interface JsonRequest {
  readonly query?: Readonly<Record<string, string | undefined>>;
  readonly body?: unknown;
  /** Defaults to application/json when there is a body. */
  readonly contentType?: string;
  readonly timeoutMs?: number;
  /** Resolve with undefined instead of parsing a successful answer the caller does not read. */
  readonly discardAnswer?: boolean;
}

export class HttpClient {
  readonly #base: URL;
  readonly #options: https.RequestOptions;
  readonly #agent: http.Agent;
  readonly #request: typeof http.request;

  private constructor(base: URL, options: https.RequestOptions, maxSockets: number) {
    this.#base = base;
    this.#options = options;
    const secure = base.protocol === 'https:';
    this.#request = secure ? https.request : http.request;
    const agentOptions = { keepAlive: true, maxSockets, ...(secure ? tlsOf(options) : {}) };
    this.#agent = secure ? new https.Agent(agentOptions) : new http.Agent(agentOptions);
  }

  static async create(kc: KubeConfig, maxSockets = 32): Promise<HttpClient> {
    const cluster = kc.getCurrentCluster();
    if (cluster === null) throw new ConfigError('http-client: the kubeconfig has no current cluster');
    let base: URL;
    try {
      base = new URL(cluster.server);
    } catch {
      throw new ConfigError(`http-client: the kubeconfig's server ${JSON.stringify(cluster.server)} is not a URL`);
    }
    if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new ConfigError(`http-client: the kubeconfig's server ${JSON.stringify(cluster.server)} is not http(s)`);
    const options: https.RequestOptions = {};
    await kc.applyToHTTPSOptions(options);
    return new HttpClient(base, options, maxSockets);
  }

  /** Sends the request; resolves with the parsed JSON answer, rejects with HttpError on non-2xx. */
  request(method: string, path: string, req: JsonRequest = {}): Promise<unknown> {
    const url = new URL(this.#base.pathname.replace(/\/+$/, '') + path, this.#base);
    for (const [k, v] of Object.entries(req.query ?? {})) if (v !== undefined) url.searchParams.set(k, v);
    const payload = req.body === undefined ? undefined : Buffer.from(JSON.stringify(req.body));
    const headers: Record<string, string | number> = { ...(this.#options.headers as Record<string, string> | undefined), accept: 'application/json' };
    if (payload !== undefined) {
      headers['content-type'] = req.contentType ?? 'application/json';
      headers['content-length'] = payload.length;
    }
    return new Promise((resolve, reject) => {
      const r = this.#request(url, { ...this.#options, method, headers, agent: this.#agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', (err) => reject(new KubeError(`http-client: ${method} ${path}: ${err.message}`, { cause: err })));
        res.on('end', () => {
          const code = res.statusCode ?? 0;
          if (req.discardAnswer === true && code >= 200 && code < 300) return resolve(undefined);
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = text === '' ? undefined : JSON.parse(text);
          } catch {
            json = undefined;
          }
          if (code >= 200 && code < 300) {
            if (json === undefined && text !== '') return reject(new HttpError(code, method, path, undefined, `http-client: ${method} ${path}: the answer is not JSON: ${text.slice(0, 200)}`));
            return resolve(json);
          }
          const st = typeof json === 'object' && json !== null ? (json as Record<string, unknown>) : undefined;
          const detail = typeof st?.['message'] === 'string' ? st['message'] : text.slice(0, 200);
          reject(new HttpError(code, method, path, st, `http-client: ${method} ${path}: ${code} ${res.statusMessage ?? ''}${detail ? `: ${detail}` : ''}`));
        });
      });
      r.setTimeout(req.timeoutMs ?? 30_000, () => r.destroy(new KubeError(`http-client: ${method} ${path}: no answer in ${req.timeoutMs ?? 30_000} ms`)));
      r.on('error', (err) => reject(err instanceof KubeError ? err : new KubeError(`http-client: ${method} ${path}: ${err.message}`, { cause: err })));
      r.end(payload);
    });
  }

  close(): void {
    this.#agent.destroy();
  }
}

function tlsOf(o: https.RequestOptions): https.AgentOptions {
  const out: https.AgentOptions = {};
  if (o.ca !== undefined) out.ca = o.ca;
  if (o.cert !== undefined) out.cert = o.cert;
  if (o.key !== undefined) out.key = o.key;
  if (o.rejectUnauthorized !== undefined) out.rejectUnauthorized = o.rejectUnauthorized;
  return out;
}

const clients = new WeakMap<KubeConfig, Promise<HttpClient>>();

/** The shared client of a kubeconfig (made on first use). */
export function httpClientFor(kc: KubeConfig): Promise<HttpClient> {
  let c = clients.get(kc);
  if (c === undefined) {
    c = HttpClient.create(kc);
    clients.set(kc, c);
    // A failed creation is not cached: the next call tries again.
    c.catch(() => clients.delete(kc));
  }
  return c;
}

/** Closes the shared client's idle sockets so a stopping program's event loop can end. */
export async function closeHttpClient(kc: KubeConfig): Promise<void> {
  const c = clients.get(kc);
  clients.delete(kc);
  if (c !== undefined) (await c.catch(() => undefined))?.close();
}
