// The counts an IPAddressPool's status shows: addresses assigned and still available per
// family. Available is a decimal string because an IPv6 /64 does not fit in an int64.
import type { Family } from '@headland/api';
import { field } from './objects.js';

export interface FamilyUsage {
  readonly assigned: bigint;
  readonly available: bigint;
  readonly total: bigint;
}

export interface PoolCounts {
  readonly assignedIPv4: number;
  readonly assignedIPv6: number;
  readonly availableIPv4: string;
  readonly availableIPv6: string;
}

export function poolCounts(usage: Readonly<Record<Family, FamilyUsage>> | undefined): PoolCounts {
  return {
    assignedIPv4: Number(usage?.[4].assigned ?? 0n),
    assignedIPv6: Number(usage?.[6].assigned ?? 0n),
    availableIPv4: String(usage?.[4].available ?? 0n),
    availableIPv6: String(usage?.[6].available ?? 0n),
  };
}

export function countsMatch(pool: unknown, counts: PoolCounts): boolean {
  return (Object.keys(counts) as (keyof PoolCounts)[]).every((k) => field(pool, 'status', k) === counts[k]);
}
