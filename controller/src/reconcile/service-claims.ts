// A restart claims the IPs already in Service status before anything is allocated, oldest
// Service first: so a restart changes no IP, and of two Services holding one, the older keeps it.
import { formatIP, type IPAddress } from '@headland/api';
import { ALLOCATION_FAILURE, type Allocator } from '../allocator/index.js';
import { isManaged, serviceRequest } from '../service/index.js';
import { createdAt, keyOf, splitKey } from './objects.js';
import { SERVICE_EVENT, type Note } from './service-decision.js';
import { ingressIPs } from './service-status.js';
import type { ServiceView } from './service-types.js';

export interface Claims {
  /** Every Service's key, claimed or not: all are reconciled next. */
  readonly keys: string[];
  readonly claimed: number;
  readonly conflicts: number;
  /** What the Services that lost a conflict are told when they are reconciled. */
  readonly notes: Map<string, Note>;
}

export function claimStatusIPs(view: ServiceView, allocator: Allocator, lbClass: string | undefined): Claims {
  const withIPs: { svc: unknown; key: string; ips: IPAddress[] }[] = [];
  const keys: string[] = [];
  for (const svc of view.services()) {
    const key = keyOf(svc);
    if (key === undefined) continue;
    keys.push(key);
    if (!isManaged(svc, lbClass)) continue;
    const { ips } = ingressIPs(svc);
    if (ips.length > 0) withIPs.push({ svc, key, ips });
  }
  withIPs.sort((a, b) => createdAt(a.svc) - createdAt(b.svc) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  let claimed = 0;
  let conflicts = 0;
  const notes = new Map<string, Note>();
  for (const { svc, key, ips } of withIPs) {
    const ns = splitKey(key).namespace;
    const req = serviceRequest(svc, view.namespaceLabels(ns));
    if (!req.ok) continue; // reported when the key is reconciled
    const r = allocator.claim(req.request, ips);
    if (r.ok) {
      claimed++;
      continue;
    }
    if (r.error.reason === ALLOCATION_FAILURE.RequestedIPInUse) {
      conflicts++;
      const holders = ips.flatMap((ip) => allocator.holders(ip)).filter((k) => k !== key);
      notes.set(key, {
        reason: SERVICE_EVENT.IPConflict,
        message: `status held ${ips.map(formatIP).join(', ')}, which the older Service ${[...new Set(holders)].join(', ') || 'another Service'} also holds; this Service gets another IP`,
      });
    }
  }
  return { keys, claimed, conflicts, notes };
}
