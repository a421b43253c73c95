// Two managers on the in-memory network and one manual clock: sessions come Up, a stopped peer
// is detected (diag 1), a graceful remove says AdminDown first, wrong TTLs are dropped and
// counted, and failures leave nothing half open. Real sockets: manager.loopback.test.ts.

import { ManualClock } from '../session/clock.js';
import { BfdConfigError, BfdTransportError } from './errors.js';
import { BfdManager, type BfdDownEvent, type BfdSessionEvent } from './manager.js';
import { serializeControl } from './codec.js';
import { bfdPacket, memoryNetwork, seededRandom, type MemoryNetwork } from './testing.js';
import { BFD_MULTIHOP_PORT, BFD_SINGLE_HOP_PORT } from './types.js';

const A = '192.0.2.1';
const B = '192.0.2.2';
const FAST = { desiredMinTxUs: 50_000, requiredMinRxUs: 50_000, detectMultiplier: 3 };

interface Watched {
  readonly manager: BfdManager;
  readonly events: string[];
  readonly downs: BfdDownEvent[];
  readonly at: Map<string, number>;
}

function watched(clock: ManualClock, net: MemoryNetwork, seed: number): Watched {
  const manager = new BfdManager({ clock, sockets: net.sockets, random: seededRandom(seed) });
  const events: string[] = [];
  const downs: BfdDownEvent[] = [];
  const at = new Map<string, number>();
  const note = (name: string) => (e: BfdSessionEvent) => {
    events.push(`${name} ${e.peerAddress} ${e.from}->${e.to}/${e.diag}`);
    at.set(`${name} ${e.to}`, clock.now());
  };
  manager.on('up', note('up'));
  manager.on('down', (e) => {
    downs.push(e);
    note('down')(e);
  });
  return { manager, events, downs, at };
}

function upPair(options: { multihop?: boolean } = {}) {
  const clock = new ManualClock();
  const net = memoryNetwork(clock);
  const a = watched(clock, net, 1);
  const b = watched(clock, net, 2);
  const sa = a.manager.add(B, { localAddress: A, ...FAST, ...options });
  const sb = b.manager.add(A, { localAddress: B, ...FAST, ...options });
  clock.advance(5_000);
  expect([sa.state, sb.state]).toEqual(['Up', 'Up']);
  return { clock, net, a, b, sa, sb };
}

describe('two managers', () => {
  test('come Up single hop: events name the session; 50 ms x 3 is in use once Up', () => {
    const { a, sa, sb } = upPair();
    expect(a.events).toEqual([`up ${B} Init->Up/0`]);
    expect(sa.status()).toMatchObject({ remoteDiscriminator: sb.localDiscriminator, transmitIntervalUs: 50_000, detectionTimeUs: 150_000 });
    expect(sa.counters.packetsIn).toBeGreaterThan(10);
    expect(a.manager.counters()).toMatchObject({ sessions: 1, transport: { listeners: 1, endpoints: 1, sendErrors: 0 } });
  });

  test('come Up multihop (port 4784, TTL 255 meets the minimum 254)', () => {
    const { net, sa } = upPair({ multihop: true });
    expect(sa.multihop).toBe(true);
    expect(net.sent.every((d) => d.toPort === BFD_MULTIHOP_PORT && d.ttl === 255)).toBe(true);
  });

  test('a peer stopped without AdminDown is detected: Down with diag 1 one Detection Time (150 ms) after its last packet', () => {
    const { clock, net, a, b } = upPair();
    const stoppedAt = clock.now();
    void a.manager.stop();
    expect(net.bound.size).toBe(2); // only B's sockets are left
    clock.advance(1_000);
    expect(b.downs).toHaveLength(1);
    expect(b.downs[0]).toMatchObject({ from: 'Up', to: 'Down', diag: 1, diagName: 'Control Detection Time Expired', remoteAdminDown: false });
    // A's last packet left at most one 50 ms interval before the stop and took 1 ms to arrive.
    expect(b.at.get('down Down')! - stoppedAt).toBeGreaterThanOrEqual(150 - 50);
    expect(b.at.get('down Down')! - stoppedAt).toBeLessThanOrEqual(150 + 1);
    expect(a.downs).toEqual([]); // stopping is no state change of its own
  });

  test('a graceful remove says AdminDown (diag 7) until the peer would have noticed, then closes', async () => {
    const { clock, net, a, b, sa } = upPair();
    let closed = false;
    const removed = sa.remove().then(() => {
      closed = true;
    });
    expect(a.manager.sessions()).toEqual([]);
    expect(a.downs[0]).toMatchObject({ from: 'Up', to: 'AdminDown', diag: 7, remoteAdminDown: false });
    clock.advance(60);
    await Promise.resolve();
    expect(b.downs[0]).toMatchObject({ from: 'Up', to: 'Down', diag: 3, remoteAdminDown: true });
    expect(net.sent.some((d) => d.from === A && d.data[1]! >> 6 === 0)).toBe(true); // State AdminDown on the wire
    expect(closed).toBe(false);
    clock.advance(150);
    await removed;
    expect(closed).toBe(true);
    expect([...net.bound.keys()].filter((k) => k.startsWith(A))).toEqual([]);
    // B stays Down (not diag 1): it was told.
    clock.advance(2_000);
    expect(b.downs).toHaveLength(1);
  });

  test('stop({ adminDown: true }) says goodbye for every session; remove({ adminDown: false }) just closes', async () => {
    const { clock, a, b, sa } = upPair();
    const stopping = a.manager.stop({ adminDown: true });
    clock.advance(200);
    await stopping;
    expect(b.downs[0]).toMatchObject({ diag: 3, remoteAdminDown: true });
    await sa.remove(); // already gone: settles at once
    const second = upPair();
    await second.sa.remove({ adminDown: false });
    second.clock.advance(1_000);
    expect(second.b.downs[0]).toMatchObject({ diag: 1 });
  });

  test('a session the peer never answered is closed at once, and can be added again', async () => {
    const clock = new ManualClock();
    const net = memoryNetwork(clock);
    const { manager } = watched(clock, net, 1);
    const lonely = manager.add(B, { localAddress: A });
    clock.advance(3_000);
    await lonely.remove();
    expect(net.bound.size).toBe(0);
    expect(manager.add(B, { localAddress: A }).state).toBe('Down');
  });

  test('re-adding a session still saying AdminDown ends that goodbye first', async () => {
    const { clock, net, a, sa } = upPair();
    const removed = sa.remove();
    const again = a.manager.add(B, { localAddress: A, ...FAST });
    await removed;
    clock.advance(5_000);
    expect(again.state).toBe('Up');
    expect(again.localDiscriminator).not.toBe(sa.localDiscriminator);
    expect(net.bound.size).toBe(4);
  });
});

describe('what is dropped and counted', () => {
  test.each<[string, number, boolean]>([
    // TTL, Your Discriminator set?
    ['TTL 64 naming the session', 64, true],
    ['TTL 64 from the peer address, Your Discriminator 0', 64, false],
    ['TTL 254 on the single-hop port', 254, true],
  ])('%s: counted as ttl on the session, which stays Up', (_name, ttl, named) => {
    const { clock, net, b, sa, sb } = upPair();
    const spoof = serializeControl(bfdPacket({ state: 'Down', myDiscriminator: 0x5eed, yourDiscriminator: named ? sb.localDiscriminator : 0 }));
    net.inject({ from: A, fromPort: 50000, to: B, toPort: BFD_SINGLE_HOP_PORT, ttl, data: spoof });
    clock.advance(10);
    expect(sb.counters.dropped.ttl).toBe(1);
    expect(sb.state).toBe('Up');
    expect(b.downs).toEqual([]);
    expect(sa.counters.dropped.ttl).toBe(0);
  });

  test('garbage and packets for nobody are counted on the manager', () => {
    const { clock, net, b } = upPair();
    net.inject({ from: A, fromPort: 50000, to: B, toPort: BFD_SINGLE_HOP_PORT, ttl: 255, data: Uint8Array.of(0x20, 0, 0, 24) });
    net.inject({ from: '192.0.2.99', fromPort: 50000, to: B, toPort: BFD_SINGLE_HOP_PORT, ttl: 255, data: serializeControl(bfdPacket()) });
    net.inject({ from: A, fromPort: 50000, to: B, toPort: BFD_SINGLE_HOP_PORT, ttl: 255, data: serializeControl(bfdPacket({ state: 'Up', yourDiscriminator: 77 })) });
    clock.advance(10);
    const counters = b.manager.counters();
    expect(counters.malformed['length-exceeds-datagram']).toBe(1);
    expect(counters.unmatched).toEqual({ 'no-session': 1, 'unknown-discriminator': 1 });
  });
});

test("a listener's exception is logged, and the session carries on", () => {
  const clock = new ManualClock();
  const net = memoryNetwork(clock);
  const logs: string[] = [];
  const a = new BfdManager({ clock, sockets: net.sockets, random: seededRandom(1), log: (e) => logs.push(`${e.level} ${e.msg}`) });
  const b = new BfdManager({ clock, sockets: net.sockets, random: seededRandom(2) });
  a.on('up', () => {
    throw new Error('listener bug');
  });
  const sa = a.add(B, { localAddress: A, ...FAST });
  b.add(A, { localAddress: B, ...FAST });
  clock.advance(5_000);
  expect(sa.state).toBe('Up');
  expect(sa.status().detectionTimeUs).toBe(150_000);
  expect(logs.filter((l) => l.startsWith('warn'))).toEqual([`warn bfd single-hop ${B} from ${A}: a listener of Init -> Up threw: Error: listener bug`]);
});

describe('refusals leave nothing half open', () => {
  test('bad settings and duplicates are BfdConfigErrors', () => {
    const clock = new ManualClock();
    const net = memoryNetwork(clock);
    const { manager } = watched(clock, net, 1);
    expect(() => manager.add('router1')).toThrow(/^bfd config: peerAddress must be an IPv4 or IPv6 address/);
    expect(() => manager.add(B, { detectMultiplier: 0 })).toThrow(BfdConfigError);
    expect(() => manager.add(B, { localAddress: '2001:db8::1' })).toThrow(/not of the peer 192\.0\.2\.2's family/);
    manager.add(B, { localAddress: A });
    expect(() => manager.add(B, { localAddress: A })).toThrow(/^bfd config: a single-hop 192\.0\.2\.2 session from 192\.0\.2\.1 already exists/);
    manager.add(B, { localAddress: A, multihop: true }); // another hop mode is another session
    expect(manager.counters()).toMatchObject({ sessions: 2, transport: { endpoints: 2, listeners: 2 } });
  });

  test('a listener port held by another program: BfdTransportError, no session, no socket', async () => {
    const clock = new ManualClock();
    const net = memoryNetwork(clock);
    net.taken.add(`${A} ${BFD_SINGLE_HOP_PORT}`);
    const { manager } = watched(clock, net, 1);
    expect(() => manager.add(B, { localAddress: A })).toThrow(BfdTransportError);
    expect(manager.counters()).toMatchObject({ sessions: 0, transport: { endpoints: 0, listeners: 0 } });
    net.taken.clear();
    expect(manager.add(B, { localAddress: A }).state).toBe('Down'); // the demux did not keep it
    await manager.stop();
    expect(() => manager.add(B)).toThrow(/^bfd manager: stopped/);
  });
});
