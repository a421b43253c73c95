// The data-plane rule: with dataPlaneCheck KubeProxy a node announces a Local Service only while
// kube-proxy's health check node port says it serves it here (and with its weight), a Cluster
// Service only while /healthz says 200; None, or no answers given, leaves EndpointSlices alone.
import { describe, expect, test } from '@jest/globals';
import { BANDWIDTH_PER_ENDPOINT } from './endpoint-rules.js';
import { announcements, explainService } from './announcements.js';
import { PolicyEngine, PROXY_CHECK_KEY } from './engine.js';
import { input, node, service, testConfig, type EndpointSpec } from './fixtures.js';
import { REASON, type DataPlaneAnswer, type DataPlaneView, type Reason } from './types.js';

const UNIT = BANDWIDTH_PER_ENDPOINT;
const ok = (weight?: number): DataPlaneAnswer => ({ ok: true, detail: 'GET answered 200', ...(weight === undefined ? {} : { weight }) });
const no: DataPlaneAnswer = { ok: false, detail: 'GET http://127.0.0.1:31000/ answered 503 (localEndpoints 0)' };

interface Case {
  name: string;
  policy: 'Local' | 'Cluster';
  check?: 'KubeProxy' | 'None';
  /** undefined: the policy is given no answers at all (checks not applied). */
  plane?: { service?: DataPlaneAnswer; proxy?: DataPlaneAnswer };
  endpoints?: EndpointSpec[];
  hcnp?: number | null;
  reason: Reason;
  bandwidth?: number;
}

const view = (p: Case['plane']): DataPlaneView | undefined => (p === undefined ? undefined : { service: () => p.service, proxy: () => p.proxy });

function run(c: Case) {
  const dataPlane = view(c.plane);
  const i = {
    ...input({
      config: testConfig({ pools: { p4: ['203.0.113.0/24'] }, peers: [{ name: 'r1' }], ads: [{ name: 'a', pools: ['p4'], dataPlaneCheck: c.check ?? 'KubeProxy' }] }),
      services: [service({ key: 'ns/s', ips: ['203.0.113.10'], policy: c.policy, ...(c.hcnp === null ? {} : { healthCheckNodePort: c.hcnp ?? 31000 }) })],
      nodes: [node('n1'), node('n2')],
      endpoints: c.endpoints ?? [{ service: 'ns/s', node: 'n1' }, { service: 'ns/s', node: 'n1' }, { service: 'ns/s', node: 'n2' }],
    }),
    ...(dataPlane === undefined ? {} : { dataPlane }),
  };
  return { list: announcements(i), why: explainService(i, 'ns/s') };
}

describe('data-plane checks', () => {
  test.each<Case>([
    { name: 'Local, kube-proxy serves it: announced with the EndpointSlice weight', policy: 'Local', plane: { service: ok() }, reason: REASON.Announced, bandwidth: 2 * UNIT },
    { name: 'Local, kube-proxy sends its weight: that weight', policy: 'Local', plane: { service: ok(1) }, reason: REASON.Announced, bandwidth: 1 * UNIT },
    { name: 'Local, kube-proxy answers 503: not announced', policy: 'Local', plane: { service: no }, reason: REASON.DataPlaneNotServing },
    { name: 'Local, not asked yet: not announced', policy: 'Local', plane: {}, reason: REASON.DataPlaneNotChecked },
    { name: 'Local without a healthCheckNodePort: cannot be asked, not announced', policy: 'Local', hcnp: null, plane: { service: ok() }, reason: REASON.DataPlaneNotServing },
    { name: 'Local, the proxy /healthz failing does not matter to it', policy: 'Local', plane: { service: ok(), proxy: no }, reason: REASON.Announced, bandwidth: 2 * UNIT },
    { name: 'Local, no local endpoint: the endpoints decide first', policy: 'Local', plane: { service: ok() }, endpoints: [{ service: 'ns/s', node: 'n2' }], reason: REASON.NoLocalEndpoint },
    {
      name: 'Local served only by draining pods here: /healthz decides (kube-proxy never counts them)',
      policy: 'Local', plane: { service: no, proxy: ok() }, endpoints: [{ service: 'ns/s', node: 'n1', ready: false, serving: true, terminating: true }], reason: REASON.AnnouncedServingTerminating, bandwidth: UNIT,
    },
    { name: 'Cluster, /healthz 200: announced', policy: 'Cluster', plane: { proxy: ok() }, reason: REASON.Announced },
    { name: 'Cluster, /healthz 503 (node being deleted): withdrawn', policy: 'Cluster', plane: { proxy: no, service: ok() }, reason: REASON.DataPlaneNotServing },
    { name: 'Cluster, /healthz not asked yet', policy: 'Cluster', plane: {}, reason: REASON.DataPlaneNotChecked },
    { name: 'dataPlaneCheck None: EndpointSlices alone (Local)', policy: 'Local', check: 'None', plane: { service: no, proxy: no }, reason: REASON.Announced, bandwidth: 2 * UNIT },
    { name: 'dataPlaneCheck None: EndpointSlices alone (Cluster)', policy: 'Cluster', check: 'None', plane: { proxy: no }, reason: REASON.Announced },
    { name: 'no answers given at all (a tool without them): checks not applied', policy: 'Local', reason: REASON.Announced, bandwidth: 2 * UNIT },
  ])('$name', (c) => {
    const { list, why } = run(c);
    expect(why?.verdict.reason).toBe(c.reason);
    const announced = c.reason === REASON.Announced || c.reason === REASON.AnnouncedServingTerminating;
    expect(list.length > 0).toBe(announced);
    for (const a of list) expect(a.linkBandwidth).toBe(c.bandwidth);
    if (c.reason === REASON.DataPlaneNotServing || c.reason === REASON.DataPlaneNotChecked) expect(why?.verdict.detail).toMatch(/^kube-proxy on node n1: /);
  });
});

describe('the engine keeps the prober\'s targets and re-evaluates what an answer touches', () => {
  const config = testConfig({ pools: { p4: ['203.0.113.0/24'] }, peers: [{ name: 'r1' }], ads: [{ name: 'a', pools: ['p4'] }] });
  const answers = new Map<string, DataPlaneAnswer>();
  let proxy: DataPlaneAnswer | undefined;
  const engine = new PolicyEngine({ nodeName: 'n1', lbClass: undefined }, config);
  engine.setDataPlane({ service: (k) => answers.get(k), proxy: () => proxy });
  engine.upsertNode(node('n1'));
  engine.upsertService(service({ key: 'ns/local', ips: ['203.0.113.1'], policy: 'Local', healthCheckNodePort: 31001 }));
  engine.upsertService(service({ key: 'ns/cluster', ips: ['203.0.113.2'], policy: 'Cluster', healthCheckNodePort: 31002 }));
  engine.upsertService(service({ key: 'ns/elsewhere', ips: ['203.0.113.3'], policy: 'Local', healthCheckNodePort: 31003 }));
  const slice = (svc: string, nodeName: string, ready = true) => ({ key: `${svc}-slice`, serviceKey: svc, family: 4 as const, endpoints: [{ nodeName, ready, serving: ready, terminating: false }] });
  engine.applySlice(slice('ns/local', 'n1'));
  engine.applySlice(slice('ns/cluster', 'n2'));
  engine.applySlice(slice('ns/elsewhere', 'n2'));

  test('before any answer nothing is announced, and the targets are the Local Service with an endpoint here and /healthz', () => {
    const delta = engine.flush();
    expect(delta.changed.size).toBe(0);
    const t = engine.dataPlaneTargets();
    expect(Object.fromEntries(t.services)).toEqual({ 'ns/local': 31001 });
    expect(t.proxy).toBe(true);
    expect(engine.takePokes()).toEqual(['ns/local']);
    expect(engine.takePokes()).toEqual([]);
  });
  test('an answer re-evaluates only its Service', () => {
    answers.set('ns/local', ok(3));
    engine.dataPlaneChanged(['ns/local']);
    const delta = engine.flush();
    expect(delta.evaluated).toBe(1);
    expect([...delta.changed.keys()]).toEqual(['203.0.113.1/32']);
    expect(delta.changed.get('203.0.113.1/32')?.[0]?.linkBandwidth).toBe(3 * UNIT);
  });
  test('/healthz re-evaluates the Services that wait on it', () => {
    proxy = ok();
    engine.dataPlaneChanged([PROXY_CHECK_KEY]);
    const delta = engine.flush();
    expect(delta.evaluated).toBe(1);
    expect([...delta.changed.keys()]).toEqual(['203.0.113.2/32']);
  });
  test('the endpoint leaving this node drops the target; a new one here pokes it', () => {
    const before = engine.dataPlaneTargets().version;
    engine.applySlice(slice('ns/local', 'n2'));
    engine.applySlice(slice('ns/elsewhere', 'n1'));
    engine.flush();
    const t = engine.dataPlaneTargets();
    expect(t.version).not.toBe(before);
    expect(Object.fromEntries(t.services)).toEqual({ 'ns/elsewhere': 31003 });
    expect(engine.takePokes()).toEqual(['ns/elsewhere']);
  });
});
