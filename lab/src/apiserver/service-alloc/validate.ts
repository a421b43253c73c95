// The part of ValidateService and ValidateServiceUpdate that guards the allocations: run on the
// finished object, so a Service is never stored holding an address or port nobody allocated.

import type { FieldError } from '../errors.js';
import { validateClusterIPFields } from './cluster-ip-fields.js';
import { fieldForbidden, fieldInvalid, goPtr, goQuote, goSlice } from './failures.js';
import { isHeadless, needsHealthCheck, type SpecView } from './spec.js';

/** The allocation-related checks of ValidateService, in its order. */
export function validateCreate(s: SpecView): FieldError[] {
  const errs: FieldError[] = [];
  if ((s.type === 'LoadBalancer' || s.type === 'NodePort') && isHeadless(s)) {
    errs.push(fieldInvalid('spec.clusterIPs[0]', goQuote(s.clusterIPs?.[0] ?? ''), `may not be set to 'None' for ${s.type} services`));
  }
  if (s.type === 'ExternalName') {
    if ((s.clusterIPs ?? []).length > 0) errs.push(fieldForbidden('spec.clusterIPs', 'may not be set for ExternalName services'));
    if ((s.ipFamilies ?? []).length > 0) errs.push(fieldForbidden('spec.ipFamilies', 'may not be set for ExternalName services'));
    if (s.ipFamilyPolicy !== undefined) errs.push(fieldForbidden('spec.ipFamilyPolicy', 'may not be set for ExternalName services'));
  }
  errs.push(...validateClusterIPFields(s));
  if (s.type === 'ClusterIP') {
    for (const [i, p] of s.ports.entries()) {
      if (p.nodePort !== 0) errs.push(fieldForbidden(`spec.ports[${i}].nodePort`, "may not be used when `type` is 'ClusterIP'"));
    }
  }
  if (s.allocateLoadBalancerNodePorts !== undefined && s.type !== 'LoadBalancer') {
    errs.push(fieldForbidden('spec.allocateLoadBalancerNodePorts', "may only be used when `type` is 'LoadBalancer'"));
  }
  if (!needsHealthCheck(s) && s.healthCheckNodePort !== 0) {
    errs.push(fieldInvalid('spec.healthCheckNodePort', String(s.healthCheckNodePort), "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"));
  }
  return errs;
}

// validateUpgradeDowngradeClusterIPs: add or drop the secondary, never change what was allocated.
function clusterIPChanges(s: SpecView, old: SpecView): FieldError[] {
  if (s.type === 'ExternalName' || old.type === 'ExternalName' || (isHeadless(s) && isHeadless(old))) return [];
  const now = s.clusterIPs ?? [];
  const before = old.clusterIPs ?? [];
  const shown = goSlice(s.clusterIPs);
  const errs: FieldError[] = [];
  if (now.length === before.length) {
    for (const [i, ip] of before.entries()) if (ip !== now[i]) errs.push(fieldInvalid(`spec.clusterIPs[${i}]`, shown, 'may not change once set'));
  } else if (before.length > now.length) {
    if (now.length === 0) errs.push(fieldInvalid('spec.clusterIPs[0]', shown, 'primary clusterIP can not be unset'));
    if (before.length > 0 && now.length > 0 && now[0] !== before[0]) errs.push(fieldInvalid('spec.clusterIPs[0]', shown, 'may not change once set'));
    if (now.length === 1 && s.ipFamilyPolicy !== 'SingleStack') {
      errs.push(fieldInvalid('spec.ipFamilyPolicy', goPtr(s.ipFamilyPolicy), "must be set to 'SingleStack' when releasing the secondary clusterIP"));
    }
  } else if (before.length > 0 && now[0] !== before[0]) {
    errs.push(fieldInvalid('spec.clusterIPs[0]', shown, 'may not change once set'));
  }
  return errs;
}

// validateUpgradeDowngradeIPFamilies; some branches print clusterIPs as the value, as the real one does.
function ipFamilyChanges(s: SpecView, old: SpecView): FieldError[] {
  if (s.type === 'ExternalName' || old.type === 'ExternalName' || isHeadless(s) !== isHeadless(old) || isHeadless(s)) return [];
  const now = s.ipFamilies ?? [];
  const before = old.ipFamilies ?? [];
  const families = goSlice(s.ipFamilies, 'core.IPFamily');
  const ips = goSlice(s.clusterIPs);
  const errs: FieldError[] = [];
  if (now.length === before.length) {
    for (const [i, f] of before.entries()) if (f !== now[i]) errs.push(fieldInvalid('spec.ipFamilies[0]', families, 'may not change once set'));
  } else if (before.length > now.length) {
    if ((s.clusterIPs ?? []).length === 0) errs.push(fieldInvalid('spec.ipFamilies[0]', families, 'primary ipFamily can not be unset'));
    if (now.length > 0 && now[0] !== before[0]) errs.push(fieldInvalid('spec.ipFamilies[0]', ips, 'may not change once set'));
    if (now.length === 1 && s.ipFamilyPolicy !== 'SingleStack') {
      errs.push(fieldInvalid('spec.ipFamilyPolicy', goPtr(s.ipFamilyPolicy), "must be set to 'SingleStack' when releasing the secondary ipFamily"));
    }
  } else if (before.length > 0 && now.length > 0 && now[0] !== before[0]) {
    errs.push(fieldInvalid('spec.ipFamilies[0]', ips, 'may not change once set'));
  }
  return errs;
}

/** ValidateServiceUpdate's allocation checks, then the create checks, in the real order. */
export function validateUpdate(s: SpecView, old: SpecView): FieldError[] {
  const errs = [...clusterIPChanges(s, old), ...ipFamilyChanges(s, old)];
  if (needsHealthCheck(old) && needsHealthCheck(s) && s.healthCheckNodePort !== old.healthCheckNodePort) {
    errs.push(fieldForbidden('spec.healthCheckNodePort', 'field is immutable'));
  }
  return [...errs, ...validateCreate(s)];
}
