// L2Runner from Kubernetes JSON: the key from the Secret, peers and readiness from Nodes, Events
// from the election; two runners on 127.0.0.1 and 127.0.0.2 share one membership port.
import { afterEach, expect, test } from '@jest/globals';
import { createLogger } from '@headland/kube';
import { electionInput, endpointsFor, manyServices, node } from './election/fixtures.js';
import type { AnsweredIP } from './ownership.js';
import type { L2Responder, ResponderCounters } from './responder-port.js';
import { L2Runner } from './runner.js';

class RecordingResponder implements L2Responder {
  answers: readonly AnsweredIP[] = [];
  setAnswers(answers: readonly AnsweredIP[]): void {
    this.answers = answers;
  }
  counters(): ResponderCounters {
    return { requestsReceived: 1, repliesSent: 1, gratuitousSent: 0, dropped: { truncated: 2 } };
  }
  async stop(): Promise<void> {}
}

const services = manyServices(4);
const view = electionInput({ nodes: [node('n1'), node('n2')], services, endpoints: endpointsFor(services, 'n1') });
const nodeObj = (name: string, address: string) => ({ metadata: { name }, status: { conditions: [{ type: 'Ready', status: 'True' }], addresses: [{ type: 'InternalIP', address }] } });
const nodes = [nodeObj('n1', '127.0.0.1'), nodeObj('n2', '127.0.0.2')];
const secret = { metadata: { name: 'headland-memberlist' }, data: { secretkey: Buffer.from('0123456789abcdef0123').toString('base64') } };
const log = createLogger({ name: 'test', level: 'silent' });
const PORT = 20_000 + (process.pid % 20_000);

let runners: L2Runner[] = [];
afterEach(async () => {
  await Promise.all(runners.map((r) => r.stop()));
  runners = [];
});

const runner = (self: string, onChange: () => void = () => undefined) =>
  new L2Runner({ self, lbClass: undefined, log, responder: new RecordingResponder(), port: PORT, handoverMs: 0, secretName: 'headland-memberlist', secretField: 'secretkey', nodeIPs: undefined, onChange });

test('two speakers split the IPs, each with Events for what it won, and probe each other', async () => {
  runners = [runner('n1'), runner('n2')];
  const events = await Promise.all(runners.map((r) => r.flush(view, nodes, [secret])));
  const won = events.flat().filter((e) => e.reason === 'L2Answering');
  expect(won.map((e) => e.service).sort()).toEqual(services.map((s) => s.key).sort());
  for (const r of runners) expect(r.figures().source).toBe('Probes');
  const end = Date.now() + 3_000;
  while (runners.some((r) => r.figures().aliveMembers < 2 || !r.mode.members().every((m) => m.heard)) && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
  expect(runners.map((r) => r.figures().aliveMembers)).toEqual([2, 2]);
  expect(runners.map((r) => r.figures().ownedIPs).reduce((a, b) => a + b)).toBe(4);
  expect(runners[0]!.figures().responder.dropped).toEqual({ truncated: 2 });
});

test.each<{ name: string; secrets: unknown[]; source: string }>([
  { name: 'no Secret: Node readiness', secrets: [], source: 'NoKey' },
  { name: 'a short key: Node readiness', secrets: [{ metadata: { name: 'headland-memberlist' }, stringData: { secretkey: 'short' } }], source: 'NoKey' },
  { name: 'another Secret is not ours', secrets: [{ ...secret, metadata: { name: 'other' } }], source: 'NoKey' },
])('$name', async ({ secrets, source }) => {
  const r = runner('n1');
  runners = [r];
  await r.flush(view, nodes, secrets);
  expect(r.figures().source).toBe(source);
  expect(r.mode.udpPort).toBeUndefined();
  // Both nodes are Ready, so the IPs are split as if probes said both are alive.
  expect(r.figures().ownedIPs).toBeLessThan(4);
});

test('no L2Advertisement: membership does not start', async () => {
  const r = runner('n1');
  runners = [r];
  await r.flush({ ...view, config: { ...view.config, l2Advertisements: [] } }, nodes, [secret]);
  expect(r.mode.udpPort).toBeUndefined();
  expect(r.figures().ownedIPs).toBe(0);
});

test('claims keep IPs where they are: fed the other node\'s claims, a speaker takes none of them', async () => {
  const r = runner('n1');
  runners = [r];
  // No key: both nodes count as alive by readiness, so the election alone decides.
  await r.flush(view, nodes, []);
  const free = r.figures().ownedIPs;
  expect(free).toBeGreaterThan(0);
  const everyIP = new Map([...r.mode.election.owners.keys()].map((ip) => [ip, ['n2']] as const));
  expect(everyIP.size).toBe(4);
  await r.flush(view, nodes, [], everyIP);
  // n2 claims all 4; the bound is ceil(4/2)+1 = 3, so it keeps 3 and n1 gets exactly the one it must.
  expect(r.figures().ownedIPs).toBe(1);
});

test('the flush publishes this node\'s data plane from view.dataPlane and says what kube-proxy must be asked', async () => {
  const r = runner('n1');
  runners = [r];
  const local = { ...services[0]!, key: 'ns/local', name: 'local', trafficPolicy: 'Local' as const, healthCheckNodePort: 30_100, ingressIPs: services[0]!.ingressIPs };
  const withLocal = electionInput({ nodes: [node('n1'), node('n2')], services: [local, ...services.slice(1)], endpoints: [...endpointsFor(services.slice(1), 'n2'), { service: 'ns/local', node: 'n1' }] });
  let proxyOk = false;
  const dataPlane = { service: () => undefined, proxy: () => (proxyOk ? { ok: true, detail: '200' } : undefined) };
  await r.flush({ ...withLocal, dataPlane }, nodes, [secret]);
  const targets = r.dataPlaneTargets();
  expect({ services: Object.fromEntries(targets.services), proxy: targets.proxy }).toEqual({ services: { 'ns/local': 30_100 }, proxy: true });
  expect(r.takeDataPlanePokes()).toEqual(['ns/local']);
  expect(r.takeDataPlanePokes()).toEqual([]);
  // Nothing answered yet: the Local Service is listed, /healthz not ok; this node is no candidate.
  expect(r.mode.dataPlaneOf().get('n1')).toEqual({ proxyServing: false, notServing: ['ns/local'], overflow: false });
  expect(r.figures().ownedIPs).toBe(0);
  proxyOk = true;
  await r.flush({ ...withLocal, dataPlane }, nodes, [secret]);
  expect(r.dataPlaneTargets().version).toBe(targets.version);
  expect(r.mode.dataPlaneOf().get('n1')).toEqual({ proxyServing: true, notServing: ['ns/local'], overflow: false });
  expect(r.figures().ownedIPs).toBeGreaterThan(0);
  // Without answers (a view with no dataPlane) nothing is published: this node stays a candidate.
  await r.flush(withLocal, nodes, [secret]);
  expect(r.mode.dataPlaneOf().get('n1')).toBeUndefined();
});
