import { BgpWireError, ErrorCode, CeaseSubcode } from '../wire/errors.js';
import type { UpdateVerdict } from '../wire/validate-update.js';
import { resolveSessionConfig } from './config.js';
import { transitions } from './table.js';
import { fsmIn, localInput, peerOpenEvent, seededRandom } from './testing.js';
import { Fsm, type FsmLogEntry } from './fsm.js';
import { EventNames, States, type Command, type EventName, type FsmEvent, type State } from './types.js';
import { OPEN_SENT_HOLD_SECONDS } from './timers.js';

const config = resolveSessionConfig(localInput);
const wireError = new BgpWireError('test: bad', { code: ErrorCode.update, subcode: 1 });
const verdict: UpdateVerdict = { action: 'accept', attributes: [], announce: [], withdraw: [], errors: [], endOfRib: 'ipv4' };

/** A realistic instance of every event. */
function eventOf(name: EventName): FsmEvent {
  switch (name) {
    case 'ManualStop':
    case 'AutomaticStop':
      return { name, ceaseSubcode: CeaseSubcode.administrativeShutdown };
    case 'BGPOpen':
      return peerOpenEvent(config);
    case 'BGPHeaderErr':
    case 'BGPOpenMsgErr':
    case 'UpdateMsgErr':
      return { name, error: wireError };
    case 'NotifMsg':
    case 'NotifMsgVerErr':
      return { name, notification: { type: 'notification', code: 6, subcode: 2, data: new Uint8Array(0) } };
    case 'UpdateMsg':
      return { name, verdict };
    case 'TcpConnectionFails':
      return { name, reason: 'ECONNRESET' };
    default:
      return { name };
  }
}

const kinds = (commands: Command[]): string[] =>
  commands.map((c) => (c.type === 'send' ? `send ${c.message.type}` : c.type === 'arm-timer' || c.type === 'cancel-timer' ? `${c.type} ${c.timer}` : c.type));

const cells: [State, EventName][] = States.flatMap((s) => EventNames.map((e): [State, EventName] => [s, e]));
const connected: readonly State[] = ['OpenSent', 'OpenConfirm', 'Established'];

describe('every cell of the table', () => {
  test.each(cells)('%s + %s moves to the table state and keeps the command invariants', (state, name) => {
    const fsm = fsmIn(state);
    const commands = fsm.handle(eventOf(name));
    const cell = transitions[state][name];
    expect(fsm.state).toBe(cell.next);
    const changes = commands.filter((c) => c.type === 'state-change');
    expect(changes).toHaveLength(cell.next === state ? 0 : 1);
    if (cell.next !== state) {
      // Leaving a state sets every timer: each one is armed or cancelled exactly once.
      const timerCmds = commands.filter((c) => c.type === 'arm-timer' || c.type === 'cancel-timer');
      expect(timerCmds.map((c) => ('timer' in c ? c.timer : '')).sort()).toEqual(['connectRetry', 'hold', 'idleHold', 'keepalive']);
    }
    // A NOTIFICATION is always followed by closing the connection, and only on a connection.
    const kindsSeen = kinds(commands);
    const notify = kindsSeen.indexOf('send notification');
    if (notify >= 0) {
      expect(connected).toContain(state);
      expect(kindsSeen.indexOf('close')).toBeGreaterThan(notify);
    }
    // Falling from a connected state to Idle always closes the connection.
    if (connected.includes(state) && cell.next === 'Idle') expect(kindsSeen).toContain('close');
  });
});

describe('key transitions, exactly', () => {
  test.each<[State, EventName, string[]]>([
    ['Idle', 'ManualStart', ['connect', 'arm-timer connectRetry', 'cancel-timer hold', 'cancel-timer keepalive', 'cancel-timer idleHold', 'state-change']],
    ['Idle', 'TcpConnectionConfirmed', ['close']],
    ['Idle', 'KeepAliveMsg', []],
    ['Connect', 'Tcp_CR_Acked', ['send open', 'cancel-timer connectRetry', `arm-timer hold`, 'cancel-timer keepalive', 'cancel-timer idleHold', 'state-change']],
    ['Connect', 'ConnectRetryTimer_Expires', ['close', 'connect', 'arm-timer connectRetry', 'cancel-timer hold', 'cancel-timer keepalive', 'cancel-timer idleHold']],
    ['Connect', 'TcpConnectionFails', ['close', 'arm-timer connectRetry', 'cancel-timer hold', 'cancel-timer keepalive', 'cancel-timer idleHold', 'state-change']],
    ['Active', 'ConnectRetryTimer_Expires', ['close', 'connect', 'arm-timer connectRetry', 'cancel-timer hold', 'cancel-timer keepalive', 'cancel-timer idleHold', 'state-change']],
    ['OpenSent', 'BGPOpen', ['send keepalive', 'cancel-timer connectRetry', 'arm-timer hold', 'arm-timer keepalive', 'cancel-timer idleHold', 'state-change']],
    ['OpenSent', 'HoldTimer_Expires', ['send notification', 'close', 'cancel-timer connectRetry', 'cancel-timer hold', 'cancel-timer keepalive', 'arm-timer idleHold', 'state-change']],
    ['OpenSent', 'TcpConnectionFails', ['close', 'arm-timer connectRetry', 'cancel-timer hold', 'cancel-timer keepalive', 'cancel-timer idleHold', 'state-change']],
    ['OpenConfirm', 'KeepAliveMsg', ['cancel-timer connectRetry', 'arm-timer hold', 'arm-timer keepalive', 'cancel-timer idleHold', 'state-change']],
    ['OpenConfirm', 'KeepaliveTimer_Expires', ['send keepalive', 'arm-timer keepalive']],
    ['Established', 'KeepAliveMsg', ['arm-timer hold']],
    ['Established', 'UpdateMsg', ['arm-timer hold', 'deliver-update']],
    ['Established', 'KeepaliveTimer_Expires', ['send keepalive', 'arm-timer keepalive']],
    ['Established', 'ManualStop', ['send notification', 'close', 'cancel-timer connectRetry', 'cancel-timer hold', 'cancel-timer keepalive', 'cancel-timer idleHold', 'state-change']],
    ['Established', 'NotifMsg', ['close', 'cancel-timer connectRetry', 'cancel-timer hold', 'cancel-timer keepalive', 'arm-timer idleHold', 'state-change']],
    ['Established', 'UpdateMsgErr', ['send notification', 'close', 'cancel-timer connectRetry', 'cancel-timer hold', 'cancel-timer keepalive', 'arm-timer idleHold', 'state-change']],
  ])('%s + %s', (state, name, expected) => {
    expect(kinds(fsmIn(state).handle(eventOf(name)))).toEqual(expected);
  });

  test.each<[State, EventName, number, number]>([
    ['OpenSent', 'HoldTimer_Expires', ErrorCode.holdTimerExpired, 0],
    ['OpenSent', 'UpdateMsg', ErrorCode.fsm, 1],
    ['OpenConfirm', 'UpdateMsg', ErrorCode.fsm, 2],
    ['Established', 'BGPOpen', ErrorCode.fsm, 3],
    ['Established', 'UpdateMsgErr', ErrorCode.update, 1],
    ['OpenSent', 'BGPOpenMsgErr', ErrorCode.update, 1],
    ['OpenConfirm', 'OpenCollisionDump', ErrorCode.cease, CeaseSubcode.connectionCollisionResolution],
    ['Established', 'ManualStop', ErrorCode.cease, CeaseSubcode.administrativeShutdown],
  ])('%s + %s sends NOTIFICATION %i/%i', (state, name, code, subcode) => {
    const sent = fsmIn(state).handle(eventOf(name)).find((c) => c.type === 'send');
    expect(sent?.type === 'send' && sent.message).toMatchObject({ type: 'notification', code, subcode });
  });

  test.each([CeaseSubcode.administrativeShutdown, CeaseSubcode.peerDeconfigured, CeaseSubcode.administrativeReset])('ManualStop carries Cease subcode %i', (subcode) => {
    const sent = fsmIn('Established').handle({ name: 'ManualStop', ceaseSubcode: subcode }).find((c) => c.type === 'send');
    expect(sent?.type === 'send' && sent.message).toMatchObject({ code: ErrorCode.cease, subcode });
  });
});

describe('timers', () => {
  const armed = (commands: Command[]) => Object.fromEntries(commands.flatMap((c) => (c.type === 'arm-timer' ? [[c.timer, c.seconds]] : [])));

  test('OpenSent uses the large hold time, OpenConfirm the negotiated one and a third of it for keepalives', () => {
    const fsm = fsmIn('Connect');
    expect(armed(fsm.handle({ name: 'Tcp_CR_Acked' }))).toEqual({ hold: OPEN_SENT_HOLD_SECONDS });
    // local 9 s, peer 30 s: the smaller wins (RFC 4271 §4.2).
    expect(armed(fsm.handle(peerOpenEvent(fsm.config)))).toEqual({ hold: 9, keepalive: 3 });
  });

  test('hold time 0 runs neither hold timer nor keepalives', () => {
    const fsm = fsmIn('OpenSent', { ...localInput, holdTime: 0 });
    expect(armed(fsm.handle(peerOpenEvent(fsm.config)))).toEqual({});
    expect(armed(fsm.handle({ name: 'KeepAliveMsg' }))).toEqual({});
    expect(kinds(fsm.handle({ name: 'KeepaliveTimer_Expires' }))).toEqual(['send keepalive']);
  });

  test('passive mode waits in Active with no connect retry timer and never connects', () => {
    const fsm = fsmIn('Idle', { ...localInput, passive: true });
    const commands = fsm.handle({ name: 'ManualStart_with_PassiveTcpEstablishment' });
    expect(fsm.state).toBe('Active');
    expect(kinds(commands)).not.toContain('connect');
    expect(armed(commands)).toEqual({});
    fsm.handle({ name: 'TcpConnectionConfirmed' });
    expect(fsm.state).toBe('OpenSent');
  });

  test('retry delays grow exponentially with failures, capped, and reset once Established', () => {
    const input = { ...localInput, connectRetry: { initial: 2, max: 10, jitter: 0 } };
    const fsm = fsmIn('Connect', input);
    const delays: number[] = [];
    for (let i = 0; i < 5; i++) delays.push(armed(fsm.handle({ name: 'ConnectRetryTimer_Expires' })).connectRetry ?? -1);
    expect(delays).toEqual([4, 8, 10, 10, 10]);
    fsm.handle({ name: 'Tcp_CR_Acked' });
    fsm.handle(peerOpenEvent(fsm.config));
    fsm.handle({ name: 'KeepAliveMsg' });
    expect(fsm.failures).toBe(0);
    expect(armed(fsm.handle({ name: 'HoldTimer_Expires' }))).toEqual({ idleHold: 4 });
  });

  test('a failure schedules an automatic restart; ManualStop in Idle cancels it', () => {
    const fsm = fsmIn('Established');
    fsm.handle({ name: 'TcpConnectionFails' });
    expect(fsm.state).toBe('Idle');
    expect(kinds(fsm.handle({ name: 'ManualStop', ceaseSubcode: 2 }))).toEqual(['cancel-timer idleHold']);
    const stopped = fsmIn('Established');
    expect(armed(stopped.handle({ name: 'ManualStop', ceaseSubcode: 2 }))).toEqual({});
  });
});

describe('scenarios', () => {
  test('active bring-up logs every transition as from -> to (event)', () => {
    const log: FsmLogEntry[] = [];
    const fsm = fsmIn('Established', localInput, (e) => log.push(e));
    expect(fsm.state).toBe('Established');
    expect(log.filter((e) => e.level === 'info').map((e) => e.msg)).toEqual([
      'Idle -> Connect (ManualStart)',
      'Connect -> OpenSent (Tcp_CR_Acked)',
      'OpenSent -> OpenConfirm (BGPOpen)',
      'OpenConfirm -> Established (KeepAliveMsg)',
    ]);
    expect(fsm.negotiated).toMatchObject({ peerAs: 64513, holdTime: 9, external: true, families: ['ipv4'] });
  });

  test('a state change reports its reason, including the peer NOTIFICATION by name', () => {
    const fsm = fsmIn('Established');
    const change = fsm.handle({ name: 'NotifMsg', notification: { type: 'notification', code: 6, subcode: 2, data: new Uint8Array(0) } }).find((c) => c.type === 'state-change');
    expect(change).toMatchObject({ from: 'Established', to: 'Idle', event: 'NotifMsg' });
    expect(change?.type === 'state-change' && change.reason).toMatch(/^NotifMsg: Cease/);
    expect(fsm.negotiated).toBeUndefined();
  });

  test('after a failure the idle-hold expiry restarts the session (AutomaticStart)', () => {
    const fsm = fsmIn('OpenSent');
    fsm.handle({ name: 'HoldTimer_Expires' });
    expect(fsm.state).toBe('Idle');
    expect(kinds(fsm.handle({ name: 'AutomaticStart' }))).toContain('connect');
    expect(fsm.state).toBe('Connect');
    expect(fsm.failures).toBe(1);
  });

  test('the same seed gives the same jittered delays', () => {
    const run = () => {
      const fsm = new Fsm(resolveSessionConfig(localInput), { random: seededRandom(42) });
      const out: number[] = [];
      for (const c of fsm.handle({ name: 'ManualStart' })) if (c.type === 'arm-timer') out.push(c.seconds);
      for (const c of fsm.handle({ name: 'ConnectRetryTimer_Expires' })) if (c.type === 'arm-timer') out.push(c.seconds);
      return out;
    };
    expect(run()).toEqual(run());
    expect(run()[0]).toBeLessThanOrEqual(5);
    expect(run()[0]).toBeGreaterThan(5 * 0.75 - 1e-9);
  });
});
