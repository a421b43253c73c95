// Shared helpers for the FSM's tests and for simulations: a seeded random source and a
// driver that walks a fresh FSM into any state through real events only.

import { resolveSessionConfig, type SessionConfig, type SessionConfigInput } from './config.js';
import { Fsm, type FsmLogEntry } from './fsm.js';
import { buildOpen, checkOpen } from './open-check.js';
import type { State } from './types.js';

/** Deterministic [0, 1) numbers (mulberry32). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const localInput: SessionConfigInput = { localAs: 64512, routerId: '198.18.0.1', peerAs: 64513, holdTime: 9 };
export const remoteInput: SessionConfigInput = { localAs: 64513, routerId: '198.18.0.2', peerAs: 64512, holdTime: 30 };

/** The FSM's view of the peer's OPEN, built the way the peer would build it. */
export function peerOpenEvent(local: SessionConfig, remote: SessionConfig = resolveSessionConfig(remoteInput)) {
  return { name: 'BGPOpen', negotiated: checkOpen(buildOpen(remote), local) } as const;
}

/** A new FSM driven into `state` (Active via a failed connect). */
export function fsmIn(state: State, input: SessionConfigInput = localInput, log?: (e: FsmLogEntry) => void): Fsm {
  const config = resolveSessionConfig(input);
  const fsm = new Fsm(config, { random: seededRandom(1), ...(log ? { log } : {}) });
  if (state === 'Idle') return fsm;
  fsm.handle({ name: 'ManualStart' });
  if (state === 'Connect') return fsm;
  if (state === 'Active') {
    fsm.handle({ name: 'TcpConnectionFails' });
    return fsm;
  }
  fsm.handle({ name: 'Tcp_CR_Acked' });
  if (state === 'OpenSent') return fsm;
  fsm.handle(peerOpenEvent(config));
  if (state === 'OpenConfirm') return fsm;
  fsm.handle({ name: 'KeepAliveMsg' });
  return fsm;
}
