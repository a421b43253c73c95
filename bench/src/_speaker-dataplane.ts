// The data-plane checks' cost (issue 15), no lab: does it follow the pods on the node or the
// Services in the cluster? A PolicyEngine for node-0 of 100 nodes with 1,000 and 10,000 Services
// (half Local, ten endpoints each spread over the nodes), with dataPlaneCheck KubeProxy and None
// in one run: how many Services node-0 asks kube-proxy about, and the full and one-change flush
// times. Then the prober against a stand-in HttpGet that answers at once: requests per second
// and peak concurrency for 100 and 1,000 targets over 3 s with a 1 s period (10x the default rate).
import { buildConfig, snapshotFromObjects } from '@headland/api';
import { DataPlaneProber, PolicyEngine, type DataPlaneView, type HttpGet } from '@headland/speaker';

const NODES = 100;
const ME = 'node-0';
const print = (figure: Record<string, unknown>) => console.log(JSON.stringify({ bench: 'speaker-dataplane', ...figure }));

function config(check: 'KubeProxy' | 'None') {
  const objects = [
    { apiVersion: 'headland.io/v1beta1', kind: 'IPAddressPool', metadata: { name: 'p', namespace: 'headland-system' }, spec: { addresses: ['2001:db8::/112'] } },
    { apiVersion: 'headland.io/v1beta1', kind: 'BGPPeer', metadata: { name: 'tor', namespace: 'headland-system' }, spec: { myASN: 64513, peerASN: 64512, peerAddress: '198.18.0.1' } },
    { apiVersion: 'headland.io/v1beta1', kind: 'BGPAdvertisement', metadata: { name: 'a', namespace: 'headland-system' }, spec: { ipAddressPools: ['p'], dataPlaneCheck: check } },
  ];
  return buildConfig(snapshotFromObjects(objects).snapshot);
}

function engineWith(services: number, check: 'KubeProxy' | 'None'): { engine: PolicyEngine; fullMs: number } {
  const engine = new PolicyEngine({ nodeName: ME, lbClass: undefined }, config(check));
  const ok: DataPlaneView = { service: () => ({ ok: true, detail: '200' }), proxy: () => ({ ok: true, detail: '200' }) };
  engine.setDataPlane(ok);
  for (let n = 0; n < NODES; n++) engine.upsertNode({ name: `node-${n}`, labels: {}, networkUnavailable: false });
  for (let i = 0; i < services; i++) {
    const key = `ns/s${i}`;
    engine.upsertService({
      key, namespace: 'ns', name: `s${i}`, type: 'LoadBalancer', loadBalancerClass: undefined, trafficPolicy: i % 2 === 1 ? 'Local' : 'Cluster',
      ingressIPs: [{ family: 6, value: 0x20010db8000000000000000000000000n + BigInt(i + 1) }], labels: {}, poolHint: undefined, healthCheckNodePort: 30000 + (i % 2000),
    });
    engine.applySlice({ key: `${key}-a`, serviceKey: key, family: 6, endpoints: Array.from({ length: 10 }, (_, j) => ({ nodeName: `node-${(i + 13 * j) % NODES}`, ready: true, serving: true, terminating: false })) });
  }
  const t0 = performance.now();
  engine.flush();
  return { engine, fullMs: performance.now() - t0 };
}

export async function runDataPlaneBench(): Promise<void> {
for (const services of [1_000, 10_000]) {
  // Alternating, twice each, so warm-up favours neither.
  for (const [trial, check] of (['None', 'KubeProxy', 'None', 'KubeProxy'] as const).entries()) {
    const { engine, fullMs } = engineWith(services, check);
    const t = engine.dataPlaneTargets();
    // One Local Service gains an endpoint here: its flush (and the poke it yields).
    const key = 'ns/s3';
    engine.applySlice({ key: `${key}-a`, serviceKey: key, family: 6, endpoints: Array.from({ length: 11 }, (_, j) => ({ nodeName: j === 10 ? ME : `node-${(3 + 13 * j) % NODES}`, ready: true, serving: true, terminating: false })) });
    const t1 = performance.now();
    const delta = engine.flush();
    const oneMs = performance.now() - t1;
    print({ figure: 'targets and flush', trial, services, nodes: NODES, dataPlaneCheck: check, checkedServices: t.services.size, proxyChecked: t.proxy, fullFlushMs: Math.round(fullMs), oneChangeFlushMs: Math.round(oneMs * 1000) / 1000, evaluated: delta.evaluated, pokes: engine.takePokes().length });
  }
}

for (const targets of [100, 1_000]) {
  let inFlight = 0;
  let peak = 0;
  let requests = 0;
  const request: HttpGet = async (target) => {
    requests++;
    inFlight++;
    peak = Math.max(peak, inFlight);
    await new Promise((r) => setImmediate(r));
    inFlight--;
    const body = JSON.stringify({ service: { namespace: 'ns', name: `s${target.port - 30000}` }, localEndpoints: 1, serviceProxyHealthy: true });
    return { status: 200, headers: { 'x-load-balancing-endpoint-weight': '1', 'content-type': 'application/json' }, body, truncated: false };
  };
  const prober = new DataPlaneProber({ host: '127.0.0.1', periodicMs: 1_000, request });
  prober.setTargets(new Map(Array.from({ length: targets }, (_, i) => [`ns/s${i}`, 30000 + i])), true);
  await new Promise((r) => setTimeout(r, 500)); // first answers
  const before = requests;
  const t0 = Date.now();
  await new Promise((r) => setTimeout(r, 3_000));
  const perSecond = ((requests - before) * 1000) / (Date.now() - t0);
  prober.stop();
  print({ figure: 'prober', targets, periodMs: 1_000, requestsPerSecond: Math.round(perSecond), perTargetPerSecond: Math.round((perSecond / (targets + 1)) * 100) / 100, peakConcurrent: peak });
}
}
