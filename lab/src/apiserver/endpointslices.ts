// The EndpointSlices kube-controller-manager's EndpointSlice controller keeps for one Service,
// computed from the Service and its namespace's Pods (pkg/controller/endpointslice). Pure.
//
// Simplifications: names are deterministic instead of generateName, a slice is never split at
// 100 endpoints, endpoints carry no zone or hostname, and a Service whose selector matches no
// Pod gets no slice at all (Kubernetes keeps one empty slice per address type).

import { isIP } from 'node:net';
import { isObject, type Json, type JsonObject } from './json.js';

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
export const MANAGED_BY_LABEL = 'endpointslice.kubernetes.io/managed-by';
export const CONTROLLER_NAME = 'endpointslice-controller.k8s.io';
const HEADLESS_LABEL = 'service.kubernetes.io/headless';

type AddressType = 'IPv4' | 'IPv6';
const ADDRESS_TYPES: readonly AddressType[] = ['IPv4', 'IPv6'];

function obj(v: Json | undefined): JsonObject {
  return isObject(v) ? v : {};
}

function objects(v: Json | undefined): JsonObject[] {
  return Array.isArray(v) ? v.filter(isObject) : [];
}

function str(v: Json | undefined): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function stringMap(v: Json | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(obj(v))) if (typeof x === 'string') out[k] = x;
  return out;
}

/** The selector of a Service the controller keeps slices for; undefined for the others (no selector, ExternalName). */
export function managedSelector(service: JsonObject): Record<string, string> | undefined {
  const spec = obj(service['spec']);
  if (spec['type'] === 'ExternalName') return undefined;
  const selector = stringMap(spec['selector']);
  return Object.keys(selector).length === 0 ? undefined : selector;
}

export function selects(selector: Record<string, string>, pod: JsonObject): boolean {
  const labels = stringMap(obj(pod['metadata'])['labels']);
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

/** getAddressTypesForService: spec.ipFamilies; else the clusterIP's family; else (headless) both. */
function addressTypes(spec: JsonObject): AddressType[] {
  const families = Array.isArray(spec['ipFamilies']) ? ADDRESS_TYPES.filter((t) => (spec['ipFamilies'] as Json[]).includes(t)) : [];
  if (families.length > 0) return families;
  const clusterIP = str(spec['clusterIP']);
  if (clusterIP !== undefined && clusterIP !== 'None') return [isIP(clusterIP) === 6 ? 'IPv6' : 'IPv4'];
  return [...ADDRESS_TYPES];
}

/** The Pod's first IP of the family, from status.podIPs or else status.podIP. */
function podAddress(status: JsonObject, type: AddressType): string | undefined {
  const ips = objects(status['podIPs']).map((p) => str(p['ip']));
  const podIP = str(status['podIP']);
  if (podIP !== undefined) ips.push(podIP);
  return ips.find((ip): ip is string => ip !== undefined && isIP(ip) === (type === 'IPv6' ? 6 : 4));
}

/**
 * The slice ports for one Pod (FindPort: a named targetPort is the container port of that name
 * and protocol), or undefined when a named port does not resolve: the Pod is then left out.
 * (Kubernetes drops only that port from the Pod's endpoint; leaving the Pod out is stricter.)
 */
function resolvePorts(spec: JsonObject, pod: JsonObject): JsonObject[] | undefined {
  const containerPorts = objects(obj(pod['spec'])['containers']).flatMap((c) => objects(c['ports']));
  const out: JsonObject[] = [];
  for (const sp of objects(spec['ports'])) {
    const protocol = str(sp['protocol']) ?? 'TCP';
    const target = sp['targetPort'] ?? sp['port'];
    let port: Json | undefined = target;
    if (typeof target === 'string') {
      port = containerPorts.find((cp) => cp['name'] === target && (str(cp['protocol']) ?? 'TCP') === protocol)?.['containerPort'];
    }
    if (typeof port !== 'number') return undefined;
    const slicePort: JsonObject = { name: str(sp['name']) ?? '', protocol, port };
    const appProtocol = str(sp['appProtocol']);
    if (appProtocol !== undefined) slicePort['appProtocol'] = appProtocol;
    out.push(slicePort);
  }
  return out;
}

function isReady(status: JsonObject): boolean {
  return objects(status['conditions']).some((c) => c['type'] === 'Ready' && c['status'] === 'True');
}

/** ShouldPodBeInEndpoints, plus a node: not terminal, has an IP, and is scheduled. */
function eligible(pod: JsonObject, namespace: string, selector: Record<string, string>): boolean {
  const m = obj(pod['metadata']);
  const status = obj(pod['status']);
  if (m['namespace'] !== namespace || !selects(selector, pod)) return false;
  if (str(obj(pod['spec'])['nodeName']) === undefined) return false;
  if (status['phase'] === 'Succeeded' || status['phase'] === 'Failed') return false;
  return str(status['podIP']) !== undefined || objects(status['podIPs']).some((p) => str(p['ip']) !== undefined);
}

function endpoint(pod: JsonObject, address: string, publishNotReady: boolean): JsonObject {
  const m = obj(pod['metadata']);
  const serving = isReady(obj(pod['status']));
  const terminating = m['deletionTimestamp'] !== undefined && m['deletionTimestamp'] !== null;
  return {
    addresses: [address],
    conditions: { ready: publishNotReady || (serving && !terminating), serving, terminating },
    nodeName: String(obj(pod['spec'])['nodeName']),
    targetRef: { kind: 'Pod', namespace: String(m['namespace']), name: String(m['name']), uid: String(m['uid'] ?? '') },
  };
}

/** setEndpointSliceLabels: the Service's own labels, the headless mark, and the two the controller finds its slices by. */
function sliceLabels(service: JsonObject, spec: JsonObject, name: string): JsonObject {
  const labels: JsonObject = { ...stringMap(obj(service['metadata'])['labels']) };
  delete labels[HEADLESS_LABEL];
  if (spec['clusterIP'] === 'None') labels[HEADLESS_LABEL] = '';
  labels[SERVICE_NAME_LABEL] = name;
  labels[MANAGED_BY_LABEL] = CONTROLLER_NAME;
  return labels;
}

/** The EndpointSlices (no resourceVersion or uid) the controller wants for the Service. */
export function desiredSlices(service: JsonObject, pods: readonly JsonObject[]): JsonObject[] {
  const selector = managedSelector(service);
  if (selector === undefined) return [];
  const spec = obj(service['spec']);
  const m = obj(service['metadata']);
  const name = String(m['name']);
  const namespace = String(m['namespace']);
  const publishNotReady = spec['publishNotReadyAddresses'] === true;
  const types = addressTypes(spec);
  // Per address type, endpoints grouped by their resolved port list.
  const groups = new Map<AddressType, Map<string, { ports: JsonObject[]; endpoints: JsonObject[] }>>(types.map((t) => [t, new Map()]));
  for (const pod of pods) {
    if (!eligible(pod, namespace, selector)) continue;
    const ports = resolvePorts(spec, pod);
    if (ports === undefined) continue;
    const key = JSON.stringify(ports);
    for (const type of types) {
      const address = podAddress(obj(pod['status']), type);
      if (address === undefined) continue;
      const byPorts = groups.get(type) as Map<string, { ports: JsonObject[]; endpoints: JsonObject[] }>;
      const group = byPorts.get(key) ?? { ports, endpoints: [] };
      group.endpoints.push(endpoint(pod, address, publishNotReady));
      byPorts.set(key, group);
    }
  }
  const slices: JsonObject[] = [];
  for (const [type, byPorts] of groups) {
    const ordered = [...byPorts.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    for (const [i, [, group]] of ordered.entries()) {
      const address = (e: JsonObject): string => String((e['addresses'] as Json[])[0]);
      group.endpoints.sort((a, b) => (address(a) < address(b) ? -1 : address(a) > address(b) ? 1 : 0));
      slices.push({
        apiVersion: 'discovery.k8s.io/v1',
        kind: 'EndpointSlice',
        metadata: {
          name: `${name}-managed-${type.toLowerCase()}${i === 0 ? '' : `-${i + 1}`}`,
          namespace,
          labels: sliceLabels(service, spec, name),
          ownerReferences: [{ apiVersion: 'v1', kind: 'Service', name, uid: String(m['uid'] ?? ''), controller: true, blockOwnerDeletion: true }],
        },
        addressType: type,
        endpoints: group.endpoints,
        ports: group.ports,
      });
    }
  }
  return slices;
}
