// Plain REST against headland-apiserver for the speaker benchmark: keep-alive JSON requests,
// a bounded pool for bulk creates, and a watch whose events are handed over as they arrive.
// Plain HTTP (a --plain-http server), or HTTPS with the CA and token of the server's kubeconfig.
import http from 'node:http';
import https from 'node:https';
import type { KubeconfigAccess } from '@headland/lab/programs';

export type Json = Record<string, any>;

export class Rest {
  private readonly agent: http.Agent;
  private readonly client: typeof http | typeof https;
  private readonly auth: Record<string, string>;
  readonly base: string;

  /** `target`: a plain-HTTP base URL, or the access a kubeconfig gives (HTTPS with its CA and token). */
  constructor(target: string | KubeconfigAccess, concurrency = 64) {
    const access = typeof target === 'string' ? { server: target, caPem: undefined, token: undefined } : target;
    this.base = access.server;
    const secure = new URL(access.server).protocol === 'https:';
    this.client = secure ? https : http;
    this.agent = secure ? new https.Agent({ keepAlive: true, maxSockets: concurrency, ...(access.caPem === undefined ? {} : { ca: access.caPem }) }) : new http.Agent({ keepAlive: true, maxSockets: concurrency });
    this.auth = access.token === undefined ? {} : { authorization: `Bearer ${access.token}` };
  }

  request(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<{ status: number; json: Json | undefined }> {
    const payload = body === undefined ? undefined : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
    return new Promise((resolve, reject) => {
      const req = this.client.request(new URL(path, this.base), { method, agent: this.agent, headers: { ...this.auth, 'content-type': contentType, ...(payload ? { 'content-length': payload.length } : {}) } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          try {
            resolve({ status: res.statusCode ?? 0, json: text === '' ? undefined : (JSON.parse(text) as Json) });
          } catch {
            reject(new Error(`bench/speaker-rest: ${method} ${path}: ${res.statusCode} answered with non-JSON ${text.slice(0, 200)}`));
          }
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(payload);
    });
  }

  /** Like request, but a status of 300 or more is an error naming the call. */
  async must(method: string, path: string, body?: unknown, contentType?: string): Promise<Json> {
    const r = await this.request(method, path, body, contentType);
    if (r.status >= 300) throw new Error(`bench/speaker-rest: ${method} ${path}: ${r.status} ${JSON.stringify(r.json).slice(0, 300)}`);
    return r.json ?? {};
  }

  /** Watches a collection from a resourceVersion; onEvent gets each event with its arrival time. */
  watch(path: string, resourceVersion: string, onEvent: (type: string, obj: Json, at: number) => void): { close(): void } {
    const sep = path.includes('?') ? '&' : '?';
    const req = this.client.get(new URL(`${path}${sep}watch=1&resourceVersion=${resourceVersion}`, this.base), { agent: this.agent, headers: this.auth }, (res) => {
      let buf = '';
      res.on('data', (d: Buffer) => {
        const at = performance.now();
        buf += d.toString();
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl);
          buf = buf.slice(nl + 1);
          if (line === '') continue;
          const ev = JSON.parse(line) as { type: string; object: Json };
          onEvent(ev.type, ev.object, at);
        }
      });
    });
    req.on('error', () => undefined);
    return { close: () => req.destroy() };
  }

  close(): void {
    this.agent.destroy();
  }
}

/** Runs fn over items with at most n at a time. */
export async function inPool<T>(items: readonly T[], n: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}
