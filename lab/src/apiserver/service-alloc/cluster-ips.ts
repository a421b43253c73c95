// Cluster IPs on create, update and delete: allocate one per ipFamilies entry, add or drop the
// secondary on a dual-stack change, and free them all when the Service leaves them behind.

import { formatIP } from '@headland/api';
import type { ServiceAllocator } from './allocator.js';
import { fieldInvalid, goQuote, goSlice, internalFailure, invalidFailure, type Failure } from './failures.js';
import { unchangedPreferDualStack } from './ip-families.js';
import { familyOfText, parseServiceIP, type IPFamilyName } from './ip-range.js';
import type { Transaction } from './txn.js';
import { ClusterIPNone, type SpecView } from './spec.js';

type Wanted = Array<[IPFamilyName, string]>;

// allocIPs: an empty string asks for any address, anything else for that one.
function allocIPs(txn: Transaction, s: SpecView, wanted: Wanted): Map<IPFamilyName, string> | Failure {
  const allocated = new Map<IPFamilyName, string>();
  for (const [family, ip] of wanted) {
    if (ip === '') {
      const got = txn.allocateNextIP(family);
      if (got === undefined) return internalFailure('failed to allocate a serviceIP: range is full');
      allocated.set(family, formatIP(got));
      continue;
    }
    const parsed = parseServiceIP(ip);
    if (parsed === undefined) return internalFailure(`failed to parse service IP ${goQuote(ip)}`);
    const err = txn.allocateIP(family, parsed);
    if (err !== undefined) return invalidFailure([fieldInvalid('spec.clusterIPs', goSlice(s.clusterIPs), `failed to allocate IP ${ip}: ${err}`)]);
    allocated.set(family, ip);
  }
  return allocated;
}

function asFamily(f: string | undefined): IPFamilyName {
  return f === 'IPv6' ? 'IPv6' : 'IPv4';
}

/** allocClusterIPs: fills clusterIP and clusterIPs in ipFamilies order; headless and ExternalName get none. */
export function allocClusterIPs(txn: Transaction, s: SpecView): Failure | undefined {
  if (s.type === 'ExternalName' || s.clusterIPs?.[0] === ClusterIPNone) return undefined;
  const ips = s.clusterIPs ?? [];
  s.clusterIPs = ips;
  const wanted: Wanted = [];
  for (const [i, family] of (s.ipFamilies ?? []).entries()) {
    if (i > ips.length - 1) ips.push('');
    wanted.push([asFamily(family), ips[i] ?? '']);
  }
  const allocated = allocIPs(txn, s, wanted);
  if (!(allocated instanceof Map)) return allocated;
  for (const [family, ip] of allocated) {
    for (const [i, check] of (s.ipFamilies ?? []).entries()) {
      if (check !== family) continue;
      ips[i] = ip;
      if (i === 0) s.clusterIP = ip;
    }
  }
  return undefined;
}

function releaseOnCommit(txn: Transaction, family: string | undefined, ip: string | undefined): void {
  const parsed = ip === undefined ? undefined : parseServiceIP(ip);
  if (parsed !== undefined) txn.releaseIPOnCommit(asFamily(family), parsed);
}

/** updateClusterIPs: ExternalName in or out, and dual-stack upgrade or downgrade; other changes allocate nothing. */
export function updateClusterIPs(txn: Transaction, s: SpecView, old: SpecView): Failure | undefined {
  if (unchangedPreferDualStack(s, old)) return undefined;
  if (old.type === 'ExternalName' && s.type !== 'ExternalName') return allocClusterIPs(txn, s);
  if (old.clusterIPs?.[0] === ClusterIPNone) return undefined;
  if (s.type === 'ExternalName') {
    for (const [i, family] of (old.ipFamilies ?? []).entries()) releaseOnCommit(txn, family, old.clusterIPs?.[i]);
    return undefined;
  }
  const before = (old.ipFamilies ?? []).length;
  const after = (s.ipFamilies ?? []).length;
  if (before === 1 && after === 2) {
    const ips = s.clusterIPs ?? [];
    s.clusterIPs = ips;
    if (ips.length < 2) ips.push('');
    const family = asFamily(s.ipFamilies?.[1]);
    const allocated = allocIPs(txn, s, [[family, ips[1] ?? '']]);
    if (!(allocated instanceof Map)) return allocated;
    ips[1] = allocated.get(family) ?? '';
  } else if (before === 2 && after === 1) {
    // The primary stays; only the secondary goes, once the update is stored.
    releaseOnCommit(txn, old.ipFamilies?.[1], old.clusterIPs?.[1]);
  }
  return undefined;
}

/** releaseClusterIPs after a delete: each address goes back to the range of its own family. */
export function releaseClusterIPs(alloc: ServiceAllocator, s: SpecView): void {
  if (s.type === 'ExternalName' || s.clusterIPs?.[0] === ClusterIPNone) return;
  for (const ip of s.clusterIPs ?? []) {
    const parsed = parseServiceIP(ip);
    if (parsed !== undefined) alloc.range(familyOfText(ip) ?? 'IPv4')?.release(parsed);
  }
}
