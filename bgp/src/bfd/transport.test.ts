// The transport over the in-memory network: listeners shared and released with their sessions,
// one source port per session in 49152-65535 (another tried when the system says taken), TTL 255
// out, what reaches the demultiplexer, and what is counted instead.

import { ManualClock } from '../session/clock.js';
import { BfdConfigError, BfdTransportError } from './errors.js';
import type { BfdReceiveMeta } from './receive.js';
import { memoryNetwork, seededRandom } from './testing.js';
import { BfdTransport, type BfdSocketOptions } from './transport.js';
import { BFD_MULTIHOP_PORT, BFD_SINGLE_HOP_PORT, BFD_SOURCE_PORT_MAX, BFD_SOURCE_PORT_MIN } from './types.js';

function setup(seed = 1) {
  const clock = new ManualClock();
  const net = memoryNetwork(clock);
  const delivered: Array<{ data: number[]; meta: BfdReceiveMeta }> = [];
  const logs: string[] = [];
  const transport = new BfdTransport({
    sockets: net.sockets,
    random: seededRandom(seed),
    deliver: (data, meta) => delivered.push({ data: [...data], meta }),
    log: (e) => logs.push(`${e.level} ${e.msg}`),
  });
  return { clock, net, transport, delivered, logs };
}

const listening = (bound: ReadonlyMap<string, unknown>): string[] => [...bound.keys()].filter((k) => / (3784|4784)$/.test(k)).sort();

describe('listeners', () => {
  test('one per port and bound address, shared by sessions, closed with the last', () => {
    const { net, transport } = setup();
    const a = transport.open({ peerAddress: '192.0.2.2', localAddress: '192.0.2.1', multihop: false });
    const b = transport.open({ peerAddress: '192.0.2.3', localAddress: '192.0.2.1', multihop: false });
    const c = transport.open({ peerAddress: '198.51.100.9', multihop: true });
    const d = transport.open({ peerAddress: '2001:db8::2', multihop: false });
    expect(listening(net.bound)).toEqual(['0.0.0.0 4784', '192.0.2.1 3784', ':: 3784']);
    expect(transport.counters).toMatchObject({ listeners: 3, endpoints: 4 });
    a.close();
    expect(listening(net.bound)).toContain('192.0.2.1 3784');
    b.close();
    b.close(); // twice is fine, and does not release the listener twice
    expect(listening(net.bound)).toEqual(['0.0.0.0 4784', ':: 3784']);
    c.close();
    d.close();
    expect([...net.bound.keys()]).toEqual([]);
    expect(transport.counters).toMatchObject({ listeners: 0, endpoints: 0 });
  });

  test('listeners share their port (SO_REUSEADDR); sending sockets do not', () => {
    const { net, transport } = setup();
    transport.open({ peerAddress: '192.0.2.2', multihop: false });
    expect([...net.bound.values()].map((o) => [o.port >= BFD_SOURCE_PORT_MIN ? 'source' : o.port, o.reuseAddress, o.ttl])).toEqual([
      [BFD_SINGLE_HOP_PORT, true, 255],
      ['source', false, 255],
    ]);
  });

  test('a listener the system refuses is a BfdTransportError, and nothing is left open', () => {
    const { net, transport } = setup();
    net.taken.add(`192.0.2.1 ${BFD_SINGLE_HOP_PORT}`);
    const open = () => transport.open({ peerAddress: '192.0.2.2', localAddress: '192.0.2.1', multihop: false });
    expect(open).toThrow(BfdTransportError);
    expect(open).toThrow(/^bfd transport: cannot listen on 192\.0\.2\.1 port 3784: .*in use/);
    expect(net.bound.size).toBe(0);
    expect(transport.counters).toMatchObject({ listeners: 0, endpoints: 0 });
  });
});

describe('source ports', () => {
  test('each session its own port in 49152-65535, bound to its local address; a taken one is skipped', () => {
    const { net, transport } = setup(7);
    // Find the first port seed 7 picks and let "another program" hold it.
    const probe = setup(7);
    const firstPick = probe.transport.open({ peerAddress: '192.0.2.2', localAddress: '192.0.2.1', multihop: false }).sourcePort;
    net.taken.add(`192.0.2.1 ${firstPick}`);
    const endpoints = Array.from({ length: 50 }, (_, i) => transport.open({ peerAddress: `198.51.100.${i + 1}`, localAddress: '192.0.2.1', multihop: i % 2 === 0 }));
    const ports = endpoints.map((e) => e.sourcePort);
    expect(new Set(ports).size).toBe(50);
    expect(ports.every((p) => p >= BFD_SOURCE_PORT_MIN && p <= BFD_SOURCE_PORT_MAX)).toBe(true);
    expect(ports).not.toContain(firstPick);
    expect(endpoints.every((e) => e.bindAddress === '192.0.2.1')).toBe(true);
  });

  test('a closed session gives its port back; a refusal other than EADDRINUSE is not retried', () => {
    const clock = new ManualClock();
    const lowest = new BfdTransport({ sockets: memoryNetwork(clock).sockets, random: () => 0, deliver: () => undefined });
    const a = lowest.open({ peerAddress: '192.0.2.2', multihop: false });
    const b = lowest.open({ peerAddress: '192.0.2.3', multihop: false });
    expect([a.sourcePort, b.sourcePort]).toEqual([49152, 49153]);
    a.close();
    expect(lowest.open({ peerAddress: '192.0.2.4', multihop: false }).sourcePort).toBe(49152);

    let calls = 0;
    const refusing = new BfdTransport({
      sockets: (o) => {
        calls += 1;
        if (o.port >= BFD_SOURCE_PORT_MIN) throw Object.assign(new Error('bind: EADDRNOTAVAIL'), { code: 'EADDRNOTAVAIL' });
        return { send: () => true, close: () => undefined };
      },
      random: seededRandom(1),
      deliver: () => undefined,
    });
    expect(() => refusing.open({ peerAddress: '192.0.2.2', localAddress: '192.0.2.77', multihop: false })).toThrow(/^bfd transport: cannot bind a source port on 192\.0\.2\.77: Error: bind: EADDRNOTAVAIL/);
    expect(calls).toBe(2); // the listener, one source port
    expect(refusing.counters.listeners).toBe(0);
  });
});

describe('addresses', () => {
  test.each<[string, { peerAddress: string; localAddress?: string }, RegExp]>([
    ['peer no address', { peerAddress: 'router1' }, /^bfd config: peerAddress must be an IPv4 or IPv6 address, got router1/],
    ['local no address', { peerAddress: '192.0.2.2', localAddress: '192.0.2.300' }, /localAddress must be an IPv4 or IPv6 address/],
    ['families differ', { peerAddress: '192.0.2.2', localAddress: '2001:db8::1' }, /localAddress 2001:db8::1 is not of the peer 192\.0\.2\.2's family \(IPv4\)/],
  ])('%s', (_name, spec, message) => {
    const { transport } = setup();
    expect(() => transport.open({ ...spec, multihop: false })).toThrow(BfdConfigError);
    expect(() => transport.open({ ...spec, multihop: false })).toThrow(message);
  });
});

describe('datagrams', () => {
  test('sent to the peer on 3784 / 4784 from the session port with TTL 255; received ones reach deliver with TTL, source and ports', () => {
    const { clock, net, transport, delivered } = setup();
    const single = transport.open({ peerAddress: '192.0.2.2', localAddress: '192.0.2.1', multihop: false });
    const multi = transport.open({ peerAddress: '2001:db8::9', multihop: true });
    expect(single.send(Uint8Array.of(1, 2, 3))).toBe(true);
    expect(multi.send(Uint8Array.of(4))).toBe(true);
    expect(net.sent.map((d) => [d.from, d.fromPort, d.to, d.toPort, d.ttl])).toEqual([
      ['192.0.2.1', single.sourcePort, '192.0.2.2', BFD_SINGLE_HOP_PORT, 255],
      ['2001:db8::100', multi.sourcePort, '2001:db8::9', BFD_MULTIHOP_PORT, 255],
    ]);
    clock.advance(10); // the memory network hands wildcard listeners every address: our own sends came back
    delivered.length = 0;
    const before = transport.counters.datagramsIn;
    net.inject({ from: '192.0.2.2', fromPort: 50000, to: '192.0.2.1', toPort: BFD_SINGLE_HOP_PORT, ttl: 64, data: Uint8Array.of(9) });
    net.inject({ from: '2001:db8::9', fromPort: 50001, to: '2001:db8::1', toPort: BFD_MULTIHOP_PORT, ttl: 253, data: Uint8Array.of(8) });
    net.inject({ from: '192.0.2.2', fromPort: 50000, to: '192.0.2.1', toPort: single.sourcePort, ttl: 255, data: Uint8Array.of(7) });
    clock.advance(10);
    expect(delivered).toEqual([
      { data: [9], meta: { ttl: 64, sourceAddress: '192.0.2.2', sourcePort: 50000, destinationPort: BFD_SINGLE_HOP_PORT, localAddress: '192.0.2.1' } },
      { data: [8], meta: { ttl: 253, sourceAddress: '2001:db8::9', sourcePort: 50001, destinationPort: BFD_MULTIHOP_PORT, localAddress: '2001:db8::1' } },
    ]);
    expect(transport.counters).toMatchObject({ datagramsIn: before + 2, datagramsOut: 2, stray: 1 });
  });

  test('a datagram whose TTL the system did not report gets TTL 0, which no rule accepts', () => {
    const delivered: BfdReceiveMeta[] = [];
    let listener: BfdSocketOptions | undefined;
    const transport = new BfdTransport({
      sockets: (o) => {
        if (o.port === BFD_SINGLE_HOP_PORT) listener = o;
        return { send: () => true, close: () => undefined };
      },
      random: seededRandom(1),
      deliver: (_data, meta) => delivered.push(meta),
    });
    transport.open({ peerAddress: '192.0.2.2', multihop: false });
    listener?.onDatagram({ data: new Uint8Array(24), sourceAddress: '192.0.2.2', sourcePort: 50000, ttl: undefined, localAddress: undefined });
    expect(delivered).toEqual([{ ttl: 0, sourceAddress: '192.0.2.2', sourcePort: 50000, destinationPort: BFD_SINGLE_HOP_PORT }]);
  });

  test('refused sends are counted every time and logged when they start failing or fail differently', () => {
    const { net, transport, logs } = setup();
    const e = transport.open({ peerAddress: '192.0.2.2', localAddress: '192.0.2.1', multihop: false });
    net.unreachable.set('192.0.2.2', Object.assign(new Error('sendto: ENETUNREACH'), { code: 'ENETUNREACH' }));
    expect([e.send(Uint8Array.of(1)), e.send(Uint8Array.of(1)), e.send(Uint8Array.of(1))]).toEqual([false, false, false]);
    net.unreachable.delete('192.0.2.2');
    expect(e.send(Uint8Array.of(1))).toBe(true);
    expect(transport.counters).toMatchObject({ sendErrors: 3, datagramsOut: 1 });
    expect(logs).toEqual([
      expect.stringMatching(/^warn bfd transport: sending to 192\.0\.2\.2 port 3784 from 192\.0\.2\.1 port \d+ failed: Error: sendto: ENETUNREACH/),
      'debug bfd transport: sending to 192.0.2.2 works again',
    ]);
  });

  test('close shuts every socket; a closed transport opens nothing and closed endpoints send nothing', () => {
    const { net, transport } = setup();
    const e = transport.open({ peerAddress: '192.0.2.2', multihop: false });
    transport.close();
    expect(net.bound.size).toBe(0);
    expect(e.send(Uint8Array.of(1))).toBe(false);
    expect(() => transport.open({ peerAddress: '192.0.2.2', multihop: false })).toThrow(/^bfd transport: closed/);
  });
});
