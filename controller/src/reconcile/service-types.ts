// What the Service reconciler and its parts (decision, claims, follow-ups) share: its view of the
// informers' caches, where Events go, and its options. Apart, so the parts need not import the reconciler.

import type { HttpClient, Logger } from '@headland/kube';
import type { Allocator } from '../allocator/index.js';
import type { ControllerMetrics } from '../metrics.js';
import type { InvolvedObject } from './objects.js';

/** What the reconciler reads: the informers' caches. */
export interface ServiceView {
  services(): Iterable<unknown>;
  service(namespace: string, name: string): unknown;
  namespaceLabels(namespace: string): Record<string, string>;
}

export interface EventSink {
  /** Events queued and not yet written. */
  readonly pending: number;
  event(obj: InvolvedObject, type: 'Normal' | 'Warning', reason: string, message: string): void;
}

export interface ServiceReconcilerOptions {
  readonly view: ServiceView;
  readonly allocator: Allocator;
  readonly rest: HttpClient;
  readonly events: EventSink;
  readonly metrics: ControllerMetrics;
  readonly log: Logger;
  readonly lbClass: string | undefined;
  readonly workers: number;
  /** Called after anything that changes pool usage (debounced by the caller). */
  readonly onUsageChanged: () => void;
}
