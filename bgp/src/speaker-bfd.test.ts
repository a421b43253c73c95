// BFD coupled to BGP (RFC 5882) between a BgpSpeaker A (127.0.0.1, BFD on peer 127.0.0.2) and a
// speaker B without BFD of its own, whose BFD is a plain BfdManager beside it (as a router's bfdd
// is). BGP runs on real loopback TCP, BFD on the in-memory network; one manual clock for all.

import { BgpSpeaker, type PeerBfdEvent, type SpeakerEvents } from './speaker.js';
import { ManualClock } from './session/clock.js';
import type { PeerConfig } from './session/peer-config.js';
import { seededRandom } from './fsm/testing.js';
import { formatPrefix } from './wire/nlri.js';
import { BfdManager, type BfdDownEvent, type BfdPeerSession } from './bfd/manager.js';
import { memoryNetwork, type MemoryNetwork } from './bfd/testing.js';
import type { BfdSocketFactory } from './bfd/transport.js';

const A = '127.0.0.1';
const P = '127.0.0.2';
/** What A's peer config asks for: 50 ms x 3 once Up. */
const FAST = { transmitIntervalMs: 50, receiveIntervalMs: 50, detectMultiplier: 3 } as const;
const FAST_US = { desiredMinTxUs: 50_000, requiredMinRxUs: 50_000, detectMultiplier: 3 } as const;
const ROUTES = ['203.0.113.1/32', '203.0.113.2/32'];

const speakers: BgpSpeaker[] = [];
const managers: BfdManager[] = [];
let clock: ManualClock;
afterEach(async () => {
  // stop() waits out each BFD session's AdminDown on the manual clock.
  const stopping = [...speakers.splice(0).map((s) => s.stop()), ...managers.splice(0).map((m) => m.stop())];
  for (let i = 0; i < 100; i++) {
    clock.advance(100);
    await new Promise((r) => setImmediate(r));
  }
  await Promise.all(stopping);
});

function until<K extends keyof SpeakerEvents>(speaker: BgpSpeaker, event: K, match: (...args: SpeakerEvents[K]) => boolean): Promise<SpeakerEvents[K][0]> {
  return new Promise((resolve) => {
    const listener = (...args: SpeakerEvents[K]) => {
      if (!match(...args)) return;
      speaker.off(event, listener as never);
      resolve(args[0]);
    };
    speaker.on(event, listener as never);
  });
}

/** Moves the clock in 10 ms steps, letting real sockets work between steps, until `done` or `ms`. */
async function tick(ms: number, done: () => boolean = () => false): Promise<void> {
  for (let t = 0; t < ms && !done(); t += 10) {
    clock.advance(10);
    await new Promise((r) => setImmediate(r));
  }
}

/** The peer's packets with the C bit set: a BFD that survives its control plane restarting. */
function withCBit(sockets: BfdSocketFactory): BfdSocketFactory {
  return (options) => {
    const socket = sockets(options);
    return {
      send: (data, address, port) => {
        const copy = data.slice();
        copy[1] = copy[1]! | 0x08;
        return socket.send(copy, address, port);
      },
      close: () => socket.close(),
    };
  };
}

interface Setup {
  readonly net: MemoryNetwork;
  readonly a: BgpSpeaker;
  /** A's 'bfd' events as "from->to/diag" (with "admin" when the peer said AdminDown). */
  readonly events: string[];
  readonly peerBfd: BfdManager;
  readonly peerSession: BfdPeerSession;
  readonly peerDowns: BfdDownEvent[];
}

/** A with peer P (passive BGP, BFD 50 ms x 3), and P's BfdManager; both BFD sessions added. */
async function bfdPair(options: { peer?: Partial<PeerConfig>; cBit?: boolean } = {}): Promise<Setup> {
  clock = new ManualClock();
  const net = memoryNetwork(clock);
  const a = new BgpSpeaker({ localAs: 64512, routerId: '198.18.0.1', listen: { address: A, port: 0 }, clock, random: seededRandom(7), bfd: { sockets: net.sockets } });
  speakers.push(a);
  await a.start();
  const events: string[] = [];
  a.on('bfd', (e: PeerBfdEvent) => events.push(`${e.from}->${e.to}/${e.diag}${e.remoteAdminDown ? ' admin' : ''}`));
  a.addPeer({ address: P, peerAs: 64513, passive: true, sourceAddress: A, holdTime: 9, bfd: FAST, ...options.peer });
  const peerBfd = new BfdManager({ clock, sockets: options.cBit === true ? withCBit(net.sockets) : net.sockets, random: seededRandom(2) });
  managers.push(peerBfd);
  const peerDowns: BfdDownEvent[] = [];
  peerBfd.on('down', (e) => peerDowns.push(e));
  const peerSession = peerBfd.add(A, { localAddress: P, ...FAST_US });
  return { net, a, events, peerBfd, peerSession, peerDowns };
}

/** B (AS 64513, from 127.0.0.2) connects to A and announces ROUTES; resolves at A's End-of-RIB. */
async function connectB(a: BgpSpeaker, peer: Partial<PeerConfig> = {}): Promise<BgpSpeaker> {
  const b = new BgpSpeaker({ localAs: 64513, routerId: '198.18.0.2', clock, random: seededRandom(9) });
  speakers.push(b);
  for (const r of ROUTES) b.announce(r);
  const eor = until(a, 'update-received', (e) => e.endOfRib === 'ipv4');
  b.addPeer({ address: A, port: a.listenPort, sourceAddress: P, peerAs: 64512, holdTime: 9, nextHop: { ipv4: '198.18.0.2' }, connectRetry: { initial: 1, max: 1, jitter: 0 }, ...peer });
  await eor;
  return b;
}

/** A and B Established over BFD that is Up at 50 ms x 3. */
async function established(options: { cBit?: boolean; gracefulRestart?: boolean } = {}) {
  const gr = options.gracefulRestart === true;
  const setup = await bfdPair({ ...(options.cBit === undefined ? {} : { cBit: options.cBit }), peer: gr ? { gracefulRestart: {} } : {} });
  await tick(5_000, () => setup.a.status()[0]?.bfd?.state === 'Up' && setup.peerSession.status().detectionTimeUs === 150_000);
  const b = await connectB(setup.a, gr ? { gracefulRestart: { forwardingPreserved: true } } : {});
  expect(received(setup.a)).toEqual(ROUTES);
  return { ...setup, b };
}

const received = (a: BgpSpeaker) => a.received(P).map((r) => formatPrefix(r.prefix)).sort();
const statusOf = (a: BgpSpeaker) => a.status()[0]!;

describe('BFD Down tears the BGP session down', () => {
  test('detection time expired: Idle and routes gone within the same clock step; Cease / BFD Down to the peer; counted', async () => {
    const { net, a, b, events } = await established();
    const withdrawn: string[] = [];
    a.on('update-received', (e) => withdrawn.push(...e.withdrawn.map(formatPrefix)));
    const bDown = until(b, 'state', (e) => e.from === 'Established');
    net.cut.add(P);
    clock.advance(200);
    expect(events.at(-1)).toBe('Up->Down/1');
    expect(statusOf(a)).toMatchObject({ state: 'Idle', counters: { sessionDownsByBfd: 1, lastErrorSent: { code: 6, subcode: 10 } } });
    expect(received(a)).toEqual([]);
    expect(withdrawn.sort()).toEqual(ROUTES);
    expect(statusOf(a).bfd).toMatchObject({ state: 'Down', diag: 1, diagName: 'Control Detection Time Expired', bgpHeld: 'BFD Down: Control Detection Time Expired', uptimeMs: 0 });
    // The NOTIFICATION still reached the peer (loopback works; only BFD was cut).
    await bDown;
    expect(statusOf(b).counters.lastErrorReceived).toMatchObject({ code: 6, subcode: 10, name: expect.stringMatching(/BFD Down/) });
  });

  test('the peer signalling Down (diag 3, not AdminDown) is a failure too', async () => {
    const { net, a, events } = await established();
    // Our packets stop reaching the peer: it detects that and tells us (its packets still arrive).
    net.cut.add(A);
    clock.advance(200);
    expect(events).toContain('Up->Down/3');
    expect(statusOf(a)).toMatchObject({ state: 'Idle', counters: { sessionDownsByBfd: 1 } });
    expect(received(a)).toEqual([]);
  });

  test('after BFD Down, BGP is held (the peer is refused) for the slow-rate Detection Time, then may try again; BFD Up later changes nothing', async () => {
    const { net, a, b } = await established();
    net.cut.add(P);
    clock.advance(200);
    const states: string[] = [];
    a.on('state', (e) => states.push(e.to));
    const opensBefore = statusOf(b).counters.messagesOut.open;
    // B retries every second: refused for the 3 s hold (detect mult 3 x 1 s).
    await tick(2_500);
    expect(statusOf(b).counters.messagesOut.open - opensBefore).toBeGreaterThanOrEqual(2);
    expect(states).toEqual([]);
    expect(statusOf(a).state).toBe('Idle');
    expect(statusOf(a).bfd?.bgpHeld).toMatch(/BFD Down/);
    // Then BGP may come back without BFD: a peer whose BFD follows its BGP (FRR's dynamic
    // neighbours) would otherwise never speak BFD again. Here TCP works, so it does.
    await tick(10_000, () => statusOf(a).state === 'Established' && received(a).length === 2);
    expect(statusOf(a).state).toBe('Established');
    expect(statusOf(a).bfd).toMatchObject({ state: 'Down' });
    expect(statusOf(a).bfd?.bgpHeld).toBeUndefined();
    net.cut.delete(P);
    await tick(10_000, () => statusOf(a).bfd?.state === 'Up');
    expect(statusOf(a)).toMatchObject({ state: 'Established', counters: { sessionDownsByBfd: 1 } });
    expect(received(a)).toEqual(ROUTES);
  });
});

describe('the peer saying AdminDown is no path failure (RFC 5882 §3.2)', () => {
  test('BGP stays Established with its routes, nothing is held, and a BGP reset comes back without BFD', async () => {
    const { a, b, peerSession, events } = await established();
    const removed = peerSession.remove();
    clock.advance(200);
    await removed;
    expect(events.at(-1)).toBe('Up->Down/3 admin');
    expect(statusOf(a)).toMatchObject({ state: 'Established', counters: { sessionDownsByBfd: 0 } });
    expect(statusOf(a).bfd).toMatchObject({ state: 'Down', diag: 3 });
    expect(statusOf(a).bfd?.bgpHeld).toBeUndefined();
    expect(received(a)).toEqual(ROUTES);
    const bDown = until(b, 'state', (e) => e.from === 'Established');
    a.resetPeer(P);
    await bDown;
    await tick(5_000, () => statusOf(a).state === 'Established');
    expect(statusOf(a).state).toBe('Established');
  });
});

describe('a new peer waits for BFD before BGP', () => {
  test.each<[string, { peerBfd: 'active' | 'passive' | 'none'; passive?: boolean; detectMultiplier?: number }, 'at Up' | number]>([
    ['the peer speaks BFD: BGP starts when BFD is Up', { peerBfd: 'active' }, 'at Up'],
    ['we are passive, the peer active: the same', { peerBfd: 'active', passive: true }, 'at Up'],
    ['the peer has no BFD: BGP starts after Detect Mult x 1 s anyway', { peerBfd: 'none' }, 3_000],
    ['both passive (nobody speaks first): the same', { peerBfd: 'passive', passive: true }, 3_000],
    ['Detect Mult 5, no BFD at the peer: 5 s', { peerBfd: 'none', detectMultiplier: 5 }, 5_000],
  ])('%s', async (_name, row, expected) => {
    const setup = await bfdPair({ peer: { bfd: { ...FAST, ...(row.passive === undefined ? {} : { passive: row.passive }), ...(row.detectMultiplier === undefined ? {} : { detectMultiplier: row.detectMultiplier }) } } });
    if (row.peerBfd !== 'active') await setup.peerSession.remove({ adminDown: false });
    if (row.peerBfd === 'passive') setup.peerBfd.add(A, { localAddress: P, ...FAST_US, passive: true });
    let upAt: number | undefined;
    let startedAt: number | undefined;
    setup.a.on('bfd', (e) => {
      if (e.to === 'Up') upAt ??= clock.now();
    });
    setup.a.on('state', (e) => {
      if (e.from === 'Idle') startedAt ??= clock.now();
    });
    expect(statusOf(setup.a).bfd?.bgpHeld).toMatch(/^waiting for BFD to come Up/);
    for (let t = 0; t < 6_000; t += 1) clock.advance(1);
    if (expected === 'at Up') {
      expect(upAt).toBeDefined();
      expect(upAt).toBeLessThan(3_000);
      expect(startedAt).toBe(upAt);
    } else {
      expect(upAt).toBeUndefined();
      expect(startedAt).toBe(expected);
    }
    expect(statusOf(setup.a)).toMatchObject({ state: 'Active' });
    expect(statusOf(setup.a).bfd?.bgpHeld).toBeUndefined();
  });

  test('an incoming connection is refused while BGP waits', async () => {
    const setup = await bfdPair();
    await setup.peerSession.remove({ adminDown: false });
    const b = new BgpSpeaker({ localAs: 64513, routerId: '198.18.0.2', clock, random: seededRandom(9) });
    speakers.push(b);
    const refused = until(b, 'state', (e) => e.from === 'OpenSent' || (e.from === 'Connect' && e.to !== 'OpenSent'));
    b.addPeer({ address: A, port: setup.a.listenPort, sourceAddress: P, peerAs: 64512, connectRetry: { initial: 1, max: 1, jitter: 0 } });
    await refused;
    expect(statusOf(setup.a).state).toBe('Idle');
  });
});

describe('changing and removing a peer\'s BFD (setPeerBfd, removePeer)', () => {
  test('new timers run a Poll Sequence on the same session: Up throughout, BGP untouched', async () => {
    const { a, peerSession, events } = await established();
    const before = statusOf(a).bfd!;
    a.setPeerBfd(P, { transmitIntervalMs: 100, receiveIntervalMs: 200, detectMultiplier: 4 });
    clock.advance(1_000);
    expect(events.at(-1)).toBe('Init->Up/0');
    expect(statusOf(a).bfd).toMatchObject({ state: 'Up', localDiscriminator: before.localDiscriminator, remoteDiscriminator: before.remoteDiscriminator });
    expect(peerSession.status()).toMatchObject({ remoteDesiredMinTxUs: 100_000, remoteMinRxUs: 200_000, remoteDetectMult: 4 });
    expect(statusOf(a).state).toBe('Established');
  });

  test('passive changed: the session is replaced after saying AdminDown (the peer sees no failure), BGP untouched', async () => {
    const { a, peerDowns, events } = await established();
    const before = statusOf(a).bfd!;
    a.setPeerBfd(P, { ...FAST, passive: true });
    expect(events.at(-1)).toBe('Up->AdminDown/7');
    await tick(5_000, () => statusOf(a).bfd?.state === 'Up');
    expect(peerDowns.map((d) => [d.diag, d.remoteAdminDown])).toEqual([[3, true]]);
    expect(statusOf(a).bfd).toMatchObject({ state: 'Up' });
    expect(statusOf(a).bfd?.localDiscriminator).not.toBe(before.localDiscriminator);
    expect(statusOf(a)).toMatchObject({ state: 'Established', counters: { sessionDownsByBfd: 0 } });
  });

  test('removed: AdminDown to the peer, no BFD status, BGP untouched', async () => {
    const { a, peerDowns } = await established();
    a.setPeerBfd(P, undefined);
    clock.advance(200);
    expect(peerDowns.map((d) => [d.diag, d.remoteAdminDown])).toEqual([[3, true]]);
    expect(statusOf(a).bfd).toBeUndefined();
    expect(statusOf(a).state).toBe('Established');
  });

  test('removed while BFD holds BGP down: BGP comes back without it', async () => {
    const { net, a } = await established();
    net.cut.add(P);
    clock.advance(200);
    expect(statusOf(a).state).toBe('Idle');
    a.setPeerBfd(P, undefined);
    await tick(5_000, () => statusOf(a).state === 'Established');
    expect(statusOf(a).state).toBe('Established');
  });

  test('added to a running peer: no wait, BGP untouched; Down then tears it down as usual', async () => {
    const { a, net } = await established();
    a.setPeerBfd(P, undefined);
    clock.advance(200);
    a.setPeerBfd(P, FAST);
    expect(statusOf(a).bfd?.bgpHeld).toBeUndefined();
    await tick(5_000, () => statusOf(a).bfd?.detectionTimeMs === 150);
    expect(statusOf(a).state).toBe('Established');
    net.cut.add(P);
    clock.advance(200);
    expect(statusOf(a).state).toBe('Idle');
  });

  test('peer removed: its BFD session says AdminDown, then closes', async () => {
    const { a, net, peerDowns } = await established();
    a.removePeer(P);
    clock.advance(200);
    await new Promise((r) => setImmediate(r));
    expect(peerDowns.map((d) => d.remoteAdminDown)).toEqual([true]);
    expect([...net.bound.keys()].filter((k) => k.startsWith(`${A} `))).toEqual([]);
  });

  test('bad settings are refused naming the peer and field; nothing changes', async () => {
    const { a } = await established();
    expect(() => a.setPeerBfd(P, { transmitIntervalMs: 5 })).toThrow(/^peer-config: peer 127\.0\.0\.2: bfd\.transmitIntervalMs 5 is not/);
    expect(() => a.setPeerBfd('192.0.2.9', FAST)).toThrow(/^speaker: no peer 192\.0\.2\.9/);
    expect(() => a.addPeer({ address: '127.0.0.3', peerAs: 1, bfd: { minimumTtl: 200, multihop: false } })).toThrow(/bfd\.minimumTtl applies to multihop sessions only/);
    expect(a.status().map((s) => s.address)).toEqual([P]);
    expect(statusOf(a).bfd).toMatchObject({ state: 'Up' });
  });
});

describe('graceful restart and the C bit (RFC 5882 §4.3)', () => {
  test.each<[string, boolean]>([
    ['C clear', false],
    ['C set', true],
  ])('Established, %s: BFD Down flushes at once (no retention for a forwarding failure); the peer gets a Hard Reset', async (_name, cBit) => {
    const { net, a, b } = await established({ cBit, gracefulRestart: true });
    expect(a.peer(P)?.gracefulRestartAgreed).toBe(true);
    const phases: string[] = [];
    a.on('graceful-restart', (e) => phases.push(e.phase));
    const bDown = until(b, 'state', (e) => e.from === 'Established');
    net.cut.add(P);
    clock.advance(200);
    expect(received(a)).toEqual([]);
    expect(phases).toEqual(['flushed']);
    expect(statusOf(a).counters).toMatchObject({ staleRoutes: 0, gracefulRestarts: 0, sessionDownsByBfd: 1 });
    await bDown;
    // RFC 8538 Hard Reset carrying Cease / BFD Down: the peer keeps nothing of ours either.
    expect(statusOf(b).counters.lastErrorReceived).toMatchObject({ code: 6, subcode: 9 });
  });

  test.each<[string, boolean, string[], string[]]>([
    // The peer's BFD shares fate with its control plane: going down with the restart is expected.
    ['C clear: the restart goes on, stale routes kept until the restart time', false, ROUTES, ['retained']],
    // Its BFD would have survived a restart: this is a forwarding failure, the restart is over.
    ['C set: the restart is aborted, stale routes purged at once', true, [], ['retained', 'purged', 'finished']],
  ])('the peer restarting (TCP closed first), then BFD Down, %s', async (_name, cBit, kept, phases) => {
    const { net, a, b, events } = await established({ cBit, gracefulRestart: true });
    const seen: string[] = [];
    a.on('graceful-restart', (e) => seen.push(e.phase));
    const retained = until(a, 'graceful-restart', (e) => e.phase === 'retained');
    // B (its BGP) restarts gracefully; its BFD is a separate process that goes on, or not.
    await b.stop({ graceful: true });
    await retained;
    expect(statusOf(a).bfd?.state).toBe('Up');
    net.cut.add(P);
    clock.advance(200);
    expect(events.at(-1)).toBe('Up->Down/1');
    expect(statusOf(a).bfd?.remoteControlPlaneIndependent).toBe(cBit);
    expect(received(a)).toEqual(kept);
    expect(seen).toEqual(phases);
    expect(statusOf(a).counters).toMatchObject({ gracefulRestarts: 1, staleRoutes: kept.length, sessionDownsByBfd: 0 });
    expect(a.peer(P)?.helpingRestart).toBe(!cBit);
    // Held either way: no BGP until BFD is Up again.
    expect(statusOf(a).bfd?.bgpHeld).toBe('BFD Down: Control Detection Time Expired');
    // B's restart time (120 s) ends what is still kept.
    clock.advance(120_000);
    expect(received(a)).toEqual([]);
    expect(a.peer(P)?.helpingRestart).toBe(false);
  });
});

describe('status and events', () => {
  test('bfd status while Up, its uptime on the clock, and the events in order', async () => {
    const { a, peerSession, events, net } = await established();
    const upFor = statusOf(a).bfd!.uptimeMs;
    clock.advance(1_000);
    const status = statusOf(a).bfd!;
    expect(status).toMatchObject({
      state: 'Up',
      diag: 0,
      diagName: 'No Diagnostic',
      remoteDiscriminator: peerSession.localDiscriminator,
      remoteControlPlaneIndependent: false,
      multihop: false,
      transmitIntervalMs: 50,
      detectionTimeMs: 150,
      uptimeMs: upFor + 1_000,
      counters: { dropped: { ttl: 0 } },
    });
    expect(status.bgpHeld).toBeUndefined();
    expect(status.counters.packetsIn).toBeGreaterThan(20);
    expect(status.counters.packetsOut).toBeGreaterThan(20);
    const before = events.length;
    net.cut.add(P);
    clock.advance(200);
    net.cut.delete(P);
    await tick(5_000, () => statusOf(a).bfd?.state === 'Up');
    expect(events[0]).toMatch(/^Down->(Init|Up)\/0$/);
    expect(events[before]).toBe('Up->Down/1');
    expect(events.at(-1)).toMatch(/^(Down|Init)->Up\/0$/);
    expect(statusOf(a).bfd?.counters.stateChanges).toBe(events.length);
  });
});
