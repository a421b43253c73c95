// Wires the speaker together: informers on Services, EndpointSlices, Nodes, Headland's config
// kinds and Secrets feed the PolicyEngine; each burst of changes is flushed on the next tick into
// BGP routes, ServiceBGPStatus objects and Events. main.ts adds flags, endpoints and signals.
import { ALL_KINDS, API_VERSION, STATUS_LABELS, buildConfig, snapshotFromObjects, type Config, type ServiceL2StatusStatus } from '@headland/api';
import { EventRecorder, createInformer, objectSkeleton, requestJson, type InvolvedObject, type Informer, type Logger } from '@headland/kube';
import type { KubernetesObject } from '@kubernetes/client-node';
import type { ClusterAccess as KubeConfig } from '@headland/kube';
import { BgpMode } from './bgp/mode.js';
import { DataPlaneProber, PROXY_KEY, proberFigures, proberView, type ProxyCheck, type ServiceCheck } from './dataplane/index.js';
import { nodeAddresses } from './bgp/node-addresses.js';
import type { SpeakerFlags } from './flags.js';
import { SpeakerMetrics } from './metrics.js';
import { nodeFromJSON, serviceFromJSON, sliceFromJSON, type ModelProblem } from './model/index.js';
import { PolicyEngine, PROXY_CHECK_KEY, peersOfNode } from './policy/index.js';
import type { L2Responder } from './l2/responder-port.js';
import { L2Runner } from './l2/runner.js';
import { mergeProbeTargets } from './l2/dataplane-targets.js';
import { claimSkeleton, claimsFrom } from './l2/claims.js';
import { L2_STATUS_KIND, L2_STATUS_PLURAL, changedServices, l2StatusContents, l2StatusObject } from './l2/status.js';
import { announcementEvent } from './status/events.js';
import { AnnouncedServices, STATUS_PLURAL, statusObjectName } from './status/service-status.js';
import { StatusWriter } from './status/writer.js';
import { SPEAKER_STATUS_PLURAL, speakerStatusContent, speakerStatusObject, type CheckFact } from './status/speaker-status.js';
import { readFileSync } from 'node:fs';

export type RunFlags = Pick<SpeakerFlags, 'nodeName' | 'namespace' | 'lbClass' | 'routerId' | 'nodeIPs' | 'listenPort' | 'membershipPort' | 'membershipSecret' | 'handoverMs' | 'kubeProxyHealthHost' | 'kubeProxyHealthzPort'>;

export interface RunOptions {
  readonly kc: KubeConfig;
  readonly flags: RunFlags;
  readonly log: Logger;
  readonly metrics?: SpeakerMetrics;
  readonly restarted?: boolean;
  /** How long status writes wait to coalesce (ms). */
  readonly statusDelayMs?: number;
  /** L2 mode answers ARP/NDP through it; without one, L2Advertisements are not served here. */
  readonly l2Responder?: L2Responder;
}

export interface RunningSpeaker {
  readonly metrics: SpeakerMetrics;
  /** Informers synced and the first policy flush done. */
  ready(): boolean;
  /** Shutdown: withdraw and Cease (or, graceful, leave routes with GR peers); close informers. */
  stop(graceful: boolean): Promise<readonly string[]>;
}

/** Claims re-run the election once they have been still this long, or at the latest after CLAIMS_MAX_WAIT_MS. */
const CLAIMS_QUIET_MS = 500;
const CLAIMS_MAX_WAIT_MS = 5_000;
/** The longest a starting speaker holds its BGP sessions for kube-proxy's first answers. */
const SESSION_HOLD_MS = 2_000;

const keyOf = (o: KubernetesObject): string => `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;

export async function runSpeaker(options: RunOptions): Promise<RunningSpeaker> {
  const { kc, flags, log } = options;
  const metrics = options.metrics ?? new SpeakerMetrics();
  const informerLog = log.child({ component: 'informer' });
  const inform = (apiVersion: string, plural: string, kind: string, namespace?: string, storeAs?: (o: KubernetesObject) => KubernetesObject): Informer<KubernetesObject> =>
    createInformer<KubernetesObject>(kc, { apiVersion, plural, kind, ...(namespace === undefined ? {} : { namespace }) }, { log: informerLog, ...(storeAs === undefined ? {} : { storeAs }) });
  // The engine keeps what it needs of Services and EndpointSlices from each change; their
  // informers keep only identity (for Events and deletes): half the memory at 10,000 Services.
  const services = inform('v1', 'services', 'Service', undefined, objectSkeleton);
  const slices = inform('discovery.k8s.io/v1', 'endpointslices', 'EndpointSlice', undefined, objectSkeleton);
  const nodes = inform('v1', 'nodes', 'Node');
  const secrets = inform('v1', 'secrets', 'Secret', flags.namespace);
  const headland = ALL_KINDS.map((k) => inform(API_VERSION, k.plural, k.kind, flags.namespace));
  // In L2 mode every node's ServiceL2Status objects: who answers for each IP now (the claims).
  const l2Statuses = options.l2Responder === undefined ? undefined : inform(API_VERSION, L2_STATUS_PLURAL, L2_STATUS_KIND, flags.namespace, claimSkeleton);
  const all = [services, slices, nodes, secrets, ...headland, ...(l2Statuses === undefined ? [] : [l2Statuses])];

  const engine = new PolicyEngine({ nodeName: flags.nodeName, lbClass: flags.lbClass }, buildConfig(snapshotFromObjects([]).snapshot));
  // kube-proxy's health servers on this node: what its data plane serves now (dataPlaneCheck KubeProxy).
  const prober = new DataPlaneProber({ host: flags.kubeProxyHealthHost, proxyHealthzPort: flags.kubeProxyHealthzPort });
  engine.setDataPlane(proberView(prober));
  let proberTargets = '';
  let sessionsStarted = false;
  let holdUntil: number | undefined;
  let pokeProxy = false;
  const bgp = new BgpMode({ log: log.child({ component: 'bgp' }), routerIdFlag: flags.routerId, listenPort: flags.listenPort, restarted: options.restarted === true, onSessionChange: () => refreshSelfSoon() });
  metrics.sessions = () => bgp.figures();
  metrics.bfdUnmatched = () => bgp.bfdDropped();
  const l2 =
    options.l2Responder === undefined
      ? undefined
      : new L2Runner({
          self: flags.nodeName,
          lbClass: flags.lbClass,
          log: log.child({ component: 'l2' }),
          responder: options.l2Responder,
          port: flags.membershipPort,
          handoverMs: flags.handoverMs,
          secretName: flags.membershipSecret,
          secretField: 'secretkey',
          nodeIPs: flags.nodeIPs,
          onChange: () => schedule(),
        });
  metrics.l2 = () => l2?.figures();
  metrics.dataPlane = () => proberFigures(prober, mergeProbeTargets(engine.dataPlaneTargets(), l2?.dataPlaneTargets()).services.keys());
  const announced = new AnnouncedServices();
  // Only deletes: this node's ServiceBGPStatus objects from earlier versions (removeStale).
  const writer = new StatusWriter({ kc, namespace: flags.namespace, log: log.child({ component: 'status' }), delayMs: options.statusDelayMs ?? 50, onWrite: (outcome) => metrics.statusWrites.inc({ outcome }) });
  const l2Writer = new StatusWriter({ kc, namespace: flags.namespace, log: log.child({ component: 'l2-status' }), delayMs: options.statusDelayMs ?? 50, plural: L2_STATUS_PLURAL, onWrite: (outcome) => metrics.statusWrites.inc({ outcome }) });
  let l2Status = new Map<string, ServiceL2StatusStatus>();
  // This node's SpeakerStatus: rewritten when what it shows changes, at most about once a second.
  const selfWriter = new StatusWriter({ kc, namespace: flags.namespace, log: log.child({ component: 'speaker-status' }), delayMs: 1_000, plural: SPEAKER_STATUS_PLURAL, onWrite: (outcome) => metrics.statusWrites.inc({ outcome }) });
  const version = speakerVersion();
  // The sorted list of announced Services, rebuilt only after a flush changed announcements.
  let announcedChanged = true;
  let announcedCache: string[] = [];
  const announcedSorted = (): string[] => {
    if (announcedChanged) {
      announcedCache = [...announced.services()].sort();
      announcedChanged = false;
    }
    return announcedCache;
  };
  const refreshSelf = (): void => {
    if (!firstFlushDone || stopping) return;
    const fact = (c: ServiceCheck | ProxyCheck | undefined): CheckFact | undefined => (c === undefined ? undefined : { status: c.status, reason: c.reason, detail: c.detail });
    const checked = mergeProbeTargets(engine.dataPlaneTargets(), l2?.dataPlaneTargets()).services;
    const content = speakerStatusContent({
      node: flags.nodeName,
      version,
      sessions: bgp.sessionFacts(),
      announcedPrefixes: bgp.announced,
      announcedServices: announcedSorted(),
      l2: l2 === undefined ? undefined : { ownedIPs: l2.figures().ownedIPs, answeredServices: l2Status.keys(), members: l2.mode.members().map((m) => ({ name: m.name, state: ['alive', 'suspect', 'dead'][m.state] ?? String(m.state) })) },
      proxyCheck: fact(prober.proxy()),
      serviceChecks: new Map([...checked.keys()].map((k) => [k, fact(prober.service(k))])),
      problems: bgp.problemMessages(),
    });
    selfWriter.set(flags.nodeName, speakerStatusObject(flags.namespace, content));
  };
  // Sessions change state without a flush: look again every few seconds. After a flush, once within
  // half a second: building the object is O(Services announced), too much for every flush.
  const selfTimer = setInterval(refreshSelf, 5_000);
  selfTimer.unref();
  let selfSoon: NodeJS.Timeout | undefined;
  const refreshSelfSoon = (): void => {
    if (selfSoon !== undefined) return;
    selfSoon = setTimeout(() => {
      selfSoon = undefined;
      refreshSelf();
    }, 500);
    selfSoon.unref();
  };
  const events = new EventRecorder(kc, { component: 'headland-speaker', host: flags.nodeName, log: log.child({ component: 'events' }) });

  const reported = new Set<string>();
  const report = (problems: readonly ModelProblem[]): void => {
    for (const p of problems) {
      const id = `${p.kind}/${p.object}/${p.path}`;
      if (reported.has(id)) continue;
      reported.add(id);
      log.warn({ object: `${p.kind} ${p.object}`, path: p.path }, p.message);
    }
  };

  let configDirty = true;
  let bgpDirty = true;
  let configFingerprint = '';
  let config: Config = buildConfig(snapshotFromObjects([]).snapshot);
  let synced = false;
  let firstFlushDone = false;
  let stopping = false;
  let scheduled = false;
  let flushing: Promise<void> | undefined;

  const schedule = (): void => {
    if (!synced || stopping || scheduled) return;
    scheduled = true;
    // One tick: a burst delivered together lands in one flush, a lone change goes out at once.
    setImmediate(() => {
      scheduled = false;
      if (flushing !== undefined) {
        void flushing.then(schedule);
        return;
      }
      flushing = flush()
        .catch((err: unknown) => log.error({ err: String((err as Error)?.stack ?? err) }, 'flush failed'))
        .finally(() => {
          flushing = undefined;
        });
    });
  };

  services.on('change', (type, obj) => {
    if (type === 'delete') engine.deleteService(keyOf(obj));
    else {
      const { value, problems } = serviceFromJSON(obj);
      report(problems);
      if (value !== undefined) engine.upsertService(value);
    }
    schedule();
  });
  slices.on('change', (type, obj) => {
    if (type === 'delete') engine.deleteSlice(keyOf(obj));
    else {
      const { value, problems } = sliceFromJSON(obj);
      report(problems);
      if (value !== undefined) engine.applySlice(value);
      else engine.deleteSlice(keyOf(obj));
    }
    schedule();
  });
  nodes.on('change', (type, obj, old) => {
    const name = obj.metadata?.name ?? '';
    if (type === 'delete') engine.deleteNode(name);
    else {
      const { value, problems } = nodeFromJSON(obj);
      report(problems);
      if (value !== undefined) engine.upsertNode(value);
    }
    // kube-proxy's /healthz turns 503 when the node is being deleted or scaled away: ask it again now.
    if (name === flags.nodeName) pokeProxy = true;
    // Our own node's labels pick the peers, its addresses the router id and next hops.
    if (name === flags.nodeName && JSON.stringify([obj.metadata?.labels, (obj as { status?: { addresses?: unknown } }).status?.addresses]) !== JSON.stringify([old?.metadata?.labels, (old as { status?: { addresses?: unknown } } | undefined)?.status?.addresses])) bgpDirty = true;
    schedule();
  });
  for (const inf of [secrets, ...headland]) {
    inf.on('change', () => {
      configDirty = true;
      schedule();
    });
  }
  // Claims change as owners write their status after an election, which changes nothing (the
  // election returns its own answer when fed it). They re-run it only once they have settled: if
  // two speakers ever decided on different claims (a change landing while writes were in flight),
  // this is where they agree again.
  let claimsTimer: NodeJS.Timeout | undefined;
  let claimsSince = 0;
  // Read again only after a change: flushes (every Service or endpoint change) reuse them.
  let claims: ReadonlyMap<string, readonly string[]> | undefined;
  l2Statuses?.on('change', () => {
    claims = undefined;
    const now = Date.now();
    if (claimsTimer === undefined) claimsSince = now;
    else clearTimeout(claimsTimer);
    const wait = Math.max(0, Math.min(CLAIMS_QUIET_MS, claimsSince + CLAIMS_MAX_WAIT_MS - now));
    claimsTimer = setTimeout(() => {
      claimsTimer = undefined;
      schedule();
    }, wait);
    claimsTimer.unref();
  });
  // Every change of kube-proxy's answer re-evaluates what waits on it, and is logged, counted and,
  // when a check that passed stops passing (or comes back), an Event on the Service (or the Node).
  const dataPlaneLog = log.child({ component: 'dataplane' });
  const lastStatus = new Map<string, string>();
  let dataPlaneChanges = 0;
  let dataPlaneSeen = -1;
  prober.on('change', (keys) => {
    dataPlaneChanges++;
    engine.dataPlaneChanged(keys.map((k) => (k === PROXY_KEY ? PROXY_CHECK_KEY : k)));
    for (const key of keys) reportDataPlane(key, key === PROXY_KEY ? prober.proxy() : prober.service(key));
    schedule();
  });
  function reportDataPlane(key: string, check: ServiceCheck | ProxyCheck | undefined): void {
    if (check === undefined) return;
    const before = lastStatus.get(key);
    if (before === check.status) return;
    lastStatus.set(key, check.status);
    const what = key === PROXY_KEY ? 'proxy' : 'service';
    metrics.dataPlaneChanges.inc({ check: what, status: check.status });
    const fields = { check: what, ...(key === PROXY_KEY ? {} : { service: key }), status: check.status, reason: check.reason, detail: check.detail };
    if (check.status === 'ok') dataPlaneLog.info(fields, 'kube-proxy serves it here');
    else dataPlaneLog.warn(fields, 'kube-proxy does not serve it here; not announced from this node');
    const involved = key === PROXY_KEY ? nodes.get(undefined, flags.nodeName) : services.get(key.slice(0, key.indexOf('/')), key.slice(key.indexOf('/') + 1));
    if (involved === undefined || before === undefined) return;
    if (check.status === 'ok') events.event(involved as InvolvedObject, 'Normal', 'DataPlaneServing', `kube-proxy on node ${flags.nodeName} serves it again (${check.detail})`);
    else if (before === 'ok') events.event(involved as InvolvedObject, 'Warning', 'DataPlaneNotServing', `kube-proxy on node ${flags.nodeName} does not serve it (${check.detail}): node ${flags.nodeName} stops announcing it`);
  }
  for (const inf of all) inf.on('error', (err, retryInMs) => log.warn({ err: String(err), retryInMs }, 'watch failed; restarting it'));

  const rebuildConfig = (): boolean => {
    const objects = [...secrets.list(), ...headland.flatMap((inf, i) => inf.list().map((o) => ({ ...o, apiVersion: API_VERSION, kind: ALL_KINDS[i]!.kind })))];
    const fingerprint = JSON.stringify(objects.map((o) => [o.kind, o.metadata?.name, o.metadata?.labels, (o as { spec?: unknown }).spec, (o as { data?: unknown }).data, (o as { stringData?: unknown }).stringData]));
    if (fingerprint === configFingerprint) return false;
    configFingerprint = fingerprint;
    const { snapshot, problems } = snapshotFromObjects(objects.map((o) => (o.kind === 'Secret' ? { ...o, apiVersion: 'v1', kind: 'Secret' } : o)));
    for (const p of problems) log.warn({ problem: p.message }, 'a Headland object cannot be read');
    config = buildConfig(snapshot);
    engine.setConfig(config);
    log.info({ pools: config.pools.size, peers: config.peers.size, advertisements: config.bgpAdvertisements.length, rejected: config.rejected.length }, 'configuration loaded');
    return true;
  };

  async function flush(): Promise<void> {
    const started = performance.now();
    if (configDirty) {
      configDirty = false;
      if (rebuildConfig()) bgpDirty = true;
    }
    const end = metrics.policyEvaluation.startTimer();
    const delta = engine.flush();
    end();
    metrics.servicesEvaluated.inc(delta.evaluated);
    bgp.apply(delta.changed);
    metrics.announcedPrefixes.set(bgp.announced);
    metrics.configProblems.set(bgp.configProblems);

    for (const service of announced.apply(delta.changed)) publish(service);
    if (delta.changed.size > 0) announcedChanged = true;
    // L2 re-elects on every flush: membership changes schedule one, and the election is cheap.
    if (l2Statuses !== undefined && claims === undefined) {
      const read = claimsFrom(l2Statuses.list());
      for (const problem of read.problems) {
        if (reported.has(problem)) continue;
        reported.add(problem);
        log.warn({ problem }, 'a ServiceL2Status cannot be read; its claims are ignored');
      }
      claims = read.claims;
    }
    for (const e of (await l2?.flush(engine.view(), nodes.list(), secrets.list(), claims)) ?? []) {
      log.info({ service: e.service, reason: e.reason }, e.message);
      const slash = e.service.indexOf('/');
      const obj = services.get(e.service.slice(0, slash), e.service.slice(slash + 1));
      if (obj !== undefined) events.event(obj as InvolvedObject, e.type, e.reason, e.message);
    }
    // kube-proxy is asked about exactly what waits on it (BGP's and L2's needs together); a change
    // of this node's endpoints asks at once.
    const targets = mergeProbeTargets(engine.dataPlaneTargets(), l2?.dataPlaneTargets());
    if (targets.version !== proberTargets) {
      proberTargets = targets.version;
      prober.setTargets(targets.services, targets.proxy);
      for (const key of lastStatus.keys()) if (key !== PROXY_KEY && !targets.services.has(key)) lastStatus.delete(key);
    }
    for (const key of [...engine.takePokes(), ...(l2?.takeDataPlanePokes() ?? [])]) prober.poke(key);
    if (pokeProxy) {
      pokeProxy = false;
      prober.poke(PROXY_KEY);
    }
    // Sessions (re)configured after the routes are in the table, so a session's first UPDATEs carry them.
    if (bgpDirty && !holdSessions()) {
      bgpDirty = false;
      sessionsStarted = true;
      const nodeObj = nodes.get(undefined, flags.nodeName);
      const nodeInfo = nodeObj === undefined ? undefined : nodeFromJSON(nodeObj).value;
      await bgp.configure(config, peersOfNode(config, nodeInfo), nodeAddresses(nodeObj, flags.nodeIPs));
      metrics.announcedPrefixes.set(bgp.announced);
      metrics.configProblems.set(bgp.configProblems);
    }
    if (l2 !== undefined) {
      const next = l2StatusContents(l2.mode.election, flags.nodeName);
      for (const service of changedServices(l2Status, next)) {
        const content = next.get(service);
        l2Writer.set(statusObjectName(flags.nodeName, service), content === undefined ? undefined : l2StatusObject(flags.namespace, content));
      }
      l2Status = next;
    }
    // The benchmark times a change from its write to this line (issue 6: re-evaluation after one
    // endpoint change); debug, as a busy cluster flushes many times a second.
    if (delta.changed.size > 0 || dataPlaneSeen !== dataPlaneChanges) {
      dataPlaneSeen = dataPlaneChanges;
      refreshSelfSoon();
    }
    log.debug({ evaluated: delta.evaluated, changedPrefixes: delta.changed.size, ms: Math.round((performance.now() - started) * 1000) / 1000 }, 'flush done');
    if (!firstFlushDone) {
      firstFlushDone = true;
      queueMicrotask(refreshSelf);
      log.info({ announced: bgp.announced, services: [...announced.services()].length }, 'first flush done; ready');
      void removeStale();
    }
  }

  /**
   * Before the first BGP session starts, wait (at most SESSION_HOLD_MS) for kube-proxy's first
   * answers: a session's first UPDATEs end with End-of-RIB, and a peer that kept this node's routes
   * through a graceful restart drops whatever that End-of-RIB did not carry.
   */
  function holdSessions(): boolean {
    if (sessionsStarted) return false;
    const now = Date.now();
    if (holdUntil === undefined) {
      holdUntil = now + SESSION_HOLD_MS;
      setTimeout(schedule, SESSION_HOLD_MS + 1).unref();
    }
    if (now >= holdUntil) return false;
    const t = engine.dataPlaneTargets();
    const waiting = [...t.services.keys()].filter((key) => prober.service(key) === undefined).length + (t.proxy && prober.proxy() === undefined ? 1 : 0);
    if (waiting > 0) log.debug({ waiting }, 'BGP sessions wait for kube-proxy\'s first answers');
    return waiting > 0;
  }

  /** The speaker package's version (the image's), for SpeakerStatus. */
  function speakerVersion(): string {
    try {
      return String((JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: unknown }).version ?? 'unknown');
    } catch {
      return 'unknown';
    }
  }

  /**
   * When the node starts or stops announcing a Service: an Event and a log line. What it announces
   * is listed in its SpeakerStatus (one object per node, not one per Service and node).
   */
  const wasAnnounced = new Set<string>();
  function publish(service: string): void {
    const content = announced.statusOf(flags.nodeName, service);
    const why = content === undefined ? engine.explainService(service)?.verdict.detail : undefined;
    const event = announcementEvent(flags.nodeName, wasAnnounced.has(service), content, why);
    if (content === undefined) wasAnnounced.delete(service);
    else wasAnnounced.add(service);
    const slash = service.indexOf('/');
    const obj = services.get(service.slice(0, slash), service.slice(slash + 1));
    if (event !== undefined) {
      log.info({ service, reason: event.reason }, event.message);
      if (obj !== undefined) events.event(obj as InvolvedObject, event.type, event.reason, event.message);
    }
  }

  /**
   * ServiceBGPStatus objects of this node (one per Service and node, what earlier versions wrote,
   * now SpeakerStatus's announcedServices) and ServiceL2Status objects an earlier run left for
   * Services it no longer answers for: deleted.
   */
  async function removeStale(): Promise<void> {
    const [group, version] = API_VERSION.split('/');
    try {
      const list = await requestJson(kc, 'GET', `/apis/${group}/${version}/namespaces/${encodeURIComponent(flags.namespace)}/${STATUS_PLURAL}`, {
        query: { labelSelector: `${STATUS_LABELS.node}=${flags.nodeName}` },
      });
      const items = Array.isArray(list['items']) ? (list['items'] as { metadata?: { name?: string } }[]) : [];
      for (const item of items) {
        const name = item.metadata?.name;
        if (name !== undefined && !writer.keeps(name)) writer.set(name, undefined);
      }
    } catch (err) {
      log.warn({ err: String(err) }, 'could not list old ServiceBGPStatus objects');
    }
    if (l2 === undefined) return;
    try {
      const list = await requestJson(kc, 'GET', `/apis/${group}/${version}/namespaces/${encodeURIComponent(flags.namespace)}/${L2_STATUS_PLURAL}`, {
        query: { labelSelector: `${STATUS_LABELS.node}=${flags.nodeName}` },
      });
      const items = Array.isArray(list['items']) ? (list['items'] as { metadata?: { name?: string } }[]) : [];
      for (const item of items) {
        const name = item.metadata?.name;
        if (name !== undefined && !l2Writer.keeps(name)) l2Writer.set(name, undefined);
      }
    } catch (err) {
      log.warn({ err: String(err) }, 'could not list old ServiceL2Status objects');
    }
  }

  void Promise.all(all.map((i) => i.synced)).then(
    () => {
      synced = true;
      log.info('informers synced');
      schedule();
    },
    () => undefined,
  );

  return {
    metrics,
    ready: () => synced && firstFlushDone,
    async stop(graceful) {
      stopping = true;
      prober.stop();
      if (claimsTimer !== undefined) clearTimeout(claimsTimer);
      await flushing;
      // L2 hands over first: leaving membership lets the new owners announce while we still answer.
      await l2?.stop();
      // Routes first: traffic moves away while the rest shuts down.
      const retainedBy = await bgp.stop(graceful);
      // After a full stop nothing is announced from here, so the status objects go too; after a
      // graceful one peers keep the routes and the next run rewrites them.
      clearInterval(selfTimer);
      if (selfSoon !== undefined) clearTimeout(selfSoon);
      if (!graceful) {
        selfWriter.set(flags.nodeName, undefined);
        await Promise.race([Promise.all([writer.settle(), selfWriter.settle()]), new Promise((r) => setTimeout(r, 2_000))]);
      }
      // L2 answers stopped with the responder, graceful or not: nobody here answers any more.
      for (const service of l2Status.keys()) l2Writer.set(statusObjectName(flags.nodeName, service), undefined);
      await Promise.race([l2Writer.settle(), new Promise((r) => setTimeout(r, 2_000))]);
      writer.stop();
      l2Writer.stop();
      selfWriter.stop();
      await events.flush();
      await Promise.all(all.map((i) => i.stop()));
      return retainedBy;
    },
  };
}
