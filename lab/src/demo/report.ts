// The demo's findings in plain words, one Service at a time: its IP, which nodes the router
// sends it to with what weight, how the client's connections spread over pods and what they saw.
import type { traffic } from '../index.js';
import type { Announcement, PodShare, ServiceFacts } from './facts.js';
import type { DemoLayout } from './layout.js';

export interface ServiceReport {
  readonly service: ServiceFacts;
  readonly pods: readonly string[];
  readonly announcements: readonly Announcement[];
  readonly summary: traffic.TrafficSummary;
  readonly shares: readonly PodShare[];
}

const count = (n: number): string => n.toLocaleString('en-US');
const percent = (x: number): string => `${(x * 100).toFixed(1)}%`;
const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** "web-1 on node1; web-2, web-3, web-4 on node2". */
export function podPlacement(pods: readonly string[], layout: DemoLayout): string {
  const byNode = new Map<string, string[]>();
  for (const pod of pods) {
    const node = layout.pods.get(pod)?.node ?? '?';
    byNode.set(node, [...(byNode.get(node) ?? []), pod]);
  }
  return [...byNode].sort(([a], [b]) => a.localeCompare(b)).map(([node, ps]) => `${ps.join(', ')} on ${node}`).join('; ');
}

/** What the lone pod of a Local service would get if the router split by nodes (no weights). */
export function unweightedShare(pod: string, pods: readonly string[], announcements: readonly Announcement[], layout: DemoLayout): number {
  const node = layout.pods.get(pod)?.node;
  const local = pods.filter((p) => layout.pods.get(p)?.node === node).length;
  return announcements.length === 0 || local === 0 ? 0 : 1 / announcements.length / local;
}

export function describeService(r: ServiceReport, layout: DemoLayout): string[] {
  const { service, announcements, summary } = r;
  const lines = [`Service ${service.key} (externalTrafficPolicy ${service.policy}; ${plural(r.pods.length, 'pod')}: ${podPlacement(r.pods, layout)})`];
  lines.push(`  IP ${service.ips.join(', ') || '(none)'}, assigned by headland-controller (kubectl: status.loadBalancer.ingress)`);
  if (announcements.length === 0) lines.push('  The router has no route to it.');
  else lines.push(`  The router (FRR on ${layout.routerNode}) sends it to ${plural(announcements.length, 'node')}, as BGP from each node's headland-speaker:`);
  for (const a of announcements) {
    const lb = a.linkBandwidth === undefined ? 'no link-bandwidth community (equal weights)' : `link bandwidth ${a.linkBandwidth} in its BGP path`;
    lines.push(`    ${a.node} (${a.nodeIP}): weight ${a.weight}, ${percent(a.share)} of the traffic; ${lb}`);
  }
  const failed = summary.failed === 0 ? 'all answered' : `${count(summary.failed)} failed (${Object.entries(summary.failures).map(([why, n]) => `${why}: ${count(n)}`).join(', ')})`;
  lines.push(`  ${count(summary.count)} connections from the client (${layout.clientIPv4}) to ${summary.target}, ${failed}:`);
  for (const s of r.shares) {
    const saw = s.sawClients.length === 0 ? 'no connection' : `saw ${s.sawClients.map((c) => `${c.ip} (${c.whose})`).join(', ')}`;
    lines.push(`    ${s.pod} on ${s.node}: ${count(s.connections)} (${percent(s.share)}, expected ${percent(s.expected)}); ${saw}`);
  }
  lines.push(`  ${verdict(r, layout)}`);
  return lines;
}

/** One sentence on what the numbers show, from the numbers themselves. */
export function verdict(r: ServiceReport, layout: DemoLayout): string {
  const clients = new Set(r.shares.flatMap((s) => s.sawClients.map((c) => c.ip)));
  const kept = clients.size === 1 && clients.has(layout.clientIPv4);
  const snat = clients.size > 0 && [...clients].every((ip) => [...layout.nodeIPs.values()].includes(ip));
  const address = kept ? 'the client address reaches the pods' : snat ? "pods see node addresses (kube-proxy SNAT), not the client's" : `pods saw ${[...clients].join(', ') || 'nothing'}`;
  if (r.service.policy === 'Cluster') return `In short: every node announces it and ${address}.`;
  // The pod that plain per-node ECMP would favour most: the one the weights help most visibly.
  const lone = [...r.shares].sort((a, b) => unweightedShare(b.pod, r.pods, r.announcements, layout) - unweightedShare(a.pod, r.pods, r.announcements, layout))[0];
  const without = lone === undefined ? 0 : unweightedShare(lone.pod, r.pods, r.announcements, layout);
  const contrast = lone !== undefined && Math.abs(without - lone.expected) > 0.05 ? ` (split by nodes instead, ${lone.pod} would take ${percent(without)})` : '';
  return `In short: only the nodes with a pod announce it, weighted by their pods, so traffic splits by pods${contrast}; ${address}.`;
}

export interface UsageInput {
  readonly kubeconfig: string;
  /** One IP to show the client and router commands with. */
  readonly exampleIP: string | undefined;
  /** How to run headland-lab from where the user is ("node lab/dist/main.js"). */
  readonly labCli: string;
  readonly lab: string;
  readonly routerNamespace: string;
  readonly workloadsFile: string;
  readonly logDir: string;
  readonly downCommand: string;
}

/** What to do with the running demo: a kubeconfig, commands to try, where logs are, how to stop. */
export function usageLines(u: UsageInput): string[] {
  const ip = u.exampleIP ?? '203.0.113.240';
  return [
    `Everything keeps running. kubeconfig: ${u.kubeconfig}`,
    `  kubectl --kubeconfig ${u.kubeconfig} get svc,speakerstatuses -A`,
    `  npx headland explain service demo/web --kubeconfig ${u.kubeconfig}`,
    `  npx headland status --kubeconfig ${u.kubeconfig}`,
    `  ${u.labCli} exec ${u.lab} client -- socat - TCP:${ip}:80`,
    `  vtysh -N ${u.routerNamespace} -c 'show ip route ${ip}'`,
    `Add a Service: copy one with its EndpointSlice from ${u.workloadsFile}, then kubectl apply -f it.`,
    `Logs: ${u.logDir}/. Take it all down: ${u.downCommand}`,
  ];
}
