// The stand-in as an in-process service: informers on Nodes, Pods, DaemonSets and Deployments;
// a sync loop that creates/deletes this node's Pods, runs their containers with podman, probes them and writes status.

import { chmodSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { clusterConfigFromFile, createInformer, isNotFound, requestJson, type Informer } from '@headland/kube';
import type { KubernetesObject } from '@kubernetes/client-node';
import { parse } from 'yaml';
import { KubeletError } from './errors.js';
import { NODE_LABEL, POD_FINALIZER, type Container, type DaemonSet, type Deployment, type Node, type Pod } from './model.js';
import { isTerminating, plan } from './plan.js';
import { mountsToken, podmanRunArgv, podRefusals, type RunContext } from './podman-args.js';
import { PODMAN_GLOBAL, Podman, execArgv, type Exec, type PodmanContainer } from './podman.js';
import { httpProbe } from './probe.js';
import { PodNetwork, parsePodCidrs, type PodAddressing } from './pod-network.js';
import { podStatus, type ContainerView } from './status.js';
import { writeServiceAccountFiles, type WrittenToken } from './token.js';
import { daemonSetStatus, deploymentStatus, sameStatus } from './workload-status.js';
import { jsonLines, type Logger } from '../programs/json-lines.js';

export type { LogEntry, Logger } from '../programs/json-lines.js';

export const jsonLineLogger = (node: string): Logger => jsonLines('headland-kubelet', node);

export interface KubeletOptions {
  readonly kubeconfig: string;
  readonly nodeName: string;
  /** The node's network namespace (containers join it; probes run in it). */
  readonly netns: string;
  /** The node's addresses: InternalIP, hostIP, and podIP of hostNetwork Pods. */
  readonly nodeIPs: readonly string[];
  /**
   * The node's pod CIDRs (one per family): a Pod without hostNetwork gets a network namespace of
   * its own with addresses from them. Without, such Pods share the node's namespace (a logged note).
   */
  readonly podCidrs?: readonly string[];
  /** Per-pod dirs (emptyDir, service-account files); default /run/headland-kubelet/NODE. */
  readonly stateDir?: string;
  /** Container logs as the kubelet lays them out: DIR/NS_POD_UID/CONTAINER/RESTARTS.log; default STATEDIR/pods. */
  readonly podLogDir?: string;
  readonly podmanGlobal?: readonly string[];
  readonly ulimits?: readonly string[];
  readonly allowPrivileged?: boolean;
  readonly nodeLabels?: Readonly<Record<string, string>>;
  readonly syncMs?: number;
  /** First restart delay after a crash (doubles up to 5 min, as the kubelet's 10 s does). */
  readonly restartBackoffMs?: number;
  readonly log?: Logger;
  readonly exec?: Exec;
}

export interface Kubelet {
  readonly ready: Promise<void>;
  /** Stops watching; with removeContainers, also stops (grace 0 + preStop skipped) and removes this node's containers. */
  stop(opts?: { removeContainers?: boolean }): Promise<void>;
}

interface ContainerRun {
  id?: string;
  restartCount: number;
  imageID: string;
  startedAt?: string;
  ready: boolean;
  waiting?: { reason: string; message?: string };
  terminated?: { exitCode: number; reason: string; startedAt?: string; finishedAt?: string };
  lastTerminated?: { exitCode: number; reason: string; startedAt?: string; finishedAt?: string };
  backoffMs: number;
  nextStartAt: number;
  starting: boolean;
  firstRunAt?: number;
  nextLiveAt: number;
  nextReadyAt: number;
  liveFailures: number;
  readyFailures: number;
  probing: boolean;
  killing: boolean;
}

interface PodRun {
  pod: Pod;
  readonly uid: string;
  readonly startTime: string;
  readonly containers: Map<string, ContainerRun>;
  token?: WrittenToken;
  /** The Pod's own namespace and addresses (non-hostNetwork Pods with a pod network). */
  addressing?: PodAddressing;
  terminating: boolean;
  lastStatus?: string;
  refusalsLogged: boolean;
}

const LABEL_UID = 'io.kubernetes.pod.uid';
const LABEL_NAME = 'io.kubernetes.pod.name';
const LABEL_NS = 'io.kubernetes.pod.namespace';
const LABEL_CONTAINER = 'io.kubernetes.container.name';
const LABEL_RESTARTS = 'io.headland.kubelet.restart-count';

/** The podman default ulimits make runc fail where root lacks CAP_SYS_RESOURCE (scripts/image/check.sh). */
export const DEFAULT_ULIMITS = ['nofile=16384:16384', 'nproc=16384:16384'];

const podKey = (p: Pod) => `${p.metadata.namespace ?? 'default'}/${p.metadata.name ?? ''}`;
const isoOf = (unixSeconds: number) => new Date(unixSeconds * 1000).toISOString();

export function apiAddressOf(kubeconfigPath: string): { host: string; port: string; caPem: string } {
  const doc = parse(readFileSync(kubeconfigPath, 'utf8')) as { clusters?: { cluster?: { server?: string; 'certificate-authority-data'?: string } }[] };
  const cluster = doc.clusters?.[0]?.cluster;
  if (cluster?.server === undefined) throw new KubeletError('kubelet/kubelet', `${kubeconfigPath} names no server`);
  const url = new URL(cluster.server);
  const port = url.port !== '' ? url.port : url.protocol === 'https:' ? '443' : '80';
  return { host: url.hostname.replace(/^\[|\]$/g, ''), port, caPem: Buffer.from(cluster['certificate-authority-data'] ?? '', 'base64').toString('utf8') };
}

export async function startKubelet(opts: KubeletOptions): Promise<Kubelet> {
  if (opts.nodeIPs.length === 0) throw new KubeletError('kubelet/kubelet', 'at least one --node-ip is needed');
  const log = opts.log ?? jsonLineLogger(opts.nodeName);
  const exec = opts.exec ?? execArgv;
  const kc = clusterConfigFromFile(opts.kubeconfig, '--kubeconfig');
  const api = apiAddressOf(opts.kubeconfig);
  const me = opts.nodeName;
  const ip = opts.nodeIPs[0]!;
  const stateDir = opts.stateDir ?? `/run/headland-kubelet/${me}`;
  const logDir = opts.podLogDir ?? join(stateDir, 'pods');
  const podmanGlobal = opts.podmanGlobal ?? PODMAN_GLOBAL;
  const podman = new Podman(podmanGlobal, exec);
  const syncMs = opts.syncMs ?? 1000;
  const backoffBase = opts.restartBackoffMs ?? 10_000;
  mkdirSync(logDir, { recursive: true });
  const podCidrs = parsePodCidrs(opts.podCidrs ?? []);
  const podNetwork = podCidrs.length === 0 ? undefined : new PodNetwork(opts.netns, podCidrs, join(stateDir, 'pod-network.json'), exec);
  const reachable = (await podNetwork?.reachFromControlPlane()) ?? [];
  if (reachable.length > 0) log({ level: 'info', msg: 'pod network reachable from the control plane', routes: reachable.map((r) => `${r.prefix} via ${r.via}`) });
  const ownNetwork = (pod: Pod) => podNetwork !== undefined && pod.spec.hostNetwork !== true;
  /** status.podIPs: the Pod's own addresses, or the node's for hostNetwork Pods (and without a pod network). */
  const podIPsOf = (run: PodRun) => run.addressing?.ips ?? opts.nodeIPs;

  await registerNode();
  const retry = { retryMinMs: 200, retryMaxMs: 5_000 };
  const nodes = createInformer<KubernetesObject>(kc, { apiVersion: 'v1', plural: 'nodes', kind: 'Node' }, retry);
  const pods = createInformer<KubernetesObject>(kc, { apiVersion: 'v1', plural: 'pods', kind: 'Pod' }, retry);
  const daemonSets = createInformer<KubernetesObject>(kc, { apiVersion: 'apps/v1', plural: 'daemonsets', kind: 'DaemonSet' }, retry);
  const deployments = createInformer<KubernetesObject>(kc, { apiVersion: 'apps/v1', plural: 'deployments', kind: 'Deployment' }, retry);
  const informers: Informer<KubernetesObject>[] = [nodes, pods, daemonSets, deployments];
  for (const inf of informers) inf.on('error', (err, retryInMs) => log({ level: 'warn', msg: 'watch failed, restarting', error: err instanceof Error ? err.message : String(err), retryInMs }));

  const runs = new Map<string, PodRun>();
  const notesLogged = new Set<string>();
  let stopped = false;
  let syncing = false;
  let wake: (() => void) | undefined;
  for (const inf of informers) inf.on('change', () => wake?.());

  async function registerNode(): Promise<void> {
    const labels = { 'kubernetes.io/hostname': me, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': process.arch === 'x64' ? 'amd64' : process.arch, ...opts.nodeLabels };
    try {
      await requestJson(kc, 'GET', `/api/v1/nodes/${me}`);
      await requestJson(kc, 'PATCH', `/api/v1/nodes/${me}`, { body: { metadata: { labels } }, contentType: 'application/merge-patch+json' });
    } catch (err) {
      if (!isNotFound(err)) throw err;
      await requestJson(kc, 'POST', '/api/v1/nodes', { body: { apiVersion: 'v1', kind: 'Node', metadata: { name: me, labels } } });
    }
    const now = new Date().toISOString();
    const status = {
      addresses: [...opts.nodeIPs.map((address) => ({ type: 'InternalIP', address })), { type: 'Hostname', address: me }],
      conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'headland kubelet stand-in is posting ready status', lastHeartbeatTime: now, lastTransitionTime: now }],
      nodeInfo: { kubeletVersion: 'v1.33.0-headland-lab', containerRuntimeVersion: 'podman://runc', operatingSystem: 'linux', architecture: labels['kubernetes.io/arch'] },
    };
    await requestJson(kc, 'PATCH', `/api/v1/nodes/${me}/status`, { body: { status }, contentType: 'application/merge-patch+json' });
    log({ level: 'info', msg: 'registered node', labels, addresses: opts.nodeIPs });
  }

  const secretCache = new Map<string, Record<string, string> | null>();
  async function loadSecrets(pod: Pod): Promise<void> {
    for (const c of pod.spec.containers) {
      for (const e of c.env ?? []) {
        const ref = e.valueFrom?.secretKeyRef;
        if (ref === undefined) continue;
        const key = `${pod.metadata.namespace}/${ref.name}`;
        try {
          const s = await requestJson(kc, 'GET', `/api/v1/namespaces/${pod.metadata.namespace ?? 'default'}/secrets/${ref.name}`);
          const data = (s['data'] ?? {}) as Record<string, string>;
          secretCache.set(key, Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')])));
        } catch (err) {
          if (!isNotFound(err)) throw err;
          secretCache.set(key, null);
        }
      }
    }
  }

  const podDir = (uid: string) => join(stateDir, 'pods', uid);
  const logPath = (pod: Pod, c: string, restarts: number) => join(logDir, `${pod.metadata.namespace}_${pod.metadata.name}_${pod.metadata.uid}`, c, `${restarts}.log`);
  const containerName = (pod: Pod, c: string, restarts: number) => `k8s_${c}_${pod.metadata.name}_${pod.metadata.namespace}_${(pod.metadata.uid ?? '').slice(0, 8)}_${restarts}`;

  function newContainerRun(): ContainerRun {
    return { restartCount: 0, imageID: '', ready: false, backoffMs: backoffBase, nextStartAt: 0, starting: false, nextLiveAt: 0, nextReadyAt: 0, liveFailures: 0, readyFailures: 0, probing: false, killing: false };
  }

  async function startContainer(run: PodRun, c: Container, index: number, cr: ContainerRun): Promise<void> {
    const pod = run.pod;
    const image = c.image ?? '';
    const img = await podman.image(image);
    if (img === undefined) {
      const reason = cr.waiting?.reason === 'ErrImagePull' || cr.waiting?.reason === 'ImagePullBackOff' ? 'ImagePullBackOff' : 'ErrImagePull';
      cr.waiting = { reason, message: `image ${image} is not in podman's storage (the stand-in never pulls)` };
      cr.nextStartAt = Date.now() + cr.backoffMs;
      cr.backoffMs = Math.min(cr.backoffMs * 2, 300_000);
      log({ level: 'warn', msg: 'image not found', pod: podKey(pod), container: c.name, image, reason });
      return;
    }
    cr.imageID = img.id;
    if (mountsToken(pod) && run.token === undefined) {
      run.token = await writeServiceAccountFiles(kc, pod, join(podDir(run.uid), 'serviceaccount'), api.caPem);
    }
    await loadSecrets(pod);
    // emptyDir is world-writable (0777), as the kubelet makes it: the umask must not take that away.
    for (const v of pod.spec.volumes ?? []) {
      // hostPath DirectoryOrCreate: made (0755) when missing, as the kubelet does.
      if (v.hostPath?.type === 'DirectoryOrCreate') mkdirSync(v.hostPath.path, { recursive: true, mode: 0o755 });
      if (v.emptyDir === undefined || v.emptyDir.medium === 'Memory') continue;
      const d = join(podDir(run.uid), 'volumes', v.name);
      mkdirSync(d, { recursive: true });
      chmodSync(d, 0o777);
    }
    if (ownNetwork(pod) && run.addressing === undefined) {
      run.addressing = await podNetwork!.ensure(run.uid);
      log({ level: 'info', msg: 'pod network ready', pod: podKey(pod), netns: run.addressing.netns, ips: run.addressing.ips });
    }
    const restarts = cr.restartCount;
    mkdirSync(join(logDir, `${pod.metadata.namespace}_${pod.metadata.name}_${pod.metadata.uid}`, c.name), { recursive: true });
    const ctx: RunContext = {
      podmanGlobal,
      netns: run.addressing?.netns ?? opts.netns,
      podNetwork: run.addressing !== undefined,
      nodeName: me,
      hostIP: ip,
      podIP: podIPsOf(run)[0]!,
      apiHost: api.host,
      apiPort: api.port,
      name: containerName(pod, c.name, restarts),
      labels: { [NODE_LABEL]: me, [LABEL_UID]: run.uid, [LABEL_NAME]: pod.metadata.name ?? '', [LABEL_NS]: pod.metadata.namespace ?? 'default', [LABEL_CONTAINER]: c.name, [LABEL_RESTARTS]: String(restarts) },
      logPath: logPath(pod, c.name, restarts),
      podDir: podDir(run.uid),
      ...(run.token === undefined ? {} : { serviceAccountDir: run.token.dir }),
      secret: (name, key) => {
        const s = secretCache.get(`${pod.metadata.namespace}/${name}`);
        return s === null || s === undefined ? undefined : s[key];
      },
      imageUser: img.user,
      ulimits: opts.ulimits ?? DEFAULT_ULIMITS,
      allowPrivileged: opts.allowPrivileged === true,
    };
    const t = podmanRunArgv(pod, c, index, ctx);
    const notes = t.notes.filter((n) => !notesLogged.has(`${run.uid}:${n}`));
    for (const n of notes) notesLogged.add(`${run.uid}:${n}`);
    if (notes.length > 0) log({ level: 'info', msg: 'fields handled differently', pod: podKey(pod), notes });
    if (!t.ok) {
      cr.waiting = { reason: 'CreateContainerConfigError', message: t.refusals.join('; ') };
      cr.nextStartAt = Date.now() + 30_000;
      for (const r of t.refusals) log({ level: 'error', msg: 'refused field', pod: podKey(pod), container: c.name, field: r });
      return;
    }
    await podman.remove(ctx.name); // a leftover of a crash with the same restart count
    try {
      const id = await podman.runContainer(t.argv);
      cr.id = id;
      delete cr.waiting;
      cr.firstRunAt = Date.now();
      cr.nextLiveAt = Date.now() + (c.livenessProbe?.initialDelaySeconds ?? 0) * 1000;
      cr.nextReadyAt = Date.now() + (c.readinessProbe?.initialDelaySeconds ?? 0) * 1000;
      cr.liveFailures = 0;
      cr.readyFailures = 0;
      cr.ready = c.readinessProbe === undefined;
      log({ level: 'info', msg: 'started container', pod: podKey(pod), container: c.name, id: id.slice(0, 12), restartCount: restarts, image });
    } catch (err) {
      cr.waiting = { reason: 'RunContainerError', message: (err as Error).message };
      cr.nextStartAt = Date.now() + cr.backoffMs;
      cr.backoffMs = Math.min(cr.backoffMs * 2, 300_000);
      log({ level: 'error', msg: 'podman run failed', pod: podKey(pod), container: c.name, error: (err as Error).message });
    }
  }

  /** preStop (within the grace period), then podman stop -t with what is left of it. */
  async function killContainer(pod: Pod, c: Container | undefined, id: string, graceSeconds: number, why: string): Promise<void> {
    const started = Date.now();
    const preStop = c?.lifecycle?.preStop?.exec?.command;
    if (preStop !== undefined && graceSeconds > 0) {
      const r = await podman.execIn(id, preStop, graceSeconds * 1000);
      log({ level: r.code === 0 ? 'info' : 'warn', msg: 'preStop ran', pod: podKey(pod), container: c?.name, code: r.code, ms: Date.now() - started, ...(r.code === 0 ? {} : { error: r.stderr.trim().slice(0, 300) }) });
    }
    // The kubelet gives at least 2 s after preStop.
    const left = Math.max(graceSeconds === 0 ? 0 : 2, Math.ceil(graceSeconds - (Date.now() - started) / 1000));
    await podman.stop(id, left);
    log({ level: 'info', msg: 'stopped container', pod: podKey(pod), container: c?.name, why, graceSeconds, ms: Date.now() - started });
  }

  async function terminate(run: PodRun, list: readonly PodmanContainer[]): Promise<void> {
    const pod = run.pod;
    // The API server sets deletionGracePeriodSeconds: what the delete asked for (kubectl delete --grace-period=N),
    // else the pod's terminationGracePeriodSeconds, else 30.
    const asked = (pod.metadata as { deletionGracePeriodSeconds?: number }).deletionGracePeriodSeconds;
    const grace = asked ?? pod.spec.terminationGracePeriodSeconds ?? 30;
    const mine = list.filter((x) => x.labels[LABEL_UID] === run.uid && x.state === 'running');
    await Promise.all(mine.map((x) => killContainer(pod, pod.spec.containers.find((c) => c.name === x.labels[LABEL_CONTAINER]), x.id, grace, 'pod deleted')));
    for (const x of list.filter((y) => y.labels[LABEL_UID] === run.uid)) await podman.remove(x.id);
    await podNetwork?.release(run.uid);
    rmSync(podDir(run.uid), { recursive: true, force: true });
  }

  async function dropFinalizer(pod: Pod): Promise<void> {
    const finalizers = (pod.metadata.finalizers ?? []).filter((f) => f !== POD_FINALIZER);
    try {
      await requestJson(kc, 'PATCH', `/api/v1/namespaces/${pod.metadata.namespace}/pods/${pod.metadata.name}`, {
        body: [{ op: 'test', path: '/metadata/uid', value: pod.metadata.uid }, { op: 'replace', path: '/metadata/finalizers', value: finalizers }],
        contentType: 'application/json-patch+json',
      });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  function probe(run: PodRun, c: Container, cr: ContainerRun, now: number): void {
    if (cr.probing || cr.id === undefined || cr.killing) return;
    const live = c.livenessProbe?.httpGet !== undefined && now >= cr.nextLiveAt ? c.livenessProbe : undefined;
    const ready = c.readinessProbe?.httpGet !== undefined && now >= cr.nextReadyAt ? c.readinessProbe : undefined;
    if (live === undefined && ready === undefined) return;
    cr.probing = true;
    void (async () => {
      try {
        if (ready !== undefined) {
          const r = await httpProbe(exec, opts.netns, podIPsOf(run)[0]!, c, ready.httpGet!, ready.timeoutSeconds ?? 1);
          cr.nextReadyAt = Date.now() + (ready.periodSeconds ?? 10) * 1000;
          if (r.ok) {
            cr.readyFailures = 0;
            if (!cr.ready) log({ level: 'info', msg: 'readiness probe passed', pod: podKey(run.pod), container: c.name });
            cr.ready = true;
          } else if (++cr.readyFailures >= (ready.failureThreshold ?? 3) || !cr.ready) {
            if (cr.ready) log({ level: 'warn', msg: 'readiness probe failed', pod: podKey(run.pod), container: c.name, detail: r.detail });
            cr.ready = false;
          }
        }
        if (live !== undefined) {
          const r = await httpProbe(exec, opts.netns, podIPsOf(run)[0]!, c, live.httpGet!, live.timeoutSeconds ?? 1);
          cr.nextLiveAt = Date.now() + (live.periodSeconds ?? 10) * 1000;
          if (r.ok) cr.liveFailures = 0;
          else if (++cr.liveFailures >= (live.failureThreshold ?? 3) && cr.id !== undefined) {
            log({ level: 'warn', msg: 'liveness probe failed, restarting', pod: podKey(run.pod), container: c.name, failures: cr.liveFailures, detail: r.detail });
            cr.killing = true;
            cr.ready = false;
            await killContainer(run.pod, c, cr.id, run.pod.spec.terminationGracePeriodSeconds ?? 30, 'liveness probe failed');
            cr.killing = false;
            cr.nextStartAt = 0; // a liveness restart is not a crash: no backoff
          }
        }
      } finally {
        cr.probing = false;
        wake?.();
      }
    })();
  }

  /** DaemonSet and Deployment status, written when what this stand-in computes differs from what is stored. */
  async function writeWorkloadStatus(allNodes: readonly Node[], dss: readonly DaemonSet[], deps: readonly Deployment[], allPods: readonly Pod[]): Promise<void> {
    const now = new Date().toISOString();
    const writes = [
      ...dss.map((d) => ({ o: d, path: `/apis/apps/v1/namespaces/${d.metadata.namespace}/daemonsets/${d.metadata.name}/status`, status: daemonSetStatus(d, allNodes, allPods) })),
      ...deps.map((d) => ({ o: d, path: `/apis/apps/v1/namespaces/${d.metadata.namespace}/deployments/${d.metadata.name}/status`, status: deploymentStatus(d, allPods, now) })),
    ];
    for (const w of writes) {
      if (w.o.metadata.deletionTimestamp !== undefined || sameStatus((w.o as { status?: unknown }).status, w.status)) continue;
      try {
        await requestJson(kc, 'PATCH', w.path, { body: { status: w.status }, contentType: 'application/merge-patch+json' });
      } catch (err) {
        if (!isNotFound(err)) log({ level: 'warn', msg: 'workload status write failed', path: w.path, error: (err as Error).message });
      }
    }
  }

  async function syncOnce(): Promise<void> {
    const allPods = pods.list() as unknown as Pod[];
    const allNodes = nodes.list() as unknown as Node[];
    const dss = daemonSets.list() as unknown as DaemonSet[];
    const deps = deployments.list() as unknown as Deployment[];
    const p = plan({ node: me, nodes: allNodes, daemonSets: dss, deployments: deps, pods: allPods });
    for (const n of p.notes) if (!notesLogged.has(n)) (notesLogged.add(n), log({ level: 'info', msg: 'plan note', note: n }));
    for (const pod of p.create) {
      const created = await requestJson(kc, 'POST', `/api/v1/namespaces/${pod.metadata.namespace}/pods`, { body: pod });
      const md = created['metadata'] as { name?: string } | undefined;
      log({ level: 'info', msg: 'created pod', pod: `${pod.metadata.namespace}/${md?.name ?? ''}`, owner: pod.metadata.ownerReferences?.[0]?.name });
    }
    for (const d of p.delete) {
      log({ level: 'info', msg: 'deleting pod', pod: podKey(d.pod), reason: d.reason });
      await requestJson(kc, 'DELETE', `/api/v1/namespaces/${d.pod.metadata.namespace}/pods/${d.pod.metadata.name}`).catch((err: unknown) => {
        if (!isNotFound(err)) throw err;
      });
    }

    await writeWorkloadStatus(allNodes, dss, deps, allPods);
    const list = await podman.list(`${NODE_LABEL}=${me}`);
    const here = allPods.filter((x) => x.spec.nodeName === me);
    const present = new Set(here.map((x) => x.metadata.uid));
    const now = Date.now();
    // Containers of pods gone from the API (deleted without our finalizer, or before we saw them).
    for (const [uid, run] of runs) {
      if (present.has(uid) || run.terminating) continue;
      run.terminating = true;
      void terminate(run, list).finally(() => runs.delete(uid));
    }
    for (const x of list) {
      const uid = x.labels[LABEL_UID] ?? '';
      if (!present.has(uid) && !runs.has(uid)) void podman.remove(x.id);
    }
    // Namespaces of Pods that went while the stand-in was away.
    for (const uid of (await podNetwork?.releaseAllBut(new Set([...present, ...runs.keys()].filter((u): u is string => u !== undefined)))) ?? []) log({ level: 'info', msg: 'released pod network', uid });
    for (const pod of here) {
      const uid = pod.metadata.uid ?? '';
      let run = runs.get(uid);
      if (run === undefined) {
        run = { pod, uid, startTime: new Date().toISOString(), containers: new Map(), terminating: false, refusalsLogged: false };
        const addressing = podNetwork?.addressing(uid);
        if (addressing !== undefined) run.addressing = addressing;
        runs.set(uid, run);
        // Adopt what a previous stand-in left running.
        for (const x of list.filter((y) => y.labels[LABEL_UID] === uid)) {
          const name = x.labels[LABEL_CONTAINER] ?? '';
          const restarts = Number(x.labels[LABEL_RESTARTS] ?? 0);
          const cur = run.containers.get(name);
          if (cur !== undefined && cur.restartCount > restarts) continue;
          run.containers.set(name, { ...newContainerRun(), id: x.id, restartCount: restarts, imageID: x.imageID, startedAt: isoOf(x.startedAt), ready: false });
        }
      }
      run.pod = pod;
      if (isTerminating(pod)) {
        if (!run.terminating) {
          run.terminating = true;
          log({ level: 'info', msg: 'terminating pod', pod: podKey(pod) });
          const r = run;
          void terminate(r, list)
            .then(() => dropFinalizer(pod))
            .then(() => log({ level: 'info', msg: 'pod terminated', pod: podKey(pod) }))
            .catch((err: unknown) => log({ level: 'error', msg: 'terminating failed', pod: podKey(pod), error: (err as Error).message }))
            .finally(() => runs.delete(uid));
        }
        continue;
      }
      const { refusals } = podRefusals(pod, ownNetwork(pod));
      if (refusals.length > 0 && !run.refusalsLogged) {
        run.refusalsLogged = true;
        for (const r of refusals) log({ level: 'error', msg: 'refused field', pod: podKey(pod), field: r });
      }
      if (run.token !== undefined && now >= run.token.refreshAt) {
        const r = run;
        r.token = { ...r.token!, refreshAt: now + 60_000 };
        void writeServiceAccountFiles(kc, pod, r.token.dir, api.caPem).then(
          (t) => ((r.token = t), log({ level: 'info', msg: 'refreshed token', pod: podKey(pod) })),
          (err: unknown) => log({ level: 'warn', msg: 'token refresh failed', pod: podKey(pod), error: (err as Error).message }),
        );
      }
      pod.spec.containers.forEach((c, index) => {
        let cr = run.containers.get(c.name);
        if (cr === undefined) run.containers.set(c.name, (cr = newContainerRun()));
        const row = cr.id === undefined ? undefined : list.find((x) => x.id === cr!.id);
        const running = row?.state === 'running';
        if (row !== undefined) cr.startedAt = isoOf(row.startedAt);
        if (cr.id !== undefined && !running && !cr.starting && !cr.killing && row !== undefined && row.state !== 'created' && row.state !== 'configured') {
          // Exited: record it, and restart after the backoff (Always).
          const ranFor = row.exitedAt - row.startedAt;
          cr.lastTerminated = { exitCode: row.exitCode, reason: row.exitCode === 0 ? 'Completed' : 'Error', startedAt: isoOf(row.startedAt), finishedAt: isoOf(row.exitedAt) };
          const old = cr.id;
          delete cr.id;
          cr.ready = false;
          cr.restartCount++;
          if (cr.nextStartAt !== 0 || ranFor < 10) {
            cr.nextStartAt = now + cr.backoffMs;
            cr.backoffMs = Math.min(cr.backoffMs * 2, 300_000);
            cr.waiting = { reason: 'CrashLoopBackOff', message: `back-off ${cr.backoffMs / 2000}s restarting failed container=${c.name} pod=${pod.metadata.name}` };
          } else cr.backoffMs = backoffBase;
          log({ level: 'warn', msg: 'container exited', pod: podKey(pod), container: c.name, exitCode: row.exitCode, restartCount: cr.restartCount });
          void podman.remove(old);
        }
        if (cr.id === undefined && !cr.starting && now >= cr.nextStartAt) {
          cr.starting = true;
          const r = cr;
          void startContainer(run, c, index, r)
            .catch((err: unknown) => {
              r.waiting = { reason: 'CreateContainerError', message: (err as Error).message };
              r.nextStartAt = Date.now() + r.backoffMs;
              log({ level: 'error', msg: 'starting container failed', pod: podKey(pod), container: c.name, error: (err as Error).message });
            })
            .finally(() => ((r.starting = false), wake?.()));
        }
        if (running) probe(run, c, cr, now);
      });
      // Status.
      const views: ContainerView[] = pod.spec.containers.map((c) => {
        const cr = run.containers.get(c.name)!;
        const row = cr.id === undefined ? undefined : list.find((x) => x.id === cr.id);
        return {
          name: c.name,
          image: c.image ?? '',
          imageID: cr.imageID,
          ...(cr.id === undefined ? {} : { id: cr.id }),
          restartCount: cr.restartCount,
          running: row?.state === 'running' && !cr.killing,
          ...(cr.startedAt === undefined ? {} : { startedAt: cr.startedAt }),
          ready: cr.ready,
          ...(cr.waiting === undefined ? {} : { waiting: cr.waiting }),
          ...(cr.lastTerminated === undefined ? {} : { lastTerminated: cr.lastTerminated }),
        };
      });
      const status = podStatus(pod, views, ip, podIPsOf(run), run.startTime, new Date().toISOString());
      const text = JSON.stringify(status);
      if (text !== run.lastStatus) {
        try {
          await requestJson(kc, 'PATCH', `/api/v1/namespaces/${pod.metadata.namespace}/pods/${pod.metadata.name}/status`, { body: { status }, contentType: 'application/merge-patch+json' });
          run.lastStatus = text;
        } catch (err) {
          if (!isNotFound(err)) log({ level: 'warn', msg: 'status write failed', pod: podKey(pod), error: (err as Error).message });
        }
      }
    }
  }

  let markReady!: () => void;
  const ready = new Promise<void>((r) => (markReady = r));
  const loop = (async () => {
    await Promise.all(informers.map((i) => i.synced)).catch(() => undefined);
    log({ level: 'info', msg: 'starting', netns: opts.netns, nodeIPs: opts.nodeIPs, podCidrs: opts.podCidrs ?? [], api: `${api.host}:${api.port}`, stateDir, podLogDir: logDir });
    while (!stopped) {
      if (!syncing) {
        syncing = true;
        try {
          await syncOnce();
          markReady();
        } catch (err) {
          log({ level: 'error', msg: 'sync failed', error: (err as Error).message });
        } finally {
          syncing = false;
        }
      }
      await new Promise<void>((r) => {
        const t = setTimeout(r, syncMs);
        wake = () => (clearTimeout(t), setTimeout(r, 50));
      });
    }
  })();

  return {
    ready,
    async stop(o = {}) {
      stopped = true;
      wake?.();
      await loop;
      await Promise.all(informers.map((i) => i.stop()));
      if (o.removeContainers === true) {
        const list = await podman.list(`${NODE_LABEL}=${me}`).catch(() => []);
        await Promise.all(list.map((x) => podman.stop(x.id, 0).then(() => podman.remove(x.id))));
        await podNetwork?.releaseAllBut(new Set());
        await podNetwork?.unreachFromControlPlane();
        log({ level: 'info', msg: 'removed containers', count: list.length });
      }
    },
  };
}
