// The sockets behind kube-proxy's health answers: the proxy health server (/healthz, /livez) and
// one listener per Service health check port. Every answer comes from a callback into health.ts.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HttpAnswer } from './health.js';
import type { Logger } from '../programs/json-lines.js';

export interface BindAddress {
  readonly host: string;
  readonly port: number;
}

/** kube-proxy's healthz server retries a failed listen every 5 s (cmd/kube-proxy/app/server.go serveHealthz). */
export const HEALTHZ_RETRY_MS = 5_000;

/** Go listens on both families for "0.0.0.0:p" and "[::]:p"; Node does so only for "::". */
const UNSPECIFIED = new Set(['0.0.0.0', '::']);

function send(res: ServerResponse, answer: HttpAnswer | undefined): void {
  // No answer is kube-proxy's handler returning without writing: Go then sends an empty 200.
  const body = answer?.body ?? '';
  res.statusCode = answer?.status ?? 200;
  for (const [name, value] of Object.entries(answer?.headers ?? {})) res.setHeader(name, value);
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.end(body);
}

function listenOnce(handler: (req: IncomingMessage, res: ServerResponse) => void, host: string, port: number): Promise<Server> {
  const server = createServer(handler);
  // Go's http.Server has no idle timeout and sends no Keep-Alive header; 0 does both here.
  server.keepAliveTimeout = 0;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port, ipv6Only: false }, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}

/** Listens as Go's net.Listen("tcp", host:port) would: the unspecified address means both families. */
export async function listenLikeGo(handler: (req: IncomingMessage, res: ServerResponse) => void, bind: BindAddress): Promise<Server> {
  if (!UNSPECIFIED.has(bind.host)) return listenOnce(handler, bind.host, bind.port);
  try {
    return await listenOnce(handler, '::', bind.port);
  } catch (err) {
    // A kernel without IPv6: Go falls back to an IPv4 socket, and so does this.
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EAFNOSUPPORT' && code !== 'EADDRNOTAVAIL') throw err;
    return listenOnce(handler, '0.0.0.0', bind.port);
  }
}

async function closeServer(server: Server): Promise<void> {
  // http.Server.Close in Go drops open connections too.
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections();
  await closed;
}

export interface ProxyHealthServer {
  /** Where it listens; undefined until a listen has succeeded. */
  address(): AddressInfo | undefined;
  close(): Promise<void>;
}

/** Serves `answer(requestTarget)` on `bind`; a failed listen is logged and retried, never thrown. */
export function startProxyHealthServer(bind: BindAddress, answer: (target: string) => HttpAnswer, log: Logger, retryMs = HEALTHZ_RETRY_MS): ProxyHealthServer {
  let server: Server | undefined;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let closed = false;
  let attempt: Promise<void> = Promise.resolve();
  const where = `${bind.host.includes(':') ? `[${bind.host}]` : bind.host}:${bind.port}`;
  const start = (): void => {
    retry = undefined;
    attempt = listenLikeGo((req, res) => send(res, answer(req.url ?? '/')), bind).then(
      async (s) => {
        if (closed) return closeServer(s);
        server = s;
        log({ level: 'info', msg: 'serving proxy health', address: where, port: (s.address() as AddressInfo).port });
      },
      (err: unknown) => {
        if (closed) return;
        log({ level: 'error', msg: 'proxy health server failed', address: where, error: (err as Error).message, retryInMs: retryMs });
        retry = setTimeout(start, retryMs);
        retry.unref();
      },
    );
  };
  start();
  return {
    address: () => (server?.address() as AddressInfo | null | undefined) ?? undefined,
    async close() {
      closed = true;
      if (retry !== undefined) clearTimeout(retry);
      await attempt;
      if (server !== undefined) await closeServer(server);
      server = undefined;
    },
  };
}

export interface ServiceHealthPort {
  /** "namespace/name" of the Service. */
  readonly service: string;
  readonly port: number;
}

export interface ServiceHealthServersOptions {
  /** Answers for a Service at request time; undefined when it is no longer health-checked. */
  readonly answer: (service: string) => HttpAnswer | undefined;
  readonly log: Logger;
  /** Where each port listens; default "0.0.0.0", both families, as kube-proxy without --nodeport-addresses. */
  readonly host?: string;
  /** The port actually bound for a health check port (tests map them to 0 for ephemeral ones). */
  readonly listenPort?: (healthCheckNodePort: number) => number;
}

/** SyncServices: opens the health check ports wanted, closes the others, keeps the rest open. */
export class ServiceHealthServers {
  private readonly open = new Map<string, { readonly port: number; readonly server: Server }>();
  private closed = false;

  constructor(private readonly opts: ServiceHealthServersOptions) {}

  /**
   * Makes the open ports match `wanted`. A port that cannot be bound is logged, left closed and
   * tried again at the next sync, as kube-proxy does; no other port is affected.
   */
  async sync(wanted: readonly ServiceHealthPort[]): Promise<void> {
    if (this.closed) return;
    const byService = new Map(wanted.map((w) => [w.service, w.port]));
    for (const [service, entry] of [...this.open]) {
      if (byService.get(service) === entry.port) continue;
      this.open.delete(service);
      await closeServer(entry.server);
      this.opts.log({ level: 'info', msg: 'closed health check port', service, port: entry.port });
    }
    for (const { service, port } of wanted) {
      if (this.open.has(service)) continue;
      try {
        const bind = { host: this.opts.host ?? '0.0.0.0', port: this.opts.listenPort?.(port) ?? port };
        const server = await listenLikeGo((_req, res) => send(res, this.opts.answer(service)), bind);
        if (this.closed) {
          await closeServer(server);
          return;
        }
        this.open.set(service, { port, server });
        this.opts.log({ level: 'info', msg: 'opened health check port', service, port });
      } catch (err) {
        this.opts.log({ level: 'error', msg: 'cannot open health check port', service, port, error: (err as Error).message });
      }
    }
  }

  /** The address a Service's health check port listens on, if it is open. */
  address(service: string): AddressInfo | undefined {
    return (this.open.get(service)?.server.address() as AddressInfo | null | undefined) ?? undefined;
  }

  async close(): Promise<void> {
    this.closed = true;
    const servers = [...this.open.values()].map((e) => e.server);
    this.open.clear();
    await Promise.all(servers.map(closeServer));
  }
}
