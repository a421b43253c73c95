// Node ports and the health check node port on create, update and delete, as the Service registry
// hands them out: one per port of NodePort and LoadBalancer Services, user-chosen ones honoured.

import type { ServiceAllocator } from './allocator.js';
import { fieldInvalid, internalFailure, invalidFailure, type Failure } from './failures.js';
import type { Transaction } from './txn.js';
import { isNodePortType, needsHealthCheck, type SpecView } from './spec.js';

/** A LoadBalancer may opt out of node ports; ports the user names are still honoured. */
function shouldAllocate(s: SpecView): boolean {
  if (s.type === 'NodePort') return true;
  return s.type === 'LoadBalancer' && s.allocateLoadBalancerNodePorts !== false;
}

/**
 * The node ports a Service holds, repeats included (a shared TCP/UDP port shows twice). Only
 * NodePort and LoadBalancer Services hold any: kube-apiserver also counts the never-allocated
 * nodePort an ExternalName may carry, and so frees another Service's port when it goes.
 */
function collectNodePorts(s: SpecView): number[] {
  return isNodePortType(s) ? s.ports.map((p) => p.nodePort).filter((n) => n !== 0) : [];
}

const full = (): Failure => internalFailure('failed to allocate a nodePort: range is full');
const refused = (i: number, port: number, err: string): Failure => invalidFailure([fieldInvalid(`spec.ports[${i}].nodePort`, String(port), err)]);

/** initNodePorts: entries with the same port number (TCP and UDP, say) share one node port. */
function initNodePorts(txn: Transaction, s: SpecView): Failure | undefined {
  const byPort = new Map<number, number>();
  for (const [i, sp] of s.ports.entries()) {
    if (sp.nodePort === 0 && !shouldAllocate(s)) continue;
    const shared = byPort.get(sp.port) ?? 0;
    if (shared === 0) {
      // A later entry for the same port may carry the user's choice.
      const requested = s.ports.find((p) => p.port === sp.port && p.nodePort !== 0)?.nodePort ?? 0;
      if (requested !== 0) {
        const err = txn.allocatePort(requested);
        if (err !== undefined) return refused(i, requested, err);
        sp.nodePort = requested;
      } else {
        const next = txn.allocateNextPort();
        if (next === undefined) return full();
        sp.nodePort = next;
      }
      byPort.set(sp.port, sp.nodePort);
    } else if (sp.nodePort !== shared) {
      if (sp.nodePort === 0) sp.nodePort = shared;
      else {
        const err = txn.allocatePort(sp.nodePort);
        if (err !== undefined) return refused(i, sp.nodePort, err);
      }
    }
  }
  return undefined;
}

// On update each entry without a node port gets its own; ports the Service already had are kept.
function updateNodePorts(txn: Transaction, s: SpecView, old: SpecView): Failure | undefined {
  const before = collectNodePorts(old);
  const seen: Array<{ protocol: string; nodePort: number }> = [];
  const taken = new Set<number>();
  for (const [i, sp] of s.ports.entries()) {
    if (sp.nodePort === 0 && !shouldAllocate(s)) continue;
    if (sp.nodePort !== 0) {
      if (!before.includes(sp.nodePort) && !taken.has(sp.nodePort)) {
        const err = txn.allocatePort(sp.nodePort);
        if (err !== undefined) return refused(i, sp.nodePort, err);
        taken.add(sp.nodePort);
      }
    } else {
      const next = txn.allocateNextPort();
      if (next === undefined) return full();
      sp.nodePort = next;
    }
    if (seen.some((n) => n.protocol === sp.protocol && n.nodePort === sp.nodePort)) {
      return { kind: 'unknown', message: `duplicate nodePort: {${sp.protocol} ${sp.nodePort}}` };
    }
    seen.push({ protocol: sp.protocol, nodePort: sp.nodePort });
  }
  const after = collectNodePorts(s);
  for (const n of before) if (!after.includes(n)) txn.releasePortOnCommit(n);
  return undefined;
}

function allocHealthCheckNodePort(txn: Transaction, s: SpecView): Failure | undefined {
  if (s.healthCheckNodePort !== 0) {
    const err = txn.allocatePort(s.healthCheckNodePort);
    return err === undefined ? undefined : internalFailure(`failed to allocate requested HealthCheck NodePort ${s.healthCheckNodePort}: ${err}`);
  }
  const next = txn.allocateNextPort();
  // The real message prints the zero value it failed to fill.
  if (next === undefined) return internalFailure('failed to allocate a HealthCheck NodePort 0: range is full');
  s.healthCheckNodePort = next;
  return undefined;
}

/** txnAllocNodePorts: node ports, then the health check port (even when node ports are opted out). */
export function allocNodePortsOnCreate(txn: Transaction, s: SpecView): Failure | undefined {
  if (isNodePortType(s)) {
    const f = initNodePorts(txn, s);
    if (f !== undefined) return f;
  }
  return needsHealthCheck(s) ? allocHealthCheckNodePort(txn, s) : undefined;
}

/** txnUpdateNodePorts: a type that drops node ports frees them; the health check port follows its need. */
export function updateNodePortsOnUpdate(txn: Transaction, s: SpecView, old: SpecView): Failure | undefined {
  if (isNodePortType(old) && (s.type === 'ExternalName' || s.type === 'ClusterIP')) {
    for (const n of collectNodePorts(old)) txn.releasePortOnCommit(n);
  }
  if (isNodePortType(s)) {
    const f = updateNodePorts(txn, s, old);
    if (f !== undefined) return f;
  }
  const needed = needsHealthCheck(old);
  const needs = needsHealthCheck(s);
  if (!needed && needs) return allocHealthCheckNodePort(txn, s);
  if (needed && !needs) txn.releasePortOnCommit(old.healthCheckNodePort);
  return undefined;
}

/** releaseAllocatedResources' port half, after a delete. */
export function releaseNodePorts(alloc: ServiceAllocator, s: SpecView): void {
  for (const n of collectNodePorts(s)) alloc.nodePorts.release(n);
  if (needsHealthCheck(s) && s.healthCheckNodePort > 0) alloc.nodePorts.release(s.healthCheckNodePort);
}
