// The stand-in as an in-process service: informers on Services and EndpointSlices feed the
// pure ruleset, a debounced syncer writes it into one node namespace's nftables table, and
// kube-proxy's health servers report what the last applied ruleset holds.

import { isIP, type AddressInfo } from 'node:net';
import { KubeConfig, type KubernetesObject } from '@kubernetes/client-node';
import { createInformer, type Informer } from '@headland/kube';
import { endpointSliceFromKubernetes, nodeFromKubernetes, serviceFromKubernetes } from './convert.js';
import { KubeProxyError } from './errors.js';
import {
  DEFAULT_HEALTH_TIMEOUT_MS,
  EMPTY_PROXY_HEALTH,
  familiesOfChange,
  nodeChangeQueues,
  nodeEligible,
  proxyHealth,
  proxyHealthAnswer,
  queuedUpdate,
  serviceHealthAnswer,
  serviceHealthChecks,
  serviceKey,
  updated,
  type ProxyHealth,
  type ServiceHealthCheck,
} from './health.js';
import { ServiceHealthServers, startProxyHealthServer, type BindAddress, type ProxyHealthServer } from './health-server.js';
import { IP_FAMILIES, type EndpointSlice, type IPFamily, type NodeState, type Service } from './model.js';
import { applyScript } from './nft.js';
import { buildRuleset, DEFAULT_TABLE, renderDelete, type Ruleset } from './rules.js';
import { Syncer } from './syncer.js';
import { jsonLines, type Logger } from '../programs/json-lines.js';

export type { LogEntry, Logger } from '../programs/json-lines.js';

export const jsonLineLogger = (node: string): Logger => jsonLines('headland-kubeproxy', node);

export interface KubeProxyOptions {
  /** Path of a kubeconfig file, or a loaded KubeConfig. */
  readonly kubeconfig: string | KubeConfig;
  readonly nodeName: string;
  /** The node's addresses; Cluster traffic is SNATed to the one of its family. */
  readonly nodeIPs: readonly string[];
  /** Program nftables inside this namespace (via `ip netns exec`); unset: the current one. */
  readonly netns?: string;
  readonly table?: string;
  readonly debounceMs?: number;
  readonly log?: Logger;
  /** Called with each ruleset once it is in the kernel. */
  readonly onApplied?: (ruleset: Ruleset) => void;
  /** kube-proxy's health servers, in the current network namespace; unset: none (health() still answers). */
  readonly health?: HealthServing;
  /** How long a queued update may wait for an apply before the proxy counts as unhealthy. */
  readonly healthTimeoutMs?: number;
  /** The clock of the health state (ms since the epoch). */
  readonly now?: () => number;
  /** Feeds a script to nft (default: `nft -f -`, in `netns`); tests stand in for the kernel with it. */
  readonly nft?: (netns: string | undefined, script: string) => Promise<unknown>;
}

export interface HealthServing {
  /** Where /healthz and /livez listen (--healthz-bind-address); null: not served. */
  readonly healthzBindAddress: BindAddress | null;
  /** Serve each Local LoadBalancer Service's healthCheckNodePort; default true. */
  readonly serviceHealth?: boolean;
  /** Where those ports listen; default "0.0.0.0", which is both families as in kube-proxy. */
  readonly serviceHealthHost?: string;
  /** The port actually bound for a healthCheckNodePort (tests: 0). */
  readonly serviceHealthPort?: (healthCheckNodePort: number) => number;
}

export interface KubeProxyHealth {
  /** What /livez reports (and /healthz, with the Node). */
  readonly proxy: ProxyHealth;
  readonly nodeEligible: boolean;
  /** The health checks of the ruleset last applied. */
  readonly services: readonly ServiceHealthCheck[];
}

export interface KubeProxy {
  /** Resolves after the first ruleset built from complete lists is in the kernel. */
  readonly ready: Promise<void>;
  /** The ruleset last written to the kernel. */
  lastApplied(): Ruleset | undefined;
  /** How many times nft has been run with a new ruleset. */
  applyCount(): number;
  /** The state kube-proxy's health servers answer from, now. */
  health(): KubeProxyHealth;
  /** Where /healthz listens, once it does. */
  healthzAddress(): AddressInfo | undefined;
  /** Where a Service's ("namespace/name") health check port listens, while it is open. */
  serviceHealthAddress(service: string): AddressInfo | undefined;
  /** Stops watching and removes the table. */
  stop(): Promise<void>;
}

const NODE_NAME = /^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$/;

function checkOptions(opts: KubeProxyOptions): void {
  const fail = (what: string) => {
    throw new KubeProxyError('kubeproxy/proxy', what);
  };
  if (!NODE_NAME.test(opts.nodeName)) fail(`node name "${opts.nodeName}" is not a lowercase RFC 1123 name`);
  if (opts.nodeIPs.length === 0) fail('at least one node IP is needed (Cluster traffic is SNATed to it)');
  for (const ip of opts.nodeIPs) if (isIP(ip) === 0) fail(`node IP "${ip}" is not an IP address`);
  if (opts.debounceMs !== undefined && (!Number.isFinite(opts.debounceMs) || opts.debounceMs < 0)) fail(`debounce ${opts.debounceMs} ms is not a duration`);
  if (opts.healthTimeoutMs !== undefined && (!Number.isFinite(opts.healthTimeoutMs) || opts.healthTimeoutMs <= 0)) fail(`health timeout ${opts.healthTimeoutMs} ms is not a positive duration`);
}

function loadKubeConfig(source: string | KubeConfig): KubeConfig {
  if (typeof source !== 'string') return source;
  const kc = new KubeConfig();
  try {
    kc.loadFromFile(source);
  } catch (err) {
    throw new KubeProxyError('kubeproxy/proxy', `cannot load kubeconfig ${source}: ${(err as Error).message}`);
  }
  return kc;
}

export async function startKubeProxy(opts: KubeProxyOptions): Promise<KubeProxy> {
  checkOptions(opts);
  const kc = loadKubeConfig(opts.kubeconfig);
  const log = opts.log ?? jsonLineLogger(opts.nodeName);
  const table = opts.table ?? DEFAULT_TABLE;
  const node = { name: opts.nodeName, ips: opts.nodeIPs };

  const now = opts.now ?? Date.now;
  const nft = opts.nft ?? applyScript;
  const healthTimeoutMs = opts.healthTimeoutMs ?? DEFAULT_HEALTH_TIMEOUT_MS;

  // A bad object is reported once, not at every resync.
  const reported = new Set<string>();
  const convertAll = <T>(objects: readonly KubernetesObject[], convert: (o: unknown) => T | null): T[] => {
    const out: T[] = [];
    for (const obj of objects) {
      try {
        const value = convert(obj);
        if (value !== null) out.push(value);
      } catch (err) {
        const msg = (err as Error).message;
        if (!reported.has(msg)) log({ level: 'warn', msg: 'skipping object', error: msg });
        reported.add(msg);
      }
    }
    return out;
  };

  // kube-proxy's SyncLoop marks every proxier updated as it starts, in case no sync ever succeeds;
  // the stand-in's one inet table stands for a dual-stack kube-proxy's two proxiers.
  let healthState = updated(EMPTY_PROXY_HEALTH, IP_FAMILIES, now());
  const queue = (families: readonly IPFamily[]): void => {
    healthState = queuedUpdate(healthState, families, now());
  };
  /** Health checks of the ruleset last applied, by "namespace/name". */
  let checks = new Map<string, ServiceHealthCheck>();
  let nodeObject: NodeState | undefined;
  const proxyHealthy = (): boolean => proxyHealth(healthState, now(), healthTimeoutMs).healthy;
  const serviceServers =
    opts.health === undefined || opts.health.serviceHealth === false
      ? undefined
      : new ServiceHealthServers({
          answer: (service) => {
            const check = checks.get(service);
            return check === undefined ? undefined : serviceHealthAnswer(check, proxyHealthy());
          },
          log,
          ...(opts.health.serviceHealthHost === undefined ? {} : { host: opts.health.serviceHealthHost }),
          ...(opts.health.serviceHealthPort === undefined ? {} : { listenPort: opts.health.serviceHealthPort }),
        });
  // Like kube-proxy, /healthz answers from the start, before the first sync.
  const healthzBind = opts.health?.healthzBindAddress ?? null;
  const healthz: ProxyHealthServer | undefined =
    healthzBind === null ? undefined : startProxyHealthServer(healthzBind, (target) => proxyHealthAnswer(target, healthState, nodeObject, now(), healthTimeoutMs), log);

  let last: Ruleset | undefined;
  let applies = 0;
  let markReady!: () => void;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  let services: Informer<KubernetesObject> | undefined;
  let slices: Informer<KubernetesObject> | undefined;
  let nodes: Informer<KubernetesObject> | undefined;

  const syncer = new Syncer({
    debounceMs: opts.debounceMs ?? 50,
    retryMinMs: 200,
    retryMaxMs: 5_000,
    apply: async () => {
      const svcs: Service[] = convertAll(services?.list() ?? [], serviceFromKubernetes);
      const eps: EndpointSlice[] = convertAll(slices?.list() ?? [], endpointSliceFromKubernetes);
      const ruleset = buildRuleset(svcs, eps, node, table);
      if (ruleset.text !== last?.text) {
        await nft(opts.netns, ruleset.text);
        last = ruleset;
        applies++;
        opts.onApplied?.(ruleset);
        const count = (kind: string) => ruleset.rules.filter((r) => r.verdict.kind === kind).length;
        log({ level: 'info', msg: 'applied ruleset', table, services: svcs.length, endpointSlices: eps.length, dnat: count('dnat'), drop: count('drop'), reject: count('reject') });
      }
      // Only now, with these rules in: Updated, then the health checks of exactly these inputs
      // (kube-proxy's SyncServices and SyncEndpoints). A failed nft run above skips all of it.
      healthState = updated(healthState, IP_FAMILIES, now());
      const published = serviceHealthChecks(svcs, eps, opts.nodeName);
      checks = new Map(published.map((c) => [serviceKey(c), c]));
      await serviceServers?.sync(published.map((c) => ({ service: serviceKey(c), port: c.port })));
      markReady();
    },
    onError: (err, retryInMs) => log({ level: 'error', msg: 'applying ruleset failed', error: (err as Error).message, retryInMs }),
  });

  // @headland/kube's informers relist on 410 and after failures, reporting what a relist finds
  // gone as deletes, so every change (including those) is one poke of the syncer.
  // Each change also queues an update for the families whose kube-proxy proxier it reaches,
  // which /healthz holds against the health timeout until an apply succeeds.
  let primed = false;
  const watchFailed = (what: string) => (err: unknown, retryInMs: number) =>
    log({ level: 'warn', msg: `${what} watch failed, restarting`, error: err instanceof Error ? err.message : String(err), retryInMs });
  const follow = (inf: Informer<KubernetesObject>, what: string, kind: 'Service' | 'EndpointSlice'): Informer<KubernetesObject> => {
    inf.on('change', (_type, obj, old) => {
      if (!primed) return;
      queue(familiesOfChange(kind, old === undefined ? [obj] : [obj, old]));
      syncer.poke();
    });
    inf.on('error', watchFailed(what));
    return inf;
  };
  const retry = { retryMinMs: 200, retryMaxMs: 5_000 };
  services = follow(createInformer(kc, { apiVersion: 'v1', plural: 'services', kind: 'Service' }, retry), 'services', 'Service');
  slices = follow(createInformer(kc, { apiVersion: 'discovery.k8s.io/v1', plural: 'endpointslices', kind: 'EndpointSlice' }, retry), 'endpointslices', 'EndpointSlice');
  // This node only, as kube-proxy's NodeManager watches it: /healthz reads its deletion and taints,
  // and a label change makes kube-proxy re-sync (before the first sync too).
  nodes = createInformer(kc, { apiVersion: 'v1', plural: 'nodes', kind: 'Node', fieldSelector: `metadata.name=${opts.nodeName}` }, retry);
  nodes.on('change', (type, obj) => {
    let next: NodeState | undefined;
    if (type !== 'delete') {
      const [converted] = convertAll([obj], nodeFromKubernetes);
      if (converted === undefined) return;
      next = converted;
    }
    if (nodeChangeQueues(nodeObject?.labels, next)) {
      queue(IP_FAMILIES);
      if (primed) syncer.poke();
    }
    nodeObject = next;
  });
  nodes.on('error', watchFailed('node'));
  log({ level: 'info', msg: 'starting', netns: opts.netns ?? null, nodeIPs: opts.nodeIPs, table });
  // The first ruleset waits for complete lists of both; a stop before then rejects `synced`, which is fine.
  Promise.all([services.synced, slices.synced]).then(
    () => {
      primed = true;
      syncer.poke();
    },
    () => undefined,
  );

  return {
    ready,
    lastApplied: () => last,
    applyCount: () => applies,
    health: () => ({ proxy: proxyHealth(healthState, now(), healthTimeoutMs), nodeEligible: nodeEligible(nodeObject), services: [...checks.values()] }),
    healthzAddress: () => healthz?.address(),
    serviceHealthAddress: (service) => serviceServers?.address(service),
    async stop() {
      await syncer.stop();
      await Promise.all([services?.stop(), slices?.stop(), nodes?.stop(), healthz?.close(), serviceServers?.close()]);
      try {
        await nft(opts.netns, renderDelete(table));
        log({ level: 'info', msg: 'removed table', table });
      } catch (err) {
        // The namespace may already be gone with the lab; nothing is left to clean then.
        log({ level: 'warn', msg: 'could not remove table', table, error: (err as Error).message });
      }
    },
  };
}
