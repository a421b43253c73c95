// Needs root (run with `npm run test:e2e -- bgp-md5`): TCP MD5 (RFC 2385), GTSM (RFC 5082) and
// eBGP multihop TTL between the bgp-speaker program and FRR, in lab bgp-md5 (see its topology for
// the sessions). Refused sessions are judged by the kernel's own drop counters, not by waiting.

import { spawn, type ChildProcess } from 'node:child_process';
import { frrVtysh, inNamespace, run, startLab, type Lab, downLab } from '@headland/lab/lab';
import { buildSpeaker, eventually, ROOT, Speaker } from './bgp-interop/harness.js';

const LAB = 'bgp-md5';
const DIR = `/tmp/${LAB}`;
const KEY = 'headland-md5';
const retry = { initial: 1, max: 2, jitter: 0 };

/** Router-side address -> speaker-side address, one session each. */
const S = {
  md5Active: { router: '198.18.230.1', speaker: '198.18.230.11' },
  md5Passive: { router: '198.18.230.2', speaker: '198.18.230.12' },
  md5Wrong: { router: '198.18.230.3', speaker: '198.18.230.13' },
  gtsm: { router: '198.18.230.4', speaker: '198.18.230.14' },
  gtsmOnlyFrr: { router: '198.18.230.5', speaker: '198.18.230.17' },
  multihop: { router: '198.18.231.2', speaker: '198.18.230.15' },
  multihopTtl1: { router: '198.18.231.3', speaker: '198.18.230.16' },
} as const;

const peer = (s: { router: string; speaker: string }, peerAs: number, extra: object) => ({
  address: s.router,
  peerAs,
  sourceAddress: s.speaker,
  holdTime: 9,
  connectRetry: retry,
  ...extra,
});

const speakerConfig = {
  localAs: 64512,
  routerId: S.md5Active.speaker,
  // Dual-stack listener: the IPv4 peers' MD5 keys go on it as v4-mapped addresses.
  listen: { address: '::', port: 179 },
  peers: [
    peer(S.md5Active, 64630, { password: KEY }),
    peer(S.md5Passive, 64630, { password: KEY, passive: true }),
    peer(S.md5Wrong, 64630, { password: 'not-the-key' }),
    peer(S.gtsm, 64630, { gtsm: true }),
    peer(S.gtsmOnlyFrr, 64630, {}),
    peer(S.multihop, 64631, { ttl: 2 }),
    peer(S.multihopTtl1, 64631, { ttl: 1 }),
  ],
  routes: [
    { prefix: '203.0.113.31/32', peers: [S.md5Active.router], med: 31, communities: ['64512:31'] },
    { prefix: '203.0.113.32/32', peers: [S.multihop.router], med: 32 },
  ],
};

let lab: Lab;
let speaker: Speaker;
let capture: ChildProcess | undefined;
let syns = '';

const vtysh = (node: 'router' | 'far', ...commands: string[]) => run(frrVtysh(LAB, node, ...commands));
const frrNeighbor = async (node: 'router' | 'far', address: string): Promise<any> => JSON.parse(await vtysh(node, `show bgp neighbors ${address} json`))[address];
const frrRoute = async (node: 'router' | 'far', prefix: string): Promise<any> => JSON.parse(await vtysh(node, `show bgp ipv4 unicast ${prefix} json`));

/** A kernel counter of a lab node: "TcpExt:TCPMD5Failure" from /proc/net/netstat, "Icmp:OutTimeExcds" from /proc/net/snmp. */
async function counter(node: string, name: string): Promise<number> {
  const [group, field] = name.split(':') as [string, string];
  const text = await lab.exec(node, ['cat', '/proc/net/netstat', '/proc/net/snmp']);
  const lines = text.split('\n').filter((l) => l.startsWith(`${group}:`));
  for (let i = 0; i + 1 < lines.length; i += 2) {
    const keys = lines[i]!.split(/\s+/);
    const values = lines[i + 1]!.split(/\s+/);
    const at = keys.indexOf(field);
    if (at > 0) return Number(values[at]);
  }
  throw new Error(`bgp-md5: no counter ${name} on ${node}`);
}

const neverEstablished = (address: string) => !speaker.lines.some((l) => l.event === 'state' && l.peer === address && l.to === 'Established');

beforeAll(async () => {
  await downLab(LAB);
  await buildSpeaker();
  lab = await startLab(`${ROOT}lab/topologies/${LAB}/${LAB}.clab.yml`);
  // The speaker's first SYNs on three sessions, printed with their IP TTL and TCP options.
  const argv = inNamespace(lab.namespace('speaker'), [
    'tcpdump', '-i', 'eth1', '-n', '-v', '-l',
    `tcp[tcpflags] & tcp-syn != 0 and tcp[tcpflags] & tcp-ack == 0 and (src host ${S.md5Active.speaker} or src host ${S.gtsm.speaker} or src host ${S.multihop.speaker})`,
  ]);
  capture = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
  let said = '';
  capture.stdout!.on('data', (chunk: Buffer) => (syns += chunk.toString()));
  capture.stderr!.on('data', (chunk: Buffer) => (said += chunk.toString()));
  await eventually(async () => said, (s) => s.includes('listening on'), 'tcpdump to listen', 10_000);
  speaker = Speaker.start(lab, 'speaker', speakerConfig, DIR);
}, 240_000);

afterAll(async () => {
  await speaker?.stop();
  capture?.kill('SIGTERM');
  await downLab(LAB);
}, 60_000);

describe('TCP MD5', () => {
  test('the right key, speaker active: Established at both ends, and the SYN already carries the MD5 option', async () => {
    await speaker.established(S.md5Active.router);
    const opened = speaker.lines.find((l) => l.event === 'state' && l.peer === S.md5Active.router && l.to === 'OpenSent');
    expect(opened?.reason).toBe('Tcp_CR_Acked');
    const n = await eventually(() => frrNeighbor('router', S.md5Active.speaker), (x) => x?.bgpState === 'Established', 'FRR Established with .11');
    expect(n.authenticationEnabled).toBe(1);
    const syn = await eventually(async () => syns, (t) => new RegExp(`${S.md5Active.speaker}\\.\\d+ > ${S.md5Active.router}\\.179: Flags \\[S\\]`).test(t), 'a SYN from .11');
    expect(synOf(syn, S.md5Active.speaker)).toMatch(/options \[[^\]]*md5/);
  });

  test('the right key, speaker passive: FRR connects through the MD5 key on the listener', async () => {
    await speaker.established(S.md5Passive.router);
    const opened = speaker.lines.find((l) => l.event === 'state' && l.peer === S.md5Passive.router && l.to === 'OpenSent');
    expect(opened?.reason).toBe('TcpConnectionConfirmed');
    await eventually(() => frrNeighbor('router', S.md5Passive.speaker), (x) => x?.bgpState === 'Established', 'FRR Established with .12');
  });

  test('routes cross an MD5 session both ways', async () => {
    const route = await eventually(() => frrRoute('router', '203.0.113.31/32'), (r) => r.paths?.some((p: any) => p.peer?.peerId === S.md5Active.speaker), '203.0.113.31/32 at FRR');
    const path = route.paths.find((p: any) => p.peer.peerId === S.md5Active.speaker);
    expect([path.metric, path.aspath.string, path.community.string, path.nexthops[0].ip]).toEqual([31, '64512', '64512:31', S.md5Active.speaker]);
    const line = await speaker.route(S.md5Active.router, '198.18.232.0/24');
    expect([line.asPath, line.nextHop]).toEqual(['64630', S.md5Active.router]);
  });

  test('a wrong key: no session; the kernels drop the segments on both sides and FRR never sees an OPEN', async () => {
    // Both sides have tried, each at least twice: the speaker's SYNs fail at the router, FRR's at the speaker's listener.
    await eventually(() => counter('router', 'TcpExt:TCPMD5Failure'), (n) => n >= 2, 'MD5 failures at the router');
    await eventually(() => counter('speaker', 'TcpExt:TCPMD5Failure'), (n) => n >= 2, 'MD5 failures at the speaker');
    const n = await frrNeighbor('router', S.md5Wrong.speaker);
    expect(n.bgpState).not.toBe('Established');
    expect([n.connectionsEstablished, n.messageStats.opensRecv]).toEqual([0, 0]);
    expect(speaker.lines.some((l) => l.event === 'state' && l.peer === S.md5Wrong.router && l.to === 'OpenSent')).toBe(false);
    const status = (await speaker.status()).find((p) => p.address === S.md5Wrong.router) as any;
    expect(status.counters.messagesIn.open).toBe(0);
  });
});

describe('GTSM (RFC 5082)', () => {
  test('ttl-security hops 1 at FRR and gtsm at the speaker: Established, the SYN leaves with TTL 255', async () => {
    await speaker.established(S.gtsm.router);
    await eventually(() => frrNeighbor('router', S.gtsm.speaker), (x) => x?.bgpState === 'Established', 'FRR Established with .14');
    expect(synOf(syns, S.gtsm.speaker)).toMatch(/ttl 255,/);
  });

  test('ttl-security at FRR only: FRR drops what the speaker sends with TTL 64, no session', async () => {
    await eventually(() => counter('router', 'TcpExt:TCPMinTTLDrop'), (n) => n >= 2, 'min-TTL drops at the router');
    const n = await frrNeighbor('router', S.gtsmOnlyFrr.speaker);
    expect(n.bgpState).not.toBe('Established');
    expect(n.messageStats.opensRecv).toBe(0);
    expect(neverEstablished(S.gtsmOnlyFrr.router)).toBe(true);
  });
});

describe('eBGP multihop', () => {
  test('FRR two hops away with ebgp-multihop 2 and ttl 2 at the speaker: Established, routes arrive, the SYN leaves with TTL 2', async () => {
    await speaker.established(S.multihop.router);
    await eventually(() => frrNeighbor('far', S.multihop.speaker), (x) => x?.bgpState === 'Established', 'far Established with .15');
    await eventually(() => frrRoute('far', '203.0.113.32/32'), (r) => r.paths?.[0]?.metric === 32, '203.0.113.32/32 at far');
    await speaker.route(S.multihop.router, '198.18.233.0/24');
    expect(synOf(syns, S.multihop.speaker)).toMatch(/ttl 2,/);
  });

  test('ttl 1 toward a peer two hops away: the router discards what the speaker sends, no session', async () => {
    await eventually(() => counter('router', 'Icmp:OutTimeExcds'), (n) => n >= 2, 'time-exceeded at the router');
    const n = await frrNeighbor('far', S.multihopTtl1.speaker);
    expect(n.bgpState).not.toBe('Established');
    expect(n.messageStats.opensRecv).toBe(0);
    expect(neverEstablished(S.multihopTtl1.router)).toBe(true);
  });
});

test('SIGTERM: the speaker exits 0 and FRR records Administrative Shutdown on the MD5 session', async () => {
  expect(await speaker.stop()).toBe(0);
  const n = await eventually(() => frrNeighbor('router', S.md5Active.speaker), (x) => x?.bgpState !== 'Established', 'FRR sees the shutdown');
  expect(JSON.stringify(n)).toMatch(/Administrative Shutdown/i);
});

/** tcpdump -v prints the IP header line, then the TCP line: both for the first SYN from `source`. */
function synOf(text: string, source: string): string {
  const lines = text.split('\n');
  const at = lines.findIndex((l) => l.trimStart().startsWith(`${source}.`) && l.includes('Flags [S]'));
  if (at < 1) throw new Error(`bgp-md5: no SYN from ${source} captured; tcpdump printed:\n${text.slice(0, 3000)}`);
  return `${lines[at - 1]}\n${lines[at]}`;
}
