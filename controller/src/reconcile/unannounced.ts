// Services no node announces: this controller's LoadBalancer Services with an IP and a ready
// endpoint that no speaker's SpeakerStatus (announcedServices, l2.answeredServices) or
// ServiceL2Status names. Counted when /metrics is
// scraped, from informers that keep only what the count needs (see the *Skeleton functions).
import { STATUS_LABELS } from '@headland/api';
import type { KubernetesObject } from '@kubernetes/client-node';
import { isManaged } from '../service/index.js';
import { field, isRecord, labelsOf, str } from './objects.js';

/** The label an EndpointSlice names its Service with. */
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

const identity = (obj: KubernetesObject, labels: Record<string, string>): KubernetesObject => {
  const m = obj.metadata;
  return { apiVersion: obj.apiVersion, kind: obj.kind, metadata: { name: m?.name, namespace: m?.namespace, uid: m?.uid, resourceVersion: m?.resourceVersion, labels } } as KubernetesObject;
};

/** Ready unless it says otherwise (the API's default for a missing condition). */
const isReady = (endpoint: unknown): boolean => field(endpoint, 'conditions', 'ready') !== false;

/** What is kept of an EndpointSlice: its identity, its Service, and one ready endpoint if it has any. */
export function sliceSkeleton(obj: KubernetesObject): KubernetesObject {
  const service = labelsOf(obj)[SERVICE_NAME_LABEL];
  const endpoints = field(obj, 'endpoints');
  const ready = Array.isArray(endpoints) && endpoints.some(isReady);
  return { ...identity(obj, service === undefined ? {} : { [SERVICE_NAME_LABEL]: service }), endpoints: ready ? [{ conditions: { ready: true } }] : [] } as KubernetesObject;
}

/**
 * What is kept of a ServiceL2Status: its identity and the Service it is for (labels); of a
 * SpeakerStatus: its identity and the Services it lists (announced over BGP or answered in L2).
 */
export function statusSkeleton(obj: KubernetesObject): KubernetesObject {
  if (obj.kind === 'SpeakerStatus') {
    const list = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
    return { ...identity(obj, {}), announced: [...list(field(obj, 'status', 'announcedServices')), ...list(field(obj, 'status', 'l2', 'answeredServices'))] } as KubernetesObject;
  }
  const labels = labelsOf(obj);
  const kept: Record<string, string> = {};
  for (const key of [STATUS_LABELS.serviceNamespace, STATUS_LABELS.serviceName]) if (labels[key] !== undefined) kept[key] = labels[key];
  return identity(obj, kept);
}

export interface AnnouncementFacts {
  readonly services: Iterable<unknown>;
  readonly slices: Iterable<unknown>;
  /** Every SpeakerStatus (what its node announces) and ServiceL2Status (one while a node answers for the Service). */
  readonly statuses: Iterable<unknown>;
  readonly lbClass: string | undefined;
}

/** How many of this controller's Services have an IP and a ready endpoint, and no node announcing them. */
export function unannouncedServices(facts: AnnouncementFacts): number {
  const announced = new Set<string>();
  for (const s of facts.statuses) {
    for (const listed of [field(s, 'announced'), field(s, 'status', 'announcedServices'), field(s, 'status', 'l2', 'answeredServices')]) {
      if (Array.isArray(listed)) for (const key of listed) if (typeof key === 'string') announced.add(key);
    }
    const labels = labelsOf(s);
    const namespace = labels[STATUS_LABELS.serviceNamespace];
    const name = labels[STATUS_LABELS.serviceName];
    if (namespace !== undefined && name !== undefined) announced.add(`${namespace}/${name}`);
  }
  const withEndpoints = new Set<string>();
  for (const slice of facts.slices) {
    const service = labelsOf(slice)[SERVICE_NAME_LABEL];
    const endpoints = field(slice, 'endpoints');
    if (service !== undefined && Array.isArray(endpoints) && endpoints.some(isReady)) withEndpoints.add(`${str(slice, 'metadata', 'namespace') ?? ''}/${service}`);
  }
  let count = 0;
  for (const svc of facts.services) {
    const key = `${str(svc, 'metadata', 'namespace') ?? ''}/${str(svc, 'metadata', 'name') ?? ''}`;
    if (!isManaged(svc, facts.lbClass) || !hasIngressIP(svc) || !withEndpoints.has(key) || announced.has(key)) continue;
    count++;
  }
  return count;
}

function hasIngressIP(svc: unknown): boolean {
  const ingress = field(svc, 'status', 'loadBalancer', 'ingress');
  return Array.isArray(ingress) && ingress.some((i) => isRecord(i) && typeof i['ip'] === 'string' && i['ip'] !== '');
}
