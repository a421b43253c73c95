// NEEDS ROOT (network namespaces, FRR daemons): graceful restart (RFC 4724) between the
// bgp-speaker program (bgp-speaker-ts) and FRR in the `bgp-gr` lab. Restarting speaker: FRR keeps
// the route stale and in its FIB, and a client connecting every 20 ms through FRR sees no failure.
// Helper: a killed bgpd's routes stay in our Adj-RIB-In as stale until it is back and sends them.
// Without root the suite is skipped with a message saying so; the lab is always taken down.

import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { lab } from '@headland/lab';

const { startLab, downLab, run, tryRun, waitFor, frrVtysh, naming } = lab;
const LAB = 'bgp-gr';
const ROOT = new URL('../..', import.meta.url).pathname;
const TOPOLOGY = `${ROOT}lab/topologies/bgp-gr/bgp-gr.clab.yml`;
const PROGRAM = `${ROOT}bgp/dist/cli/main.js`;
const ECHO = `${ROOT}lab/dist/echo/main.js`;
const SERVICE = '203.0.113.50';
const FRR_ADDR = '198.18.60.1';
const SPK_ADDR = '198.18.60.2';
const FRR_NETWORK = '198.18.62.0/24';
const isRoot = process.getuid?.() === 0;
const describeRoot = isRoot ? describe : describe.skip;
if (!isRoot) console.warn('bgp-gr.e2e: skipped, the lab needs root (ip netns, veth, FRR daemons)');

const runDir = naming.runDir(LAB);
const stateFile = `${runDir}/speaker-restart.state`;

type Line = Record<string, unknown> & { event: string };

/** The bgp-speaker program in the speaker namespace, its JSON lines kept in order. */
class Speaker {
  readonly lines: Line[] = [];
  readonly exited: Promise<number | null>;
  private waiters: (() => void)[] = [];
  private constructor(readonly child: ChildProcessWithoutNullStreams) {
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    createInterface({ input: child.stdout }).on('line', (text) => {
      try {
        this.lines.push(JSON.parse(text) as Line);
      } catch {
        this.lines.push({ event: 'unparsed', text });
      }
      this.waiters.splice(0).forEach((w) => w());
    });
  }

  static start(gracefulRestart: object | undefined): Speaker {
    const file = `${runDir}/speaker-${Date.now()}.json`;
    writeFileSync(file, JSON.stringify({
      localAs: 64512,
      routerId: SPK_ADDR,
      listen: { address: SPK_ADDR, port: 179 },
      restartStateFile: stateFile,
      peers: [{ address: FRR_ADDR, peerAs: 64600, holdTime: 9, connectRetry: { initial: 1, max: 2, jitter: 0 }, ...(gracefulRestart ? { gracefulRestart } : {}) }],
      routes: [{ prefix: `${SERVICE}/32` }],
    }));
    const child = spawn('ip', ['netns', 'exec', naming.nodeNamespace(LAB, 'speaker'), 'node', PROGRAM, '--config', file], { stdio: ['pipe', 'pipe', 'pipe'] });
    const speaker = new Speaker(child);
    running.push(speaker);
    return speaker;
  }

  send(command: object): void {
    this.child.stdin.write(`${JSON.stringify(command)}\n`);
  }

  async waitFor(match: (l: Line) => boolean, timeoutMs = 30_000, from = 0): Promise<Line> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.lines.slice(from).find(match);
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`bgp-gr: timed out; speaker said:\n${this.lines.filter((l) => l.event !== 'fsm').map((l) => JSON.stringify(l)).join('\n')}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 500));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  async signal(name: NodeJS.Signals): Promise<number | null> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(name);
    return this.exited;
  }
}

const running: Speaker[] = [];

/**
 * A client that opens one TCP connection every INTERVAL ms to the service until SIGTERM (or for
 * DURATION ms), then prints {ok, failed, failures}. Each connection must bring the echo reply.
 */
const CLIENT_LOOP = `
import net from 'node:net';
const [host, port, interval, duration] = process.argv.slice(2).map((v, i) => (i === 0 ? v : Number(v)));
let ok = 0, failed = 0, inflight = 0;
const failures = [];
function once() {
  inflight += 1;
  const at = Date.now();
  let reply = '';
  let done = false;
  const socket = net.connect({ host, port });
  const finish = (error) => {
    if (done) return;
    done = true;
    clearTimeout(timer);
    inflight -= 1;
    if (!error && reply.length > 0) ok += 1;
    else { failed += 1; if (failures.length < 20) failures.push(new Date(at).toISOString() + ' ' + (error ? error.message : 'no reply')); }
    socket.destroy();
  };
  const timer = setTimeout(() => finish(new Error('timeout after 1000 ms')), 1000);
  socket.on('data', (d) => { reply += d; });
  socket.on('end', () => finish());
  socket.on('error', (e) => finish(e));
}
const ticker = setInterval(once, interval);
const stop = () => {
  clearInterval(ticker);
  const drain = () => (inflight > 0 ? setTimeout(drain, 20) : (process.stdout.write(JSON.stringify({ ok, failed, failures }) + '\\n'), process.exit(0)));
  drain();
};
process.on('SIGTERM', stop);
if (duration > 0) setTimeout(stop, duration);
`;

interface LoopSummary {
  readonly ok: number;
  readonly failed: number;
  readonly failures: string[];
}

function clientLoop(durationMs: number): { stop(): Promise<LoopSummary>; done: Promise<LoopSummary> } {
  const script = `${runDir}/client-loop.mjs`;
  if (!existsSync(script)) writeFileSync(script, CLIENT_LOOP);
  const child = spawn('ip', ['netns', 'exec', naming.nodeNamespace(LAB, 'client'), 'node', script, SERVICE, '8080', '20', String(durationMs)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const done = new Promise<LoopSummary>((resolve, reject) => {
    child.once('exit', () => {
      try {
        resolve(JSON.parse(out) as LoopSummary);
      } catch {
        reject(new Error(`bgp-gr: client loop printed ${JSON.stringify(out)}`));
      }
    });
  });
  return {
    done,
    stop: async () => {
      child.kill('SIGTERM');
      return done;
    },
  };
}

const vtysh = (...commands: string[]) => run(frrVtysh(LAB, 'frr', ...commands));
const frrJson = async (command: string): Promise<any> => JSON.parse(await vtysh(command));
const frrPaths = async (prefix: string): Promise<{ stale?: boolean; valid: boolean }[]> => (await frrJson(`show bgp ipv4 unicast ${prefix} json`)).paths ?? [];
const frrNeighbor = async (): Promise<any> => (await frrJson(`show bgp neighbors ${SPK_ADDR} json`))[SPK_ADDR];
const frrGr = async (): Promise<any> => (await frrJson(`show bgp ipv4 neighbors ${SPK_ADDR} graceful-restart json`))[SPK_ADDR];
const frrFib = async (): Promise<string> => run(['ip', '-n', naming.nodeNamespace(LAB, 'frr'), 'route', 'show', `${SERVICE}/32`]);
const eventually = <T>(probe: () => Promise<T>, accept: (v: T) => boolean, what: string, timeoutMs = 30_000) => waitFor(probe, accept, { timeoutMs, intervalMs: 200, what });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describeRoot('graceful restart between bgp-speaker and FRR (root)', () => {
  beforeAll(async () => {
    await downLab(LAB);
    await run(['npx', 'tsc', '-b', `${ROOT}bgp`], { timeoutMs: 180_000 });
    if (!existsSync(ECHO)) await run(['npx', 'tsc', '-b', `${ROOT}e2e`], { timeoutMs: 300_000 });
    const l = await startLab(TOPOLOGY);
    mkdirSync(runDir, { recursive: true });
    await l.spawn('speaker', ['node', ECHO, '--name', 'speaker', '--port', '8080', '--host', SERVICE, '--no-udp']);
  }, 400_000);

  afterEach(async () => {
    for (const s of running.splice(0)) await s.signal('SIGKILL');
  });

  afterAll(async () => {
    const report = await downLab(LAB);
    expect(report.problems).toEqual([]);
    expect((await run(['ip', 'netns', 'list'])).includes(naming.namespacePrefix(LAB))).toBe(false);
  }, 60_000);

  test('a graceful restart of the speaker: FRR keeps the route stale and in its FIB, the client loop never fails, the route is fresh after', async () => {
    const gr = { restartTime: 60, forwardingPreserved: true };
    const first = Speaker.start(gr);
    await first.waitFor((l) => l.event === 'state' && l.to === 'Established');
    await eventually(() => frrPaths(`${SERVICE}/32`), (p) => p.length === 1 && p[0]?.stale !== true, 'the route at FRR');
    expect(await frrFib()).toContain(`via ${SPK_ADDR}`);
    expect(await frrGr()).toMatchObject({ rBit: false, nBit: true, ipv4Unicast: { fBit: true } });
    // The data path works before anything else is measured.
    expect(await clientLoop(300).done).toMatchObject({ failed: 0 });

    const loop = clientLoop(0);
    await sleep(500);
    expect(await first.signal('SIGUSR2')).toBe(0);
    expect(first.lines.find((l) => l.event === 'stopped')).toMatchObject({ graceful: true, retainedBy: [FRR_ADDR] });
    // FRR: session down, route kept but stale, FIB entry untouched.
    await eventually(frrNeighbor, (n) => n?.bgpState !== 'Established', 'FRR to see the session end');
    expect(await frrPaths(`${SERVICE}/32`)).toEqual([expect.objectContaining({ stale: true, valid: true })]);
    expect(await frrFib()).toContain(`via ${SPK_ADDR}`);
    expect((await frrNeighbor()).lastNotificationReason ?? '').not.toMatch(/Hard Reset/);
    await sleep(2_000);
    expect(await frrPaths(`${SERVICE}/32`)).toEqual([expect.objectContaining({ stale: true })]);

    const second = Speaker.start(gr);
    expect(await second.waitFor((l) => l.event === 'ready')).toMatchObject({ restarted: true });
    await second.waitFor((l) => l.event === 'state' && l.to === 'Established');
    // FRR saw the R bit, and the End-of-RIB after the full table made the route fresh.
    await eventually(frrGr, (g) => g?.rBit === true && g?.ipv4Unicast?.endOfRibStatus?.endOfRibRecv === true, 'FRR to see R and End-of-RIB');
    await eventually(() => frrPaths(`${SERVICE}/32`), (p) => p.length === 1 && p[0]?.stale !== true, 'the route to be fresh again');
    await sleep(500);
    const summary = await loop.stop();
    expect(summary.failures).toEqual([]);
    expect(summary.failed).toBe(0);
    // 20 ms apart for well over 3 s, whatever the machine's load did to the timer.
    expect(summary.ok).toBeGreaterThan(75);

    // A plain SIGTERM is a shutdown: withdraw, then Cease; FRR drops the route and the FIB entry.
    expect(await second.signal('SIGTERM')).toBe(0);
    expect(second.lines.find((l) => l.event === 'stopped')).toMatchObject({ graceful: false });
    await eventually(() => frrPaths(`${SERVICE}/32`), (p) => p.length === 0, 'the route to be withdrawn at FRR', 10_000);
    expect(await frrFib()).toBe('');
    expect(await clientLoop(200).done).toMatchObject({ ok: 0 });
  }, 120_000);

  test('without graceful restart, even a crash of the speaker withdraws the route at once', async () => {
    const speaker = Speaker.start(undefined);
    await speaker.waitFor((l) => l.event === 'state' && l.to === 'Established');
    await eventually(() => frrPaths(`${SERVICE}/32`), (p) => p.length === 1, 'the route at FRR');
    expect((await frrGr())?.ipv4Unicast?.fBit ?? false).toBe(false);
    await speaker.signal('SIGKILL');
    await eventually(() => frrPaths(`${SERVICE}/32`), (p) => p.length === 0, 'FRR to drop the route', 10_000);
    expect(await frrFib()).toBe('');
  }, 60_000);

  test('helper: bgpd killed and restarted, its routes stay in our Adj-RIB-In as stale, then are sent again and are fresh', async () => {
    const speaker = Speaker.start({ restartTime: 60, forwardingPreserved: true });
    await speaker.waitFor((l) => l.event === 'route' && l.prefix === FRR_NETWORK && l.action === 'announce');
    await speaker.waitFor((l) => l.event === 'end-of-rib');
    const mark = speaker.lines.length;

    const frrDir = naming.nodeRunDir(LAB, 'frr');
    const frrNs = naming.nodeNamespace(LAB, 'frr');
    const pid = Number((await run(['cat', `${frrDir}/bgpd.pid`])).trim());
    process.kill(pid, 'SIGKILL');
    const retained = await speaker.waitFor((l) => l.event === 'graceful-restart' && l.phase === 'retained', 15_000, mark);
    expect(retained.stale).toBeGreaterThanOrEqual(1);
    speaker.send({ status: true });
    const status = await speaker.waitFor((l) => l.event === 'status', 5_000, mark);
    expect((status.peers as { counters: { staleRoutes: number; gracefulRestarts: number } }[])[0]?.counters).toMatchObject({ staleRoutes: retained.stale, gracefulRestarts: 1 });

    // bgpd comes back as the lab started it, with the same configuration.
    await run(['ip', 'netns', 'exec', frrNs, '/usr/lib/frr/bgpd', '-d', '-N', frrNs, '-f', '/dev/null', '-P', '0', '-i', `${frrDir}/bgpd.pid`, '--log', `file:${frrDir}/bgpd.log`, '-u', 'frr', '-g', 'frr']);
    await eventually(() => tryRun(frrVtysh(LAB, 'frr', 'show bgp summary')), (r) => r.code === 0, 'the new bgpd to answer');
    await run(['vtysh', '-N', frrNs, '-f', `${ROOT}lab/topologies/bgp-gr/frr.conf`]);

    const finished = await speaker.waitFor((l) => l.event === 'graceful-restart' && l.phase === 'finished', 30_000, mark);
    expect(finished.reason).toBe('End-of-RIB for ipv4');
    const after = speaker.lines.slice(mark);
    // The route was never withdrawn: kept stale, then announced again before End-of-RIB.
    expect(after.filter((l) => l.event === 'route' && l.prefix === FRR_NETWORK).map((l) => l.action)).toEqual(['announce']);
    expect(after.filter((l) => l.event === 'graceful-restart').map((l) => l.phase)).toEqual(['retained', 'reconnected', 'finished']);
    speaker.send({ status: true });
    const fresh = await speaker.waitFor((l) => l.event === 'status' && l !== status, 5_000, mark);
    expect((fresh.peers as { state: string; counters: { staleRoutes: number; staleRoutesPurged: number } }[])[0]).toMatchObject({ state: 'Established', counters: { staleRoutes: 0, staleRoutesPurged: 0 } });
  }, 90_000);
});
