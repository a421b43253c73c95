// The configuration reconciler: rebuilds the model from Headland's custom resources when their
// specs change, hands the pools to the allocator, and writes each object's status (the Valid
// condition, and for pools the assigned/available counts). Invalid objects get an Event and
// one log line per distinct problem; allocation goes on with the valid rest.
import { ALL_KINDS, API_VERSION, buildConfig, snapshotFromObjects, type Config } from '@headland/api';
import type { Logger } from '@headland/kube';
import type { Allocator } from '../allocator/index.js';
import type { ControllerMetrics } from '../metrics.js';
import { statusCodeOf, type HttpClient } from '@headland/kube';
import { MERGE_PATCH } from './objects.js';
import { objectId, sameConditions, verdicts, withValidCondition, type ObjectVerdict } from './config-status.js';
import { field, involvedObject, str } from './objects.js';
import { countsMatch, poolCounts, type PoolCounts } from './pool-status.js';
import type { EventSink, ServiceReconciler } from './services.js';

export interface ConfigView {
  /** Every Headland custom resource the informers hold (all six kinds). */
  headlandObjects(): Iterable<unknown>;
}

export interface ConfigReconcilerOptions {
  readonly view: ConfigView;
  readonly allocator: Allocator;
  readonly services: ServiceReconciler;
  readonly rest: HttpClient;
  readonly events: EventSink;
  readonly metrics: ControllerMetrics;
  readonly log: Logger;
  readonly now?: () => Date;
  readonly statusDelayMs?: number;
}

const PLURAL = new Map(ALL_KINDS.map((k) => [k.kind, k.plural]));

export const CONFIG_EVENT = { InvalidConfiguration: 'InvalidConfiguration', IPsStranded: 'IPsStranded' } as const;

export class ConfigReconciler {
  readonly #o: ConfigReconcilerOptions;
  #config: Config | undefined;
  #specFingerprint = '';
  #poolFingerprint = '';
  /** Problems already logged and sent as Events, so a resync does not repeat them. */
  #reported = new Set<string>();
  #statusTimer: ReturnType<typeof setTimeout> | undefined;
  #statusRun: Promise<void> | undefined;
  #statusAgain = false;
  #stopped = false;

  constructor(options: ConfigReconcilerOptions) {
    this.#o = options;
  }

  get config(): Config | undefined {
    return this.#config;
  }

  /**
   * Rebuilds the model if any spec, name or label changed (our own status writes change
   * neither), and gives the allocator the pools; returns whether the pools changed.
   */
  rebuild(): boolean {
    const { view, allocator, services, metrics, log } = this.#o;
    const objects = [...view.headlandObjects()];
    const specs = objects.map((o) => [str(o, 'kind'), str(o, 'metadata', 'namespace'), str(o, 'metadata', 'name'), field(o, 'metadata', 'labels'), field(o, 'spec')]);
    const fingerprint = JSON.stringify(specs);
    if (fingerprint === this.#specFingerprint && this.#config !== undefined) return false;
    this.#specFingerprint = fingerprint;
    const end = metrics.reconcileDuration.startTimer({ kind: 'Config' });
    const { snapshot, problems } = snapshotFromObjects(objects);
    for (const p of problems) log.warn({ problem: p.message }, 'a Headland object cannot be read');
    const config = buildConfig(snapshot);
    this.#config = config;
    const found = verdicts(config, objects.map(objectId).filter((x) => x !== undefined));
    this.#reportVerdicts(found, objects);
    const poolFingerprint = JSON.stringify(specs.filter((s) => s[0] === 'IPAddressPool' && config.pools.has(String(s[2]))));
    const poolsChanged = poolFingerprint !== this.#poolFingerprint;
    if (poolsChanged) {
      this.#poolFingerprint = poolFingerprint;
      const { stranded } = allocator.setPools(config.pools.values());
      if (stranded.length > 0) this.#reportStranded(stranded, objects);
      services.stranded(stranded);
      services.enqueueAll();
      log.info({ pools: [...config.pools.keys()], stranded: stranded.length }, 'pools changed');
    }
    end();
    this.scheduleStatus();
    return poolsChanged;
  }

  /** Writes object status soon, coalescing bursts (every allocation changes pool counts). */
  scheduleStatus(): void {
    if (this.#stopped || this.#statusTimer !== undefined) return;
    this.#statusTimer = setTimeout(() => {
      this.#statusTimer = undefined;
      if (this.#statusRun !== undefined) {
        this.#statusAgain = true;
        return;
      }
      this.#statusRun = this.#writeStatuses().finally(() => {
        this.#statusRun = undefined;
        if (this.#statusAgain) {
          this.#statusAgain = false;
          this.scheduleStatus();
        }
      });
    }, this.#o.statusDelayMs ?? 200);
  }

  /** Waits for a pending status write (tests, shutdown). */
  async settle(): Promise<void> {
    while (this.#statusTimer !== undefined || this.#statusRun !== undefined) {
      await (this.#statusRun ?? new Promise((r) => setTimeout(r, 20)));
    }
  }

  stop(): void {
    this.#stopped = true;
    if (this.#statusTimer !== undefined) clearTimeout(this.#statusTimer);
    this.#statusTimer = undefined;
  }

  #reportVerdicts(found: readonly ObjectVerdict[], objects: readonly unknown[]): void {
    const { metrics, events, log } = this.#o;
    const rejectedByKind = new Map<string, number>();
    const seen = new Set<string>();
    for (const v of found) {
      if (v.status === 'False') rejectedByKind.set(v.kind, (rejectedByKind.get(v.kind) ?? 0) + 1);
      if (v.issues.length === 0) continue;
      const id = `${v.kind}/${v.namespace}/${v.name}:${v.message}`;
      seen.add(id);
      if (this.#reported.has(id)) continue;
      const obj = objects.find((o) => str(o, 'kind') === v.kind && str(o, 'metadata', 'namespace') === v.namespace && str(o, 'metadata', 'name') === v.name);
      const rejected = v.status === 'False';
      log.warn({ object: `${v.kind} ${v.namespace}/${v.name}`, rejected, issues: v.issues.map((i) => `${i.field}: ${i.message}`) }, rejected ? 'invalid object held out of the configuration' : 'object accepted with warnings');
      if (obj !== undefined) events.event(involvedObject(obj), 'Warning', CONFIG_EVENT.InvalidConfiguration, `${rejected ? 'Rejected' : 'Accepted with warnings'}: ${v.message}`);
    }
    this.#reported = seen;
    metrics.rejectedObjects.reset();
    for (const k of ALL_KINDS) metrics.rejectedObjects.set({ kind: k.kind }, rejectedByKind.get(k.kind) ?? 0);
  }

  #reportStranded(stranded: readonly { key: string; ips: readonly { family: 4 | 6; value: bigint }[]; pool: string; why: string }[], objects: readonly unknown[]): void {
    const byPool = new Map<string, string[]>();
    for (const s of stranded) byPool.set(s.pool, [...(byPool.get(s.pool) ?? []), s.key]);
    for (const [pool, keys] of byPool) {
      const obj = objects.find((o) => str(o, 'kind') === 'IPAddressPool' && str(o, 'metadata', 'name') === pool);
      const message = `${keys.length} Service(s) held IPs this pool no longer gives (${keys.slice(0, 10).join(', ')}${keys.length > 10 ? ', ...' : ''}); they are being reassigned`;
      this.#o.log.warn({ pool, services: keys }, message);
      if (obj !== undefined) this.#o.events.event(involvedObject(obj), 'Warning', CONFIG_EVENT.IPsStranded, message);
    }
  }

  async #writeStatuses(): Promise<void> {
    const { view, allocator, rest, log, metrics } = this.#o;
    const config = this.#config;
    if (config === undefined) return;
    const objects = [...view.headlandObjects()];
    const found = verdicts(config, objects.map(objectId).filter((x) => x !== undefined));
    const usage = allocator.usage();
    metrics.setUsage(usage);
    const now = (this.#o.now ?? (() => new Date()))().toISOString().replace(/\.\d+Z$/, 'Z');
    for (const obj of objects) {
      if (this.#stopped) return;
      const id = objectId(obj);
      if (id === undefined) continue;
      const verdict = found.find((v) => v.kind === id.kind && v.namespace === id.namespace && v.name === id.name);
      const plural = PLURAL.get(id.kind);
      if (verdict === undefined || plural === undefined) continue;
      const conditions = withValidCondition(obj, verdict, now);
      const counts: PoolCounts | undefined = id.kind === 'IPAddressPool' ? poolCounts(verdict.status === 'True' ? usage.get(id.name) : undefined) : undefined;
      if (sameConditions(obj, conditions) && (counts === undefined || countsMatch(obj, counts))) continue;
      const [group, version] = API_VERSION.split('/');
      const path = `/apis/${group}/${version}/namespaces/${encodeURIComponent(id.namespace)}/${plural}/${encodeURIComponent(id.name)}/status`;
      try {
        await rest.request('PATCH', path, { contentType: MERGE_PATCH, body: { metadata: { resourceVersion: str(obj, 'metadata', 'resourceVersion') }, status: { ...counts, conditions } } });
      } catch (err) {
        // A conflict means the cache is behind: the informer's update schedules another pass.
        if (statusCodeOf(err) === 409 || statusCodeOf(err) === 404) {
          this.#statusAgain = true;
          continue;
        }
        log.warn({ object: `${id.kind} ${id.namespace}/${id.name}`, err: String(err) }, 'could not write status');
        this.#statusAgain = true;
      }
    }
  }
}
