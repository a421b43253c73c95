// From a Service as the API returns it (plain JSON, any shape) to the allocator's request:
// what it asks for (IPs, pool, sharing key, families) and what sharing depends on (ports, policy).
import { SERVICE_ANNOTATION, readAnnotation, type Family, type IPAddress } from '@headland/api';
import { ALLOCATION_FAILURE, type AllocationError } from '../allocator/failure.js';
import { describe, isRecord, readStringMap, where } from './json.js';
import { readRequestedIPs } from './requested-ips.js';

export const FAMILY_POLICY = { SingleStack: 'SingleStack', PreferDualStack: 'PreferDualStack', RequireDualStack: 'RequireDualStack' } as const;
export type FamilyPolicy = (typeof FAMILY_POLICY)[keyof typeof FAMILY_POLICY];

export const TRAFFIC_POLICY = { Cluster: 'Cluster', Local: 'Local' } as const;
export type TrafficPolicy = (typeof TRAFFIC_POLICY)[keyof typeof TRAFFIC_POLICY];

export interface ServicePort {
  readonly port: number;
  readonly protocol: string;
}

export interface ServiceRequest {
  /** "namespace/name" */
  readonly key: string;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly namespaceLabels: Readonly<Record<string, string>>;
  /** spec.ipFamilies order; [4] when absent; RequireDualStack always lists both. */
  readonly families: readonly Family[];
  readonly familyPolicy: FamilyPolicy;
  /** From the loadBalancerIPs annotation (any spelling) or spec.loadBalancerIP, in `families` order. */
  readonly requestedIPs: readonly IPAddress[];
  /** The address-pool annotation (any spelling). */
  readonly requestedPool: string | undefined;
  /** The allow-shared-ip annotation (any spelling). */
  readonly sharingKey: string | undefined;
  readonly ports: readonly ServicePort[];
  readonly trafficPolicy: TrafficPolicy;
  /** spec.selector; undefined for a Service without one (endpoints managed by hand). */
  readonly podSelector: Readonly<Record<string, string>> | undefined;
}

export type ServiceRequestResult = { ok: true; request: ServiceRequest } | { ok: false; error: AllocationError };

const FAMILY_NAMES: Readonly<Record<string, Family>> = { IPv4: 4, IPv6: 6 };
const PROTOCOLS: ReadonlySet<string> = new Set(['TCP', 'UDP', 'SCTP']);

/** The families the service gets addresses of: the first only for SingleStack, else all listed. */
export function wantedFamilies(req: Pick<ServiceRequest, 'families' | 'familyPolicy'>): readonly Family[] {
  // No copy when the list already is the answer: this runs on every allocation.
  return req.familyPolicy === FAMILY_POLICY.SingleStack && req.families.length > 1 ? req.families.slice(0, 1) : req.families;
}

export function serviceRequest(svc: unknown, namespaceLabels: Record<string, string>): ServiceRequestResult {
  const invalid = (message: string): ServiceRequestResult => ({ ok: false, error: { reason: ALLOCATION_FAILURE.InvalidRequest, message } });
  if (!isRecord(svc)) return invalid(`service: expected a Service object, not ${describe(svc)}`);
  const metadata = isRecord(svc['metadata']) ? svc['metadata'] : {};
  const { name, namespace } = metadata;
  if (typeof name !== 'string' || name === '') return invalid(`service: metadata.name must be a non-empty string, not ${describe(name)}`);
  if (typeof namespace !== 'string' || namespace === '') return invalid(`service ${name}: metadata.namespace must be a non-empty string, not ${describe(namespace)}`);
  const key = `${namespace}/${name}`;
  const fail = (message: string) => invalid(`service ${key}: ${message}`);
  const spec = svc['spec'] ?? {};
  if (!isRecord(spec)) return fail(`spec must be an object, not ${describe(spec)}`);

  const labels = readStringMap(metadata['labels'], 'metadata.labels');
  if (typeof labels === 'string') return fail(labels);
  const annotations = readStringMap(metadata['annotations'], 'metadata.annotations');
  if (typeof annotations === 'string') return fail(annotations);

  const familyPolicy = spec['ipFamilyPolicy'] ?? FAMILY_POLICY.SingleStack;
  if (!Object.values(FAMILY_POLICY).includes(familyPolicy as FamilyPolicy)) {
    return fail(`spec.ipFamilyPolicy ${describe(familyPolicy)} is not one of ${Object.values(FAMILY_POLICY).join(', ')}`);
  }
  const families = readFamilies(spec['ipFamilies'], familyPolicy as FamilyPolicy);
  if (typeof families === 'string') return fail(families);

  const requestedIPs = readRequestedIPs(annotations, spec['loadBalancerIP'], wantedFamilies({ families, familyPolicy: familyPolicy as FamilyPolicy }), familyPolicy as FamilyPolicy);
  if (typeof requestedIPs === 'string') return fail(requestedIPs);

  const ports = readPorts(spec['ports']);
  if (typeof ports === 'string') return fail(ports);

  const trafficPolicy = spec['externalTrafficPolicy'] ?? TRAFFIC_POLICY.Cluster;
  if (trafficPolicy !== TRAFFIC_POLICY.Cluster && trafficPolicy !== TRAFFIC_POLICY.Local) {
    return fail(`spec.externalTrafficPolicy ${describe(trafficPolicy)} is not Cluster or Local`);
  }
  const podSelector = spec['selector'] === undefined || spec['selector'] === null ? undefined : readStringMap(spec['selector'], 'spec.selector');
  if (typeof podSelector === 'string') return fail(podSelector);

  return {
    ok: true,
    request: {
      key,
      namespace,
      labels,
      namespaceLabels: { ...namespaceLabels },
      families,
      familyPolicy: familyPolicy as FamilyPolicy,
      requestedIPs,
      requestedPool: optionalAnnotation(annotations, SERVICE_ANNOTATION.AddressPool),
      sharingKey: optionalAnnotation(annotations, SERVICE_ANNOTATION.AllowSharedIP),
      ports,
      trafficPolicy,
      podSelector,
    },
  };
}

/** Whether this controller handles the service: type LoadBalancer, and the class is --lb-class (or both absent). */
export function isManaged(svc: unknown, lbClass: string | undefined): boolean {
  if (!isRecord(svc) || !isRecord(svc['spec'])) return false;
  const { type, loadBalancerClass } = svc['spec'];
  if (type !== 'LoadBalancer') return false;
  const serviceClass = typeof loadBalancerClass === 'string' && loadBalancerClass !== '' ? loadBalancerClass : undefined;
  return serviceClass === lbClass;
}

// An empty value counts as absent: clearing an annotation by emptying it is common.
function optionalAnnotation(annotations: Record<string, string>, key: string): string | undefined {
  const value = readAnnotation(annotations, key)?.value.trim();
  return value === undefined || value === '' ? undefined : value;
}

function readFamilies(value: unknown, policy: FamilyPolicy): Family[] | string {
  if (value === undefined || value === null) return policy === FAMILY_POLICY.RequireDualStack ? [4, 6] : [4];
  if (!Array.isArray(value)) return `spec.ipFamilies must be a list, not ${describe(value)}`;
  const families: Family[] = [];
  for (const [i, name] of value.entries()) {
    const family = typeof name === 'string' ? FAMILY_NAMES[name] : undefined;
    if (family === undefined) return `${where('spec.ipFamilies', i)} ${describe(name)} is not IPv4 or IPv6`;
    if (families.includes(family)) return `${where('spec.ipFamilies', i)} lists IPv${family} twice`;
    families.push(family);
  }
  if (families.length === 0) families.push(4);
  // The API server lists both for RequireDualStack; a hand-made object may not.
  if (policy === FAMILY_POLICY.RequireDualStack && families.length === 1) families.push(families[0] === 4 ? 6 : 4);
  return families;
}

function readPorts(value: unknown): ServicePort[] | string {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) return `spec.ports must be a list, not ${describe(value)}`;
  const ports: ServicePort[] = [];
  for (const [i, entry] of value.entries()) {
    const at = where('spec.ports', i);
    if (!isRecord(entry)) return `${at} must be an object, not ${describe(entry)}`;
    const { port } = entry;
    const protocol = entry['protocol'] ?? 'TCP';
    if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) return `${at}.port ${describe(port)} is not a port number (1-65535)`;
    if (typeof protocol !== 'string' || !PROTOCOLS.has(protocol)) return `${at}.protocol ${describe(protocol)} is not TCP, UDP or SCTP`;
    ports.push({ port, protocol });
  }
  return ports;
}
