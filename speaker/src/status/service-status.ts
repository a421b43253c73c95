// What this node announces per Service, as the content of its ServiceBGPStatus objects, kept
// up to date from policy deltas: only the Services named by changed prefixes are recomputed.
import { API_VERSION, STATUS_LABELS, formatCommunity, type ServiceBGPStatusStatus } from '@headland/api';
import { createHash } from 'node:crypto';
import { BANDWIDTH_PER_ENDPOINT } from '../policy/endpoint-rules.js';
import type { Announcement } from '../policy/types.js';

export type StatusContent = ServiceBGPStatusStatus;

export const STATUS_KIND = 'ServiceBGPStatus';
export const STATUS_PLURAL = 'servicebgpstatuses';

/** The Services each announced prefix stands for, and back. */
export class AnnouncedServices {
  private readonly byPrefix = new Map<string, readonly Announcement[]>();
  private readonly prefixesOf = new Map<string, Set<string>>();

  /** Takes a PolicyDelta's `changed` map; returns the Services whose announcements may differ. */
  apply(changed: ReadonlyMap<string, readonly Announcement[]>): Set<string> {
    const touched = new Set<string>();
    for (const [prefix, list] of changed) {
      for (const a of this.byPrefix.get(prefix) ?? []) {
        for (const s of a.services) {
          touched.add(s);
          this.prefixesOf.get(s)?.delete(prefix);
        }
      }
      if (list.length === 0) this.byPrefix.delete(prefix);
      else this.byPrefix.set(prefix, list);
      for (const a of list) {
        for (const s of a.services) {
          touched.add(s);
          let set = this.prefixesOf.get(s);
          if (set === undefined) this.prefixesOf.set(s, (set = new Set()));
          set.add(prefix);
        }
      }
    }
    for (const s of touched) if (this.prefixesOf.get(s)?.size === 0) this.prefixesOf.delete(s);
    return touched;
  }

  isAnnounced(service: string): boolean {
    return this.prefixesOf.has(service);
  }

  services(): IterableIterator<string> {
    return this.prefixesOf.keys();
  }

  /** The status content for a Service, or undefined when this node does not announce it. */
  statusOf(node: string, service: string): StatusContent | undefined {
    const prefixes = this.prefixesOf.get(service);
    if (prefixes === undefined || prefixes.size === 0) return undefined;
    const mine: Announcement[] = [];
    for (const prefix of [...prefixes].sort()) for (const a of this.byPrefix.get(prefix) ?? []) if (a.services.includes(service)) mine.push(a);
    return statusContent(node, service, mine);
  }
}

/** From the announcements that carry a Service (on one node) to its status content. */
export function statusContent(node: string, service: string, announcements: readonly Announcement[]): StatusContent {
  const slash = service.indexOf('/');
  const peers = [...new Set(announcements.flatMap((a) => a.peers))].sort();
  // The weight of the Service's own IPs: host routes carry it, aggregates never do.
  const bandwidths = announcements.map((a) => a.linkBandwidth).filter((b): b is number => b !== undefined);
  const weight = bandwidths.length === 0 ? undefined : Math.round(Math.max(...bandwidths) / BANDWIDTH_PER_ENDPOINT);
  return {
    node,
    serviceNamespace: service.slice(0, slash),
    serviceName: service.slice(slash + 1),
    peers,
    ...(weight === undefined ? {} : { weight }),
    prefixes: announcements.map((a) => ({
      prefix: a.prefix,
      peers: [...a.peers],
      ...(a.linkBandwidth === undefined ? {} : { linkBandwidth: a.linkBandwidth }),
      ...(a.localPref === undefined ? {} : { localPref: a.localPref }),
      ...(a.communities.length === 0 ? {} : { communities: a.communities.map(formatCommunity) }),
    })),
  };
}

const MAX_NAME = 253;

/**
 * "namespace.service.node": readable in `kubectl get`, and unambiguous because namespaces and
 * Service names hold no dots. Past 253 characters, a cut and a hash of the whole keep it unique.
 */
export function statusObjectName(node: string, service: string): string {
  const full = `${service.replace('/', '.')}.${node}`;
  if (full.length <= MAX_NAME) return full;
  const hash = createHash('sha256').update(`${service}/${node}`).digest('hex').slice(0, 16);
  return `${full.slice(0, MAX_NAME - hash.length - 1).replace(/[-.]+$/, '')}-${hash}`;
}

export interface StatusObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace: string; readonly labels: Readonly<Record<string, string>> };
  readonly spec: Record<string, never>;
  readonly status: StatusContent;
}

export function statusObject(namespace: string, content: StatusContent): StatusObject {
  const service = `${content.serviceNamespace}/${content.serviceName}`;
  return {
    apiVersion: API_VERSION,
    kind: STATUS_KIND,
    metadata: {
      name: statusObjectName(content.node, service),
      namespace,
      labels: { [STATUS_LABELS.serviceNamespace]: content.serviceNamespace, [STATUS_LABELS.serviceName]: content.serviceName, [STATUS_LABELS.node]: content.node },
    },
    spec: {},
    status: content,
  };
}
