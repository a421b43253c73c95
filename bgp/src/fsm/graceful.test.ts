// Graceful restart in the pure FSM: config checks, the capability in our OPEN (R, N, F bits),
// N-bit agreement, GracefulStop cells, Hard Reset wrapping and the closing NOTIFICATION report.

import { CeaseSubcode, ErrorCode } from '../wire/errors.js';
import type { CapabilityOf } from '../wire/capabilities/types.js';
import { resolveSessionConfig, type SessionConfigInput } from './config.js';
import { ceaseFor, Fsm } from './fsm.js';
import { buildOpen, checkOpen } from './open-check.js';
import { fsmIn, localInput, peerOpenEvent, remoteInput, seededRandom } from './testing.js';
import type { Command, State } from './types.js';

const grCap = (input: SessionConfigInput, restarting = false): CapabilityOf<'graceful-restart'> | undefined =>
  buildOpen(resolveSessionConfig(input), { restarting }).capabilities.find((c): c is CapabilityOf<'graceful-restart'> => c.type === 'graceful-restart');

const kinds = (commands: Command[]): string[] =>
  commands.flatMap((c) => (c.type === 'send' ? [`send ${c.message.type}`] : c.type === 'close' ? ['close'] : []));

describe('gracefulRestart config', () => {
  test.each<[string, SessionConfigInput['gracefulRestart'], object | undefined]>([
    ['absent: off', undefined, undefined],
    ['enabled false: off', { enabled: false, restartTime: 60 }, undefined],
    ['{} : defaults', {}, { restartTime: 120, staleRoutesTime: 360, forwardingFamilies: [], notification: true }],
    ['forwarding true: every family', { forwardingPreserved: true }, { forwardingFamilies: ['ipv4', 'ipv6'] }],
    ['forwarding for one family', { forwardingPreserved: ['ipv6'] }, { forwardingFamilies: ['ipv6'] }],
    ['limits', { restartTime: 4095, staleRoutesTime: 3600, notification: false }, { restartTime: 4095, staleRoutesTime: 3600, notification: false }],
  ])('%s', (_name, gracefulRestart, expected) => {
    const cfg = resolveSessionConfig({ ...localInput, families: ['ipv4', 'ipv6'], gracefulRestart });
    if (expected === undefined) expect(cfg.gracefulRestart).toBeUndefined();
    else expect(cfg.gracefulRestart).toMatchObject(expected);
  });

  test.each<[string, unknown, RegExp]>([
    ['restart time over 12 bits', { restartTime: 4096 }, /^config: gracefulRestart.restartTime must be an integer 0..4095, got 4096/],
    ['negative restart time', { restartTime: -1 }, /^config: gracefulRestart.restartTime/],
    ['fractional restart time', { restartTime: 1.5 }, /^config: gracefulRestart.restartTime/],
    ['stale time 0', { staleRoutesTime: 0 }, /^config: gracefulRestart.staleRoutesTime must be an integer 1..3600/],
    ['forwarding for a family not on the session', { forwardingPreserved: ['ipv6'] }, /^config: gracefulRestart.forwardingPreserved .*\["ipv4"\]/],
    ['forwarding as text', { forwardingPreserved: 'yes' }, /^config: gracefulRestart.forwardingPreserved/],
    ['notification as text', { notification: 'on' }, /^config: gracefulRestart.notification/],
    ['enabled as a number', { enabled: 1 }, /^config: gracefulRestart.enabled/],
    ['not an object', 5, /^config: gracefulRestart must be an object/],
  ])('%s is a BgpConfigError naming the field', (_name, gracefulRestart, message) => {
    expect(() => resolveSessionConfig({ ...localInput, gracefulRestart: gracefulRestart as never })).toThrow(message);
  });
});

describe('the capability in our OPEN', () => {
  test.each<[string, SessionConfigInput, boolean, object | undefined]>([
    ['no config: no capability', localInput, false, undefined],
    ['fresh start: R clear, N set, every family listed with its F bit', { ...localInput, families: ['ipv4', 'ipv6'], gracefulRestart: { restartTime: 90, forwardingPreserved: ['ipv4'] } }, false, {
      restarting: false,
      notification: true,
      restartTime: 90,
      families: [{ afi: 1, safi: 1, forwardingPreserved: true }, { afi: 2, safi: 1, forwardingPreserved: false }],
    }],
    ['after a restart: R set', { ...localInput, gracefulRestart: { forwardingPreserved: true } }, true, { restarting: true, families: [{ afi: 1, safi: 1, forwardingPreserved: true }] }],
    ['without RFC 8538: N clear', { ...localInput, gracefulRestart: { notification: false } }, false, { notification: false }],
  ])('%s', (_name, input, restarting, expected) => {
    const cap = grCap(input, restarting);
    if (expected === undefined) expect(cap).toBeUndefined();
    else expect(cap).toMatchObject(expected);
  });

  test('the FSM asks for the R bit at each connection', () => {
    let restarting = true;
    const fsm = new Fsm(resolveSessionConfig({ ...localInput, gracefulRestart: {} }), { random: seededRandom(1), restarting: () => restarting });
    fsm.handle({ name: 'ManualStart' });
    const rBit = (commands: Command[]) => {
      const open = commands.find((c) => c.type === 'send');
      const cap = open?.type === 'send' && open.message.type === 'open' ? open.message.capabilities.find((c) => c.type === 'graceful-restart') : undefined;
      return cap?.type === 'graceful-restart' ? cap.restarting : undefined;
    };
    expect(rBit(fsm.handle({ name: 'Tcp_CR_Acked' }))).toBe(true);
    fsm.handle({ name: 'TcpConnectionFails' });
    restarting = false;
    fsm.handle({ name: 'ConnectRetryTimer_Expires' });
    expect(rBit(fsm.handle({ name: 'Tcp_CR_Acked' }))).toBe(false);
  });

  test.each<[string, boolean | undefined, boolean | undefined, boolean]>([
    ['both send N', true, true, true],
    ['only we send N', true, false, false],
    ['only the peer sends N', false, true, false],
    ['the peer has no graceful restart', true, undefined, false],
  ])('N bit agreed when %s', (_name, ours, theirs, agreed) => {
    const cfg = resolveSessionConfig({ ...localInput, gracefulRestart: { notification: ours ?? false } });
    const peer = resolveSessionConfig({ ...remoteInput, ...(theirs === undefined ? {} : { gracefulRestart: { notification: theirs } }) });
    expect(checkOpen(buildOpen(peer), cfg).gracefulNotification).toBe(agreed);
  });
});

/** An Established FSM with graceful restart on both sides, N bit as given. */
function established(notification: boolean): Fsm {
  const input = { ...localInput, gracefulRestart: { notification } };
  const fsm = fsmIn('OpenSent', input);
  fsm.handle(peerOpenEvent(fsm.config, resolveSessionConfig({ ...remoteInput, gracefulRestart: { notification } })));
  fsm.handle({ name: 'KeepAliveMsg' });
  expect(fsm.state).toBe('Established');
  return fsm;
}

describe('GracefulStop', () => {
  test.each<[State, string[]]>([
    ['Idle', []],
    ['Connect', ['close']],
    ['Active', ['close']],
    // No session yet to keep routes for, and no N agreed: closing is enough.
    ['OpenSent', ['close']],
    ['OpenConfirm', ['close']],
    ['Established', ['close']],
  ])('%s: no NOTIFICATION without the N bit, ends in Idle with no restart pending', (state, expected) => {
    const fsm = fsmIn(state, { ...localInput, gracefulRestart: {} });
    const commands = fsm.handle({ name: 'GracefulStop' });
    expect(kinds(commands)).toEqual(expected);
    expect(fsm.state).toBe('Idle');
    expect(commands.some((c) => c.type === 'arm-timer')).toBe(false);
  });

  test('with the N bit: Cease / Administrative Reset, not a Hard Reset (RFC 8538: the peer keeps our routes)', () => {
    const commands = established(true).handle({ name: 'GracefulStop' });
    expect(kinds(commands)).toEqual(['send notification', 'close']);
    const sent = commands.find((c) => c.type === 'send');
    expect(sent?.type === 'send' && sent.message).toMatchObject({ code: ErrorCode.cease, subcode: CeaseSubcode.administrativeReset });
  });

  test('without the N bit, even with graceful restart agreed, it closes quietly (RFC 4724 §4.2)', () => {
    expect(kinds(established(false).handle({ name: 'GracefulStop' }))).toEqual(['close']);
  });
});

describe('Hard Reset (RFC 8538 §5)', () => {
  test.each<[number, boolean, number, number[]]>([
    [CeaseSubcode.administrativeShutdown, true, CeaseSubcode.hardReset, [6, 2]],
    [CeaseSubcode.peerDeconfigured, true, CeaseSubcode.hardReset, [6, 3]],
    [CeaseSubcode.administrativeReset, true, CeaseSubcode.hardReset, [6, 4]],
    [CeaseSubcode.maximumPrefixesReached, true, CeaseSubcode.hardReset, [6, 1]],
    [CeaseSubcode.bfdDown, true, CeaseSubcode.hardReset, [6, 10]],
    [CeaseSubcode.bfdDown, false, CeaseSubcode.bfdDown, []],
    [CeaseSubcode.connectionCollisionResolution, true, CeaseSubcode.connectionCollisionResolution, []],
    [CeaseSubcode.administrativeShutdown, false, CeaseSubcode.administrativeShutdown, []],
  ])('Cease %i with N=%s goes out as subcode %i, data %j', (subcode, n, wire, data) => {
    expect(ceaseFor(subcode, n)).toMatchObject({ code: ErrorCode.cease, subcode: wire, data: Uint8Array.from(data) });
  });

  test('ManualStop on a session with the N bit sends the Hard Reset', () => {
    const sent = established(true).handle({ name: 'ManualStop', ceaseSubcode: CeaseSubcode.administrativeShutdown }).find((c) => c.type === 'send');
    expect(sent?.type === 'send' && sent.message).toMatchObject({ code: ErrorCode.cease, subcode: CeaseSubcode.hardReset });
  });
});

describe('the state change names the NOTIFICATION that ended the session', () => {
  const change = (commands: Command[]) => commands.find((c) => c.type === 'state-change');
  test.each<[string, (fsm: Fsm) => Command[], object | undefined]>([
    ['sent on hold timer expiry', (f) => f.handle({ name: 'HoldTimer_Expires' }), { direction: 'sent', code: ErrorCode.holdTimerExpired, subcode: 0 }],
    ['received from the peer', (f) => f.handle({ name: 'NotifMsg', notification: { type: 'notification', code: 6, subcode: 9, data: Uint8Array.of(6, 2) } }), { direction: 'received', code: 6, subcode: 9 }],
    ['none on a TCP loss', (f) => f.handle({ name: 'TcpConnectionFails' }), undefined],
  ])('%s', (_name, act, expected) => {
    const c = change(act(established(true)));
    expect(c).toMatchObject({ type: 'state-change', from: 'Established', to: 'Idle' });
    expect(c?.type === 'state-change' ? c.notification : 'no change').toEqual(expected);
  });
});
