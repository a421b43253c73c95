// The Service annotations Headland reads and writes, with the MetalLB spellings honoured as
// aliases so a MetalLB user's Services keep working unchanged. Headland's own spelling wins.
import { GROUP } from './kinds/common.js';

const METALLB_PREFIXES = ['metallb.io/', 'metallb.universe.tf/'] as const;

/** Annotations a user sets on a Service. */
export const SERVICE_ANNOTATION = {
  /** Pool to allocate from, by IPAddressPool name. */
  AddressPool: `${GROUP}/address-pool`,
  /** Comma-separated IPs, at most one per family. */
  LoadBalancerIPs: `${GROUP}/loadBalancerIPs`,
  /** Services with the same key may share an IP. */
  AllowSharedIP: `${GROUP}/allow-shared-ip`,
} as const;

/** Written by the controller: the pool the Service's IPs came from. */
export const ALLOCATED_FROM_POOL_ANNOTATION = `${GROUP}/ip-allocated-from-pool`;

/** Every key under which an annotation may be spelled, Headland's first. */
export function annotationKeys(key: string): readonly string[] {
  const suffix = key.slice(GROUP.length + 1);
  return [key, ...METALLB_PREFIXES.map((p) => p + suffix)];
}

/**
 * The value of an annotation under its first spelling present, and which spelling it was
 * (so an error can name the key the user actually wrote).
 */
export function readAnnotation(annotations: Readonly<Record<string, string>> | undefined, key: string): { key: string; value: string } | undefined {
  if (annotations === undefined) return undefined;
  for (const k of annotationKeys(key)) {
    const value = annotations[k];
    if (value !== undefined) return { key: k, value };
  }
  return undefined;
}
