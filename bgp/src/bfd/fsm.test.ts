// The pure core: RFC 5880 state variables, the timer rules of §6.8.3, §6.8.4 and §6.8.7, the
// Poll Sequence, Passive role, remote discriminator learning and administrative control.

import type { BfdControlPacket } from './codec.js';
import { resolveBfdConfig, type BfdSessionConfigInput } from './config.js';
import type { BfdCommand } from './commands.js';
import { BfdFsm } from './fsm.js';
import { detectionTimeUs, jitteredUs } from './timers.js';
import { bfdPacket, seededRandom } from './testing.js';
import { BfdConfigError } from './errors.js';

const LOCAL = 0xa;
const REMOTE = 0x0b0b0b0b;

function fsmWith(input: Partial<BfdSessionConfigInput> = {}, random: () => number = () => 0): BfdFsm {
  return new BfdFsm(resolveBfdConfig({ localDiscriminator: LOCAL, peerAddress: '192.0.2.2', ...input }), { random });
}

/** A packet from the remote, Up, 300 ms both ways unless overridden. */
const remote = (overrides: Partial<BfdControlPacket> = {}): BfdControlPacket =>
  bfdPacket({ state: 'Up', yourDiscriminator: LOCAL, desiredMinTxUs: 300_000, requiredMinRxUs: 300_000, ...overrides });

const sent = (commands: BfdCommand[]): BfdControlPacket[] => commands.flatMap((c) => (c.type === 'send' ? [c.packet] : []));
const armed = (commands: BfdCommand[], timer: 'transmit' | 'detection'): number | undefined => {
  const found = commands.filter((c) => c.type === 'arm-timer' && c.timer === timer);
  const last = found[found.length - 1];
  return last?.type === 'arm-timer' ? last.us : undefined;
};
const cancelled = (commands: BfdCommand[], timer: 'transmit' | 'detection'): boolean => commands.some((c) => c.type === 'cancel-timer' && c.timer === timer);

/** Started, through Init, to Up; the Poll that going Up starts is answered unless `pending`. */
function upFsm(input: Partial<BfdSessionConfigInput> = {}, remoteOverrides: Partial<BfdControlPacket> = {}, pending = false): BfdFsm {
  const fsm = fsmWith(input);
  fsm.handle({ name: 'start' });
  fsm.handle({ name: 'received', packet: remote({ state: 'Down', yourDiscriminator: 0, desiredMinTxUs: 1_000_000, ...remoteOverrides }) });
  fsm.handle({ name: 'received', packet: remote({ state: 'Up', ...remoteOverrides }) });
  expect(fsm.state).toBe('Up');
  if (!pending && fsm.status().poll === 'polling') fsm.handle({ name: 'received', packet: remote({ final: true, ...remoteOverrides }) });
  return fsm;
}

describe('§6.8.1 state variables', () => {
  test('start Down, no remote, no diagnostic, 1 s desired TX, remote Min RX 1', () => {
    expect(fsmWith().status()).toMatchObject({
      state: 'Down',
      remoteState: 'Down',
      remoteDiscriminator: 0,
      localDiag: 0,
      desiredMinTxUs: 1_000_000,
      requiredMinRxUs: 300_000,
      remoteMinRxUs: 1,
      remoteDemand: false,
      detectionTimeUs: undefined,
      poll: 'idle',
    });
  });

  test('the remote discriminator is learned from My Discriminator and sent back as Your Discriminator', () => {
    const fsm = fsmWith();
    const first = sent(fsm.handle({ name: 'start' }));
    expect(first.map((p) => p.yourDiscriminator)).toEqual([0]);
    fsm.handle({ name: 'received', packet: bfdPacket({ myDiscriminator: 0x1234 }) });
    expect(fsm.status().remoteDiscriminator).toBe(0x1234);
    expect(sent(fsm.handle({ name: 'transmit-timer' }))[0]).toMatchObject({ myDiscriminator: LOCAL, yourDiscriminator: 0x1234, state: 'Init' });
  });

  test('a Detection Time of silence forgets the remote discriminator (and diag 1 when Init or Up)', () => {
    const fsm = upFsm();
    fsm.handle({ name: 'detection-timer' });
    expect(fsm.status()).toMatchObject({ state: 'Down', localDiag: 1, remoteDiscriminator: 0, remoteState: 'Down', remoteMinRxUs: 1 });
    const down = fsmWith();
    down.handle({ name: 'received', packet: bfdPacket({ state: 'AdminDown' }) });
    expect(down.status().remoteDiscriminator).toBe(REMOTE);
    down.handle({ name: 'detection-timer' });
    expect(down.status()).toMatchObject({ state: 'Down', localDiag: 0, remoteDiscriminator: 0 });
  });

  test('a neighbour signalling Down keeps its discriminator', () => {
    const fsm = upFsm();
    fsm.handle({ name: 'received', packet: remote({ state: 'Down', diag: 1 }) });
    expect(fsm.status()).toMatchObject({ state: 'Down', localDiag: 3, remoteDiscriminator: REMOTE, remoteDiag: 1 });
  });
});

describe('§6.1 Active and Passive roles', () => {
  test('Active sends its first packet at start and then periodically', () => {
    const commands = fsmWith().handle({ name: 'start' });
    expect(sent(commands)).toEqual([
      bfdPacket({ myDiscriminator: LOCAL, desiredMinTxUs: 1_000_000, requiredMinRxUs: 300_000 }),
    ]);
    expect(armed(commands, 'transmit')).toBe(1_000_000);
  });

  test('Passive sends nothing until the remote discriminator is known, and stops when it is forgotten', () => {
    const fsm = fsmWith({ passive: true });
    expect(fsm.handle({ name: 'start' })).toEqual([]);
    expect(fsm.handle({ name: 'transmit-timer' })).toEqual([]);
    const learned = fsm.handle({ name: 'received', packet: bfdPacket() });
    expect(sent(learned)).toEqual([]);
    expect(armed(learned, 'transmit')).toBe(1_000_000);
    expect(sent(fsm.handle({ name: 'transmit-timer' }))[0]).toMatchObject({ state: 'Init', yourDiscriminator: REMOTE });
    expect(cancelled(fsm.handle({ name: 'detection-timer' }), 'transmit')).toBe(true);
    expect(fsm.handle({ name: 'transmit-timer' })).toEqual([]);
  });
});

describe('§6.8.3 slow transmission until Up', () => {
  test('1 s is advertised and used while not Up, the configured interval once Up', () => {
    const fsm = fsmWith({ desiredMinTxUs: 50_000, requiredMinRxUs: 50_000 });
    expect(armed(fsm.handle({ name: 'start' }), 'transmit')).toBe(1_000_000);
    fsm.handle({ name: 'received', packet: remote({ state: 'Down', yourDiscriminator: 0, requiredMinRxUs: 50_000 }) });
    expect(fsm.status()).toMatchObject({ state: 'Init', desiredMinTxUs: 1_000_000, transmitIntervalUs: 1_000_000 });
    const up = fsm.handle({ name: 'received', packet: remote({ requiredMinRxUs: 50_000 }) });
    expect(fsm.status()).toMatchObject({ state: 'Up', desiredMinTxUs: 50_000, transmitIntervalUs: 50_000, poll: 'polling' });
    // The faster interval applies at once (a decrease), re-armed from now.
    expect(armed(up, 'transmit')).toBe(50_000);
    expect(sent(fsm.handle({ name: 'transmit-timer' }))[0]).toMatchObject({ state: 'Up', poll: true, desiredMinTxUs: 50_000 });
  });

  test('a configured interval above 1 s is used in every state', () => {
    const fsm = fsmWith({ desiredMinTxUs: 2_000_000 });
    expect(armed(fsm.handle({ name: 'start' }), 'transmit')).toBe(2_000_000);
    expect(upFsm({ desiredMinTxUs: 2_000_000 }).status().desiredMinTxUs).toBe(2_000_000);
  });

  test('leaving Up goes back to 1 s, after the packet already due (it carries the news)', () => {
    const fsm = upFsm();
    const down = fsm.handle({ name: 'received', packet: remote({ state: 'Down' }) });
    expect(fsm.status()).toMatchObject({ state: 'Down', desiredMinTxUs: 1_000_000, transmitIntervalUs: 1_000_000 });
    expect(armed(down, 'transmit')).toBeUndefined();
    const next = fsm.handle({ name: 'transmit-timer' });
    expect(sent(next)[0]).toMatchObject({ state: 'Down', diag: 3, desiredMinTxUs: 1_000_000 });
    expect(armed(next, 'transmit')).toBe(1_000_000);
  });
});

describe('§6.8.7 transmit interval and jitter', () => {
  test.each<[number, number, number]>([
    // local Desired Min TX, remote Required Min RX -> interval: the greater
    [300_000, 300_000, 300_000],
    [300_000, 500_000, 500_000],
    [300_000, 100_000, 300_000],
    [1_000, 1, 1_000],
  ])('desired %i us, remote Required Min RX %i us -> %i us', (desired, remoteRx, interval) => {
    const fsm = upFsm({ desiredMinTxUs: desired }, { requiredMinRxUs: remoteRx });
    expect(fsm.status().transmitIntervalUs).toBe(interval);
  });

  test('a lower remote Required Min RX is honoured at once, a higher one from the next packet (§6.8.3)', () => {
    const fsm = upFsm();
    expect(armed(fsm.handle({ name: 'received', packet: remote({ requiredMinRxUs: 100_000 }) }), 'transmit')).toBeUndefined();
    expect(armed(fsm.handle({ name: 'received', packet: remote({ requiredMinRxUs: 800_000 }) }), 'transmit')).toBeUndefined();
    expect(armed(fsm.handle({ name: 'transmit-timer' }), 'transmit')).toBe(800_000);
    expect(armed(fsm.handle({ name: 'received', packet: remote({ requiredMinRxUs: 100_000 }) }), 'transmit')).toBe(300_000);
  });

  test.each<[string, number, number, number, number]>([
    // interval, detect mult, random -> jittered
    ['no reduction at random 0', 1_000_000, 3, 0, 1_000_000],
    ['a quarter at the top', 1_000_000, 3, 0.999999, 750_001],
    ['half way', 1_000_000, 3, 0.5, 875_000],
    ['detect mult 1: 10% at random 0', 1_000_000, 1, 0, 900_000],
    ['detect mult 1: 25% at the top', 1_000_000, 1, 0.999999, 750_000],
    ['odd interval stays inside 75%', 1_001, 1, 0.999999, 751],
    ['a broken random source counts as 0', 300_000, 3, Number.NaN, 300_000],
  ])('%s', (_, interval, mult, r, expected) => {
    expect(jitteredUs(interval, mult, () => r)).toBe(expected);
  });

  test.each([1, 2, 3, 255])('10,000 draws with detect mult %i stay in the RFC band', (mult) => {
    const random = seededRandom(mult);
    const interval = 300_007;
    const draws = Array.from({ length: 10_000 }, () => jitteredUs(interval, mult, random));
    const low = Math.min(...draws);
    const high = Math.max(...draws);
    expect(low).toBeGreaterThanOrEqual(0.75 * interval);
    expect(high).toBeLessThanOrEqual(mult === 1 ? 0.9 * interval : interval);
    // And the band is used, not one end of it.
    expect(high - low).toBeGreaterThan(0.12 * interval);
  });

  test('the periodic timer is jittered on every packet', () => {
    const jittery = fsmWith({}, seededRandom(9));
    jittery.handle({ name: 'start' });
    const intervals = Array.from({ length: 20 }, () => armed(jittery.handle({ name: 'transmit-timer' }), 'transmit'));
    expect(new Set(intervals).size).toBeGreaterThan(15);
  });

  test('remote Required Min RX 0: no periodic packets, but a Poll is still answered', () => {
    const fsm = upFsm();
    const silent = fsm.handle({ name: 'received', packet: remote({ requiredMinRxUs: 0 }) });
    expect(cancelled(silent, 'transmit')).toBe(true);
    expect(fsm.status().transmitIntervalUs).toBeUndefined();
    expect(fsm.handle({ name: 'transmit-timer' })).toEqual([]);
    expect(sent(fsm.handle({ name: 'received', packet: remote({ requiredMinRxUs: 0, poll: true }) }))).toMatchObject([{ final: true, poll: false }]);
  });

  test('remote Demand mode with both Up stops periodic packets, except our own Poll', () => {
    const fsm = upFsm();
    expect(cancelled(fsm.handle({ name: 'received', packet: remote({ demand: true }) }), 'transmit')).toBe(true);
    expect(fsm.status().remoteDemand).toBe(true);
    // Our timer change needs a Poll Sequence: periodic P packets until the Final.
    expect(armed(fsm.handle({ name: 'set-timers', timers: { requiredMinRxUs: 400_000 } }), 'transmit')).toBe(300_000);
    expect(sent(fsm.handle({ name: 'transmit-timer' }))[0]).toMatchObject({ poll: true });
    expect(cancelled(fsm.handle({ name: 'received', packet: remote({ demand: true, final: true }) }), 'transmit')).toBe(true);
    // The remote leaving Demand mode brings periodic transmission back.
    expect(armed(fsm.handle({ name: 'received', packet: remote() }), 'transmit')).toBe(300_000);
  });
});

describe('§6.8.4 Detection Time', () => {
  test.each<[number, number, number, number]>([
    // remote Detect Mult, local Required Min RX, remote Desired Min TX -> detection time
    [3, 300_000, 300_000, 900_000],
    [3, 300_000, 1_000_000, 3_000_000],
    [5, 500_000, 100_000, 2_500_000],
    [1, 1_000, 1_000, 1_000],
    [255, 4_294_967_295, 0, 255 * 4_294_967_295],
  ])('mult %i x max(%i, %i) = %i us', (mult, localRx, remoteTx, expected) => {
    expect(detectionTimeUs(mult, localRx, remoteTx)).toBe(expected);
  });

  test('each accepted packet re-arms the detection timer with the remote multiplier', () => {
    const fsm = upFsm();
    expect(armed(fsm.handle({ name: 'received', packet: remote({ detectMult: 5, desiredMinTxUs: 200_000 }) }), 'detection')).toBe(1_500_000);
    expect(fsm.status().detectionTimeUs).toBe(1_500_000);
  });
});

describe('§6.5 / §6.8.3 Poll Sequence on timer changes', () => {
  test('a received Poll is answered at once with Final set and Poll clear', () => {
    const fsm = upFsm();
    const commands = fsm.handle({ name: 'received', packet: remote({ poll: true }) });
    expect(commands.filter((c) => c.type === 'send')).toEqual([{ type: 'send', kind: 'final', packet: expect.objectContaining({ state: 'Up', poll: false, final: true }) }]);
  });

  test('raising Desired Min TX while Up: advertised at once, transmission slows only after the Final', () => {
    const fsm = upFsm();
    const change = fsm.handle({ name: 'set-timers', timers: { desiredMinTxUs: 600_000 } });
    expect(armed(change, 'transmit')).toBeUndefined();
    expect(fsm.status()).toMatchObject({ desiredMinTxUs: 600_000, transmitIntervalUs: 300_000, poll: 'polling' });
    const [poll] = sent(fsm.handle({ name: 'transmit-timer' }));
    expect(poll).toMatchObject({ poll: true, final: false, desiredMinTxUs: 600_000 });
    // Packets without F do not end it.
    fsm.handle({ name: 'received', packet: remote() });
    expect(fsm.status()).toMatchObject({ poll: 'polling', transmitIntervalUs: 300_000 });
    fsm.handle({ name: 'received', packet: remote({ final: true }) });
    expect(fsm.status()).toMatchObject({ poll: 'idle', transmitIntervalUs: 600_000 });
    const next = fsm.handle({ name: 'transmit-timer' });
    expect(sent(next)[0]).toMatchObject({ poll: false });
    expect(armed(next, 'transmit')).toBe(600_000);
  });

  test('lowering Desired Min TX while Up applies at once, still with a Poll', () => {
    // The remote asks for 300 ms, so the interval stays 300 ms and the timer is left alone...
    const fsm = upFsm();
    expect(armed(fsm.handle({ name: 'set-timers', timers: { desiredMinTxUs: 100_000 } }), 'transmit')).toBeUndefined();
    expect(fsm.status().transmitIntervalUs).toBe(300_000);
    // ...but where the remote accepts 50 ms, 100 ms applies before the Final.
    const lower = upFsm({}, { requiredMinRxUs: 50_000 });
    expect(armed(lower.handle({ name: 'set-timers', timers: { desiredMinTxUs: 100_000 } }), 'transmit')).toBe(100_000);
    expect(lower.status().poll).toBe('polling');
  });

  test('lowering Required Min RX while Up keeps the old Detection Time until the Final', () => {
    const fsm = upFsm({}, { desiredMinTxUs: 50_000 });
    fsm.handle({ name: 'set-timers', timers: { requiredMinRxUs: 100_000 } });
    expect(fsm.status()).toMatchObject({ requiredMinRxUs: 100_000, poll: 'polling' });
    expect(armed(fsm.handle({ name: 'received', packet: remote({ desiredMinTxUs: 50_000 }) }), 'detection')).toBe(900_000);
    expect(armed(fsm.handle({ name: 'received', packet: remote({ desiredMinTxUs: 50_000, final: true }) }), 'detection')).toBe(300_000);
  });

  test('raising Required Min RX applies to the Detection Time at once', () => {
    const fsm = upFsm();
    fsm.handle({ name: 'set-timers', timers: { requiredMinRxUs: 1_000_000 } });
    expect(armed(fsm.handle({ name: 'received', packet: remote() }), 'detection')).toBe(3_000_000);
  });

  test('a second change during a Poll waits for the Final and then a packet without F', () => {
    const fsm = upFsm();
    fsm.handle({ name: 'set-timers', timers: { desiredMinTxUs: 500_000 } });
    fsm.handle({ name: 'set-timers', timers: { desiredMinTxUs: 800_000 } });
    expect(fsm.status()).toMatchObject({ poll: 'polling', pollSequences: 2, transmitIntervalUs: 300_000 });
    fsm.handle({ name: 'received', packet: remote({ final: true }) });
    // The Final acknowledged 500 ms only.
    expect(fsm.status()).toMatchObject({ poll: 'settling', transmitIntervalUs: 500_000 });
    expect(sent(fsm.handle({ name: 'transmit-timer' }))[0]).toMatchObject({ poll: false, desiredMinTxUs: 800_000 });
    fsm.handle({ name: 'received', packet: remote() });
    expect(fsm.status()).toMatchObject({ poll: 'polling', pollSequences: 3 });
    expect(sent(fsm.handle({ name: 'transmit-timer' }))[0]).toMatchObject({ poll: true, desiredMinTxUs: 800_000 });
    fsm.handle({ name: 'received', packet: remote({ final: true }) });
    expect(fsm.status()).toMatchObject({ poll: 'idle', transmitIntervalUs: 800_000 });
  });

  test('a Detect Mult change needs no Poll (§6.8.12) and goes out with the next packet', () => {
    const fsm = upFsm();
    fsm.handle({ name: 'set-timers', timers: { detectMultiplier: 5 } });
    expect(fsm.status()).toMatchObject({ poll: 'idle', detectMultiplier: 5 });
    expect(sent(fsm.handle({ name: 'transmit-timer' }))[0]).toMatchObject({ detectMult: 5, poll: false });
  });

  test('unchanged values start no Poll', () => {
    const fsm = upFsm();
    fsm.handle({ name: 'set-timers', timers: { desiredMinTxUs: 300_000, requiredMinRxUs: 300_000 } });
    expect(fsm.status().poll).toBe('idle');
  });

  test('we never send P and F together: a Poll answered while ours runs', () => {
    const fsm = upFsm();
    fsm.handle({ name: 'set-timers', timers: { desiredMinTxUs: 500_000 } });
    const [final] = sent(fsm.handle({ name: 'received', packet: remote({ poll: true }) }));
    expect(final).toMatchObject({ poll: false, final: true });
    expect(sent(fsm.handle({ name: 'transmit-timer' }))[0]).toMatchObject({ poll: true, final: false });
  });

  test('bad timer values are refused with the field named', () => {
    expect(() => upFsm().handle({ name: 'set-timers', timers: { detectMultiplier: 0 } })).toThrow(new BfdConfigError('bfd config: detectMultiplier must be an integer 1..255, got 0'));
    expect(() => upFsm().handle({ name: 'set-timers', timers: { desiredMinTxUs: 10 } })).toThrow(/desiredMinTxUs/);
  });
});

describe('§6.8.16 administrative control', () => {
  test('AdminDown: diag 7, still transmitting slowly, packets discarded and Polls unanswered', () => {
    const fsm = upFsm();
    const down = fsm.handle({ name: 'admin-down' });
    expect(down).toContainEqual({ type: 'state-change', from: 'Up', to: 'AdminDown', diag: 7, event: 'AdminDisable' });
    expect(cancelled(down, 'detection')).toBe(false);
    const next = fsm.handle({ name: 'transmit-timer' });
    expect(sent(next)[0]).toMatchObject({ state: 'AdminDown', diag: 7, desiredMinTxUs: 1_000_000 });
    expect(armed(next, 'transmit')).toBe(1_000_000);
    expect(fsm.handle({ name: 'received', packet: remote({ poll: true }) })).toEqual([{ type: 'discarded', reason: 'admin-down' }]);
    expect(fsm.status().poll).toBe('idle');
    // Discarded packets do not count as received: a Detection Time later the remote is forgotten.
    expect(fsm.handle({ name: 'detection-timer' }).filter((c) => c.type === 'state-change')).toEqual([]);
    expect(fsm.status()).toMatchObject({ state: 'AdminDown', remoteDiscriminator: 0 });
    const up = fsm.handle({ name: 'admin-up' });
    expect(up).toContainEqual({ type: 'state-change', from: 'AdminDown', to: 'Down', diag: 7, event: 'AdminEnable' });
    expect(sent(fsm.handle({ name: 'transmit-timer' }))[0]).toMatchObject({ state: 'Down', yourDiscriminator: 0 });
  });

  test('another diagnostic can be given, e.g. 5 Path Down; a bad one is refused', () => {
    const fsm = upFsm();
    fsm.handle({ name: 'admin-down', diag: 5 });
    expect(fsm.status()).toMatchObject({ state: 'AdminDown', localDiag: 5 });
    expect(() => fsm.handle({ name: 'admin-down', diag: 32 })).toThrow(BfdConfigError);
  });

  test('every packet we send would pass a receiver’s checks', () => {
    const fsm = upFsm();
    fsm.handle({ name: 'set-timers', timers: { desiredMinTxUs: 400_000 } });
    const packets = [
      ...sent(fsm.handle({ name: 'transmit-timer' })),
      ...sent(fsm.handle({ name: 'received', packet: remote({ poll: true }) })),
      ...sent(fsm.handle({ name: 'admin-down' })),
      ...sent(fsm.handle({ name: 'transmit-timer' })),
    ];
    for (const p of packets) {
      expect(p.myDiscriminator).toBe(LOCAL);
      expect(p.poll && p.final).toBe(false);
      expect(p.demand || p.controlPlaneIndependent || p.auth !== undefined).toBe(false);
      expect(p.requiredMinEchoRxUs).toBe(0);
    }
  });
});
