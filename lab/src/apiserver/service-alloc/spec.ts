// A typed view of the Service fields the registry allocates for, with Go's zero values: an absent
// field reads as "" or 0, and writing a zero value removes the field, as omitempty does on the wire.

import { clone, isObject, type Json, type JsonObject } from '../json.js';

export interface PortView {
  name: string;
  protocol: string;
  port: number;
  nodePort: number;
}

export interface SpecView {
  type: string;
  clusterIP: string;
  /** Undefined is Go's nil slice; [] is an empty one (they print differently in errors). */
  clusterIPs: string[] | undefined;
  ipFamilies: string[] | undefined;
  ipFamilyPolicy: string | undefined;
  selectorSize: number;
  ports: PortView[];
  externalTrafficPolicy: string;
  healthCheckNodePort: number;
  allocateLoadBalancerNodePorts: boolean | undefined;
  loadBalancerClass: string | undefined;
  internalTrafficPolicy: string | undefined;
}

export interface ServiceView {
  name: string;
  namespace: string;
  spec: SpecView;
}

export const ClusterIPNone = 'None';

function str(o: JsonObject, key: string): string {
  const v = o[key];
  return typeof v === 'string' ? v : '';
}

function optStr(o: JsonObject, key: string): string | undefined {
  const v = o[key];
  return typeof v === 'string' ? v : undefined;
}

function int(o: JsonObject, key: string): number {
  const v = o[key];
  return typeof v === 'number' && Number.isInteger(v) ? v : 0;
}

function strList(o: JsonObject, key: string): string[] | undefined {
  const v = o[key];
  return Array.isArray(v) ? v.map((x) => (typeof x === 'string' ? x : String(x))) : undefined;
}

function objectAt(o: JsonObject, key: string): JsonObject {
  const v = o[key];
  return isObject(v) ? v : {};
}

export function readService(obj: JsonObject): ServiceView {
  const meta = objectAt(obj, 'metadata');
  const spec = objectAt(obj, 'spec');
  const ports = Array.isArray(spec['ports']) ? spec['ports'] : [];
  const alb = spec['allocateLoadBalancerNodePorts'];
  return {
    name: str(meta, 'name'),
    namespace: str(meta, 'namespace'),
    spec: {
      type: str(spec, 'type'),
      clusterIP: str(spec, 'clusterIP'),
      clusterIPs: strList(spec, 'clusterIPs'),
      ipFamilies: strList(spec, 'ipFamilies'),
      ipFamilyPolicy: optStr(spec, 'ipFamilyPolicy'),
      selectorSize: Object.keys(objectAt(spec, 'selector')).length,
      ports: ports.map((p) => {
        const po = isObject(p) ? p : {};
        return { name: str(po, 'name'), protocol: str(po, 'protocol') || 'TCP', port: int(po, 'port'), nodePort: int(po, 'nodePort') };
      }),
      externalTrafficPolicy: str(spec, 'externalTrafficPolicy'),
      healthCheckNodePort: int(spec, 'healthCheckNodePort'),
      allocateLoadBalancerNodePorts: typeof alb === 'boolean' ? alb : undefined,
      loadBalancerClass: optStr(spec, 'loadBalancerClass'),
      internalTrafficPolicy: optStr(spec, 'internalTrafficPolicy'),
    },
  };
}

function put(o: JsonObject, key: string, v: Json | undefined, zero: boolean): void {
  if (zero || v === undefined) delete o[key];
  else o[key] = v;
}

/** A copy of obj with the view's fields written into spec; everything else is kept as it was. */
export function writeService(obj: JsonObject, view: ServiceView): JsonObject {
  const out = clone(obj);
  const spec = isObject(out['spec']) ? out['spec'] : {};
  out['spec'] = spec;
  const s = view.spec;
  put(spec, 'type', s.type, s.type === '');
  put(spec, 'clusterIP', s.clusterIP, s.clusterIP === '');
  put(spec, 'clusterIPs', s.clusterIPs === undefined ? undefined : [...s.clusterIPs], (s.clusterIPs ?? []).length === 0);
  put(spec, 'ipFamilies', s.ipFamilies === undefined ? undefined : [...s.ipFamilies], (s.ipFamilies ?? []).length === 0);
  put(spec, 'ipFamilyPolicy', s.ipFamilyPolicy, false);
  put(spec, 'externalTrafficPolicy', s.externalTrafficPolicy, s.externalTrafficPolicy === '');
  put(spec, 'healthCheckNodePort', s.healthCheckNodePort, s.healthCheckNodePort === 0);
  put(spec, 'allocateLoadBalancerNodePorts', s.allocateLoadBalancerNodePorts, false);
  put(spec, 'loadBalancerClass', s.loadBalancerClass, false);
  put(spec, 'internalTrafficPolicy', s.internalTrafficPolicy, false);
  const ports = Array.isArray(spec['ports']) ? spec['ports'] : [];
  for (const [i, p] of ports.entries()) {
    const nodePort = s.ports[i]?.nodePort ?? 0;
    if (isObject(p)) put(p, 'nodePort', nodePort, nodePort === 0);
  }
  return out;
}

export const isNodePortType = (s: SpecView): boolean => s.type === 'NodePort' || s.type === 'LoadBalancer';
export const needsClusterIP = (s: SpecView): boolean => s.type !== 'ExternalName';
/** apiservice.NeedsHealthCheck: a LoadBalancer that keeps traffic on the receiving node. */
export const needsHealthCheck = (s: SpecView): boolean => s.type === 'LoadBalancer' && s.externalTrafficPolicy === 'Local';
/** validation's isHeadlessService: exactly one clusterIP, and it is None. */
export const isHeadless = (s: SpecView): boolean => s.clusterIPs?.length === 1 && s.clusterIPs[0] === ClusterIPNone;

export function sameStrings(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  const x = a ?? [];
  const y = b ?? [];
  return x.length === y.length && x.every((v, i) => v === y[i]);
}
