// Wires the controller together: informers on Services, Namespaces and Headland's resources
// (run on every replica, so a standby is warm), a Lease so only one replica writes, and on
// winning it the config and Service reconcilers. main.ts adds flags, endpoints and signals.
import { ALL_KINDS, API_VERSION, speakerStatusKind, serviceL2StatusKind } from '@headland/api';
import { EventRecorder, HttpClient, LeaderElector, createInformer, type Informer, type Logger } from '@headland/kube';
import type { KubernetesObject } from '@kubernetes/client-node';
import type { ClusterAccess as KubeConfig } from '@headland/kube';
import { Allocator } from './allocator/index.js';
import type { ControllerFlags } from './flags.js';
import { ControllerMetrics } from './metrics.js';
import { ConfigReconciler } from './reconcile/config.js';
import { keyOf, labelsOf } from './reconcile/objects.js';
import { ServiceReconciler } from './reconcile/services.js';
import { sliceSkeleton, statusSkeleton, unannouncedServices } from './reconcile/unannounced.js';

export type RunFlags = Pick<ControllerFlags, 'namespace' | 'lbClass' | 'leaseName' | 'identity' | 'leaseDurationMs' | 'renewDeadlineMs' | 'retryPeriodMs' | 'workers'>;

export interface RunningController {
  readonly metrics: ControllerMetrics;
  /** Every informer has listed once. */
  synced(): boolean;
  isLeader(): boolean;
  /** Leading, the first pass done, nothing queued or being written. */
  idle(): boolean;
  /** Resolves once every informer has listed (the webhook serves only then). */
  readonly whenSynced: Promise<void>;
  /** The Headland objects the informers hold, with apiVersion and kind (what the webhook decides on). */
  headlandObjects(): unknown[];
  /** Stops writing, flushes Events, releases the Lease; the informers keep running (for the webhook's drain). */
  release(): Promise<void>;
  /** release(), then closes the informers. */
  stop(): Promise<void>;
}

export interface RunOptions {
  readonly kc: KubeConfig;
  readonly flags: RunFlags;
  readonly log: Logger;
  readonly metrics?: ControllerMetrics;
  /** Called when the Lease is lost while leading; main exits so the Pod restarts clean. */
  readonly onLostLease?: () => void;
}

const CONFIG_DEBOUNCE_MS = 20;

export async function runController(options: RunOptions): Promise<RunningController> {
  const { kc, flags, log } = options;
  const metrics = options.metrics ?? new ControllerMetrics();
  const informerLog = log.child({ component: 'informer' });
  const services = createInformer<KubernetesObject>(kc, { apiVersion: 'v1', plural: 'services', kind: 'Service' }, { log: informerLog });
  const namespaces = createInformer<KubernetesObject>(kc, { apiVersion: 'v1', plural: 'namespaces', kind: 'Namespace' }, { log: informerLog });
  const headland: Informer<KubernetesObject>[] = ALL_KINDS.map((k) =>
    createInformer<KubernetesObject>(kc, { apiVersion: API_VERSION, plural: k.plural, kind: k.kind, namespace: flags.namespace }, { log: informerLog }),
  );
  const all = [services, namespaces, ...headland];
  // Which Services have endpoints and which the speakers announce (their status objects): read only
  // for headland_controller_services_unannounced, so they hold up neither readiness nor leading.
  const slices = createInformer<KubernetesObject>(kc, { apiVersion: 'discovery.k8s.io/v1', plural: 'endpointslices', kind: 'EndpointSlice' }, { log: informerLog, storeAs: sliceSkeleton });
  const announcements = [speakerStatusKind, serviceL2StatusKind].map((k) =>
    createInformer<KubernetesObject>(kc, { apiVersion: API_VERSION, plural: k.plural, kind: k.kind, namespace: flags.namespace }, { log: informerLog, storeAs: statusSkeleton }),
  );
  const counting = [services, slices, ...announcements];
  metrics.unannouncedServices = () =>
    counting.every((i) => i.hasSynced()) ? unannouncedServices({ services: services.list(), slices: slices.list(), statuses: announcements.flatMap((i) => i.list()), lbClass: flags.lbClass }) : undefined;
  let synced = false;
  const whenSynced = Promise.all(all.map((i) => i.synced)).then(() => {
    synced = true;
    log.info('informers synced');
  });
  // Rejects only when stopped before the first list; whoever waits on it sees that.
  whenSynced.catch(() => undefined);

  const rest = await HttpClient.create(kc, 4);
  const events = new EventRecorder(kc, { component: 'headland-controller', host: flags.identity, log: log.child({ component: 'events' }) });

  let serviceReconciler: ServiceReconciler | undefined;
  let configReconciler: ConfigReconciler | undefined;
  let leading = false;
  let stopping = false;
  let configTimer: ReturnType<typeof setTimeout> | undefined;

  const view = {
    services: () => services.list(),
    service: (namespace: string, name: string) => services.get(namespace, name),
    namespaceLabels: (namespace: string) => labelsOf(namespaces.get(undefined, namespace)),
    *headlandObjects() {
      // List items may lack apiVersion and kind; buildConfig needs them.
      for (const [i, inf] of headland.entries()) {
        const kind = ALL_KINDS[i]!.kind;
        for (const o of inf.list()) yield { ...o, apiVersion: API_VERSION, kind };
      }
    },
  };

  services.on('change', (type, obj, old) => {
    const key = keyOf(obj);
    if (key === undefined) return;
    if (type === 'update') serviceReconciler?.onUpdate(key, old, obj);
    else serviceReconciler?.enqueue(key);
  });
  namespaces.on('change', (type, obj, old) => {
    // Only labels matter (pool namespace selectors); a new namespace has no Services yet.
    if (type === 'update' && JSON.stringify(labelsOf(obj)) === JSON.stringify(labelsOf(old))) return;
    const name = obj.metadata?.name;
    if (name !== undefined) serviceReconciler?.enqueueNamespace(name);
  });
  for (const inf of headland) {
    inf.on('change', () => {
      if (configReconciler === undefined || configTimer !== undefined) return;
      configTimer = setTimeout(() => {
        configTimer = undefined;
        configReconciler?.rebuild();
        configReconciler?.scheduleStatus();
      }, CONFIG_DEBOUNCE_MS);
    });
  }
  for (const inf of [...all, slices, ...announcements]) {
    inf.on('error', (err, retryInMs) => log.warn({ err: String(err), retryInMs }, 'watch failed; restarting it'));
  }

  const startLeading = async (signal: AbortSignal): Promise<void> => {
    await Promise.all(all.map((i) => i.synced));
    if (signal.aborted) return;
    const allocator = new Allocator();
    const reconcilerLog = log.child({ component: 'reconciler' });
    // eslint-disable-next-line prefer-const
    let config: ConfigReconciler;
    const svc = new ServiceReconciler({
      view,
      allocator,
      rest,
      events,
      metrics,
      log: reconcilerLog,
      lbClass: flags.lbClass,
      workers: flags.workers,
      onUsageChanged: () => config.scheduleStatus(),
    });
    config = new ConfigReconciler({ view, allocator, services: svc, rest, events, metrics, log: reconcilerLog });
    // Pools first, then the IPs already in status, then everything else: a restart changes no IP.
    config.rebuild();
    svc.start();
    serviceReconciler = svc;
    configReconciler = config;
  };

  const elector = new LeaderElector(kc, {
    namespace: flags.namespace,
    name: flags.leaseName,
    identity: flags.identity,
    leaseDurationMs: flags.leaseDurationMs,
    renewDeadlineMs: flags.renewDeadlineMs,
    retryPeriodMs: flags.retryPeriodMs,
    log: log.child({ component: 'leader-election' }),
  });

  const stopReconcilers = async (): Promise<void> => {
    const s = serviceReconciler;
    const c = configReconciler;
    serviceReconciler = undefined;
    configReconciler = undefined;
    c?.stop();
    await s?.stop();
  };

  elector.run({
    onStartedLeading: (signal) => {
      leading = true;
      metrics.leader.set(1);
      log.info({ identity: flags.identity }, 'leading');
      startLeading(signal).catch((err: unknown) => log.error({ err: String(err) }, 'could not start reconciling'));
    },
    onStoppedLeading: () => {
      const was = leading;
      leading = false;
      metrics.leader.set(0);
      void stopReconcilers();
      if (was && !stopping) {
        log.warn({ identity: flags.identity }, 'lost the Lease; stopped writing');
        options.onLostLease?.();
      }
    },
    onNewLeader: (identity) => log.info({ leader: identity }, 'leader'),
  });

  let released: Promise<void> | undefined;
  const release = (): Promise<void> =>
    (released ??= (async () => {
      stopping = true;
      if (configTimer !== undefined) clearTimeout(configTimer);
      await stopReconcilers();
      await events.flush();
      await elector.release();
      metrics.leader.set(0);
      leading = false;
    })());

  return {
    metrics,
    synced: () => synced,
    isLeader: () => leading,
    idle: () => serviceReconciler?.idle() === true,
    whenSynced,
    headlandObjects: () => [...view.headlandObjects()],
    release,
    async stop() {
      await release();
      await Promise.all([...all, slices, ...announcements].map((i) => i.stop()));
      rest.close();
    },
  };
}
