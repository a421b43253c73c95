// `npm run demo` and `npm run demo -- down` as a user runs them. NEEDS ROOT (the demo builds the
// `demo` lab: k8s-node kinds, so run it under /run/headland-k8s-lab.lock like the other such
// suites). Checks what the demo printed against the router and the API server, that it leaves
// everything running, and that `down` leaves nothing: no hl-demo* namespace, no demo process.
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { figure, lab } from '@headland/lab';
import { KUBECTL, REPO_ROOT, forbiddenLines, kubectl } from '@headland/lab/programs';

const isRoot = process.getuid?.() === 0;
const describeRoot = isRoot && KUBECTL !== undefined ? describe : describe.skip;
if (!isRoot) console.warn('demo.e2e: skipped, it needs root (npm run demo builds a lab with ip netns, veths and FRR)');
else if (KUBECTL === undefined) console.warn('demo.e2e: skipped, kubectl is not installed');

const DEMO_DIR = '/run/headland-demo';
const KUBECONFIG = `${DEMO_DIR}/kubeconfig`;
const CLIENT_IP = '198.18.1.2';
const NODE_IPS = ['198.18.0.11', '198.18.0.12', '198.18.0.13'];

interface Run {
  code: number | null;
  out: string;
}

/** `npm run demo [-- ARGS]` from the repository root, as the README says. */
function npmDemo(args: string[] = [], timeoutMs = 120_000): Promise<Run> {
  return new Promise((resolve) => {
    execFile('npm', ['run', '--silent', 'demo', ...(args.length > 0 ? ['--', ...args] : [])], { cwd: REPO_ROOT, timeout: timeoutMs, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : null;
      resolve({ code, out: stdout + stderr });
    });
  });
}

/** The block of report lines of one Service: from its "Service ns/name" line to the next blank. */
function block(out: string, key: string): string[] {
  const lines = out.split('\n');
  const start = lines.findIndex((l) => l.startsWith(`Service ${key} `));
  if (start < 0) throw new Error(`no report for ${key} in:\n${out}`);
  const end = lines.findIndex((l, i) => i > start && l.trim() === '');
  return lines.slice(start, end < 0 ? undefined : end);
}

/** "    node1 (198.18.0.11): weight 25, ..." -> { '198.18.0.11': 25 }. */
function printedWeights(lines: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const l of lines) {
    const m = /^ {4}\S+ \((\d+\.\d+\.\d+\.\d+)\): weight (\d+),/.exec(l);
    if (m !== null) out[m[1]!] = Number(m[2]);
  }
  return out;
}

/** "    web-1 on node1: 1,010 (25.3%, expected 25.0%); saw 198.18.1.2 (...)" -> pod -> count, clients. */
function printedPods(lines: readonly string[]): Record<string, { connections: number; clients: string[] }> {
  const out: Record<string, { connections: number; clients: string[] }> = {};
  for (const l of lines) {
    const m = /^ {4}(\S+) on \S+: ([\d,]+) \([\d.]+%, expected [\d.]+%\); (.*)$/.exec(l);
    if (m !== null) out[m[1]!] = { connections: Number(m[2]!.replace(/,/g, '')), clients: [...m[3]!.matchAll(/(\d+\.\d+\.\d+\.\d+) \(/g)].map((x) => x[1]!) };
  }
  return out;
}

/** What the router has installed for ip: gateway -> weight, read here independently of the demo. */
async function torWeights(ip: string): Promise<Record<string, number>> {
  const route = lab.findRoute(lab.parseFrrRoutes(await lab.run(lab.frrVtysh('demo', 'tor', `show ip route ${ip}/32 json`))), `${ip}/32`);
  return Object.fromEntries((route?.paths[0]?.nexthops ?? []).map((h) => [h.via ?? '?', h.weight ?? 1]));
}

function demoNamespaces(): string[] {
  try {
    return readdirSync('/run/netns').filter((n) => n.startsWith('hl-demo'));
  } catch {
    return [];
  }
}

/** Live (non-zombie) processes among pids, or whose command line names the demo's files or namespaces. */
function liveDemoProcesses(pids: readonly number[]): string[] {
  return execFileSync('ps', ['-eo', 'pid=,stat=,args='], { encoding: 'utf8' })
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !/^\d+\s+Z/.test(l))
    .filter((l) => pids.includes(Number(l.split(/\s+/)[0])) || l.includes(`${DEMO_DIR}/`) || l.includes('hl-demo_'))
    .filter((l) => !l.includes('ps -eo'));
}

describeRoot('npm run demo (root)', () => {
  let up: Run;
  let ips: Record<string, string> = {};
  let downDone = false;

  beforeAll(async () => {
    const started = Date.now();
    up = await npmDemo();
    figure(`demo.e2e: npm run demo took ${((Date.now() - started) / 1000).toFixed(1)} s and printed:\n${up.out}`);
  }, 130_000);

  afterAll(async () => {
    if (!downDone) await npmDemo(['down'], 60_000);
  }, 70_000);

  test('it comes up in well under 2 minutes, one line per step, exit 0', () => {
    expect(up.code).toBe(0);
    const steps = up.out.split('\n').filter((l) => l.startsWith('- '));
    expect(steps.length).toBeGreaterThanOrEqual(10);
    for (const s of steps) expect([s, / \.\.\. .*, \d+\.\d s$/.test(s)]).toEqual([s, true]);
    const took = Number(/^Up in (\d+) s\.$/m.exec(up.out)?.[1]);
    expect(took).toBeLessThan(90);
    expect(up.out).not.toMatch(/^\s*[{[]/m); // plain words, no JSON
  });

  test('the IPs it printed are the ones in Service status', async () => {
    const list = JSON.parse(await kubectl(KUBECONFIG, ['get', 'svc', '-n', 'demo', '-o', 'json'])) as { items: { metadata: { name: string }; status: { loadBalancer: { ingress?: { ip: string }[] } } }[] };
    ips = Object.fromEntries(list.items.map((s) => [s.metadata.name, s.status.loadBalancer.ingress?.[0]?.ip ?? '']));
    expect(Object.keys(ips).sort()).toEqual(['hello', 'web']);
    for (const [name, ip] of Object.entries(ips)) {
      expect(ip).toMatch(/^203\.0\.113\.\d+$/);
      expect(block(up.out, `demo/${name}`)[1]).toContain(`IP ${ip},`);
    }
  });

  test('Local service: the weights it printed are FRR\'s, 25/75 for 1 pod vs 3; each pod got a quarter (+-10%) and saw the client', async () => {
    const web = block(up.out, 'demo/web');
    const weights = printedWeights(web);
    expect(weights).toEqual({ '198.18.0.11': 25, '198.18.0.12': 75 });
    expect(await torWeights(ips['web']!)).toEqual(weights);
    expect(web.join('\n')).toMatch(/link bandwidth 1\.000 Mbps[\s\S]*link bandwidth 3\.000 Mbps/);
    const pods = printedPods(web);
    expect(Object.keys(pods).sort()).toEqual(['web-1', 'web-2', 'web-3', 'web-4']);
    const total = Object.values(pods).reduce((n, p) => n + p.connections, 0);
    expect(total).toBe(4000);
    for (const [pod, p] of Object.entries(pods)) {
      expect([pod, p.connections / total > 0.225 && p.connections / total < 0.275]).toEqual([pod, true]);
      expect([pod, p.clients]).toEqual([pod, [CLIENT_IP]]);
    }
  });

  test('Cluster service: all three nodes at FRR with equal weights; pods saw node addresses (SNAT)', async () => {
    const hello = block(up.out, 'demo/hello');
    const weights = printedWeights(hello);
    expect(Object.keys(weights).sort()).toEqual(NODE_IPS);
    expect(new Set(Object.values(weights)).size).toBe(1);
    expect(Object.keys(await torWeights(ips['hello']!)).sort()).toEqual(NODE_IPS);
    const pods = printedPods(hello);
    expect(Object.keys(pods).sort()).toEqual(['hello-1', 'hello-2']);
    for (const p of Object.values(pods)) {
      expect(p.clients.length).toBeGreaterThan(0);
      for (const c of p.clients) expect(NODE_IPS).toContain(c);
    }
  });

  test('everything keeps running: the printed kubeconfig works, the client reaches the Local IP, a second run says it is up', async () => {
    expect(up.out).toContain(`kubeconfig: ${KUBECONFIG}`);
    const printedCommand = up.out.split('\n').find((l) => l.includes('lab/dist/main.js exec demo client --'));
    expect(printedCommand).toBeDefined();
    const reply = await lab.run(['ip', 'netns', 'exec', 'hl-demo_client', 'socat', '-T', '2', '-', `TCP:${ips['web']}:80`], { input: '', timeoutMs: 5_000 });
    expect(JSON.parse(reply)).toEqual(expect.objectContaining({ client: expect.stringMatching(/^198\.18\.1\.2:\d+$/), pod: expect.stringMatching(/^web-[1-4]$/) }));
    const again = await npmDemo([], 30_000);
    expect(again.code).toBe(0);
    expect(again.out).toMatch(/^The demo is already up .*nothing was changed/m);
    expect(again.out).toContain('npm run demo -- down');
  });

  test('the controller and speakers run as their ServiceAccounts under manifests/rbac, over TLS, and are refused nothing', async () => {
    for (const account of ['headland-controller', 'headland-speaker']) {
      const who = JSON.parse(await kubectl(`${DEMO_DIR}/${account}.kubeconfig`, ['auth', 'whoami', '-o', 'json'])) as { status: { userInfo: { username: string } } };
      expect(who.status.userInfo.username).toBe(`system:serviceaccount:headland-system:${account}`);
    }
    expect(readFileSync(`${DEMO_DIR}/kubeconfig`, 'utf8')).toMatch(/server: https:\/\/198\.19\.255\.1:\d+[\s\S]*certificate-authority-data/);
    const logs = ['controller', 'speaker-node1', 'speaker-node2', 'speaker-node3'].flatMap((f) => forbiddenLines(readFileSync(`/var/log/headland-demo/${f}.log`, 'utf8').split('\n')).map((l) => `${f}: ${l}`));
    expect(logs).toEqual([]);
  });

  test('headland explain service demo/web: node1 1 pod 25 %, node2 3 pods 75 %, node3 not announcing (no local endpoint); headland status: 3 sessions up', async () => {
    const headland = (args: string[]) => execFileSync(process.execPath, [join(REPO_ROOT, 'cli/dist/main.js'), ...args, '--kubeconfig', KUBECONFIG], { encoding: 'utf8' });
    // The speakers write SpeakerStatus about a second after a change.
    const explained = await lab.waitFor(
      async () => JSON.parse(headland(['explain', 'service', 'demo/web', '-o', 'json'])) as { nodes: { node: string; announces: boolean; reason: string; share: number; weight?: number; published?: boolean }[]; pods: { pod: string; node: string; share: number }[]; warnings: string[]; ips: { ip: string }[] },
      (r) => r.nodes.every((n) => n.published !== undefined),
      { timeoutMs: 15_000, what: 'every node published a SpeakerStatus' },
    );
    expect(explained.nodes.map((n) => [n.node, n.announces, n.reason, n.weight, Math.round(n.share * 100)])).toEqual([
      ['node1', true, 'Announced', 1, 25],
      ['node2', true, 'Announced', 3, 75],
      ['node3', false, 'NoLocalEndpoint', undefined, 0],
    ]);
    expect(explained.pods.filter((p) => p.node === 'node2').map((p) => Math.round(p.share * 100))).toEqual([25, 25, 25]);
    expect(explained.warnings.filter((w) => /disagreement/.test(w))).toEqual([]);
    const text = headland(['explain', 'service', 'demo/web']);
    expect(text).toMatch(/node3\s+BGP\s+no\s+NoLocalEndpoint/);
    process.stderr.write(text);
    const status = headland(['status']);
    process.stderr.write(status);
    expect(status).toMatch(/3 of 3 nodes report; 3 of 3 BGP sessions up/);
    const byIP = JSON.parse(headland(['explain', 'ip', explained.ips[0]!.ip, '-o', 'json'])) as { service: string }[];
    expect(byIP.map((r) => r.service)).toEqual(['demo/web']);
  });

  test('npm run demo -- down: the speakers withdraw, then no hl-demo* namespace and no demo process is left', async () => {
    const pids = readdirSync(DEMO_DIR).filter((f) => f.endsWith('.pid')).map((f) => Number(readFileSync(`${DEMO_DIR}/${f}`, 'utf8').split('\n')[0]));
    expect(pids.length).toBe(1 + 1 + 6 + 3 + 3); // API server, controller, echo pods, kube-proxies, speakers
    const alive = (pid: number): boolean => existsSync(`/proc/${pid}`) && !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');
    expect(pids.filter(alive)).toEqual(pids);
    const down = await npmDemo(['down'], 60_000);
    downDone = true;
    figure(`demo.e2e: npm run demo -- down printed:\n${down.out}`);
    expect(down.code).toBe(0);
    expect(down.out).toContain('3 of 3 withdrew and sent Cease');
    expect(demoNamespaces()).toEqual([]);
    expect(liveDemoProcesses(pids)).toEqual([]);
    expect(existsSync(DEMO_DIR)).toBe(false);
    const again = await npmDemo(['down'], 30_000);
    expect(again.code).toBe(0);
    expect(again.out).toContain('No demo is up');
  }, 90_000);
});
