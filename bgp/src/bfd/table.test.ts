// The state table against the RFC 5880 text, cell by cell, and every cell run through the
// dispatcher from a session driven into that state by real events.

import { resolveBfdConfig } from './config.js';
import type { BfdCommand, BfdInput } from './commands.js';
import { BfdFsm } from './fsm.js';
import { bfdTransitions, BfdEventNames, type BfdEventName } from './table.js';
import { bfdPacket, seededRandom } from './testing.js';
import { BfdDiag, BfdStates, type BfdState } from './types.js';

const LOCAL = 0xa;
const config = resolveBfdConfig({ localDiscriminator: LOCAL, peerAddress: '192.0.2.2' });

/** An FSM brought into `state` through real inputs only. */
function fsmIn(state: BfdState): BfdFsm {
  const fsm = new BfdFsm(config, { random: seededRandom(1) });
  fsm.handle({ name: 'start' });
  if (state === 'AdminDown') fsm.handle({ name: 'admin-down' });
  if (state === 'Init' || state === 'Up') fsm.handle({ name: 'received', packet: bfdPacket({ state: 'Down' }) });
  if (state === 'Up') fsm.handle({ name: 'received', packet: bfdPacket({ state: 'Up', yourDiscriminator: LOCAL }) });
  expect(fsm.state).toBe(state);
  return fsm;
}

function inputOf(event: BfdEventName): BfdInput {
  switch (event) {
    case 'RecvAdminDown':
      return { name: 'received', packet: bfdPacket({ state: 'AdminDown', yourDiscriminator: LOCAL, diag: 7 }) };
    case 'RecvDown':
      return { name: 'received', packet: bfdPacket({ state: 'Down', yourDiscriminator: LOCAL }) };
    case 'RecvInit':
      return { name: 'received', packet: bfdPacket({ state: 'Init', yourDiscriminator: LOCAL }) };
    case 'RecvUp':
      return { name: 'received', packet: bfdPacket({ state: 'Up', yourDiscriminator: LOCAL }) };
    case 'DetectionTimeExpired':
      return { name: 'detection-timer' };
    case 'AdminDisable':
      return { name: 'admin-down' };
    case 'AdminEnable':
      return { name: 'admin-up' };
  }
}

/**
 * RFC 5880 written out independently of the table: §6.8.6 (reception), §6.8.4 (detection),
 * §6.8.16 (administrative control). Returns the next state and bfd.LocalDiag after the event,
 * given the diag before it.
 */
function rfc(state: BfdState, event: BfdEventName, diag: number): [BfdState, number] {
  if (event === 'AdminDisable') return ['AdminDown', BfdDiag.administrativelyDown];
  if (event === 'AdminEnable') return [state === 'AdminDown' ? 'Down' : state, diag];
  if (event === 'DetectionTimeExpired') {
    // "... and bfd.SessionState is Init or Up, the session has gone down"
    return state === 'Init' || state === 'Up' ? ['Down', BfdDiag.controlDetectionTimeExpired] : [state, diag];
  }
  // "If bfd.SessionState is AdminDown: Discard the packet"
  if (state === 'AdminDown') return [state, diag];
  const received = event.slice(4) as BfdState;
  // "If received state is AdminDown: If bfd.SessionState is not Down: Set bfd.LocalDiag to 3, Set bfd.SessionState to Down"
  if (received === 'AdminDown') return state === 'Down' ? [state, diag] : ['Down', BfdDiag.neighborSignaledSessionDown];
  if (state === 'Down') {
    // "If received State is Down: Set bfd.SessionState to Init. Else if received State is Init: Set bfd.SessionState to Up"
    if (received === 'Down') return ['Init', diag];
    if (received === 'Init') return ['Up', BfdDiag.none];
    return [state, diag];
  }
  if (state === 'Init') {
    // "If received State is Init or Up: Set bfd.SessionState to Up"
    return received === 'Init' || received === 'Up' ? ['Up', BfdDiag.none] : [state, diag];
  }
  // Up: "If received State is Down: Set bfd.LocalDiag to 3, Set bfd.SessionState to Down"
  return received === 'Down' ? ['Down', BfdDiag.neighborSignaledSessionDown] : [state, diag];
}

const cells = BfdStates.flatMap((s) => BfdEventNames.map((e): [BfdState, BfdEventName] => [s, e]));

describe('every cell of the table', () => {
  test.each(cells)('%s + %s follows RFC 5880', (state, event) => {
    const fsm = fsmIn(state);
    const before = fsm.status().localDiag;
    const commands: BfdCommand[] = fsm.handle(inputOf(event));
    const [next, diag] = rfc(state, event, before);
    expect(bfdTransitions[state][event].next).toBe(next);
    expect(fsm.state).toBe(next);
    expect(fsm.status().localDiag).toBe(diag);
    const changes = commands.filter((c) => c.type === 'state-change');
    expect(changes).toEqual(next === state ? [] : [{ type: 'state-change', from: state, to: next, diag, event }]);
    // A packet reaching an AdminDown session is discarded: no detection timer, no answer.
    if (state === 'AdminDown' && event.startsWith('Recv')) {
      expect(commands).toEqual([{ type: 'discarded', reason: 'admin-down' }]);
    }
  });
});

describe('the RFC 5880 §6.2 diagram, arc by arc', () => {
  test.each<[BfdState, BfdEventName, BfdState]>([
    ['Down', 'RecvDown', 'Init'],
    ['Down', 'RecvInit', 'Up'],
    ['Down', 'RecvUp', 'Down'],
    ['Down', 'RecvAdminDown', 'Down'],
    ['Down', 'DetectionTimeExpired', 'Down'],
    ['Init', 'RecvInit', 'Up'],
    ['Init', 'RecvUp', 'Up'],
    ['Init', 'RecvDown', 'Init'],
    ['Init', 'RecvAdminDown', 'Down'],
    ['Init', 'DetectionTimeExpired', 'Down'],
    ['Up', 'RecvInit', 'Up'],
    ['Up', 'RecvUp', 'Up'],
    ['Up', 'RecvDown', 'Down'],
    ['Up', 'RecvAdminDown', 'Down'],
    ['Up', 'DetectionTimeExpired', 'Down'],
  ])('%s + %s -> %s', (state, event, next) => {
    expect(bfdTransitions[state][event].next).toBe(next);
  });
});
