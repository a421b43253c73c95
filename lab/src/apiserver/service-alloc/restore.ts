// The repair controllers' rebuild: the allocation state is whatever the stored Services hold. What
// cannot be taken (a clash, an address outside the CIDR) is reported with the real event text.

import { formatIP } from '@headland/api';
import type { JsonObject } from '../json.js';
import type { ServiceAllocator } from './allocator.js';
import { parseServiceIP, FAMILY_NAME } from './ip-range.js';
import { defaultOnRead } from './normalize.js';
import { ClusterIPNone, isNodePortType, needsHealthCheck, readService, writeService, type SpecView } from './spec.js';

/** One warning Event the repair controller would record on the Service. */
export interface RestoreProblem {
  namespace: string;
  name: string;
  reason: string;
  message: string;
}

export interface RestoreResult {
  /** The Services as reads show them (family fields defaulted). */
  services: JsonObject[];
  problems: RestoreProblem[];
}

// The repair controller's collectServiceNodePorts: a node port shared by TCP and UDP counts once.
// Unlike it, only what a delete would free is taken, so a restored state is one deletes can undo.
function repairNodePorts(s: SpecView): number[] {
  const out: number[] = [];
  if (!isNodePortType(s)) return out;
  const seen = new Map<number, Set<string>>();
  for (const p of s.ports) {
    if (p.nodePort === 0) continue;
    const protocols = seen.get(p.nodePort);
    if (protocols === undefined) {
      seen.set(p.nodePort, new Set([p.protocol]));
      out.push(p.nodePort);
    } else if (protocols.has(p.protocol)) out.push(p.nodePort);
    else protocols.add(p.protocol);
  }
  const health = needsHealthCheck(s) ? s.healthCheckNodePort : 0;
  if (health !== 0 && (seen.get(health)?.has('TCP') ?? true)) out.push(health);
  return out;
}

function ipProblems(alloc: ServiceAllocator, s: SpecView): Array<[string, string]> {
  if (s.type === 'ExternalName' || s.clusterIP === '' || s.clusterIP === ClusterIPNone) return [];
  const out: Array<[string, string]> = [];
  for (const text of s.clusterIPs ?? []) {
    const ip = parseServiceIP(text);
    if (ip === undefined) {
      out.push(['ClusterIPNotValid', 'Cluster IP <nil> is not a valid IP; please recreate service']);
      continue;
    }
    const family = FAMILY_NAME[ip.family];
    const shown = formatIP(ip);
    const range = alloc.range(family);
    if (range === undefined) {
      out.push(['ClusterIPNotValid', `Cluster IP ${shown}(${family}) is of ip family that is no longer configured on cluster; please recreate service`]);
      continue;
    }
    const err = range.allocate(ip);
    if (err === 'provided IP is already allocated') {
      out.push(['ClusterIPAlreadyAllocated', `Cluster IP [${family}]:${shown} was assigned to multiple services; please recreate service`]);
    } else if (err !== undefined) {
      out.push(['ClusterIPOutOfRange', `Cluster IP [${family}]:${shown} is not within the service CIDR ${range.cidr}; please recreate service`]);
    }
  }
  return out;
}

function portProblems(alloc: ServiceAllocator, s: SpecView): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const port of repairNodePorts(s)) {
    const err = alloc.nodePorts.allocate(port);
    if (err === 'provided port is already allocated') {
      out.push(['PortAlreadyAllocated', `Port ${port} was assigned to multiple services; please recreate service`]);
    } else if (err !== undefined) {
      out.push(['PortOutOfRange', `Port ${port} is not within the port range ${alloc.nodePorts.text}; please recreate service`]);
    }
  }
  return out;
}

/** Empties the allocator and takes, in order, what each stored Service holds. */
export function restore(alloc: ServiceAllocator, services: readonly JsonObject[]): RestoreResult {
  alloc.clear();
  const result: RestoreResult = { services: [], problems: [] };
  for (const obj of services) {
    const view = readService(obj);
    defaultOnRead(view.spec, alloc);
    result.services.push(writeService(obj, view));
    for (const [reason, message] of [...ipProblems(alloc, view.spec), ...portProblems(alloc, view.spec)]) {
      result.problems.push({ namespace: view.namespace, name: view.name, reason, message });
    }
  }
  return result;
}
