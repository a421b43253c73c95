// Admission webhooks in the write path, as the real server orders them: mutating webhooks, the
// object defaulted again, then validating webhooks, all before the store; a denial is the answer.

import { admit, type AdmitContext } from './admission.js';
import { StatusError, type Status } from './errors.js';
import type { UserInfo } from './identity.js';
import { isObject, type JsonObject } from './json.js';
import type { Registry } from './registry.js';
import type { ResourceType } from './resources.js';
import type { Store } from './store.js';
import { reviewOptions, runMutatingWebhooks, runValidatingWebhooks, type Address, type Operation, type ServiceRef } from './webhooks/index.js';

const GROUP = 'admissionregistration.k8s.io';

export interface WriteAttributes {
  readonly operation: Operation;
  readonly type: ResourceType;
  readonly version: string;
  readonly subresource: string;
  readonly namespace: string;
  readonly name: string;
  readonly user: UserInfo;
  /** As clients see it (apiVersion and kind set); null for DELETE. */
  readonly object: JsonObject | null;
  readonly oldObject: JsonObject | null;
}

export class AdmissionWebhooks {
  constructor(
    private readonly store: Store,
    private readonly registry: Registry,
    private readonly log: (line: JsonObject) => void,
  ) {}

  private configurations(plural: 'validatingwebhookconfigurations' | 'mutatingwebhookconfigurations'): JsonObject[] {
    return this.store.list(this.registry.builtIn(GROUP, 'v1', plural), undefined);
  }

  /**
   * Whether any webhook is configured at all. Writes without one stay synchronous, so nothing
   * else can change the object between reading it and writing it.
   */
  get any(): boolean {
    return this.configurations('validatingwebhookconfigurations').length > 0 || this.configurations('mutatingwebhookconfigurations').length > 0;
  }

  /** Runs the webhooks for one write; returns the object to store (patched by mutating webhooks). Throws StatusError on a denial. */
  async review(w: WriteAttributes, ctx: AdmitContext): Promise<JsonObject | null> {
    const request = {
      operation: w.operation,
      kind: { group: w.type.group, version: w.version, kind: w.type.kind },
      resource: { group: w.type.group, version: w.version, resource: w.type.plural },
      subresource: w.subresource,
      name: w.name,
      namespace: w.namespace,
      object: w.object,
      oldObject: w.oldObject,
      options: reviewOptions(w.operation, ctx.fieldValidation === 'Warn' ? {} : { fieldValidation: ctx.fieldValidation }),
      dryRun: false,
      user: w.user,
      ...(w.type.crd === undefined ? {} : { equivalentVersions: w.type.versions }),
    };
    const common = { namespaceLabels: (ns: string) => this.namespaceLabels(ns), resolveService: (ref: ServiceRef) => this.resolve(ref), log: this.log };
    let object = w.object;
    const mutating = await runMutatingWebhooks({ ...common, configurations: this.configurations('mutatingwebhookconfigurations'), request });
    ctx.warnings.push(...mutating.warnings);
    if (!mutating.allowed) throw new StatusError(mutating.status as unknown as Status);
    if (mutating.object !== null && mutating.object !== object) object = admit(w.type, mutating.object, ctx);
    const validating = await runValidatingWebhooks({ ...common, configurations: this.configurations('validatingwebhookconfigurations'), request: { ...request, object } });
    ctx.warnings.push(...validating.warnings);
    if (!validating.allowed) throw new StatusError(validating.status as unknown as Status);
    return object;
  }

  private namespaceLabels(ns: string): Record<string, string> | undefined {
    const obj = this.store.find(this.registry.builtIn('', 'v1', 'namespaces'), '', ns);
    if (obj === undefined) return undefined;
    const labels = (obj['metadata'] as JsonObject)['labels'];
    return isObject(labels) ? (labels as Record<string, string>) : {};
  }

  /**
   * A webhook Service as the lab can reach it: the host has no cluster DNS and no kube-proxy, so
   * the Service port leads to a ready endpoint's address and target port, as the real server's
   * endpoint routing does.
   */
  private resolve(ref: ServiceRef): Address {
    const svc = this.store.find(this.registry.builtIn('', 'v1', 'services'), ref.namespace, ref.name);
    if (svc === undefined) throw new Error(`service "${ref.name}" not found`);
    const ports = Array.isArray((svc['spec'] as JsonObject | undefined)?.['ports']) ? ((svc['spec'] as JsonObject)['ports'] as JsonObject[]) : [];
    const port = ports.find((p) => p['port'] === ref.port);
    if (port === undefined) throw new Error(`service "${ref.name}" has no port ${ref.port}`);
    const slices = this.store.list(this.registry.builtIn('discovery.k8s.io', 'v1', 'endpointslices'), ref.namespace).filter((s) => ((s['metadata'] as JsonObject)['labels'] as Record<string, string> | undefined)?.['kubernetes.io/service-name'] === ref.name);
    for (const slice of slices) {
      const slicePort = (Array.isArray(slice['ports']) ? (slice['ports'] as JsonObject[]) : []).find((p) => (p['name'] ?? '') === (port['name'] ?? ''));
      const target = typeof slicePort?.['port'] === 'number' ? slicePort['port'] : typeof port['targetPort'] === 'number' ? port['targetPort'] : ref.port;
      for (const e of Array.isArray(slice['endpoints']) ? (slice['endpoints'] as JsonObject[]) : []) {
        const ready = (e['conditions'] as JsonObject | undefined)?.['ready'] !== false;
        const address = Array.isArray(e['addresses']) ? e['addresses'][0] : undefined;
        if (ready && typeof address === 'string') return { host: address, port: target };
      }
    }
    throw new Error(`no endpoints available for service "${ref.name}"`);
  }
}
