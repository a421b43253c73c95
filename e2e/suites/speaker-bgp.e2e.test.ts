// headland-speaker in BGP mode on a real router. NEEDS ROOT (it brings up the speaker-bgp lab:
// network namespaces, veths, FRR as the ToR); without root the suite is skipped with a message.
// headland-apiserver and headland-controller run as processes on the host (the API on the lab's
// mgmt address); each node namespace runs the kube-proxy stand-in and a headland-speaker; echo
// "pods" answer on 8080 (SpeakerLab sets all that up). Traffic comes from the client behind the ToR.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { figure, lab } from '@headland/lab';
import { kubectl, KUBECTL, REPO_ROOT } from '@headland/lab/programs';
import { SpeakerLab, type Json } from '@headland/lab/speaker-lab';

const { waitFor, nodeFib, findRoute, waitEstablished, bgpSessions } = lab;

const isRoot = process.getuid?.() === 0;
const describeRoot = isRoot && KUBECTL !== undefined ? describe : describe.skip;
if (!isRoot) console.warn('speaker-bgp.e2e: skipped, it needs root (it builds the speaker-bgp lab with ip netns, veths and FRR)');
else if (KUBECTL === undefined) console.warn('speaker-bgp.e2e: skipped, kubectl is not installed');

const TOPOLOGY = new URL('../../lab/topologies/speaker-bgp/speaker-bgp.clab.yml', import.meta.url).pathname;
const LAB = 'speaker-bgp';
const CLIENT_IP = '198.18.1.2';
const NODE_IPS: Record<string, string> = { node1: '198.18.0.11', node2: '198.18.0.12', node3: '198.18.0.13' };
const NODES = Object.keys(NODE_IPS);
/** Echo pods: name as the echo server reports it -> lab target, node and address. */
const PODS = {
  'node1-pod-a': { target: 'node1/pod-a', node: 'node1', ips: ['198.18.101.2'] },
  'node2-pod-a': { target: 'node2/pod-a', node: 'node2', ips: ['198.18.102.2'] },
  'node2-pod-b': { target: 'node2/pod-b', node: 'node2', ips: ['198.18.102.3'] },
  'node2-pod-c': { target: 'node2/pod-c', node: 'node2', ips: ['198.18.102.4'] },
  'node3-pod-a': { target: 'node3/pod-a', node: 'node3', ips: ['198.18.103.2'] },
} as const;
type PodName = keyof typeof PODS;

const CONFIG = readFileSync(new URL('../../lab/topologies/speaker-bgp/headland.yaml', import.meta.url), 'utf8');

describeRoot('headland-speaker in BGP mode against FRR (root)', () => {
  const bench = new SpeakerLab({
    topology: TOPOLOGY,
    lab: LAB,
    nodes: Object.fromEntries(Object.entries(NODE_IPS).map(([n, ip]) => [n, [ip]])),
    pods: PODS,
    config: CONFIG,
  });
  const speakers = bench.speakers;
  const kubeconfig = () => bench.kubeconfig;
  const apply = (yaml: string): Promise<string> => bench.apply(yaml);
  const getJson = (args: string[]): Promise<Json> => bench.getJson(args);
  const service = (name: string, policy: 'Cluster' | 'Local'): string => bench.service(name, policy);
  const slice = (svc: string, pods: readonly PodName[]): string => bench.slice(svc, pods);
  const ingressOf = async (name: string): Promise<string> => (await bench.ingressOf(name))[0]!;

  /** The ToR's kernel route to ip: gateway -> weight; {} when there is none. */
  async function torNexthops(ip: string): Promise<Record<string, number>> {
    const route = findRoute(await nodeFib(LAB, 'tor', 4), `${ip}/32`);
    const out: Record<string, number> = {};
    for (const hop of route?.paths[0]?.nexthops ?? []) if (hop.via !== undefined) out[hop.via] = hop.weight ?? 1;
    return out;
  }

  const waitNexthops = (ip: string, accept: (hops: Record<string, number>) => boolean, what: string, timeoutMs = 15_000) =>
    waitFor(() => torNexthops(ip), accept, { timeoutMs, intervalMs: 50, what: `${what} (ToR route to ${ip})` });

  const sameKeys = (hops: Record<string, number>, nodes: readonly string[]): boolean =>
    JSON.stringify(Object.keys(hops).sort()) === JSON.stringify(nodes.map((n) => NODE_IPS[n]).sort());

  const traffic = (ip: string, count: number) => bench.traffic(ip, count);
  const startSpeaker = (node: string) => bench.startSpeaker(node);

  /** The nodes whose SpeakerStatus lists the Service (shop/NAME) among what they announce, sorted. */
  const announcers = async (svc: string): Promise<string[]> =>
    (((await getJson(['speakerstatuses', '-n', 'headland-system']))['items'] ?? []) as Json[])
      .filter((o) => ((o['status']?.['announcedServices'] ?? []) as string[]).includes(`shop/${svc}`))
      .map((o) => String(o['status']['node']))
      .sort();
  /** `headland explain service shop/NAME -o json`, the CLI a user runs. */
  const explain = (svc: string): Json =>
    JSON.parse(execFileSync(process.execPath, [join(REPO_ROOT, 'cli/dist/main.js'), 'explain', 'service', `shop/${svc}`, '-o', 'json', '--kubeconfig', kubeconfig()], { encoding: 'utf8' })) as Json;

  const serviceEvents = async (svc: string): Promise<{ reason: string; message: string }[]> =>
    (await getJson(['events', '-n', 'shop', '--field-selector', `involvedObject.name=${svc}`]))['items'] as { reason: string; message: string }[];

  beforeAll(async () => {
    await bench.start();
    await waitEstablished(LAB, 'tor', 'frr', { peers: Object.values(NODE_IPS) }, 30_000);
  }, 120_000);

  afterAll(async () => {
    await bench.stop();
  }, 60_000);

  test('Cluster service: the /32 at FRR with all 3 nodes as nexthops; the client reaches it and pods see a node address', async () => {
    await apply(`${service('cluster', 'Cluster')}---\n${slice('cluster', ['node1-pod-a', 'node2-pod-a'])}`);
    const ip = await ingressOf('cluster');
    const hops = await waitNexthops(ip, (h) => sameKeys(h, NODES), 'three nexthops');
    // Unweighted: equal weights.
    expect(new Set(Object.values(hops)).size).toBe(1);
    const s = await traffic(ip, 300);
    expect(s.failures).toEqual({});
    expect(Object.keys(s.perPod).sort()).toEqual(['node1-pod-a', 'node2-pod-a']);
    // kube-proxy SNATs for Cluster: pods see node addresses, never the client's.
    for (const clients of Object.values(s.clientsByPod)) for (const c of clients) expect(Object.values(NODE_IPS)).toContain(c);
  }, 60_000);

  test('Local service with pods on 2 of 3 nodes: exactly those 2 nexthops, the client\'s address preserved, status objects and Events; moving a pod moves the nexthop', async () => {
    await apply(`${service('local', 'Local')}---\n${slice('local', ['node1-pod-a', 'node2-pod-a'])}`);
    const ip = await ingressOf('local');
    await waitNexthops(ip, (h) => sameKeys(h, ['node1', 'node2']), 'node1 and node2 only');
    const s = await traffic(ip, 200);
    expect(s.failures).toEqual({});
    expect(s.clientsByPod).toEqual({ 'node1-pod-a': [CLIENT_IP], 'node2-pod-a': [CLIENT_IP] });

    // kubectl shows which nodes announce it, to which peer, with what weight.
    await waitFor(() => announcers('local'), (nodes) => nodes.join() === 'node1,node2', { timeoutMs: 10_000, what: 'node1 and node2 list shop/local in their SpeakerStatus' });
    const why = explain('local');
    expect((why['nodes'] as Json[]).map((n) => [n['node'], n['announces'], n['peers'], n['weight'] ?? null, n['published']])).toEqual([
      ['node1', true, ['tor'], 1, true],
      ['node2', true, ['tor'], 1, true],
      ['node3', false, [], null, false],
    ]);
    expect(why['ips']).toEqual([expect.objectContaining({ ip })]);
    const announcedBy = await waitFor(() => serviceEvents('local'), (ev) => ev.filter((e) => e.reason === 'BGPAnnounced').length === 2, { timeoutMs: 10_000, what: 'BGPAnnounced Events' });
    expect(announcedBy.filter((e) => e.reason === 'BGPAnnounced').map((e) => e.message).sort()).toEqual([
      `node node1 announces ${ip}/32 to tor with weight 1`, `node node2 announces ${ip}/32 to tor with weight 1`,
    ]);

    // The pod on node1 moves to node3.
    const moved = Date.now();
    await apply(slice('local', ['node2-pod-a', 'node3-pod-a']));
    await waitNexthops(ip, (h) => sameKeys(h, ['node2', 'node3']), 'node2 and node3 after the move');
    figure(`speaker-bgp: the nexthop followed the pod in ${Date.now() - moved} ms (kubectl apply included)`);
    await waitFor(() => announcers('local'), (nodes) => nodes.join() === 'node2,node3', { timeoutMs: 10_000, what: 'node2 and node3 list shop/local' });
    const withdrawn = await waitFor(() => serviceEvents('local'), (ev) => ev.some((e) => e.reason === 'BGPWithdrawn'), { timeoutMs: 10_000, what: 'a BGPWithdrawn Event' });
    expect(withdrawn.find((e) => e.reason === 'BGPWithdrawn')?.message).toMatch(/^node node1 stopped announcing: /);
  }, 60_000);

  test('weighted: 1 pod on node1, 3 on node2 -> FRR installs weights 25/75 and each pod gets a quarter of 4,000 connections (+-10%)', async () => {
    await apply(`${service('weighted', 'Local')}---\n${slice('weighted', ['node1-pod-a', 'node2-pod-a', 'node2-pod-b', 'node2-pod-c'])}`);
    const ip = await ingressOf('weighted');
    const hops = await waitNexthops(ip, (h) => sameKeys(h, ['node1', 'node2']) && h[NODE_IPS['node1']!] !== h[NODE_IPS['node2']!], 'weighted nexthops');
    expect(hops).toEqual({ [NODE_IPS['node1']!]: 25, [NODE_IPS['node2']!]: 75 });
    const n = 4000;
    const s = await traffic(ip, n);
    expect(s.failures).toEqual({});
    figure(`speaker-bgp: weighted split over ${n} connections: ${JSON.stringify(s.perPod)}`);
    for (const pod of ['node1-pod-a', 'node2-pod-a', 'node2-pod-b', 'node2-pod-c']) {
      const share = (s.perPod[pod] ?? 0) / n;
      expect([pod, share > 0.225 && share < 0.275]).toEqual([pod, true]);
    }
  }, 120_000);

  test('the same with weighting: None: equal nexthops, and the lone pod takes about half (the imbalance weights fix)', async () => {
    await apply(`
apiVersion: headland.io/v1beta1
kind: BGPAdvertisement
metadata: { name: lab, namespace: headland-system }
spec: { ipAddressPools: [lab], weighting: None }
`);
    const ip = await ingressOf('weighted');
    await waitNexthops(ip, (h) => sameKeys(h, ['node1', 'node2']) && h[NODE_IPS['node1']!] === h[NODE_IPS['node2']!], 'equal nexthops');
    const n = 2000;
    const s = await traffic(ip, n);
    expect(s.failures).toEqual({});
    figure(`speaker-bgp: unweighted split over ${n} connections: ${JSON.stringify(s.perPod)}`);
    const lone = (s.perPod['node1-pod-a'] ?? 0) / n;
    expect(lone).toBeGreaterThan(0.4);
    expect(lone).toBeLessThan(0.6);
    await apply(`
apiVersion: headland.io/v1beta1
kind: BGPAdvertisement
metadata: { name: lab, namespace: headland-system }
spec: { ipAddressPools: [lab] }
`);
    await waitNexthops(ip, (h) => h[NODE_IPS['node1']!] === 25, 'weights back');
  }, 90_000);

  test('no ready endpoint anywhere: the route is withdrawn; one comes back: announced again', async () => {
    const ip = await ingressOf('local');
    await apply(slice('local', []));
    await waitNexthops(ip, (h) => Object.keys(h).length === 0, 'no route');
    expect(findRoute(await nodeFib(LAB, 'tor', 4), `${ip}/32`)).toBeUndefined();
    await waitFor(() => announcers('local'), (nodes) => nodes.length === 0, { timeoutMs: 10_000, what: 'no node lists shop/local' });
    await apply(slice('local', ['node3-pod-a']));
    await waitNexthops(ip, (h) => sameKeys(h, ['node3']), 'node3 alone');
  }, 60_000);

  test('an excluded node stops announcing; communities reach FRR; neither config change resets a session', async () => {
    const ip = await ingressOf('cluster');
    await kubectl(kubeconfig(), ['label', 'node', 'node1', 'node.kubernetes.io/exclude-from-external-load-balancers=true']);
    await waitNexthops(ip, (h) => sameKeys(h, ['node2', 'node3']), 'node1 excluded');
    await kubectl(kubeconfig(), ['label', 'node', 'node1', 'node.kubernetes.io/exclude-from-external-load-balancers-']);
    await waitNexthops(ip, (h) => sameKeys(h, NODES), 'node1 back');

    await apply(`
apiVersion: headland.io/v1beta1
kind: BGPAdvertisement
metadata: { name: lab, namespace: headland-system }
spec: { ipAddressPools: [lab], communities: ['64512:7', no-export] }
`);
    const route = await waitFor(() => lab.frrBgpRoute(LAB, 'tor', `${ip}/32`), (r) => (r?.paths.length ?? 0) === 3 && r!.paths.every((p) => p.attributes['community'] === '64512:7 no-export'), {
      timeoutMs: 10_000, what: 'communities on all three paths',
    });
    expect(route?.paths.map((p) => p.asPath)).toEqual(['64513', '64513', '64513']);
    await apply(`
apiVersion: headland.io/v1beta1
kind: BGPAdvertisement
metadata: { name: lab, namespace: headland-system }
spec: { ipAddressPools: [lab] }
`);
    // Advertisement edits (here and in the weighting test) touch no BGPPeer: every session stayed up.
    for (const [node, p] of speakers) {
      expect([node, p.logs.filter((x) => x['msg'] === 'BGP session up').length, p.logs.filter((x) => x['msg'] === 'BGP session down').length]).toEqual([node, 1, 0]);
    }
  }, 60_000);

  test('rolling graceful restart (SIGUSR2, RFC 4724) of every speaker under a client loop: FRR keeps the routes, no connection fails', async () => {
    // Turning graceful restart on changes the BGPPeer: each session reopens once with the capability.
    await apply(`
apiVersion: headland.io/v1beta1
kind: BGPPeer
metadata: { name: tor, namespace: headland-system }
spec: { myASN: 64513, peerASN: 64512, peerAddress: 198.18.0.1, holdTime: 9s, connectTime: 1s, enableGracefulRestart: true }
`);
    await Promise.all([...speakers.values()].map((p) => p.waitForLog((x) => x['msg'] === 'BGP peer settings changed; reopening its session', 10_000, 'session reopened')));
    // About one run in six, FRR used to accept the new connection before reading our Cease on the
    // old one, and then ran a session it no longer listed: the speaker now connects only once FRR
    // has closed the old connection (bgp/src/speaker.ts, startAfterClose).
    try {
      await waitEstablished(LAB, 'tor', 'frr', { peers: Object.values(NODE_IPS) }, 30_000);
    } catch (error) {
      const lines = [...speakers].map(([node, p]) => `${node}:\n${p.logs.filter((x) => String(x['msg']).includes('BGP') || Number(x['level']) >= 40).slice(-12).map((x) => JSON.stringify(x)).join('\n')}`);
      throw new Error(`${String(error)}\nspeaker BGP log lines:\n${lines.join('\n')}`);
    }
    // FRR took the capability with the N bit (a Cease other than Hard Reset keeps the routes) and
    // the F bit for IPv4 (the node forwards while its speaker restarts: stale routes are replaced
    // in place when it is back, not dropped on reconnection).
    for (const address of Object.values(NODE_IPS)) {
      const neighbor = (JSON.parse(await lab.run(lab.frrVtysh(LAB, 'tor', `show bgp neighbors ${address} json`))) as Json)[address];
      const gr = neighbor?.['gracefulRestartInfo'];
      expect([address, gr?.['nBit'], gr?.['ipv4Unicast']?.['fBit']]).toEqual([address, true, true]);
    }
    const ip = await ingressOf('cluster');
    await waitNexthops(ip, (h) => sameKeys(h, NODES), 'three nexthops before the restarts');

    let looping = true;
    const loop = (async () => {
      const summaries = [];
      while (looping) summaries.push(await traffic(ip, 100));
      return summaries;
    })();
    // The ToR's FIB, read all along: a restart must not take a node's nexthop out even briefly
    // (a flap rehashes flows to other nodes). The speaker sets the F bit, so FRR keeps the stale
    // route through the reconnection and replaces it in place.
    const gaps: string[] = [];
    const watch = (async () => {
      while (looping) {
        const hops = await torNexthops(ip);
        if (!sameKeys(hops, NODES)) gaps.push(`${new Date().toISOString()} ${JSON.stringify(hops)}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    for (const node of NODES) {
      const old = speakers.get(node)!;
      old.proc.kill('SIGUSR2');
      expect(await old.exited).toBe(0);
      expect(old.logs.some((x) => x['msg'] === 'stopped for a restart; routes kept by peers with graceful restart' && JSON.stringify(x['retainedBy']) === JSON.stringify(['198.18.0.1']))).toBe(true);
      const next = startSpeaker(node);
      await next.waitForLog((x) => x['restarted'] === true, 10_000, 'restart note read');
      await next.waitForLog((x) => x['msg'] === 'BGP session up', 20_000, 'session up again');
    }
    await new Promise((r) => setTimeout(r, 1_000));
    looping = false;
    const summaries = await loop;
    await watch;
    const total = summaries.reduce((n, x) => n + x.count, 0);
    const failed = summaries.reduce((n, x) => n + x.failed, 0);
    figure(`speaker-bgp: rolling graceful restart: ${total} connections, ${failed} failed`);
    expect(total).toBeGreaterThan(300);
    expect(failed).toBe(0);
    expect(gaps).toEqual([]);
    expect(sameKeys(await torNexthops(ip), NODES)).toBe(true);
  }, 270_000);

  test('SIGTERM: the speaker withdraws its routes, sends Cease and exits 0; the others keep announcing', async () => {
    const ip = await ingressOf('cluster');
    await waitNexthops(ip, (h) => sameKeys(h, NODES), 'three nexthops before');
    const node3 = speakers.get('node3')!;
    const stopped = Date.now();
    expect(await node3.stop('SIGTERM', 10_000)).toBe(0);
    speakers.delete('node3');
    await waitNexthops(ip, (h) => sameKeys(h, ['node1', 'node2']), 'node3 gone from the nexthops', 3_000);
    figure(`speaker-bgp: SIGTERM to node3 out of the ToR's FIB in ${Date.now() - stopped} ms`);
    expect(node3.logs.some((x) => x['msg'] === 'withdrew every route and sent Cease')).toBe(true);
    const session = (await bgpSessions(LAB, 'tor', 'frr')).find((x) => x.peer === NODE_IPS['node3']);
    expect(session?.established ?? false).toBe(false);
    // Its status objects went with it.
    await waitFor(() => announcers('cluster'), (nodes) => !nodes.includes('node3'), { timeoutMs: 10_000, what: 'node3 no longer lists shop/cluster' });
    const s = await traffic(ip, 100);
    expect(s.failures).toEqual({});
    for (const p of speakers.values()) expect(p.logs.filter((x) => typeof x['level'] === 'number' && x['level'] >= 50)).toEqual([]);
  }, 60_000);

  test('the controller and speakers ran as their ServiceAccounts under manifests/rbac, and the API server refused them nothing', () => {
    expect(bench.refusals()).toEqual([]);
  });
});
