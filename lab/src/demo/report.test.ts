import { readFileSync } from 'node:fs';
import { lab, type traffic } from '../index.js';
import type { Announcement, PodShare, ServiceFacts } from './facts.js';
import { TOPOLOGY_FILE, layoutOf } from './layout.js';
import { describeService, podPlacement, unweightedShare, usageLines, verdict, type ServiceReport } from './report.js';

const layout = layoutOf(lab.parseTopology(readFileSync(TOPOLOGY_FILE, 'utf8'), TOPOLOGY_FILE));
const CLIENT = '198.18.1.2';

const ann = (node: string, weight: number, share: number, lb?: string): Announcement => ({ node, nodeIP: layout.nodeIPs.get(node)!, weight, share, linkBandwidth: lb });
const share = (pod: string, connections: number, expected: number, clients: string[]): PodShare => ({
  pod, node: layout.pods.get(pod)!.node, connections, share: connections / 4000, expected,
  sawClients: clients.map((ip) => ({ ip, whose: ip === CLIENT ? "the client's own address" : 'a node' })),
});
const summary = (target: string, failures: Record<string, number> = {}): traffic.TrafficSummary => {
  const failed = Object.values(failures).reduce((n, x) => n + x, 0);
  return { target, count: 4000, ok: 4000 - failed, failed, perPod: {}, clientsByPod: {}, failures, failedConnections: [], durationMs: 1 };
};

const web: ServiceFacts = { key: 'demo/web', policy: 'Local', ips: ['203.0.113.240'] };
const webPods = ['web-1', 'web-2', 'web-3', 'web-4'];
const weightedWeb: ServiceReport = {
  service: web,
  pods: webPods,
  announcements: [ann('node1', 25, 0.25, '1.000 Mbps'), ann('node2', 75, 0.75, '3.000 Mbps')],
  summary: summary('203.0.113.240:80'),
  shares: [share('web-1', 1004, 0.25, [CLIENT]), share('web-2', 974, 0.25, [CLIENT]), share('web-3', 1003, 0.25, [CLIENT]), share('web-4', 1019, 0.25, [CLIENT])],
};
const hello: ServiceReport = {
  service: { key: 'demo/hello', policy: 'Cluster', ips: ['203.0.113.241'] },
  pods: ['hello-1', 'hello-2'],
  announcements: [ann('node1', 1, 1 / 3), ann('node2', 1, 1 / 3), ann('node3', 1, 1 / 3)],
  summary: summary('203.0.113.241:80', { timeout: 2, ECONNREFUSED: 1 }),
  shares: [share('hello-1', 1997, 0.5, ['198.18.0.11', '198.18.0.12']), share('hello-2', 2000, 0.5, ['198.18.0.13'])],
};

test('podPlacement groups pods by node', () => {
  expect(podPlacement(webPods, layout)).toBe('web-1 on node1; web-2, web-3, web-4 on node2');
  expect(podPlacement([], layout)).toBe('');
});

test('unweightedShare: what a pod would get if the router split by nodes', () => {
  expect(unweightedShare('web-1', webPods, weightedWeb.announcements, layout)).toBe(0.5);
  expect(unweightedShare('web-2', webPods, weightedWeb.announcements, layout)).toBeCloseTo(1 / 6);
  expect(unweightedShare('web-1', webPods, [], layout)).toBe(0);
});

test('the Local service in plain words: IP, nodes with weight and link bandwidth, each pod with its share and the client address', () => {
  expect(describeService(weightedWeb, layout)).toEqual([
    'Service demo/web (externalTrafficPolicy Local; 4 pods: web-1 on node1; web-2, web-3, web-4 on node2)',
    '  IP 203.0.113.240, assigned by headland-controller (kubectl: status.loadBalancer.ingress)',
    "  The router (FRR on tor) sends it to 2 nodes, as BGP from each node's headland-speaker:",
    '    node1 (198.18.0.11): weight 25, 25.0% of the traffic; link bandwidth 1.000 Mbps in its BGP path',
    '    node2 (198.18.0.12): weight 75, 75.0% of the traffic; link bandwidth 3.000 Mbps in its BGP path',
    '  4,000 connections from the client (198.18.1.2) to 203.0.113.240:80, all answered:',
    "    web-1 on node1: 1,004 (25.1%, expected 25.0%); saw 198.18.1.2 (the client's own address)",
    "    web-2 on node2: 974 (24.3%, expected 25.0%); saw 198.18.1.2 (the client's own address)",
    "    web-3 on node2: 1,003 (25.1%, expected 25.0%); saw 198.18.1.2 (the client's own address)",
    "    web-4 on node2: 1,019 (25.5%, expected 25.0%); saw 198.18.1.2 (the client's own address)",
    '  In short: only the nodes with a pod announce it, weighted by their pods, so traffic splits by pods (split by nodes instead, web-1 would take 50.0%); the client address reaches the pods.',
  ]);
});

test('the Cluster service: equal weights said as such, failures counted by reason, SNAT named', () => {
  const lines = describeService(hello, layout);
  expect(lines[3]).toBe('    node1 (198.18.0.11): weight 1, 33.3% of the traffic; no link-bandwidth community (equal weights)');
  expect(lines).toContain('  4,000 connections from the client (198.18.1.2) to 203.0.113.241:80, 3 failed (timeout: 2, ECONNREFUSED: 1):');
  expect(lines.at(-1)).toBe("  In short: every node announces it and pods see node addresses (kube-proxy SNAT), not the client's.");
});

test('no route at the router and a pod with no connection are said plainly', () => {
  const lines = describeService({ ...weightedWeb, announcements: [], shares: [share('web-1', 0, 0, [])] }, layout);
  expect(lines).toContain('  The router has no route to it.');
  expect(lines).toContain('    web-1 on node1: 0 (0.0%, expected 0.0%); no connection');
});

test.each<[string, ServiceReport, string]>([
  [
    'Local with even pods per node: no contrast to make',
    { ...weightedWeb, pods: ['web-1', 'web-2'], announcements: [ann('node1', 1, 0.5, '1.000 Mbps'), ann('node2', 1, 0.5, '1.000 Mbps')], shares: [share('web-1', 2000, 0.5, [CLIENT]), share('web-2', 2000, 0.5, [CLIENT])] },
    'In short: only the nodes with a pod announce it, weighted by their pods, so traffic splits by pods; the client address reaches the pods.',
  ],
  [
    'Local where pods saw something else',
    { ...weightedWeb, shares: [share('web-1', 4000, 0.25, ['198.18.9.9'])] },
    'In short: only the nodes with a pod announce it, weighted by their pods, so traffic splits by pods (split by nodes instead, web-1 would take 50.0%); pods saw 198.18.9.9.',
  ],
  ['Cluster where the client address came through', { ...hello, shares: [share('hello-1', 4000, 1, [CLIENT])] }, 'In short: every node announces it and the client address reaches the pods.'],
])('verdict: %s', (_name, report, words) => {
  expect(verdict(report, layout)).toBe(words);
});

test('usage: the kubeconfig, three commands with the IP, where to add a Service, logs, and how to take it down', () => {
  const lines = usageLines({
    kubeconfig: '/run/headland-demo/kubeconfig', exampleIP: '203.0.113.240', labCli: 'node lab/dist/main.js', lab: 'demo', routerNamespace: 'hl-demo_tor',
    workloadsFile: 'lab/topologies/demo/workloads.yaml', logDir: '/var/log/headland-demo', downCommand: 'npm run demo -- down',
  });
  expect(lines).toEqual([
    'Everything keeps running. kubeconfig: /run/headland-demo/kubeconfig',
    '  kubectl --kubeconfig /run/headland-demo/kubeconfig get svc,speakerstatuses -A',
    '  npx headland explain service demo/web --kubeconfig /run/headland-demo/kubeconfig',
    '  npx headland status --kubeconfig /run/headland-demo/kubeconfig',
    '  node lab/dist/main.js exec demo client -- socat - TCP:203.0.113.240:80',
    "  vtysh -N hl-demo_tor -c 'show ip route 203.0.113.240'",
    'Add a Service: copy one with its EndpointSlice from lab/topologies/demo/workloads.yaml, then kubectl apply -f it.',
    'Logs: /var/log/headland-demo/. Take it all down: npm run demo -- down',
  ]);
});
