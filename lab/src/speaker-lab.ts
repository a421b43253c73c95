// The speaker suites' common bench: a lab with k8s-nodes, headland-apiserver and the controller
// on the host, echo pods, the kube-proxy stand-in and a headland-speaker per node, plus kubectl
// helpers for Services/EndpointSlices and the client's connections. Needs root.
import { appendFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isIP } from 'node:net';
import * as lab from './lab/index.js';
import {
  applyRbacManifests,
  CONTROLLER_ACCOUNT,
  distPath,
  forbiddenLines,
  HEADLAND_NAMESPACE,
  kubectl,
  serviceAccountKubeconfig,
  SPEAKER_ACCOUNT,
  startApiServer,
  startProgram,
  type Program,
  type RunningApiServer,
} from './programs/index.js';
import { compiledScript, openConnections } from './traffic/open.js';
import type { TrafficSummary } from './traffic/summary.js';
import { inNamespace } from './lab/sh.js';
import { laggingNodes, readStateFile } from './kubeproxy/index.js';
import { figure } from './figure.js';

export type Json = Record<string, any>;

export interface PodSpec {
  /** Lab target "node/pod". */
  readonly target: string;
  readonly node: string;
  /** Its addresses, one per family it has. */
  readonly ips: readonly string[];
}

export interface SpeakerLabOptions {
  readonly topology: string;
  readonly lab: string;
  /** Node name -> its fabric addresses (IPv4 first). */
  readonly nodes: Readonly<Record<string, readonly string[]>>;
  /** Pod name as its echo server reports it -> where it runs. */
  readonly pods: Readonly<Record<string, PodSpec>>;
  /** Node labels, applied with the Node objects. */
  readonly nodeLabels?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Headland objects (pools, peers, advertisements) applied before anything runs. */
  readonly config: string;
  readonly client?: string;
  /** Give the Node objects status: Ready and an InternalIP per fabric address (L2 membership reads both). */
  readonly nodeStatus?: boolean;
  /**
   * Run the kube-proxy stand-in on every node (default true). Without it the lab is control plane
   * only (e.g. the speaker benchmark, which times routes and wants no nft runs beside the
   * speakers): traffic(), dataPlaneSettled() and dataPlaneLag() then throw.
   */
  readonly kubeProxy?: boolean;
  /** More flags for every kube-proxy stand-in (e.g. ["--debounce-ms", "500"] to play a lagging kube-proxy). */
  readonly kubeProxyArgs?: readonly string[];
  /** The speakers' --log-level (default info; the benchmark reads the debug "flush done" lines). */
  readonly speakerLogLevel?: string;
  /**
   * The speakers' --metrics-addr (default 127.0.0.1:0, reachable only inside the node). ":0" serves
   * /metrics on every address of the node, so a scraper on the host reaches it on the node's mgmt
   * address (the alerts suite's Prometheus).
   */
  readonly speakerMetricsAddr?: string;
  /** Every line of a speaker's output as it arrives (node, raw line), beside Program.logs, e.g. to time it. */
  readonly onSpeakerLine?: (node: string, line: string) => void;
  /**
   * Run the controller and speakers as their ServiceAccounts under the manifests' RBAC (default
   * true), as a cluster runs them; false gives them the admin kubeconfig.
   */
  readonly asServiceAccounts?: boolean;
  /**
   * Start headland-controller and a headland-speaker per node as host processes (default true).
   * false: the lab, the API server, the Node objects, namespace shop, the echo pods and the
   * kube-proxy stand-in only; neither namespace headland-system, RBAC nor `config` is applied, so
   * a suite installs Headland itself (the install suite: the manifests, run by the kubelet
   * stand-in) and applies its configuration as a user would.
   */
  readonly hostPrograms?: boolean;
  /** Further headland-apiserver flags (the install suite: --endpointslice-controller). */
  readonly apiServerArgs?: readonly string[];
}

/** A speaker's command line in a SpeakerLab (without the netns wrapper). */
export function speakerArgv(o: Pick<SpeakerLabOptions, 'nodes' | 'speakerLogLevel' | 'speakerMetricsAddr'>, node: string, kubeconfig: string, restartStateFile: string): string[] {
  const ips = o.nodes[node] ?? [];
  return [process.execPath, distPath('speaker', 'main.js'), '--kubeconfig', kubeconfig, '--node-name', node, ...ips.flatMap((ip) => ['--node-ip', ip]),
    '--metrics-addr', o.speakerMetricsAddr ?? '127.0.0.1:0', '--health-addr', '127.0.0.1:0', '--log-level', o.speakerLogLevel ?? 'info', '--restart-state-file', restartStateFile];
}

/** The onLine of a speaker's program: its lines to logDir/speaker-<node>.log and to hook, either optional. */
export function speakerLineSink(node: string, logDir: string | undefined, hook: ((node: string, line: string) => void) | undefined): ((line: string) => void) | undefined {
  if (logDir === undefined && hook === undefined) return undefined;
  return (line) => {
    if (logDir !== undefined) appendFileSync(join(logDir, `speaker-${node}.log`), `${line}\n`);
    hook?.(node, line);
  };
}

/** The first address of a family in a list. */
export const ipOf = (ips: readonly string[], family: 4 | 6): string | undefined => ips.find((ip) => isIP(ip) === family);

export class SpeakerLab {
  l: lab.Lab | undefined;
  api: RunningApiServer | undefined;
  controller: Program | undefined;
  readonly speakers = new Map<string, Program>();
  private readonly background: lab.Spawned[] = [];
  private dir = '';
  /** The kubeconfigs the controller and the speakers run with. */
  private controllerKubeconfig = '';
  private speakerKubeconfig = '';

  constructor(readonly o: SpeakerLabOptions) {}

  get kubeconfig(): string {
    if (this.api === undefined) throw new Error('speaker-lab: not started');
    return this.api.kubeconfig;
  }

  apply(yaml: string): Promise<string> {
    return kubectl(this.kubeconfig, ['apply', '-f', '-'], yaml);
  }

  kubectl(args: readonly string[]): Promise<string> {
    return kubectl(this.kubeconfig, args);
  }

  async getJson(args: readonly string[]): Promise<Json> {
    return JSON.parse(await kubectl(this.kubeconfig, ['get', ...args, '-o', 'json'])) as Json;
  }

  /** Lab, API server, controller, pods, kube-proxy, then a speaker per node, all ready. */
  async start(): Promise<void> {
    await lab.downLab(this.o.lab); // leftovers of a crashed run
    const l = await lab.startLab(this.o.topology);
    this.l = l;
    this.dir = mkdtempSync(join(tmpdir(), `hl-${this.o.lab}-`));
    // The mgmt bridge address: reachable from the host and from every node namespace.
    this.api = await startApiServer(this.dir, { listen: '198.19.255.1:0', ...(this.o.apiServerArgs === undefined ? {} : { args: this.o.apiServerArgs }) });
    const nodes = Object.keys(this.o.nodes).map((n) => {
      const labels = { 'kubernetes.io/hostname': n, ...this.o.nodeLabels?.[n] };
      const status = this.o.nodeStatus === true ? `status: ${JSON.stringify({ addresses: (this.o.nodes[n] ?? []).map((address) => ({ type: 'InternalIP', address })), conditions: [{ type: 'Ready', status: 'True' }] })}\n` : '';
      return `---\napiVersion: v1\nkind: Node\nmetadata: { name: ${n}, labels: ${JSON.stringify(labels)} }\n${status}`;
    });
    const hostPrograms = this.o.hostPrograms !== false;
    const headlandObjects = hostPrograms ? `apiVersion: v1\nkind: Namespace\nmetadata: { name: headland-system }\n---\n` : '';
    await this.apply(`${headlandObjects}apiVersion: v1\nkind: Namespace\nmetadata: { name: shop }\n${nodes.join('')}${hostPrograms ? `---\n${this.o.config}` : ''}`);
    this.controllerKubeconfig = this.speakerKubeconfig = this.kubeconfig;
    if (hostPrograms && this.o.asServiceAccounts !== false) {
      await applyRbacManifests(this.kubeconfig);
      this.controllerKubeconfig = await serviceAccountKubeconfig(this.kubeconfig, this.dir, HEADLAND_NAMESPACE, CONTROLLER_ACCOUNT);
      this.speakerKubeconfig = await serviceAccountKubeconfig(this.kubeconfig, this.dir, HEADLAND_NAMESPACE, SPEAKER_ACCOUNT);
    }
    if (hostPrograms) {
      this.controller = startProgram([process.execPath, distPath('controller', 'main.js'), '--kubeconfig', this.controllerKubeconfig, '--identity', 'c1', '--metrics-addr', '127.0.0.1:0', '--health-addr', '127.0.0.1:0', '--webhook-addr', '127.0.0.1:0'], { name: 'controller' });
      await this.controller.waitForLog((x) => x['msg'] === 'leading', 15_000, 'leading');
    }

    const echoMain = compiledScript(new URL('./echo/main.ts', import.meta.url).href, 'main.js');
    for (const [name, pod] of Object.entries(this.o.pods)) this.background.push(await l.spawn(pod.target, [process.execPath, echoMain, '--name', name, '--port', '8080']));
    if (this.o.kubeProxy !== false) {
      const proxyMain = compiledScript(new URL('./kubeproxy/main.ts', import.meta.url).href, 'main.js');
      for (const [node, ips] of Object.entries(this.o.nodes)) {
        this.background.push(await l.spawn(node, [process.execPath, proxyMain, '--kubeconfig', this.kubeconfig, '--node-name', node, ...ips.flatMap((ip) => ['--node-ip', ip]), '--state-file', this.proxyState(node), ...(this.o.kubeProxyArgs ?? [])]));
      }
    }
    for (const pod of Object.values(this.o.pods)) {
      await lab.waitFor(() => l.exec(pod.target, ['ss', '-Hltn', 'sport = :8080']), (out) => out.includes('8080'), { timeoutMs: 10_000, what: `echo in ${pod.target}` });
    }
    if (!hostPrograms) return;
    for (const node of Object.keys(this.o.nodes)) this.startSpeaker(node);
    await Promise.all([...this.speakers.values()].map((s) => s.waitForLog((x) => x['msg'] === 'first flush done; ready', 20_000, 'ready')));
  }

  /** Lines in which the API server refused the controller or a speaker (403): none when the manifests' RBAC covers them. */
  refusals(): string[] {
    const programs = [...(this.controller === undefined ? [] : [this.controller]), ...this.speakers.values()];
    return programs.flatMap((p) => forbiddenLines([...p.logs.map((l) => JSON.stringify(l)), ...p.text]).map((l) => `${p.name}: ${l}`));
  }

  startSpeaker(node: string): Program {
    const argv = speakerArgv(this.o, node, this.speakerKubeconfig, join(this.dir, `${node}.restart`));
    // HEADLAND_E2E_LOG_DIR keeps every speaker's log lines in a file, for reading after a failure.
    const logDir = process.env['HEADLAND_E2E_LOG_DIR'];
    if (logDir !== undefined) mkdirSync(logDir, { recursive: true });
    const onLine = speakerLineSink(node, logDir, this.o.onSpeakerLine);
    const p = startProgram(inNamespace(this.l!.namespace(node), argv), { name: `speaker ${node}`, ...(onLine === undefined ? {} : { onLine }) });
    this.speakers.set(node, p);
    return p;
  }

  /** Nodes, sorted, whose running speaker's last "L2 ownership changed" line says it answers for ip. */
  l2Owners(ip: string): string[] {
    const out: string[] = [];
    for (const [node, p] of this.speakers) {
      let owns = false;
      for (const line of p.logs) {
        if (line['msg'] !== 'L2 ownership changed') continue;
        if ((line['gained'] as string[]).includes(ip)) owns = true;
        if ((line['lost'] as string[]).includes(ip)) owns = false;
      }
      if (owns) out.push(node);
    }
    return out.sort();
  }

  /**
   * What takes a node's link down (the node is cut off the segment) and brings it back, prepared
   * ahead so that the cut is one command. The kernel drops the routes through a link that goes
   * down (and, by default, its IPv6 addresses), so the way back restores the routes as they were.
   */
  async linkCutter(node: string, iface = 'eth1'): Promise<{ cut(): Promise<void>; restore(): Promise<void> }> {
    const l = this.l!;
    await l.exec(node, ['sysctl', '-qw', `net.ipv6.conf.${iface}.keep_addr_on_down=1`]);
    const routes = [
      ...(await l.exec(node, ['ip', '-4', 'route', 'show', 'dev', iface])).split('\n').filter((r) => r.includes(' via ')).map((r) => ['-4', ...r.trim().split(/\s+/)]),
      ...(await l.exec(node, ['ip', '-6', 'route', 'show', 'dev', iface])).split('\n').filter((r) => r.includes(' via ')).map((r) => ['-6', ...r.trim().split(/\s+/)]),
    ];
    return {
      cut: async () => {
        await l.exec(node, ['ip', 'link', 'set', iface, 'down']);
      },
      restore: async () => {
        await l.exec(node, ['ip', 'link', 'set', iface, 'up']);
        for (const [family, ...route] of routes) await l.exec(node, ['ip', family!, 'route', 'replace', ...route, 'dev', iface]);
      },
    };
  }

  /** Everything stopped and the lab down; safe after a failed start. */
  async stop(): Promise<void> {
    for (const s of this.speakers.values()) await s.stop('SIGTERM', 5_000).catch(() => undefined);
    await this.controller?.stop('SIGTERM', 5_000).catch(() => undefined);
    for (const b of this.background) await b.stop().catch(() => undefined);
    await this.api?.stop().catch(() => undefined);
    await this.l?.down().catch(() => undefined);
    if (this.dir !== '') rmSync(this.dir, { recursive: true, force: true });
  }

  /** A LoadBalancer Service in namespace shop (extra: more spec lines, annotations). */
  service(name: string, policy: 'Cluster' | 'Local', extra: { spec?: string; annotations?: Readonly<Record<string, string>> } = {}): string {
    return `
apiVersion: v1
kind: Service
metadata: { name: ${name}, namespace: shop, annotations: ${JSON.stringify(extra.annotations ?? {})} }
spec:
  type: LoadBalancer
  externalTrafficPolicy: ${policy}
  selector: { app: ${name} }
  ports: [{ name: http, port: 80, protocol: TCP, targetPort: 8080 }]
${extra.spec ?? ''}
`;
  }

  /** The Service's EndpointSlice of one family, a ready endpoint per pod named. */
  slice(svc: string, pods: readonly string[], family: 4 | 6 = 4): string {
    return JSON.stringify({
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: `${svc}-v${family}`, namespace: 'shop', labels: { 'kubernetes.io/service-name': svc } },
      addressType: family === 4 ? 'IPv4' : 'IPv6',
      ports: [{ name: 'http', protocol: 'TCP', port: 8080 }],
      endpoints: pods.map((p) => {
        const pod = this.o.pods[p];
        const ip = pod === undefined ? undefined : ipOf(pod.ips, family);
        if (pod === undefined || ip === undefined) throw new Error(`speaker-lab: no IPv${family} pod ${p}`);
        return { addresses: [ip], nodeName: pod.node, conditions: { ready: true, serving: true, terminating: false } };
      }),
    });
  }

  /** The Service's load-balancer IPs once assigned (as many as `count`). */
  async ingressOf(name: string, count = 1): Promise<string[]> {
    const ips = async () => (((await this.getJson(['service', '-n', 'shop', name]))['status']?.['loadBalancer']?.['ingress'] ?? []) as { ip: string }[]).map((x) => x.ip);
    return lab.waitFor(ips, (list) => list.length >= count, { timeoutMs: 15_000, what: `${count} IP(s) for shop/${name}` });
  }

  /**
   * Connections from the client namespace to ip:80, once every node's kube-proxy has the current
   * Services and EndpointSlices in: the speakers announce as soon as they see a change, and a
   * route can reach the router before the stand-in's rules reach a node (as with kube-proxy).
   */
  async traffic(ip: string, count: number): Promise<TrafficSummary> {
    await this.dataPlaneSettled();
    const target = isIP(ip) === 6 ? `[${ip}]:80` : `${ip}:80`;
    return openConnections({ netns: this.l!.namespace(this.o.client ?? 'client'), target, count, concurrency: 16, timeoutMs: 2000 });
  }

  /** Connections at once, without waiting for the stand-ins: what a client meets while they lag. */
  async trafficNow(ip: string, count: number, timeoutMs = 2000): Promise<TrafficSummary> {
    this.needKubeProxy();
    const target = isIP(ip) === 6 ? `[${ip}]:80` : `${ip}:80`;
    return openConnections({ netns: this.l!.namespace(this.o.client ?? 'client'), target, count, concurrency: 16, timeoutMs });
  }

  /** Waits until no node's kube-proxy lags behind the API server (see dataPlaneLag). */
  async dataPlaneSettled(timeoutMs = 10_000): Promise<void> {
    this.needKubeProxy();
    const started = Date.now();
    let first: string[] | undefined;
    await lab.waitFor(
      async () => {
        const lagging = await this.dataPlaneLag();
        first ??= lagging;
        return lagging;
      },
      (lagging) => lagging.length === 0,
      { timeoutMs, intervalMs: 50, what: "every node's kube-proxy to apply the current Services and EndpointSlices" },
    );
    if (first !== undefined && first.length > 0) figure(`speaker-lab: waited ${Date.now() - started} ms for the kube-proxy stand-in on ${first.join(', ')} before sending traffic`);
  }

  /** Nodes whose kube-proxy stand-in has not yet applied what the API server holds now (kubeproxy/lag.ts). */
  async dataPlaneLag(): Promise<string[]> {
    this.needKubeProxy();
    const items = ((await this.getJson(['services,endpointslices', '--all-namespaces']))['items'] ?? []) as unknown[];
    return laggingNodes(items, this.o.nodes, (node) => readStateFile(this.proxyState(node)));
  }

  private needKubeProxy(): void {
    if (this.o.kubeProxy === false) throw new Error('speaker-lab: started without the kube-proxy stand-in (kubeProxy: false): no data plane, no traffic');
  }

  private proxyState(node: string): string {
    return join(this.dir, `kubeproxy-${node}.nft`);
  }

  /** Node names whose address (of the family) is in the list; an unknown address names itself. */
  nodesAt(addresses: Iterable<string>): string[] {
    const byIp = new Map(Object.entries(this.o.nodes).flatMap(([n, ips]) => ips.map((ip) => [ip, n] as const)));
    return [...addresses].map((a) => byIp.get(a) ?? a).sort();
  }

  /** Error-level log lines of every speaker. */
  speakerErrors(): Json[] {
    return [...this.speakers.values()].flatMap((p) => p.logs.filter((x) => typeof x['level'] === 'number' && x['level'] >= 50));
  }
}
