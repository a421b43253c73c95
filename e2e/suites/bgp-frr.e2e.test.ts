// Needs root: interop of the bgp-speaker program (bgp-speaker-ts) with FRR's bgpd, each in a
// network namespace this suite creates (198.18.200.0/30 only) and deletes afterwards, even on failure.

import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync, chownSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { inNamespace, run, tryRun } from '@headland/lab/lab';

const SPK = 'hbgpfrr-spk';
const RTR = 'hbgpfrr-rtr';
const PATHSPACE = 'hbgpfrr';
const DIR = '/tmp/hbgpfrr';
const SPK_ADDR = '198.18.200.1';
const RTR_ADDR = '198.18.200.2';
const ROOT = new URL('../..', import.meta.url).pathname;
const PROGRAM = `${ROOT}bgp/dist/cli/main.js`;

type Line = Record<string, unknown> & { event: string };

class Speaker {
  readonly lines: Line[] = [];
  private waiters: (() => void)[] = [];
  private constructor(readonly child: ChildProcessWithoutNullStreams) {
    createInterface({ input: child.stdout }).on('line', (text) => {
      try {
        this.lines.push(JSON.parse(text) as Line);
      } catch {
        this.lines.push({ event: 'unparsed', text });
      }
      this.waiters.splice(0).forEach((w) => w());
    });
  }

  static start(config: object): Speaker {
    const file = `${DIR}/speaker-${Date.now()}.json`;
    writeFileSync(file, JSON.stringify(config));
    const argv = inNamespace(SPK, ['node', PROGRAM, '--config', file]);
    return new Speaker(spawn(argv[0]!, argv.slice(1), { stdio: ['pipe', 'pipe', 'pipe'] }));
  }

  send(command: object): void {
    this.child.stdin.write(`${JSON.stringify(command)}\n`);
  }

  /** The first line (from `from` on) matching; fails after timeoutMs with what was seen. */
  async waitFor(match: (l: Line) => boolean, timeoutMs = 30_000, from = 0): Promise<Line> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.lines.slice(from).find(match);
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`bgp-frr: timed out; speaker said:\n${this.lines.filter((l) => l.event !== 'fsm').map((l) => JSON.stringify(l)).join('\n')}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 500));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  async stop(): Promise<number | null> {
    if (this.child.exitCode !== null) return this.child.exitCode;
    const exited = new Promise<number | null>((r) => this.child.once('exit', (code) => r(code)));
    this.child.kill('SIGTERM');
    return exited;
  }
}

const vtysh = async (...commands: string[]): Promise<string> => run(['vtysh', '-N', PATHSPACE, ...commands.flatMap((c) => ['-c', c])]);
const frrJson = async (command: string): Promise<any> => JSON.parse(await vtysh(command));

async function eventually<T>(read: () => Promise<T>, ok: (v: T) => boolean, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await read();
    if (ok(last)) return last;
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`bgp-frr: ${what} did not happen; last seen ${JSON.stringify(last)?.slice(0, 1500)}`);
}

async function teardown(): Promise<void> {
  for (const daemon of ['bgpd', 'zebra']) {
    try {
      const pid = Number(readFileSync(`${DIR}/${daemon}.pid`, 'utf8').trim());
      if (pid > 0) process.kill(pid, 'SIGTERM');
    } catch {
      // not running
    }
  }
  await new Promise((r) => setTimeout(r, 300));
  // Whatever is still inside our namespaces (only ours) goes before the namespaces do.
  for (const ns of [SPK, RTR]) {
    const pids = await tryRun(['ip', 'netns', 'pids', ns]);
    for (const pid of pids.stdout.split(/\s+/).filter(Boolean)) {
      try {
        process.kill(Number(pid), 'SIGKILL');
      } catch {
        // gone already
      }
    }
    await tryRun(['ip', 'netns', 'del', ns]);
  }
  rmSync(`/var/run/frr/${PATHSPACE}`, { recursive: true, force: true });
}

const frrConfig = `
frr defaults datacenter
router bgp 64600
 bgp router-id ${RTR_ADDR}
 no bgp ebgp-requires-policy
 no bgp network import-check
 neighbor ${SPK_ADDR} remote-as 64512
 neighbor ${SPK_ADDR} timers 1 3
 neighbor ${SPK_ADDR} timers connect 1
 address-family ipv4 unicast
  network 198.18.201.0/24
 exit-address-family
`;

const speakerConfig = (passive: boolean) => ({
  localAs: 64512,
  routerId: SPK_ADDR,
  listen: { address: SPK_ADDR, port: 179 },
  peers: [{ address: RTR_ADDR, peerAs: 64600, holdTime: 3, passive, connectRetry: { initial: 1, max: 2, jitter: 0 } }],
  routes: [{ prefix: '203.0.113.10/32', med: 20, communities: ['64512:100', 'NO_EXPORT'], largeCommunities: ['64512:1:2'], linkBandwidth: 1_000_000 }],
});

beforeAll(async () => {
  await teardown();
  await run(['npx', 'tsc', '-b', `${ROOT}bgp`], { timeoutMs: 120_000 });
  mkdirSync(DIR, { recursive: true });
  for (const ns of [SPK, RTR]) {
    await run(['ip', 'netns', 'add', ns]);
    await run(['ip', '-n', ns, 'link', 'set', 'lo', 'up']);
  }
  await run(['ip', '-n', SPK, 'link', 'add', 'hbf0', 'type', 'veth', 'peer', 'name', 'hbf1', 'netns', RTR]);
  await run(['ip', '-n', SPK, 'addr', 'add', `${SPK_ADDR}/30`, 'dev', 'hbf0']);
  await run(['ip', '-n', RTR, 'addr', 'add', `${RTR_ADDR}/30`, 'dev', 'hbf1']);
  await run(['ip', '-n', SPK, 'link', 'set', 'hbf0', 'up']);
  await run(['ip', '-n', RTR, 'link', 'set', 'hbf1', 'up']);
  mkdirSync(`/var/run/frr/${PATHSPACE}`, { recursive: true });
  const uid = Number((await run(['id', '-u', 'frr'])).trim());
  const gid = Number((await run(['id', '-g', 'frr'])).trim());
  for (const path of ['/var/run/frr', `/var/run/frr/${PATHSPACE}`, DIR]) chownSync(path, uid, gid);
  for (const daemon of ['zebra', 'bgpd']) {
    await run(inNamespace(RTR, [`/usr/lib/frr/${daemon}`, '-d', '-N', PATHSPACE, '-f', '/dev/null', '-P', '0', '-i', `${DIR}/${daemon}.pid`, '--log', `file:${DIR}/${daemon}.log`]));
  }
  await eventually(() => tryRun(['vtysh', '-N', PATHSPACE, '-c', 'show daemons']), (r) => r.code === 0 && r.stdout.includes('bgpd'), 'FRR answering vtysh');
  writeFileSync(`${DIR}/frr.conf`, frrConfig);
  await run(['vtysh', '-N', PATHSPACE, '-f', `${DIR}/frr.conf`]);
}, 180_000);

afterAll(async () => {
  await teardown();
  rmSync(DIR, { recursive: true, force: true });
}, 60_000);

const running: Speaker[] = [];
afterEach(async () => {
  for (const s of running.splice(0)) await s.stop();
});

const frrRoute = (prefix: string) => frrJson(`show bgp ipv4 unicast ${prefix} json`);
const frrPeerState = async () => (await frrJson('show bgp neighbors json'))[SPK_ADDR]?.bgpState as string | undefined;

test('active speaker: session comes up, attributes arrive intact at FRR, FRR routes arrive, withdraw works, SIGTERM exits 0', async () => {
  const speaker = Speaker.start(speakerConfig(false));
  running.push(speaker);
  await speaker.waitFor((l) => l.event === 'state' && l.to === 'Established');
  await eventually(frrPeerState, (s) => s === 'Established', 'FRR Established');

  const route = await eventually(() => frrRoute('203.0.113.10/32'), (r) => Array.isArray(r.paths) && r.paths.length > 0, 'route at FRR');
  const path = route.paths[0];
  expect(path.metric).toBe(20);
  expect(path.aspath.string).toBe('64512');
  expect(path.nexthops[0].ip).toBe(SPK_ADDR);
  expect(path.community.string).toBe('64512:100 no-export');
  expect(path.largeCommunity.string).toBe('64512:1:2');
  // FRR shows link bandwidth as LB:<AS>:<bytes per second> (<Mbps>)
  expect(path.extendedCommunity.string).toMatch(/LB:64512:1000000/);

  // FRR's own network reaches the speaker's Adj-RIB-In.
  await speaker.waitFor((l) => l.event === 'route' && l.action === 'announce' && l.prefix === '198.18.201.0/24' && l.asPath === '64600');

  speaker.send({ announce: '203.0.113.11/32', communities: ['64512:200'] });
  await eventually(() => frrRoute('203.0.113.11/32'), (r) => r.paths?.[0]?.community?.string === '64512:200', 'second route at FRR');
  speaker.send({ withdraw: '203.0.113.10/32' });
  await eventually(() => frrRoute('203.0.113.10/32'), (r) => !r.paths || r.paths.length === 0, 'withdraw at FRR');

  expect(await speaker.stop()).toBe(0);
  // Cease / Administrative Shutdown as FRR records it.
  const neighbor = await eventually(async () => (await frrJson('show bgp neighbors json'))[SPK_ADDR], (n) => n?.bgpState !== 'Established', 'FRR sees the shutdown');
  expect(JSON.stringify(neighbor)).toMatch(/Administrative Shutdown/i);
});

test('passive speaker: FRR connects and the session comes up', async () => {
  const speaker = Speaker.start(speakerConfig(true));
  running.push(speaker);
  const up = await speaker.waitFor((l) => l.event === 'state' && l.to === 'Established');
  expect(speaker.lines.some((l) => l.event === 'state' && l.to === 'OpenSent' && l.reason === 'TcpConnectionConfirmed')).toBe(true);
  expect(up).toBeDefined();
  await eventually(() => frrRoute('203.0.113.10/32'), (r) => r.paths?.length > 0, 'route at FRR');
});

test('a peer that goes silent is dropped when the 3 s hold timer expires', async () => {
  const speaker = Speaker.start(speakerConfig(false));
  running.push(speaker);
  await speaker.waitFor((l) => l.event === 'state' && l.to === 'Established');
  const mark = speaker.lines.length;
  // FRR's packets stop reaching us; nothing tells the TCP connection.
  await run(['ip', 'netns', 'exec', RTR, 'nft', 'add', 'table', 'inet', 'hbgpfrr']);
  try {
    await run(['ip', 'netns', 'exec', RTR, 'nft', 'add', 'chain', 'inet', 'hbgpfrr', 'out', '{ type filter hook output priority 0 ; }']);
    await run(['ip', 'netns', 'exec', RTR, 'nft', 'add', 'rule', 'inet', 'hbgpfrr', 'out', 'tcp', 'sport', '179', 'drop']);
    await run(['ip', 'netns', 'exec', RTR, 'nft', 'add', 'rule', 'inet', 'hbgpfrr', 'out', 'tcp', 'dport', '179', 'drop']);
    const down = await speaker.waitFor((l) => l.event === 'state' && l.from === 'Established', 10_000, mark);
    expect(down.reason).toBe('HoldTimer_Expires');
  } finally {
    await tryRun(['ip', 'netns', 'exec', RTR, 'nft', 'delete', 'table', 'inet', 'hbgpfrr']);
  }
});
