import { readFileSync } from 'node:fs';
import { lab } from '../index.js';
import { CONTROLLER_KUBECONFIG, DemoError, KUBECONFIG, SPEAKER_KUBECONFIG, TOPOLOGY_FILE, demoProcesses, layoutOf } from './layout.js';

const demoTopology = (): lab.Topology => lab.parseTopology(readFileSync(TOPOLOGY_FILE, 'utf8'), TOPOLOGY_FILE);

function node(name: string, kind: lab.Kind, addrs: string[], pods: lab.Pod[] = []): lab.LabNode {
  return { name, kind, interfaces: new Map([['eth1', addrs]]), routes: [], exec: [], env: {}, sysctls: {}, forwarding: true, podSubnets: [], pods };
}
const topo = (...nodes: lab.LabNode[]): lab.Topology => ({ name: 't', file: '', nodes, links: [], notes: [] });
const router = node('tor', 'frr', ['198.18.0.1/24']);
const client = node('client', 'linux', ['198.18.1.2/24']);

test('the demo topology: router, client, three nodes and six uniquely named pods', () => {
  const l = layoutOf(demoTopology());
  expect([l.routerNode, l.clientNode, l.clientIPv4]).toEqual(['tor', 'client', '198.18.1.2']);
  expect(Object.fromEntries(l.nodeIPs)).toEqual({ node1: '198.18.0.11', node2: '198.18.0.12', node3: '198.18.0.13' });
  expect(Object.fromEntries([...l.pods].map(([p, at]) => [p, `${at.node} ${at.ip}`]))).toEqual({
    'web-1': 'node1 198.18.101.2', 'hello-1': 'node1 198.18.101.3',
    'web-2': 'node2 198.18.102.2', 'web-3': 'node2 198.18.102.3', 'web-4': 'node2 198.18.102.4',
    'hello-2': 'node3 198.18.103.2',
  });
});

test.each<[string, lab.Topology, RegExp]>([
  ['no router', topo(client, node('n1', 'k8s-node', ['198.18.0.11/24'])), /^demo\/layout: topology t has no frr router node$/],
  ['no client', topo(router, node('n1', 'k8s-node', ['198.18.0.11/24'])), /has no linux client node/],
  ['no k8s-node', topo(router, client), /has no k8s-node/],
  ['a node without IPv4', topo(router, client, node('n1', 'k8s-node', ['2001:db8::11/64'])), /node n1 has no IPv4 address/],
  ['a pod without IPv4', topo(router, client, node('n1', 'k8s-node', ['198.18.0.11/24'], [{ name: 'p', addresses: ['2001:db8:1::2'] }])), /pod n1\/p has no IPv4/],
  [
    'one pod name on two nodes',
    topo(router, client, node('n1', 'k8s-node', ['198.18.0.11/24'], [{ name: 'p', addresses: ['198.18.101.2'] }]), node('n2', 'k8s-node', ['198.18.0.12/24'], [{ name: 'p', addresses: ['198.18.102.2'] }])),
    /pod name p is used on two nodes/,
  ],
])('%s is refused with a DemoError naming it', (_name, t, message) => {
  expect(() => layoutOf(t)).toThrow(DemoError);
  expect(() => layoutOf(t)).toThrow(message);
});

test('processes: one echo per pod in its pod namespace, one kube-proxy and speaker per node with its address, all on the demo kubeconfig', () => {
  const p = demoProcesses(layoutOf(demoTopology()));
  expect(p.echoes.map((e) => `${e.name} ${e.target} ${e.argv.slice(-4).join(' ')}`)).toContain('echo-web-1 node1/web-1 --name web-1 --port 8080');
  expect(p.echoes).toHaveLength(6);
  expect(p.speakers.map((s) => `${s.target} ${s.argv.slice(-4).join(' ')}`)).toEqual(['node1 --node-name node1 --node-ip 198.18.0.11', 'node2 --node-name node2 --node-ip 198.18.0.12', 'node3 --node-name node3 --node-ip 198.18.0.13']);
  expect(p.proxies.map((s) => s.target)).toEqual(['node1', 'node2', 'node3']);
  // The kube-proxy stand-in is the admin; the controller and speakers are their ServiceAccounts.
  for (const x of p.proxies) expect(x.argv).toContain(KUBECONFIG);
  expect(p.controller.argv).toContain(CONTROLLER_KUBECONFIG);
  for (const x of p.speakers) expect(x.argv).toContain(SPEAKER_KUBECONFIG);
  expect(p.api.argv).toEqual(expect.arrayContaining(['--kubeconfig-out', KUBECONFIG]));
  expect([p.api.target, p.controller.target]).toEqual([undefined, undefined]);
  const names = [p.api, p.controller, ...p.echoes, ...p.proxies, ...p.speakers].map((x) => x.name);
  expect(new Set(names).size).toBe(names.length);
});
