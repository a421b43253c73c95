// Demultiplexing by Your Discriminator or by address, what it drops and counts, and the
// allocation of discriminators and source ports.

import { serializeControl, type BfdControlPacket } from './codec.js';
import { allocateBfdSourcePort, BfdDemux, type BfdDemuxSession } from './demux.js';
import { BfdConfigError } from './errors.js';
import type { BfdReceiveMeta } from './receive.js';
import { bfdPacket, receiveMeta, seededRandom } from './testing.js';
import { BFD_MULTIHOP_PORT, BFD_SOURCE_PORT_MAX, BFD_SOURCE_PORT_MIN } from './types.js';

interface FakeSession extends BfdDemuxSession {
  readonly name: string;
  readonly got: BfdControlPacket[];
}

function fake(name: string, localDiscriminator: number, peerAddress: string, more: { localAddress?: string; multihop?: boolean } = {}): FakeSession {
  const got: BfdControlPacket[] = [];
  return {
    name,
    got,
    localDiscriminator,
    peerAddress,
    localAddress: more.localAddress,
    multihop: more.multihop ?? false,
    receive: (packet) => {
      got.push(packet);
      return { accepted: true };
    },
  };
}

function demuxWith(...sessions: FakeSession[]): BfdDemux<FakeSession> {
  const demux = new BfdDemux<FakeSession>();
  for (const s of sessions) demux.add(s);
  return demux;
}

const one = fake('one', 1, '192.0.2.2');
const two = fake('two', 2, '2001:db8::2');
const bound = fake('bound', 3, '192.0.2.9', { localAddress: '192.0.2.1' });
const unbound = fake('unbound', 4, '192.0.2.9');
const multi = fake('multi', 5, '192.0.2.2', { multihop: true });

describe('select', () => {
  const demux = demuxWith(one, two, bound, unbound, multi);
  const pick = (packet: BfdControlPacket, meta: BfdReceiveMeta): string => {
    const selected = demux.select(packet, meta);
    return 'session' in selected ? selected.session.name : selected.dropped;
  };

  test.each<[string, BfdControlPacket, BfdReceiveMeta, string]>([
    ['Your Discriminator decides alone, whatever the source', bfdPacket({ state: 'Up', yourDiscriminator: 2 }), receiveMeta('198.51.100.7'), 'two'],
    ['an unknown Your Discriminator is dropped', bfdPacket({ state: 'Up', yourDiscriminator: 99 }), receiveMeta('192.0.2.2'), 'unknown-discriminator'],
    ['Your Discriminator 0: by source address', bfdPacket(), receiveMeta('192.0.2.2'), 'one'],
    ['... the multihop port selects the multihop session', bfdPacket(), receiveMeta('192.0.2.2', { destinationPort: BFD_MULTIHOP_PORT }), 'multi'],
    ['... an IPv4-mapped source matches the IPv4 session', bfdPacket(), receiveMeta('::ffff:192.0.2.2'), 'one'],
    ['... IPv6 in any spelling matches', bfdPacket(), receiveMeta('2001:DB8:0::2'), 'two'],
    ['... the session bound to the arrival address wins', bfdPacket(), receiveMeta('192.0.2.9', { localAddress: '192.0.2.1' }), 'bound'],
    ['... else the unbound one', bfdPacket(), receiveMeta('192.0.2.9', { localAddress: '192.0.2.200' }), 'unbound'],
    ['... from an address we have no session with', bfdPacket(), receiveMeta('198.51.100.7'), 'no-session'],
    ['... from something that is no address', bfdPacket(), receiveMeta('not-an-address'), 'no-session'],
  ])('%s', (_, packet, meta, expected) => {
    expect(pick(packet, meta)).toBe(expected);
  });
});

describe('deliver', () => {
  test('decodes, selects and hands over; every failure is counted by reason', () => {
    const s = fake('s', 7, '192.0.2.2');
    const demux = demuxWith(s);
    const good = serializeControl(bfdPacket());
    expect(demux.deliver(good, receiveMeta())).toEqual({ session: s, outcome: { accepted: true } });
    expect(s.got).toHaveLength(1);

    const zeroMine = good.slice();
    zeroMine.fill(0, 4, 8); // My Discriminator 0
    const upWithoutYours = good.slice();
    upWithoutYours[1] = 0xc0; // State Up, Your Discriminator still 0
    const outcomes = [
      demux.deliver(zeroMine, receiveMeta()),
      demux.deliver(upWithoutYours, receiveMeta()),
      demux.deliver(Uint8Array.of(1, 2, 3), receiveMeta()),
      demux.deliver(serializeControl(bfdPacket({ state: 'Up', yourDiscriminator: 8 })), receiveMeta()),
      demux.deliver(good, receiveMeta('198.51.100.7')),
    ];
    expect(outcomes.map((o) => ('malformed' in o ? o.malformed.reason : 'dropped' in o ? o.dropped : 'delivered'))).toEqual([
      'my-discriminator-zero',
      'your-discriminator-zero',
      'truncated',
      'unknown-discriminator',
      'no-session',
    ]);
    expect(demux.malformed).toMatchObject({ 'my-discriminator-zero': 1, 'your-discriminator-zero': 1, truncated: 1, version: 0 });
    expect(demux.dropped).toEqual({ 'unknown-discriminator': 1, 'no-session': 1 });
    expect(s.got).toHaveLength(1);
  });
});

describe('add and remove', () => {
  test('a discriminator or a peer (per local address and hop mode) is held once', () => {
    const demux = demuxWith(one, bound, unbound, multi);
    expect(() => demux.add(fake('again', 1, '192.0.2.77'))).toThrow(BfdConfigError);
    expect(() => demux.add(fake('again', 9, '192.0.2.2'))).toThrow(/single-hop 192.0.2.2/);
    expect(() => demux.add(fake('again', 9, '192.0.2.9', { localAddress: '192.0.2.1' }))).toThrow(BfdConfigError);
    demux.add(fake('other local', 9, '192.0.2.9', { localAddress: '192.0.2.5' }));
    expect(demux.size).toBe(5);
  });

  test('a removed session is no longer found', () => {
    const demux = demuxWith(one, multi);
    demux.remove(one);
    expect(demux.select(bfdPacket({ state: 'Up', yourDiscriminator: 1 }), receiveMeta())).toEqual({ dropped: 'unknown-discriminator' });
    expect(demux.select(bfdPacket(), receiveMeta())).toEqual({ dropped: 'no-session' });
    demux.add(one);
    expect(demux.size).toBe(2);
  });
});

describe('allocation', () => {
  test('discriminators are nonzero 32-bit values no session holds', () => {
    const demux = demuxWith(one, two);
    const random = seededRandom(3);
    const seen = new Set<number>();
    for (let i = 0; i < 1000; i++) {
      const d = demux.allocateDiscriminator(random);
      expect(d).toBeGreaterThanOrEqual(1);
      expect(d).toBeLessThanOrEqual(0xffffffff);
      seen.add(d);
    }
    expect(seen.size).toBeGreaterThan(990);
    // A draw landing on a taken value moves on; the top of the range wraps to 1, never 0.
    expect(demux.allocateDiscriminator(() => 0)).toBe(3);
    const top = demuxWith(fake('top', 0xffffffff, '192.0.2.50'));
    expect(top.allocateDiscriminator(() => 0.9999999999)).toBe(1);
  });

  test('source ports are in 49152-65535 and avoid those in use', () => {
    const random = seededRandom(5);
    for (let i = 0; i < 1000; i++) {
      const port = allocateBfdSourcePort(new Set(), random);
      expect(port).toBeGreaterThanOrEqual(BFD_SOURCE_PORT_MIN);
      expect(port).toBeLessThanOrEqual(BFD_SOURCE_PORT_MAX);
    }
    expect(allocateBfdSourcePort(new Set([49152, 49153]), () => 0)).toBe(49154);
    expect(allocateBfdSourcePort(new Set([65535]), () => 0.99999999)).toBe(49152);
    const all = new Set(Array.from({ length: 16384 }, (_, i) => 49152 + i));
    expect(allocateBfdSourcePort(all, () => 0.5)).toBe(57344);
  });
});
