// The controller's Prometheus metrics, registered on a registry the caller owns (never the
// global one), so tests and two controllers in one process do not collide.
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Family } from '@headland/api';
import type { FamilyUsage } from './reconcile/pool-status.js';

export class ControllerMetrics {
  readonly registry: Registry;
  readonly addressesInUse: Gauge<'pool' | 'family'>;
  readonly addressesAvailable: Gauge<'pool' | 'family'>;
  readonly addressesTotal: Gauge<'pool' | 'family'>;
  readonly allocations: Counter<'pool'>;
  readonly allocationFailures: Counter<'reason'>;
  readonly reconcileDuration: Histogram<'kind'>;
  readonly rejectedObjects: Gauge<'kind'>;
  readonly leader: Gauge;
  readonly webhookRequests: Counter<'kind' | 'operation' | 'outcome'>;
  readonly webhookDuration: Histogram;
  readonly webhookCertificateExpiry: Gauge;
  /** Set by run.ts once its EndpointSlice and status informers have listed; undefined until then. */
  unannouncedServices: () => number | undefined = () => undefined;

  constructor(registry = new Registry()) {
    this.registry = registry;
    const registers = [registry];
    this.addressesInUse = new Gauge({ name: 'headland_controller_pool_addresses_in_use', help: 'Addresses of the pool assigned to Services', labelNames: ['pool', 'family'], registers });
    this.addressesAvailable = new Gauge({ name: 'headland_controller_pool_addresses_available', help: 'Addresses of the pool still free to assign (a float: a /64 does not fit an integer)', labelNames: ['pool', 'family'], registers });
    this.addressesTotal = new Gauge({ name: 'headland_controller_pool_addresses_total', help: 'Addresses in the pool', labelNames: ['pool', 'family'], registers });
    this.allocations = new Counter({ name: 'headland_controller_allocations_total', help: 'IPs assigned to Services (new or changed assignments)', labelNames: ['pool'], registers });
    this.allocationFailures = new Counter({ name: 'headland_controller_allocation_failures_total', help: 'Services that could not get an IP, by reason', labelNames: ['reason'], registers });
    this.reconcileDuration = new Histogram({
      name: 'headland_controller_reconcile_duration_seconds',
      help: 'Time to reconcile one object, writes included',
      labelNames: ['kind'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    });
    this.rejectedObjects = new Gauge({ name: 'headland_controller_config_rejected_objects', help: 'Headland objects held out of the configuration because they are invalid', labelNames: ['kind'], registers });
    this.leader = new Gauge({ name: 'headland_controller_leader', help: '1 while this replica holds the Lease', registers });
    this.webhookRequests = new Counter({
      name: 'headland_controller_webhook_requests_total',
      help: 'Admission requests the validating webhook answered, by kind, operation and outcome (Invalid, BreaksOthers, InUse and Malformed are denials)',
      labelNames: ['kind', 'operation', 'outcome'],
      registers,
    });
    this.webhookDuration = new Histogram({
      name: 'headland_controller_webhook_duration_seconds',
      help: 'Time to decide one admission request (buildConfig twice over the cached objects)',
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
      registers,
    });
    this.webhookCertificateExpiry = new Gauge({ name: 'headland_controller_webhook_certificate_expiry_timestamp_seconds', help: 'When the serving certificate of the webhook expires (it is renewed 30 days before)', registers });
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const self = this;
    new Gauge({
      name: 'headland_controller_services_unannounced',
      help: 'LoadBalancer Services with an IP and a ready endpoint that no node announces (no ServiceBGPStatus or ServiceL2Status names them); counted at scrape time',
      registers,
      collect(this: Gauge) {
        const n = self.unannouncedServices();
        if (n === undefined) this.reset();
        else this.set(n);
      },
    });
  }

  /** Sets the pool gauges to the allocator's usage, dropping pools that are gone. */
  setUsage(usage: ReadonlyMap<string, Readonly<Record<Family, FamilyUsage>>>): void {
    this.addressesInUse.reset();
    this.addressesAvailable.reset();
    this.addressesTotal.reset();
    for (const [pool, byFamily] of usage) {
      for (const family of [4, 6] as const) {
        const u = byFamily[family];
        if (u.total === 0n) continue;
        const labels = { pool, family: `ipv${family}` };
        this.addressesInUse.set(labels, Number(u.assigned));
        this.addressesAvailable.set(labels, Number(u.available));
        this.addressesTotal.set(labels, Number(u.total));
      }
    }
  }
}
