// The registry's rewrites around allocation: keeping clusterIP and clusterIPs in step, carrying
// allocated values over an update that omits them, and clearing fields a new type does not use.

import type { ServiceAllocator } from './allocator.js';
import { familyOfText, otherFamily } from './ip-range.js';
import { ClusterIPNone, isNodePortType, needsClusterIP, needsHealthCheck, sameStrings, type SpecView } from './spec.js';

/** SetDefaults_Service fills this at decode time; allocation reads it for every LoadBalancer. */
export function applyDecodeDefaults(s: SpecView): void {
  if (s.type === 'LoadBalancer' && s.allocateLoadBalancerNodePorts === undefined) s.allocateLoadBalancerNodePorts = true;
}

/** normalizeClusterIPs: old clients send only clusterIP; new ones send both. */
export function normalizeClusterIPs(s: SpecView, old: SpecView | undefined): void {
  if (old === undefined) {
    if (s.clusterIP !== '' && (s.clusterIPs ?? []).length === 0) s.clusterIPs = [s.clusterIP];
    return;
  }
  if ((old.clusterIPs ?? []).length > 0 && (s.clusterIPs ?? []).length === 0 && old.clusterIP === s.clusterIP) {
    s.clusterIPs = old.clusterIPs === undefined ? undefined : [...old.clusterIPs];
  }
  if (old.clusterIP === s.clusterIP) return;
  if (old.clusterIP !== '' && s.clusterIP === '') {
    if (sameStrings(old.clusterIPs, s.clusterIPs)) s.clusterIPs = undefined;
  } else if (sameStrings(old.clusterIPs, s.clusterIPs)) {
    s.clusterIPs = [s.clusterIP];
  }
}

function nodePortSet(s: SpecView): Set<number> {
  return new Set(s.ports.map((p) => p.nodePort).filter((n) => n !== 0));
}

/** patchAllocatedValues: re-sending the YAML one created with keeps what was allocated for it. */
export function patchAllocatedValues(s: SpecView, old: SpecView): void {
  if (needsClusterIP(old) && needsClusterIP(s)) {
    if (s.clusterIP === '') s.clusterIP = old.clusterIP;
    if ((s.clusterIPs ?? []).length === 0 && (old.clusterIPs ?? []).length > 0) s.clusterIPs = [...(old.clusterIPs ?? [])];
  }
  if (isNodePortType(old) && isNodePortType(s)) {
    const inNew = nodePortSet(s);
    const used = new Set([...nodePortSet(old)].filter((n) => inNew.has(n)));
    // By port name: the user may have changed anything else about the port.
    const byName = new Map(old.ports.map((p) => [p.name, p.nodePort]));
    for (const p of s.ports) {
      const previous = byName.get(p.name) ?? 0;
      if (p.nodePort === 0 && !used.has(previous)) p.nodePort = previous;
    }
  }
  if (needsHealthCheck(old) && needsHealthCheck(s) && s.healthCheckNodePort === 0) s.healthCheckNodePort = old.healthCheckNodePort;
}

/** dropTypeDependentFields: wipe what the new type does not use, unless the user changed it too. */
export function dropTypeDependentFields(s: SpecView, old: SpecView): void {
  if (needsClusterIP(old) && !needsClusterIP(s)) {
    if (old.clusterIP === s.clusterIP && sameStrings(old.clusterIPs, s.clusterIPs)) {
      s.clusterIP = '';
      s.clusterIPs = undefined;
    }
    if (sameList(old.ipFamilies, s.ipFamilies)) s.ipFamilies = undefined;
    if (old.ipFamilyPolicy === s.ipFamilyPolicy) s.ipFamilyPolicy = undefined;
  }
  if (isNodePortType(old) && !isNodePortType(s)) {
    const before = nodePortSet(old);
    if ([...nodePortSet(s)].every((n) => before.has(n))) for (const p of s.ports) p.nodePort = 0;
  }
  if (needsHealthCheck(old) && !needsHealthCheck(s) && old.healthCheckNodePort === s.healthCheckNodePort) s.healthCheckNodePort = 0;
  if (old.type === 'LoadBalancer' && s.type !== 'LoadBalancer') {
    if (old.allocateLoadBalancerNodePorts !== undefined && old.allocateLoadBalancerNodePorts === s.allocateLoadBalancerNodePorts) {
      s.allocateLoadBalancerNodePorts = undefined;
    }
    if (old.loadBalancerClass === s.loadBalancerClass) s.loadBalancerClass = undefined;
  }
  if (isNodePortType(old) && !isNodePortType(s) && old.externalTrafficPolicy === s.externalTrafficPolicy) s.externalTrafficPolicy = '';
}

// reflect.DeepEqual on slices: nil and empty differ.
function sameList(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  return (a === undefined) === (b === undefined) && sameStrings(a, b);
}

/** defaultOnReadService: Services stored before dual-stack get their family fields on the way out. */
export function defaultOnRead(s: SpecView, alloc: ServiceAllocator): void {
  normalizeClusterIPs(s, undefined);
  if (needsClusterIP(s) && (s.ipFamilies ?? []).length === 0) {
    if (s.clusterIP === ClusterIPNone) {
      // Headless without a selector may front endpoints of both families, on any cluster.
      const dual = s.selectorSize === 0;
      s.ipFamilyPolicy = dual ? 'RequireDualStack' : 'SingleStack';
      s.ipFamilies = dual ? [alloc.primaryFamily, otherFamily(alloc.primaryFamily)] : [alloc.primaryFamily];
    } else {
      s.ipFamilies = (s.clusterIPs ?? []).map((ip) => (familyOfText(ip) === 'IPv6' ? 'IPv6' : 'IPv4'));
      if (s.ipFamilies.length === 1) s.ipFamilyPolicy = 'SingleStack';
      else if (s.ipFamilies.length === 2) s.ipFamilyPolicy = 'RequireDualStack';
    }
  }
  // An old defaulting mistake: ExternalName got an internalTrafficPolicy it cannot use.
  if (s.type === 'ExternalName') s.internalTrafficPolicy = undefined;
}
