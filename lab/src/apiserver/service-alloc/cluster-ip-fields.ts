// ValidateServiceClusterIPsRelatedFields: clusterIP, clusterIPs, ipFamilies and ipFamilyPolicy must
// agree before anything is allocated, and again when the finished object is validated.

import type { FieldError } from '../errors.js';
import { fieldDuplicate, fieldInvalid, fieldNotSupported, fieldRequired, goPtr, goQuote, goSlice } from './failures.js';
import { familyOfText, parseServiceIP } from './ip-range.js';
import { ClusterIPNone, isHeadless, type SpecView } from './spec.js';

const FAMILIES = ['IPv4', 'IPv6'];
const POLICIES = ['PreferDualStack', 'RequireDualStack', 'SingleStack'];
const INVALID_IP = 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)';

export function validateClusterIPFields(s: SpecView): FieldError[] {
  if (s.type === 'ExternalName') return [];
  const errs: FieldError[] = [];
  const ips = s.clusterIPs ?? [];
  const shown = (): string => goSlice(s.clusterIPs);

  if (s.clusterIP !== '') {
    if (ips.length === 0) errs.push(fieldRequired('spec.clusterIPs'));
    else if (ips[0] !== s.clusterIP) errs.push(fieldInvalid('spec.clusterIPs', shown(), 'first value must match `clusterIP`'));
  } else if (ips.length !== 0) {
    errs.push(fieldInvalid('spec.clusterIPs', shown(), 'must be empty when `clusterIP` is not specified'));
  }

  const seen = new Set<string>();
  for (const [i, f] of (s.ipFamilies ?? []).entries()) {
    if (!FAMILIES.includes(f)) errs.push(fieldNotSupported(`spec.ipFamilies[${i}]`, goQuote(f), FAMILIES));
    if (seen.has(f)) errs.push(fieldDuplicate(`spec.ipFamilies[${i}]`, goQuote(f)));
    seen.add(f);
  }
  if (s.ipFamilyPolicy !== undefined && !POLICIES.includes(s.ipFamilyPolicy)) {
    errs.push(fieldNotSupported('spec.ipFamilyPolicy', goPtr(s.ipFamilyPolicy), POLICIES));
  }

  let badIPs = false;
  for (const [i, ip] of ips.entries()) {
    if (i === 0 && ip === ClusterIPNone) {
      if (ips.length > 1) {
        badIPs = true;
        errs.push(fieldInvalid('spec.clusterIPs', shown(), "'None' must be the first and only value"));
      }
      continue;
    }
    if (parseServiceIP(ip) === undefined) {
      badIPs = true;
      errs.push(fieldInvalid(`spec.clusterIPs[${i}]`, goQuote(ip), INVALID_IP));
    }
  }
  if (ips.length > 2) errs.push(fieldInvalid('spec.clusterIPs', shown(), 'may only hold up to 2 values'));
  // Later checks would only restate a bad address in confusing terms.
  if (badIPs) return errs;

  if (ips.length > 1) {
    const families = new Set(ips.map(familyOfText));
    if (!(families.has('IPv4') && families.has('IPv6'))) {
      errs.push(fieldInvalid('spec.clusterIPs', shown(), 'may specify no more than one IP for each IP family'));
    }
  }
  const families = s.ipFamilies ?? [];
  if (!isHeadless(s) && ips.length > 0 && families.length > 0) {
    for (const [i, ip] of ips.entries()) {
      if (i > families.length - 1) break;
      const v6 = familyOfText(ip) === 'IPv6';
      if (families[i] === 'IPv4' && v6) errs.push(fieldInvalid(`spec.clusterIPs[${i}]`, goQuote(ip), `expected an IPv4 value as indicated by \`ipFamilies[${i}]\``));
      if (families[i] === 'IPv6' && !v6) errs.push(fieldInvalid(`spec.clusterIPs[${i}]`, goQuote(ip), `expected an IPv6 value as indicated by \`ipFamilies[${i}]\``));
    }
  }
  return errs;
}
