// The in-memory API server as one object: owns the store, registry and open watches, seeds the
// start-up namespaces, and sends each HTTP request to discovery, the resource verbs or an endpoint of its own.

import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { Actions } from './actions.js';
import { AdmissionWebhooks } from './admission-webhooks.js';
import { admit, internalContext } from './admission.js';
import type { AuthenticatorConfig, ObjectLookup } from './auth/index.js';
import { CrdTypes } from './crd-types.js';
import { serveDiscovery } from './discovery.js';
import { EndpointSliceController } from './endpointslice-controller.js';
import { ApiError, Reason } from './errors.js';
import { sendError, sendJson } from './http-io.js';
import type { JsonObject } from './json.js';
import { Gate } from './gate.js';
import { NamespaceController } from './namespace-controller.js';
import { PodLogs } from './pod-logs.js';
import { bootstrapPolicy } from './rbac/index.js';
import { StoreRbac } from './rbac-store.js';
import { Registry } from './registry.js';
import { ResourceHandler } from './resource-handler.js';
import { parseRoute } from './routes.js';
import type { Security } from './security.js';
import { kubernetesService, restore, ServiceAllocator } from './service-alloc/index.js';
import { ServiceRegistry } from './service-registry.js';
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
  /** TLS, tokens and authorization; without it the server is plain HTTP and every request is the admin's. */
  security?: Security;
  /** Service CIDRs, one per family (default 198.19.128.0/20 and 2001:db8:5e::/112). */
  serviceClusterIPRanges?: readonly string[];
  /** Node port range (default 30000-32767). */
  nodePortRange?: { first: number; last: number };
  /** Create default/kubernetes at listen, as the real server does (default true); suites that count Services may leave it out. */
  kubernetesService?: boolean;
  /** Where kubelet stand-ins keep container logs (their --pod-log-dir), for `kubectl logs`. */
  podLogDir?: string;
  /** Keep EndpointSlices for Services with selectors from their Pods, as kube-controller-manager does (default off: suites write their own). */
  endpointSliceController?: boolean;
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
  readonly services: ServiceRegistry;
  private readonly http: Server | TlsServer;
  private readonly watches: Watches;
  private readonly crds: CrdTypes;
  private readonly resources: ResourceHandler;
  private readonly gate: Gate;
  private readonly log: (line: JsonObject) => void;
  private readonly kubernetesService: boolean;
  private address = '';
  private requests = 0;

  constructor(opts: ApiServerOptions = {}) {
    this.log = opts.log ?? (() => undefined);
    this.kubernetesService = opts.kubernetesService ?? true;
    this.store = new Store({ historySize: opts.historySize ?? 10_000, now: () => new Date(), newUid: randomUUID, nameSuffix: randomSuffix, firstResourceVersion: opts.firstResourceVersion ?? Date.now() * 1000 });
    this.watches = new Watches(this.store, opts.bookmarkIntervalMs ?? 5_000);
    this.crds = new CrdTypes(this.registry, this.store, this.watches, this.log);
    this.services = new ServiceRegistry(new ServiceAllocator({ ...(opts.serviceClusterIPRanges === undefined ? {} : { serviceClusterIPRanges: opts.serviceClusterIPRanges }), ...(opts.nodePortRange === undefined ? {} : { nodePortRange: opts.nodePortRange }) }), this.store);
    const rbac = new StoreRbac(this.store, this.registry);
    const security = opts.security;
    this.gate = new Gate(security, rbac, this.lookup);
    const authenticator: AuthenticatorConfig | undefined =
      security === undefined ? undefined : { staticTokens: security.staticTokens, serviceAccounts: security.serviceAccounts, lookup: this.lookup, anonymous: security.anonymous };
    const actions = new Actions(this.store, this.registry, security, rbac, (a) => this.gate.decide(a), authenticator);
    this.resources = new ResourceHandler(this.registry, this.store, this.watches, this.crds, this.services, actions, new AdmissionWebhooks(this.store, this.registry, this.log), new PodLogs(opts.podLogDir));
    const nsType = this.registry.builtIn('', 'v1', 'namespaces');
    for (const ns of START_NAMESPACES) this.store.create(nsType, '', { metadata: { name: ns } }, { admit: (o) => admit(nsType, o, internalContext()) });
    if (security !== undefined) {
      new NamespaceController(this.store, this.registry, security.ca.certPem).fillAll();
      this.seedPolicy();
    }
    if (opts.endpointSliceController === true) new EndpointSliceController(this.store, this.registry, this.log).syncAll();
    const handler = (req: IncomingMessage, res: ServerResponse): void => {
      this.handle(req, res).catch((err: unknown) => sendError(res, err));
    };
    this.http = security?.serving === undefined ? createServer(handler) : createTlsServer({ cert: security.serving.cert, key: security.serving.key }, handler);
    this.http.keepAliveTimeout = 60_000;
  }

  /** The default ClusterRoles and bindings the real server creates at start (cluster-admin, discovery...). */
  private seedPolicy(): void {
    const policy = bootstrapPolicy();
    for (const [plural, objects] of [['clusterroles', policy.clusterRoles], ['clusterrolebindings', policy.clusterRoleBindings]] as const) {
      const type = this.registry.builtIn('rbac.authorization.k8s.io', 'v1', plural);
      for (const o of objects) this.store.create(type, '', o, { admit: (x) => admit(type, x, internalContext()) });
    }
  }

  /** What a ServiceAccount token names, for its verification (uid, deletion). */
  private readonly lookup: ObjectLookup = (kind, namespace, name) => {
    const plural = { ServiceAccount: 'serviceaccounts', Pod: 'pods', Secret: 'secrets', Node: 'nodes' }[kind];
    const obj = this.store.find(this.registry.builtIn('', 'v1', plural), namespace, name);
    if (obj === undefined) return undefined;
    const m = obj['metadata'] as JsonObject;
    return { uid: String(m['uid'] ?? ''), ...(typeof m['deletionTimestamp'] === 'string' ? { deletionTimestamp: m['deletionTimestamp'] } : {}) };
  };

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
    this.startServices(addr.port);
    return addr;
  }

  /** Allocations from Services already stored, then default/kubernetes as the real server keeps it. */
  private startServices(port: number): void {
    const type = this.registry.builtIn('', 'v1', 'services');
    for (const p of restore(this.services.allocator, this.store.list(type, undefined)).problems) this.log({ level: 'warn', msg: 'service allocation not restored', ...p });
    if (!this.kubernetesService || this.store.find(type, 'default', 'kubernetes') !== undefined) return;
    const svc = kubernetesService(this.services.allocator, port);
    this.services.write((allocate) => this.store.create(type, 'default', svc, { admit: (o, old) => allocate(admit(type, o, internalContext()), old) }));
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
    const gate = await this.gate.check(req, url);
    if (gate.kind === 'plain') {
      res.writeHead(gate.response.code, gate.response.headers);
      res.end(gate.response.body);
      return;
    }
    if (gate.kind === 'refuse') {
      this.log({ level: 'info', msg: 'request refused', method: req.method ?? '', path: url.pathname, code: gate.status.code, why: gate.why });
      return sendJson(res, gate.status.code, gate.status, gate.warnings);
    }
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
        return this.resources.handle(req, res, url, route, method, gate.user);
      case 'unknown':
        throw new ApiError(404, Reason.NotFound, `the server could not find the requested resource (path ${url.pathname})`);
      default:
        return serveDiscovery(res, route, method, url.pathname, this.registry, this.address);
    }
  }
}
