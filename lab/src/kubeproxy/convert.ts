// Kubernetes Services, EndpointSlices and this node's Node (plain watch JSON or client-node model
// classes, which share field names) to the stand-in's plain types, refusing malformed objects by field path.

import { isIP } from 'node:net';
import { KubeProxyError } from './errors.js';
import { ADDRESS_TYPES, IP_FAMILIES, PROTOCOLS, TRAFFIC_POLICIES, type AddressType, type Endpoint, type EndpointPort, type EndpointSlice, type IPFamily, type NodeState, type Protocol, type Service, type ServicePort, type TrafficPolicy } from './model.js';

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

/** RFC 1123 subdomain, the shape of Kubernetes object names and namespaces. */
const OBJECT_NAME = /^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$/;
/** Port names are IANA service names: lowercase letters, digits and "-". */
const PORT_NAME = /^[a-z0-9]([a-z0-9-]{0,13}[a-z0-9])?$/;

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

class Reader {
  constructor(readonly what: string) {}
  fail(path: string, problem: string): never {
    throw new KubeProxyError('kubeproxy/convert', `${this.what}: ${path}: ${problem}`);
  }
  obj(v: unknown, path: string): Obj {
    if (!isObj(v)) this.fail(path, `must be an object, got ${show(v)}`);
    return v;
  }
  optObj(v: unknown, path: string): Obj {
    return v === undefined || v === null ? {} : this.obj(v, path);
  }
  list(v: unknown, path: string): unknown[] {
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) this.fail(path, `must be a list, got ${show(v)}`);
    return v;
  }
  name(v: unknown, path: string): string {
    if (typeof v !== 'string' || !OBJECT_NAME.test(v)) this.fail(path, `must be a lowercase RFC 1123 name, got ${show(v)}`);
    return v;
  }
  oneOf<T extends string>(v: unknown, allowed: readonly T[], fallback: T, path: string): T {
    if (v === undefined || v === null || v === '') return fallback;
    if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) this.fail(path, `must be one of ${allowed.join(', ')}, got ${show(v)}`);
    return v as T;
  }
  port(v: unknown, path: string): number {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > 65535) this.fail(path, `must be an integer 1-65535, got ${show(v)}`);
    return v;
  }
  portName(v: unknown, path: string): string {
    if (v === undefined || v === null || v === '') return '';
    if (typeof v !== 'string' || !PORT_NAME.test(v)) this.fail(path, `must be an IANA-style port name, got ${show(v)}`);
    return v;
  }
  bool(v: unknown, path: string): boolean | undefined {
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'boolean') this.fail(path, `must be true or false, got ${show(v)}`);
    return v;
  }
  ip(v: unknown, path: string): string {
    if (typeof v !== 'string' || isIP(v) === 0) this.fail(path, `must be an IP address, got ${show(v)}`);
    return v;
  }
}

function show(v: unknown): string {
  const text = JSON.stringify(v);
  return text === undefined ? String(v) : text.length > 80 ? `${text.slice(0, 80)}...` : text;
}

/** spec.ipFamilies, else the families of spec.clusterIPs (or the older spec.clusterIP); "None" is headless. */
function ipFamiliesOf(r: Reader, spec: Obj): IPFamily[] {
  const listed = r.list(spec['ipFamilies'], 'spec.ipFamilies').map((f, i): IPFamily => {
    if (typeof f !== 'string' || !(IP_FAMILIES as readonly string[]).includes(f)) r.fail(`spec.ipFamilies[${i}]`, `must be one of ${IP_FAMILIES.join(', ')}, got ${show(f)}`);
    return f as IPFamily;
  });
  if (listed.length > 0) return [...new Set(listed)];
  const clusterIPs = r.list(spec['clusterIPs'], 'spec.clusterIPs');
  const ips = clusterIPs.length > 0 ? clusterIPs.map((ip, i) => [ip, `spec.clusterIPs[${i}]`] as const) : [[spec['clusterIP'], 'spec.clusterIP'] as const];
  const families: IPFamily[] = [];
  for (const [ip, path] of ips) {
    if (ip === undefined || ip === null || ip === '' || ip === 'None') continue;
    const family: IPFamily = isIP(r.ip(ip, path)) === 6 ? 'IPv6' : 'IPv4';
    if (!families.includes(family)) families.push(family);
  }
  return families;
}

function metadata(r: Reader, obj: Obj): { namespace: string; name: string; labels: Obj } {
  const meta = r.obj(obj['metadata'], 'metadata');
  return { namespace: r.name(meta['namespace'], 'metadata.namespace'), name: r.name(meta['name'], 'metadata.name'), labels: r.optObj(meta['labels'], 'metadata.labels') };
}

/** What to call an object in an error before its metadata has been checked. */
function label(kind: string, obj: unknown): string {
  const meta = isObj(obj) && isObj(obj['metadata']) ? obj['metadata'] : {};
  const ns = typeof meta['namespace'] === 'string' ? meta['namespace'] : '?';
  const name = typeof meta['name'] === 'string' ? meta['name'] : '?';
  return `${kind} ${ns}/${name}`;
}

export function serviceFromKubernetes(input: unknown): Service {
  const r = new Reader(label('Service', input));
  const obj = r.obj(input, '(object)');
  const { namespace, name } = metadata(r, obj);
  const spec = r.obj(obj['spec'], 'spec');
  const ports = r.list(spec['ports'], 'spec.ports').map((p, i): ServicePort => {
    const path = `spec.ports[${i}]`;
    const port = r.obj(p, path);
    return {
      name: r.portName(port['name'], `${path}.name`),
      protocol: r.oneOf<Protocol>(port['protocol'], PROTOCOLS, 'TCP', `${path}.protocol`),
      port: r.port(port['port'], `${path}.port`),
    };
  });
  const status = r.optObj(obj['status'], 'status');
  const lb = r.optObj(status['loadBalancer'], 'status.loadBalancer');
  const loadBalancerIPs: string[] = [];
  for (const [i, entry] of r.list(lb['ingress'], 'status.loadBalancer.ingress').entries()) {
    const path = `status.loadBalancer.ingress[${i}]`;
    const ingress = r.obj(entry, path);
    // Hostname-only entries (cloud LBs) carry no IP for kube-proxy to match.
    if (ingress['ip'] === undefined || ingress['ip'] === null) continue;
    loadBalancerIPs.push(r.ip(ingress['ip'], `${path}.ip`));
  }
  const rawType = spec['type'] ?? 'ClusterIP';
  const type = typeof rawType === 'string' ? rawType : r.fail('spec.type', `must be a string, got ${show(rawType)}`);
  const ipFamilies = ipFamiliesOf(r, spec);
  // 0 is what an unset int32 reads as; kube-proxy treats it as "no health check port".
  const rawHealthPort = spec['healthCheckNodePort'];
  const healthCheckNodePort = rawHealthPort === undefined || rawHealthPort === null || rawHealthPort === 0 ? undefined : r.port(rawHealthPort, 'spec.healthCheckNodePort');
  return {
    namespace,
    name,
    type,
    externalTrafficPolicy: r.oneOf<TrafficPolicy>(spec['externalTrafficPolicy'], TRAFFIC_POLICIES, 'Cluster', 'spec.externalTrafficPolicy'),
    ports,
    loadBalancerIPs,
    ...(ipFamilies.length === 0 ? {} : { ipFamilies }),
    ...(healthCheckNodePort === undefined ? {} : { healthCheckNodePort }),
  };
}

/** null for a slice that belongs to no Service (no kubernetes.io/service-name label): kube-proxy ignores those. */
export function endpointSliceFromKubernetes(input: unknown): EndpointSlice | null {
  const r = new Reader(label('EndpointSlice', input));
  const obj = r.obj(input, '(object)');
  const { namespace, name, labels } = metadata(r, obj);
  const serviceName = labels[SERVICE_NAME_LABEL];
  if (serviceName === undefined || serviceName === null) return null;
  r.name(serviceName, `metadata.labels["${SERVICE_NAME_LABEL}"]`);
  if (obj['addressType'] === undefined || obj['addressType'] === null) r.fail('addressType', 'is required');
  const addressType = r.oneOf<AddressType>(obj['addressType'], ADDRESS_TYPES, 'IPv4', 'addressType');
  const ports: EndpointPort[] = [];
  for (const [i, p] of r.list(obj['ports'], 'ports').entries()) {
    const path = `ports[${i}]`;
    const port = r.obj(p, path);
    // A port-less entry means "all ports" in the API; kube-proxy has nothing to DNAT to, so skip it.
    if (port['port'] === undefined || port['port'] === null) continue;
    ports.push({ name: r.portName(port['name'], `${path}.name`), protocol: r.oneOf<Protocol>(port['protocol'], PROTOCOLS, 'TCP', `${path}.protocol`), port: r.port(port['port'], `${path}.port`) });
  }
  const endpoints = r.list(obj['endpoints'], 'endpoints').map((e, i): Endpoint => {
    const path = `endpoints[${i}]`;
    const endpoint = r.obj(e, path);
    const addresses = r.list(endpoint['addresses'], `${path}.addresses`);
    if (addresses.length === 0) r.fail(`${path}.addresses`, 'must hold at least one address');
    const address = addressType === 'FQDN' ? String(addresses[0]) : r.ip(addresses[0], `${path}.addresses[0]`);
    if (addressType !== 'FQDN' && isIP(address) !== (addressType === 'IPv4' ? 4 : 6)) r.fail(`${path}.addresses[0]`, `${address} is not an ${addressType} address`);
    const conditions = r.optObj(endpoint['conditions'], `${path}.conditions`);
    const nodeName = endpoint['nodeName'] === undefined || endpoint['nodeName'] === null ? undefined : r.name(endpoint['nodeName'], `${path}.nodeName`);
    const ready = r.bool(conditions['ready'], `${path}.conditions.ready`);
    const serving = r.bool(conditions['serving'], `${path}.conditions.serving`);
    const terminating = r.bool(conditions['terminating'], `${path}.conditions.terminating`);
    return {
      address,
      ...(nodeName === undefined ? {} : { nodeName }),
      ...(ready === undefined ? {} : { ready }),
      ...(serving === undefined ? {} : { serving }),
      ...(terminating === undefined ? {} : { terminating }),
    };
  });
  return { namespace, name, serviceName: serviceName as string, addressType, ports, endpoints };
}

/** The Node fields kube-proxy's /healthz reads (deletion, taints) and the labels whose change makes it re-sync. */
export function nodeFromKubernetes(input: unknown): NodeState {
  const r = new Reader(`Node ${isObj(input) && isObj(input['metadata']) && typeof input['metadata']['name'] === 'string' ? input['metadata']['name'] : '?'}`);
  const obj = r.obj(input, '(object)');
  const meta = r.obj(obj['metadata'], 'metadata');
  const name = r.name(meta['name'], 'metadata.name');
  const rawDeletion = meta['deletionTimestamp'];
  // Plain JSON carries the RFC 3339 text; client-node model classes a Date.
  const deletion =
    rawDeletion === undefined || rawDeletion === null ? undefined
    : typeof rawDeletion === 'string' ? rawDeletion
    : rawDeletion instanceof Date ? rawDeletion.toISOString()
    : r.fail('metadata.deletionTimestamp', `must be a timestamp, got ${show(rawDeletion)}`);
  const labels: Record<string, string> = {};
  const rawLabels = meta['labels'];
  if (rawLabels !== undefined && rawLabels !== null) {
    for (const [key, value] of Object.entries(r.obj(rawLabels, 'metadata.labels'))) {
      labels[key] = typeof value === 'string' ? value : r.fail(`metadata.labels["${key}"]`, `must be a string, got ${show(value)}`);
    }
  }
  const spec = r.optObj(obj['spec'], 'spec');
  const taintKeys = r.list(spec['taints'], 'spec.taints').map((t, i): string => {
    const key = r.obj(t, `spec.taints[${i}]`)['key'];
    return typeof key === 'string' && key !== '' ? key : r.fail(`spec.taints[${i}].key`, `must be a non-empty string, got ${show(key)}`);
  });
  return {
    name,
    ...(deletion === undefined ? {} : { deletionTimestamp: deletion }),
    taintKeys,
    ...(rawLabels === undefined || rawLabels === null ? {} : { labels }),
  };
}
