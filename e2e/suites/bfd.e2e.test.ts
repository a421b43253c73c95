// BFD between headland-speaker and real routers. NEEDS ROOT (the bfd lab: an FRR ToR with bfdd
// and BIRD 2 with protocol bfd, IPv4 and IPv6, two nodes, a client behind the ToR). Sessions come
// Up with both routers over both families; a node whose speaker is SIGKILLed or whose link is cut
// leaves the ToR's kernel FIB within BFD's detection time instead of the hold timer; spoofed BFD
// packets are dropped and counted.
import { readFileSync } from 'node:fs';
import { figure, lab } from '@headland/lab';
import { KUBECTL, REPO_ROOT } from '@headland/lab/programs';
import { SpeakerLab, type Json } from '@headland/lab/speaker-lab';
import { join } from 'node:path';

const { waitFor, nodeFib, findRoute, waitEstablished, run } = lab;
const sh = (argv: string[]): Promise<string> => run(argv);

const isRoot = process.getuid?.() === 0;
const describeRoot = isRoot && KUBECTL !== undefined ? describe : describe.skip;
if (!isRoot) console.warn('bfd.e2e: skipped, it needs root (network namespaces, FRR, BIRD)');
else if (KUBECTL === undefined) console.warn('bfd.e2e: skipped, kubectl is not installed');

const LAB = 'bfd';
const TOPOLOGY = join(REPO_ROOT, 'lab/topologies/bfd/bfd.clab.yml');
const CONFIG = readFileSync(join(REPO_ROOT, 'lab/topologies/bfd/headland.yaml'), 'utf8');
const NODES: Record<string, string[]> = { node1: ['198.18.0.11', '2001:db8:f::11'], node2: ['198.18.0.12', '2001:db8:f::12'] };
const PODS = {
  'node1-pod-a': { target: 'node1/pod-a', node: 'node1', ips: ['198.18.101.2'] },
  'node2-pod-a': { target: 'node2/pod-a', node: 'node2', ips: ['198.18.102.2'] },
} as const;

interface FrrBfdPeer {
  peer: string;
  status: string;
  'transmit-interval'?: number;
  'receive-interval'?: number;
}

const vtysh = (...commands: string[]): string[] => lab.frrVtysh(LAB, 'tor', ...commands);

/** A speaker's /metrics, fetched inside its node's namespace (it listens on 127.0.0.1 there). */
async function metricsOf(bench: SpeakerLab, node: string): Promise<string> {
  const started = bench.speakers.get(node)!.logs.find((x) => x['msg'] === 'started');
  const port = Number(started?.['metricsPort']);
  const script = `fetch('http://127.0.0.1:${port}/metrics').then(r=>r.text()).then(t=>process.stdout.write(t))`;
  return sh(['ip', 'netns', 'exec', bench.l!.namespace(node), process.execPath, '-e', script]);
}

describeRoot('BFD with FRR and BIRD (root)', () => {
  const bench = new SpeakerLab({ topology: TOPOLOGY, lab: LAB, nodes: NODES, pods: PODS, config: CONFIG });

  async function frrBfdPeers(): Promise<FrrBfdPeer[]> {
    const out = await sh(vtysh('show bfd peers json'));
    return JSON.parse(out) as FrrBfdPeer[];
  }

  async function birdBfdSessions(): Promise<string> {
    return sh(lab.birdc(LAB, 'bird', 'show', 'bfd', 'sessions'));
  }

  async function torGateways(ip: string): Promise<string[]> {
    const route = findRoute(await nodeFib(LAB, 'tor', 4), `${ip}/32`);
    return (route?.paths[0]?.nexthops ?? []).flatMap((h) => (h.via === undefined ? [] : [h.via])).sort();
  }

  /** How long until the ToR's FIB stops naming `gateway` for ip, polled every 10 ms. */
  async function timeUntilGone(ip: string, gateway: string, since: number, timeoutMs: number): Promise<number> {
    await waitFor(() => torGateways(ip), (g) => !g.includes(gateway), { timeoutMs, intervalMs: 10, what: `${gateway} to leave the ToR's route to ${ip}` });
    return Date.now() - since;
  }

  async function setTimers(ms: number): Promise<void> {
    await bench.apply(CONFIG.replace('spec: { transmitInterval: 300, receiveInterval: 300, detectMultiplier: 3 }', `spec: { transmitInterval: ${ms}, receiveInterval: ${ms}, detectMultiplier: 3 }`));
    await sh(vtysh('configure terminal', 'bfd', 'profile fast', `transmit-interval ${ms}`, `receive-interval ${ms}`));
    await waitFor(frrBfdPeers, (peers) => peers.filter((p) => p.status === 'up' && p['transmit-interval'] === ms).length >= 4, { timeoutMs: 20_000, what: `FRR's BFD sessions up at ${ms} ms` });
  }

  beforeAll(async () => {
    await bench.start();
    await waitEstablished(LAB, 'tor', 'frr', { peers: ['198.18.0.11', '198.18.0.12'] }, 30_000);
  }, 120_000);

  afterAll(async () => {
    await bench.stop();
  }, 60_000);

  test('BFD comes Up with FRR (bfdd, dynamic neighbours) and BIRD (protocol bfd), over IPv4 and IPv6', async () => {
    const peers = await waitFor(frrBfdPeers, (p) => p.filter((x) => x.status === 'up').length === 4, { timeoutMs: 30_000, what: "FRR's four BFD sessions up" });
    expect(peers.map((p) => p.peer).sort()).toEqual(['198.18.0.11', '198.18.0.12', '2001:db8:f::11', '2001:db8:f::12']);
    const bird = await waitFor(birdBfdSessions, (t) => (t.match(/\sUp\s/g) ?? []).length === 4, { timeoutMs: 30_000, what: "BIRD's four BFD sessions Up" });
    expect(bird).toMatch(/198\.18\.0\.11\s+eth1\s+Up/);
    expect(bird).toMatch(/2001:db8:f::12\s+eth1\s+Up/);
    // The speakers say so too, in their SpeakerStatus.
    const bfdStates = async (): Promise<string[]> =>
      (((await bench.getJson(['speakerstatuses', '-n', 'headland-system']))['items'] ?? []) as Json[]).flatMap((o) => ((o['status']?.['sessions'] ?? []) as Json[]).map((x) => `${String(o['status']['node'])} ${String(x['peer'])} ${String(x['bfd']?.['state'])}`)).sort();
    const states = await waitFor(bfdStates, (l) => l.length === 8 && l.every((x) => x.endsWith(' Up')), { timeoutMs: 15_000, what: 'every SpeakerStatus session with BFD Up' });
    expect(states).toEqual(['node1 bird Up', 'node1 bird-v6 Up', 'node1 tor Up', 'node1 tor-v6 Up', 'node2 bird Up', 'node2 bird-v6 Up', 'node2 tor Up', 'node2 tor-v6 Up']);
  }, 60_000);

  for (const ms of [300, 50]) {
    test(`at ${ms} ms x 3: a SIGKILLed speaker and a cut link leave the ToR's FIB within the detection time`, async () => {
      await setTimers(ms);
      await bench.apply(`${bench.service('fail', 'Cluster')}---\n${bench.slice('fail', ['node1-pod-a', 'node2-pod-a'])}`);
      const [ip] = await bench.ingressOf('fail');
      const target = ms === 300 ? 1_000 : 300;
      const times: number[] = [];
      for (const how of ['SIGKILL', 'link down'] as const) {
        await waitFor(() => torGateways(ip!), (g) => g.length === 2, { timeoutMs: 30_000, what: 'both nodes in the ToR\'s route' });
        await waitFor(frrBfdPeers, (p) => p.filter((x) => x.status === 'up').length === 4, { timeoutMs: 30_000, what: 'BFD up again' });
        const t0 = Date.now();
        const cut = how === 'link down' ? await bench.linkCutter('node2') : undefined;
        if (cut !== undefined) await cut.cut();
        else bench.speakers.get('node2')!.proc.kill('SIGKILL');
        const ms2 = await timeUntilGone(ip!, '198.18.0.12', t0, 10_000);
        times.push(ms2);
        figure(`bfd: ${ms} ms x 3, ${how} on node2 -> its nexthop left the ToR's FIB in ${ms2} ms (target ${target} ms, hold timer 9 s)`);
        if (cut !== undefined) await cut.restore();
        else bench.startSpeaker('node2');
      }
      for (const t of times) expect(t).toBeLessThan(target * 1.5);
    }, 180_000);
  }

  test('spoofed BFD packets (TTL 64, garbage) are dropped and counted; the sessions stay Up', async () => {
    // From the ToR's namespace: one well-formed Down packet with TTL 64, and bytes that are no BFD packet.
    const script = "const d=require('dgram').createSocket('udp4');d.bind(0,()=>{d.setTTL(64);const b=Buffer.alloc(24);b[0]=0x20;b[1]=0x40;b[2]=3;b[3]=24;b.writeUInt32BE(7,4);d.send(b,3784,'198.18.0.11',()=>{d.setTTL(255);d.send(Buffer.from('garbage!'),3784,'198.18.0.11',()=>d.close());});});";
    await sh(['ip', 'netns', 'exec', bench.l!.namespace('tor'), process.execPath, '-e', script]);
    const metrics = await waitFor(async () => metricsOf(bench, 'node1'), (m) => /headland_speaker_bfd_packets_dropped_total\{[^}]*reason="ttl"[^}]*\} [1-9]/.test(m) && /headland_speaker_bfd_datagrams_dropped_total\{reason="malformed-[^"]*"\} [1-9]/.test(m), {
      timeoutMs: 10_000,
      what: "node1's speaker to count the dropped packets",
    });
    expect(metrics).toMatch(/headland_speaker_bfd_session_up\{[^}]*peer="tor"[^}]*\} 1/);
  }, 30_000);
});
