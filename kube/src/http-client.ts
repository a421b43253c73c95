// One HTTP(S) client per kubeconfig for the JSON requests Headland makes (lists, leases,
// Events, status patches): an undici Pool with pipelining, authentication and TLS from
// client-node, and no model-class round trips, so 10,000 writes take seconds, not tens.
import type https from 'node:https';
import type { ClusterAccess as KubeConfig } from './cluster-config.js';
import { Pool, type Dispatcher } from 'undici';
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
  readonly #basePath: string;
  #headers: Record<string, string>;
  readonly #kc: KubeConfig;
  #headersAt = Date.now();
  readonly #pool: Pool;
  /** Watches hold their connection for minutes: never pipeline a request behind one. */
  readonly #streams: Pool;

  private constructor(kc: KubeConfig, base: URL, options: https.RequestOptions, connections: number) {
    this.#kc = kc;
    this.#basePath = base.pathname.replace(/\/+$/, '');
    this.#headers = { ...(options.headers as Record<string, string> | undefined), accept: 'application/json' };
    // HTTP/1.1 pipelining over a few kept-alive connections: a burst of writes (a cold start's
    // 10,000 status patches) costs a fraction of the syscalls and parsing of one request per
    // round trip. The API server answers pipelined requests in order, as HTTP/1.1 requires.
    this.#pool = new Pool(base.origin, {
      connections,
      pipelining: PIPELINING,
      keepAliveTimeout: 30_000,
      ...(base.protocol === 'https:' ? { connect: tlsOf(options) } : {}),
    });
    this.#streams = new Pool(base.origin, { pipelining: 1, keepAliveTimeout: 30_000, ...(base.protocol === 'https:' ? { connect: tlsOf(options) } : {}) });
  }

  static async create(kc: KubeConfig, connections = 8): Promise<HttpClient> {
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
    return new HttpClient(kc, base, options, connections);
  }

  /** Sends the request; resolves with the parsed JSON answer, rejects with HttpError on non-2xx. */
  async request(method: string, path: string, req: JsonRequest = {}): Promise<unknown> {
    await this.#freshHeaders();
    let full = this.#basePath + path;
    const query = Object.entries(req.query ?? {}).filter((e): e is [string, string] => e[1] !== undefined);
    if (query.length > 0) full += (full.includes('?') ? '&' : '?') + new URLSearchParams(query).toString();
    const headers = req.body === undefined ? this.#headers : { ...this.#headers, 'content-type': req.contentType ?? 'application/json' };
    const timeoutMs = req.timeoutMs ?? 30_000;
    let res: Dispatcher.ResponseData;
    try {
      res = await this.#pool.request({
        method: method as Dispatcher.HttpMethod,
        path: full,
        headers,
        ...(req.body === undefined ? {} : { body: JSON.stringify(req.body) }),
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
        // A write may be retried by us (409 and friends), never silently by the pool.
        idempotent: method === 'GET',
      });
    } catch (err) {
      throw new KubeError(`http-client: ${method} ${path}: ${(err as Error).message}`, { cause: err });
    }
    const code = res.statusCode;
    if (req.discardAnswer === true && code >= 200 && code < 300) {
      await res.body.dump();
      return undefined;
    }
    let text: string;
    try {
      text = await res.body.text();
    } catch (err) {
      throw new KubeError(`http-client: ${method} ${path}: ${(err as Error).message}`, { cause: err });
    }
    let json: unknown;
    try {
      json = text === '' ? undefined : JSON.parse(text);
    } catch {
      json = undefined;
    }
    if (code >= 200 && code < 300) {
      if (json === undefined && text !== '') throw new HttpError(code, method, path, undefined, `http-client: ${method} ${path}: the answer is not JSON: ${text.slice(0, 200)}`);
      return json;
    }
    const st = typeof json === 'object' && json !== null ? (json as Record<string, unknown>) : undefined;
    const detail = typeof st?.['message'] === 'string' ? st['message'] : text.slice(0, 200);
    throw new HttpError(code, method, path, st, `http-client: ${method} ${path}: ${code}${detail ? `: ${detail}` : ''}`);
  }

  /**
   * A watch: GET with the query, each newline-terminated line of the answer handed to onLine
   * as it arrives. Resolves when the server ends the stream (or signal aborts it); rejects with
   * HttpError on a non-2xx answer, or when nothing arrives for idleMs.
   */
  async stream(path: string, query: Readonly<Record<string, string | undefined>>, onLine: (line: string) => void, opts: { signal: AbortSignal; idleMs: number }): Promise<void> {
    await this.#freshHeaders();
    const q = Object.entries(query).filter((e): e is [string, string] => e[1] !== undefined);
    const full = this.#basePath + path + (q.length > 0 ? `?${new URLSearchParams(q).toString()}` : '');
    let res: Dispatcher.ResponseData;
    try {
      res = await this.#streams.request({ method: 'GET', path: full, headers: this.#headers, signal: opts.signal, headersTimeout: opts.idleMs, bodyTimeout: opts.idleMs });
    } catch (err) {
      if (opts.signal.aborted) return;
      throw new KubeError(`http-client: watch ${path}: ${(err as Error).message}`, { cause: err });
    }
    if (res.statusCode < 200 || res.statusCode >= 300) {
      const text = await res.body.text().catch(() => '');
      let st: unknown;
      try {
        st = JSON.parse(text);
      } catch {
        st = undefined;
      }
      const message = typeof st === 'object' && st !== null && typeof (st as Record<string, unknown>)['message'] === 'string' ? String((st as Record<string, unknown>)['message']) : text.slice(0, 200);
      throw new HttpError(res.statusCode, 'GET', path, st, `http-client: watch ${path}: ${res.statusCode}: ${message}`);
    }
    res.body.setEncoding('utf8');
    let buffered = '';
    try {
      for await (const chunk of res.body as AsyncIterable<string>) {
        buffered += chunk;
        let nl: number;
        while ((nl = buffered.indexOf('\n')) >= 0) {
          const line = buffered.slice(0, nl);
          buffered = buffered.slice(nl + 1);
          if (line.trim() !== '') onLine(line);
        }
      }
    } catch (err) {
      if (opts.signal.aborted) return;
      throw new KubeError(`http-client: watch ${path}: ${(err as Error).message}`, { cause: err });
    }
    if (buffered.trim() !== '') onLine(buffered);
  }

  /** Service-account tokens are rotated on disk: read the credentials again once a minute. */
  async #freshHeaders(): Promise<void> {
    if (Date.now() - this.#headersAt < 60_000) return;
    this.#headersAt = Date.now();
    const options: https.RequestOptions = {};
    await this.#kc.applyToHTTPSOptions(options);
    this.#headers = { ...(options.headers as Record<string, string> | undefined), accept: 'application/json' };
  }

  close(): void {
    void this.#pool.destroy().catch(() => undefined);
    void this.#streams.destroy().catch(() => undefined);
  }
}

/** Requests in flight per connection. */
const PIPELINING = 16;

function tlsOf(o: https.RequestOptions): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (o.ca !== undefined) out['ca'] = o.ca;
  if (o.cert !== undefined) out['cert'] = o.cert;
  if (o.key !== undefined) out['key'] = o.key;
  if (o.rejectUnauthorized !== undefined) out['rejectUnauthorized'] = o.rejectUnauthorized;
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
