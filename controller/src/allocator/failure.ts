// Why an allocation failed: a reason word (for Events, metrics and status conditions) and a
// sentence for the user. Allocation outcomes are values, never exceptions.

export const ALLOCATION_FAILURE = {
  PoolExhausted: 'PoolExhausted',
  RequestedIPNotInPool: 'RequestedIPNotInPool',
  RequestedIPInUse: 'RequestedIPInUse',
  /** The requested IPs lie in more than one pool; a Service's IPs come from one pool. */
  RequestedIPsInDifferentPools: 'RequestedIPsInDifferentPools',
  PoolNotFound: 'PoolNotFound',
  PoolNotAllowed: 'PoolNotAllowed',
  NoMatchingPool: 'NoMatchingPool',
  SharingKeyMismatch: 'SharingKeyMismatch',
  SharingPortConflict: 'SharingPortConflict',
  SharingSelectorMismatch: 'SharingSelectorMismatch',
  /** One Service is Cluster and the other Local: they cannot share an IP. */
  SharingTrafficPolicyMismatch: 'SharingTrafficPolicyMismatch',
  FamilyNotAvailable: 'FamilyNotAvailable',
  InvalidRequest: 'InvalidRequest',
  /** claim(): the IPs in status no longer satisfy what the service asks for (IPs, pool or families). */
  RequestChanged: 'RequestChanged',
} as const;
export type AllocationFailure = (typeof ALLOCATION_FAILURE)[keyof typeof ALLOCATION_FAILURE];

export interface AllocationError {
  readonly reason: AllocationFailure;
  readonly message: string;
}

/** An AllocationError whose message starts with the module name, as every error here does. */
export function allocationError(reason: AllocationFailure, message: string): AllocationError {
  return { reason, message: `allocator: ${message}` };
}
