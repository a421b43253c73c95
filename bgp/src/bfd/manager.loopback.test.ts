// BFD on real sockets (@headland/native) and the real clock, on loopback (no root needed): two
// managers on 127.0.0.1 and 127.0.0.2 come Up at 50 ms x 3, detect a stopped peer, hear a
// graceful AdminDown, drop a TTL 64 datagram on the single-hop port; IPv6 on ::1. Wall-clock
// bounds are loose on purpose: they show detection is in the right range, not how fast it is.

import * as dgram from 'node:dgram';
import { networkInterfaces } from 'node:os';
import { isSupported } from '@headland/native';
import { serializeControl } from './codec.js';
import { BfdManager, type BfdDownEvent, type BfdPeerSession } from './manager.js';
import { bfdPacket } from './testing.js';
import { BFD_SINGLE_HOP_PORT } from './types.js';

const linux = process.platform === 'linux' && isSupported() ? describe : describe.skip;
const hasIPv6Loopback = Object.values(networkInterfaces()).some((list) => list?.some((a) => a.address === '::1'));

const A = '127.0.0.1';
const B = '127.0.0.2';
const FAST = { desiredMinTxUs: 50_000, requiredMinRxUs: 50_000, detectMultiplier: 3 };
/** Generous: a loaded CI machine may stall the event loop; detection itself is 150 ms. */
const DETECTION_BOUND_MS = 1_000;

const managers: BfdManager[] = [];
afterEach(async () => {
  await Promise.all(managers.splice(0).map((m) => m.stop()));
});

function manager(): { manager: BfdManager; downs: Array<BfdDownEvent & { at: number }> } {
  const m = new BfdManager();
  managers.push(m);
  const downs: Array<BfdDownEvent & { at: number }> = [];
  m.on('down', (e) => downs.push({ ...e, at: Date.now() }));
  return { manager: m, downs };
}

/** Polls `ready` every 10 ms for up to `ms`. */
async function until(ready: () => boolean, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ready() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  expect(ready()).toBe(true);
}

/** Both Up, with the Poll Sequence to 50 ms done: detection at 150 ms on both sides. */
async function fastUp(...sessions: BfdPeerSession[]): Promise<void> {
  await until(() => sessions.every((s) => s.state === 'Up' && s.status().detectionTimeUs === 150_000 && s.status().poll === 'idle'));
}

/** A dgram socket sending from `from` with TTL / hop limit `ttl`. */
async function sender(from: string, ttl: number): Promise<dgram.Socket> {
  const socket = dgram.createSocket(from.includes(':') ? 'udp6' : 'udp4');
  await new Promise<void>((resolve) => socket.bind({ address: from, port: 0 }, resolve));
  socket.setTTL(ttl);
  return socket;
}

linux('BFD on loopback sockets', () => {
  test('127.0.0.1 and 127.0.0.2 come Up at 50 ms x 3; one stops without AdminDown, the other goes Down with diag 1 within the bound', async () => {
    const a = manager();
    const b = manager();
    const sa = a.manager.add(B, { localAddress: A, ...FAST });
    const sb = b.manager.add(A, { localAddress: B, ...FAST });
    expect(sa.sourcePort).toBeGreaterThanOrEqual(49152);
    await fastUp(sa, sb);
    expect(sb.counters.dropped.ttl).toBe(0); // every genuine packet arrived with TTL 255
    expect(b.manager.counters().transport.datagramsIn).toBeGreaterThan(0);

    const stoppedAt = Date.now();
    await a.manager.stop();
    await until(() => b.downs.some((d) => d.at >= stoppedAt), DETECTION_BOUND_MS + 500);
    const down = b.downs.find((d) => d.at >= stoppedAt)!;
    expect(down).toMatchObject({ from: 'Up', to: 'Down', diag: 1, remoteAdminDown: false, peerAddress: A });
    expect(down.at - stoppedAt).toBeLessThan(DETECTION_BOUND_MS);
  });

  test('a graceful remove signals AdminDown: the peer goes Down with diag 3, knowing it was administrative', async () => {
    const a = manager();
    const b = manager();
    const sa = a.manager.add(B, { localAddress: A, ...FAST });
    const sb = b.manager.add(A, { localAddress: B, ...FAST });
    await fastUp(sa, sb);
    const removedAt = Date.now();
    await sa.remove();
    await until(() => b.downs.some((d) => d.at >= removedAt), DETECTION_BOUND_MS);
    expect(b.downs.find((d) => d.at >= removedAt)).toMatchObject({ from: 'Up', to: 'Down', diag: 3, remoteAdminDown: true });
    expect(sb.status().remoteDiag).toBe(7);
  });

  test('datagrams with TTL 64 on the single-hop port are dropped and counted; the session stays Up', async () => {
    const a = manager();
    const b = manager();
    // Slower timers: this test is about the TTL check, not speed.
    const sa = a.manager.add(B, { localAddress: A });
    const sb = b.manager.add(A, { localAddress: B });
    await until(() => sa.state === 'Up' && sb.state === 'Up');
    const spoofer = await sender(A, 64);
    try {
      for (const yourDiscriminator of [sb.localDiscriminator, 0]) {
        const packet = serializeControl(bfdPacket({ state: 'Down', myDiscriminator: sa.localDiscriminator, yourDiscriminator }));
        await new Promise<void>((resolve, reject) => spoofer.send(packet, BFD_SINGLE_HOP_PORT, B, (e) => (e ? reject(e) : resolve())));
      }
      await until(() => sb.counters.dropped.ttl === 2, 2_000);
    } finally {
      spoofer.close();
    }
    expect(sb.state).toBe('Up');
    expect(b.downs).toEqual([]);
  });

  test('multihop on 4784: Up (TTL 255 meets the minimum 254)', async () => {
    const a = manager();
    const b = manager();
    const sa = a.manager.add(B, { localAddress: A, multihop: true, ...FAST });
    const sb = b.manager.add(A, { localAddress: B, multihop: true, ...FAST });
    await fastUp(sa, sb);
    expect(sb.counters.dropped).toMatchObject({ ttl: 0, 'wrong-port': 0 });
  });

  (hasIPv6Loopback ? test : test.skip)('IPv6 on ::1 (one manager, its session talking to itself): hop limit 255 accepted, 64 dropped', async () => {
    const { manager: m } = manager();
    const s = m.add('::1', { localAddress: '::1', ...FAST });
    await fastUp(s);
    expect(s.status().remoteDiscriminator).toBe(s.localDiscriminator);
    const spoofer = await sender('::1', 64);
    try {
      const packet = serializeControl(bfdPacket({ state: 'Down', myDiscriminator: 0x5eed, yourDiscriminator: s.localDiscriminator }));
      await new Promise<void>((resolve, reject) => spoofer.send(packet, BFD_SINGLE_HOP_PORT, '::1', (e) => (e ? reject(e) : resolve())));
      await until(() => s.counters.dropped.ttl === 1, 2_000);
    } finally {
      spoofer.close();
    }
    expect(s.state).toBe('Up');
  });
});
