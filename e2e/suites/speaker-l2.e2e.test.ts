// headland-speaker in L2 mode on a flat segment (l2-flat: 3 nodes, a client, a gateway on one
// bridge). NEEDS ROOT and kubectl; run under the k8s-lab lock. The client ARPs for Service IPs
// (on-link for it); the elected node's speaker answers with its MAC over a packet socket.
import { lab } from '@headland/e2e';
import { KUBECTL } from '../src/programs/index.js';
import { SpeakerLab, type Json } from '../src/speaker-lab.js';
import { openConnections } from '../src/traffic/open.js';

const { waitFor } = lab;

const isRoot = process.getuid?.() === 0;
const describeRoot = isRoot && KUBECTL !== undefined ? describe : describe.skip;
if (!isRoot) console.warn('speaker-l2.e2e: skipped, it needs root (it builds the l2-flat lab with ip netns, veths and a bridge)');
else if (KUBECTL === undefined) console.warn('speaker-l2.e2e: skipped, kubectl is not installed');

const TOPOLOGY = new URL('../topologies/l2-flat/l2-flat.clab.yml', import.meta.url).pathname;
const LAB = 'l2-flat';
const CLIENT_IP = '198.18.10.100';
const NODE_IPS: Record<string, string> = { node1: '198.18.10.11', node2: '198.18.10.12', node3: '198.18.10.13' };
const NODES = Object.keys(NODE_IPS);
const PODS = {
  'node1-pod-a': { target: 'node1/pod-a', node: 'node1', ips: ['198.18.111.2'] },
  'node2-pod-a': { target: 'node2/pod-a', node: 'node2', ips: ['198.18.112.2'] },
  'node2-pod-b': { target: 'node2/pod-b', node: 'node2', ips: ['198.18.112.3'] },
  'node3-pod-a': { target: 'node3/pod-a', node: 'node3', ips: ['198.18.113.2'] },
} as const;
type PodName = keyof typeof PODS;

const CONFIG = `
apiVersion: v1
kind: Secret
metadata: { name: headland-memberlist, namespace: headland-system }
stringData: { secretkey: l2-flat-lab-membership-key-0123456789 }
---
apiVersion: headland.io/v1beta1
kind: IPAddressPool
metadata: { name: lan, namespace: headland-system }
spec: { addresses: [203.0.113.0/26] }
---
apiVersion: headland.io/v1beta1
kind: L2Advertisement
metadata: { name: lan, namespace: headland-system }
spec: { ipAddressPools: [lan] }
`;

describeRoot('headland-speaker in L2 mode on a flat segment (root)', () => {
  const bench = new SpeakerLab({
    topology: TOPOLOGY,
    lab: LAB,
    nodes: Object.fromEntries(Object.entries(NODE_IPS).map(([n, ip]) => [n, [ip]])),
    pods: PODS,
    config: CONFIG,
    nodeStatus: true,
  });
  const speakers = bench.speakers;
  const slice = (svc: string, pods: readonly PodName[]): string => bench.slice(svc, pods);
  const macs = new Map<string, string>();
  const l = () => bench.l!;

  /** Nodes whose speaker says (in its last word on the IP) that it answers for ip. */
  function ownersFromLogs(ip: string): string[] {
    const out: string[] = [];
    for (const [node, p] of speakers) {
      let owns = false;
      for (const line of p.logs) {
        if (line['msg'] !== 'L2 ownership changed') continue;
        if ((line['gained'] as string[]).includes(ip)) owns = true;
        if ((line['lost'] as string[]).includes(ip)) owns = false;
      }
      if (owns) out.push(node);
    }
    return out.sort();
  }
  const ownerOf = (ip: string, among: readonly string[] = NODES) =>
    waitFor(async () => ownersFromLogs(ip).filter((n) => speakers.has(n)), (o) => o.length === 1 && among.includes(o[0]!), { timeoutMs: 15_000, what: `one owner of ${ip} among ${among.join(', ')}` }).then((o) => o[0]!);

  /** The MAC arping on the client gets for ip (one request, 500 ms). */
  async function arping(ip: string): Promise<string> {
    const out = await l().exec('client', ['arping', '-c', '1', '-w', '1', '-r', '-i', 'eth1', ip]).catch((e: unknown) => String(e));
    return out.trim().toLowerCase();
  }
  async function neighbour(ip: string): Promise<string | undefined> {
    const list = JSON.parse(await l().exec('client', ['ip', '-j', 'neigh', 'show', 'to', ip, 'dev', 'eth1'])) as { lladdr?: string; state?: string[] }[];
    return list[0]?.lladdr?.toLowerCase();
  }
  const once = async (ip: string): Promise<boolean> =>
    (await openConnections({ netns: l().namespace('client'), target: `${ip}:80`, count: 1, concurrency: 1, timeoutMs: 150 }).catch(() => undefined))?.ok === 1;

  beforeAll(async () => {
    await bench.start();
    for (const node of NODES) {
      const link = JSON.parse(await l().exec(node, ['ip', '-j', 'link', 'show', 'eth1'])) as { address: string }[];
      macs.set(node, link[0]!.address.toLowerCase());
    }
  }, 120_000);

  afterAll(async () => {
    await bench.stop();
  }, 60_000);

  test('Cluster service: arping and ip neigh on the client give the elected node\'s MAC; connections reach the pods', async () => {
    await bench.apply(`${bench.service('cluster', 'Cluster')}---\n${slice('cluster', ['node1-pod-a', 'node3-pod-a'])}`);
    const [ip] = await bench.ingressOf('cluster');
    const owner = await ownerOf(ip!);
    const mac = await waitFor(() => arping(ip!), (m) => m === macs.get(owner), { timeoutMs: 5_000, intervalMs: 100, what: `arping ${ip} -> ${owner}'s MAC` });
    expect(mac).toBe(macs.get(owner));
    const s = await bench.traffic(ip!, 200);
    expect(s.failures).toEqual({});
    expect(Object.keys(s.perPod).sort()).toEqual(['node1-pod-a', 'node3-pod-a']);
    expect(await neighbour(ip!)).toBe(macs.get(owner));
    // Exactly one speaker answers: the others' counters show no replies for it.
    expect(ownersFromLogs(ip!)).toEqual([owner]);
  }, 60_000);

  test('Local service: only a node with a local pod is elected; the client\'s address reaches the pod', async () => {
    await bench.apply(`${bench.service('local', 'Local')}---\n${slice('local', ['node2-pod-a', 'node2-pod-b'])}`);
    const [ip] = await bench.ingressOf('local');
    expect(await ownerOf(ip!, ['node2'])).toBe('node2');
    await waitFor(() => arping(ip!), (m) => m === macs.get('node2'), { timeoutMs: 5_000, intervalMs: 100, what: `arping ${ip} -> node2's MAC` });
    const s = await bench.traffic(ip!, 100);
    expect(s.failures).toEqual({});
    expect(Object.keys(s.clientsByPod).sort()).toEqual(['node2-pod-a', 'node2-pod-b']);
    for (const clients of Object.values(s.clientsByPod)) expect(clients).toEqual([CLIENT_IP]);

    // The pods move to node3: the IP follows.
    await bench.apply(slice('local', ['node3-pod-a']));
    await waitFor(async () => ownersFromLogs(ip!), (o) => o.length === 1 && o[0] === 'node3', { timeoutMs: 10_000, what: `${ip} owned by node3` });
    await waitFor(() => arping(ip!), (m) => m === macs.get('node3'), { timeoutMs: 5_000, intervalMs: 100, what: `arping ${ip} -> node3's MAC` });
    const after = await bench.traffic(ip!, 50);
    expect(after.failures).toEqual({});
    expect(Object.keys(after.perPod)).toEqual(['node3-pod-a']);
  }, 60_000);

  test('SIGKILL of the owning speaker: another node takes the IP over and traffic resumes (gap printed)', async () => {
    const [ip] = await bench.ingressOf('cluster');
    const owner = await ownerOf(ip!);
    expect(await once(ip!)).toBe(true);
    const killed = Date.now();
    await speakers.get(owner)!.stop('SIGKILL');
    speakers.delete(owner);
    let firstOk = 0;
    let failed = 0;
    while (Date.now() - killed < 15_000) {
      if (await once(ip!)) {
        firstOk = Date.now();
        break;
      }
      failed++;
    }
    expect(firstOk).toBeGreaterThan(0);
    const gapMs = firstOk - killed;
    console.log(JSON.stringify({ figure: 'l2 failover gap after SIGKILL (client probes, ~150 ms resolution)', ip, from: owner, gapMs, failedProbes: failed }));
    const next = await ownerOf(ip!, NODES.filter((n) => n !== owner));
    expect(await neighbour(ip!)).toBe(macs.get(next));
    const s = await bench.traffic(ip!, 100);
    expect(s.failures).toEqual({});
    // The speaker comes back for the next tests.
    bench.startSpeaker(owner);
    await speakers.get(owner)!.waitForLog((x) => x['msg'] === 'first flush done; ready', 20_000, 'ready');
  }, 60_000);

  test('30 IPs over 3 nodes: every IP has one owner and no node has more than ceil(30/3)+1', async () => {
    const names = Array.from({ length: 30 }, (_, i) => `many-${i}`);
    await bench.apply(names.map((n) => `${bench.service(n, 'Cluster')}---\n${slice(n, ['node1-pod-a'])}`).join('\n---\n'));
    const ips = await Promise.all(names.map(async (n) => (await bench.ingressOf(n))[0]!));
    // Every speaker must have settled on the same view: each IP has exactly one owner.
    const owners = await waitFor(
      async () => ips.map((ip) => ownersFromLogs(ip).filter((n) => speakers.has(n))),
      (o) => o.every((x) => x.length === 1),
      { timeoutMs: 20_000, what: 'one owner per IP' },
    );
    const loads: Record<string, number> = {};
    for (const [o] of owners) loads[o!] = (loads[o!] ?? 0) + 1;
    console.log(JSON.stringify({ figure: 'l2 ownership of 30 cluster IPs (plus the earlier services)', loads }));
    for (const n of Object.values(loads)) expect(n).toBeLessThanOrEqual(Math.ceil(30 / 3) + 1);
    // The client resolves a sample of them to their owners.
    for (const i of [0, 9, 19, 29]) {
      await waitFor(() => arping(ips[i]!), (m) => m === macs.get(owners[i]![0]!), { timeoutMs: 5_000, intervalMs: 100, what: `arping ${ips[i]}` });
    }
    await bench.kubectl(['delete', 'service', '-n', 'shop', ...names]);
  }, 120_000);

  test('SIGTERM of the owning speaker hands over: the new owner announces before the old one stops answering', async () => {
    const [ip] = await bench.ingressOf('cluster');
    const owner = await ownerOf(ip!);
    const program = speakers.get(owner)!;
    const stopping = program.stop('SIGTERM', 10_000);
    let failed = 0;
    let ok = 0;
    const started = Date.now();
    let exited = false;
    void stopping.then(() => {
      exited = true;
    });
    while (!exited || Date.now() - started < 1_000) {
      if (await once(ip!)) ok++;
      else failed++;
      if (Date.now() - started > 15_000) break;
    }
    speakers.delete(owner);
    const next = await ownerOf(ip!, NODES.filter((n) => n !== owner));
    console.log(JSON.stringify({ figure: 'l2 SIGTERM hand-over (client probes)', ip, from: owner, to: next, ok, failed, ms: Date.now() - started }));
    expect(failed).toBe(0);
    expect(await neighbour(ip!)).toBe(macs.get(next));
    bench.startSpeaker(owner);
    await speakers.get(owner)!.waitForLog((x) => x['msg'] === 'first flush done; ready', 20_000, 'ready');
  }, 60_000);

  test('no speaker logged an error', () => {
    expect(bench.speakerErrors() as Json[]).toEqual([]);
  });
});
