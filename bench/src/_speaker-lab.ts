// The speaker's end-to-end latencies in the speaker-bgp lab (FRR ToR, three k8s-nodes each with a
// headland-speaker, headland-apiserver and headland-controller on the host), under the k8s-lab
// lock; @headland/lab's SpeakerLab sets it up (control plane only: no echo pods, no kube-proxy
// stand-in). Timed against zebra's kernel routes on the ToR, read with `ip monitor route` as they land:
//  - a LoadBalancer Service applied (pods ready, EndpointSlice already there), through the REST
//    API and through kubectl, until the ToR routes its IP to all three nodes;
//  - a pod on a new node turning ready (an EndpointSlice PATCH), until the nexthops include it,
//    and turning not ready again, until they drop it.
// Gated (runLabBench({ gated: true })): the pod trial alone, in a lab of its own where each node
// runs the kube-proxy stand-in and the advertisement says dataPlaneCheck KubeProxy, so a node
// announces only once its kube-proxy's health check answers 200: the cost of the gate.
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { lab, programs, speakerLab } from '@headland/lab';
import { BgpCapture, epochMs } from './_speaker-capture.js';
import { holdLabLock } from './_speaker-lock.js';
import { RouteMonitor, gatewaysOf, type StampedRouteEvent } from './_speaker-monitor.js';
import { Rest, type Json } from './_speaker-rest.js';
import { LATENCY_TARGET, meetsLatencyTarget, percentile, summarize } from './_speaker-stats.js';

const TOPOLOGY = join(programs.REPO_ROOT, 'lab/topologies/speaker-bgp/speaker-bgp.clab.yml');
const LAB = 'speaker-bgp';
const NODE_IPS: Readonly<Record<string, string>> = { node1: '198.18.0.11', node2: '198.18.0.12', node3: '198.18.0.13' };
const NODES = Object.keys(NODE_IPS);
const POD = { node1: '198.18.101.2', node2: '198.18.102.2', node3: '198.18.103.2' } as const;
/** SpeakerLab's namespace for Services (its service() YAML is the kubectl trials'). */
const NS = 'shop';
const config = (gated: boolean): string => `
apiVersion: headland.io/v1beta1
kind: IPAddressPool
metadata: { name: bench, namespace: headland-system }
spec: { addresses: [203.0.113.0/24] }
---
apiVersion: headland.io/v1beta1
kind: BGPPeer
metadata: { name: tor, namespace: headland-system }
spec: { myASN: 64513, peerASN: 64512, peerAddress: 198.18.0.1, holdTime: 9s, connectTime: 1s }
---
apiVersion: headland.io/v1beta1
kind: BGPAdvertisement
metadata: { name: bench, namespace: headland-system }
# Ungated, no kube-proxy stand-in runs (nothing to check: EndpointSlices decide); gated, the
# stand-in runs on every node and its health checks gate each announcement.
spec: { ipAddressPools: [bench], dataPlaneCheck: ${gated ? 'KubeProxy' : 'None'} }
`;
const TRIALS = Number(process.env['SPEAKER_BENCH_LAB_TRIALS'] ?? 100);
/** Between trials: the follow-up writes of the last one (status objects, Events) settle. */
const GAP_MS = 250;
const STEP_TIMEOUT_MS = 15_000;

const load = (): number => Number(loadavg()[0]!.toFixed(2));
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const ipsOf = (nodes: readonly string[]): string[] => nodes.map((n) => NODE_IPS[n]!).sort();
const sameGateways = (e: StampedRouteEvent, nodes: readonly string[]): boolean => !e.deleted && JSON.stringify(gatewaysOf(e)) === JSON.stringify(ipsOf(nodes));

function sliceBody(service: string, endpoints: readonly { node: keyof typeof POD; ready: boolean }[]): Json {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: `${service}-1`, namespace: NS, labels: { 'kubernetes.io/service-name': service } },
    addressType: 'IPv4',
    ports: [{ name: 'http', protocol: 'TCP', port: 8080 }],
    endpoints: endpoints.map((e) => ({ addresses: [POD[e.node]], nodeName: e.node, conditions: { ready: e.ready, serving: e.ready, terminating: false } })),
  };
}

function serviceBody(name: string, policy: 'Cluster' | 'Local'): Json {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: NS },
    spec: { type: 'LoadBalancer', externalTrafficPolicy: policy, selector: { app: name }, ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 8080 }] },
  };
}

/** Service name -> its IP, from a watch, with waiters for an IP not seen yet. */
class IngressWatch {
  private readonly ips = new Map<string, { ip: string; at: number }>();
  private readonly waiters = new Map<string, (v: { ip: string; at: number }) => void>();

  seen(type: string, obj: Json, at: number): void {
    const name = String(obj['metadata']?.['name']);
    const ip = obj['status']?.['loadBalancer']?.['ingress']?.[0]?.['ip'] as string | undefined;
    if (type === 'DELETED' || ip === undefined) {
      this.ips.delete(name);
      return;
    }
    if (this.ips.has(name)) return;
    this.ips.set(name, { ip, at });
    this.waiters.get(name)?.({ ip, at });
    this.waiters.delete(name);
  }

  ipOf(name: string): Promise<{ ip: string; at: number }> {
    const known = this.ips.get(name);
    if (known !== undefined) return Promise.resolve(known);
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`bench/speaker-lab: no IP for ${NS}/${name} within ${STEP_TIMEOUT_MS} ms`)), STEP_TIMEOUT_MS);
      this.waiters.set(name, (v) => (clearTimeout(t), resolve(v)));
    });
  }
}

interface FlushSeen {
  readonly node: string;
  readonly at: number;
  readonly changedPrefixes: number;
}

/** The last flush that changed a prefix, of any speaker, in (from, to]: when the speakers were done. */
function speakersDone(flushes: readonly FlushSeen[], from: number, to: number): number | undefined {
  let last: number | undefined;
  for (const f of flushes) if (f.changedPrefixes > 0 && f.at > from && f.at <= to) last = f.at;
  return last;
}

const p50 = (xs: readonly number[]): number | null => (xs.length === 0 ? null : Math.round(percentile(xs, 50) * 10) / 10);

export async function runLabBench(opts: { gated?: boolean } = {}): Promise<void> {
  const gated = opts.gated === true;
  if (process.getuid?.() !== 0 || programs.KUBECTL === undefined) {
    console.log(JSON.stringify({ bench: 'speaker/lab', skipped: process.getuid?.() !== 0 ? 'needs root (it builds the speaker-bgp lab)' : 'kubectl is not installed' }));
    return;
  }
  const lock = await holdLabLock();
  const flushes: FlushSeen[] = [];
  // Control plane only (no echo pods, no kube-proxy stand-in: nothing but the speakers reacts to
  // a write), speakers at debug for their "flush done" lines, timed as they arrive.
  const bench = new speakerLab.SpeakerLab({
    topology: TOPOLOGY,
    lab: LAB,
    nodes: Object.fromEntries(NODES.map((n) => [n, [NODE_IPS[n]!]])),
    pods: {},
    config: config(gated),
    kubeProxy: gated,
    speakerLogLevel: 'debug',
    onSpeakerLine: (node, line) => {
      if (!line.includes('"flush done"')) return;
      flushes.push({ node, at: performance.now(), changedPrefixes: Number((JSON.parse(line) as { changedPrefixes: number }).changedPrefixes) });
    },
  });
  let rest: Rest | undefined;
  let monitor: RouteMonitor | undefined;
  let capture: BgpCapture | undefined;
  let watch: { close(): void } | undefined;
  try {
    await bench.start();
    rest = new Rest(programs.kubeconfigAccess(bench.api!.kubeconfig), 8);
    await lab.waitEstablished(LAB, 'tor', 'frr', { peers: Object.values(NODE_IPS) }, 30_000);
    const tor = bench.l!.namespace('tor');
    monitor = await RouteMonitor.start(tor);
    capture = await BgpCapture.start(tor, 'eth1');
    const cap = capture;
    /** From t0 to the last UPDATE the ToR received before the route changed. */
    const updateAt = (t0: number, routeAt: number): number | undefined => {
      const seg = cap.lastUpdateBetween(epochMs(t0), epochMs(routeAt));
      return seg === undefined ? undefined : seg.atEpochMs - epochMs(t0);
    };
    const ingress = new IngressWatch();
    const list = await rest.must('GET', `/api/v1/namespaces/${NS}/services`);
    watch = rest.watch(`/api/v1/namespaces/${NS}/services`, String(list['metadata']?.['resourceVersion']), (type, obj, at) => ingress.seen(type, obj, at));
    const mon = monitor;
    const r = rest;
    const routeTo = (from: number, ip: string, nodes: readonly string[], what: string) => mon.waitFor(from, (e) => e.dst === ip && sameGateways(e, nodes), STEP_TIMEOUT_MS, what);
    const goneFrom = (from: number, ip: string) => mon.waitFor(from, (e) => e.dst === ip && e.deleted, STEP_TIMEOUT_MS, `withdrawal of ${ip}`);

    // 1. A Service applied: to the ToR routing its IP to all three nodes (Cluster).
    for (const via of gated ? [] : (['rest', 'kubectl'] as const)) {
      const total: number[] = [];
      const first: number[] = [];
      const assigned: number[] = [];
      const speakers: number[] = [];
      const client: number[] = [];
      const withdrawn: number[] = [];
      const atRouter: number[] = [];
      for (let k = 0; k < TRIALS; k++) {
        const name = `${via}-${k}`;
        await r.must('POST', `/apis/discovery.k8s.io/v1/namespaces/${NS}/endpointslices`, sliceBody(name, [{ node: 'node1', ready: true }, { node: 'node2', ready: true }]));
        await sleep(GAP_MS);
        const mark = mon.events.length;
        const t0 = performance.now();
        if (via === 'rest') await r.must('POST', `/api/v1/namespaces/${NS}/services`, serviceBody(name, 'Cluster'));
        else await bench.apply(bench.service(name, 'Cluster'));
        client.push(performance.now() - t0);
        const { ip, at: ipAt } = await ingress.ipOf(name);
        const complete = await routeTo(mark, ip, NODES, `route to ${ip} via all three nodes`);
        const firstRoute = mon.events.slice(mark).find((e) => e.dst === ip && !e.deleted)!;
        total.push(complete.at - t0);
        first.push(firstRoute.at - t0);
        assigned.push(ipAt - t0);
        const done = speakersDone(flushes, t0, complete.at);
        if (done !== undefined) speakers.push(done - t0);
        const wire = updateAt(t0, complete.at);
        if (wire !== undefined) atRouter.push(wire);
        await sleep(GAP_MS);
        const delMark = mon.events.length;
        const d0 = performance.now();
        await r.must('DELETE', `/api/v1/namespaces/${NS}/services/${name}`);
        withdrawn.push((await goneFrom(delMark, ip)).at - d0);
        await r.must('DELETE', `/apis/discovery.k8s.io/v1/namespaces/${NS}/endpointslices/${name}-1`);
      }
      const s = summarize(total);
      console.log(JSON.stringify({
        bench: `speaker/lab-service-apply-${via}`, ...s, target: LATENCY_TARGET, ok: meetsLatencyTarget(s),
        first_nexthop_p50_ms: p50(first), ip_assigned_p50_ms: p50(assigned), speakers_flushed_p50_ms: p50(speakers), update_at_router_p50_ms: p50(atRouter), [via === 'rest' ? 'post_answered_p50_ms' : 'kubectl_exited_p50_ms']: p50(client),
        withdraw_after_delete: summarize(withdrawn),
        ...(via === 'kubectl' ? { note: 'kubectl itself takes ~80 ms to start and send; the REST line is the same path without it' } : {}),
        measured: `${via === 'rest' ? 'POST of the Service sent' : 'kubectl apply started'} -> the ToR kernel route to its IP with all 3 nodes as nexthops (ip monitor route on the ToR: zebra installed FRR's best paths); stages: first nexthop, IP in the Service status (watch), last speaker flush that changed a prefix, last UPDATE received by the ToR (tcpdump); FRR holds routes ~50 ms in bgpd and ~10 ms in zebra before the kernel has them`,
        load: load(),
      }));
    }

    // 2. A pod on a new node turning ready: a Local Service with a ready pod on node1 and a
    // not-ready one on node3; node3's turns ready (nexthops {node1, node3}) and back (node1).
    await r.must('POST', `/apis/discovery.k8s.io/v1/namespaces/${NS}/endpointslices`, sliceBody('mover', [{ node: 'node1', ready: true }, { node: 'node3', ready: false }]));
    const markMover = mon.events.length;
    await r.must('POST', `/api/v1/namespaces/${NS}/services`, serviceBody('mover', 'Local'));
    const { ip } = await ingress.ipOf('mover');
    await routeTo(markMover, ip, ['node1'], `route to ${ip} via node1`);
    const ready: number[] = [];
    const unready: number[] = [];
    const readySpeaker: number[] = [];
    const readyAtRouter: number[] = [];
    const patch = (node3Ready: boolean) =>
      r.must('PATCH', `/apis/discovery.k8s.io/v1/namespaces/${NS}/endpointslices/mover-1`, { endpoints: sliceBody('mover', [{ node: 'node1', ready: true }, { node: 'node3', ready: node3Ready }])['endpoints'] }, 'application/merge-patch+json');
    for (let k = 0; k < TRIALS; k++) {
      await sleep(GAP_MS);
      let mark = mon.events.length;
      let t0 = performance.now();
      await patch(true);
      const up = await routeTo(mark, ip, ['node1', 'node3'], `nexthops node1+node3 for ${ip}`);
      ready.push(up.at - t0);
      const done = speakersDone(flushes, t0, up.at);
      if (done !== undefined) readySpeaker.push(done - t0);
      const wire = updateAt(t0, up.at);
      if (wire !== undefined) readyAtRouter.push(wire);
      await sleep(GAP_MS);
      mark = mon.events.length;
      t0 = performance.now();
      await patch(false);
      unready.push((await routeTo(mark, ip, ['node1'], `nexthop node1 only for ${ip}`)).at - t0);
    }
    const s = summarize(ready);
    console.log(JSON.stringify({
      bench: `speaker/lab-pod-ready-new-node${gated ? '-gated' : ''}`, ...s, target: LATENCY_TARGET, ok: meetsLatencyTarget(s), speaker_flushed_p50_ms: p50(readySpeaker), update_at_router_p50_ms: p50(readyAtRouter),
      pod_not_ready: summarize(unready),
      measured: 'EndpointSlice PATCH (node3 endpoint ready) sent -> the ToR kernel route gains node3 as a nexthop (ip monitor route); pod_not_ready: the reverse PATCH -> node3 dropped',
      ...(gated ? { gate: "dataPlaneCheck KubeProxy: node3 announces once its kube-proxy stand-in (no added lag) has applied the change and its healthCheckNodePort answers 200; speaker_flushed is then the flush after that answer" } : {}),
      load: load(),
    }));
  } catch (err) {
    for (const p of [bench.controller, ...bench.speakers.values()]) {
      if (p !== undefined) console.error(`bench/speaker-lab: ${p.name}, last lines:\n${[...p.logs.slice(-6).map((x) => JSON.stringify(x)), ...p.text.slice(-6)].join('\n')}`);
    }
    throw err;
  } finally {
    watch?.close();
    await monitor?.stop();
    await capture?.stop();
    await bench.stop();
    rest?.close();
    await lock.release();
  }
}
