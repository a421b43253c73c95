// The allocation state of the Service registry: one IP range per configured family (the first
// CIDR's family is the cluster's primary) and the node port range, all in memory.

import { FAMILY_BITS, formatIP, parseIP, prefixOf, type IPPrefix } from '@headland/api';
import { DEFAULT_NODE_PORTS, DEFAULT_SERVICE_RANGES } from '../flags.js';
import { mathRandom, type Random } from './bitmap.js';
import { FAMILY_NAME, ServiceIPRange, type IPFamilyName } from './ip-range.js';
import { NodePortRange, type PortSpan } from './port-range.js';

export interface ServiceAllocatorOptions {
  /** --service-cluster-ip-range: one CIDR, or two of different families; the first is primary. */
  serviceClusterIPRanges?: readonly string[];
  /** --service-node-port-range. */
  nodePortRange?: PortSpan;
  random?: Random;
}

/** What the allocator holds, in a form tests and reports can compare. */
export interface AllocatorSnapshot {
  ips: Partial<Record<IPFamilyName, string[]>>;
  nodePorts: number[];
}

// kube-apiserver keeps service CIDRs small because the bitmap lives in etcd (maxCIDRBits).
const MAX_CIDR_BITS = 20;

export class ServiceAllocatorConfigError extends Error {
  override readonly name = 'ServiceAllocatorConfigError';
}

export class ServiceAllocator {
  readonly primaryFamily: IPFamilyName;
  readonly nodePorts: NodePortRange;
  readonly #ranges = new Map<IPFamilyName, ServiceIPRange>();

  constructor(opts: ServiceAllocatorOptions = {}) {
    const random = opts.random ?? mathRandom;
    const cidrs = opts.serviceClusterIPRanges ?? DEFAULT_SERVICE_RANGES;
    if (cidrs.length === 0 || cidrs.length > 2) {
      throw new ServiceAllocatorConfigError('--service-cluster-ip-range must hold one CIDR, or two of different IP families');
    }
    const prefixes = cidrs.map((c, i) => parseSloppyCIDR(c, i));
    for (const [i, p] of prefixes.entries()) {
      const bits = FAMILY_BITS[p.family];
      const flag = i === 0 ? '--service-cluster-ip-range' : '--service-cluster-ip-range[1]';
      if (bits - p.prefixLength > MAX_CIDR_BITS) {
        throw new ServiceAllocatorConfigError(`specified ${flag} is too large; for ${bits}-bit addresses, the mask must be >= ${bits - MAX_CIDR_BITS}`);
      }
    }
    if (prefixes.length === 2 && prefixes[0]?.family === prefixes[1]?.family) {
      throw new ServiceAllocatorConfigError('--service-cluster-ip-range[0] and --service-cluster-ip-range[1] must be of different IP family');
    }
    for (const p of prefixes) this.#ranges.set(FAMILY_NAME[p.family], new ServiceIPRange(p, random));
    const first = prefixes[0];
    if (first === undefined) throw new ServiceAllocatorConfigError('--service-cluster-ip-range is empty');
    this.primaryFamily = FAMILY_NAME[first.family];
    this.nodePorts = new NodePortRange(opts.nodePortRange ?? DEFAULT_NODE_PORTS, random);
  }

  /** Configured families, primary first. */
  get families(): IPFamilyName[] {
    return [...this.#ranges.keys()];
  }

  get dualStack(): boolean {
    return this.#ranges.size === 2;
  }

  range(family: IPFamilyName): ServiceIPRange | undefined {
    return this.#ranges.get(family);
  }

  /** The first address after the primary network: kube-apiserver gives it to default/kubernetes. */
  kubernetesServiceIP(): string {
    const primary = this.#ranges.get(this.primaryFamily);
    if (primary === undefined) throw new Error('no primary service range');
    return formatIP(primary.addressAt(0));
  }

  /** Frees everything: restore() rebuilds from the stored Services. Not while a transaction is open. */
  clear(): void {
    for (const r of this.#ranges.values()) r.clear();
    this.nodePorts.clear();
  }

  snapshot(): AllocatorSnapshot {
    const ips: Partial<Record<IPFamilyName, string[]>> = {};
    for (const [family, r] of this.#ranges) ips[family] = r.allocated();
    return { ips, nodePorts: this.nodePorts.allocated() };
  }
}

// netutils.ParseCIDRSloppy: host bits are masked off rather than refused.
function parseSloppyCIDR(text: string, index: number): IPPrefix {
  const bad = (): ServiceAllocatorConfigError => new ServiceAllocatorConfigError(`service-cluster-ip-range[${index}] is not a valid cidr`);
  const [address = '', length = '', ...rest] = text.split('/');
  if (rest.length > 0 || !/^[0-9]{1,3}$/.test(length)) throw bad();
  let ip;
  try {
    ip = parseIP(address);
  } catch {
    throw bad();
  }
  const prefixLength = Number(length);
  if (prefixLength > FAMILY_BITS[ip.family]) throw bad();
  return prefixOf(ip, prefixLength);
}
