// initIPFamilyFields: settle ipFamilyPolicy and ipFamilies before allocating, from what the user
// gave, the object being updated and how the cluster is configured (single- or dual-stack).

import type { FieldError } from '../errors.js';
import type { ServiceAllocator } from './allocator.js';
import { validateClusterIPFields } from './cluster-ip-fields.js';
import { fieldInvalid, goPtr, goQuote, goSlice, invalidFailure, type Failure } from './failures.js';
import { familyOfText, otherFamily, type IPFamilyName } from './ip-range.js';
import { ClusterIPNone, sameStrings, type SpecView } from './spec.js';

const IP_TYPES = ['ClusterIP', 'NodePort', 'LoadBalancer'];

/** A PreferDualStack Service whose IP fields did not change is left as it is, whatever the cluster became. */
export function unchangedPreferDualStack(s: SpecView, old: SpecView | undefined): boolean {
  if (old === undefined || s.ipFamilyPolicy === undefined) return false;
  if (old.type !== s.type || !IP_TYPES.includes(s.type)) return false;
  if (s.ipFamilyPolicy !== 'PreferDualStack') return false;
  if (old.ipFamilyPolicy !== undefined && old.ipFamilyPolicy !== 'PreferDualStack') return false;
  return sameStrings(old.clusterIPs, s.clusterIPs) && sameStrings(old.ipFamilies, s.ipFamilies);
}

function configured(alloc: ServiceAllocator, family: string): boolean {
  return alloc.families.includes(family as IPFamilyName);
}

export function initIPFamilyFields(alloc: ServiceAllocator, s: SpecView, old: SpecView | undefined): Failure | undefined {
  if (s.type === 'ExternalName' || unchangedPreferDualStack(s, old)) return undefined;
  const headlessSelectorless = s.clusterIP === ClusterIPNone && s.selectorSize === 0;
  if (s.ipFamilyPolicy === undefined) {
    if (old?.ipFamilyPolicy !== undefined) s.ipFamilyPolicy = old.ipFamilyPolicy;
    else s.ipFamilyPolicy = headlessSelectorless ? 'RequireDualStack' : 'SingleStack';
  }
  const loose = validateClusterIPFields(s);
  if (loose.length > 0) return invalidFailure(loose);

  const errs: FieldError[] = [];
  const policy = (): string => goPtr(s.ipFamilyPolicy);
  if (old !== undefined) {
    if (s.ipFamilyPolicy === 'SingleStack') {
      // ClusterIPs[0] cannot change, so trimming to it is the clear intent of SingleStack.
      if (sameStrings(old.clusterIPs, s.clusterIPs) && (s.clusterIPs ?? []).length > 1) s.clusterIPs = s.clusterIPs?.slice(0, 1);
      if (sameStrings(old.ipFamilies, s.ipFamilies) && (s.ipFamilies ?? []).length > 1) s.ipFamilies = s.ipFamilies?.slice(0, 1);
    } else {
      const reduced = (now: string[] | undefined, before: string[] | undefined): boolean => (now ?? []).length > 0 && (now ?? []).length < (before ?? []).length;
      if (reduced(s.clusterIPs, old.clusterIPs)) errs.push(fieldInvalid('spec.ipFamilyPolicy', policy(), "must be 'SingleStack' to release the secondary cluster IP"));
      if (reduced(s.ipFamilies, old.ipFamilies)) errs.push(fieldInvalid('spec.ipFamilyPolicy', policy(), "must be 'SingleStack' to release the secondary IP family"));
    }
  }
  if (s.ipFamilyPolicy === 'SingleStack') {
    if ((s.clusterIPs ?? []).length === 2) {
      errs.push(fieldInvalid('spec.ipFamilyPolicy', policy(), "must be 'RequireDualStack' or 'PreferDualStack' when multiple cluster IPs are specified"));
    }
    if ((s.ipFamilies ?? []).length === 2) {
      errs.push(fieldInvalid('spec.ipFamilyPolicy', policy(), "must be 'RequireDualStack' or 'PreferDualStack' when multiple IP families are specified"));
    }
  }
  // ipFamilies follow user-given clusterIPs where they were left out.
  for (const [i, ip] of (s.clusterIPs ?? []).entries()) {
    if (ip === ClusterIPNone) break;
    if (i < (s.ipFamilies ?? []).length) continue;
    const family = familyOfText(ip) ?? 'unknown';
    if (!configured(alloc, family)) errs.push(fieldInvalid(`spec.clusterIPs[${i}]`, goSlice(s.clusterIPs), `${family} is not configured on this cluster`));
    else s.ipFamilies = [...(s.ipFamilies ?? []), family];
  }
  if (errs.length > 0) return invalidFailure(errs);

  // Headless and selectorless may name families the cluster does not serve: no IP is allocated.
  if (headlessSelectorless) {
    if ((s.ipFamilies ?? []).length === 0) s.ipFamilies = [alloc.primaryFamily];
    const first = s.ipFamilies?.[0];
    if (first !== undefined && (s.ipFamilies ?? []).length < 2 && s.ipFamilyPolicy !== 'SingleStack') {
      s.ipFamilies = [first, first === 'IPv4' ? 'IPv6' : 'IPv4'];
    }
    return undefined;
  }

  if (s.ipFamilyPolicy === 'RequireDualStack' && !alloc.dualStack) {
    errs.push(fieldInvalid('spec.ipFamilyPolicy', policy(), 'this cluster is not configured for dual-stack services'));
  }
  for (const [i, f] of (s.ipFamilies ?? []).entries()) {
    if (!configured(alloc, f)) errs.push(fieldInvalid(`spec.ipFamilies[${i}]`, goQuote(f), 'not configured on this cluster'));
  }
  if (errs.length > 0) return invalidFailure(errs);

  if ((s.ipFamilies ?? []).length === 0) s.ipFamilies = [alloc.primaryFamily];
  const only = s.ipFamilies?.[0];
  if (s.ipFamilyPolicy !== 'SingleStack' && s.ipFamilies?.length === 1 && alloc.dualStack && (only === 'IPv4' || only === 'IPv6')) {
    s.ipFamilies = [only, otherFamily(only)];
  }
  return undefined;
}
