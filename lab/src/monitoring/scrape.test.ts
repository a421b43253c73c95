// Every metric and label the alerts and the dashboard read is in the real scrape: headland-apiserver,
// headland-controller and a headland-speaker run as processes (the programs from dist/, as their
// ServiceAccounts under manifests/rbac), with a configuration that gives every family a sample: a
// pool with a Service, a request for a pool that does not exist, a pool no advertisement announces,
// a BGPPeer whose session cannot come up. Their /metrics are compared with manifests/monitoring/.
// No network namespaces: the speaker runs on the host with --listen-port 0 and a peer on a closed
// loopback port. Skipped with a message when the programs are not built (or older than the sources
// of their metrics) or kubectl is missing.
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KUBECTL, kubectl, startApiServer, type RunningApiServer } from '../programs/apiserver.js';
import { applyRbacManifests, CONTROLLER_ACCOUNT, forbiddenLines, HEADLAND_NAMESPACE, serviceAccountKubeconfig, SPEAKER_ACCOUNT } from '../programs/identities.js';
import { distPath, REPO_ROOT, startProgram, type Program } from '../programs/program.js';
import { DASHBOARD_FILE, dashboardQueries, missingInScrape, parseExposition, plainRuleGroups, ruleQueries, scrapeLabels, type Family } from './artifacts.js';

/** A build older than the metrics it should export would make this test compare the wrong names. */
function staleBuilds(): string[] {
  return [
    ['controller/src/metrics.ts', 'controller/dist/metrics.js'],
    ['speaker/src/metrics.ts', 'speaker/dist/metrics.js'],
    ['controller/src/run.ts', 'controller/dist/run.js'],
    ['speaker/src/main.ts', 'speaker/dist/main.js'],
    ['speaker/src/l2/runner.ts', 'speaker/dist/l2/runner.js'],
  ]
    .filter(([src, dist]) => statSync(join(REPO_ROOT, src!)).mtimeMs > statSync(join(REPO_ROOT, dist!)).mtimeMs)
    .map(([src]) => src!);
}

// Unit tests never need a build first, so without a current one this is skipped, not failed (CI
// builds before it tests: scripts/setup.sh).
const PROGRAMS = [distPath('controller', 'main.js'), distPath('speaker', 'main.js'), distPath('lab', 'apiserver/main.js')];
const missing = PROGRAMS.filter((p) => !existsSync(p));
const stale = missing.length > 0 ? [] : staleBuilds();
const skip =
  missing.length > 0 ? `the programs are not built (${missing.join(', ')}; npm run build)`
  : stale.length > 0 ? `dist/ is older than ${stale.join(', ')} (npm run build)`
  : KUBECTL === undefined ? 'kubectl is not installed'
  : undefined;
if (skip !== undefined) console.warn(`monitoring scrape.test: skipped, ${skip}`);

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  await new Promise((r) => server.close(r));
  return port;
}

const CONFIG = (peerPort: number) => `
apiVersion: v1
kind: Namespace
metadata: { name: shop }
---
apiVersion: v1
kind: Node
metadata: { name: node1, labels: { kubernetes.io/hostname: node1 } }
status: { addresses: [{ type: InternalIP, address: 127.0.0.1 }], conditions: [{ type: Ready, status: "True" }] }
---
apiVersion: headland.io/v1beta1
kind: IPAddressPool
metadata: { name: lab, namespace: headland-system }
spec: { addresses: [203.0.113.0/29] }
---
apiVersion: headland.io/v1beta1
kind: IPAddressPool
metadata: { name: dark, namespace: headland-system }
spec: { addresses: [203.0.113.8/30], autoAssign: false }
---
apiVersion: headland.io/v1beta1
kind: BGPPeer
metadata: { name: tor, namespace: headland-system }
spec: { myASN: 64513, peerASN: 64512, peerAddress: 127.0.0.1, peerPort: ${peerPort}, connectTime: 1s }
---
apiVersion: headland.io/v1beta1
kind: BGPAdvertisement
metadata: { name: lab, namespace: headland-system }
spec: { ipAddressPools: [lab], dataPlaneCheck: None }
`;

const service = (name: string, pool?: string) => `
apiVersion: v1
kind: Service
metadata: { name: ${name}, namespace: shop, annotations: ${JSON.stringify(pool === undefined ? {} : { 'headland.io/address-pool': pool })} }
spec: { type: LoadBalancer, selector: { app: ${name} }, ports: [{ port: 80, targetPort: 8080 }] }
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: { name: ${name}-a, namespace: shop, labels: { kubernetes.io/service-name: ${name} } }
addressType: IPv4
ports: [{ port: 8080, protocol: TCP }]
endpoints: [{ addresses: [198.18.101.2], nodeName: node1, conditions: { ready: true } }]
`;

async function scrape(program: Program): Promise<string> {
  const started = await program.waitForLog((l) => l['msg'] === 'started', 15_000, 'its started line');
  const res = await fetch(`http://127.0.0.1:${String(started['metricsPort'])}/metrics`);
  if (res.status !== 200) throw new Error(`${program.name}: /metrics answered ${res.status}`);
  return res.text();
}

/** Scrapes until every check passes (or the deadline): the figures follow the API server's objects. */
async function scrapeUntil(program: Program, wanted: readonly (string | RegExp)[], ms = 20_000): Promise<string> {
  const end = Date.now() + ms;
  let text = '';
  while (Date.now() < end) {
    text = await scrape(program);
    if (wanted.every((w) => (typeof w === 'string' ? text.includes(w) : w.test(text)))) return text;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${program.name}: /metrics never showed ${wanted.filter((w) => (typeof w === 'string' ? !text.includes(w) : !w.test(text))).join(', ')}; last:\n${text}`);
}

(skip === undefined ? describe : describe.skip)('the real scrape of headland-controller and headland-speaker', () => {
  let dir = '';
  let api: RunningApiServer | undefined;
  let controller: Program | undefined;
  let speaker: Program | undefined;
  let families = new Map<string, Family>();
  let controllerText = '';
  let speakerText = '';

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hl-monitoring-'));
    api = await startApiServer(dir);
    await applyRbacManifests(api.kubeconfig);
    await kubectl(api.kubeconfig, ['apply', '-f', '-'], CONFIG(await closedPort()));
    const asController = await serviceAccountKubeconfig(api.kubeconfig, dir, HEADLAND_NAMESPACE, CONTROLLER_ACCOUNT);
    const asSpeaker = await serviceAccountKubeconfig(api.kubeconfig, dir, HEADLAND_NAMESPACE, SPEAKER_ACCOUNT);
    controller = startProgram([process.execPath, distPath('controller', 'main.js'), '--kubeconfig', asController, '--identity', 'c1', '--metrics-addr', '127.0.0.1:0', '--health-addr', '127.0.0.1:0', '--webhook-addr', '127.0.0.1:0'], { name: 'controller' });
    speaker = startProgram(
      [process.execPath, distPath('speaker', 'main.js'), '--kubeconfig', asSpeaker, '--node-name', 'node1', '--node-ip', '127.0.0.1', '--router-id', '198.18.0.250', '--listen-port', '0', '--metrics-addr', '127.0.0.1:0', '--health-addr', '127.0.0.1:0'],
      { name: 'speaker' },
    );
    await controller.waitForLog((l) => l['msg'] === 'leading', 15_000, 'leading');
    await speaker.waitForLog((l) => l['msg'] === 'first flush done; ready', 20_000, 'ready');
    // web: an IP from lab, announced; dark: an IP from a pool no advertisement announces; nowhere:
    // a pool that does not exist (an allocation failure).
    await kubectl(api.kubeconfig, ['apply', '-f', '-'], [service('web'), service('dark', 'dark'), service('nowhere', 'nowhere')].join('---\n'));
    controllerText = await scrapeUntil(controller, [
      'headland_controller_services_unannounced 1',
      'headland_controller_allocation_failures_total{reason="PoolNotFound"}',
      'headland_controller_allocations_total{pool="dark"}',
      /headland_controller_reconcile_duration_seconds_bucket\{le="[^"]+",kind="Service"\}/,
    ]);
    speakerText = await scrapeUntil(speaker, ['headland_speaker_ready 1', 'headland_speaker_bgp_session_up{peer="tor",address="127.0.0.1"} 0', 'headland_speaker_announced_prefixes 1']);
    families = new Map([...parseExposition(controllerText), ...parseExposition(speakerText)]);
  }, 90_000);

  afterAll(async () => {
    await speaker?.stop('SIGTERM', 5_000);
    await controller?.stop('SIGTERM', 5_000);
    await api?.stop();
    if (dir !== '') rmSync(dir, { recursive: true, force: true });
  }, 30_000);

  test('every metric and label an alert reads is exported', () => {
    expect(missingInScrape(ruleQueries(plainRuleGroups()), families, scrapeLabels())).toEqual([]);
  });

  test('every metric and label a dashboard panel or variable reads is exported', () => {
    const dashboard = JSON.parse(readFileSync(DASHBOARD_FILE, 'utf8')) as unknown;
    expect(missingInScrape(dashboardQueries(dashboard), families, scrapeLabels())).toEqual([]);
  });

  test('the new figures: dark (endpoints, no advertisement) counts as unannounced and web (announced) does not; the speaker is ready; no L2 IP lacks an owner', () => {
    expect(controllerText).toContain('headland_controller_services_unannounced 1\n');
    expect(speakerText).toContain('headland_speaker_ready 1\n');
    expect(speakerText).toContain('headland_speaker_l2_unowned_ips 0\n');
  });

  test('as their ServiceAccounts, the reads behind the figures were not refused (manifests/rbac grants them)', () => {
    const lines = [controller!, speaker!].flatMap((p) => [...p.logs.map((l) => JSON.stringify(l)), ...p.text].map((l) => `${p.name}: ${l}`));
    expect(forbiddenLines(lines).filter((l) => /endpointslices|speakerstatuses|servicel2statuses|services/.test(l))).toEqual([]);
  });
});
