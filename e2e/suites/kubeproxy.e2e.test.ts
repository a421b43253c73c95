// The kube-proxy stand-in on a real data plane. NEEDS ROOT (it brings up the frr-tor lab:
// network namespaces, veths, FRR); without root the suite is skipped with a message.
// headland-apiserver runs in-process on the lab's mgmt address; nodes 1 and 2 run the stand-in
// in-process, node 3 runs it as a program inside its namespace; echo pods on node1 and node2;
// the ToR routes 203.0.113.10/32 to node1 and node2 by a static ECMP route set by hand.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoreV1Api, DiscoveryV1Api, KubeConfig, type V1EndpointSlice, type V1Service } from '@kubernetes/client-node';
import { lab } from '@headland/lab';
import { ApiServer, writeKubeconfig } from '@headland/lab/apiserver';
import { runNft, startKubeProxy, type KubeProxy, type LogEntry } from '@headland/lab/kubeproxy';
import { compiledScript, openConnections } from '@headland/lab/traffic';

const { startLab, downLab, waitFor, frrVtysh, nodeFib, findRoute } = lab;

const isRoot = process.getuid?.() === 0;
const describeRoot = isRoot ? describe : describe.skip;
if (!isRoot) console.warn('kubeproxy.e2e: skipped, it needs root (it builds the frr-tor lab with ip netns, veths and FRR)');

const TOPOLOGY = new URL('../../lab/topologies/frr-tor/frr-tor.clab.yml', import.meta.url).pathname;
const LB_IP = '203.0.113.10';
const CLIENT_IP = '198.18.1.2';
const NODE_IPS: Record<string, string> = { node1: '198.18.0.11', node2: '198.18.0.12', node3: '198.18.0.13' };
/** Pod name as the echo server reports it -> its address (from the topology file). */
const PODS = { 'node1-pod-a': { target: 'node1/pod-a', node: 'node1', ip: '198.18.101.2' }, 'node2-pod-a': { target: 'node2/pod-a', node: 'node2', ip: '198.18.102.2' } } as const;
const TABLE_GONE = /No such file or directory|does not exist/;

describeRoot('kube-proxy stand-in on the frr-tor lab (root)', () => {
  let l: lab.Lab | undefined;
  let server: ApiServer | undefined;
  let dir: string | undefined;
  let core: CoreV1Api;
  let discovery: DiscoveryV1Api;
  const proxies: KubeProxy[] = [];
  const logs: LogEntry[] = [];
  let node3: lab.Spawned | undefined;

  const client = () => l!.namespace('client');
  const traffic = (count: number, protocol: 'tcp' | 'udp' = 'tcp') => openConnections({ netns: client(), target: `${LB_IP}:80`, count, concurrency: 16, timeoutMs: 1500, protocol });
  const nodeTable = async (node: string) => runNft(l!.namespace(node), ['list', 'table', 'inet', 'headland_kubeproxy']);

  /** Polls the kernel tables of node1 and node2 until accept holds for both; returns the milliseconds it took. */
  async function untilTables(what: string, accept: (table: string) => boolean, timeoutMs = 5000): Promise<number> {
    const start = Date.now();
    await waitFor(async () => Promise.all(['node1', 'node2'].map(nodeTable)), (ts) => ts.every(accept), { timeoutMs, intervalMs: 20, what });
    return Date.now() - start;
  }

  async function updateSlice(change: (s: V1EndpointSlice) => void): Promise<void> {
    const current = await discovery.readNamespacedEndpointSlice({ name: 'web-1', namespace: 'default' });
    change(current);
    await discovery.replaceNamespacedEndpointSlice({ name: 'web-1', namespace: 'default', body: current });
  }

  async function setPolicy(policy: 'Local' | 'Cluster'): Promise<void> {
    const current = await core.readNamespacedService({ name: 'web', namespace: 'default' });
    current.spec!.externalTrafficPolicy = policy;
    await core.replaceNamespacedService({ name: 'web', namespace: 'default', body: current });
  }

  const endpoint = (pod: keyof typeof PODS, ready = true) => ({ addresses: [PODS[pod].ip], nodeName: PODS[pod].node, conditions: { ready, serving: ready, terminating: false } });

  beforeAll(async () => {
    await downLab('frr-tor'); // leftovers of a crashed run
    l = await startLab(TOPOLOGY);
    dir = mkdtempSync(join(tmpdir(), 'hl-kubeproxy-'));
    server = new ApiServer();
    // The mgmt bridge address: reachable from the test process and from node namespaces alike.
    const addr = await server.listen('198.19.255.1', 0);
    const kubeconfig = join(dir, 'kubeconfig');
    await writeKubeconfig(kubeconfig, `http://198.19.255.1:${addr.port}`);
    const kc = new KubeConfig();
    kc.loadFromFile(kubeconfig);
    core = kc.makeApiClient(CoreV1Api);
    discovery = kc.makeApiClient(DiscoveryV1Api);

    const echoMain = compiledScript(new URL('../../lab/src/echo/main.ts', import.meta.url).href, 'main.js');
    for (const [name, pod] of Object.entries(PODS)) await l.spawn(pod.target, [process.execPath, echoMain, '--name', name, '--port', '8080']);
    for (const pod of Object.values(PODS)) {
      await waitFor(() => l!.exec(pod.target, ['ss', '-Hltn', 'sport = :8080']), (out) => out.includes('8080'), { timeoutMs: 10_000, what: `echo in ${pod.target}` });
    }

    for (const node of ['node1', 'node2']) {
      proxies.push(await startKubeProxy({ kubeconfig: kc, nodeName: node, nodeIPs: [NODE_IPS[node]!], netns: l.namespace(node), log: (e) => logs.push({ ...e, node }) }));
    }
    const proxyMain = compiledScript(new URL('../../lab/src/kubeproxy/main.ts', import.meta.url).href, 'main.js');
    node3 = await l.spawn('node3', [process.execPath, proxyMain, '--kubeconfig', kubeconfig, '--node-name', 'node3', '--node-ip', NODE_IPS['node3']!]);

    await core.createNamespacedService({
      namespace: 'default',
      body: { metadata: { name: 'web' }, spec: { type: 'LoadBalancer', externalTrafficPolicy: 'Local', ports: [{ name: 'http', protocol: 'TCP', port: 80, targetPort: 8080 }, { name: 'echo-udp', protocol: 'UDP', port: 80, targetPort: 8080 }] } },
    });
    const created = await core.readNamespacedService({ name: 'web', namespace: 'default' });
    created.status = { loadBalancer: { ingress: [{ ip: LB_IP }] } };
    await core.replaceNamespacedServiceStatus({ name: 'web', namespace: 'default', body: created });
    await discovery.createNamespacedEndpointSlice({
      namespace: 'default',
      body: {
        metadata: { name: 'web-1', labels: { 'kubernetes.io/service-name': 'web' } },
        addressType: 'IPv4',
        ports: [{ name: 'http', protocol: 'TCP', port: 8080 }, { name: 'echo-udp', protocol: 'UDP', port: 8080 }],
        endpoints: [endpoint('node1-pod-a'), endpoint('node2-pod-a')],
      },
    });

    await l.exec('tor', frrVtysh(l.name, 'tor', 'conf t', `ip route ${LB_IP}/32 ${NODE_IPS['node1']}`, `ip route ${LB_IP}/32 ${NODE_IPS['node2']}`));
    await waitFor(() => nodeFib(l!.name, 'tor', 4), (fib) => (findRoute(fib, `${LB_IP}/32`)?.paths[0]?.nexthops.length ?? 0) === 2, { timeoutMs: 10_000, what: `two nexthops for ${LB_IP} in the ToR's FIB` });
    await Promise.all(proxies.map((p) => p.ready));
  }, 90_000);

  afterAll(async () => {
    for (const p of proxies) await p.stop().catch(() => undefined);
    await node3?.stop().catch(() => undefined);
    await server?.close().catch(() => undefined);
    await l?.down().catch(() => undefined);
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  test('Local: traffic reaches the pods on both nodes and every pod sees the client\'s own address', async () => {
    await untilTables('Local rules without SNAT', (t) => t.includes('dnat ip to 198.18.10') && !t.includes('meta mark set'));
    const s = await traffic(200);
    expect(s.failures).toEqual({});
    expect(Object.keys(s.perPod).sort()).toEqual(['node1-pod-a', 'node2-pod-a']);
    expect(s.clientsByPod).toEqual({ 'node1-pod-a': [CLIENT_IP], 'node2-pod-a': [CLIENT_IP] });
  });

  test('Local over UDP: the same service port number, its own rule, the client address kept', async () => {
    const s = await traffic(100, 'udp');
    expect(s.failures).toEqual({});
    expect(s.clientsByPod).toEqual({ 'node1-pod-a': [CLIENT_IP], 'node2-pod-a': [CLIENT_IP] });
  });

  test('the stand-in program on node3 programs its table (drop: no local pod) from the API over the mgmt network', async () => {
    await waitFor(() => nodeTable('node3'), (t) => t.includes(`ip daddr ${LB_IP} tcp dport 80 drop`), { timeoutMs: 10_000, what: 'node3 drop rule' });
    // The line is written after the ruleset is in: the table can be seen before the file has it.
    const applied = (lines: LogEntry[]) => lines.some((e) => e.msg === 'applied ruleset' && e['component'] === 'headland-kubeproxy');
    const logLines = () => readFileSync(node3!.logFile, 'utf8').split('\n').filter((line) => line.trim() !== '').flatMap((line) => {
      try {
        return [JSON.parse(line) as LogEntry];
      } catch {
        return []; // a line still being written
      }
    });
    expect(applied(await waitFor(async () => logLines(), applied, { timeoutMs: 5_000, what: 'node3\'s "applied ruleset" log line' }))).toBe(true);
  });

  test('Cluster: pods see a node address instead of the client\'s', async () => {
    await setPolicy('Cluster');
    await untilTables('Cluster rules with SNAT', (t) => t.includes('meta mark set') && t.includes('198.18.101.2') && t.includes('198.18.102.2'));
    const s = await traffic(200);
    expect(s.failures).toEqual({});
    expect(Object.keys(s.perPod).sort()).toEqual(['node1-pod-a', 'node2-pod-a']);
    // Each node forwards to both pods, SNATed to itself: every pod sees both node addresses and
    // never the client (a pod/node pair is missed by 200 connections with odds of 0.75^200).
    expect(s.clientsByPod).toEqual({ 'node1-pod-a': [NODE_IPS['node1'], NODE_IPS['node2']], 'node2-pod-a': [NODE_IPS['node1'], NODE_IPS['node2']] });
  });

  test('an endpoint marked not ready stops getting traffic within a second', async () => {
    await updateSlice((s) => (s.endpoints = [endpoint('node1-pod-a'), endpoint('node2-pod-a', false)]));
    const took = await untilTables('node2-pod-a gone from both nodes', (t) => !t.includes('198.18.102.2') && t.includes('198.18.101.2'));
    expect(took).toBeLessThan(1000);
    const s = await traffic(100);
    expect(s.perPod).toEqual({ 'node1-pod-a': 100 });
    // Ready again: both pods are back.
    await updateSlice((s) => (s.endpoints = [endpoint('node1-pod-a'), endpoint('node2-pod-a')]));
    await untilTables('node2-pod-a back', (t) => t.includes('198.18.102.2'));
  });

  test('a removed endpoint stops getting traffic within a second', async () => {
    await updateSlice((s) => (s.endpoints = [endpoint('node2-pod-a')]));
    const took = await untilTables('node1-pod-a gone from both nodes', (t) => !t.includes('198.18.101.2') && t.includes('198.18.102.2'));
    expect(took).toBeLessThan(1000);
    const s = await traffic(100);
    expect(s.perPod).toEqual({ 'node2-pod-a': 100 });
  });

  test('stopping removes the tables: the program on SIGTERM, the in-process ones on stop()', async () => {
    await node3!.stop();
    await expect(nodeTable('node3')).rejects.toThrow(TABLE_GONE);
    const log = readFileSync(node3!.logFile, 'utf8');
    expect(log).toContain('"msg":"removed table"');
    node3 = undefined;
    for (const p of proxies.splice(0)) await p.stop();
    for (const node of ['node1', 'node2']) await expect(nodeTable(node)).rejects.toThrow(TABLE_GONE);
    expect(logs.filter((e) => e.level === 'error')).toEqual([]);
  });
});
