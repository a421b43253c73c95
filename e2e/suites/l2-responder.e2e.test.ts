// Needs root (run with `npm run test:e2e -- l2-responder`): the ARP/NDP responder on a real
// kernel, in two namespaces of its own joined by a veth pair (no lab topology, no k8s): a client
// (hl-l2r-ec) and a node (hl-l2r-en) running speaker/dist/l2/responder/main.js. The service IPs
// are configured on no interface of the node, so its kernel never answers for them (arp_ignore
// stays at its default); the node's own 198.18.252.1 is the kernel's and is never the responder's.

import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { encodeArpFrame, encodeNdpFrame } from '@headland/speaker';
import { run, tryRun } from '@headland/lab/lab';

const ROOT = new URL('../..', import.meta.url).pathname;
const PROGRAM = `${ROOT}speaker/dist/l2/responder/main.js`;

const CLIENT = { ns: 'hl-l2r-ec', ifname: 'hl-l2r-ec0', mac: '02:00:00:00:fc:02', ip: '198.18.252.2', ip6: '2001:db8:252::2' };
const NODE = { ns: 'hl-l2r-en', ifname: 'hl-l2r-en0', mac: '02:00:00:00:fc:01', ip: '198.18.252.1', ip6: '2001:db8:252::1' };
const SERVICE = { v4: '203.0.113.30', v6: '2001:db8:253::30', notOwned: '203.0.113.99', notOwned6: '2001:db8:253::99' };

const inNs = (ns: string, argv: string[]) => ['ip', 'netns', 'exec', ns, ...argv];
const client = (argv: string[]) => run(inNs(CLIENT.ns, argv));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Counters = { received: Record<string, number>; replies: Record<string, number>; gratuitous: Record<string, number>; dropped: Record<string, number> };

/** The responder program in the node namespace: JSON lines out, commands in. */
class Responder {
  readonly child: ChildProcessWithoutNullStreams;
  private readonly lines: Array<Record<string, unknown>> = [];
  private readonly waiters: Array<() => void> = [];

  constructor(args: string[]) {
    this.child = spawn('ip', inNs(NODE.ns, [process.execPath, PROGRAM, ...args]).slice(1));
    this.child.stderr.on('data', (d: Buffer) => process.stderr.write(`responder: ${d.toString()}`));
    createInterface({ input: this.child.stdout }).on('line', (text) => {
      try {
        this.lines.push(JSON.parse(text) as Record<string, unknown>);
      } catch {
        return;
      }
      for (const w of this.waiters.splice(0)) w();
    });
  }

  async next(event: string, timeoutMs = 10_000): Promise<Record<string, unknown>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const i = this.lines.findIndex((l) => l['event'] === event);
      if (i >= 0) return this.lines.splice(i, 1)[0]!;
      if (Date.now() > deadline) throw new Error(`l2-responder: no "${event}" line in ${timeoutMs} ms`);
      await Promise.race([new Promise<void>((r) => this.waiters.push(r)), sleep(100)]);
    }
  }

  send(command: string): void {
    this.child.stdin.write(`${command}\n`);
  }

  async counters(): Promise<Counters> {
    this.send('stats');
    return (await this.next('stats'))['counters'] as Counters;
  }
}

/** arping from the client: replies (MAC and µs) and the sent count. */
async function arping(target: string, count: number): Promise<{ macs: string[]; sent: number }> {
  const r = await tryRun(inNs(CLIENT.ns, ['arping', '-i', CLIENT.ifname, '-c', String(count), '-W', '0.2', target]), { timeoutMs: 30_000 });
  const macs = [...r.stdout.matchAll(/bytes from ([0-9a-f:]{17}) \(/g)].map((m) => m[1]!);
  const sent = Number(/(\d+) packets transmitted/.exec(r.stdout)?.[1] ?? 0);
  return { macs, sent };
}

/** The client's neighbour entry for ip: "lladdr MAC STATE" or "" when it has none. */
async function neighbour(ip: string): Promise<string> {
  const out = await client(['ip', ...(ip.includes(':') ? ['-6'] : []), 'neigh', 'show', ip, 'dev', CLIENT.ifname]);
  return out.trim();
}

/** Raw frames from the client's interface, sent by Python's AF_PACKET (independent of our addon). */
async function sendFrames(frames: Uint8Array[]): Promise<void> {
  const script = 'import socket,sys\ns=socket.socket(socket.AF_PACKET,socket.SOCK_RAW)\ns.bind((sys.argv[1],0))\nfor h in sys.argv[2:]: s.send(bytes.fromhex(h))';
  await client(['python3', '-c', script, CLIENT.ifname, ...frames.map((f) => Buffer.from(f).toString('hex'))]);
}

async function teardown(): Promise<void> {
  for (const ns of [CLIENT.ns, NODE.ns]) await tryRun(['ip', 'netns', 'del', ns]);
}

let responder: Responder;

beforeAll(async () => {
  const built = await tryRun(['npx', 'tsc', '-b', `${ROOT}speaker`], { timeoutMs: 240_000 });
  if (built.code !== 0) process.stderr.write(`l2-responder: tsc -b speaker reported errors (running the emitted dist anyway):\n${built.stdout.slice(0, 2000)}\n`);
  await run(['test', '-f', PROGRAM]);
  await teardown();
  await run(['ip', 'netns', 'add', CLIENT.ns]);
  await run(['ip', 'netns', 'add', NODE.ns]);
  await run(['ip', 'link', 'add', CLIENT.ifname, 'netns', CLIENT.ns, 'address', CLIENT.mac, 'type', 'veth', 'peer', 'name', NODE.ifname, 'netns', NODE.ns, 'address', NODE.mac]);
  for (const h of [CLIENT, NODE]) {
    await run(inNs(h.ns, ['ip', 'link', 'set', 'lo', 'up']));
    await run(inNs(h.ns, ['ip', 'link', 'set', h.ifname, 'up']));
    await run(inNs(h.ns, ['ip', 'addr', 'add', `${h.ip}/24`, 'dev', h.ifname]));
    await run(inNs(h.ns, ['ip', 'addr', 'add', `${h.ip6}/64`, 'dev', h.ifname, 'nodad']));
  }
  // The service ranges are on-link for the client, as a LAN with L2 announcements is.
  await client(['ip', 'route', 'add', '203.0.113.0/24', 'dev', CLIENT.ifname]);
  await client(['ip', '-6', 'route', 'add', '2001:db8:253::/64', 'dev', CLIENT.ifname]);
  responder = new Responder(['--own', `${NODE.ifname}=${SERVICE.v4}`, '--own', `${NODE.ifname}=${SERVICE.v6}`, '--announce-interval-ms', '300']);
  await responder.next('ready', 30_000);
}, 300_000);

afterAll(async () => {
  if (responder && responder.child.exitCode === null) {
    responder.child.kill('SIGKILL');
    await new Promise((r) => responder.child.once('exit', r));
  }
  await teardown();
});

test('the service IPs are on no interface of the node: only the responder can answer for them', async () => {
  const addresses = await run(inNs(NODE.ns, ['ip', 'addr', 'show']));
  expect(addresses).not.toContain(SERVICE.v4);
  expect(addresses).not.toContain('2001:db8:253:');
});

test('arping resolves the owned IPv4 to the node MAC, one reply per request', async () => {
  const r = await arping(SERVICE.v4, 5);
  expect(r.sent).toBe(5);
  expect(r.macs).toEqual(Array(5).fill(NODE.mac));
});

test('the client kernel learns the owned IPv4 (ip neigh) from a real exchange', async () => {
  await tryRun(inNs(CLIENT.ns, ['ping', '-c', '1', '-W', '1', SERVICE.v4]));
  expect(await neighbour(SERVICE.v4)).toMatch(new RegExp(`^${SERVICE.v4} lladdr ${NODE.mac} (REACHABLE|STALE|DELAY|PROBE)`));
});

test('the client kernel learns the owned IPv6 through NDP (ping -6, ip -6 neigh)', async () => {
  await tryRun(inNs(CLIENT.ns, ['ping', '-6', '-c', '1', '-W', '1', SERVICE.v6]));
  expect(await neighbour(SERVICE.v6)).toMatch(new RegExp(`^${SERVICE.v6} lladdr ${NODE.mac} (REACHABLE|STALE|DELAY|PROBE)`));
});

test('IPs the node does not own get no answer, and are counted as not owned', async () => {
  const before = await responder.counters();
  expect((await arping(SERVICE.notOwned, 2)).macs).toEqual([]);
  await tryRun(inNs(CLIENT.ns, ['ping', '-6', '-c', '1', '-W', '1', SERVICE.notOwned6]));
  expect(await neighbour(SERVICE.notOwned6)).not.toContain('lladdr');
  const after = await responder.counters();
  expect(after.dropped['not-owned']! - before.dropped['not-owned']!).toBeGreaterThanOrEqual(3);
});

test('taking an IP: gratuitous ARP and unsolicited NA move the client off a stale MAC', async () => {
  const stale = '02:00:00:00:99:99';
  await client(['ip', 'neigh', 'replace', '203.0.113.31', 'lladdr', stale, 'dev', CLIENT.ifname, 'nud', 'stale']);
  await client(['ip', '-6', 'neigh', 'replace', '2001:db8:253::31', 'lladdr', stale, 'dev', CLIENT.ifname, 'nud', 'stale']);
  await sleep(1100); // past the neighbour table's locktime, so an announcement may override
  const before = await responder.counters();
  responder.send(`own ${NODE.ifname} 203.0.113.31`);
  responder.send(`own ${NODE.ifname} 2001:db8:253::31`);
  await sleep(1000); // the burst: 3 of each, 300 ms apart
  expect(await neighbour('203.0.113.31')).toContain(`lladdr ${NODE.mac}`);
  expect(await neighbour('2001:db8:253::31')).toContain(`lladdr ${NODE.mac}`);
  const after = await responder.counters();
  expect(after.gratuitous['arp']! - before.gratuitous['arp']!).toBe(3);
  expect(after.gratuitous['ndp']! - before.gratuitous['ndp']!).toBe(3);
});

test('giving an IP up: no more answers, and the node kernel does not answer either', async () => {
  responder.send(`disown ${NODE.ifname} 203.0.113.31`);
  await responder.next('disown');
  expect((await arping('203.0.113.31', 2)).macs).toEqual([]);
});

test('bad frames are dropped and counted by reason; the responder keeps answering', async () => {
  const request = (o: { op?: number; sha?: string; spa?: string; tpa?: string } = {}) =>
    encodeArpFrame(
      { destination: 'ff:ff:ff:ff:ff:ff', source: CLIENT.mac },
      { operation: o.op ?? 1, senderMac: o.sha ?? CLIENT.mac, senderIp: o.spa ?? CLIENT.ip, targetMac: '00:00:00:00:00:00', targetIp: o.tpa ?? SERVICE.v4 },
    );
  const solicitation = (hopLimit: number, breakChecksum = false) => {
    const f = encodeNdpFrame({ destination: '33:33:ff:00:00:30', source: CLIENT.mac }, CLIENT.ip6, 'ff02::1:ff00:30', { type: 'solicitation', target: SERVICE.v6, sourceLinkLayer: CLIENT.mac });
    f[21] = hopLimit; // not in the pseudo-header: the checksum stays right
    if (breakChecksum) f[56] = f[56]! ^ 0xff;
    return f;
  };
  const wrongHardware = request();
  wrongHardware[15] = 6;
  const wrongProtocol = request();
  wrongProtocol[16] = 0x86;
  wrongProtocol[17] = 0xdd;
  const wrongLengths = request();
  wrongLengths[18] = 8;
  const before = await responder.counters();
  await sendFrames([
    request().subarray(0, 30), // truncated inside the ARP body
    wrongHardware,
    wrongProtocol,
    wrongLengths,
    request({ op: 2 }), // a reply, not a request
    request({ op: 3 }), // RARP
    request({ tpa: SERVICE.notOwned }),
    request({ spa: SERVICE.v4 }), // spoofed: claims the IP we own
    request({ sha: 'ff:ff:ff:ff:ff:ff' }), // broadcast sender MAC
    solicitation(64), // crossed a router
    solicitation(255, true), // bad checksum
  ]);
  await sleep(300);
  const after = await responder.counters();
  const delta = (reason: string) => after.dropped[reason]! - before.dropped[reason]!;
  expect({
    truncated: delta('truncated'),
    'hardware-type': delta('hardware-type'),
    'protocol-type': delta('protocol-type'),
    'address-length': delta('address-length'),
    opcode: delta('opcode'),
    'not-owned': delta('not-owned'),
    'spoofed-sender': delta('spoofed-sender'),
    'group-sender': delta('group-sender'),
    'hop-limit': delta('hop-limit'),
    checksum: delta('checksum'),
  }).toEqual({ truncated: 1, 'hardware-type': 1, 'protocol-type': 1, 'address-length': 1, opcode: 2, 'not-owned': 1, 'spoofed-sender': 1, 'group-sender': 1, 'hop-limit': 1, checksum: 1 });
  expect(after.replies['arp']! - before.replies['arp']!).toBe(0);
  expect(after.replies['ndp']! - before.replies['ndp']!).toBe(0);
  expect((await arping(SERVICE.v4, 2)).macs).toEqual([NODE.mac, NODE.mac]);
});

test('the node link going down and up again: the responder answers again without a restart', async () => {
  // A link going down sets ENETDOWN on the packet socket and libuv stops polling it; the
  // responder must poll again, or a plain link flap leaves the IP unanswered for good.
  await run(inNs(NODE.ns, ['ip', 'link', 'set', NODE.ifname, 'down']));
  await sleep(200);
  await run(inNs(NODE.ns, ['ip', 'link', 'set', NODE.ifname, 'up']));
  const deadline = Date.now() + 10_000;
  let macs: string[] = [];
  while (Date.now() < deadline) {
    macs = (await arping(SERVICE.v4, 1)).macs;
    if (macs.length > 0) break;
    await sleep(200);
  }
  expect(macs).toEqual([NODE.mac]);
});

test('SIGTERM closes the sockets and exits 0 with the final counters', async () => {
  const exited = new Promise<number | null>((r) => responder.child.once('exit', (code) => r(code)));
  responder.child.kill('SIGTERM');
  const stopped = await responder.next('stopped');
  expect(await exited).toBe(0);
  expect((stopped['counters'] as Counters).replies['arp']).toBeGreaterThan(0);
  expect((await arping(SERVICE.v4, 2)).macs).toEqual([]);
});
