// Two real speakers over loopback TCP, each on its own manual clock: sessions, routes,
// NOTIFICATIONs and hold timers are exercised on real sockets without ever sleeping.

import * as net from 'node:net';
import { BgpSpeaker, type SpeakerEvents } from '../speaker.js';
import { ManualClock } from './clock.js';
import { seededRandom } from '../fsm/testing.js';
import { decodeMessage, serializeMessage, type DecodedMessage } from '../wire/message.js';
import { classicContext } from '../wire/context.js';
import { MessageFramer } from '../wire/framer.js';
import { findAttribute } from '../wire/attributes/table.js';
import { formatPrefix } from '../wire/nlri.js';
import { ROUTES_PER_SLICE } from './peer-routes-out.js';

const LO = '127.0.0.1';
const speakers: BgpSpeaker[] = [];
const sockets: net.Socket[] = [];
afterEach(async () => {
  for (const s of speakers.splice(0)) await s.stop();
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

async function speaker(localAs: number, routerId: string, extra: Partial<ConstructorParameters<typeof BgpSpeaker>[0]> = {}) {
  const clock = new ManualClock();
  const s = new BgpSpeaker({ localAs, routerId, listen: { address: LO, port: 0 }, clock, random: seededRandom(7), ...extra });
  speakers.push(s);
  await s.start();
  return { s, clock };
}

/** A passive speaker (AS 64512) and an active one (AS 64513) connecting to it. */
async function pair(holdTime = 9) {
  const a = await speaker(64512, '198.18.0.1');
  const b = await speaker(64513, '198.18.0.2', { listen: undefined } as never);
  const upA = until(a.s, 'state', (e) => e.to === 'Established');
  const upB = until(b.s, 'state', (e) => e.to === 'Established');
  // 127.0.0.1 is no valid NEXT_HOP on the wire (RFC 7606 treat-as-withdraw), so name one.
  a.s.addPeer({ address: LO, peerAs: 64513, passive: true, holdTime, nextHop: { ipv4: '198.18.0.1' } });
  b.s.addPeer({ address: LO, port: a.s.listenPort, peerAs: 64512, holdTime });
  await Promise.all([upA, upB]);
  return { a, b };
}

/** A raw TCP client posing as the peer, reading whole messages. */
async function rawPeer(port: number) {
  const socket = net.connect({ host: LO, port });
  sockets.push(socket);
  const framer = new MessageFramer();
  const messages: DecodedMessage[] = [];
  const waiting: (() => void)[] = [];
  socket.on('data', (chunk) => {
    for (const frame of framer.push(chunk)) messages.push(decodeMessage(frame, 0, classicContext)[0]);
    waiting.splice(0).forEach((w) => w());
  });
  socket.on('error', () => undefined);
  await new Promise((r) => socket.once('connect', r));
  const next = async (type: DecodedMessage['type']): Promise<DecodedMessage> => {
    for (;;) {
      const found = messages.find((m) => m.type === type);
      if (found) return found;
      await new Promise<void>((r) => waiting.push(r));
    }
  };
  return { socket, next };
}

test('session comes up and routes with communities, large communities, MED and link bandwidth arrive', async () => {
  const { a, b } = await pair();
  a.s.announce('203.0.113.10/32', { med: 20, communities: ['64512:100', 'NO_EXPORT'], largeCommunities: ['64512:1:2'], linkBandwidth: 125000 });
  const got = await until(b.s, 'update-received', (e) => e.announced.length > 0);
  const route = got.announced[0];
  expect(route && formatPrefix(route.prefix)).toBe('203.0.113.10/32');
  expect(route?.nextHop).toBe('198.18.0.1');
  const attrs = route?.attributes ?? [];
  expect(findAttribute(attrs, 'as-path')?.value).toEqual([{ type: 'sequence', asns: [64512] }]);
  expect(findAttribute(attrs, 'multi-exit-disc')?.value).toBe(20);
  expect(findAttribute(attrs, 'communities')?.value).toEqual([64512 * 65536 + 100, 0xffffff01]);
  expect(findAttribute(attrs, 'large-communities')?.value).toEqual([{ global: 64512, local1: 1, local2: 2 }]);
  expect(findAttribute(attrs, 'extended-communities')?.value).toEqual([{ kind: 'link-bandwidth', asn: 64512, bytesPerSecond: 125000 }]);
  const counters = a.s.status()[0]?.counters;
  expect(counters?.prefixesAnnounced).toBe(1);
  expect(b.s.status()[0]?.counters.prefixesAccepted).toBe(1);
});

test('routes present before the session are sent on Established, End-of-RIB follows, repeats send nothing, withdraw removes', async () => {
  const a = await speaker(64512, '198.18.0.1');
  const b = await speaker(64513, '198.18.0.2');
  a.s.announce('203.0.113.1/32', { med: 1 });
  a.s.announce('203.0.113.2/32', { med: 1 });
  const eor = until(b.s, 'update-received', (e) => e.endOfRib === 'ipv4');
  a.s.addPeer({ address: LO, peerAs: 64513, passive: true, nextHop: { ipv4: '198.18.0.1' } });
  b.s.addPeer({ address: LO, port: a.s.listenPort, peerAs: 64512 });
  await eor;
  expect(b.s.received(LO).map((r) => formatPrefix(r.prefix)).sort()).toEqual(['203.0.113.1/32', '203.0.113.2/32']);
  const updatesOut = () => a.s.status()[0]?.counters.messagesOut.update;
  // one UPDATE for both prefixes (same path), one End-of-RIB
  expect(updatesOut()).toBe(2);
  a.s.announce('203.0.113.1/32', { med: 1 });
  a.s.withdraw('203.0.113.2/32');
  await until(b.s, 'update-received', (e) => e.withdrawn.length > 0);
  expect(updatesOut()).toBe(3);
  expect(b.s.received(LO).map((r) => formatPrefix(r.prefix))).toEqual(['203.0.113.1/32']);
});

test('a silent peer is dropped when the hold timer expires, with NOTIFICATION Hold Timer Expired', async () => {
  const { a, b } = await pair(3);
  const downA = until(a.s, 'state', (e) => e.from === 'Established');
  const errB = until(b.s, 'error', (e) => e.direction === 'received');
  // Only A's time passes: B never sends a KEEPALIVE, so A's 3 s hold timer expires.
  a.clock.advance(3001);
  expect((await downA).reason).toBe('HoldTimer_Expires');
  expect(await errB).toMatchObject({ error: { code: 4 } });
  expect(a.s.status()[0]?.counters.lastErrorSent).toMatchObject({ code: 4, name: expect.stringMatching(/Hold Timer Expired/) });
  expect(b.s.status()[0]?.counters.lastErrorReceived).toMatchObject({ code: 4 });
});

test('keepalives at a third of the hold time keep the session up', async () => {
  const { a, b } = await pair(9);
  let down = false;
  a.s.on('state', (e) => (down ||= e.from === 'Established'));
  for (let i = 0; i < 4; i++) {
    const before = a.s.status()[0]?.counters.messagesIn.keepalive ?? 0;
    b.clock.advance(3000);
    while ((a.s.status()[0]?.counters.messagesIn.keepalive ?? 0) === before) await new Promise((r) => setImmediate(r));
    a.clock.advance(3000);
  }
  expect(down).toBe(false);
  expect(a.s.peer(LO)?.state).toBe('Established');
});

test.each([
  ['removePeer', 3],
  ['stop', 2],
  ['resetPeer', 4],
])('%s sends NOTIFICATION Cease subcode %i', async (how, subcode) => {
  const { a, b } = await pair();
  const err = until(b.s, 'error', (e) => e.direction === 'received');
  if (how === 'removePeer') a.s.removePeer(LO);
  else if (how === 'stop') await a.s.stop();
  else a.s.resetPeer(LO);
  expect(await err).toMatchObject({ error: { code: 6, subcode } });
});

test.each<[string, Uint8Array | (() => Uint8Array), number, number]>([
  ['a bad marker', new Uint8Array(19).fill(0), 1, 1],
  ['an unknown message type', Uint8Array.from([...new Array(16).fill(0xff), 0, 19, 9]), 1, 3],
  ['an OPEN from the wrong AS', () => serializeMessage({ type: 'open', myAs: 65000, holdTime: 9, identifier: '198.18.0.9', capabilities: [] }, classicContext), 2, 2],
  ['an OPEN with hold time 1', () => serializeMessage({ type: 'open', myAs: 64513, holdTime: 1, identifier: '198.18.0.9', capabilities: [] }, classicContext), 2, 6],
  ['an UPDATE before the OPEN', () => serializeMessage({ type: 'update', withdrawn: [], attributes: [], nlri: [] }, classicContext), 5, 1],
])('%s gets the right NOTIFICATION and the speaker carries on', async (_name, bytes, code, subcode) => {
  const a = await speaker(64512, '198.18.0.1');
  const errors: unknown[] = [];
  a.s.on('error', (e) => errors.push(e));
  a.s.addPeer({ address: LO, peerAs: 64513, passive: true });
  const peer = await rawPeer(a.s.listenPort);
  await peer.next('open');
  peer.socket.write(typeof bytes === 'function' ? bytes() : bytes);
  expect(await peer.next('notification')).toMatchObject({ code, subcode });
  expect(errors.length).toBeGreaterThan(0);
  expect(a.s.peer(LO)?.state).not.toBe('Established');
});

test('a connection from an address that is not a peer is refused', async () => {
  const a = await speaker(64512, '198.18.0.1');
  const socket = net.connect({ host: LO, port: a.s.listenPort });
  sockets.push(socket);
  socket.on('error', () => undefined);
  await new Promise((r) => socket.once('close', r));
  expect(a.s.status()).toEqual([]);
});

test('dynamic neighbours: any peer in the range is accepted, and forgotten when its session ends', async () => {
  const a = await speaker(64512, '198.18.0.1', { dynamicNeighbors: [{ range: '127.0.0.0/8', peerAs: 'external', template: { holdTime: 9 } }] });
  const b = await speaker(64513, '198.18.0.2');
  const up = until(a.s, 'state', (e) => e.to === 'Established');
  b.s.addPeer({ address: LO, port: a.s.listenPort, peerAs: 64512 });
  await up;
  expect(a.s.status()).toMatchObject([{ address: LO, dynamic: true, state: 'Established' }]);
  const gone = until(a.s, 'state', (e) => e.to === 'Idle');
  b.s.removePeer(LO);
  await gone;
  expect(a.s.status()).toEqual([]);
});

test('both sides active at once: the collision leaves exactly one session, and it carries routes', async () => {
  const a = await speaker(64512, '198.18.0.1');
  const b = await speaker(64513, '198.18.0.2');
  const upA = until(a.s, 'state', (e) => e.to === 'Established');
  const upB = until(b.s, 'state', (e) => e.to === 'Established');
  a.s.addPeer({ address: LO, port: b.s.listenPort, peerAs: 64513 });
  b.s.addPeer({ address: LO, port: a.s.listenPort, peerAs: 64512, nextHop: { ipv4: '198.18.0.2' } });
  await Promise.all([upA, upB]);
  b.s.announce('203.0.113.99/32');
  const got = await until(a.s, 'update-received', (e) => e.announced.length > 0);
  expect(got.announced.map((r) => formatPrefix(r.prefix))).toEqual(['203.0.113.99/32']);
  expect(a.s.peer(LO)?.state).toBe('Established');
  expect(b.s.peer(LO)?.state).toBe('Established');
});

test('bad calls are typed errors naming the problem', async () => {
  const a = await speaker(64512, '198.18.0.1');
  expect(() => a.s.announce('not-a-prefix')).toThrow(/^speaker: "not-a-prefix" is not a prefix/);
  expect(() => a.s.announce('203.0.113.1/32', { communities: ['1:2:3'] })).toThrow(/^route: community "1:2:3"/);
  expect(() => a.s.announce('203.0.113.1/32', { med: -1 })).toThrow(/^route: MED -1/);
  expect(() => a.s.announce('203.0.113.1/32', { nextHop: '2001:db8::1' })).toThrow(/^route: next hop 2001:db8::1 is not ipv4/);
  expect(() => a.s.addPeer({ address: 'peer1', peerAs: 1 })).toThrow(/^speaker: peer address peer1/);
  expect(() => a.s.addPeer({ address: LO, peerAs: 0 })).toThrow(/^config: peerAs/);
  expect(() => a.s.removePeer('198.18.9.9')).toThrow(/^speaker: no peer 198.18.9.9/);
  expect(() => new BgpSpeaker({ localAs: -1, routerId: '1.1.1.1' })).toThrow(/^speaker: localAs -1/);
  const taken = new BgpSpeaker({ localAs: 1, routerId: '1.1.1.1', listen: { address: LO, port: a.s.listenPort } });
  await expect(taken.start()).rejects.toThrow(/^listener: cannot listen on \[127.0.0.1\]/);
});

/**
 * A passive peer on a raw socket that answers OPEN, and after a NOTIFICATION keeps the connection
 * open for `holdMs` before closing it: a peer that is slow to read our Cease.
 */
async function slowClosingPeer(holdMs: number) {
  const log: string[] = [];
  let n = 0;
  // allowHalfOpen: Node would otherwise answer our FIN with its own at once, as no BGP daemon does.
  const server = net.createServer({ allowHalfOpen: true }, (socket) => {
    const id = ++n;
    sockets.push(socket);
    log.push(`connect ${id}`);
    const framer = new MessageFramer();
    socket.on('error', () => undefined);
    socket.on('data', (chunk) => {
      for (const frame of framer.push(chunk)) {
        const [message] = decodeMessage(frame, 0, classicContext);
        if (message.type === 'open') {
          socket.write(serializeMessage({ type: 'open', myAs: 64512, holdTime: 9, identifier: '198.18.0.1', capabilities: [] }, classicContext));
          socket.write(serializeMessage({ type: 'keepalive' }, classicContext));
        }
        if (message.type === 'notification') {
          log.push(`notification ${id}`);
          setTimeout(() => {
            log.push(`closed ${id}`);
            socket.end();
          }, holdMs);
        }
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, LO, r));
  const port = (server.address() as net.AddressInfo).port;
  return { log, port, close: () => new Promise((r) => server.close(r)) };
}

/** An active speaker with its session to a slowClosingPeer Established; cleans up after `body`. */
async function establishedWithSlowPeer(holdMs: number, body: (b: BgpSpeaker, config: { address: string; port: number; peerAs: number }, log: readonly string[]) => Promise<void>) {
  const peer = await slowClosingPeer(holdMs);
  try {
    const b = await speaker(64513, '198.18.0.2', { listen: undefined } as never);
    const config = { address: LO, port: peer.port, peerAs: 64512 };
    const up = until(b.s, 'state', (e) => e.to === 'Established');
    b.s.addPeer(config);
    await up;
    await body(b.s, config, peer.log);
  } finally {
    for (const s of sockets.splice(0)) s.destroy();
    await peer.close();
  }
}

test.each(['replace (removePeer, addPeer)', 'resetPeer'])('%s: the new connection waits until the peer has closed the old one', async (how) => {
  await establishedWithSlowPeer(300, async (b, config, log) => {
    const up = until(b, 'state', (e) => e.to === 'Established');
    if (how === 'resetPeer') b.resetPeer(LO);
    else {
      b.removePeer(LO);
      b.addPeer(config);
    }
    await up;
    // Connecting at once, the second connection would come before "closed 1".
    expect(log).toEqual(['connect 1', 'notification 1', 'closed 1', 'connect 2']);
  });
});

test('a removed peer that is added back after the speaker stopped is not started by the wait', async () => {
  await establishedWithSlowPeer(100, async (b, config, log) => {
    b.removePeer(LO);
    b.addPeer(config);
    await b.stop();
    await new Promise((r) => setTimeout(r, 300));
    expect(log).toEqual(['connect 1', 'notification 1', 'closed 1']);
  });
});

test('a big table goes out in slices with the event loop free between them, End-of-RIB after the last', async () => {
  const a = await speaker(64512, '198.18.0.1');
  const b = await speaker(64513, '198.18.0.2');
  const count = 2 * ROUTES_PER_SLICE + 500;
  for (let i = 0; i < count; i++) a.s.announce(`198.19.${i >> 8}.${i & 0xff}/32`);
  let announcedAtEstablished = -1;
  a.s.on('state', (e) => {
    if (e.to === 'Established') announcedAtEstablished = a.s.status()[0]?.counters.prefixesAnnounced ?? -1;
  });
  const seen: string[] = [];
  b.s.on('update-received', (e) => seen.push(e.endOfRib === undefined ? `${e.announced.length}` : `eor after ${b.s.received(LO).length}`));
  const eor = until(b.s, 'update-received', (e) => e.endOfRib === 'ipv4');
  a.s.addPeer({ address: LO, peerAs: 64513, passive: true, nextHop: { ipv4: '198.18.0.1' } });
  b.s.addPeer({ address: LO, port: a.s.listenPort, peerAs: 64512 });
  await eor;
  // Only the first slice (at most ROUTES_PER_SLICE, less if it ran out of time) went out in the tick the session came up.
  expect(announcedAtEstablished).toBeGreaterThan(0);
  expect(announcedAtEstablished).toBeLessThanOrEqual(ROUTES_PER_SLICE);
  expect(seen.at(-1)).toBe(`eor after ${count}`);
  expect(seen.filter((s) => s.startsWith('eor'))).toHaveLength(1);
  expect(b.s.status()[0]?.counters.prefixesAccepted).toBe(count);
});
