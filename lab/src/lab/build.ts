// Makes a parsed topology real: namespaces, veth pairs, bridges, pods, addresses, routes and
// the mgmt network to the root namespace. Every step is recorded before it is taken.

import { mkdirSync } from 'node:fs';
import { MGMT_GATEWAY, MGMT_SUBNET, contains, firstHost, formatAddress, parseAddress, parsePrefix, type Address, type Prefix } from './cidr.js';
import { LabError } from './errors.js';
import { IN_NAMESPACE, MGMT_GUARD, mgmtBridge, mgmtHostLink, nodeNamespace, nodeRunDir, podNamespace } from './naming.js';
import { run, tryRun } from './sh.js';
import { StateRecorder } from './state.js';
import { listNamespaces, listRootLinks } from './teardown.js';
import type { LabNode, Topology } from './topology.js';

const MGMT_PREFIX_LENGTH = MGMT_SUBNET.split('/')[1]!;

const ip = (ns: string | undefined, ...args: string[]) => run(ns === undefined ? ['ip', ...args] : ['ip', '-n', ns, ...args]);

async function sysctl(ns: string, key: string, value: string): Promise<void> {
  await run(['ip', 'netns', 'exec', ns, 'sysctl', '-q', '-w', `${key}=${value}`]);
}

/** Builds the lab's network; the caller tears down on failure (it is all recorded). */
export async function buildNetwork(topo: Topology, rec: StateRecorder): Promise<void> {
  for (const node of topo.nodes) mkdirSync(nodeRunDir(topo.name, node.name), { recursive: true });
  for (const node of topo.nodes) await makeNode(topo.name, node, rec);
  for (const link of topo.links) {
    const [a, b] = [link.a, link.b].map((end) => ({ ...end, ns: nodeNamespace(topo.name, end.node) }));
    await ip(undefined, 'link', 'add', a!.iface, 'netns', a!.ns, 'type', 'veth', 'peer', 'name', b!.iface, 'netns', b!.ns);
    for (const end of [a!, b!]) {
      const kind = topo.nodes.find((n) => n.name === end.node)?.kind;
      if (kind === 'bridge') await ip(end.ns, 'link', 'set', end.iface, 'master', IN_NAMESPACE.bridge);
      await ip(end.ns, 'link', 'set', end.iface, 'up');
    }
  }
  for (const node of topo.nodes) {
    const ns = nodeNamespace(topo.name, node.name);
    for (const [iface, addrs] of node.interfaces) {
      for (const cidr of addrs) await ip(ns, 'addr', 'add', cidr, 'dev', iface, ...(cidr.includes(':') ? ['nodad'] : []));
    }
  }
  await makeMgmt(topo, rec);
  // Routes last: a gateway must already be on a connected subnet.
  for (const node of topo.nodes) {
    const ns = nodeNamespace(topo.name, node.name);
    for (const r of node.routes) {
      await ip(ns, `-${r.family}`, 'route', 'add', r.dst, ...(r.via === undefined ? [] : ['via', r.via]), ...(r.dev === undefined ? [] : ['dev', r.dev]));
    }
  }
}

/** Refuses a lab whose names are taken; run before anything is made, so a refusal removes nothing. */
export async function checkFree(topo: Topology): Promise<void> {
  const taken = (await listNamespaces()).filter((ns) => topo.nodes.some((n) => ns === nodeNamespace(topo.name, n.name)));
  if (taken.length > 0) throw new LabError('lab/build', `lab ${topo.name} is already up (namespace ${taken[0]}); run "headland-lab down ${topo.name}" first`);
  if (topo.nodes.some((n) => n.kind === 'k8s-node')) {
    // Two labs with a mgmt network would both claim 198.19.255.1 in the root namespace.
    const r = await tryRun(['ip', '-j', '-4', 'addr', 'show']);
    const holders = (JSON.parse(r.stdout || '[]') as { ifname: string; addr_info?: { local?: string }[] }[])
      .filter((l) => l.addr_info?.some((a) => a.local === MGMT_GATEWAY));
    if (holders.length > 0) throw new LabError('lab/build', `${MGMT_GATEWAY} is already on ${holders[0]!.ifname} (another lab's mgmt network?); take that lab down first`);
  }
}

async function newNamespace(ns: string, rec: StateRecorder, forwarding: boolean, sysctls: Readonly<Record<string, string>> = {}): Promise<void> {
  rec.namespace(ns);
  await ip(undefined, 'netns', 'add', ns);
  await ip(ns, 'link', 'set', 'lo', 'up');
  const flag = forwarding ? '1' : '0';
  await sysctl(ns, 'net.ipv4.ip_forward', flag);
  await sysctl(ns, 'net.ipv6.conf.all.forwarding', flag);
  // Links added later would run duplicate address detection on their link-local address
  // (about a second), and until it ends a router cannot resolve IPv6 neighbours: the lab would
  // come up with IPv6 not yet usable. Global addresses already skip it with `nodad`.
  await sysctl(ns, 'net.ipv6.conf.default.accept_dad', '0');
  await sysctl(ns, 'net.ipv6.conf.all.accept_dad', '0');
  for (const [key, value] of Object.entries(sysctls)) await sysctl(ns, key, value);
}

async function makeNode(lab: string, node: LabNode, rec: StateRecorder): Promise<void> {
  const ns = nodeNamespace(lab, node.name);
  await newNamespace(ns, rec, node.forwarding, node.sysctls);
  if (node.kind === 'bridge') {
    // Snooping off: without a querier it can hold back the multicast NDP needs.
    await ip(ns, 'link', 'add', IN_NAMESPACE.bridge, 'type', 'bridge', 'stp_state', '0', 'mcast_snooping', '0');
    await ip(ns, 'link', 'set', IN_NAMESPACE.bridge, 'up');
  }
  if (node.kind === 'k8s-node') await makePods(lab, node, rec);
}

async function makePods(lab: string, node: LabNode, rec: StateRecorder): Promise<void> {
  const ns = nodeNamespace(lab, node.name);
  if (node.podSubnets.length === 0) return;
  const subnets = node.podSubnets.map((s) => parsePrefix(s) as Prefix);
  await ip(ns, 'link', 'add', IN_NAMESPACE.podBridge, 'type', 'bridge', 'stp_state', '0', 'mcast_snooping', '0');
  for (const s of subnets) {
    await ip(ns, 'addr', 'add', `${formatAddress(firstHost(s))}/${s.length}`, 'dev', IN_NAMESPACE.podBridge, ...(s.family === 6 ? ['nodad'] : []));
  }
  await ip(ns, 'link', 'set', IN_NAMESPACE.podBridge, 'up');
  for (const [index, pod] of node.pods.entries()) {
    const podNs = podNamespace(lab, node.name, pod.name);
    await newNamespace(podNs, rec, false);
    const peer = IN_NAMESPACE.podPeer(index);
    await ip(undefined, 'link', 'add', peer, 'netns', ns, 'type', 'veth', 'peer', 'name', IN_NAMESPACE.podSide, 'netns', podNs);
    await ip(ns, 'link', 'set', peer, 'master', IN_NAMESPACE.podBridge);
    await ip(ns, 'link', 'set', peer, 'up');
    await ip(podNs, 'link', 'set', IN_NAMESPACE.podSide, 'up');
    for (const addr of pod.addresses) {
      const a = parseAddress(addr) as Address;
      const family = a.family;
      const subnet = subnets.find((s) => contains(s, a))!;
      await ip(podNs, 'addr', 'add', `${addr}/${subnet.length}`, 'dev', IN_NAMESPACE.podSide, ...(family === 6 ? ['nodad'] : []));
      await ip(podNs, `-${family}`, 'route', 'add', 'default', 'via', formatAddress(firstHost(subnet)));
    }
  }
}

async function makeMgmt(topo: Topology, rec: StateRecorder): Promise<void> {
  const k8sNodes = topo.nodes.filter((n) => n.kind === 'k8s-node');
  if (k8sNodes.length === 0) return;
  const bridge = mgmtBridge(topo.name);
  rec.rootLink(bridge);
  await ip(undefined, 'link', 'add', bridge, 'type', 'bridge', 'stp_state', '0');
  await ip(undefined, 'addr', 'add', `${MGMT_GATEWAY}/${MGMT_PREFIX_LENGTH}`, 'dev', bridge);
  await ip(undefined, 'link', 'set', bridge, 'up');
  for (const [index, node] of k8sNodes.entries()) {
    const ns = nodeNamespace(topo.name, node.name);
    const host = mgmtHostLink(topo.name, index);
    rec.rootLink(host);
    await ip(undefined, 'link', 'add', host, 'type', 'veth', 'peer', 'name', IN_NAMESPACE.mgmt, 'netns', ns);
    await ip(undefined, 'link', 'set', host, 'master', bridge);
    await ip(undefined, 'link', 'set', host, 'up');
    await ip(ns, 'addr', 'add', `${node.mgmtIPv4!}/${MGMT_PREFIX_LENGTH}`, 'dev', IN_NAMESPACE.mgmt);
    await ip(ns, 'link', 'set', IN_NAMESPACE.mgmt, 'up');
    await run(['ip', 'netns', 'exec', ns, 'nft', '-f', '-'], { input: mgmtGuard(node.mgmtIPv4!) });
  }
}

/**
 * The node forwards for its pods, but never into or out of the mgmt link, or lab traffic would
 * reach the root namespace and from there its real routes. Two exceptions, both with the API
 * server on the mgmt gateway, as in a cluster: pods (the kubelet stand-in's, in namespaces of
 * their own) reach it, their packets leaving with the node's mgmt address; and it opens TCP
 * connections to the pod networks in the set the kubelet stand-in fills (admission webhooks on
 * pod IPs), for which the stand-in routes its pod CIDR from the root namespace.
 */
export function mgmtGuard(nodeMgmtIPv4: string): string {
  const m = IN_NAMESPACE.mgmt;
  return [
    `table inet ${MGMT_GUARD.table} {`,
    ` set ${MGMT_GUARD.podNetworks} {`,
    '  type ipv4_addr; flags interval;',
    ' }',
    ' chain forward {',
    '  type filter hook forward priority -10; policy accept;',
    `  iifname "${m}" ct direction reply ip saddr ${MGMT_GATEWAY} accept`,
    `  iifname "${m}" ip saddr ${MGMT_GATEWAY} ip daddr @${MGMT_GUARD.podNetworks} meta l4proto tcp accept`,
    `  iifname "${m}" drop`,
    `  oifname "${m}" ip daddr ${MGMT_GATEWAY} meta l4proto tcp accept`,
    `  oifname "${m}" drop`,
    ' }',
    ' chain postrouting {',
    '  type nat hook postrouting priority srcnat; policy accept;',
    `  oifname "${m}" ip saddr != ${nodeMgmtIPv4} masquerade`,
    ' }',
    '}',
    '',
  ].join('\n');
}
