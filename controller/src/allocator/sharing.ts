// When two services may hold the same IP (allow-shared-ip): same key, same traffic policy,
// for Local the same pods, and no port/protocol pair in common. Each refusal has its reason.
import { formatIP, type IPAddress } from '@headland/api';
import type { ServiceRequest } from '../service/request.js';
import { ALLOCATION_FAILURE, allocationError, type AllocationError } from './failure.js';

export type SharingView = Pick<ServiceRequest, 'key' | 'sharingKey' | 'trafficPolicy' | 'podSelector' | 'ports'>;

/** Undefined when `req` may share `ip` with `holder`, else the failure. */
export function sharingProblem(req: SharingView, holder: SharingView, ip: IPAddress): AllocationError | undefined {
  const at = formatIP(ip);
  if (req.sharingKey === undefined) {
    return allocationError(ALLOCATION_FAILURE.RequestedIPInUse, `${at} is in use by ${holder.key} (services share an IP only with the same allow-shared-ip annotation)`);
  }
  if (holder.sharingKey === undefined) {
    return allocationError(ALLOCATION_FAILURE.RequestedIPInUse, `${at} is in use by ${holder.key}, which does not allow sharing (no allow-shared-ip annotation)`);
  }
  if (req.sharingKey !== holder.sharingKey) {
    return allocationError(ALLOCATION_FAILURE.SharingKeyMismatch, `${at} is shared under key ${JSON.stringify(holder.sharingKey)} by ${holder.key}, not ${JSON.stringify(req.sharingKey)}`);
  }
  if (req.trafficPolicy !== holder.trafficPolicy) {
    return allocationError(
      ALLOCATION_FAILURE.SharingTrafficPolicyMismatch,
      `${at} is held by ${holder.key} with externalTrafficPolicy ${holder.trafficPolicy}; a ${req.trafficPolicy} service cannot share it`,
    );
  }
  if (req.trafficPolicy === 'Local' && selectorKey(req.podSelector) !== selectorKey(holder.podSelector)) {
    return allocationError(
      ALLOCATION_FAILURE.SharingSelectorMismatch,
      `${at} is held by ${holder.key}, which selects other pods (${selectorKey(holder.podSelector)}); Local services share an IP only when they select the same pods`,
    );
  }
  const clash = req.ports.find((p) => holder.ports.some((q) => q.port === p.port && q.protocol === p.protocol));
  if (clash !== undefined) {
    return allocationError(ALLOCATION_FAILURE.SharingPortConflict, `${at} is shared with ${holder.key}, which already uses ${clash.protocol}/${clash.port}`);
  }
  return undefined;
}

/** A canonical text of a pod selector: equal for the same labels in any order. */
export function selectorKey(selector: Readonly<Record<string, string>> | undefined): string {
  if (selector === undefined) return 'no selector';
  const entries = Object.entries(selector).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return entries.length === 0 ? '{}' : entries.map(([k, v]) => `${k}=${v}`).join(',');
}
