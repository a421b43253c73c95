// PacketResponder over in-memory ports (the packet socket's contract; the real sockets are exercised
// by e2e/suites/l2-responder) and a hand-driven clock: what is answered, announced, joined, counted.

import { KERNEL_ARP_REQUEST, patched } from '../wire/fixtures.js';
import { decodeFrame, encodeArpFrame, encodeNdpFrame } from '../wire/frame.js';
import { PacketResponder, type OpenPort } from './responder.js';
import { ManualClock, MemoryPort } from './testing.js';

function setup(options: { refreshIntervalMs?: number } = {}) {
  const ports = new Map<string, MemoryPort>();
  const opened: string[] = [];
  const open: OpenPort = (iface, onFrame) => {
    opened.push(iface);
    const port = new MemoryPort(iface === 'eth0' ? '02:00:00:00:0b:01' : '02:00:00:00:0c:01', onFrame);
    ports.set(iface, port);
    return port;
  };
  const clock = new ManualClock();
  const errors: unknown[] = [];
  const responder = new PacketResponder({ open, schedule: clock.schedule, onError: (e) => errors.push(e), warmUpIterations: 10, ...options });
  return { responder, ports, opened, clock, errors, port: (name: string) => ports.get(name)! };
}

const request = (tpa: string) =>
  encodeArpFrame(
    { destination: 'ff:ff:ff:ff:ff:ff', source: '02:00:00:00:0a:01' },
    { operation: 1, senderMac: '02:00:00:00:0a:01', senderIp: '198.18.250.2', targetMac: '00:00:00:00:00:00', targetIp: tpa },
  );
const solicitation = (target: string) =>
  encodeNdpFrame({ destination: '33:33:ff:00:00:10', source: '02:00:00:00:0a:01' }, '2001:db8:250::2', 'ff02::1:ff00:10', { type: 'solicitation', target, sourceLinkLayer: '02:00:00:00:0a:01' });

const kinds = (frames: Uint8Array[]) =>
  frames.map((f) => {
    const d = decodeFrame(f);
    return d.kind === 'arp' ? `arp op${d.arp.operation} ${d.arp.senderIp}` : `ndp ${d.message.type} ${d.message.target} ${d.ip.destination}`;
  });

test('taking an IPv4 address sends 3 gratuitous ARPs 500 ms apart, then answers requests for it', () => {
  const { responder, port, clock } = setup();
  responder.own('eth0', '203.0.113.10');
  expect(kinds(port('eth0').sent)).toEqual(['arp op1 203.0.113.10']);
  clock.advance(499);
  expect(port('eth0').sent).toHaveLength(1);
  clock.advance(1);
  clock.advance(500);
  clock.advance(5000);
  expect(kinds(port('eth0').sent)).toEqual(['arp op1 203.0.113.10', 'arp op1 203.0.113.10', 'arp op1 203.0.113.10']);
  port('eth0').deliver(request('203.0.113.10'));
  expect(kinds(port('eth0').sent.slice(3))).toEqual(['arp op2 203.0.113.10']);
  expect(responder.counters()).toMatchObject({ received: { arp: 1, ndp: 0 }, replies: { arp: 1, ndp: 0 }, gratuitous: { arp: 3, ndp: 0 } });
});

test('taking an IPv6 address joins its solicited-node group, sends unsolicited NAs, answers NS', () => {
  const { responder, port, clock } = setup();
  responder.own('eth0', '2001:DB8:251:0::10');
  expect([...port('eth0').groups]).toEqual(['33:33:ff:00:00:10']);
  clock.advance(1000);
  expect(kinds(port('eth0').sent)).toEqual(Array(3).fill('ndp advertisement 2001:db8:251::10 ff02::1'));
  port('eth0').deliver(solicitation('2001:db8:251::10'));
  expect(kinds(port('eth0').sent.slice(3))).toEqual(['ndp advertisement 2001:db8:251::10 2001:db8:250::2']);
  expect(responder.owned()).toEqual([{ interface: 'eth0', ip: '2001:db8:251::10' }]);
});

test('a solicited-node group shared by two addresses is left only when both are given up', () => {
  const { responder, port } = setup();
  responder.own('eth0', '2001:db8:251::10');
  responder.own('eth0', '2001:db8:252::10');
  responder.own('eth0', '203.0.113.10');
  responder.disown('eth0', '2001:db8:251::10');
  expect([...port('eth0').groups]).toEqual(['33:33:ff:00:00:10']);
  responder.disown('eth0', '2001:db8:252::10');
  expect([...port('eth0').groups]).toEqual([]);
  expect(port('eth0').closed).toBe(false);
});

test('giving an IP up stops answers and pending announcements; the last one closes the socket', () => {
  const { responder, port, clock, opened } = setup();
  responder.own('eth0', '203.0.113.10');
  responder.disown('eth0', '203.0.113.10');
  clock.advance(2000);
  expect(port('eth0').sent).toHaveLength(1);
  expect(port('eth0').closed).toBe(true);
  responder.own('eth0', '203.0.113.11');
  expect(opened).toEqual(['eth0', 'eth0']);
  port('eth0').deliver(request('203.0.113.10'));
  expect(responder.counters().dropped['not-owned']).toBe(1);
});

test('interfaces answer only for their own IPs, each with its own MAC', () => {
  const { responder, port } = setup();
  responder.own('eth0', '203.0.113.10');
  responder.own('eth1', '203.0.113.20');
  port('eth0').deliver(request('203.0.113.20'));
  port('eth1').deliver(request('203.0.113.20'));
  expect(port('eth0').sent.map((f) => decodeFrame(f)).filter((d) => d.kind === 'arp' && d.arp.operation === 2)).toEqual([]);
  const reply = decodeFrame(port('eth1').sent.at(-1)!);
  expect(reply.kind === 'arp' && reply.arp.senderMac).toBe('02:00:00:00:0c:01');
});

test('owning an IP twice announces once; disowning what is not owned is a no-op', () => {
  const { responder, port } = setup();
  responder.own('eth0', '203.0.113.10');
  responder.own('eth0', '203.0.113.10');
  responder.disown('eth0', '203.0.113.99');
  responder.disown('eth9', '203.0.113.10');
  expect(port('eth0').sent).toHaveLength(1);
});

test('periodic refresh re-announces every owned IP once per interval', () => {
  const { responder, port, clock } = setup({ refreshIntervalMs: 10_000 });
  responder.own('eth0', '203.0.113.10');
  responder.own('eth0', '2001:db8:251::10');
  clock.advance(1000);
  expect(port('eth0').sent).toHaveLength(6);
  clock.advance(9000);
  expect(port('eth0').sent).toHaveLength(8);
  clock.advance(20_000);
  expect(port('eth0').sent).toHaveLength(12);
  responder.close();
  clock.advance(20_000);
  expect(port('eth0').sent).toHaveLength(12);
});

test('bad frames are counted by reason and never thrown; the responder keeps answering', () => {
  const { responder, port, errors } = setup();
  responder.own('eth0', '203.0.113.10');
  for (const f of [new Uint8Array(3), patched(KERNEL_ARP_REQUEST, { 15: 9 }), request('203.0.113.99'), patched(solicitation('2001:db8:251::10'), { 21: 1 })]) port('eth0').deliver(f);
  port('eth0').deliver(request('203.0.113.10'));
  const c = responder.counters();
  expect(c.dropped).toMatchObject({ truncated: 1, 'hardware-type': 1, 'not-owned': 1, 'hop-limit': 1 });
  expect(Object.values(c.dropped).reduce((a, b) => a + b)).toBe(4);
  expect(c.received).toEqual({ arp: 3, ndp: 2 });
  expect(c.replies.arp).toBe(1);
  expect(errors).toEqual([]);
});

test('a full send queue is counted as a send failure, not a reply', () => {
  const { responder, port } = setup();
  responder.own('eth0', '203.0.113.10');
  port('eth0').full = true;
  port('eth0').drops = 7;
  port('eth0').deliver(request('203.0.113.10'));
  expect(responder.counters()).toMatchObject({ replies: { arp: 0 }, sendFailures: 1, kernelDrops: 7 });
});

test('close shuts every socket and refuses new IPs; bad IPs are typed errors', () => {
  const { responder, port } = setup();
  responder.own('eth0', '203.0.113.10');
  responder.own('eth1', '203.0.113.20');
  expect(() => responder.own('eth0', '203.0.113.300')).toThrow(/^l2\/responder: "203.0.113.300" is not an IP address/);
  responder.close();
  expect([port('eth0').closed, port('eth1').closed]).toEqual([true, true]);
  expect(() => responder.own('eth0', '203.0.113.10')).toThrow(/^l2\/responder: the responder is closed/);
  expect(() => new PacketResponder({ announceCount: -1 })).toThrow(/announceCount -1 is not a whole number/);
});
