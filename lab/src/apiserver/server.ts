// The in-memory API server as one object: owns the store, registry and open watches, seeds the
// start-up namespaces, and sends each HTTP request to discovery, the resource verbs or an endpoint of its own.

import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { admit, internalContext } from './admission.js';
import { CrdTypes } from './crd-types.js';
import { serveDiscovery } from './discovery.js';
import { ApiError, Reason } from './errors.js';
import { sendError, sendJson } from './http-io.js';
import type { JsonObject } from './json.js';
import { Registry } from './registry.js';
import { ResourceHandler } from './resource-handler.js';
import { parseRoute } from './routes.js';
import { Store } from './store.js';
import { Watches } from './watches.js';

export { SERVER_VERSION } from './discovery.js';

export interface ApiServerOptions {
  /** Watch events kept for resuming watches (default 10,000). */
  historySize?: number;
  /** How often watches with allowWatchBookmarks get a BOOKMARK (default 5 s). */
  bookmarkIntervalMs?: number;
  log?: (line: JsonObject) => void;
  /** Start of the resourceVersion counter; by default the clock in microseconds, so a restarted server's versions never overlap an earlier run's. */
  firstResourceVersion?: number;
}

const START_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];
const SUFFIX_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

function randomSuffix(): string {
  let s = '';
  for (let i = 0; i < 5; i++) s += SUFFIX_ALPHABET[Math.floor(Math.random() * SUFFIX_ALPHABET.length)] ?? 'x';
  return s;
}

export class ApiServer {
  readonly store: Store;
  readonly registry = new Registry();
  private readonly http: Server;
  private readonly watches: Watches;
  private readonly crds: CrdTypes;
  private readonly resources: ResourceHandler;
  private address = '';
  private requests = 0;

  constructor(opts: ApiServerOptions = {}) {
    this.store = new Store({ historySize: opts.historySize ?? 10_000, now: () => new Date(), newUid: randomUUID, nameSuffix: randomSuffix, firstResourceVersion: opts.firstResourceVersion ?? Date.now() * 1000 });
    this.watches = new Watches(this.store, opts.bookmarkIntervalMs ?? 5_000);
    this.crds = new CrdTypes(this.registry, this.store, this.watches, opts.log ?? (() => undefined));
    this.resources = new ResourceHandler(this.registry, this.store, this.watches, this.crds);
    const nsType = this.registry.builtIn('', 'v1', 'namespaces');
    for (const ns of START_NAMESPACES) this.store.create(nsType, '', { metadata: { name: ns } }, { admit: (o) => admit(nsType, o, internalContext()) });
    this.http = createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => sendError(res, err));
    });
    this.http.keepAliveTimeout = 60_000;
  }

  /** Creates (or replaces) a CRD, as `--crds DIR` does at start. */
  applyCrd(crd: JsonObject): JsonObject {
    return this.crds.apply(crd);
  }

  async listen(host: string, port: number): Promise<AddressInfo> {
    await new Promise<void>((resolve, reject) => {
      this.http.once('error', reject);
      this.http.listen(port, host, () => {
        this.http.off('error', reject);
        resolve();
      });
    });
    const addr = this.http.address() as AddressInfo;
    this.address = `${addr.family === 'IPv6' ? `[${addr.address}]` : addr.address}:${addr.port}`;
    return addr;
  }

  /** Ends every open watch; clients see their stream close and re-watch. Returns how many. */
  dropWatches(): number {
    return this.watches.closeAll();
  }

  async close(): Promise<void> {
    this.dropWatches();
    await new Promise<void>((resolve) => {
      this.http.close(() => resolve());
      this.http.closeAllConnections();
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.requests++;
    const url = new URL(req.url ?? '/', 'http://localhost');
    const route = parseRoute(url.pathname);
    const method = req.method ?? 'GET';
    switch (route.kind) {
      case 'health':
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end('ok');
        return;
      case 'metrics':
        res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
        res.end(
          `# TYPE headland_apiserver_requests_total counter\nheadland_apiserver_requests_total ${this.requests}\n` +
            `# TYPE headland_apiserver_watches gauge\nheadland_apiserver_watches ${this.watches.size}\n` +
            `# TYPE headland_apiserver_resource_version gauge\nheadland_apiserver_resource_version ${this.store.resourceVersion}\n`,
        );
        return;
      case 'dropWatches':
        if (method !== 'POST') throw new ApiError(405, Reason.MethodNotAllowed, 'POST /_headland/drop-watches');
        return sendJson(res, 200, { dropped: this.dropWatches() });
      case 'resource':
        return this.resources.handle(req, res, url, route, method);
      case 'unknown':
        throw new ApiError(404, Reason.NotFound, `the server could not find the requested resource (path ${url.pathname})`);
      default:
        return serveDiscovery(res, route, method, url.pathname, this.registry, this.address);
    }
  }
}
