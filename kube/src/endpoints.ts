// The programs' HTTP endpoints: /metrics from a prom-client Registry and /healthz, /readyz
// from probes, on one server per distinct address (metrics and health may share one).

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import { parseListenAddress, type ListenAddress } from './listen-address.js';
import type { Logger } from './log.js';

export interface Probe {
  (): { ok: boolean; detail?: string };
}

export interface EndpointsOptions {
  metricsAddr: string;
  healthAddr: string;
  registry: Registry;
  healthz: Probe;
  readyz: Probe;
  log?: Logger;
}

export interface Endpoints {
  metricsPort: number;
  healthPort: number;
  close(): Promise<void>;
}

export type Route = 'metrics' | 'healthz' | 'readyz' | 'not-found' | 'method-not-allowed';

/** Which handler a request gets on a server that serves `metrics` and/or `health`. */
export function routeOf(method: string, url: string, serves: { metrics: boolean; health: boolean }): Route {
  const path = url.split('?')[0] ?? '';
  const route: Route = path === '/metrics' && serves.metrics ? 'metrics' : path === '/healthz' && serves.health ? 'healthz' : path === '/readyz' && serves.health ? 'readyz' : 'not-found';
  if (route !== 'not-found' && method !== 'GET' && method !== 'HEAD') return 'method-not-allowed';
  return route;
}

function sameAddress(a: ListenAddress, b: ListenAddress): boolean {
  // Port 0 asks for a fresh port each time, so two ":0" are two servers.
  return a.port !== 0 && a.port === b.port && a.host === b.host;
}

async function probe(res: ServerResponse, p: Probe, name: string, log: Logger | undefined): Promise<void> {
  let result: { ok: boolean; detail?: string };
  try {
    result = p();
  } catch (err) {
    result = { ok: false, detail: `endpoints: the ${name} probe threw: ${String(err)}` };
  }
  if (!result.ok) log?.debug({ probe: name, detail: result.detail }, 'endpoints: probe failed');
  res.writeHead(result.ok ? 200 : 503, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(result.ok ? 'ok\n' : `${result.detail ?? 'not ok'}\n`);
}

async function handle(req: IncomingMessage, res: ServerResponse, serves: { metrics: boolean; health: boolean }, opts: EndpointsOptions): Promise<void> {
  switch (routeOf(req.method ?? 'GET', req.url ?? '/', serves)) {
    case 'metrics': {
      const body = await opts.registry.metrics();
      res.writeHead(200, { 'content-type': opts.registry.contentType });
      res.end(body);
      return;
    }
    case 'healthz':
      return probe(res, opts.healthz, 'healthz', opts.log);
    case 'readyz':
      return probe(res, opts.readyz, 'readyz', opts.log);
    case 'method-not-allowed':
      res.writeHead(405, { 'content-type': 'text/plain; charset=utf-8', allow: 'GET, HEAD' });
      res.end('method not allowed\n');
      return;
    case 'not-found':
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('not found\n');
  }
}

async function listen(addr: ListenAddress, serves: { metrics: boolean; health: boolean }, opts: EndpointsOptions): Promise<Server> {
  const server = createServer((req, res) => {
    handle(req, res, serves, opts).catch((err: unknown) => {
      opts.log?.error({ err: String(err), url: req.url }, 'endpoints: request failed');
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('internal error\n');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(addr.port, addr.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server;
}

function closeServer(s: Server): Promise<void> {
  return new Promise((resolve) => {
    s.close(() => resolve());
    s.closeAllConnections();
  });
}

export async function serveEndpoints(opts: EndpointsOptions): Promise<Endpoints> {
  const metricsAddr = parseListenAddress(opts.metricsAddr);
  const healthAddr = parseListenAddress(opts.healthAddr);
  const servers: Server[] = [];
  try {
    if (sameAddress(metricsAddr, healthAddr)) {
      servers.push(await listen(metricsAddr, { metrics: true, health: true }, opts));
    } else {
      servers.push(await listen(metricsAddr, { metrics: true, health: false }, opts));
      servers.push(await listen(healthAddr, { metrics: false, health: true }, opts));
    }
  } catch (err) {
    await Promise.all(servers.map(closeServer));
    throw err;
  }
  const portOf = (s: Server | undefined) => (s?.address() as AddressInfo | null)?.port ?? 0;
  const metricsPort = portOf(servers[0]);
  const healthPort = portOf(servers[servers.length - 1]);
  opts.log?.info({ metrics: `${metricsAddr.host}:${metricsPort}`, health: `${healthAddr.host}:${healthPort}` }, 'endpoints: serving /metrics, /healthz, /readyz');
  return { metricsPort, healthPort, close: async () => void (await Promise.all(servers.map(closeServer))) };
}
