// The RFC 5880 §6.2 state machine (with the §6.8.6 reception rules, §6.8.4 detection and §6.8.16
// administrative control) as data: for every state and event, the action and the next state.
// `satisfies` makes a missing cell a compile error; the actions run in fsm.ts.

import type { BfdState } from './types.js';

/** Events of the table: a received packet by the State it carries, the detection timer, the operator. */
export const BfdEventNames = ['RecvAdminDown', 'RecvDown', 'RecvInit', 'RecvUp', 'DetectionTimeExpired', 'AdminDisable', 'AdminEnable'] as const;
export type BfdEventName = (typeof BfdEventNames)[number];

export const BfdActions = [
  'none', // nothing happens
  'discard', // §6.8.6: a packet reaching an AdminDown session is discarded
  'received', // a valid packet: restart the detection timer, answer a Poll
  'up', // as received, and clear the diagnostic: the session works
  'neighbor-down', // as received, diag 3 Neighbor Signaled Session Down
  'detection-expired', // §6.8.4: diag 1 Control Detection Time Expired, forget the remote (§6.8.1)
  'forget-remote', // §6.8.1: a Detection Time without packets while Down or AdminDown clears bfd.RemoteDiscr
  'admin-down', // §6.8.16: diag from the operator (7 Administratively Down by default)
  'admin-up', // §6.8.16: back to Down, transmitting as before
] as const;
export type BfdAction = (typeof BfdActions)[number];

export interface BfdTransition {
  readonly action: BfdAction;
  readonly next: BfdState;
}

type Row = Record<BfdEventName, BfdTransition>;
const t = (action: BfdAction, next: BfdState): BfdTransition => ({ action, next });

export const bfdTransitions = {
  // §6.8.6 discards every packet while AdminDown; only the operator brings the session back.
  AdminDown: {
    RecvAdminDown: t('discard', 'AdminDown'),
    RecvDown: t('discard', 'AdminDown'),
    RecvInit: t('discard', 'AdminDown'),
    RecvUp: t('discard', 'AdminDown'),
    DetectionTimeExpired: t('forget-remote', 'AdminDown'),
    AdminDisable: t('none', 'AdminDown'),
    AdminEnable: t('admin-up', 'Down'),
  },
  // §6.2: DOWN -> Init, INIT -> Up; UP and ADMIN DOWN (already Down) stay.
  Down: {
    RecvAdminDown: t('received', 'Down'),
    RecvDown: t('received', 'Init'),
    RecvInit: t('up', 'Up'),
    RecvUp: t('received', 'Down'),
    DetectionTimeExpired: t('forget-remote', 'Down'),
    AdminDisable: t('admin-down', 'AdminDown'),
    AdminEnable: t('none', 'Down'),
  },
  // §6.2: INIT or UP -> Up; DOWN stays; ADMIN DOWN and TIMER -> Down.
  Init: {
    RecvAdminDown: t('neighbor-down', 'Down'),
    RecvDown: t('received', 'Init'),
    RecvInit: t('up', 'Up'),
    RecvUp: t('up', 'Up'),
    DetectionTimeExpired: t('detection-expired', 'Down'),
    AdminDisable: t('admin-down', 'AdminDown'),
    AdminEnable: t('none', 'Init'),
  },
  // §6.2: INIT and UP stay; DOWN, ADMIN DOWN and TIMER -> Down.
  Up: {
    RecvAdminDown: t('neighbor-down', 'Down'),
    RecvDown: t('neighbor-down', 'Down'),
    RecvInit: t('received', 'Up'),
    RecvUp: t('received', 'Up'),
    DetectionTimeExpired: t('detection-expired', 'Down'),
    AdminDisable: t('admin-down', 'AdminDown'),
    AdminEnable: t('none', 'Up'),
  },
} as const satisfies Record<BfdState, Row>;

/** The table event for a received packet's State field. */
export function receivedEvent(state: BfdState): BfdEventName {
  return `Recv${state}`;
}
