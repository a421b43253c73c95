// The validating webhook end to end against headland-apiserver, with the real kubectl; no root and
// no network namespaces. The repository's manifests/webhook.yaml is applied as it is (Service and
// ValidatingWebhookConfiguration without a caBundle); the test plays the EndpointSlice controller,
// which the lab has not, pointing the Service at the webhook on 127.0.0.1. First the controller's
// webhook in this process: what is refused (with the lines `headland validate` prints) and what
// not, the certificate Secret and the caBundle. Then real headland-controller programs, restarted
// one by one while a loop of `kubectl apply` runs: no apply may fail.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildConfig, formatIssue, snapshotFromObjects } from '@headland/api';
import { runController, startWebhook, type RunningController, type RunningWebhook } from '@headland/controller';
import { HttpClient, createLogger, loadKubeConfig } from '@headland/kube';
import { KUBECTL, REPO_ROOT, distPath, startApiServer, startProgram, type Program, type RunningApiServer } from '@headland/lab/programs';
import { parseAllDocuments } from 'yaml';

const NS = 'headland-system';
const HOOK = 'validate.headland.io';
const describeKubectl = KUBECTL === undefined ? describe.skip : describe;
if (KUBECTL === undefined) console.warn('webhook suite: kubectl not found, the suite is skipped');

const figure = (line: string): void => void process.stderr.write(`${line}\n`);
const log = createLogger({ name: 'webhook-e2e', level: process.env['HEADLAND_E2E_LOG'] ?? 'silent' });

let dir = '';
let api: RunningApiServer;
let rest: HttpClient;

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** kubectl with its exit code and both streams (warnings and denials are on stderr). */
function k(args: readonly string[], stdin?: string): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(KUBECTL ?? 'kubectl', ['--kubeconfig', api.kubeconfig, ...args], { maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : 1;
      resolve({ code, stdout, stderr });
    });
    child.stdin?.end(stdin ?? '');
  });
}

async function ok(args: readonly string[], stdin?: string): Promise<Run> {
  const r = await k(args, stdin);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed: ${r.stderr}`);
  return r;
}

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const yaml = (kind: string, name: string, spec: Record<string, unknown>, namespace = NS): string =>
  `apiVersion: headland.io/v1beta1\nkind: ${kind}\nmetadata: { name: ${name}, namespace: ${namespace} }\nspec: ${JSON.stringify(spec)}\n`;

/** The issue lines `headland validate -f FILE` prints (its last line is the summary), or buildConfig's if the CLI is not built. */
async function validateLines(file: string, text: string): Promise<string[]> {
  const fromApi = buildConfig(snapshotFromObjects(parseAllDocuments(text).map((d) => d.toJS() as unknown)).snapshot).issues.map(formatIssue);
  const cli = join(REPO_ROOT, 'cli/dist/main.js');
  if (!existsSync(cli)) return fromApi;
  const lines = await new Promise<string[]>((resolve) =>
    execFile(process.execPath, [cli, 'validate', '-f', file], (_err, stdout, stderr) => resolve(`${stdout}${stderr}`.split('\n').filter((l) => l !== ''))),
  );
  const issues = lines.slice(0, -1);
  // The CLI and the webhook word problems through the same formatIssue of @headland/api.
  expect(issues).toEqual(fromApi);
  return issues;
}

interface Endpoint {
  readonly ip: string;
  readonly port: number;
  readonly ready: boolean;
}

const SLICES = `/apis/discovery.k8s.io/v1/namespaces/${NS}/endpointslices`;
const sliceVersions = new Map<string, string>();

/** Writes the EndpointSlice `name` of the webhook Service as the EndpointSlice controller would (one per port). */
async function writeSlice(name: string, endpoint: Endpoint | undefined): Promise<void> {
  const rv = sliceVersions.get(name);
  if (endpoint === undefined) {
    if (rv === undefined) return;
    sliceVersions.delete(name);
    await rest.request('DELETE', `${SLICES}/${name}`);
    return;
  }
  const body = {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name, namespace: NS, labels: { 'kubernetes.io/service-name': 'headland-webhook' }, ...(rv === undefined ? {} : { resourceVersion: rv }) },
    addressType: 'IPv4',
    ports: [{ name: 'webhook', port: endpoint.port, protocol: 'TCP' }],
    endpoints: [{ addresses: [endpoint.ip], conditions: { ready: endpoint.ready } }],
  };
  const out = (await (rv === undefined ? rest.request('POST', SLICES, { body }) : rest.request('PUT', `${SLICES}/${name}`, { body }))) as { metadata: { resourceVersion: string } };
  sliceVersions.set(name, out.metadata.resourceVersion);
}

beforeAll(async () => {
  if (KUBECTL === undefined) return;
  dir = await mkdtemp(join(tmpdir(), 'headland-webhook-e2e-'));
  api = await startApiServer(dir);
  rest = await HttpClient.create(loadKubeConfig(api.kubeconfig), 2);
  await ok(['apply', '-f', '-'], 'apiVersion: v1\nkind: Namespace\nmetadata: { name: headland-system }\n---\napiVersion: v1\nkind: Namespace\nmetadata: { name: elsewhere }\n');
  // An object that got in before the webhook was installed, and stays broken.
  await ok(['apply', '-f', '-'], yaml('IPAddressPool', 'legacy', { addresses: ['203.0.113.300/32'] }));
}, 30_000);

afterAll(async () => {
  rest?.close();
  await api?.stop();
  if (dir !== '') await rm(dir, { recursive: true, force: true });
});

describeKubectl('the webhook in this process, behind manifests/webhook.yaml', () => {
  let controller: RunningController;
  let webhook: RunningWebhook;
  let webhookRest: HttpClient;

  async function startHook(): Promise<number> {
    webhook = startWebhook({ rest: webhookRest, namespace: NS, addr: '127.0.0.1:0', drainMs: 0, objects: () => controller.headlandObjects(), synced: controller.whenSynced, log, metrics: controller.metrics });
    const port = await webhook.listening;
    await writeSlice('headland-webhook-inproc', { ip: '127.0.0.1', port, ready: true });
    await until('the webhook to be ready', () => webhook.ready().ok);
    return port;
  }

  /** The informers have caught up with an object (the webhook decides on them). */
  const seen = (kind: string, name: string, present = true) =>
    until(`${kind} ${name} ${present ? 'in' : 'out of'} the informers`, () => controller.headlandObjects().some((o) => (o as { kind: string; metadata: { name: string } }).kind === kind && (o as { metadata: { name: string } }).metadata.name === name) === present || undefined);

  beforeAll(async () => {
    if (KUBECTL === undefined) return;
    await ok(['apply', '-f', join(REPO_ROOT, 'manifests/webhook.yaml')]);
    const kc = loadKubeConfig(api.kubeconfig);
    controller = await runController({
      kc,
      flags: { namespace: NS, lbClass: undefined, leaseName: 'headland-controller', identity: 'e2e', leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000, workers: 4 },
      log,
    });
    webhookRest = await HttpClient.create(kc, 2);
    await startHook();
  }, 30_000);

  afterAll(async () => {
    await webhook?.stop();
    await writeSlice('headland-webhook-inproc', undefined).catch(() => undefined);
    await controller?.stop();
    webhookRest?.close();
  });

  test('the API server labels namespaces with their name, which the namespaceSelector matches', async () => {
    const ns = JSON.parse((await ok(['get', 'namespace', NS, '-o', 'json'])).stdout) as { metadata: { labels: Record<string, string> } };
    expect(ns.metadata.labels['kubernetes.io/metadata.name']).toBe(NS);
  });

  test('the controller made its certificate Secret and put its CA into the configuration\'s caBundle', async () => {
    const secret = JSON.parse((await ok(['get', 'secret', '-n', NS, 'headland-webhook-cert', '-o', 'json'])).stdout) as { type: string; data: Record<string, string> };
    expect(secret.type).toBe('kubernetes.io/tls');
    expect(Object.keys(secret.data).sort()).toEqual(['ca.crt', 'ca.key', 'tls.crt', 'tls.key']);
    const config = JSON.parse((await ok(['get', 'validatingwebhookconfiguration', 'headland-validating-webhook', '-o', 'json'])).stdout) as { webhooks: { clientConfig: { caBundle: string } }[] };
    expect(config.webhooks.map((w) => Buffer.from(w.clientConfig.caBundle, 'base64').toString())).toEqual([Buffer.from(secret.data['ca.crt']!, 'base64').toString()]);
  });

  test('an invalid pool is refused with exactly the lines `headland validate` prints, and not stored', async () => {
    const text = yaml('IPAddressPool', 'bad', { addresses: ['203.0.113.0/33', '2001:db8::/129'] });
    const file = join(dir, 'bad.yaml');
    await writeFile(file, text);
    const lines = await validateLines(file, text);
    expect(lines).toHaveLength(2);
    const r = await k(['apply', '-f', file]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(`Error from server (Forbidden): error when creating "${file}": admission webhook "${HOOK}" denied the request: ${lines.join('\n')}`);
    expect((await k(['get', 'ipaddresspool', '-n', NS, 'bad'])).stderr).toMatch(/NotFound/);
  });

  test('a valid pool is accepted; an update that breaks it is refused and the stored pool stays as it was', async () => {
    await ok(['apply', '-f', '-'], yaml('IPAddressPool', 'good', { addresses: ['203.0.113.0/28'] }));
    await seen('IPAddressPool', 'good');
    const r = await k(['apply', '-f', '-'], yaml('IPAddressPool', 'good', { addresses: ['203.0.113.0/33'] }));
    expect(r.stderr).toContain(`denied the request: IPAddressPool headland-system/good: spec.addresses[0]: ip: "203.0.113.0/33" is not a CIDR: prefix length 33 is longer than 32 bits of IPv4`);
    const stored = JSON.parse((await ok(['get', 'ipaddresspool', '-n', NS, 'good', '-o', 'json'])).stdout) as { spec: { addresses: string[] } };
    expect(stored.spec.addresses).toEqual(['203.0.113.0/28']);
  });

  test('a pool that would take addresses from an existing one is refused with the line of the one it breaks', async () => {
    await seen('IPAddressPool', 'good');
    const r = await k(['apply', '-f', '-'], yaml('IPAddressPool', 'a-overlap', { addresses: ['203.0.113.8/29'] }));
    expect(r.stderr).toContain('denied the request: IPAddressPool headland-system/good: spec.addresses[0]: 203.0.113.0/28 overlaps IPAddressPool headland-system/a-overlap at 203.0.113.8/29');
  });

  test('an object already broken blocks nobody else, and can still be annotated', async () => {
    await seen('IPAddressPool', 'legacy');
    await ok(['apply', '-f', '-'], yaml('IPAddressPool', 'unrelated', { addresses: ['203.0.113.64/28'] }));
    await ok(['annotate', 'ipaddresspool', '-n', NS, 'legacy', 'note=kept for the record']);
    // A spec change that leaves it broken is its own problem.
    const r = await k(['apply', '-f', '-'], yaml('IPAddressPool', 'legacy', { addresses: ['203.0.113.300/32', '203.0.113.128/28'] }));
    expect(r.stderr).toContain('denied the request: IPAddressPool headland-system/legacy: spec.addresses[0]: ip: "203.0.113.300" is not an IP address');
  });

  test('a reference to something not there yet is accepted with the line as a warning', async () => {
    const r = await ok(['apply', '-f', '-'], yaml('L2Advertisement', 'early', { ipAddressPools: ['later'] }));
    expect(r.stderr).toContain('Warning: L2Advertisement headland-system/early: spec.ipAddressPools[0]: IPAddressPool "later" does not exist (or is invalid); skipped until it does');
  });

  test('a BFDProfile a BGPPeer uses cannot be deleted, and the denial names the peer; unused, it can', async () => {
    await ok(['apply', '-f', '-'], `${yaml('BFDProfile', 'fast', { detectMultiplier: 3 })}---\n${yaml('BGPPeer', 'tor', { myASN: 64512, peerASN: 64500, peerAddress: '198.18.0.1', bfdProfile: 'fast' })}`);
    await seen('BGPPeer', 'tor');
    const refused = await k(['delete', 'bfdprofile', '-n', NS, 'fast']);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain(
      `admission webhook "${HOOK}" denied the request: BFDProfile headland-system/fast is still referenced by BGPPeer headland-system/tor (spec.bfdProfile); change or delete those first\n` +
        'BGPPeer headland-system/tor: spec.bfdProfile: BFDProfile "fast" does not exist (or is invalid); the session runs without BFD until it does',
    );
    expect((await ok(['get', 'bfdprofile', '-n', NS, 'fast'])).code).toBe(0);
    await ok(['delete', 'bgppeer', '-n', NS, 'tor']);
    await seen('BGPPeer', 'tor', false);
    await ok(['delete', 'bfdprofile', '-n', NS, 'fast']);
  });

  test('a Community whose alias an advertisement uses cannot be deleted', async () => {
    await ok(['apply', '-f', '-'], `${yaml('Community', 'aliases', { communities: [{ name: 'no-upstream', value: '65535:65281' }] })}---\n${yaml('BGPAdvertisement', 'tagged', { ipAddressPools: ['good'], communities: ['no-upstream'] })}`);
    await seen('BGPAdvertisement', 'tagged');
    const r = await k(['delete', 'community', '-n', NS, 'aliases']);
    expect(r.stderr).toContain('denied the request: Community headland-system/aliases is still referenced by BGPAdvertisement headland-system/tagged (spec.communities[0]); change or delete those first');
  });

  test('objects in other namespaces are not sent to the webhook (Headland ignores them)', async () => {
    const before = await controller.metrics.registry.getSingleMetricAsString('headland_controller_webhook_requests_total');
    await ok(['apply', '-f', '-'], yaml('IPAddressPool', 'ignored', { addresses: ['203.0.113.300/32'] }, 'elsewhere'));
    expect(await controller.metrics.registry.getSingleMetricAsString('headland_controller_webhook_requests_total')).toBe(before);
  });

  test('a restarted webhook reuses the Secret\'s certificate and leaves the configuration alone', async () => {
    const rv = async (args: string[]) => (JSON.parse((await ok(['get', ...args, '-o', 'json'])).stdout) as { metadata: { resourceVersion: string } }).metadata.resourceVersion;
    const secretRv = await rv(['secret', '-n', NS, 'headland-webhook-cert']);
    const configRv = await rv(['validatingwebhookconfiguration', 'headland-validating-webhook']);
    await webhook.stop();
    await startHook();
    const r = await k(['apply', '-f', '-'], yaml('IPAddressPool', 'after-restart', { addresses: ['203.0.113.300/32'] }));
    expect(r.stderr).toContain('denied the request: IPAddressPool headland-system/after-restart: spec.addresses[0]');
    expect([await rv(['secret', '-n', NS, 'headland-webhook-cert']), await rv(['validatingwebhookconfiguration', 'headland-validating-webhook'])]).toEqual([secretRv, configRv]);
  });
});

describeKubectl('headland-controller programs restarted one by one while kubectl applies', () => {
  interface Replica {
    readonly name: string;
    /**
     * Where its EndpointSlice sorts. The lab's API server calls the first ready endpoint it finds,
     * so this decides which replica serves: in the first round the newest (traffic moves to a
     * replica the moment it is Ready), in the second the one stopped next (traffic is on a replica
     * when it gets SIGTERM).
     */
    readonly order: number;
    readonly program: Program;
    readonly healthPort: number;
    readonly metricsPort: number;
    readonly webhookPort: number;
  }
  const replicas = new Map<string, Replica>();
  let seq = 0;
  const sliceName = (r: Replica): string => `headland-webhook-${String(r.order).padStart(4, '0')}`;
  let probing = true;
  let prober: Promise<void> = Promise.resolve();

  async function startReplica(name: string, newestServes: boolean): Promise<Replica> {
    const program = startProgram(
      [process.execPath, distPath('controller', 'main.js'), '--kubeconfig', api.kubeconfig, '--identity', name, '--metrics-addr', '127.0.0.1:0', '--health-addr', '127.0.0.1:0', '--webhook-addr', '127.0.0.1:0',
        '--webhook-drain', '1s', '--lease-duration', '3s', '--renew-deadline', '2s', '--retry-period', '250ms', '--log-level', 'info'],
      { name: `controller ${name}` },
    );
    const started = await program.waitForLog((l) => l['msg'] === 'started', 15_000, 'started line');
    const serving = await program.waitForLog((l) => l['msg'] === 'webhook: serving', 15_000, 'webhook serving line');
    seq += 1;
    const r = { name, order: newestServes ? 5000 - seq : 5000 + seq, program, healthPort: Number(started['healthPort']), metricsPort: Number(started['metricsPort']), webhookPort: Number(serving['port']) };
    replicas.set(name, r);
    return r;
  }

  const readyz = async (r: Replica): Promise<boolean> => {
    try {
      return (await fetch(`http://127.0.0.1:${r.healthPort}/readyz`, { signal: AbortSignal.timeout(500) })).status === 200;
    } catch {
      return false;
    }
  };

  /** Admission requests a replica has answered (its /metrics, served until it exits). */
  const answered = async (r: Replica): Promise<number> => {
    const text = await (await fetch(`http://127.0.0.1:${r.metricsPort}/metrics`, { signal: AbortSignal.timeout(1_000) })).text();
    return text.split('\n').filter((l) => l.startsWith('headland_controller_webhook_requests_total{')).reduce((n, l) => n + Number(l.split(' ').pop()), 0);
  };

  /** The kubelet's readiness probe and the EndpointSlice controller: every 100 ms, a slice per replica, ready as /readyz says. */
  const readyNow = new Map<string, boolean>();
  async function probeLoop(): Promise<void> {
    while (probing) {
      for (const r of [...replicas.values()]) {
        const exited = r.program.proc.exitCode !== null || r.program.proc.signalCode !== null;
        const ready = !exited && (await readyz(r));
        if (exited) {
          replicas.delete(r.name);
          readyNow.delete(r.name);
          await writeSlice(sliceName(r), undefined);
        } else if (readyNow.get(r.name) !== ready) {
          await writeSlice(sliceName(r), { ip: '127.0.0.1', port: r.webhookPort, ready });
          readyNow.set(r.name, ready);
        }
      }
      await new Promise((res) => setTimeout(res, 100));
    }
  }

  beforeAll(async () => {
    if (KUBECTL === undefined) return;
    await ok(['apply', '-f', join(REPO_ROOT, 'manifests/webhook.yaml')]);
  });

  afterAll(async () => {
    probing = false;
    await prober;
    await Promise.all([...replicas.values()].map((r) => r.program.stop('SIGKILL', 2_000)));
  });

  test('no apply of a valid object fails while every replica is restarted twice (rolling: a new one Ready before an old one stops)', async () => {
    for (const name of ['r1', 'r2']) await startReplica(name, true);
    prober = probeLoop();
    await until('both replicas ready in the endpoints', () => readyNow.get('r1') === true && readyNow.get('r2') === true, 20_000);

    // The loop: updates of a valid pool (a new label each time, so buildConfig runs on each).
    const failures: string[] = [];
    let applies = 0;
    let looping = true;
    const started = Date.now();
    const loop = (async () => {
      while (looping) {
        const r = await k(['apply', '-f', '-'], `apiVersion: headland.io/v1beta1\nkind: IPAddressPool\nmetadata: { name: churn, namespace: ${NS}, labels: { round: "r${applies}" } }\nspec: { addresses: [203.0.113.192/28] }\n`);
        applies += 1;
        if (r.code !== 0) failures.push(r.stderr.trim());
      }
    })();
    const someApplies = async (): Promise<void> => {
      const mark = applies;
      await until('a few applies', () => applies >= mark + 3, 20_000);
    };

    let generation = 0;
    const restarts: string[] = [];
    /** Requests the serving replica answered in the few applies just before each SIGTERM: the new one in round 1, the one stopped in round 2. */
    const servedJustBefore: number[] = [];
    for (const round of [1, 2]) {
      const newestServes = round === 1;
      // Serving first (the slice that sorts first).
      for (const old of [...replicas.values()].sort((a, b) => a.order - b.order)) {
        generation += 1;
        const next = await startReplica(`n${generation}`, newestServes);
        await until(`${next.name} ready in the endpoints`, () => readyNow.get(next.name) === true, 20_000);
        const serving = newestServes ? next : old;
        const s0 = await answered(serving);
        await someApplies();
        servedJustBefore.push((await answered(serving)) - s0);
        const before = await answered(old);
        const t0 = Date.now();
        const stopping = old.program.stop('SIGTERM', 15_000);
        await new Promise((r) => setTimeout(r, 800));
        const drained = (await answered(old).catch(() => before)) - before;
        expect(await stopping).toBe(0);
        const exitedMs = Date.now() - t0;
        await someApplies();
        restarts.push(`round ${round}: ${old.name} -> ${next.name} (${serving.name} served; ${old.name} answered ${before + drained} in all, ${drained} after SIGTERM; exited ${exitedMs} ms after SIGTERM)`);
      }
    }
    looping = false;
    await loop;
    const seconds = (Date.now() - started) / 1000;
    figure(`webhook restart: ${applies} kubectl applies over ${seconds.toFixed(1)} s, ${restarts.length} rolling restarts, ${failures.length} failed`);
    for (const line of restarts) figure(`webhook restart: ${line}`);
    expect(failures).toEqual([]);
    expect(restarts).toHaveLength(4);
    // Both rounds did what they are for: traffic on the replica just made Ready, then on the one
    // stopped (of the three applies waited for, the first may have been answered before counting).
    figure(`webhook restart: requests the serving replica answered in the three applies before each SIGTERM: ${servedJustBefore.join(', ')}`);
    expect(servedJustBefore.filter((n) => n < 2)).toEqual([]);
  }, 110_000);

  test('the harness does see a refused apply: with every webhook killed outright, the API server fails closed', async () => {
    probing = false;
    await prober;
    await Promise.all([...replicas.values()].map((r) => r.program.stop('SIGKILL', 2_000)));
    const r = await k(['apply', '-f', '-'], `apiVersion: headland.io/v1beta1\nkind: IPAddressPool\nmetadata: { name: churn, namespace: ${NS}, labels: { round: killed } }\nspec: { addresses: [203.0.113.192/28] }\n`);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(new RegExp(`failed calling webhook "${HOOK.replace(/\./g, '\\.')}": failed to call webhook: Post "https://headland-webhook\\.headland-system\\.svc:443/validate\\?timeout=5s": dial tcp 127\\.0\\.0\\.1:\\d+: connect: connection refused`));
    figure(`webhook restart control: every replica SIGKILLed, endpoints left as they were: ${/failed calling webhook.*/.exec(r.stderr)?.[0] ?? r.stderr}`);
  }, 30_000);
});
