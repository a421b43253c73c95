// The L2 mode port over PacketResponder: exactly the answers given, on the interfaces given or
// the default ones, re-announcements for IPs won again, counters summed, stop closes all.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeFrame } from '../wire/frame.js';
import { answerableInterfaces, PacketResponderPort } from './port.js';
import { ManualClock, MemoryPort } from './testing.js';

function setup() {
  const missing = new Set<string>();
  const ports = new Map<string, MemoryPort>();
  const clock = new ManualClock();
  const responder = new PacketResponderPort({
    open: (iface, onFrame) => {
      if (missing.has(iface)) throw new Error(`native/packet: ioctl SIOCGIFINDEX on fd -1 failed: No such device (ENODEV)`);
      const p = new MemoryPort('02:00:00:00:0b:01', onFrame);
      ports.set(iface, p);
      return p;
    },
    schedule: clock.schedule,
    announceCount: 1,
    warmUpIterations: 0,
    defaultInterfaces: () => ['eth0', 'eth1'],
  });
  const announced = (iface: string) => ports.get(iface)!.sent.map((f) => decodeFrame(f)).map((d) => (d.kind === 'arp' ? d.arp.senderIp : d.message.target));
  return { responder, ports, announced, missing };
}

test('answers land on the named interfaces, or on every default one', () => {
  const { responder, ports, announced } = setup();
  responder.setAnswers(
    [
      { ip: '203.0.113.10', family: 4, interfaces: ['eth1'] },
      { ip: '2001:DB8:251::10', family: 6, interfaces: undefined },
    ],
    ['203.0.113.10', '2001:db8:251::10'],
  );
  expect(announced('eth0')).toEqual(['2001:db8:251::10']);
  expect(announced('eth1')).toEqual(['203.0.113.10', '2001:db8:251::10']);
  expect([...ports.get('eth0')!.groups]).toEqual(['33:33:ff:00:00:10']);
});

test('a new set replaces the old: dropped IPs stop, kept ones are not re-announced unless named', () => {
  const { responder, ports, announced } = setup();
  responder.setAnswers([{ ip: '203.0.113.10', family: 4, interfaces: ['eth0'] }, { ip: '203.0.113.11', family: 4, interfaces: ['eth0'] }], []);
  responder.setAnswers([{ ip: '203.0.113.11', family: 4, interfaces: ['eth0'] }], []);
  expect(announced('eth0')).toEqual(['203.0.113.10', '203.0.113.11']);
  responder.setAnswers([{ ip: '203.0.113.11', family: 4, interfaces: ['eth0'] }], ['203.0.113.11']);
  expect(announced('eth0')).toEqual(['203.0.113.10', '203.0.113.11', '203.0.113.11']);
  responder.setAnswers([], []);
  expect(ports.get('eth0')!.closed).toBe(true);
});

test('an interface that cannot open fails loudly, the rest still answers, and the next call retries it', () => {
  const { responder, ports, announced, missing } = setup();
  missing.add('eth9');
  const answers = [
    { ip: '203.0.113.10', family: 4 as const, interfaces: ['eth0'] },
    { ip: '203.0.113.11', family: 4 as const, interfaces: ['eth9'] },
  ];
  expect(() => responder.setAnswers(answers, [])).toThrow(/^native\/packet: ioctl SIOCGIFINDEX .*ENODEV/);
  expect(announced('eth0')).toEqual(['203.0.113.10']);
  missing.clear();
  responder.setAnswers(answers, []);
  expect(announced('eth0')).toEqual(['203.0.113.10']);
  expect(announced('eth9')).toEqual(['203.0.113.11']);
  expect(ports.size).toBe(2);
});

test('counters are summed over ARP and NDP; stop closes every socket', async () => {
  const { responder, ports } = setup();
  responder.setAnswers([{ ip: '203.0.113.10', family: 4, interfaces: ['eth0'] }], []);
  ports.get('eth0')!.deliver(new Uint8Array(5));
  expect(responder.counters()).toMatchObject({ requestsReceived: 1, repliesSent: 0, gratuitousSent: 1 });
  expect(responder.counters().dropped['truncated']).toBe(1);
  await responder.stop();
  expect(ports.get('eth0')!.closed).toBe(true);
});

test('default interfaces: up Ethernet ones, not loopback, CNI or container links', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hl-l2r-sys-'));
  try {
    const iface = (name: string, type: string, state: string) => {
      mkdirSync(join(dir, name));
      writeFileSync(join(dir, name, 'type'), `${type}\n`);
      writeFileSync(join(dir, name, 'operstate'), `${state}\n`);
    };
    iface('lo', '772', 'unknown');
    iface('eth0', '1', 'up');
    iface('eth1', '1', 'down');
    iface('bond0', '1', 'up');
    iface('veth12ab', '1', 'up');
    iface('cali0', '1', 'up');
    iface('wg0', '65534', 'unknown');
    iface('ens3.100', '1', 'unknown');
    expect(answerableInterfaces(dir)).toEqual(['bond0', 'ens3.100', 'eth0']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
