// The stand-in as an in-process service: informers on Services and EndpointSlices feed the
// pure ruleset, and a debounced syncer writes it into one node namespace's nftables table.

import { isIP } from 'node:net';
import { KubeConfig, type KubernetesObject } from '@kubernetes/client-node';
import { createInformer, type Informer } from '@headland/kube';
import { endpointSliceFromKubernetes, serviceFromKubernetes } from './convert.js';
import { KubeProxyError } from './errors.js';
import type { EndpointSlice, Service } from './model.js';
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
}

export interface KubeProxy {
  /** Resolves after the first ruleset built from complete lists is in the kernel. */
  readonly ready: Promise<void>;
  /** The ruleset last written to the kernel. */
  lastApplied(): Ruleset | undefined;
  /** How many times nft has been run with a new ruleset. */
  applyCount(): number;
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

  let last: Ruleset | undefined;
  let applies = 0;
  let markReady!: () => void;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  let services: Informer<KubernetesObject> | undefined;
  let slices: Informer<KubernetesObject> | undefined;

  const syncer = new Syncer({
    debounceMs: opts.debounceMs ?? 50,
    retryMinMs: 200,
    retryMaxMs: 5_000,
    apply: async () => {
      const svcs: Service[] = convertAll(services?.list() ?? [], serviceFromKubernetes);
      const eps: EndpointSlice[] = convertAll(slices?.list() ?? [], endpointSliceFromKubernetes);
      const ruleset = buildRuleset(svcs, eps, node, table);
      if (ruleset.text !== last?.text) {
        await applyScript(opts.netns, ruleset.text);
        last = ruleset;
        applies++;
        opts.onApplied?.(ruleset);
        const count = (kind: string) => ruleset.rules.filter((r) => r.verdict.kind === kind).length;
        log({ level: 'info', msg: 'applied ruleset', table, services: svcs.length, endpointSlices: eps.length, dnat: count('dnat'), drop: count('drop'), reject: count('reject') });
      }
      markReady();
    },
    onError: (err, retryInMs) => log({ level: 'error', msg: 'applying ruleset failed', error: (err as Error).message, retryInMs }),
  });

  // @headland/kube's informers relist on 410 and after failures, reporting what a relist finds
  // gone as deletes, so every change (including those) is one poke of the syncer.
  let primed = false;
  const follow = (inf: Informer<KubernetesObject>, what: string): Informer<KubernetesObject> => {
    inf.on('change', () => {
      if (primed) syncer.poke();
    });
    inf.on('error', (err, retryInMs) => log({ level: 'warn', msg: `${what} watch failed, restarting`, error: err instanceof Error ? err.message : String(err), retryInMs }));
    return inf;
  };
  const retry = { retryMinMs: 200, retryMaxMs: 5_000 };
  services = follow(createInformer(kc, { apiVersion: 'v1', plural: 'services', kind: 'Service' }, retry), 'services');
  slices = follow(createInformer(kc, { apiVersion: 'discovery.k8s.io/v1', plural: 'endpointslices', kind: 'EndpointSlice' }, retry), 'endpointslices');
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
    async stop() {
      await syncer.stop();
      await Promise.all([services?.stop(), slices?.stop()]);
      try {
        await applyScript(opts.netns, renderDelete(table));
        log({ level: 'info', msg: 'removed table', table });
      } catch (err) {
        // The namespace may already be gone with the lab; nothing is left to clean then.
        log({ level: 'warn', msg: 'could not remove table', table, error: (err as Error).message });
      }
    },
  };
}
