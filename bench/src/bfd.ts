// `npm run bench -- bfd`: BFD at 50 ms x 3 between two BgpSpeakers on loopback (127.0.0.1 and
// 127.0.0.2, real UDP sockets through @headland/native, no root) while one sends the other a
// 100,000-route table. One JSON line per case: did BFD stay Up, the longest silence between BFD
// packets each side received while the table went over, and the event loop's longest stall.
//
// Cases: `same-process` (both speakers share one event loop: the worst case) and `two-processes`
// (the announcer in a child process, as our speaker and a router would be). The dump measured is
// the table sent on session establishment: routes loaded, session and BFD (at 50 ms) up, then the
// announcer resets the session (BFD stays Up) and the new session sends the whole table again.
//
// Then (root) the failover part in _bfd-failover.ts: a cut link's nexthop out of the ToR's FIB.
//
// Environment: BFD_BENCH_ROUTES (default 100000), BFD_BENCH_SKIP (same-process,two-processes,failover),
// BFD_BENCH_TRIALS (failover trials per BFD setting, default 20), BFD_BENCH_BASELINE_TRIALS (without BFD, default 5),
// BFD_BENCH_SPEAKER_MODULE (another build's bgp/dist/index.js, to compare before and after).

import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { isSupported } from '@headland/native';
import type { BgpSpeaker as Speaker, BfdSocketFactory, PeerBfdEvent, PeerConfig } from 'bgp-speaker-ts';
import { benchPrefixes } from './_bgp-prefixes.js';
import { runFailoverBench } from './_bfd-failover.js';

interface Library {
  readonly BgpSpeaker: typeof Speaker;
  readonly nativeBfdSockets: BfdSocketFactory;
}

const RECEIVER = '127.0.0.1';
const ANNOUNCER = '127.0.0.2';
const BFD = { transmitIntervalMs: 50, receiveIntervalMs: 50, detectMultiplier: 3 } as const;
const DETECTION_MS = 150;
/** BFD is measured this long past the last route, for a stall right at the end. */
const TAIL_MS = 500;

const round = (n: number, digits = 1): number => Math.round(n * 10 ** digits) / 10 ** digits;
const print = (line: Record<string, unknown>): void => console.log(JSON.stringify({ bench: 'bfd', ...line }));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function library(): Promise<Library> {
  return (await import(process.env['BFD_BENCH_SPEAKER_MODULE'] ?? 'bgp-speaker-ts')) as Library;
}

async function until(ready: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ready()) {
    if (Date.now() > deadline) throw new Error(`bfd bench: timed out waiting for ${what}`);
    await sleep(5);
  }
}

/**
 * BFD packets one speaker received while measuring: the longest gap after a packet that arrived
 * while the session was Up (once it is Down, packets come at 1 s and prove nothing), the state
 * changes out of Up, and the event loop's longest stall.
 */
class Watch {
  private last: number | undefined;
  private lastWhileUp = false;
  private up = false;
  private measuring = false;
  private maxGap = 0;
  private packets = 0;
  private readonly loop = monitorEventLoopDelay({ resolution: 5 });
  /** State changes out of Up while measuring, as "from->to/diag". */
  private readonly downs: string[] = [];

  constructor(private readonly lib: Library) {}

  sockets(): BfdSocketFactory {
    return (options) =>
      this.lib.nativeBfdSockets({
        ...options,
        onDatagram: (datagram) => {
          this.note();
          options.onDatagram(datagram);
        },
      });
  }

  onBfd(event: PeerBfdEvent): void {
    this.up = event.to === 'Up';
    if (this.measuring && event.from === 'Up') this.downs.push(`${event.from}->${event.to}/${event.diag}`);
  }

  start(): void {
    this.measuring = true;
    this.maxGap = 0;
    this.packets = 0;
    this.downs.length = 0;
    this.loop.reset();
    this.loop.enable();
  }

  stop(): { max_gap_ms: number; packets: number; loop_max_ms: number; downs: number; first_downs: string[] } {
    this.measuring = false;
    this.loop.disable();
    return { max_gap_ms: round(this.maxGap), packets: this.packets, loop_max_ms: round(this.loop.max / 1e6), downs: this.downs.length, first_downs: this.downs.slice(0, 3) };
  }

  private note(): void {
    const now = performance.now();
    if (this.measuring) {
      if (this.last !== undefined && this.lastWhileUp) this.maxGap = Math.max(this.maxGap, now - this.last);
      this.packets += 1;
    }
    this.last = now;
    this.lastWhileUp = this.up;
  }
}

function announcerPeer(port: number): PeerConfig {
  // 127.0.0.x is no next hop a receiver accepts (RFC 7606 treat-as-withdraw), so the routes name another.
  return { address: RECEIVER, port, peerAs: 64512, sourceAddress: ANNOUNCER, nextHop: { ipv4: '198.18.0.2' }, connectRetry: { initial: 1, max: 1, jitter: 0 }, bfd: BFD };
}

/** The announcer: routes loaded, its peer added; resolves once BFD is at 50 ms and the session Established. */
async function startAnnouncer(lib: Library, watch: Watch, routes: number, port: number): Promise<Speaker> {
  const speaker = new lib.BgpSpeaker({ localAs: 64513, routerId: '198.18.0.2', bfd: { sockets: watch.sockets() } });
  speaker.on('bfd', (e) => watch.onBfd(e));
  for (const prefix of benchPrefixes(routes)) speaker.announce(prefix);
  speaker.addPeer(announcerPeer(port));
  return speaker;
}

const fastAndEstablished = (speaker: Speaker): boolean => {
  const s = speaker.status()[0];
  return s?.state === 'Established' && s.bfd?.state === 'Up' && s.bfd.detectionTimeMs === DETECTION_MS;
};

async function receiverSide(lib: Library, watch: Watch): Promise<Speaker> {
  const speaker = new lib.BgpSpeaker({ localAs: 64512, routerId: '198.18.0.1', listen: { address: RECEIVER, port: 0 }, bfd: { sockets: watch.sockets() } });
  speaker.on('bfd', (e) => watch.onBfd(e));
  await speaker.start();
  speaker.addPeer({ address: ANNOUNCER, peerAs: 64513, passive: true, sourceAddress: RECEIVER, bfd: BFD });
  return speaker;
}

const accepted = (speaker: Speaker): number => speaker.status()[0]?.counters.prefixesAccepted ?? 0;

/**
 * Waits out the reset: the old session's routes gone, the new one Established (reconnect_ms,
 * mostly the receiver's idle-hold backoff), then all routes there (dump_ms, from Established).
 */
async function dumpDone(receiver: Speaker, routes: number, resetAt: number): Promise<{ reconnect_ms: number; dump_ms: number }> {
  // The reset flushes the receiver's Adj-RIB-In (a Cease, no graceful restart) before the new table comes.
  await until(() => accepted(receiver) < routes, 30_000, 'the reset to reach the receiver');
  let establishedAt = 0;
  await until(() => receiver.status()[0]?.state === 'Established', 60_000, 'the session back');
  establishedAt = performance.now();
  await until(() => accepted(receiver) === routes, 300_000, `${routes} routes at the receiver`);
  return { reconnect_ms: round(establishedAt - resetAt, 0), dump_ms: round(performance.now() - establishedAt, 0) };
}

async function sameProcess(lib: Library, routes: number): Promise<Record<string, unknown>> {
  const receiverWatch = new Watch(lib);
  const announcerWatch = new Watch(lib);
  const receiver = await receiverSide(lib, receiverWatch);
  const announcer = await startAnnouncer(lib, announcerWatch, routes, receiver.listenPort);
  try {
    await until(() => fastAndEstablished(receiver) && fastAndEstablished(announcer) && accepted(receiver) === routes, 300_000, 'BFD at 50 ms and the first table');
    await sleep(TAIL_MS);
    receiverWatch.start();
    announcerWatch.start();
    const resetAt = performance.now();
    announcer.resetPeer(RECEIVER);
    const timing = await dumpDone(receiver, routes, resetAt);
    await sleep(TAIL_MS);
    const r = receiverWatch.stop();
    const a = announcerWatch.stop();
    return {
      case: 'same-process',
      routes,
      ...timing,
      bfd_stayed_up: r.downs === 0 && a.downs === 0 && receiver.status()[0]?.bfd?.state === 'Up',
      receiver_max_gap_ms: r.max_gap_ms,
      announcer_max_gap_ms: a.max_gap_ms,
      loop_max_ms: Math.max(r.loop_max_ms, a.loop_max_ms),
      detection_ms: DETECTION_MS,
      packets_received: { receiver: r.packets, announcer: a.packets },
      bfd_downs: { receiver: r.downs, announcer: a.downs },
      first_downs: { receiver: r.first_downs, announcer: a.first_downs },
      bgp_downs_by_bfd: receiver.status()[0]?.counters.sessionDownsByBfd ?? 0,
    };
  } finally {
    await Promise.all([announcer.stop(), receiver.stop()]);
  }
}

/** Child process: the announcer, driven by lines on stdin (reset, report, stop), answering JSON lines. */
async function announcerChild(routes: number, port: number): Promise<void> {
  const lib = await library();
  const watch = new Watch(lib);
  const say = (line: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(line)}\n`);
  const speaker = await startAnnouncer(lib, watch, routes, port);
  await until(() => fastAndEstablished(speaker), 300_000, 'BFD at 50 ms and the session');
  say({ event: 'ready' });
  for await (const line of createInterface({ input: process.stdin })) {
    if (line === 'reset') {
      watch.start();
      speaker.resetPeer(RECEIVER);
    } else if (line === 'report') {
      say({ event: 'report', ...watch.stop(), state: speaker.status()[0]?.bfd?.state });
    } else if (line === 'stop') break;
  }
  await speaker.stop();
  process.exit(0);
}

async function twoProcesses(lib: Library, routes: number): Promise<Record<string, unknown>> {
  const watch = new Watch(lib);
  const receiver = await receiverSide(lib, watch);
  const child = spawn(process.execPath, [new URL(import.meta.url).pathname, '--announcer', String(routes), String(receiver.listenPort)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines: Array<Record<string, unknown>> = [];
  createInterface({ input: child.stdout }).on('line', (text) => lines.push(JSON.parse(text) as Record<string, unknown>));
  const line = async (event: string) => {
    await until(() => lines.some((l) => l['event'] === event) || child.exitCode !== null, 300_000, `the announcer's ${event}`);
    const found = lines.find((l) => l['event'] === event);
    if (!found) throw new Error(`bfd bench: the announcer exited (${child.exitCode}) before "${event}"`);
    return found;
  };
  try {
    await line('ready');
    await until(() => fastAndEstablished(receiver) && accepted(receiver) === routes, 300_000, 'BFD at 50 ms and the first table');
    await sleep(TAIL_MS);
    watch.start();
    const resetAt = performance.now();
    child.stdin.write('reset\n');
    const timing = await dumpDone(receiver, routes, resetAt);
    await sleep(TAIL_MS);
    const r = watch.stop();
    child.stdin.write('report\n');
    const a = await line('report');
    const announcerDowns = Number(a['downs']);
    return {
      case: 'two-processes',
      routes,
      ...timing,
      bfd_stayed_up: r.downs === 0 && announcerDowns === 0 && receiver.status()[0]?.bfd?.state === 'Up',
      receiver_max_gap_ms: r.max_gap_ms,
      announcer_max_gap_ms: a['max_gap_ms'],
      receiver_loop_max_ms: r.loop_max_ms,
      announcer_loop_max_ms: a['loop_max_ms'],
      detection_ms: DETECTION_MS,
      packets_received: { receiver: r.packets, announcer: a['packets'] },
      bfd_downs: { receiver: r.downs, announcer: announcerDowns },
      first_downs: { receiver: r.first_downs, announcer: a['first_downs'] },
      bgp_downs_by_bfd: receiver.status()[0]?.counters.sessionDownsByBfd ?? 0,
    };
  } finally {
    child.stdin.end('stop\n');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    if (child.exitCode === null) await new Promise((resolve) => child.once('exit', resolve));
    clearTimeout(timer);
    await receiver.stop();
  }
}

async function main(): Promise<void> {
  if (process.argv[2] === '--announcer') {
    await announcerChild(Number(process.argv[3]), Number(process.argv[4]));
    return;
  }
  const routes = Number(process.env['BFD_BENCH_ROUTES'] ?? 100_000);
  const skip = new Set((process.env['BFD_BENCH_SKIP'] ?? '').split(',').filter(Boolean));
  if (process.platform !== 'linux' || !isSupported()) {
    print({ case: 'bfd-under-load', skipped: 'needs Linux and @headland/native (the received TTL)' });
    return;
  }
  const lib = await library();
  let failed = false;
  for (const [name, run] of [
    ['same-process', sameProcess],
    ['two-processes', twoProcesses],
  ] as const) {
    if (skip.has(name)) continue;
    try {
      const figure = await run(lib, routes);
      print({ ...figure, speaker_module: process.env['BFD_BENCH_SPEAKER_MODULE'] ?? 'bgp-speaker-ts' });
      if (figure['bfd_stayed_up'] !== true) failed = true;
    } catch (error) {
      failed = true;
      print({ case: name, error: (error as Error).message });
    }
  }
  // The lab part: failover time at the ToR with BFD at 300 and 50 ms x 3 and without (BFD_BENCH_SKIP=failover skips it).
  if (!skip.has('failover')) {
    const trials = Number(process.env['BFD_BENCH_TRIALS'] ?? 20);
    if (!(await runFailoverBench(trials, Number(process.env['BFD_BENCH_BASELINE_TRIALS'] ?? 5)))) failed = true;
  }
  process.exit(failed ? 1 : 0);
}

await main();
