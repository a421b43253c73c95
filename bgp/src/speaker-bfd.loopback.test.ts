// BFD coupled to BGP on real sockets (@headland/native UDP, loopback TCP) and the real clock:
// two speakers on 127.0.0.1 and 127.0.0.2 at 50 ms x 3; B's BFD packets stop (its sockets drop
// them), A tears the session down and flushes B's routes, and both come back once BFD is Up.
// Bounds are loose on purpose: a loaded CI machine may stall the event loop.

import { isSupported } from '@headland/native';
import { nativeBfdSockets } from './bfd/native-socket.js';
import type { BfdSocketFactory } from './bfd/transport.js';
import { BgpSpeaker } from './speaker.js';
import { formatPrefix } from './wire/nlri.js';

const linux = process.platform === 'linux' && isSupported() ? describe : describe.skip;

const A = '127.0.0.1';
const B = '127.0.0.2';
const BFD = { transmitIntervalMs: 50, receiveIntervalMs: 50, detectMultiplier: 3 } as const;
const ROUTES = ['203.0.113.1/32', '203.0.113.2/32'];

const speakers: BgpSpeaker[] = [];
afterEach(async () => {
  await Promise.all(speakers.splice(0).map((s) => s.stop()));
});

async function until(ready: () => boolean, ms = 8_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ready() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  expect(ready()).toBe(true);
}

/** Native sockets whose sends are dropped while `muted.on`: the path from this side fails. */
function muteable(muted: { on: boolean }): BfdSocketFactory {
  return (options) => {
    const socket = nativeBfdSockets(options);
    return { send: (data, address, port) => muted.on || socket.send(data, address, port), close: () => socket.close() };
  };
}

linux('BFD coupled to BGP on loopback sockets', () => {
  test('B falls silent: A drops the session and B\'s routes within the bound, holds it, and both come back with BFD', async () => {
    const a = new BgpSpeaker({ localAs: 64512, routerId: '198.18.0.1', listen: { address: A, port: 0 } });
    speakers.push(a);
    await a.start();
    a.addPeer({ address: B, peerAs: 64513, passive: true, sourceAddress: A, bfd: BFD });
    const muted = { on: false };
    const b = new BgpSpeaker({ localAs: 64513, routerId: '198.18.0.2', bfd: { sockets: muteable(muted) } });
    speakers.push(b);
    for (const r of ROUTES) b.announce(r);
    b.addPeer({ address: A, port: a.listenPort, peerAs: 64512, sourceAddress: B, nextHop: { ipv4: '198.18.0.2' }, connectRetry: { initial: 1, max: 1, jitter: 0 }, bfd: BFD });
    const statusA = () => a.status()[0]!;
    await until(() => statusA().state === 'Established' && statusA().bfd?.detectionTimeMs === 150 && a.received(B).length === 2);

    const mutedAt = Date.now();
    muted.on = true;
    await until(() => statusA().state === 'Idle', 1_000);
    expect(Date.now() - mutedAt).toBeLessThan(1_000);
    expect(a.received(B)).toEqual([]);
    expect(statusA()).toMatchObject({ counters: { sessionDownsByBfd: 1, lastErrorSent: { code: 6, subcode: 10 } }, bfd: { state: 'Down', diag: 1 } });

    // Held: B retries every second and is refused.
    await new Promise((r) => setTimeout(r, 2_500));
    expect(statusA().state).toBe('Idle');

    muted.on = false;
    await until(() => statusA().state === 'Established' && a.received(B).length === 2);
    expect(a.received(B).map((r) => formatPrefix(r.prefix)).sort()).toEqual(ROUTES);
    expect(statusA().bfd).toMatchObject({ state: 'Up' });
  }, 20_000);
});
