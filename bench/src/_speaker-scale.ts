// A speaker holding 10,000 Services and 100,000 endpoints, no lab: the real headland-speaker
// against headland-apiserver, its one BGPPeer a closed loopback port (a session never comes up).
// Figures: its RSS once settled, and from one EndpointSlice write to the speaker's "flush done".
import { appendFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { programs } from '@headland/lab';
import { Rest, inPool, type Json } from './_speaker-rest.js';
import { cpuSecondsOf, memoryOf, percentile, summarize } from './_speaker-stats.js';

const SERVICES = Number(process.env['SPEAKER_BENCH_SERVICES'] ?? 10_000);
const ENDPOINTS_PER_SERVICE = 10;
const NODES = 100;
const NAMESPACES = 20;
const TRIALS = Number(process.env['SPEAKER_BENCH_TRIALS'] ?? 100);
const RSS_TARGET_MB = 250;
const REEVAL_TARGET_MS = 20;
const ME = 'node-0';

const load = (): number => Number(loadavg()[0]!.toFixed(2));
const nsOf = (i: number): string => `ns-${i % NAMESPACES}`;
/** Endpoint j of Service i sits on node (i + 13j) mod 100: ten distinct nodes per Service. */
const nodeOf = (i: number, j: number): string => `node-${(i + 13 * j) % NODES}`;
const isLocal = (i: number): boolean => i % 2 === 1;
const serviceIP = (i: number): string => `198.19.${i >> 8}.${i & 255}`;

function endpoints(i: number, notReadyNode?: string): Json[] {
  return Array.from({ length: ENDPOINTS_PER_SERVICE }, (_, j) => {
    const nodeName = nodeOf(i, j);
    const ready = nodeName !== notReadyNode;
    return { addresses: [`198.18.${100 + (i % 100)}.${(Math.floor(i / 100) * ENDPOINTS_PER_SERVICE + j) % 250}`], nodeName, conditions: { ready, serving: ready, terminating: false } };
  });
}

/** A loopback port with nothing listening: the peer's connection attempts are refused at once. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

async function populate(rest: Rest, peerPort: number): Promise<void> {
  for (const name of ['headland-system', ...Array.from({ length: NAMESPACES }, (_, n) => `ns-${n}`)]) {
    await rest.must('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  }
  await inPool(Array.from({ length: NODES }, (_, n) => n), 16, async (n) => {
    await rest.must('POST', '/api/v1/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: `node-${n}`, labels: { 'kubernetes.io/hostname': `node-${n}` } } });
  });
  const hl = '/apis/headland.io/v1beta1/namespaces/headland-system';
  const meta = (name: string): Json => ({ name, namespace: 'headland-system' });
  await rest.must('POST', `${hl}/ipaddresspools`, { apiVersion: 'headland.io/v1beta1', kind: 'IPAddressPool', metadata: meta('bench'), spec: { addresses: ['198.19.0.0/18'] } });
  await rest.must('POST', `${hl}/bgppeers`, { apiVersion: 'headland.io/v1beta1', kind: 'BGPPeer', metadata: meta('never-up'), spec: { myASN: 64513, peerASN: 64512, peerAddress: '127.0.0.1', peerPort, connectTime: '60s' } });
  await rest.must('POST', `${hl}/bgpadvertisements`, { apiVersion: 'headland.io/v1beta1', kind: 'BGPAdvertisement', metadata: meta('bench'), spec: { ipAddressPools: ['bench'], dataPlaneCheck: 'None' } }); // no kube-proxy here: EndpointSlices decide
  await inPool(Array.from({ length: SERVICES }, (_, i) => i), 64, async (i) => {
    const ns = nsOf(i);
    const name = `svc-${i}`;
    await rest.must('POST', `/api/v1/namespaces/${ns}/services`, {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, namespace: ns },
      spec: { type: 'LoadBalancer', externalTrafficPolicy: isLocal(i) ? 'Local' : 'Cluster', selector: { app: name }, ports: [{ port: 80, protocol: 'TCP', targetPort: 8080 }], ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack', allocateLoadBalancerNodePorts: false },
    });
    // What the controller would have written: the Service's IP from the pool.
    await rest.must('PATCH', `/api/v1/namespaces/${ns}/services/${name}/status`, { status: { loadBalancer: { ingress: [{ ip: serviceIP(i) }] } } }, 'application/merge-patch+json');
    await rest.must('POST', `/apis/discovery.k8s.io/v1/namespaces/${ns}/endpointslices`, {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: `${name}-1`, namespace: ns, labels: { 'kubernetes.io/service-name': name } },
      addressType: 'IPv4',
      ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
      endpoints: endpoints(i),
    });
  });
}

async function metricValue(url: string, name: string): Promise<number> {
  const text = await (await fetch(url)).text();
  return text
    .split('\n')
    .filter((l) => l.startsWith(name))
    .reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
}

interface FlushLine {
  readonly at: number;
  readonly ms: number;
  readonly evaluated: number;
  readonly changedPrefixes: number;
}

export async function runScaleBench(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'headland-bench-speaker-'));
  // Plain HTTP: the bench's REST client sends bulk creates without TLS or a token.
  // Ranges wide enough for 10,000 Services (a cluster that size sets them too): cluster IPs
  // clear of the load-balancer IPs below (198.19.0.0-198.19.39.255), and a health check node
  // port for each Local one (LoadBalancer node ports are not allocated).
  const api = await programs.startApiServer(dir, { historySize: 200_000, plainHttp: true, args: ['--service-cluster-ip-range', '198.19.64.0/18', '--service-node-port-range', '20000-60000'] });
  const rest = new Rest(api.url);
  let speaker: programs.Program | undefined;
  try {
    const created = performance.now();
    await populate(rest, await closedPort());
    const populateMs = performance.now() - created;

    const flushes: FlushLine[] = [];
    const logFile = process.env['SPEAKER_BENCH_LOG'];
    const onLine = (line: string): void => {
      if (logFile !== undefined) appendFileSync(logFile, `${(performance.now() / 1000).toFixed(3)} ${line}\n`);
      if (!line.includes('"flush done"')) return;
      const l = JSON.parse(line) as { ms: number; evaluated: number; changedPrefixes: number };
      flushes.push({ at: performance.now(), ms: l.ms, evaluated: l.evaluated, changedPrefixes: l.changedPrefixes });
    };
    const cpuProf = process.env['HEADLAND_BENCH_CPU_PROF'];
    // Another checkout's speaker (its build and its manifest's NODE_OPTIONS), for before/after.
    const root = process.env['SPEAKER_BENCH_SPEAKER_ROOT'] ?? programs.REPO_ROOT;
    const manifest = await readFile(join(root, 'manifests/speaker.yaml'), 'utf8');
    const nodeOptions = /name: NODE_OPTIONS\s+value: "([^"]*)"/.exec(manifest)?.[1]?.split(' ').filter((f) => f !== '') ?? [];
    const t0 = performance.now();
    speaker = programs.startProgram(
      [process.execPath, ...(cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${cpuProf}`] : []), ...nodeOptions, ...(process.env['SPEAKER_BENCH_NODE_ARGS']?.split(' ').filter((f) => f !== '') ?? []), join(root, 'speaker/dist/main.js'), '--kubeconfig', api.kubeconfig, '--node-name', ME, '--node-ip', '127.0.0.1', '--router-id', '198.18.0.11',
        '--listen-port', '0', '--metrics-addr', '127.0.0.1:0', '--health-addr', '127.0.0.1:0', '--log-level', 'debug'],
      { name: 'headland-speaker', onLine },
    );
    const started = await speaker.waitForLog((l) => l['msg'] === 'started', 60_000, 'started');
    const metricsUrl = `http://127.0.0.1:${String(started['metricsPort'])}/metrics`;
    const ready = await speaker.waitForLog((l) => l['msg'] === 'first flush done; ready', 120_000, 'the first flush');
    const coldStartMs = performance.now() - t0;

    // Settled: the status writes for every announced Service have gone out.
    let writes = -1;
    for (let stable = 0; stable < 4; ) {
      await new Promise((r) => setTimeout(r, 500));
      const now = await metricValue(metricsUrl, 'headland_speaker_status_writes_total');
      stable = now === writes ? stable + 1 : 0;
      writes = now;
    }
    // The status objects this node keeps: one SpeakerStatus now; one ServiceBGPStatus per announced Service before.
    const statusObjects: Record<string, number> = {};
    for (const plural of ['speakerstatuses', 'servicebgpstatuses', 'servicel2statuses']) {
      const list = (await rest.request('GET', `/apis/headland.io/v1beta1/namespaces/headland-system/${plural}`)).json ?? {};
      statusObjects[plural] = Array.isArray((list as { items?: unknown[] }).items) ? (list as { items: unknown[] }).items.length : 0;
    }
    const perNode = Object.values(statusObjects).reduce((a, b) => a + b, 0);
    const pid = speaker.proc.pid!;
    const memory = await memoryOf(pid);
    const settledLoad = load();
    // For a look inside: with --heapsnapshot-signal=SIGUSR1 in SPEAKER_BENCH_NODE_ARGS, a snapshot of the settled heap.
    if (process.env['SPEAKER_BENCH_HEAP_SNAPSHOT']) {
      process.kill(pid, 'SIGUSR1');
      await new Promise((r) => setTimeout(r, Number(process.env['SPEAKER_BENCH_HEAP_SNAPSHOT'])));
    }
    console.log(JSON.stringify({ bench: 'speaker/scale-rss', ...(root === programs.REPO_ROOT ? {} : { speaker: root }), services: SERVICES, endpoints: SERVICES * ENDPOINTS_PER_SERVICE, nodes: NODES, announced: ready['announced'], status_writes: writes, status_objects: statusObjects, status_objects_at_100_nodes: perNode * 100, rss_mb: Math.round(memory.rssMB), peak_rss_mb: Math.round(memory.peakMB), node_options: nodeOptions.join(' '), target_mb: RSS_TARGET_MB, ok: memory.rssMB <= RSS_TARGET_MB, cold_start_ms: Math.round(coldStartMs), populate_ms: Math.round(populateMs), load: settledLoad }));

    if (TRIALS === 0) return;
    // Local Services with exactly one endpoint here: turning it not-ready withdraws the IP, back
    // to ready announces it again; each write changes what this node announces.
    const candidates = Array.from({ length: SERVICES }, (_, i) => i).filter((i) => isLocal(i) && Array.from({ length: ENDPOINTS_PER_SERVICE }, (_, j) => nodeOf(i, j)).includes(ME));
    const picked = candidates.slice(0, Math.ceil(TRIALS / 2));
    const plan = [...picked.map((i) => ({ i, notReady: ME as string | undefined })), ...picked.map((i) => ({ i, notReady: undefined }))].slice(0, TRIALS);
    const total: number[] = [];
    const inSpeaker: number[] = [];
    const patchAnswered: number[] = [];
    const cpu0 = await cpuSecondsOf(pid);
    for (const { i, notReady } of plan) {
      await new Promise((r) => setTimeout(r, 30));
      const seen = flushes.length;
      const t = performance.now();
      await rest.must('PATCH', `/apis/discovery.k8s.io/v1/namespaces/${nsOf(i)}/endpointslices/svc-${i}-1`, { endpoints: endpoints(i, notReady) }, 'application/merge-patch+json');
      patchAnswered.push(performance.now() - t);
      const deadline = Date.now() + 10_000;
      let line: FlushLine | undefined;
      while ((line = flushes.slice(seen).find((f) => f.changedPrefixes > 0)) === undefined) {
        if (Date.now() > deadline) throw new Error(`bench/speaker-scale: no flush changed a prefix within 10 s of the write to svc-${i}`);
        await new Promise((r) => setImmediate(r));
      }
      total.push(line.at - t);
      inSpeaker.push(line.ms);
    }
    const cpu = (await cpuSecondsOf(pid)) - cpu0;
    const s = summarize(total);
    console.log(JSON.stringify({
      bench: 'speaker/scale-reevaluate', services: SERVICES, endpoints: SERVICES * ENDPOINTS_PER_SERVICE, ...s, target_ms: REEVAL_TARGET_MS, ok: s.p50_ms <= REEVAL_TARGET_MS, ok_on: 'p50',
      flush_p50_ms: Math.round(percentile(inSpeaker, 50) * 100) / 100, flush_p99_ms: Math.round(percentile(inSpeaker, 99) * 100) / 100,
      patch_answer_p50_ms: Math.round(percentile(patchAnswered, 50) * 10) / 10, patch_answer_p99_ms: Math.round(percentile(patchAnswered, 99) * 10) / 10,
      speaker_cpu_ms_per_change: Math.round((cpu * 1000) / plan.length), measured: 'EndpointSlice PATCH sent -> the speaker\'s "flush done" log line received (watch delivery, policy, routes, status queued); flush_* is the flush alone as the speaker logs it, patch_answer_* the API server\'s answer to the PATCH',
      load: load(),
    }));
  } catch (err) {
    if (speaker !== undefined) console.error(`bench/speaker-scale: the speaker's last lines:\n${[...speaker.logs.slice(-5).map((l) => JSON.stringify(l)), ...speaker.text.slice(-20)].join('\n')}`);
    throw err;
  } finally {
    await speaker?.stop('SIGTERM', 20_000);
    await api.stop();
    rest.close();
    await rm(dir, { recursive: true, force: true });
  }
}
