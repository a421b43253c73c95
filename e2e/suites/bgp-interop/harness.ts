// What the bgp-interop-* suites share: the four sessions (IPv4/IPv6 x eBGP/iBGP) of the
// bgp-interop-* topologies, the bgp-speaker program driven over stdin/stdout in the lab's
// "speaker" node, the routes each side sends, and an optional tcpdump for fixture capture.

import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { inNamespace, run, tryRun, type Lab } from '@headland/lab/lab';

export const ROOT = new URL('../../..', import.meta.url).pathname;
const PROGRAM = `${ROOT}bgp/dist/cli/main.js`;

export const SPEAKER_AS = 64512;
export const ROUTER_AS = 64601;
export const LINK_BANDWIDTH = 1_000_000;

export interface Session {
  readonly name: 'v4-ebgp' | 'v4-ibgp' | 'v6-ebgp' | 'v6-ibgp';
  readonly family: 'ipv4' | 'ipv6';
  readonly ibgp: boolean;
  /** The speaker only listens; the router connects (and the other way round when false). */
  readonly speakerPassive: boolean;
  readonly routerAddress: string;
  readonly speakerAddress: string;
  /** What the speaker announces on this session only. */
  readonly speakerPrefix: string;
  readonly med: number;
  /** What the router originates toward every session of the family. */
  readonly routerPrefix: string;
}

/** Active and passive alternate so each family and each kind of session sees both. */
export const SESSIONS: readonly Session[] = [
  { name: 'v4-ebgp', family: 'ipv4', ibgp: false, speakerPassive: false, routerAddress: '198.18.210.1', speakerAddress: '198.18.210.11', speakerPrefix: '203.0.113.11/32', med: 21, routerPrefix: '198.18.220.0/24' },
  { name: 'v4-ibgp', family: 'ipv4', ibgp: true, speakerPassive: true, routerAddress: '198.18.210.2', speakerAddress: '198.18.210.12', speakerPrefix: '203.0.113.12/32', med: 22, routerPrefix: '198.18.220.0/24' },
  { name: 'v6-ebgp', family: 'ipv6', ibgp: false, speakerPassive: true, routerAddress: '2001:db8:d210::1', speakerAddress: '2001:db8:d210::11', speakerPrefix: '2001:db8:5::11/128', med: 23, routerPrefix: '2001:db8:d220::/64' },
  { name: 'v6-ibgp', family: 'ipv6', ibgp: true, speakerPassive: false, routerAddress: '2001:db8:d210::2', speakerAddress: '2001:db8:d210::12', speakerPrefix: '2001:db8:5::12/128', med: 24, routerPrefix: '2001:db8:d220::/64' },
];

/** What the router originates: the same on every router config (see the topologies). */
export const ROUTER_ROUTE = { med: 70, localPref: 170, community: `${ROUTER_AS}:7`, largeCommunity: `${ROUTER_AS}:7:8` } as const;

/** A route as any router shows it, reduced to what both sides set. */
export interface SeenRoute {
  readonly asPath: string;
  readonly nextHop: string;
  readonly med: number | undefined;
  readonly localPref: number | undefined;
  readonly communities: readonly string[];
  readonly largeCommunities: readonly string[];
  /** "LB:AS:bytes per second" */
  readonly linkBandwidth: readonly string[];
}

/** The speaker's route for `s` as the router must see it. */
export function expectedAtRouter(s: Session): SeenRoute {
  return {
    asPath: s.ibgp ? '' : String(SPEAKER_AS),
    nextHop: s.speakerAddress,
    med: s.med,
    localPref: s.ibgp ? 250 : undefined,
    communities: [`${SPEAKER_AS}:100`, ...(s.ibgp ? [] : ['NO_EXPORT'])],
    largeCommunities: [`${SPEAKER_AS}:1:2`],
    linkBandwidth: [`LB:${s.ibgp ? ROUTER_AS : SPEAKER_AS}:${LINK_BANDWIDTH}`],
  };
}

export function speakerRoutes(): object[] {
  return SESSIONS.map((s) => ({
    prefix: s.speakerPrefix,
    peers: [s.routerAddress],
    med: s.med,
    ...(s.ibgp ? { localPref: 250 } : {}),
    communities: [`${SPEAKER_AS}:100`, ...(s.ibgp ? [] : ['NO_EXPORT'])],
    largeCommunities: [`${SPEAKER_AS}:1:2`],
    linkBandwidth: LINK_BANDWIDTH,
  }));
}

export function speakerConfig(extraPeers: object[] = [], extraRoutes: object[] = []): object {
  return {
    localAs: SPEAKER_AS,
    routerId: '198.18.210.11',
    listen: { address: '::', port: 179 },
    peers: [
      ...SESSIONS.map((s) => ({
        address: s.routerAddress,
        peerAs: ROUTER_AS,
        ...(s.ibgp ? { localAs: ROUTER_AS } : {}),
        sourceAddress: s.speakerAddress,
        passive: s.speakerPassive,
        families: [s.family],
        holdTime: 9,
        connectRetry: { initial: 1, max: 2, jitter: 0 },
      })),
      ...extraPeers,
    ],
    routes: [...speakerRoutes(), ...extraRoutes],
  };
}

export type Line = Record<string, unknown> & { event: string };

/** The bgp-speaker program in a lab node: JSON lines in, JSON lines out. */
export class Speaker {
  readonly lines: Line[] = [];
  private waiters: (() => void)[] = [];
  private constructor(
    readonly child: ChildProcessWithoutNullStreams,
    private readonly label: string,
  ) {
    createInterface({ input: child.stdout }).on('line', (text) => {
      try {
        this.lines.push(JSON.parse(text) as Line);
      } catch {
        this.lines.push({ event: 'unparsed', text });
      }
      this.waiters.splice(0).forEach((w) => w());
    });
    child.stderr.on('data', (chunk: Buffer) => this.lines.push({ event: 'stderr', text: chunk.toString() }));
  }

  static start(lab: Lab, node: string, config: object, dir: string): Speaker {
    mkdirSync(dir, { recursive: true });
    const file = `${dir}/speaker-${Date.now()}.json`;
    writeFileSync(file, JSON.stringify(config));
    const argv = inNamespace(lab.namespace(node), ['node', PROGRAM, '--config', file]);
    return new Speaker(spawn(argv[0]!, argv.slice(1), { stdio: ['pipe', 'pipe', 'pipe'] }), lab.name);
  }

  send(command: object): void {
    this.child.stdin.write(`${JSON.stringify(command)}\n`);
  }

  /** The first line from `from` on that matches; fails after timeoutMs with what was seen. */
  async waitFor(match: (l: Line) => boolean, what: string, timeoutMs = 30_000, from = 0): Promise<Line> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.lines.slice(from).find(match);
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0) {
        const said = this.lines.filter((l) => l.event !== 'fsm').map((l) => JSON.stringify(l)).join('\n');
        throw new Error(`${this.label}: timed out waiting for ${what}; speaker said:\n${said.slice(-6000)}`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 500));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  established(peer: string): Promise<Line> {
    return this.waitFor((l) => l.event === 'state' && l.peer === peer && l.to === 'Established', `${peer} Established`);
  }

  /** The latest announce of `prefix` from `peer` (waits for the first). */
  async route(peer: string, prefix: string, from = 0): Promise<Line> {
    await this.waitFor((l) => l.event === 'route' && l.peer === peer && l.prefix === prefix && l.action === 'announce', `${prefix} from ${peer}`, 30_000, from);
    return this.lines.filter((l) => l.event === 'route' && l.peer === peer && l.prefix === prefix && l.action === 'announce').at(-1)!;
  }

  async status(): Promise<Line[]> {
    const mark = this.lines.length;
    this.send({ status: true });
    const line = await this.waitFor((l) => l.event === 'status', 'status', 10_000, mark);
    return line.peers as Line[];
  }

  async stop(): Promise<number | null> {
    if (this.child.exitCode !== null) return this.child.exitCode;
    const exited = new Promise<number | null>((r) => this.child.once('exit', (code) => r(code)));
    this.child.kill('SIGTERM');
    return exited;
  }
}

/** A route line from the speaker in the common shape. */
export function seenBySpeaker(line: Line): SeenRoute {
  const extended = (line.extendedCommunities as string[] | undefined) ?? [];
  return {
    asPath: String(line.asPath ?? ''),
    nextHop: String(line.nextHop),
    med: line.med as number | undefined,
    localPref: line.localPref as number | undefined,
    communities: (line.communities as string[] | undefined) ?? [],
    largeCommunities: (line.largeCommunities as string[] | undefined) ?? [],
    linkBandwidth: extended.filter((e) => e.startsWith('LB:')),
  };
}

export async function eventually<T>(read: () => Promise<T>, ok: (v: T) => boolean, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      last = await read();
      if (ok(last)) return last;
    } catch (error) {
      lastError = error;
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`${what} did not happen; last seen ${JSON.stringify(last)?.slice(0, 2000)} ${lastError ? String(lastError) : ''}`);
}

/** Builds the bgp package; a type error elsewhere in the tree must not stop a run whose dist is current. */
export async function buildSpeaker(): Promise<void> {
  const built = await tryRun(['npx', 'tsc', '-b', `${ROOT}bgp`], { timeoutMs: 180_000 });
  if (built.code !== 0) process.stderr.write(`bgp-interop: tsc -b bgp reported errors (running the emitted dist anyway):\n${built.stdout.slice(0, 2000)}\n`);
  await run(['test', '-f', PROGRAM]);
}

/**
 * With HL_BGP_CAPTURE=DIR, records every BGP packet on the speaker's link to DIR/NAME.pcap
 * (scripts/capture-bgp-fixtures.mjs turns them into bgp/src/wire/fixtures/). Returns a stop function.
 */
export async function startCapture(lab: Lab, node: string, name: string): Promise<() => Promise<void>> {
  const dir = process.env.HL_BGP_CAPTURE;
  if (!dir) return async () => {};
  mkdirSync(dir, { recursive: true });
  const argv = inNamespace(lab.namespace(node), ['tcpdump', '-i', 'eth1', '-U', '-s', '0', '-w', `${dir}/${name}.pcap`, 'tcp port 179']);
  const child = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'ignore', 'pipe'] });
  let said = '';
  child.stderr.on('data', (chunk: Buffer) => (said += chunk.toString()));
  await eventually(async () => said, (s) => s.includes('listening on'), 'tcpdump to listen', 10_000);
  return async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGINT');
    await exited;
  };
}
