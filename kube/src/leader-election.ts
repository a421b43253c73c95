// Leader election on a coordination.k8s.io/v1 Lease, as client-go does it: try every
// retryPeriod; once leading, renew every retryPeriod and give up if no renew succeeded for
// renewDeadline; release() writes an empty holder so a standby takes over on its next try.

import type { ClusterAccess as KubeConfig } from './cluster-config.js';
import { systemClock, type Clock } from './clock.js';
import { ConfigError } from './errors.js';
import { decide, observe, recordFromSpec, releasedRecord, type LeaseRecord, type Observation } from './lease-decision.js';
import type { Logger } from './log.js';
import { objectPath } from './resource-ref.js';
import { requestJson, type JsonObject } from './rest.js';
import { isNotFound } from './status.js';

export interface LeaderElectionOptions {
  namespace: string;
  name: string;
  identity: string;
  leaseDurationMs?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
  log?: Logger;
  clock?: Clock;
}

export interface LeaderCallbacks {
  /** The signal aborts when leadership ends (lost or released). */
  onStartedLeading: (signal: AbortSignal) => void;
  onStoppedLeading: () => void;
  onNewLeader?: (identity: string) => void;
}

export function checkElectionTimes(leaseDurationMs: number, renewDeadlineMs: number, retryPeriodMs: number): void {
  for (const [name, v] of [['leaseDurationMs', leaseDurationMs], ['renewDeadlineMs', renewDeadlineMs], ['retryPeriodMs', retryPeriodMs]] as const) {
    if (!Number.isFinite(v) || v <= 0) throw new ConfigError(`leader-election: ${name} must be a positive number, got ${v}`);
  }
  // client-go's rules: a leader must notice its own failure before anyone may take over.
  if (leaseDurationMs <= renewDeadlineMs) throw new ConfigError(`leader-election: leaseDurationMs (${leaseDurationMs}) must be greater than renewDeadlineMs (${renewDeadlineMs})`);
  if (renewDeadlineMs <= retryPeriodMs) throw new ConfigError(`leader-election: renewDeadlineMs (${renewDeadlineMs}) must be greater than retryPeriodMs (${retryPeriodMs})`);
}

export class LeaderElector {
  private readonly leaseDurationMs: number;
  private readonly renewDeadlineMs: number;
  private readonly retryPeriodMs: number;
  private readonly clock: Clock;
  private readonly path: string;
  private callbacks: LeaderCallbacks | undefined;
  private observed: Observation | undefined;
  private leading: AbortController | undefined;
  private reportedLeader = '';
  private tickTimer: unknown;
  private deadlineTimer: unknown;
  private inflight: Promise<void> = Promise.resolve();
  private released = false;

  constructor(
    private readonly kc: KubeConfig,
    private readonly opts: LeaderElectionOptions,
  ) {
    this.leaseDurationMs = opts.leaseDurationMs ?? 15_000;
    this.renewDeadlineMs = opts.renewDeadlineMs ?? 10_000;
    this.retryPeriodMs = opts.retryPeriodMs ?? 2_000;
    checkElectionTimes(this.leaseDurationMs, this.renewDeadlineMs, this.retryPeriodMs);
    if (opts.identity === '') throw new ConfigError('leader-election: identity must not be empty');
    this.path = objectPath('coordination.k8s.io/v1', 'leases', opts.namespace, opts.name);
    this.clock = opts.clock ?? systemClock;
  }

  run(cb: LeaderCallbacks): void {
    if (this.callbacks !== undefined) throw new ConfigError(`leader-election: ${this.opts.identity} is already running for ${this.opts.namespace}/${this.opts.name}`);
    if (this.released) throw new ConfigError('leader-election: cannot run after release()');
    this.callbacks = cb;
    this.tick();
  }

  isLeader(): boolean {
    return this.leading !== undefined;
  }

  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    this.clock.clearTimeout(this.tickTimer);
    // A try in flight could renew after we free the Lease; let it land first.
    await this.inflight;
    if (this.leading === undefined) return;
    try {
      const current = await requestJson(this.kc, 'GET', this.path, { timeoutMs: this.renewDeadlineMs });
      const record = recordFromSpec(current['spec']);
      if (record.holderIdentity === this.opts.identity) {
        await this.write('PUT', current, releasedRecord(record, this.clock.now()));
        this.opts.log?.info({ lease: this.leaseName(), identity: this.opts.identity }, 'leader-election: released the lease');
      }
    } catch (err) {
      // The Lease then expires on its own after leaseDuration: slower, still correct.
      this.opts.log?.warn({ lease: this.leaseName(), err: String(err) }, 'leader-election: could not release the lease');
    }
    this.stopLeading();
  }

  private leaseName(): string {
    return `${this.opts.namespace}/${this.opts.name}`;
  }

  private tick(): void {
    this.inflight = this.tryAcquireOrRenew()
      .catch((err: unknown) => this.opts.log?.error({ lease: this.leaseName(), err: String(err) }, 'leader-election: a try failed unexpectedly'))
      .then(() => {
        if (!this.released) this.tickTimer = this.clock.setTimeout(() => this.tick(), this.retryPeriodMs);
      });
  }

  private async tryAcquireOrRenew(): Promise<void> {
    let current: JsonObject | undefined;
    try {
      current = await requestJson(this.kc, 'GET', this.path, { timeoutMs: this.renewDeadlineMs });
    } catch (err) {
      if (!isNotFound(err)) {
        this.opts.log?.warn({ lease: this.leaseName(), err: String(err) }, 'leader-election: cannot read the lease');
        return;
      }
    }
    if (this.released) return;
    const now = this.clock.now();
    this.observed = current === undefined ? undefined : observe(this.observed, recordFromSpec(current['spec']), now);
    const decision = decide(this.observed, this.opts.identity, this.leaseDurationMs, now);
    if (decision.action === 'wait') {
      this.reportLeader(decision.holder);
      if (this.leading !== undefined) {
        this.opts.log?.warn({ lease: this.leaseName(), holder: decision.holder }, 'leader-election: another candidate holds the lease');
        this.stopLeading();
      }
      return;
    }
    try {
      const written = await this.write(decision.action === 'create' ? 'POST' : 'PUT', current, decision.record);
      this.observed = { record: recordFromSpec(written['spec']), observedAtMs: now };
    } catch (err) {
      // A 409 means someone else wrote first: we learn who on the next try.
      this.opts.log?.debug({ lease: this.leaseName(), err: String(err) }, 'leader-election: lease write failed');
      return;
    }
    if (this.released) return;
    this.armDeadline();
    if (this.leading === undefined) {
      const leading = new AbortController();
      this.leading = leading;
      this.opts.log?.info({ lease: this.leaseName(), identity: this.opts.identity }, 'leader-election: started leading');
      this.reportLeader(this.opts.identity);
      this.callback('onStartedLeading', () => this.callbacks?.onStartedLeading(leading.signal));
    }
  }

  private async write(method: 'POST' | 'PUT', current: JsonObject | undefined, record: LeaseRecord): Promise<JsonObject> {
    const metadata = current !== undefined && typeof current['metadata'] === 'object' ? (current['metadata'] as JsonObject) : {};
    const body = {
      ...(current ?? {}),
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: method === 'POST' ? { name: this.opts.name, namespace: this.opts.namespace } : metadata,
      spec: { ...(current !== undefined && typeof current['spec'] === 'object' ? (current['spec'] as JsonObject) : {}), ...record },
    };
    const path = method === 'POST' ? this.path.slice(0, this.path.lastIndexOf('/')) : this.path;
    return requestJson(this.kc, method, path, { body, timeoutMs: this.renewDeadlineMs });
  }

  /** Leadership ends if no renew succeeds within renewDeadline, even if a request hangs. */
  private armDeadline(): void {
    this.clock.clearTimeout(this.deadlineTimer);
    this.deadlineTimer = this.clock.setTimeout(() => {
      if (this.leading === undefined) return;
      this.opts.log?.warn({ lease: this.leaseName(), renewDeadlineMs: this.renewDeadlineMs }, 'leader-election: could not renew within the deadline, stepping down');
      this.stopLeading();
    }, this.renewDeadlineMs);
  }

  private stopLeading(): void {
    this.clock.clearTimeout(this.deadlineTimer);
    const leading = this.leading;
    if (leading === undefined) return;
    this.leading = undefined;
    leading.abort();
    this.opts.log?.info({ lease: this.leaseName(), identity: this.opts.identity }, 'leader-election: stopped leading');
    this.callback('onStoppedLeading', () => this.callbacks?.onStoppedLeading());
  }

  private reportLeader(holder: string): void {
    if (holder === '' || holder === this.reportedLeader) return;
    this.reportedLeader = holder;
    this.callback('onNewLeader', () => this.callbacks?.onNewLeader?.(holder));
  }

  /** A callback that throws must not stop the election loop. */
  private callback(name: string, fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.opts.log?.error({ lease: this.leaseName(), callback: name, err: String(err) }, 'leader-election: a callback threw');
    }
  }
}
