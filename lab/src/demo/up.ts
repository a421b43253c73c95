// `headland-lab demo` (up): builds the demo lab and starts every program in it, applies the example
// and two Services, reads back what happened (kubectl, FRR, client traffic) and leaves it all running.
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { kubeproxy, lab, programs, traffic } from '../index.js';
import { announcementsOf, expectedShares, podSharesOf, podsByService, servicesOf, type Announcement, type ServiceFacts } from './facts.js';
import {
  API_LISTEN, DEMO_DIR, DemoError, EXAMPLE_FILE, KUBECONFIG, LAB, LOG_DIR, STATE_FILE, TOPOLOGY_FILE, WORKLOADS_FILE,
  demoProcesses, layoutOf, proxyStateFile, type DemoLayout, type DemoProcess,
} from './layout.js';
import { isRunning, readPidFiles, startDetached, waitForLog } from './procs.js';
import { describeService, type ServiceReport } from './report.js';
import type { StepRunner } from './steps.js';

/** Connections per Service: enough that each pod's share is within a point or two of its weight. */
export const CONNECTIONS = 4000;
const WORKLOAD_NAMESPACE = 'demo';

export interface DemoState {
  readonly startedAt: string;
  readonly kubeconfig: string;
  readonly services: readonly { readonly key: string; readonly policy: 'Cluster' | 'Local'; readonly ips: readonly string[] }[];
}

/** What is there of a demo now: nothing, a running one, or leftovers of a broken one. */
export async function demoState(): Promise<{ kind: 'none' } | { kind: 'up'; state: DemoState } | { kind: 'leftovers'; what: string[] }> {
  const namespaces = listNetns().filter((ns) => ns.startsWith(lab.naming.namespacePrefix(LAB)));
  const records = readPidFiles();
  const running = records.filter(isRunning);
  const state = readState();
  if (namespaces.length === 0 && running.length === 0 && state === undefined) return { kind: 'none' };
  if (namespaces.length > 0 && records.length > 0 && running.length === records.length && state !== undefined) return { kind: 'up', state };
  const what = [
    ...(namespaces.length > 0 ? [`${namespaces.length} lab namespaces`] : []),
    ...(running.length > 0 ? [`${running.length} of ${records.length} demo processes running`] : records.length > 0 ? [`${records.length} stale pid files`] : []),
    ...(state === undefined ? [] : [`a state file (${STATE_FILE})`]),
  ];
  return { kind: 'leftovers', what };
}

/** Network namespaces by name: `ip netns add` creates /run/netns/NAME (the lab runner reads the same). */
function listNetns(): string[] {
  try {
    return readdirSync('/run/netns');
  } catch {
    return [];
  }
}

export function readState(): DemoState | undefined {
  try {
    const v = JSON.parse(readFileSync(STATE_FILE, 'utf8')) as DemoState;
    return typeof v.kubeconfig === 'string' && Array.isArray(v.services) ? v : undefined;
  } catch {
    return undefined;
  }
}

/** What the user needs before anything is built; a DemoError says what is missing and how to get it. */
export function checkPrerequisites(): void {
  if (process.getuid?.() !== 0) throw new DemoError('demo/up', 'the demo needs root (it builds network namespaces and starts FRR); run it as root');
  if (programs.KUBECTL === undefined) throw new DemoError('demo/up', 'kubectl is not installed; run `bash scripts/setup.sh`');
  for (const [path, what] of [['/usr/lib/frr/bgpd', 'FRR'], ['/usr/sbin/nft', 'nftables']] as const) {
    if (!existsSync(path)) throw new DemoError('demo/up', `${what} is not installed (no ${path}); run \`bash scripts/setup.sh\``);
  }
  for (const pkg of ['lab/apiserver/main.js', 'lab/echo/main.js', 'lab/kubeproxy/main.js', 'lab/traffic/client.js', 'controller/main.js', 'speaker/main.js']) {
    const [dir, ...rest] = pkg.split('/');
    const path = programs.distPath(dir!, rest.join('/'));
    if (!existsSync(path)) throw new DemoError('demo/up', `${path} is missing; run \`npm run build\``);
  }
}

const kubectl = (args: string[], stdin?: string): Promise<string> => programs.kubectl(KUBECONFIG, args, stdin);
const getJson = async (args: string[]): Promise<unknown> => JSON.parse(await kubectl(['get', ...args, '-o', 'json'])) as unknown;

/** Namespace headland-system and a Node object per k8s-node (no kubelet here registers them). */
export function clusterObjects(layout: DemoLayout): string {
  const nodes = [...layout.nodeIPs].map(
    ([name, ip]) => `apiVersion: v1\nkind: Node\nmetadata: { name: ${name}, labels: { kubernetes.io/hostname: ${name} } }\nstatus: { addresses: [{ type: InternalIP, address: ${ip} }] }\n`,
  );
  return ['apiVersion: v1\nkind: Namespace\nmetadata: { name: headland-system }\n', ...nodes].join('---\n');
}

/** Reads the router's view of ip until two reads in a row agree and every expected node is there. */
async function settledAnnouncements(layout: DemoLayout, ip: string, want: { nodes: readonly string[]; weighted: boolean }): Promise<Announcement[]> {
  let previous = '';
  return lab.waitFor(
    async () => {
      const route = lab.findRoute(lab.parseFrrRoutes(await lab.run(lab.frrVtysh(LAB, layout.routerNode, `show ip route ${ip}/32 json`))), `${ip}/32`);
      const bgp = lab.parseFrrBgpPrefix(await lab.run(lab.frrVtysh(LAB, layout.routerNode, `show bgp ipv4 unicast ${ip}/32 json`)));
      return announcementsOf(route, bgp, layout);
    },
    (a) => {
      const key = JSON.stringify(a);
      const stable = key === previous;
      previous = key;
      const nodesOk = a.map((x) => x.node).join() === [...want.nodes].sort().join();
      // A weighted route counts once every path carries the community: FRR weights only then.
      return stable && nodesOk && (!want.weighted || a.every((x) => x.linkBandwidth !== undefined));
    },
    { timeoutMs: 20_000, intervalMs: 250, what: `FRR's route to ${ip} via ${want.nodes.join(', ')}` },
  );
}

export interface UpResult {
  readonly reports: readonly ServiceReport[];
  readonly state: DemoState;
}

/** Every step of bringing the demo up; on a failure the caller takes down what was started. */
export async function up(steps: StepRunner): Promise<UpResult> {
  await steps.run('checking root, kubectl, FRR, nftables and the build', async () => checkPrerequisites());
  const topology = lab.parseTopology(readFileSync(TOPOLOGY_FILE, 'utf8'), TOPOLOGY_FILE);
  const layout = layoutOf(topology);
  const procs = demoProcesses(layout);
  mkdirSync(DEMO_DIR, { recursive: true });
  mkdirSync(LOG_DIR, { recursive: true });

  const running = await steps.run(
    `building lab ${LAB}: FRR router, ${layout.nodeIPs.size} nodes, ${layout.pods.size} pods, a client`,
    () => lab.startLab(TOPOLOGY_FILE),
  );
  const start = (p: DemoProcess): number => startDetached(p, (target) => running.namespace(target));

  await steps.run(`starting headland-apiserver on ${API_LISTEN} (TLS, RBAC) with Headland's CRDs`, async () => {
    start(procs.api);
    await waitForLog(procs.api, (l) => l['msg'] === 'listening', 15_000, '"listening" line');
    await kubectl(['apply', '-f', '-'], clusterObjects(layout));
  });
  await steps.run('applying manifests/rbac; the controller and speakers get their ServiceAccounts\' tokens', async () => {
    await programs.applyRbacManifests(KUBECONFIG);
    for (const account of [programs.CONTROLLER_ACCOUNT, programs.SPEAKER_ACCOUNT]) await programs.serviceAccountKubeconfig(KUBECONFIG, DEMO_DIR, programs.HEADLAND_NAMESPACE, account);
  });
  await steps.run('starting headland-controller', async () => {
    start(procs.controller);
    await waitForLog(procs.controller, (l) => l['msg'] === 'leading', 15_000, '"leading" line');
  });
  await steps.run(`starting echo servers in ${layout.pods.size} pods and the kube-proxy stand-in on ${procs.proxies.length} nodes`, async () => {
    for (const p of [...procs.echoes, ...procs.proxies]) start(p);
    await Promise.all([
      ...procs.echoes.map((p) => waitForLog(p, (l) => l['msg'] === 'listening', 10_000, '"listening" line')),
      ...procs.proxies.map((p) => waitForLog(p, (l) => l['msg'] === 'applied ruleset', 15_000, 'first "applied ruleset" line')),
    ]);
  });
  await steps.run(`starting headland-speaker on ${[...layout.nodeIPs.keys()].join(', ')}`, async () => {
    for (const p of procs.speakers) start(p);
    await Promise.all(procs.speakers.map((p) => waitForLog(p, (l) => l['msg'] === 'first flush done; ready', 20_000, 'ready line')));
  });

  const relativeToRepo = (f: string): string => relative(programs.REPO_ROOT, f);
  await steps.run(`applying the example pool, BGP peer and advertisement (${relativeToRepo(EXAMPLE_FILE)})`, async () => {
    await kubectl(['apply', '-f', EXAMPLE_FILE]);
  });
  await steps.run(`BGP sessions from ${layout.nodeIPs.size} nodes to the router`, async () => {
    await lab.waitEstablished(LAB, layout.routerNode, 'frr', { peers: [...layout.nodeIPs.values()] }, 30_000);
  });
  await steps.run(`applying a Local and a Cluster Service with their endpoints (${relativeToRepo(WORKLOADS_FILE)})`, async () => {
    await kubectl(['apply', '-f', WORKLOADS_FILE]);
  });

  const services = await steps.run(
    'waiting for the controller to assign IPs',
    () =>
      lab.waitFor(async () => servicesOf(await getJson(['services', '-n', WORKLOAD_NAMESPACE])), (s) => s.length > 0 && s.every((x) => x.ips.length > 0), {
        timeoutMs: 15_000,
        what: `an IP on every LoadBalancer Service in namespace ${WORKLOAD_NAMESPACE}`,
      }),
    (s) => s.map((x) => `${x.key} ${x.ips.join(', ')}`).join(', '),
  ).then((s) => [...s].sort((a, b) => (a.policy === b.policy ? a.key.localeCompare(b.key) : a.policy === 'Local' ? -1 : 1)));
  const pods = podsByService(await getJson(['endpointslices', '-n', WORKLOAD_NAMESPACE]), layout);
  const podsOf = (s: ServiceFacts): string[] => pods.get(s.key) ?? [];

  const announced = await steps.run(
    'waiting for the router to install a route to each IP',
    () =>
      Promise.all(
        services.map((s) => {
          // Cluster: every node announces; Local: exactly the nodes holding a pod.
          const nodes = s.policy === 'Cluster' ? [...layout.nodeIPs.keys()] : [...new Set(podsOf(s).map((p) => layout.pods.get(p)!.node))];
          return settledAnnouncements(layout, s.ips[0]!, { nodes, weighted: s.policy === 'Local' });
        }),
      ),
    (a) => a.map((x, i) => `${services[i]!.key.split('/')[1]} via ${x.length} nodes`).join(', '),
  );
  // The speakers announce as soon as they see the Services; a node's kube-proxy can be later.
  await steps.run(`waiting for the kube-proxy stand-in on ${layout.nodeIPs.size} nodes to have the Services in`, () =>
    lab.waitFor(
      async () => {
        const items = ((await getJson(['services,endpointslices', '--all-namespaces'])) as { items?: unknown[] }).items ?? [];
        return kubeproxy.laggingNodes(items, Object.fromEntries([...layout.nodeIPs].map(([n, ip]) => [n, [ip]])), (n) => kubeproxy.readStateFile(proxyStateFile(n)));
      },
      (lagging) => lagging.length === 0,
      { timeoutMs: 15_000, intervalMs: 100, what: "every node's kube-proxy stand-in to apply the Services and EndpointSlices" },
    ),
  );

  const reports: ServiceReport[] = [];
  for (const [i, s] of services.entries()) {
    const ip = s.ips[0]!;
    const summary = await steps.run(
      `opening ${CONNECTIONS.toLocaleString('en-US')} connections from the client to ${s.key} (${ip}:80)`,
      () => traffic.openConnections({ netns: running.namespace(layout.clientNode), target: `${ip}:80`, count: CONNECTIONS, concurrency: 16, timeoutMs: 2000 }),
      (r) => `${r.ok.toLocaleString('en-US')} answered`,
    );
    const expected = expectedShares(s.policy, podsOf(s), announced[i]!, layout);
    reports.push({ service: s, pods: podsOf(s), announcements: announced[i]!, summary, shares: podSharesOf(summary, expected, layout) });
  }
  const state: DemoState = { startedAt: new Date().toISOString(), kubeconfig: KUBECONFIG, services: services.map((s) => ({ key: s.key, policy: s.policy, ips: s.ips })) };
  writeFileSync(STATE_FILE, `${JSON.stringify(state, null, 2)}\n`);
  return { reports, state };
}

export function reportLines(reports: readonly ServiceReport[]): string[] {
  const topology = lab.parseTopology(readFileSync(TOPOLOGY_FILE, 'utf8'), TOPOLOGY_FILE);
  const layout = layoutOf(topology);
  return reports.flatMap((r) => ['', ...describeService(r, layout)]);
}
