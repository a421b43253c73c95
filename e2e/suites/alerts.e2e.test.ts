// Headland's alerts on a real Prometheus (Debian's prometheus) against the alerts lab. NEEDS ROOT (it
// brings up network namespaces, FRR as the ToR and two k8s-nodes); without root, kubectl or
// prometheus it is skipped with a message. SpeakerLab runs headland-apiserver and the controller on
// the host and a speaker per node (its /metrics on every address of the node, so the host reaches
// it on the node's mgmt address). Prometheus scrapes them every second and evaluates
// manifests/monitoring/rules/headland.rules.yaml with every `for:` cut to 2 s (a copy in a temp dir).
// Each alert is shown to fire on its real condition and to clear, read from ALERTS over the HTTP API.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { figure, lab } from '@headland/lab';
import { KUBECTL, type Program } from '@headland/lab/programs';
import { SpeakerLab, type Json } from '@headland/lab/speaker-lab';
import { PROMETHEUS, Prometheus } from './alerts/prometheus.js';

const { waitFor, waitEstablished } = lab;

const isRoot = process.getuid?.() === 0;
const describeRoot = isRoot && KUBECTL !== undefined && PROMETHEUS !== undefined ? describe : describe.skip;
if (!isRoot) console.warn('alerts.e2e: skipped, it needs root (it builds the alerts lab with ip netns, veths and FRR)');
else if (KUBECTL === undefined) console.warn('alerts.e2e: skipped, kubectl is not installed');
else if (PROMETHEUS === undefined) console.warn('alerts.e2e: skipped, prometheus is not installed (Debian package prometheus; scripts/setup.sh installs it)');

const TOPOLOGY = new URL('../../lab/topologies/alerts/alerts.clab.yml', import.meta.url).pathname;
const LAB = 'alerts';
const NODE_IPS: Record<string, string> = { node1: '198.18.0.11', node2: '198.18.0.12' };
const NODES = Object.keys(NODE_IPS);
const PODS = {
  'node1-pod-a': { target: 'node1/pod-a', node: 'node1', ips: ['198.18.101.2'] },
  'node2-pod-a': { target: 'node2/pod-a', node: 'node2', ips: ['198.18.102.2'] },
} as const;
/** Every rule's `for:` in Prometheus's copy of the rules: the conditions are real, the waiting is not. */
const FOR = '2s';
const TINY_POOL_SIZE = 2;

// lab: what Services get by default; tiny: two addresses, only on request; dark: only on request,
// and no advertisement announces it.
const CONFIG = `
apiVersion: headland.io/v1beta1
kind: IPAddressPool
metadata: { name: lab, namespace: headland-system }
spec: { addresses: [203.0.113.0/28] }
---
apiVersion: headland.io/v1beta1
kind: IPAddressPool
metadata: { name: tiny, namespace: headland-system }
spec: { addresses: [203.0.113.32-203.0.113.33], autoAssign: false }
---
apiVersion: headland.io/v1beta1
kind: IPAddressPool
metadata: { name: dark, namespace: headland-system }
spec: { addresses: [203.0.113.40/30], autoAssign: false }
---
apiVersion: headland.io/v1beta1
kind: BGPPeer
metadata: { name: tor, namespace: headland-system }
spec: { myASN: 64513, peerASN: 64512, peerAddress: 198.18.0.1, holdTime: 9s, connectTime: 1s }
---
apiVersion: headland.io/v1beta1
kind: BGPAdvertisement
metadata: { name: lab, namespace: headland-system }
spec: { ipAddressPools: [lab, tiny] }
`;

describeRoot('alerts on a real Prometheus: they fire on their conditions in the lab and clear (root)', () => {
  const bench = new SpeakerLab({
    topology: TOPOLOGY,
    lab: LAB,
    nodes: Object.fromEntries(Object.entries(NODE_IPS).map(([n, ip]) => [n, [ip]])),
    pods: PODS,
    config: CONFIG,
    speakerMetricsAddr: ':0',
  });
  let dir = '';
  let prometheus: Prometheus | undefined;
  const prom = (): Prometheus => prometheus!;

  const metricsPort = async (p: Program): Promise<number> => Number((await p.waitForLog((l) => l['msg'] === 'started', 15_000, 'its started line'))['metricsPort']);
  const mgmtAddress = (node: string): string => {
    const address = bench.l?.topology?.nodes.find((n) => n.name === node)?.mgmtIPv4;
    if (address === undefined) throw new Error(`alerts.e2e: node ${node} has no mgmt address`);
    return address;
  };
  const poolStatus = async (name: string): Promise<Json> => ((await bench.getJson(['ipaddresspool', '-n', 'headland-system', name]))['status'] ?? {}) as Json;

  beforeAll(async () => {
    await bench.start();
    await waitEstablished(LAB, 'tor', 'frr', { peers: Object.values(NODE_IPS) }, 30_000);
    dir = mkdtempSync(join(tmpdir(), 'hl-alerts-prometheus-'));
    const controller = `127.0.0.1:${await metricsPort(bench.controller!)}`;
    const speakers: Record<string, string> = {};
    for (const node of NODES) speakers[node] = `${mgmtAddress(node)}:${await metricsPort(bench.speakers.get(node)!)}`;
    prometheus = await Prometheus.start(dir, { controller: [controller], speakers, forOverride: FOR });
    await waitFor(() => prom().query('up'), (up) => up.length === 1 + NODES.length && up.every((s) => s.value[1] === '1'), { timeoutMs: 20_000, intervalMs: 250, what: 'every target scraped' });
  }, 120_000);

  afterAll(async () => {
    await prometheus?.stop().catch(() => undefined);
    await bench.stop();
    if (dir !== '') rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  test('a healthy lab: every target up, the metrics the rules read are there, and nothing fires', async () => {
    for (const metric of ['headland_controller_pool_addresses_available', 'headland_controller_services_unannounced', 'headland_speaker_bgp_session_up', 'headland_speaker_ready', 'headland_speaker_l2_unowned_ips']) {
      expect([metric, (await prom().query(metric)).length > 0]).toEqual([metric, true]);
    }
    expect((await prom().query('headland_speaker_bgp_session_up')).map((s) => [s.metric['node'], s.metric['peer'], s.value[1]]).sort()).toEqual(NODES.map((n) => [n, 'tor', '1']));
    // Several evaluations past every `for:`.
    await new Promise((r) => setTimeout(r, 5_000));
    expect((await prom().query('ALERTS{alertstate="firing"}')).map((s) => s.metric)).toEqual([]);
  }, 60_000);

  test('fill the tiny pool with Services: HeadlandAddressPoolExhausted (and AlmostFull) fire for it alone; delete one: both clear', async () => {
    let created = 0;
    while ((await poolStatus('tiny'))['availableIPv4'] !== '0') {
      created++;
      if (created > TINY_POOL_SIZE) throw new Error(`alerts.e2e: pool tiny still has addresses after ${created - 1} Services: ${JSON.stringify(await poolStatus('tiny'))}`);
      await bench.apply(bench.service(`fill-${created}`, 'Cluster', { annotations: { 'headland.io/address-pool': 'tiny' } }));
      await bench.ingressOf(`fill-${created}`);
      await waitFor(() => poolStatus('tiny'), (s) => s['assignedIPv4'] === created, { timeoutMs: 10_000, what: `pool tiny counting ${created} assigned` });
    }
    expect(created).toBe(TINY_POOL_SIZE);
    const fired = await prom().waitFiring('HeadlandAddressPoolExhausted', { pool: 'tiny', family: 'ipv4' });
    figure(`alerts: HeadlandAddressPoolExhausted fired ${fired} ms after pool tiny's status showed it full (for: ${FOR}, 1 s scrape and evaluation)`);
    await prom().waitFiring('HeadlandAddressPoolAlmostFull', { pool: 'tiny', family: 'ipv4' });
    // Only the full pool: lab and dark have room.
    expect((await prom().firing('HeadlandAddressPoolExhausted')).map((m) => m['pool'])).toEqual(['tiny']);
    expect((await prom().firing('HeadlandAddressPoolAlmostFull')).map((m) => m['pool'])).toEqual(['tiny']);

    await bench.kubectl(['delete', 'service', '-n', 'shop', 'fill-1']);
    const cleared = await prom().waitCleared('HeadlandAddressPoolExhausted', { pool: 'tiny' });
    figure(`alerts: HeadlandAddressPoolExhausted cleared ${cleared} ms after a Service of pool tiny was deleted`);
    await prom().waitCleared('HeadlandAddressPoolAlmostFull', { pool: 'tiny' });
    expect((await poolStatus('tiny'))['availableIPv4']).toBe('1');
  }, 90_000);

  test("cut node1's link to the ToR: HeadlandBGPSessionDown fires for node1's session alone; restore it: it clears", async () => {
    const cutter = await bench.linkCutter('node1');
    const cut = Date.now();
    await cutter.cut();
    try {
      await prom().waitFiring('HeadlandBGPSessionDown', { node: 'node1', peer: 'tor', address: '198.18.0.1' }, 60_000);
      figure(`alerts: HeadlandBGPSessionDown fired ${Date.now() - cut} ms after node1's link was cut (hold time 9 s, for: ${FOR})`);
      expect((await prom().firing('HeadlandBGPSessionDown')).map((m) => m['node'])).toEqual(['node1']);
    } finally {
      await cutter.restore();
    }
    const restored = Date.now();
    await waitEstablished(LAB, 'tor', 'frr', { peers: Object.values(NODE_IPS) }, 60_000);
    await prom().waitCleared('HeadlandBGPSessionDown', {}, 30_000);
    figure(`alerts: HeadlandBGPSessionDown cleared ${Date.now() - restored} ms after the link came back`);
  }, 150_000);

  test('a Service with a ready endpoint in a pool no advertisement announces: HeadlandServiceNotAnnounced fires; advertise the pool: it clears', async () => {
    await bench.apply(`${bench.service('dark', 'Cluster', { annotations: { 'headland.io/address-pool': 'dark' } })}---\n${bench.slice('dark', ['node1-pod-a'])}`);
    await bench.ingressOf('dark');
    await prom().waitFiring('HeadlandServiceNotAnnounced');
    expect((await prom().query('max(headland_controller_services_unannounced)')).map((s) => s.value[1])).toEqual(['1']);
    await bench.apply(`
apiVersion: headland.io/v1beta1
kind: BGPAdvertisement
metadata: { name: dark, namespace: headland-system }
spec: { ipAddressPools: [dark] }
`);
    const cleared = await prom().waitCleared('HeadlandServiceNotAnnounced');
    figure(`alerts: HeadlandServiceNotAnnounced cleared ${cleared} ms after the pool got an advertisement`);
    const statuses = (await bench.getJson(['speakerstatuses', '-n', 'headland-system']))['items'] as Json[];
    expect(statuses.filter((o) => ((o['status']?.['announcedServices'] ?? []) as string[]).some((k) => k.endsWith('/dark'))).map((o) => o['status']?.['node']).sort()).toEqual(NODES);
  }, 90_000);

  test('the controller and speakers ran as their ServiceAccounts under manifests/rbac, and the API server refused them nothing', () => {
    expect(bench.refusals()).toEqual([]);
  });
});
