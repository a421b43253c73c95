// RetryingResponder over the real PacketResponderPort on in-memory ports: an interface that cannot
// be opened yet is logged once and retried until it can; a success clears the retry; stop ends it.
import { decodeFrame } from './wire/frame.js';
import { PacketResponderPort } from './responder/index.js';
import { ManualClock, MemoryPort } from './responder/testing.js';
import { RetryingResponder } from './responder-adapter.js';

function setup() {
  const ports = new Map<string, MemoryPort>();
  const missing = new Set<string>();
  const clock = new ManualClock();
  const errors: string[] = [];
  const port = new PacketResponderPort({
    open: (iface, onFrame) => {
      if (missing.has(iface)) throw new Error(`no interface ${iface}`);
      const p = new MemoryPort('02:00:00:00:0b:01', onFrame);
      ports.set(iface, p);
      return p;
    },
    schedule: clock.schedule,
    announceCount: 1,
    warmUpIterations: 0,
    defaultInterfaces: () => ['eth0'],
  });
  const responder = new RetryingResponder(port, { onError: (e) => errors.push((e as Error).message), retryMs: 1000, schedule: clock.schedule });
  const announced = (iface: string) => (ports.get(iface)?.sent ?? []).map((f) => decodeFrame(f)).map((d) => (d.kind === 'arp' ? d.arp.senderIp : d.message.target));
  return { responder, ports, missing, clock, errors, announced };
}

const ip10 = { ip: '203.0.113.10', family: 4 as const, interfaces: ['eth9'] };

test('an interface that cannot open is reported once and retried until it opens, then announced', () => {
  const { responder, missing, clock, errors, announced } = setup();
  missing.add('eth9');
  expect(() => responder.setAnswers([ip10], ['203.0.113.10'])).not.toThrow();
  expect(responder.retrying).toBe(true);
  clock.advance(1000);
  clock.advance(1000);
  expect(errors).toEqual([expect.stringContaining('no interface eth9')]);
  missing.delete('eth9');
  clock.advance(1000);
  expect(responder.retrying).toBe(false);
  expect(announced('eth9')).toEqual(['203.0.113.10']);
});

test('a newer set of answers replaces a failed one and its retry', () => {
  const { responder, missing, clock, announced } = setup();
  missing.add('eth9');
  responder.setAnswers([ip10], ['203.0.113.10']);
  responder.setAnswers([{ ip: '203.0.113.11', family: 4, interfaces: undefined }], ['203.0.113.11']);
  expect(responder.retrying).toBe(false);
  missing.delete('eth9');
  clock.advance(5000);
  expect(announced('eth9')).toEqual([]);
  expect(announced('eth0')).toEqual(['203.0.113.11']);
});

test('stop cancels the retry and closes the sockets; later answers are ignored', async () => {
  const { responder, ports, missing, clock, announced } = setup();
  responder.setAnswers([{ ip: '203.0.113.11', family: 4, interfaces: ['eth0'] }], ['203.0.113.11']);
  missing.add('eth9');
  responder.setAnswers([ip10], []);
  await responder.stop();
  expect(responder.retrying).toBe(false);
  expect(ports.get('eth0')!.closed).toBe(true);
  missing.delete('eth9');
  clock.advance(5000);
  responder.setAnswers([ip10], ['203.0.113.10']);
  expect(announced('eth9')).toEqual([]);
});

test('counters come from the packet responder', () => {
  const { responder, ports } = setup();
  responder.setAnswers([{ ip: '203.0.113.11', family: 4, interfaces: ['eth0'] }], []);
  ports.get('eth0')!.deliver(new Uint8Array(5));
  expect(responder.counters()).toMatchObject({ requestsReceived: 1, gratuitousSent: 1 });
});
