// Sessions on a manual clock, wired back to back through the codec and a demultiplexer: the
// handshake, detection, signalled Down, Poll/Final, transmit pacing and jitter, Passive role,
// and spoofed packets that are dropped, counted and never change state.

import { ManualClock } from '../session/clock.js';
import type { BfdControlPacket } from './codec.js';
import { BfdConfigError } from './errors.js';
import type { BfdDropReason, BfdReceiveMeta } from './receive.js';
import { BfdSession } from './session.js';
import { bfdPair, bfdPacket, receiveMeta, recordedSession, PEER_A, PEER_B, seededRandom, type Recorded } from './testing.js';
import { BFD_MULTIHOP_PORT } from './types.js';

const arcs = (r: Recorded): string[] => r.changes.map((c) => `${c.from}->${c.to}/${c.diag}`);

/** Gaps (ms) between consecutive periodic packets (Finals are extra) sent after `after`. */
function periodicGaps(r: Recorded, after: number): number[] {
  const times = r.sentAt.filter((t, i) => t > after && r.sent[i]?.final === false);
  return times.slice(1).map((t, i) => t - (times[i] ?? 0));
}

const within = (values: number[], low: number, high: number): boolean => values.every((v) => v >= low - 1e-6 && v <= high + 1e-6);

/** A pair brought Up with the Poll of going Up finished on both sides. */
function upPair(options: Parameters<typeof bfdPair>[0] = {}) {
  const pair = bfdPair(options);
  pair.a.session.start();
  pair.b.session.start();
  pair.clock.advance(5_000);
  expect([pair.a.session.state, pair.b.session.state]).toEqual(['Up', 'Up']);
  expect([pair.a.session.status().poll, pair.b.session.status().poll]).toEqual(['idle', 'idle']);
  return pair;
}

describe('three-way handshake', () => {
  test('both Active: each goes Down -> Init -> Up', () => {
    const { clock, a, b } = bfdPair();
    a.session.start();
    b.session.start();
    clock.advance(3_000);
    expect(arcs(a)).toEqual(['Down->Init/0', 'Init->Up/0']);
    expect(arcs(b)).toEqual(['Down->Init/0', 'Init->Up/0']);
    expect(a.session.status()).toMatchObject({ remoteDiscriminator: 0xb, remoteState: 'Up', detectionTimeUs: 900_000 });
    expect(a.changes[1]).toEqual({ from: 'Init', to: 'Up', diag: 0, diagName: 'No Diagnostic', event: 'RecvInit' });
  });

  test('Active A and Passive B: B waits for A, then Down -> Init -> Up while A goes Down -> Up', () => {
    const { clock, a, b } = bfdPair({ b: { passive: true } });
    b.session.start();
    clock.advance(10_000);
    expect(b.sent).toEqual([]);
    a.session.start();
    clock.advance(3_000);
    expect(arcs(a)).toEqual(['Down->Up/0']);
    expect(arcs(b)).toEqual(['Down->Init/0', 'Init->Up/0']);
    expect(b.sentAt[0]).toBeGreaterThan(10_000);
    expect(b.sent[0]).toMatchObject({ state: 'Init', yourDiscriminator: 0xa });
  });

  test('both Passive: nobody speaks', () => {
    const { clock, a, b } = bfdPair({ a: { passive: true }, b: { passive: true } });
    a.session.start();
    b.session.start();
    clock.advance(30_000);
    expect([a.sent, b.sent]).toEqual([[], []]);
    expect(clock.armed).toBe(0);
  });
});

describe('transmit pacing', () => {
  test('until Up: one packet every 750-1000 ms (1 s less jitter), advertising 1 s', () => {
    const clock = new ManualClock();
    const a = recordedSession(clock, { localDiscriminator: 1, peerAddress: PEER_B, desiredMinTxUs: 50_000 });
    a.session.start();
    clock.advance(60_000);
    const gaps = periodicGaps(a, -1);
    expect(gaps.length).toBeGreaterThan(60);
    expect(within(gaps, 750, 1_000)).toBe(true);
    expect(a.sent.every((p) => p.state === 'Down' && p.desiredMinTxUs === 1_000_000 && p.yourDiscriminator === 0)).toBe(true);
  });

  test.each<[number, number, number]>([
    // detect mult -> gaps between periodic packets once Up at 300 ms
    [3, 225, 300],
    [1, 225, 270],
  ])('once Up with detect mult %i: every %i-%i ms, and the jitter really varies', (detectMultiplier, low, high) => {
    const pair = upPair({ a: { detectMultiplier }, b: { detectMultiplier } });
    const from = pair.clock.now();
    pair.clock.advance(30_000);
    const gaps = periodicGaps(pair.a, from);
    expect(gaps.length).toBeGreaterThan(90);
    expect(within(gaps, low, high)).toBe(true);
    expect(Math.max(...gaps) - Math.min(...gaps)).toBeGreaterThan((high - low) / 2);
  });

  test('the slower side sets the pace: B asking for 1 s makes A send every 750-1000 ms', () => {
    const pair = upPair({ b: { requiredMinRxUs: 1_000_000 } });
    const from = pair.clock.now();
    pair.clock.advance(20_000);
    expect(pair.a.session.status().transmitIntervalUs).toBe(1_000_000);
    expect(within(periodicGaps(pair.a, from), 750, 1_000)).toBe(true);
    expect(pair.b.session.status().detectionTimeUs).toBe(3_000_000);
  });
});

describe('going Down', () => {
  test('detection timeout: A hears nothing for 3 x 300 ms, goes Down with diag 1; B learns it with diag 3', () => {
    const pair = upPair();
    const { clock, a, b, cut } = pair;
    cut.bToA = true;
    // The last packet B sent reaches A 1 ms later; A's Detection Time runs from there.
    const lastFromB = Math.max(...b.sentAt);
    clock.advance(2_000);
    expect(arcs(a).slice(2)).toEqual(['Up->Down/1']);
    expect(a.changedAt[2]).toBeCloseTo(lastFromB + 1 + 900, 6);
    expect(a.changes[2]).toMatchObject({ diagName: 'Control Detection Time Expired', event: 'DetectionTimeExpired' });
    // A's next packet (already due) says Down with diag 1 and no longer names B.
    expect(a.sent.find((p, i) => (a.sentAt[i] ?? 0) > (a.changedAt[2] ?? 0))).toMatchObject({ state: 'Down', diag: 1, yourDiscriminator: 0 });
    expect(arcs(b).slice(2, 3)).toEqual(['Up->Down/3']);
    expect((b.changedAt[2] ?? 0) - (a.changedAt[2] ?? 0)).toBeLessThanOrEqual(301);
    expect(a.session.counters).toMatchObject({ upTransitions: 1, downTransitions: 1 });
  });

  test('the peer signalling AdminDown takes us Down with diag 3; AdminUp brings both back', () => {
    const { clock, a, b } = upPair();
    const at = clock.now();
    b.session.adminDown();
    clock.advance(400);
    expect(arcs(b).slice(2)).toEqual(['Up->AdminDown/7']);
    expect(arcs(a).slice(2)).toEqual(['Up->Down/3']);
    // The packet already due carried it, well before A's 900 ms Detection Time.
    expect((a.changedAt[2] ?? 0) - at).toBeLessThanOrEqual(301);
    // AdminDown keeps sending (slowly) and discards what arrives.
    clock.advance(10_000);
    expect(b.session.state).toBe('AdminDown');
    expect(a.session.state).toBe('Down');
    expect(b.session.counters.dropped['admin-down']).toBeGreaterThan(5);
    b.session.adminUp();
    clock.advance(5_000);
    expect([a.session.state, b.session.state]).toEqual(['Up', 'Up']);
    expect(arcs(b).slice(3)).toEqual(['AdminDown->Down/7', 'Down->Up/0']);
  });

  test('Path Down as the administrative diagnostic reaches the peer', () => {
    const { clock, a, b } = upPair();
    b.session.adminDown(5);
    clock.advance(400);
    expect(a.session.status().remoteDiag).toBe(5);
    expect(a.session.status().remoteState).toBe('AdminDown');
  });
});

describe('Poll/Final between two sessions', () => {
  test('A slows to 600 ms: Poll out, Final back, then B expects A every 1.8 s and A paces at 450-600 ms', () => {
    const { clock, a, b } = upPair();
    const finalsBefore = b.session.counters.finalsOut;
    const at = clock.now();
    a.session.setTimers({ desiredMinTxUs: 600_000 });
    expect(a.session.status()).toMatchObject({ poll: 'polling', desiredMinTxUs: 600_000, transmitIntervalUs: 300_000 });
    clock.advance(400);
    const polls = a.sent.filter((p, i) => p.poll && (a.sentAt[i] ?? 0) > at);
    expect(polls).toHaveLength(1);
    expect(b.session.counters.finalsOut).toBe(finalsBefore + 1);
    expect(a.session.status()).toMatchObject({ poll: 'idle', transmitIntervalUs: 600_000 });
    expect(b.session.status()).toMatchObject({ remoteDesiredMinTxUs: 600_000, detectionTimeUs: 1_800_000 });
    const from = clock.now();
    clock.advance(20_000);
    expect(within(periodicGaps(a, from).slice(1), 450, 600)).toBe(true);
    expect([a.session.state, b.session.state]).toEqual(['Up', 'Up']);
  });

  test('a faster Required Min RX: B speeds up at once, A keeps the longer Detection Time until the Final', () => {
    const { clock, a, b } = upPair({ a: { requiredMinRxUs: 600_000 } });
    expect(b.session.status().transmitIntervalUs).toBe(600_000);
    a.session.setTimers({ requiredMinRxUs: 100_000 });
    expect(a.session.status().detectionTimeUs).toBe(1_800_000);
    clock.advance(1_000);
    expect(a.session.status()).toMatchObject({ poll: 'idle', detectionTimeUs: 900_000 });
    expect(b.session.status().transmitIntervalUs).toBe(300_000);
  });
});

describe('spoofed packets are dropped, counted, and change nothing', () => {
  const fromB = (overrides: Partial<BfdControlPacket> = {}): BfdControlPacket =>
    bfdPacket({ state: 'Down', diag: 3, myDiscriminator: 0xb, yourDiscriminator: 0xa, desiredMinTxUs: 300_000, ...overrides });

  test.each<[string, BfdDropReason, BfdControlPacket, BfdReceiveMeta]>([
    ['TTL 254 on a single-hop session', 'ttl', fromB(), receiveMeta(PEER_B, { ttl: 254 })],
    ['TTL 1 on a single-hop session', 'ttl', fromB(), receiveMeta(PEER_B, { ttl: 1 })],
    ['a single-hop session packet on the multihop port', 'wrong-port', fromB(), receiveMeta(PEER_B, { ttl: 255, destinationPort: BFD_MULTIHOP_PORT })],
    ['Your Discriminator of another session', 'your-discriminator', fromB({ yourDiscriminator: 0x99 }), receiveMeta(PEER_B)],
    ['the A bit without authentication in use', 'authentication', fromB({ auth: { type: 'simple-password', keyId: 1, password: Uint8Array.of(1) } }), receiveMeta(PEER_B)],
  ])('%s -> %s', (_, reason, packet, meta) => {
    const { a } = upPair();
    const before = a.session.counters;
    expect(a.session.receive(packet, meta)).toEqual({ accepted: false, reason });
    expect(a.session.state).toBe('Up');
    const after = a.session.counters;
    expect(after.dropped[reason]).toBe(before.dropped[reason] + 1);
    expect(after.packetsIn).toBe(before.packetsIn);
    expect(after.stateTransitions).toBe(before.stateTransitions);
  });

  test('a flood of TTL 254 packets does not keep a dead session Up', () => {
    const { clock, a, cut } = upPair();
    cut.bToA = true;
    for (let i = 0; i < 20; i++) {
      clock.advance(100);
      a.session.receive(fromB({ state: 'Up' }), receiveMeta(PEER_B, { ttl: 254 }));
    }
    expect(arcs(a).slice(2)).toEqual(['Up->Down/1']);
    expect(a.session.counters.dropped.ttl).toBe(20);
  });

  test('a genuine packet still gets through after the drops', () => {
    const { a } = upPair();
    a.session.receive(fromB(), receiveMeta(PEER_B, { ttl: 64 }));
    expect(a.session.state).toBe('Up');
    expect(a.session.receive(fromB(), receiveMeta(PEER_B))).toEqual({ accepted: true });
    expect(a.session.status()).toMatchObject({ state: 'Down', localDiag: 3 });
  });

  test.each<[number, number, boolean]>([
    // multihop, minimum TTL 250: received TTL -> accepted
    [250, 249, false],
    [250, 250, true],
    [250, 255, true],
    [1, 1, true],
  ])('multihop with minimum TTL %i: TTL %i accepted %s', (minimumTtl, ttl, accepted) => {
    const clock = new ManualClock();
    const s = recordedSession(clock, { localDiscriminator: 1, peerAddress: '2001:db8::2', multihop: true, minimumTtl });
    const outcome = s.session.receive(bfdPacket(), receiveMeta('2001:db8::2', { ttl, destinationPort: BFD_MULTIHOP_PORT }));
    expect(outcome.accepted).toBe(accepted);
    expect(s.session.state).toBe(accepted ? 'Init' : 'Down');
    expect(s.session.receive(bfdPacket(), receiveMeta('2001:db8::2', { ttl: 255 })).accepted).toBe(false);
    expect(s.session.counters.dropped['wrong-port']).toBe(1);
  });
});

describe('the driver', () => {
  test('stop cancels every timer and ignores what comes after', () => {
    const { clock, a, b } = upPair();
    a.session.stop();
    b.session.stop();
    clock.advance(10); // packets in flight land on stopped sessions
    expect(clock.armed).toBe(0);
    const sent = a.sent.length;
    expect(a.session.receive(bfdPacket(), receiveMeta(PEER_B))).toEqual({ accepted: false, reason: 'stopped' });
    a.session.adminDown();
    clock.advance(10_000);
    expect(a.sent.length).toBe(sent);
  });

  test('counters add up', () => {
    const { clock, a, b } = upPair();
    const c = a.session.counters;
    expect(c.packetsOut).toBe(a.sent.length);
    expect(c.finalsOut).toBe(a.sent.filter((p) => p.final).length);
    // Every packet B sent that has had its 1 ms on the wire.
    expect(c.packetsIn).toBe(b.sentAt.filter((t) => t + 1 <= clock.now()).length);
    expect(c).toMatchObject({ stateTransitions: 2, upTransitions: 1, downTransitions: 0 });
    expect(Object.values(c.dropped).every((n) => n === 0)).toBe(true);
  });

  test('a bad config is refused with the field named', () => {
    const make = (config: ConstructorParameters<typeof BfdSession>[0]['config']) => () =>
      new BfdSession({ config, clock: new ManualClock(), random: seededRandom(1), send: () => undefined });
    expect(make({ localDiscriminator: 0, peerAddress: PEER_A })).toThrow(new BfdConfigError('bfd config: localDiscriminator must be a nonzero 32-bit integer, got 0'));
    expect(make({ localDiscriminator: 1, peerAddress: 'peer' })).toThrow(/peerAddress/);
  });
});
