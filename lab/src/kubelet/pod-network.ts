// Pod network namespaces for Pods without hostNetwork: one namespace per Pod, a veth into the
// node's pod bridge, addresses from the node's pod CIDRs and a default route via the bridge.
// Allocation is pure (allocateAddress); the rest drives `ip` and keeps allocations in a file so a
// restarted stand-in finds its Pods' namespaces and addresses again.
//
// Addresses are taken from the top of each CIDR downwards: the lab's topologies place their
// static echo pods at the bottom (x.x.x.2, .3, ...), so the two never meet in a /24.

import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { contains, firstHost, formatAddress, formatPrefix, isLabPrefix, parsePrefix, type Prefix } from '../lab/cidr.js';
import { IN_NAMESPACE, MGMT_GUARD } from '../lab/naming.js';
import { KubeletError } from './errors.js';
import type { Exec } from './podman.js';

/** The bridge the lab builds in a k8s-node for its pods (lab/naming.ts IN_NAMESPACE.podBridge). */
export const POD_BRIDGE = 'pods';
const POD_SIDE = 'eth0';

export interface PodAddressing {
  /** The Pod's network namespace (/run/netns/NAME). */
  readonly netns: string;
  /** One address per pod CIDR, in the CIDRs' order (the first is status.podIP). */
  readonly ips: readonly string[];
}

/** Checks --pod-cidr values: lab prefixes with host bits zero, at most one per family. */
export function parsePodCidrs(texts: readonly string[]): Prefix[] {
  const out: Prefix[] = [];
  for (const t of texts) {
    const p = parsePrefix(t);
    if (typeof p === 'string') throw new KubeletError('kubelet/pod-network', `--pod-cidr "${t}": ${p}`);
    if (!isLabPrefix(p)) throw new KubeletError('kubelet/pod-network', `--pod-cidr "${t}" is outside the lab's ranges (198.18.0.0/15, 2001:db8::/32)`);
    const hostBits = (p.family === 4 ? 32 : 128) - p.length;
    if (hostBits < 2) throw new KubeletError('kubelet/pod-network', `--pod-cidr "${t}" has no room for pods (a /${p.length})`);
    if (firstHost(p).value - 1n !== p.value) throw new KubeletError('kubelet/pod-network', `--pod-cidr "${t}" has host bits set`);
    if (out.some((o) => o.family === p.family)) throw new KubeletError('kubelet/pod-network', `--pod-cidr "${t}": a second IPv${p.family} pod CIDR (one per family)`);
    out.push(p);
  }
  return out;
}

/**
 * The highest free address of the CIDR: not the network, not the bridge's (first host), not
 * the IPv4 broadcast, not taken. Undefined when the CIDR is full.
 */
export function allocateAddress(cidr: Prefix, taken: ReadonlySet<string>): string | undefined {
  const size = 1n << BigInt((cidr.family === 4 ? 32 : 128) - cidr.length);
  const last = cidr.value + size - (cidr.family === 4 ? 2n : 1n);
  const lowest = firstHost(cidr).value + 1n;
  // Bounded: a full /16 would be 65k steps, which is fine; the lab's are /24s.
  for (let v = last; v >= lowest; v--) {
    const text = formatAddress({ family: cidr.family, value: v });
    if (!taken.has(text)) return text;
  }
  return undefined;
}

/** The namespace and veth names of a Pod, from its uid (stable, short enough for IFNAMSIZ). */
export function podLinkNames(nodeNetns: string, uid: string): { netns: string; veth: string } {
  const hex = uid.replace(/[^0-9a-f]/gi, '').toLowerCase().slice(0, 8).padEnd(8, '0');
  return { netns: `${nodeNetns}_k${hex}`, veth: `vk${hex}` };
}

interface Saved {
  readonly [uid: string]: PodAddressing;
}

export class PodNetwork {
  private allocations = new Map<string, PodAddressing>();
  private bridgeChecked = false;
  /** The root namespace's routes to the pod CIDRs (reachFromControlPlane), to take away at cleanup. */
  private rootRoutes: { prefix: string; via: string }[] = [];

  constructor(
    private readonly nodeNetns: string,
    private readonly cidrs: readonly Prefix[],
    private readonly stateFile: string,
    private readonly exec: Exec,
  ) {
    if (existsSync(stateFile)) {
      try {
        const saved = JSON.parse(readFileSync(stateFile, 'utf8')) as Saved;
        for (const [uid, a] of Object.entries(saved)) this.allocations.set(uid, a);
      } catch (err) {
        throw new KubeletError('kubelet/pod-network', `${stateFile} is not the stand-in's allocation file: ${(err as Error).message}`);
      }
    }
  }

  /** The Pod's addressing, making its namespace when it is not there yet. */
  async ensure(uid: string): Promise<PodAddressing> {
    const known = this.allocations.get(uid);
    if (known !== undefined && existsSync(`/run/netns/${known.netns}`)) return known;
    await this.ensureBridge();
    const names = podLinkNames(this.nodeNetns, uid);
    const taken = new Set([...this.allocations.entries()].filter(([u]) => u !== uid).flatMap(([, a]) => a.ips));
    const ips = this.cidrs.map((c) => {
      const a = allocateAddress(c, taken);
      if (a === undefined) throw new KubeletError('kubelet/pod-network', `pod CIDR ${formatPrefix(c)} has no free address`);
      return a;
    });
    // Whatever a crash left half made goes first.
    await this.exec(['ip', 'netns', 'del', names.netns]);
    await this.exec(['ip', '-n', this.nodeNetns, 'link', 'del', names.veth]);
    await this.ip(undefined, 'netns', 'add', names.netns);
    const made: PodAddressing = { netns: names.netns, ips };
    try {
      await this.ip(names.netns, 'link', 'set', 'lo', 'up');
      await this.exec(['ip', 'netns', 'exec', names.netns, 'sysctl', '-q', '-w', 'net.ipv6.conf.all.accept_dad=0', 'net.ipv6.conf.default.accept_dad=0']);
      await this.ip(undefined, 'link', 'add', names.veth, 'netns', this.nodeNetns, 'type', 'veth', 'peer', 'name', POD_SIDE, 'netns', names.netns);
      await this.ip(this.nodeNetns, 'link', 'set', names.veth, 'master', POD_BRIDGE);
      await this.ip(this.nodeNetns, 'link', 'set', names.veth, 'up');
      await this.ip(names.netns, 'link', 'set', POD_SIDE, 'up');
      for (const [i, c] of this.cidrs.entries()) {
        await this.ip(names.netns, 'addr', 'add', `${ips[i]!}/${c.length}`, 'dev', POD_SIDE, ...(c.family === 6 ? ['nodad'] : []));
        await this.ip(names.netns, `-${c.family}`, 'route', 'add', 'default', 'via', formatAddress(firstHost(c)));
      }
    } catch (err) {
      await this.exec(['ip', 'netns', 'del', names.netns]);
      throw err;
    }
    this.allocations.set(uid, made);
    this.save();
    return made;
  }

  /** Removes the Pod's namespace (its veth goes with it) and frees its addresses. */
  async release(uid: string): Promise<void> {
    const a = this.allocations.get(uid);
    if (a === undefined) return;
    await this.exec(['ip', 'netns', 'del', a.netns]);
    this.allocations.delete(uid);
    this.save();
  }

  /** Releases every allocation whose Pod is not in `keep` (Pods gone while the stand-in was away). */
  async releaseAllBut(keep: ReadonlySet<string>): Promise<string[]> {
    const gone = [...this.allocations.keys()].filter((u) => !keep.has(u));
    for (const uid of gone) await this.release(uid);
    return gone;
  }

  /** The addresses a Pod holds, if it has a namespace. */
  addressing(uid: string): PodAddressing | undefined {
    return this.allocations.get(uid);
  }

  /**
   * Lets the control plane reach this node's IPv4 pod CIDRs, as a cluster's pod network lets its
   * API server call admission webhooks on pod IPs: a route in the root namespace (where the lab's
   * API server runs, on the mgmt gateway) to each CIDR via the node's mgmt address, and the CIDR
   * in the node's mgmt guard set that lets the gateway open TCP connections in (lab/build.ts
   * mgmtGuard). Returns the routes made; none for a node without a mgmt link (not a lab k8s-node).
   */
  async reachFromControlPlane(): Promise<{ prefix: string; via: string }[]> {
    const v4 = this.cidrs.filter((c) => c.family === 4);
    if (v4.length === 0) return [];
    const r = await this.exec(['ip', '-n', this.nodeNetns, '-j', '-4', 'addr', 'show', 'dev', IN_NAMESPACE.mgmt]);
    if (r.code !== 0) return [];
    const links = JSON.parse(r.stdout || '[]') as { addr_info?: { local?: string }[] }[];
    const via = links[0]?.addr_info?.[0]?.local;
    if (via === undefined) return [];
    for (const c of v4) {
      const prefix = formatPrefix(c);
      const argv = ['ip', 'netns', 'exec', this.nodeNetns, 'nft', 'add', 'element', 'inet', MGMT_GUARD.table, MGMT_GUARD.podNetworks, `{ ${prefix} }`];
      const added = await this.exec(argv);
      if (added.code !== 0) throw new KubeletError('kubelet/pod-network', `${argv.join(' ')}: ${added.stderr.trim()} (the node's mgmt guard has no set ${MGMT_GUARD.podNetworks}: a lab built by an older headland-lab; take it down and up again)`);
      await this.ip(undefined, 'route', 'replace', prefix, 'via', via);
      this.rootRoutes.push({ prefix, via });
    }
    return [...this.rootRoutes];
  }

  /** Takes away the root namespace's routes reachFromControlPlane made (the lab's teardown would too, with the mgmt bridge). */
  async unreachFromControlPlane(): Promise<void> {
    for (const r of this.rootRoutes) await this.exec(['ip', 'route', 'del', r.prefix, 'via', r.via]);
    this.rootRoutes = [];
  }

  /** The lab makes the bridge when the topology gives the node pod subnets; without it the stand-in makes it. */
  private async ensureBridge(): Promise<void> {
    if (this.bridgeChecked) return;
    const r = await this.exec(['ip', '-n', this.nodeNetns, '-j', 'addr', 'show', 'dev', POD_BRIDGE]);
    const have = r.code === 0 ? (JSON.parse(r.stdout || '[]') as { addr_info?: { local?: string }[] }[]).flatMap((l) => (l.addr_info ?? []).map((x) => x.local ?? '')) : undefined;
    if (have === undefined) {
      await this.ip(this.nodeNetns, 'link', 'add', POD_BRIDGE, 'type', 'bridge', 'stp_state', '0', 'mcast_snooping', '0');
      await this.ip(this.nodeNetns, 'link', 'set', POD_BRIDGE, 'up');
    }
    for (const c of this.cidrs) {
      const gw = formatAddress(firstHost(c));
      if (have?.includes(gw) === true) continue;
      const other = have?.find((x) => {
        const a = parsePrefix(x);
        return typeof a !== 'string' && contains(c, a);
      });
      if (other !== undefined) throw new KubeletError('kubelet/pod-network', `the node's ${POD_BRIDGE} bridge holds ${other}, not ${gw}, on --pod-cidr ${formatPrefix(c)}`);
      await this.ip(this.nodeNetns, 'addr', 'add', `${gw}/${c.length}`, 'dev', POD_BRIDGE, ...(c.family === 6 ? ['nodad'] : []));
    }
    this.bridgeChecked = true;
  }

  private async ip(ns: string | undefined, ...args: string[]): Promise<void> {
    const argv = ns === undefined ? ['ip', ...args] : ['ip', '-n', ns, ...args];
    const r = await this.exec(argv);
    if (r.code !== 0) throw new KubeletError('kubelet/pod-network', `${argv.join(' ')}: ${r.stderr.trim()}`);
  }

  private save(): void {
    mkdirSync(dirname(this.stateFile), { recursive: true });
    const tmp = `${this.stateFile}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(Object.fromEntries(this.allocations), null, 1)}\n`);
    renameSync(tmp, this.stateFile);
  }
}
