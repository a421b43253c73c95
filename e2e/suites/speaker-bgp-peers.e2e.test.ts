// headland-speaker choosing peers and nodes, per-peer attributes, IPv6 and dual-stack, read back
// at two FRR routers. NEEDS ROOT (it builds the speaker-peers lab); without root it is skipped.
// `tor` is the eBGP top-of-rack (IPv4 and IPv6 sessions, the client behind it); `rr` is an iBGP
// router that only node1 and node2 (label rack=a) peer with, so local pref and "to one peer and
// not the other" show at a router.
import { lab } from '@headland/lab';
import { KUBECTL } from '@headland/lab/programs';
import { SpeakerLab } from '@headland/lab/speaker-lab';

const { waitFor, nodeFib, findRoute, waitEstablished, bgpSessions, frrBgpRoute } = lab;

const isRoot = process.getuid?.() === 0;
const describeRoot = isRoot && KUBECTL !== undefined ? describe : describe.skip;
if (!isRoot) console.warn('speaker-bgp-peers.e2e: skipped, it needs root (it builds the speaker-peers lab with ip netns, veths and FRR)');
else if (KUBECTL === undefined) console.warn('speaker-bgp-peers.e2e: skipped, kubectl is not installed');

const LAB = 'speaker-peers';
const CLIENT = { 4: '198.18.1.2', 6: '2001:db8:ff01::2' } as const;
const NODES: Record<string, [string, string]> = {
  node1: ['198.18.0.11', '2001:db8:ff00::11'],
  node2: ['198.18.0.12', '2001:db8:ff00::12'],
  node3: ['198.18.0.13', '2001:db8:ff00::13'],
};
const v4 = (node: string): string => NODES[node]![0];
const v6 = (node: string): string => NODES[node]![1];

const CONFIG = `
apiVersion: headland.io/v1beta1
kind: IPAddressPool
metadata: { name: lab, namespace: headland-system }
spec: { addresses: [203.0.113.0/28] }
---
apiVersion: headland.io/v1beta1
kind: IPAddressPool
metadata: { name: ibgp, namespace: headland-system }
spec: { addresses: [203.0.113.16/28] }
---
apiVersion: headland.io/v1beta1
kind: IPAddressPool
metadata: { name: picked, namespace: headland-system }
spec: { addresses: [203.0.113.32/28] }
---
apiVersion: headland.io/v1beta1
kind: IPAddressPool
metadata: { name: dual, namespace: headland-system }
spec: { addresses: [203.0.113.48/28, '2001:db8:5::/124'] }
---
apiVersion: headland.io/v1beta1
kind: BGPPeer
metadata: { name: tor, namespace: headland-system }
spec: { myASN: 64513, peerASN: 64512, peerAddress: 198.18.0.1, holdTime: 9s, connectTime: 1s }
---
apiVersion: headland.io/v1beta1
kind: BGPPeer
metadata: { name: tor6, namespace: headland-system }
spec: { myASN: 64513, peerASN: 64512, peerAddress: '2001:db8:ff00::1', holdTime: 9s, connectTime: 1s }
---
apiVersion: headland.io/v1beta1
kind: BGPPeer
metadata: { name: rr, namespace: headland-system }
spec: { myASN: 64513, peerASN: 64513, peerAddress: 198.18.0.2, holdTime: 9s, connectTime: 1s, nodeSelectors: [{ matchLabels: { rack: a } }] }
---
apiVersion: headland.io/v1beta1
kind: BGPAdvertisement
metadata: { name: lab-tor, namespace: headland-system }
spec: { ipAddressPools: [lab], peers: [tor], communities: ['64512:1'] }
---
apiVersion: headland.io/v1beta1
kind: BGPAdvertisement
metadata: { name: lab-rr, namespace: headland-system }
spec: { ipAddressPools: [lab], peers: [rr], communities: ['64512:2'], localPref: 250 }
---
apiVersion: headland.io/v1beta1
kind: BGPAdvertisement
metadata: { name: ibgp, namespace: headland-system }
spec: { ipAddressPools: [ibgp], peers: [rr], communities: ['64513:300'], localPref: 300 }
---
apiVersion: headland.io/v1beta1
kind: BGPAdvertisement
metadata: { name: picked, namespace: headland-system }
spec: { ipAddressPools: [picked], nodeSelectors: [{ matchLabels: { kubernetes.io/hostname: node3 } }] }
---
apiVersion: headland.io/v1beta1
kind: BGPAdvertisement
metadata: { name: dual, namespace: headland-system }
spec: { ipAddressPools: [dual], peers: [tor, tor6] }
`;

describeRoot('headland-speaker: peer and node selection, per-peer attributes, IPv6 and dual-stack (root)', () => {
  const bench = new SpeakerLab({
    topology: new URL('../../lab/topologies/speaker-peers/speaker-peers.clab.yml', import.meta.url).pathname,
    lab: LAB,
    nodes: NODES,
    nodeLabels: { node1: { rack: 'a' }, node2: { rack: 'a' }, node3: { rack: 'b' } },
    pods: {
      'node1-pod-a': { target: 'node1/pod-a', node: 'node1', ips: ['198.18.101.2', '2001:db8:ff65::2'] },
      'node2-pod-a': { target: 'node2/pod-a', node: 'node2', ips: ['198.18.102.2', '2001:db8:ff66::2'] },
      'node3-pod-a': { target: 'node3/pod-a', node: 'node3', ips: ['198.18.103.2', '2001:db8:ff67::2'] },
    },
    config: CONFIG,
  });
  const pool = (name: string) => ({ 'headland.io/address-pool': name });

  /** The ToR's kernel route: node name -> weight; {} when there is none. */
  async function torNexthops(ip: string): Promise<Record<string, number>> {
    const family = ip.includes(':') ? 6 : 4;
    const route = findRoute(await nodeFib(LAB, 'tor', family), `${ip}/${family === 4 ? 32 : 128}`);
    const out: Record<string, number> = {};
    for (const hop of route?.paths[0]?.nexthops ?? []) if (hop.via !== undefined) out[bench.nodesAt([hop.via])[0]!] = hop.weight ?? 1;
    return out;
  }
  const waitNodes = (ip: string, nodes: string[], what: string) =>
    waitFor(() => torNexthops(ip), (h) => Object.keys(h).sort().join() === nodes.join(), { timeoutMs: 15_000, intervalMs: 100, what: `${what} (ToR route to ${ip})` });

  /** FRR's BGP paths for a prefix at a router, as node -> the attributes FRR shows. */
  async function pathsAt(router: 'tor' | 'rr', prefix: string): Promise<Record<string, Record<string, string>>> {
    const route = await frrBgpRoute(LAB, router, prefix);
    const out: Record<string, Record<string, string>> = {};
    for (const p of route?.paths ?? []) out[bench.nodesAt([p.source])[0]!] = { ...p.attributes, asPath: p.asPath ?? '' };
    return out;
  }
  const waitPaths = (router: 'tor' | 'rr', prefix: string, nodes: string[], what: string) =>
    waitFor(() => pathsAt(router, prefix), (paths) => Object.keys(paths).sort().join() === nodes.join(), { timeoutMs: 15_000, intervalMs: 100, what: `${what} (${router}: ${prefix})` });

  beforeAll(async () => {
    await bench.start();
    await waitEstablished(LAB, 'tor', 'frr', { peers: [...Object.values(NODES).flat()] }, 30_000);
    await waitEstablished(LAB, 'rr', 'frr', { peers: [v4('node1'), v4('node2')] }, 30_000);
  }, 150_000);

  afterAll(async () => {
    await bench.stop();
  }, 60_000);

  test('BGPPeer nodeSelectors: rr peers with node1 and node2 only, tor with all three over IPv4 and IPv6', async () => {
    const rr = await bgpSessions(LAB, 'rr', 'frr');
    expect(rr.filter((s) => s.established).map((s) => s.peer).sort()).toEqual([v4('node1'), v4('node2')]);
    expect(rr.some((s) => s.peer === v4('node3'))).toBe(false);
    const tor = await bgpSessions(LAB, 'tor', 'frr');
    expect(tor.filter((s) => s.established).map((s) => s.peer).sort()).toEqual([...Object.values(NODES).flat()].sort());
    // node3's speaker never even configured a session to rr.
    expect(bench.speakers.get('node3')!.logs.filter((x) => x['msg'] === 'BGP peer added').map((x) => x['peer']).sort()).toEqual(['tor', 'tor6']);
  });

  test('per-peer attributes: one prefix reaches tor with 64512:1 and rr with 64512:2 and local pref 250, neither gets the other\'s', async () => {
    await bench.apply(`${bench.service('shared', 'Cluster', { annotations: pool('lab') })}---\n${bench.slice('shared', ['node1-pod-a'])}`);
    const [ip] = await bench.ingressOf('shared');
    const prefix = `${ip}/32`;
    const atTor = await waitPaths('tor', prefix, ['node1', 'node2', 'node3'], 'three paths at tor');
    const atRr = await waitPaths('rr', prefix, ['node1', 'node2'], 'two paths at rr');
    for (const [node, attrs] of Object.entries(atTor)) expect([node, attrs['community'], attrs['asPath']]).toEqual([node, '64512:1', '64513']);
    // iBGP: no AS in the path (FRR shows "Local") and LOCAL_PREF arrives as the advertisement says.
    for (const [node, attrs] of Object.entries(atRr)) expect([node, attrs['community'], attrs['localPref'], attrs['asPath']]).toEqual([node, '64512:2', '250', 'Local']);
    const s = await bench.traffic(ip!, 50);
    expect(s.failures).toEqual({});
    expect(Object.keys(s.perPod)).toEqual(['node1-pod-a']);
  }, 60_000);

  test('advertisement peers: the ibgp pool goes to rr only (local pref 300, 64513:300) and never reaches tor', async () => {
    await bench.apply(`${bench.service('internal', 'Cluster', { annotations: pool('ibgp') })}---\n${bench.slice('internal', ['node2-pod-a'])}`);
    const [ip] = await bench.ingressOf('internal');
    const prefix = `${ip}/32`;
    const atRr = await waitPaths('rr', prefix, ['node1', 'node2'], 'two paths at rr');
    for (const attrs of Object.values(atRr)) expect([attrs['community'], attrs['localPref']]).toEqual(['64513:300', '300']);
    // Sent to rr in the same flush as anything for tor would have been; give it a second more anyway.
    await new Promise((r) => setTimeout(r, 1_000));
    expect(await frrBgpRoute(LAB, 'tor', prefix)).toBeUndefined();
    expect(await torNexthops(ip!)).toEqual({});
  }, 60_000);

  test('advertisement nodeSelectors: only node3 announces the picked pool; the client reaches the pod on node1 through it', async () => {
    await bench.apply(`${bench.service('picked', 'Cluster', { annotations: pool('picked') })}---\n${bench.slice('picked', ['node1-pod-a'])}`);
    const [ip] = await bench.ingressOf('picked');
    await waitNodes(ip!, ['node3'], 'node3 alone');
    expect(Object.keys(await pathsAt('tor', `${ip}/32`)).sort()).toEqual(['node3']);
    const s = await bench.traffic(ip!, 50);
    expect(s.failures).toEqual({});
    expect(s.clientsByPod).toEqual({ 'node1-pod-a': [v4('node3')] });
    // The selector moves to node2: the announcement follows.
    await bench.apply(`
apiVersion: headland.io/v1beta1
kind: BGPAdvertisement
metadata: { name: picked, namespace: headland-system }
spec: { ipAddressPools: [picked], nodeSelectors: [{ matchLabels: { kubernetes.io/hostname: node2 } }] }
`);
    await waitNodes(ip!, ['node2'], 'node2 alone after the selector moved');
  }, 60_000);

  test('IPv6 Cluster service: the /128 at tor with the three nodes\' IPv6 addresses as nexthops; the client reaches it', async () => {
    await bench.apply(`${bench.service('six', 'Cluster', { annotations: pool('dual'), spec: '  ipFamilyPolicy: SingleStack\n  ipFamilies: [IPv6]' })}---\n${bench.slice('six', ['node1-pod-a', 'node2-pod-a'], 6)}`);
    const [ip] = await bench.ingressOf('six');
    expect(ip).toMatch(/^2001:db8:5::/);
    const route = await waitFor(async () => findRoute(await nodeFib(LAB, 'tor', 6), `${ip}/128`), (r) => (r?.paths[0]?.nexthops.length ?? 0) === 3, {
      timeoutMs: 15_000, intervalMs: 100, what: `three IPv6 nexthops for ${ip}/128`,
    });
    expect(route!.paths[0]!.nexthops.map((h) => h.via).sort()).toEqual([v6('node1'), v6('node2'), v6('node3')]);
    const paths = await pathsAt('tor', `${ip}/128`);
    expect(Object.keys(paths).sort()).toEqual(['node1', 'node2', 'node3']);
    const s = await bench.traffic(ip!, 100);
    expect(s.failures).toEqual({});
    expect(Object.keys(s.perPod).sort()).toEqual(['node1-pod-a', 'node2-pod-a']);
    for (const clients of Object.values(s.clientsByPod)) for (const c of clients) expect([v6('node1'), v6('node2'), v6('node3')]).toContain(c);
  }, 60_000);

  test('dual-stack Local service: the /32 and the /128 from exactly the two nodes with pods, the client address kept in both families', async () => {
    await bench.apply(`${bench.service('dual', 'Local', { annotations: pool('dual'), spec: '  ipFamilyPolicy: RequireDualStack\n  ipFamilies: [IPv4, IPv6]' })}---\n${bench.slice('dual', ['node1-pod-a', 'node3-pod-a'], 4)}\n---\n${bench.slice('dual', ['node1-pod-a', 'node3-pod-a'], 6)}`);
    const ips = await bench.ingressOf('dual', 2);
    const ip4 = ips.find((x) => !x.includes(':'))!;
    const ip6 = ips.find((x) => x.includes(':'))!;
    expect(ip4).toMatch(/^203\.0\.113\./);
    expect(ip6).toMatch(/^2001:db8:5::/);
    const hops4 = await waitNodes(ip4, ['node1', 'node3'], 'IPv4 from node1 and node3');
    const hops6 = await waitNodes(ip6, ['node1', 'node3'], 'IPv6 from node1 and node3');
    // One pod each: equal weights in both families.
    expect(new Set([...Object.values(hops4), ...Object.values(hops6)]).size).toBe(1);
    const six = await pathsAt('tor', `${ip6}/128`);
    for (const attrs of Object.values(six)) expect(attrs['extendedCommunity']).toMatch(/^LB:64513:/);
    for (const [ip, family] of [[ip4, 4], [ip6, 6]] as const) {
      const s = await bench.traffic(ip, 100);
      expect([family, s.failures]).toEqual([family, {}]);
      expect([family, s.clientsByPod]).toEqual([family, { 'node1-pod-a': [CLIENT[family]], 'node3-pod-a': [CLIENT[family]] }]);
    }
    expect(bench.speakerErrors()).toEqual([]);
  }, 60_000);

  test('the controller and speakers ran as their ServiceAccounts under manifests/rbac, and the API server refused them nothing', () => {
    expect(bench.refusals()).toEqual([]);
  });
});
