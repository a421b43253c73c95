// Where the demo keeps things and what it runs: one lab, fixed file locations, and the argv of
// every process, derived from the topology so nothing here repeats an address by hand.
import { join } from 'node:path';
import { lab, programs } from '../index.js';

export const LAB = 'demo';
/** Pid files, the kubeconfig and the state file: gone after `down`. */
export const DEMO_DIR = '/run/headland-demo';
/** Logs of every demo process: kept after `down` (and after a failure) for reading. */
export const LOG_DIR = '/var/log/headland-demo';
export const KUBECONFIG = join(DEMO_DIR, 'kubeconfig');
/** The controller and the speakers run as their ServiceAccounts, under the manifests' RBAC. */
export const CONTROLLER_KUBECONFIG = join(DEMO_DIR, `${programs.CONTROLLER_ACCOUNT}.kubeconfig`);
export const SPEAKER_KUBECONFIG = join(DEMO_DIR, `${programs.SPEAKER_ACCOUNT}.kubeconfig`);
export const STATE_FILE = join(DEMO_DIR, 'demo.json');
/** The lab's mgmt bridge address: the host and every node namespace reach the API server there. */
export const API_LISTEN = '198.19.255.1:6443';
export const CONTROLLER_METRICS = '198.19.255.1:7472';
export const CONTROLLER_HEALTH = '198.19.255.1:7473';
/** The demo installs no ValidatingWebhookConfiguration: the webhook serves on a free loopback port. */
export const CONTROLLER_WEBHOOK = '127.0.0.1:0';
export const ECHO_PORT = 8080;

export const TOPOLOGY_FILE = join(programs.REPO_ROOT, 'lab/topologies/demo/demo.clab.yml');
export const WORKLOADS_FILE = join(programs.REPO_ROOT, 'lab/topologies/demo/workloads.yaml');
export const EXAMPLE_FILE = join(programs.REPO_ROOT, 'manifests/examples/demo.yaml');
export const CRDS_DIR = join(programs.REPO_ROOT, 'manifests/crds');

export class DemoError extends Error {
  override readonly name = 'DemoError';
  constructor(
    readonly module: string,
    detail: string,
  ) {
    super(`${module}: ${detail}`);
  }
}

/** A process the demo runs: where (undefined: the host), what, and its files. */
export interface DemoProcess {
  readonly name: string;
  /** Lab target ("node1", "node1/web-1"); undefined runs it in the host's namespace. */
  readonly target: string | undefined;
  readonly argv: readonly string[];
}

export const pidFile = (name: string): string => join(DEMO_DIR, `${name}.pid`);
/** The ruleset a node's kube-proxy stand-in last applied (its --state-file). */
export const proxyStateFile = (node: string): string => join(DEMO_DIR, `kubeproxy-${node}.nft`);
export const logFile = (name: string): string => join(LOG_DIR, `${name}.log`);

/** The lab as the demo needs it: node addresses on the fabric, pods with their addresses. */
export interface DemoLayout {
  readonly routerNode: string;
  readonly clientNode: string;
  readonly clientIPv4: string;
  /** k8s-node name -> its fabric IPv4 (the BGP next hop and the SNAT address). */
  readonly nodeIPs: ReadonlyMap<string, string>;
  /** Pod name -> node and IPv4 (pod names are unique in the demo topology). */
  readonly pods: ReadonlyMap<string, { readonly node: string; readonly ip: string }>;
}

const hostOf = (cidr: string): string => cidr.split('/')[0] ?? cidr;
const isIPv4 = (a: string): boolean => /^\d+\.\d+\.\d+\.\d+$/.test(a);

/** Reads the demo's shape from a parsed topology; a DemoError names what is missing. */
export function layoutOf(topology: lab.Topology): DemoLayout {
  const router = topology.nodes.find((n) => n.kind === 'frr');
  const client = topology.nodes.find((n) => n.kind === 'linux');
  if (router === undefined) throw new DemoError('demo/layout', `topology ${topology.name} has no frr router node`);
  if (client === undefined) throw new DemoError('demo/layout', `topology ${topology.name} has no linux client node`);
  const firstIPv4 = (node: lab.LabNode): string => {
    const ip = [...node.interfaces.values()].flat().map(hostOf).find(isIPv4);
    if (ip === undefined) throw new DemoError('demo/layout', `node ${node.name} has no IPv4 address`);
    return ip;
  };
  const nodeIPs = new Map<string, string>();
  const pods = new Map<string, { node: string; ip: string }>();
  for (const node of topology.nodes.filter((n) => n.kind === 'k8s-node')) {
    nodeIPs.set(node.name, firstIPv4(node));
    for (const pod of node.pods) {
      if (pods.has(pod.name)) throw new DemoError('demo/layout', `pod name ${pod.name} is used on two nodes; the echo replies could not tell them apart`);
      const ip = pod.addresses.find(isIPv4);
      if (ip === undefined) throw new DemoError('demo/layout', `pod ${node.name}/${pod.name} has no IPv4 address`);
      pods.set(pod.name, { node: node.name, ip });
    }
  }
  if (nodeIPs.size === 0) throw new DemoError('demo/layout', `topology ${topology.name} has no k8s-node`);
  return { routerNode: router.name, clientNode: client.name, clientIPv4: firstIPv4(client), nodeIPs, pods };
}

/** Every process of a running demo, in the order they start (they stop in reverse). */
export function demoProcesses(layout: DemoLayout): { api: DemoProcess; controller: DemoProcess; echoes: DemoProcess[]; proxies: DemoProcess[]; speakers: DemoProcess[] } {
  const node = process.execPath;
  const api: DemoProcess = {
    name: 'apiserver',
    target: undefined,
    argv: [node, programs.distPath('lab', 'apiserver/main.js'), '--listen', API_LISTEN, '--kubeconfig-out', KUBECONFIG, '--crds', CRDS_DIR],
  };
  const controller: DemoProcess = {
    name: 'controller',
    target: undefined,
    argv: [node, programs.distPath('controller', 'main.js'), '--kubeconfig', CONTROLLER_KUBECONFIG, '--identity', 'demo', '--metrics-addr', CONTROLLER_METRICS, '--health-addr', CONTROLLER_HEALTH, '--webhook-addr', CONTROLLER_WEBHOOK],
  };
  const echoes = [...layout.pods].map(([pod, at]) => ({
    name: `echo-${pod}`,
    target: `${at.node}/${pod}`,
    argv: [node, programs.distPath('lab', 'echo/main.js'), '--name', pod, '--port', String(ECHO_PORT)],
  }));
  const proxies = [...layout.nodeIPs].map(([n, ip]) => ({
    name: `kubeproxy-${n}`,
    target: n,
    argv: [node, programs.distPath('lab', 'kubeproxy/main.js'), '--kubeconfig', KUBECONFIG, '--node-name', n, '--node-ip', ip, '--state-file', proxyStateFile(n)],
  }));
  const speakers = [...layout.nodeIPs].map(([n, ip]) => ({
    name: `speaker-${n}`,
    target: n,
    argv: [node, programs.distPath('speaker', 'main.js'), '--kubeconfig', SPEAKER_KUBECONFIG, '--node-name', n, '--node-ip', ip],
  }));
  return { api, controller, echoes, proxies, speakers };
}
