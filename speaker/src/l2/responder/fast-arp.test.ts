// The native ARP fast path against the TS answer (answer.ts), by fast-check: for valid requests and
// every kind of damage (bytes, lengths, MACs, IPs, opcode, VLAN tags) C replies only when TS would,
// and then with exactly TS's bytes. The responder counts a fast-answered frame once, answers it once.

import fc from 'fast-check';
import { arpFastReply, isSupported, PacketSocket } from '@headland/native';
import { KERNEL_ARP_REPLY, KERNEL_ARP_REQUEST, KERNEL_NS, patched } from '../wire/fixtures.js';
import { encodeArpFrame } from '../wire/frame.js';
import { answerFrame, type Ownership } from './answer.js';
import { PacketResponder } from './responder.js';
import { ManualClock, MemoryPort } from './testing.js';

const supported = isSupported() ? describe : describe.skip;
const MAC = '02:00:00:00:0b:01';
const IPV4 = ['198.18.250.1', '203.0.113.10', '203.0.113.11'];
const owner: Ownership = { mac: MAC, ipv4: new Set(IPV4), ipv6: new Set(['2001:db8:250::1']) };
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

const request = (tpa: string) =>
  encodeArpFrame(
    { destination: 'ff:ff:ff:ff:ff:ff', source: '02:00:00:00:0a:01' },
    { operation: 1, senderMac: '02:00:00:00:0a:01', senderIp: '198.18.250.2', targetMac: '00:00:00:00:00:00', targetIp: tpa },
  );

const macBytes = (mac: string): number[] => mac.split(':').map((h) => parseInt(h, 16));
const ipBytes = (ip: string): number[] => ip.split('.').map(Number);

/** MACs and IPs where the rules change: ours, group, zero, owned, unowned. */
const anyMac = fc.oneof(
  fc.constantFrom(MAC, 'ff:ff:ff:ff:ff:ff', '00:00:00:00:00:00', '02:00:00:00:0a:01', '01:00:5e:00:00:01', '33:33:00:00:00:01').map(macBytes),
  fc.uint8Array({ minLength: 6, maxLength: 6 }).map((b) => [...b]),
);
const anyIp = fc.oneof(
  fc.constantFrom(...IPV4, '0.0.0.0', '198.18.250.2', '203.0.113.12', '255.255.255.255').map(ipBytes),
  fc.uint8Array({ minLength: 4, maxLength: 4 }).map((b) => [...b]),
);

type Mutation = (f: Uint8Array) => Uint8Array;
const set =
  (at: number, bytes: number[]): Mutation =>
  (f) => {
    const out = Uint8Array.from(f);
    if (at < out.length) out.set(bytes.slice(0, out.length - at), at);
    return out;
  };
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.tuple(fc.nat(70), fc.integer({ min: 0, max: 255 })).map(([at, v]) => set(at, [v])),
  fc.nat(70).map((n): Mutation => (f) => f.subarray(0, n)),
  fc.uint8Array({ maxLength: 20 }).map((extra): Mutation => (f) => Uint8Array.from([...f, ...extra])),
  anyMac.map((m) => set(0, m)),
  anyMac.map((m) => set(6, m)),
  anyMac.map((m) => set(22, m)),
  anyMac.map((m) => set(32, m)),
  anyIp.map((ip) => set(28, ip)),
  anyIp.map((ip) => set(38, ip)),
  fc.integer({ min: 0, max: 0xffff }).map((op) => set(20, [op >> 8, op & 0xff])),
  fc.constantFrom([0x08, 0x06], [0x08, 0x00], [0x86, 0xdd], [0x81, 0x00]).map((t) => set(12, [...t])),
  fc.tuple(fc.constantFrom(0x8100, 0x88a8), fc.integer({ min: 0, max: 0xffff })).map(
    ([tpid, tci]): Mutation =>
      (f) =>
        Uint8Array.from([...f.subarray(0, 12), tpid >> 8, tpid & 0xff, tci >> 8, tci & 0xff, ...f.subarray(12)]),
  ),
);
const base = fc.constantFrom(KERNEL_ARP_REQUEST, request('203.0.113.10'), request('203.0.113.11'), request('203.0.113.99'), KERNEL_ARP_REPLY, KERNEL_NS);
const frames = fc.tuple(base, fc.array(mutation, { maxLength: 4 })).map(([f, ms]) => ms.reduce((acc, m) => m(acc), f));

supported('the native ARP fast path', () => {
  test('replies only where TS replies, with the same bytes (fixtures and their mutations)', () => {
    let answered = 0;
    fc.assert(
      fc.property(frames, (frame) => {
        const fast = arpFastReply(frame, MAC, IPV4);
        const slow = answerFrame(frame, owner);
        if (fast === null) return;
        answered++;
        expect('reply' in slow && hex(slow.reply)).toBe(hex(fast));
      }),
      { numRuns: 5000 },
    );
    // The property says nothing if C never answers: many of the frames are still good requests.
    expect(answered).toBeGreaterThan(100);
  });

  test.each([
    ['the kernel request for 198.18.250.1', KERNEL_ARP_REQUEST],
    ['a request for a service IP', request('203.0.113.10')],
    ['a request to our MAC', patched(request('203.0.113.11'), { 0: 2, 1: 0, 2: 0, 3: 0, 4: 0x0b, 5: 1 })],
  ])('answers %s exactly as TS does', (_name, frame) => {
    const slow = answerFrame(frame, owner);
    expect(hex(arpFastReply(frame, MAC, IPV4) ?? new Uint8Array())).toBe('reply' in slow ? hex(slow.reply) : 'TS does not answer');
  });
});

supported('PacketResponder with a fast-path port', () => {
  function setup() {
    const ports: MemoryPort[] = [];
    const responder = new PacketResponder({
      open: (_iface, onFrame) => {
        const port = new MemoryPort(MAC, onFrame);
        ports.push(port);
        return port;
      },
      schedule: new ManualClock().schedule,
      announceCount: 0,
      warmUpIterations: 1,
    });
    return { responder, port: () => ports[0]! };
  }

  test('a fast-answered request is counted once and answered once', () => {
    const { responder, port } = setup();
    responder.own('eth0', '203.0.113.10');
    responder.own('eth0', '2001:db8:251::10');
    expect(port().fastArp).toEqual(['203.0.113.10']);
    port().deliver(request('203.0.113.10'));
    expect(port().fastAnswered).toBe(1);
    const slow = answerFrame(request('203.0.113.10'), { ...owner, ipv4: new Set(['203.0.113.10']) });
    expect(port().sent.map(hex)).toEqual(['reply' in slow ? hex(slow.reply) : 'TS does not answer']);
    expect(responder.counters()).toMatchObject({ received: { arp: 1, ndp: 0 }, replies: { arp: 1, ndp: 0 }, sendFailures: 0 });
  });

  test('in a batch the table is handed over once, at the end, with every change in it', () => {
    const { responder, port } = setup();
    responder.own('eth0', '203.0.113.1');
    let handed = 0;
    const set = port().setFastArp.bind(port());
    port().setFastArp = (ipv4) => {
      handed++;
      set(ipv4);
    };
    responder.batch(() => {
      for (let i = 2; i <= 50; i++) responder.own('eth0', `203.0.113.${i}`);
      responder.disown('eth0', '203.0.113.1');
    });
    expect(handed).toBe(1);
    expect(port().fastArp).toHaveLength(49);
    expect(port().fastArp).not.toContain('203.0.113.1');
  });

  test('the table follows own and disown, so a given-up IP is not answered by the port', () => {
    const { responder, port } = setup();
    responder.own('eth0', '203.0.113.10');
    responder.own('eth0', '203.0.113.11');
    expect(port().fastArp).toEqual(['203.0.113.10', '203.0.113.11']);
    responder.disown('eth0', '203.0.113.10');
    expect(port().fastArp).toEqual(['203.0.113.11']);
    port().deliver(request('203.0.113.10'));
    expect(port().sent).toEqual([]);
    expect(responder.counters().dropped['not-owned']).toBe(1);
  });

  test('when the fast send fails (queue full) JS answers, and counts the failure, as before', () => {
    const { responder, port } = setup();
    responder.own('eth0', '203.0.113.10');
    port().full = true;
    port().deliver(request('203.0.113.10'));
    expect(port().fastAnswered).toBe(0);
    expect(responder.counters()).toMatchObject({ received: { arp: 1 }, replies: { arp: 0 }, sendFailures: 1 });
    port().full = false;
    port().deliver(request('203.0.113.10'));
    expect(port().fastAnswered).toBe(1);
    expect(responder.counters()).toMatchObject({ received: { arp: 2 }, replies: { arp: 1 }, sendFailures: 1 });
  });
});

const root = process.platform === 'linux' && process.getuid?.() === 0 && isSupported() ? describe : describe.skip;

root('PacketResponder on a real packet socket (lo)', () => {
  test('a request is answered once (by C) and counted once', async () => {
    const responder = new PacketResponder({ announceCount: 0, warmUpIterations: 1 });
    const seen: Buffer[] = [];
    const asker = PacketSocket.open({ interface: 'lo', protocols: ['arp'], onFrame: (f) => seen.push(Buffer.from(f)) });
    try {
      responder.own('lo', '198.18.0.2');
      // lo's MAC is all zeros: the reply comes from 00:00:00:00:00:00.
      const ask = encodeArpFrame(
        { destination: 'ff:ff:ff:ff:ff:ff', source: '02:00:00:00:00:01' },
        { operation: 1, senderMac: '02:00:00:00:00:01', senderIp: '198.18.0.1', targetMac: '00:00:00:00:00:00', targetIp: '198.18.0.2' },
      );
      const reply = Buffer.from(arpFastReply(ask, '00:00:00:00:00:00', ['198.18.0.2'])!);
      expect(asker.send(ask)).toBe(true);
      for (let i = 0; i < 200 && !seen.some((f) => f.equals(reply)); i++) await new Promise((r) => setTimeout(r, 5));
      // Anything late (a second reply from JS) would arrive within this.
      await new Promise((r) => setTimeout(r, 50));
      expect(seen.filter((f) => f.equals(reply))).toHaveLength(1);
      // The request, and our reply looping back in on lo (a reply: dropped as opcode).
      expect(responder.counters()).toMatchObject({ received: { arp: 2 }, replies: { arp: 1 }, sendFailures: 0 });
      expect(responder.counters().dropped.opcode).toBe(1);
    } finally {
      asker.close();
      responder.close();
    }
  });
});
