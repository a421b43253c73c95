// IPAddressPools: parse each entry, refuse overlaps within and across pools and pools with no
// usable address, compile the allocation selectors.
import { IPParseError } from '../ip/address.js';
import { formatRange, parseCIDR, parsePoolEntry, rangesOverlap, type IPRange } from '../ip/range.js';
import { IPSet } from '../ip/set.js';
import type { IPAddressPoolSpec } from '../kinds/ipaddresspool.js';
import { formatRef, type ObjectIssues } from './issues.js';
import { dnsLabelProblem } from './names.js';
import type { ReadObject } from './read.js';
import { compileSelectors } from './selectors.js';
import type { Pool, PoolAllocation } from './types.js';

// ::ffff:0:0/96 (RFC 4291 2.5.5.2): an IPv4 address in IPv6 clothing; a Service gets the
// IPv4 address itself, never this form.
const IPV4_MAPPED: IPRange = parseCIDR('::ffff:0:0/96');

/** The valid pools by name; `objects` come sorted by namespace/name, which decides "the later pool". */
export function buildPools(objects: readonly ReadObject<IPAddressPoolSpec>[]): Map<string, Pool> {
  const pools = new Map<string, Pool>();
  for (const object of objects) {
    const pool = buildPool(object, [...pools.values()]);
    if (pool !== undefined) pools.set(pool.name, pool);
  }
  return pools;
}

function buildPool({ ref, labels, spec, issues }: ReadObject<IPAddressPoolSpec>, accepted: readonly Pool[]): Pool | undefined {
  const entries = parseEntries(spec.addresses, issues);
  if (entries === undefined) return undefined;

  const addresses = IPSet.from(entries);
  entries.forEach((entry, i) => {
    const single = IPSet.from([entry]);
    for (const other of accepted) {
      const common = single.overlaps(other.addresses);
      if (common !== undefined) {
        issues.invalid(`spec.addresses[${i}]`, `${spec.addresses[i]} overlaps IPAddressPool ${formatRef(other.ref)} at ${formatRange(common)}`);
      }
    }
  });
  const avoidBuggyIPs = spec.avoidBuggyIPs === true;
  if (!hasUsableAddress(addresses, avoidBuggyIPs)) {
    issues.invalid('spec.addresses', 'the pool has no usable address: with avoidBuggyIPs, IPv4 addresses ending in .0 or .255 are skipped');
  }
  const allocation = buildAllocation(spec.serviceAllocation, issues);
  if (issues.rejected) return undefined;
  return {
    ref,
    name: ref.name,
    addresses,
    entries: [...spec.addresses],
    // applyDefaults has filled autoAssign; the fallback only satisfies the type.
    autoAssign: spec.autoAssign ?? true,
    avoidBuggyIPs,
    labels,
    allocation,
  };
}

/** Every entry parsed, or undefined when any is wrong (each reported by index). */
function parseEntries(texts: readonly string[], issues: ObjectIssues): IPRange[] | undefined {
  const ranges: (IPRange | undefined)[] = texts.map((text, i) => {
    const field = `spec.addresses[${i}]`;
    let range: IPRange;
    try {
      range = parsePoolEntry(text);
    } catch (err: unknown) {
      issues.invalid(field, err instanceof IPParseError ? err.message : `ip: ${String(err)}`);
      return undefined;
    }
    if (rangesOverlap(range, IPV4_MAPPED)) {
      issues.invalid(field, `${text} holds IPv4-mapped IPv6 addresses (::ffff:0:0/96); write the IPv4 addresses instead`);
      return undefined;
    }
    return { family: range.family, first: range.first, last: range.last };
  });
  ranges.forEach((b, j) => {
    for (let i = 0; i < j && b !== undefined; i++) {
      const a = ranges[i];
      if (a === undefined || !rangesOverlap(a, b)) continue;
      const common: IPRange = { family: a.family, first: a.first > b.first ? a.first : b.first, last: a.last < b.last ? a.last : b.last };
      issues.invalid(`spec.addresses[${j}]`, `${texts[j]} overlaps spec.addresses[${i}] (${texts[i]}) at ${formatRange(common)}`);
    }
  });
  if (issues.rejected) return undefined;
  return ranges.filter((r): r is IPRange => r !== undefined);
}

function hasUsableAddress(addresses: IPSet, avoidBuggyIPs: boolean): boolean {
  if (addresses.ranges(6).length > 0) return true;
  const v4 = addresses.ranges(4);
  if (!avoidBuggyIPs) return v4.length > 0;
  // A range of three or more addresses always holds one ending in neither .0 nor .255.
  return v4.some((r) => r.last - r.first >= 2n || [r.first, r.last].some((v) => (v & 0xffn) !== 0n && (v & 0xffn) !== 0xffn));
}

function buildAllocation(allocation: IPAddressPoolSpec['serviceAllocation'], issues: ObjectIssues): PoolAllocation | undefined {
  if (allocation === undefined) return undefined;
  const namespaces = new Set<string>();
  (allocation.namespaces ?? []).forEach((namespace, i) => {
    const problem = dnsLabelProblem(namespace);
    if (problem !== undefined) issues.invalid(`spec.serviceAllocation.namespaces[${i}]`, `namespace ${JSON.stringify(namespace)} ${problem}`);
    else namespaces.add(namespace);
  });
  return {
    priority: allocation.priority,
    namespaces,
    namespaceSelectors: compileSelectors(allocation.namespaceSelectors, 'spec.serviceAllocation.namespaceSelectors', issues),
    serviceSelectors: compileSelectors(allocation.serviceSelectors, 'spec.serviceAllocation.serviceSelectors', issues),
  };
}
