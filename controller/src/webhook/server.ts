// The webhook's HTTPS server (node:https): POST /validate answers an AdmissionReview through a
// function given to it; the certificate can be swapped while serving (renewal); close() lets
// requests in flight finish. No decisions and no Kubernetes client here.
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseListenAddress, type Logger } from '@headland/kube';
import { WEBHOOK_PATH } from './names.js';

/** What to answer to a parsed JSON body: a JSON body with 200, or an error text with 400. */
export type ReviewAnswerer = (body: unknown) => { status: 200; body: unknown } | { status: 400; error: string };

export interface WebhookServerOptions {
  readonly addr: string;
  readonly tls: { readonly cert: string; readonly key: string };
  readonly answer: ReviewAnswerer;
  readonly log: Logger;
  /** Bodies above this are refused with 413 (an object and its old version, each up to 1.5 MiB). */
  readonly maxBodyBytes?: number;
  /** How long close() lets requests in flight finish before cutting connections. */
  readonly closeGraceMs?: number;
}

const MAX_BODY = 4 * 1024 * 1024;

export class WebhookServer {
  readonly #server: Server;
  readonly #o: WebhookServerOptions;
  #closing: Promise<void> | undefined;

  private constructor(server: Server, options: WebhookServerOptions) {
    this.#server = server;
    this.#o = options;
  }

  /** Listens on `addr` (HOST:PORT, :PORT, [IPv6]:PORT); rejects if it cannot. */
  static async listen(options: WebhookServerOptions): Promise<WebhookServer> {
    const addr = parseListenAddress(options.addr);
    const server = createServer({ cert: options.tls.cert, key: options.tls.key, minVersion: 'TLSv1.2', ALPNProtocols: ['http/1.1'] });
    const s = new WebhookServer(server, options);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => s.#handle(req, res));
    server.on('tlsClientError', (err) => options.log.debug({ err: String(err) }, 'webhook: TLS handshake failed'));
    // ":9443" means every address, IPv6 too (as Go's net.Listen has it): on an IPv6-only
    // cluster the API server dials the Pod's IPv6 address.
    const host = options.addr.startsWith(':') ? undefined : addr.host;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(addr.port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    return s;
  }

  get port(): number {
    return (this.#server.address() as AddressInfo | null)?.port ?? 0;
  }

  /** Serves another certificate from the next handshake on (connections open keep theirs). */
  setCertificate(tls: { readonly cert: string; readonly key: string }): void {
    this.#server.setSecureContext({ cert: tls.cert, key: tls.key, minVersion: 'TLSv1.2' });
  }

  /** Stops accepting, lets requests in flight finish (up to closeGraceMs), then cuts what is left. */
  close(): Promise<void> {
    this.#closing ??= new Promise<void>((resolve) => {
      const cut = setTimeout(() => this.#server.closeAllConnections(), this.#o.closeGraceMs ?? 2_000);
      this.#server.close(() => {
        clearTimeout(cut);
        resolve();
      });
      this.#server.closeIdleConnections();
    });
    return this.#closing;
  }

  #handle(req: IncomingMessage, res: ServerResponse): void {
    const path = (req.url ?? '/').split('?')[0];
    const reply = (status: number, text: string, headers: Record<string, string> = {}): void => {
      res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers });
      res.end(`${text}\n`);
    };
    if (path !== WEBHOOK_PATH) return reply(404, 'not found');
    if (req.method !== 'POST') return reply(405, 'method not allowed', { allow: 'POST' });
    const max = this.#o.maxBodyBytes ?? MAX_BODY;
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on('data', (c: Buffer) => {
      if (refused) return;
      size += c.length;
      if (size > max) {
        refused = true;
        reply(413, `webhook: the body is larger than ${max} bytes`, { connection: 'close' });
        req.resume();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (refused) return;
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        return reply(400, 'webhook: the body is not JSON');
      }
      let answer: ReturnType<ReviewAnswerer>;
      try {
        answer = this.#o.answer(body);
      } catch (err) {
        // Never expected (decide does not throw); the API server then fails the request closed.
        this.#o.log.error({ err: String((err as Error)?.stack ?? err) }, 'webhook: deciding failed');
        return reply(500, 'webhook: internal error');
      }
      if (answer.status === 400) return reply(400, answer.error);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer.body));
    });
  }
}
