// headland-speaker with BIRD 2 and GoBGP as the top-of-rack router (the bird-tor and gobgp-tor
// labs, one after the other): a Cluster and a weighted Local service arrive with the right
// nexthops and link bandwidth as each router shows them. NEEDS ROOT; without root it is skipped.
// BIRD installs kernel routes (ECMP, unweighted: it does not read link bandwidth), so the client
// reaches the services through it; GoBGP runs without zebra here (RIB only).
import { readFileSync } from 'node:fs';
import { figure, lab } from '@headland/lab';
import { KUBECTL } from '@headland/lab/programs';
import { SpeakerLab } from '@headland/lab/speaker-lab';

const { waitFor, nodeFib, findRoute, waitEstablished, bgpTable } = lab;

const isRoot = process.getuid?.() === 0;
const describeRoot = isRoot && KUBECTL !== undefined ? describe : describe.skip;
if (!isRoot) console.warn('speaker-bgp-routers.e2e: skipped, it needs root (it builds the bird-tor and gobgp-tor labs)');
else if (KUBECTL === undefined) console.warn('speaker-bgp-routers.e2e: skipped, kubectl is not installed');

const CLIENT_IP = '198.18.1.2';
const NODES: Record<string, [string]> = { node1: ['198.18.0.11'], node2: ['198.18.0.12'], node3: ['198.18.0.13'] };
const PODS = {
  'node1-pod-a': { target: 'node1/pod-a', node: 'node1', ips: ['198.18.101.2'] },
  'node2-pod-a': { target: 'node2/pod-a', node: 'node2', ips: ['198.18.102.2'] },
  'node2-pod-b': { target: 'node2/pod-b', node: 'node2', ips: ['198.18.102.3'] },
  'node3-pod-a': { target: 'node3/pod-a', node: 'node3', ips: ['198.18.103.2'] },
};
const CONFIG = readFileSync(new URL('../../lab/topologies/speaker-bgp/headland.yaml', import.meta.url), 'utf8');
/** 125,000 bytes/s (1 Mbit/s) per ready local endpoint. */
const PER_POD = 125_000;

/** What a router shows for one path: its next hop and the link bandwidth it read, bytes/s. */
interface Seen {
  readonly nextHop: string | undefined;
  readonly linkBandwidth: number | undefined;
}

/** BIRD prints link bandwidth as "(unknown 0x4004, ASN, BITS)": BITS is the IEEE float. */
function birdBandwidth(text: string | undefined): number | undefined {
  const m = /\(unknown 0x4004,\s*\d+,\s*(\d+)\)/.exec(text ?? '');
  if (m === null) return undefined;
  const view = new DataView(new ArrayBuffer(4));
  view.setUint32(0, Number(m[1]));
  return view.getFloat32(0);
}

/** GoBGP's JSON extended communities: link bandwidth is type 64 subtype 4 with "bandwidth". */
function gobgpBandwidth(json: string | undefined): number | undefined {
  const list = JSON.parse(json ?? '[]') as { type?: number; subtype?: number; bandwidth?: number }[];
  return list.find((e) => e.type === 64 && e.subtype === 4)?.bandwidth;
}

describe.each([
  ['bird', 'bird-tor'],
  ['gobgp', 'gobgp-tor'],
] as const)('headland-speaker with %s as the router (root)', (kind, labName) => {
  // describe.skip keeps the hooks from running without root.
  describeRoot(labName, () => {
    const bench = new SpeakerLab({
      topology: new URL(`../../lab/topologies/${labName}/${labName}.clab.yml`, import.meta.url).pathname,
      lab: labName,
      nodes: NODES,
      pods: PODS,
      config: CONFIG,
    });

    /** The router's BGP paths for a prefix, by node. */
    async function pathsAt(prefix: string): Promise<Record<string, Seen>> {
      const route = findRoute(await bgpTable(labName, 'tor', kind, 4), prefix);
      const out: Record<string, Seen> = {};
      for (const p of route?.paths ?? []) {
        const nextHop = p.nexthops[0]?.via;
        const node = bench.nodesAt([nextHop ?? p.source])[0]!;
        out[node] = { nextHop, linkBandwidth: kind === 'bird' ? birdBandwidth(p.attributes['BGP.ext_community']) : gobgpBandwidth(p.attributes['extendedCommunities']) };
      }
      return out;
    }
    const waitPaths = (prefix: string, nodes: string[], what: string) =>
      waitFor(() => pathsAt(prefix), (paths) => Object.keys(paths).sort().join() === nodes.join(), { timeoutMs: 20_000, intervalMs: 200, what: `${what} (${kind}: ${prefix})` });

    /** BIRD's kernel route in the tor namespace: node names of its nexthops. */
    async function kernelNodes(ip: string): Promise<string[]> {
      const route = findRoute(await nodeFib(labName, 'tor', 4), `${ip}/32`);
      return bench.nodesAt((route?.paths[0]?.nexthops ?? []).map((h) => h.via ?? '?'));
    }

    beforeAll(async () => {
      await bench.start();
      await waitEstablished(labName, 'tor', kind, { count: 3 }, 40_000);
    }, 150_000);

    afterAll(async () => {
      await bench.stop();
    }, 60_000);

    test('Cluster service: a path from each of the 3 nodes with that node as next hop, no link bandwidth', async () => {
      await bench.apply(`${bench.service('cluster', 'Cluster')}---\n${bench.slice('cluster', ['node1-pod-a', 'node2-pod-a'])}`);
      const [ip] = await bench.ingressOf('cluster');
      const paths = await waitPaths(`${ip}/32`, ['node1', 'node2', 'node3'], 'three paths');
      expect(paths).toEqual({
        node1: { nextHop: '198.18.0.11', linkBandwidth: undefined },
        node2: { nextHop: '198.18.0.12', linkBandwidth: undefined },
        node3: { nextHop: '198.18.0.13', linkBandwidth: undefined },
      });
      if (kind === 'bird') {
        await waitFor(() => kernelNodes(ip!), (nodes) => nodes.join() === 'node1,node2,node3', { timeoutMs: 10_000, what: 'BIRD\'s ECMP kernel route over 3 nodes' });
        const s = await bench.traffic(ip!, 100);
        expect(s.failures).toEqual({});
        expect(Object.keys(s.perPod).sort()).toEqual(['node1-pod-a', 'node2-pod-a']);
      }
    }, 60_000);

    test('weighted Local service, 1 pod on node1 and 2 on node2: paths from those two only, link bandwidth 1 and 2 units', async () => {
      await bench.apply(`${bench.service('weighted', 'Local')}---\n${bench.slice('weighted', ['node1-pod-a', 'node2-pod-a', 'node2-pod-b'])}`);
      const [ip] = await bench.ingressOf('weighted');
      const paths = await waitPaths(`${ip}/32`, ['node1', 'node2'], 'node1 and node2 only');
      figure(`speaker-bgp-routers: ${kind} shows ${JSON.stringify(paths)}`);
      expect(paths).toEqual({
        node1: { nextHop: '198.18.0.11', linkBandwidth: PER_POD },
        node2: { nextHop: '198.18.0.12', linkBandwidth: 2 * PER_POD },
      });
      if (kind === 'bird') {
        await waitFor(() => kernelNodes(ip!), (nodes) => nodes.join() === 'node1,node2', { timeoutMs: 10_000, what: 'BIRD\'s kernel route over node1 and node2' });
        const s = await bench.traffic(ip!, 100);
        expect(s.failures).toEqual({});
        for (const clients of Object.values(s.clientsByPod)) expect(clients).toEqual([CLIENT_IP]);
      }
      // A pod moves from node2 to node3: the weights and nexthops follow.
      await bench.apply(bench.slice('weighted', ['node1-pod-a', 'node2-pod-a', 'node3-pod-a']));
      const after = await waitPaths(`${ip}/32`, ['node1', 'node2', 'node3'], 'three nodes after the move');
      expect(Object.values(after).map((p) => p.linkBandwidth)).toEqual([PER_POD, PER_POD, PER_POD]);
      expect(bench.speakerErrors()).toEqual([]);
    }, 60_000);

    test('the controller and speakers ran as their ServiceAccounts under manifests/rbac, and the API server refused them nothing', () => {
      expect(bench.refusals()).toEqual([]);
    });
  });
});
