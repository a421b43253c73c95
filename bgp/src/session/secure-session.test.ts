// Sessions with TCP MD5, TTL and GTSM between two real speakers on loopback (Linux: native/).
// A refused handshake is silent (the kernel drops the segments), so those cases wait a moment.

import * as net from 'node:net';
import { isSupported } from '@headland/native';
import { BgpSpeaker, type SpeakerEvents, type SpeakerOptions } from '../speaker.js';
import { BgpConfigError } from '../fsm/config.js';
import { ManualClock } from './clock.js';
import { seededRandom } from '../fsm/testing.js';
import type { PeerConfig } from './peer-config.js';

const LO = '127.0.0.1';
/** Long enough for a loopback handshake many times over; MD5 and TTL drops show as nothing at all. */
const SILENCE_MS = 700;

const linux = process.platform === 'linux' && isSupported() ? describe : describe.skip;

const speakers: BgpSpeaker[] = [];
const clocks: ManualClock[] = [];
const sockets: net.Socket[] = [];
afterEach(async () => {
  const stopping = speakers.splice(0).map((s) => s.stop());
  // A connect the kernel never completes (wrong key), or a peer whose FIN the kernel drops (TTL),
  // is destroyed by the stop's fallback timer.
  for (const c of clocks.splice(0)) c.advance(10_000);
  await Promise.all(stopping);
  for (const s of sockets.splice(0)) s.destroy();
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

function make(localAs: number, routerId: string, extra: Partial<SpeakerOptions> = {}): BgpSpeaker {
  const clock = new ManualClock();
  const s = new BgpSpeaker({ localAs, routerId, clock, random: seededRandom(7), ...extra });
  speakers.push(s);
  clocks.push(clock);
  return s;
}

const passive = (extra: Partial<PeerConfig> = {}): PeerConfig => ({ address: LO, peerAs: 64513, passive: true, nextHop: { ipv4: '198.18.0.1' }, ...extra });
const active = (port: number, extra: Partial<PeerConfig> = {}): PeerConfig => ({ address: LO, port, peerAs: 64512, ...extra });

/** Listening speaker A (AS 64512) with `a` for its peer, and B (AS 64513) connecting with `b`; whether both reach Established. */
async function session(a: Partial<PeerConfig>, b: Partial<PeerConfig>, order: 'peer after listen' | 'peer before listen' = 'peer after listen'): Promise<{ up: boolean; A: BgpSpeaker; B: BgpSpeaker }> {
  const A = make(64512, '198.18.0.1', { listen: { address: LO, port: 0 } });
  const B = make(64513, '198.18.0.2');
  if (order === 'peer before listen') A.addPeer(passive(a));
  await A.start();
  if (order === 'peer after listen') A.addPeer(passive(a));
  const upA = until(A, 'state', (e) => e.to === 'Established');
  const upB = until(B, 'state', (e) => e.to === 'Established');
  B.addPeer(active(A.listenPort, b));
  const up = await Promise.race([Promise.all([upA, upB]).then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), SILENCE_MS))]);
  return { up, A, B };
}

/** Whether a plain (unsigned, TTL 64) TCP handshake with the port completes. */
function plainConnects(port: number): Promise<boolean> {
  const socket = net.connect({ host: LO, port });
  sockets.push(socket);
  socket.on('error', () => undefined);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), SILENCE_MS);
    socket.once('connect', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

linux('TCP MD5 (RFC 2385)', () => {
  test.each(['peer after listen', 'peer before listen'] as const)('the same password on both sides: Established, and routes arrive (%s)', async (order) => {
    const { up, A, B } = await session({ password: 'swordfish' }, { password: 'swordfish' }, order);
    expect(up).toBe(true);
    const got = until(B, 'update-received', (e) => e.announced.length > 0);
    A.announce('203.0.113.10/32', { med: 7 });
    expect((await got).announced.map((r) => r.prefix.address)).toEqual(['203.0.113.10']);
  });

  test.each<[string, Partial<PeerConfig>, Partial<PeerConfig>]>([
    ['a different password', { password: 'swordfish' }, { password: 'tuna' }],
    ['no password at the connecting side', { password: 'swordfish' }, {}],
    ['no password at the listening side', {}, { password: 'swordfish' }],
  ])('%s: no session, not even an OPEN', async (_name, a, b) => {
    const { up, A, B } = await session(a, b);
    expect(up).toBe(false);
    expect(A.peer(LO)?.counters.messagesIn.open).toBe(0);
    expect(B.peer(LO)?.counters.messagesIn.open).toBe(0);
  });

  test('removing the peer removes its key from the listener', async () => {
    const A = make(64512, '198.18.0.1', { listen: { address: LO, port: 0 } });
    await A.start();
    A.addPeer(passive({ password: 'swordfish' }));
    expect(await plainConnects(A.listenPort)).toBe(false);
    A.removePeer(LO);
    expect(await plainConnects(A.listenPort)).toBe(true);
  });

  test('dynamic neighbours: the template password is required from the whole range', async () => {
    const A = make(64512, '198.18.0.1', { listen: { address: LO, port: 0 }, dynamicNeighbors: [{ range: '127.0.0.0/8', peerAs: 64513, template: { password: 'swordfish', nextHop: { ipv4: '198.18.0.1' } } }] });
    await A.start();
    expect(await plainConnects(A.listenPort)).toBe(false);
    const B = make(64513, '198.18.0.2');
    const upB = until(B, 'state', (e) => e.to === 'Established');
    B.addPeer(active(A.listenPort, { password: 'swordfish' }));
    await upB;
    expect(A.status().map((s) => [s.address, s.state, s.dynamic])).toEqual([[LO, 'Established', true]]);
  });
});

linux('TTL and GTSM (RFC 5082)', () => {
  test.each<[string, Partial<PeerConfig>, Partial<PeerConfig>, boolean]>([
    ['GTSM on both sides: up', { gtsm: true }, { gtsm: true }, true],
    ['GTSM at A, B sends TTL 255 by ttl: up', { gtsm: true }, { ttl: 255 }, true],
    ['GTSM at A, B sends TTL 254: no session', { gtsm: true }, { ttl: 254 }, false],
    ['GTSM at A with 2 hops, B sends TTL 254: up', { gtsm: true, gtsmHops: 2 }, { ttl: 254 }, true],
    ['GTSM at A, B sends the default TTL: no session', { gtsm: true }, {}, false],
    ['GTSM at B (outgoing), A sends the default TTL: no session', {}, { gtsm: true }, false],
    ['GTSM at B, A sends TTL 255: up', { ttl: 255 }, { gtsm: true }, true],
    ['password and GTSM together: up', { gtsm: true, password: 'k' }, { gtsm: true, password: 'k' }, true],
  ])('%s', async (_name, a, b, established) => {
    expect((await session(a, b)).up).toBe(established);
  });
});

linux('TTL of accepted sockets', () => {
  test('a GTSM peer raises the listener TTL for SYN-ACKs, but a peer without a TTL still gets the default', async () => {
    const A = make(64512, '198.18.0.1', { listen: { address: LO, port: 0 } });
    await A.start();
    A.addPeer(passive({ gtsm: true }));
    A.addPeer(passive({ address: '127.0.0.2' }));
    const B = make(64513, '198.18.0.2');
    const upB = until(B, 'state', (e) => e.to === 'Established');
    // B insists on TTL 255 from 127.0.0.2, which A has no reason to send.
    B.addPeer(active(A.listenPort, { address: LO, sourceAddress: '127.0.0.2', gtsm: true }));
    const up = await Promise.race([upB.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), SILENCE_MS))]);
    expect(up).toBe(false);
    expect(B.peer(LO)?.counters.messagesIn.open).toBe(0);
  });
});

linux('failures', () => {
  test('a socket option the kernel refuses is a local error and a failed connection, not a crash', async () => {
    const B = make(64513, '198.18.0.2');
    const error = until(B, 'error', (e) => e.direction === 'local');
    const failed = until(B, 'state', (e) => e.to === 'Active' || e.to === 'Idle');
    // 198.18.0.9 is not on this host: binding the secured socket to it fails before any packet.
    B.addPeer(active(1179, { password: 'k', sourceAddress: '198.18.0.9' }));
    expect((await error).error.message).toMatch(/bind 198\.18\.0\.9 on fd \d+ failed: .*EADDRNOTAVAIL/);
    expect((await failed).reason).toMatch(/^TcpConnectionFails: native\/tcp: bind 198\.18\.0\.9/);
  });
});

test.each<[string, Partial<PeerConfig>, RegExp]>([
  ['81-byte password', { password: 'p'.repeat(81) }, /^peer-config: peer 127\.0\.0\.1: password is 81 bytes/],
  ['ttl with gtsm', { ttl: 2, gtsm: true }, /^peer-config: peer 127\.0\.0\.1: ttl and gtsm exclude each other/],
])('addPeer refuses %s with a BgpConfigError', (_name, extra, message) => {
  const B = make(64513, '198.18.0.2');
  expect(() => B.addPeer(active(179, extra))).toThrow(BgpConfigError);
  expect(() => B.addPeer(active(179, extra))).toThrow(message);
  expect(B.status()).toEqual([]);
});

test('a dynamic neighbour template with a bad password is refused when the speaker is made', () => {
  expect(() => make(64512, '198.18.0.1', { dynamicNeighbors: [{ range: '198.18.0.0/24', peerAs: 64513, template: { password: '' } }] })).toThrow(/^peer-config: peer 198\.18\.0\.0\/24: password must be/);
});
