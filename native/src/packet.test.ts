// Against the real kernel on the loopback interface (root only: AF_PACKET needs CAP_NET_RAW): the
// kernel filter lets ARP and Neighbor Solicitations through and nothing else, frames arrive byte
// for byte (the IPv6 hop limit included), membership, statistics, close. Frames carry lab addresses.

import { readFileSync } from 'node:fs';
import { isSupported } from './binding.js';
import { NativeArgumentError, NativeSyscallError } from './errors.js';
import { interfaceInfo, PacketSocket, type PacketType } from './packet.js';

const root = process.platform === 'linux' && process.getuid?.() === 0 && isSupported() ? describe : describe.skip;

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+|#[^\n]*/g, ''), 'hex');

// ARP request, who has 198.18.0.2 tell 198.18.0.1.
const ARP = hex(`
  ffffffffffff 020000000001 0806   # Ethernet: broadcast, from 02:00:00:00:00:01, ARP
  0001 0800 06 04 0001             # Ethernet/IPv4, lengths 6/4, request
  020000000001 c6120001            # sender 02:00:00:00:00:01 198.18.0.1
  000000000000 c6120002            # target ? 198.18.0.2
`);
// Neighbor Solicitation for 2001:db8::10 (checksum deliberately zero: the kernel must drop it, we only look).
const NS = hex(`
  3333ff000010 020000000001 86dd                     # Ethernet: solicited-node MAC, IPv6
  60000000 0020 3a ff                                # version 6, payload 32, ICMPv6, hop limit 255
  20010db8000000000000000000000001                   # source 2001:db8::1
  ff0200000000000000000001ff000010                   # destination ff02::1:ff00:10
  87 00 0000 00000000                                # NS, code 0, checksum 0, reserved
  20010db8000000000000000000000010                   # target 2001:db8::10
  01 01 020000000001                                 # source link-layer address option
`);
// Same NS with hop limit 64: still delivered (the responder, not the filter, judges the hop limit).
const NS_HOP_64 = Buffer.from(NS);
NS_HOP_64[21] = 64;
// IPv6 ICMPv6 echo request to 2001:db8::10 (type 128): the filter must drop it.
const ECHO = Buffer.from(NS);
ECHO[54] = 128;
// A local experimental EtherType (IEEE 802 0x88b5): no kernel handler, the filter must drop it.
const EXPERIMENTAL = hex('ffffffffffff 020000000001 88b5 00000000000000000000000000000000000000000000000000000000000000000000');

const sockets: PacketSocket[] = [];
afterEach(() => {
  for (const s of sockets.splice(0)) s.close();
});

/** Opens a socket on lo that collects what it receives. */
function listen(protocols: Array<'arp' | 'ndp'>): { socket: PacketSocket; frames: Array<[Buffer, PacketType]> } {
  const frames: Array<[Buffer, PacketType]> = [];
  const socket = PacketSocket.open({ interface: 'lo', protocols, onFrame: (f, t) => frames.push([Buffer.from(f), t]) });
  sockets.push(socket);
  return { socket, frames };
}

/** Sends the frames, then a last ARP marker, and waits until the marker is back: everything before it has been delivered or filtered. */
async function sendThenMarker(via: PacketSocket, seenBy: Array<[Buffer, PacketType]>, frames: Buffer[]): Promise<void> {
  const marker = Buffer.from(ARP);
  marker[41] = 0xfe; // target 198.18.0.254
  for (const f of frames) expect(via.send(f)).toBe(true);
  expect(via.send(marker)).toBe(true);
  for (let i = 0; i < 200 && !seenBy.some(([f]) => f.equals(marker)); i++) await new Promise((r) => setTimeout(r, 5));
  expect(seenBy.some(([f]) => f.equals(marker))).toBe(true);
  seenBy.splice(seenBy.findIndex(([f]) => f.equals(marker)), 1);
}

root('AF_PACKET sockets on loopback', () => {
  test('interfaceInfo reads lo', () => {
    const lo = interfaceInfo('lo');
    expect(lo).toMatchObject({ name: 'lo', index: 1, kind: 'loopback', mac: '00:00:00:00:00:00', up: true });
    expect(lo.mtu).toBeGreaterThanOrEqual(1500);
  });

  test('interfaceInfo of a missing interface is a NativeSyscallError (ENODEV)', () => {
    expect(() => interfaceInfo('hl-l2r-nothere')).toThrow(NativeSyscallError);
    expect(() => interfaceInfo('hl-l2r-nothere')).toThrow(/^native\/packet: ioctl SIOCGIFINDEX .*\(ENODEV\)/);
  });

  test('ARP and NS pass the kernel filter byte for byte; echo requests and other EtherTypes do not', async () => {
    const both = listen(['arp', 'ndp']);
    await sendThenMarker(both.socket, both.frames, [EXPERIMENTAL, ECHO, ARP, NS, NS_HOP_64]);
    expect(both.frames.map(([f]) => f.toString('hex'))).toEqual([ARP, NS, NS_HOP_64].map((f) => f.toString('hex')));
    expect(both.frames[2]![0][21]).toBe(64);
    // lo's broadcast address is all zeros, so the kernel files ff:ff:ff:ff:ff:ff under multicast there.
    expect(both.frames.map(([, t]) => t)).toEqual(['multicast', 'multicast', 'multicast']);
  });

  test('an ARP-only socket never sees a Neighbor Solicitation, an NDP-only one never sees ARP', async () => {
    const arp = listen(['arp']);
    const ndp = listen(['ndp']);
    await sendThenMarker(arp.socket, arp.frames, [NS, ARP]);
    // The NDP socket saw the same traffic; give it the marker's time as well.
    expect(arp.frames.map(([f]) => f.toString('hex'))).toEqual([ARP.toString('hex')]);
    expect(ndp.frames.map(([f]) => f.toString('hex'))).toEqual([NS.toString('hex')]);
  });

  test('statistics count what the filter accepted', async () => {
    const s = listen(['arp']);
    await sendThenMarker(s.socket, s.frames, [ARP, ARP, EXPERIMENTAL]);
    expect(s.socket.stats()).toEqual({ received: 3, dropped: 0 });
    expect(s.socket.stats()).toEqual({ received: 3, dropped: 0 });
  });

  test('joining puts the group on the interface (/proc/net/dev_mcast); leaving and closing take it off', () => {
    const groups = (): string[] => readFileSync('/proc/net/dev_mcast', 'utf8').split('\n').filter((l) => /^\d+\s+lo\s/.test(l)).map((l) => l.trim().split(/\s+/)[4]!);
    const s = listen(['ndp']);
    s.socket.joinMulticast('33:33:ff:00:00:10');
    s.socket.joinMulticast(Uint8Array.of(0x33, 0x33, 0xff, 0, 0, 0x11));
    expect(groups()).toEqual(expect.arrayContaining(['3333ff000010', '3333ff000011']));
    s.socket.leaveMulticast('33:33:ff:00:00:10');
    expect(groups()).not.toContain('3333ff000010');
    s.socket.close();
    expect(groups()).not.toContain('3333ff000011');
  });

  test('an exception in onFrame goes to onError and the socket keeps receiving', async () => {
    const errors: unknown[] = [];
    let calls = 0;
    const socket = PacketSocket.open({
      interface: 'lo',
      protocols: ['arp'],
      onFrame: () => {
        calls++;
        throw new Error('handler failed');
      },
      onError: (e) => errors.push(e),
    });
    sockets.push(socket);
    socket.send(ARP);
    socket.send(ARP);
    for (let i = 0; i < 200 && calls < 2; i++) await new Promise((r) => setTimeout(r, 5));
    expect(calls).toBe(2);
    expect(errors.map(String)).toEqual(['Error: handler failed', 'Error: handler failed']);
  });

  test('after close nothing arrives, send refuses, and closing again is fine', async () => {
    const closed = listen(['arp']);
    const other = listen(['arp']);
    closed.socket.close();
    closed.socket.close();
    expect(closed.socket.closed).toBe(true);
    await sendThenMarker(other.socket, other.frames, [ARP]);
    expect(closed.frames).toEqual([]);
    expect(() => closed.socket.send(ARP)).toThrow(/^native\/packet: cannot send: the socket on lo is closed/);
    expect(() => closed.socket.stats()).toThrow(NativeArgumentError);
  });

  test('with setFastArp the reply leaves from C: delivered as answered, sent once; off again, JS gets it unanswered', async () => {
    const seen: Array<[Buffer, boolean]> = [];
    const answering = PacketSocket.open({ interface: 'lo', protocols: ['arp'], onFrame: (f, _t, answered) => seen.push([Buffer.from(f), answered]) });
    sockets.push(answering);
    const asker = listen(['arp']);
    answering.setFastArp(['198.18.0.9', '198.18.0.2']);
    // lo's MAC is all zeros: the reply comes from 00:00:00:00:00:00, to the asker, for 198.18.0.2.
    const reply = hex(`
      020000000001 000000000000 0806 0001 0800 06 04 0002
      000000000000 c6120002 020000000001 c6120001
      000000000000000000000000000000000000`);
    const replies = () => asker.frames.filter(([f]) => f.equals(reply)).length;
    await sendThenMarker(asker.socket, asker.frames, [ARP]);
    for (let i = 0; i < 200 && replies() === 0; i++) await new Promise((r) => setTimeout(r, 5));
    expect(replies()).toBe(1);
    expect(seen.filter(([f]) => f.equals(ARP)).map(([, answered]) => answered)).toEqual([true]);
    // The reply loops back in on lo: a reply is never answered, so it arrives unanswered.
    expect(seen.some(([f, answered]) => f.equals(reply) && !answered)).toBe(true);

    answering.setFastArp([]);
    seen.length = 0;
    asker.frames.length = 0;
    await sendThenMarker(asker.socket, asker.frames, [ARP]);
    for (let i = 0; i < 200 && !seen.some(([f]) => f.equals(ARP)); i++) await new Promise((r) => setTimeout(r, 5));
    expect(seen.filter(([f]) => f.equals(ARP)).map(([, answered]) => answered)).toEqual([false]);
    expect(replies()).toBe(0);
    expect(() => answering.setFastArp(['198.18.0.300'])).toThrow(/^native\/packet: ipv4 address "198.18.0.300"/);
    answering.close();
    expect(() => answering.setFastArp([])).toThrow(/cannot set the ARP fast path: the socket on lo is closed/);
  });

  test('bad options are refused before any socket is made', () => {
    expect(() => PacketSocket.open({ interface: 'lo', protocols: [], onFrame: () => undefined })).toThrow(/protocols must be a non-empty list/);
    expect(() => PacketSocket.open({ interface: 'lo', protocols: ['arp'], onFrame: 1 as never })).toThrow(/onFrame must be a function/);
    expect(() => PacketSocket.open({ interface: 'hl-l2r-nothere', protocols: ['arp'], onFrame: () => undefined })).toThrow(/ENODEV/);
  });
});
