// A Service as plain Kubernetes JSON to ServiceInfo: type, class, traffic policy, labels, the
// assigned IPs from status.loadBalancer.ingress, and the controller's pool annotation.
import { ALLOCATED_FROM_POOL_ANNOTATION, compareIP, isValidIP, parseIP, readAnnotation, type IPAddress } from '@headland/api';
import { ObjectReader, readMeta, show } from './reader.js';
import { TRAFFIC_POLICY, type Converted, type ServiceInfo, type TrafficPolicy } from './types.js';

const POLICIES: ReadonlySet<string> = new Set(Object.values(TRAFFIC_POLICY));

export function serviceFromJSON(obj: unknown): Converted<ServiceInfo> {
  const r = new ObjectReader('model/service', 'Service');
  const id = readMeta(r, obj, true);
  if (id === undefined) return { value: undefined, problems: r.problems };
  const { namespace, name, meta } = id;
  const root = obj as Record<string, unknown>;
  const spec = r.optObj(root['spec'], 'spec');
  const status = r.optObj(root['status'], 'status');

  // Kubernetes defaults an unset type to ClusterIP, which is never announced.
  const type = r.optStr(spec['type'], 'spec.type') ?? 'ClusterIP';
  const loadBalancerClass = r.optStr(spec['loadBalancerClass'], 'spec.loadBalancerClass');
  const trafficPolicy = readTrafficPolicy(r, spec['externalTrafficPolicy']);

  const ingressIPs: IPAddress[] = [];
  const ingress = r.optList(r.optObj(status['loadBalancer'], 'status.loadBalancer')['ingress'], 'status.loadBalancer.ingress');
  ingress.forEach((entry, i) => {
    const path = `status.loadBalancer.ingress[${i}]`;
    const fields = r.optObj(entry, path);
    const ip = fields['ip'];
    // Hostname-only entries belong to other load balancers; nothing to announce.
    if (ip === undefined || ip === null || ip === '') return;
    if (typeof ip !== 'string' || !isValidIP(ip)) {
      r.problem(`${path}.ip`, `is not an IP address: ${show(ip)}`);
      return;
    }
    const parsed = parseIP(ip);
    if (!ingressIPs.some((seen) => compareIP(seen, parsed) === 0)) ingressIPs.push(parsed);
  });

  const labels = r.strings(meta['labels'], 'metadata.labels');
  const annotations = r.strings(meta['annotations'], 'metadata.annotations');
  const poolHint = readAnnotation(annotations, ALLOCATED_FROM_POOL_ANNOTATION)?.value;

  const healthCheckNodePort = readPort(r, spec['healthCheckNodePort']);
  const value: ServiceInfo = { key: `${namespace}/${name}`, namespace, name, type, loadBalancerClass, trafficPolicy, ingressIPs, labels, poolHint, healthCheckNodePort };
  return { value, problems: r.problems };
}

function readPort(r: ObjectReader, v: unknown): number | undefined {
  if (v === undefined || v === null || v === 0) return undefined;
  if (typeof v === 'number' && Number.isInteger(v) && v > 0 && v < 65536) return v;
  r.problem('spec.healthCheckNodePort', `is not a port number: ${show(v)}; the Service cannot be checked with kube-proxy`);
  return undefined;
}

function readTrafficPolicy(r: ObjectReader, v: unknown): TrafficPolicy {
  const text = r.optStr(v, 'spec.externalTrafficPolicy');
  if (text === undefined || text === '') return TRAFFIC_POLICY.Cluster;
  if (POLICIES.has(text)) return text as TrafficPolicy;
  r.problem('spec.externalTrafficPolicy', `must be Cluster or Local, not ${show(text)}; read as Cluster`);
  return TRAFFIC_POLICY.Cluster;
}
