// What one bgp-speaker process leaves for the next across a graceful restart: when it stopped
// and how long peers keep its routes, so the next one knows whether to set the RFC 4724 R bit.

import { BgpConfigError } from '../fsm/config.js';

export interface RestartState {
  /** Milliseconds since the epoch when the graceful stop happened. */
  readonly stoppedAt: number;
  /** The longest restart time (seconds) a peer was promised: after it, nobody keeps our routes. */
  readonly restartTime: number;
  /** Peers that kept our routes. */
  readonly retainedBy: readonly string[];
}

export interface RestartVerdict {
  readonly restarted: boolean;
  readonly reason: string;
}

export function encodeRestartState(state: RestartState): string {
  if (!Number.isFinite(state.stoppedAt) || !Number.isInteger(state.restartTime) || state.restartTime < 0 || state.restartTime > 4095) {
    throw new BgpConfigError(`restart-state: stoppedAt ${state.stoppedAt} / restartTime ${state.restartTime} out of range`);
  }
  return `${JSON.stringify(state)}\n`;
}

/**
 * Whether this start is a graceful restart: the previous process left a state file and its
 * peers' restart timers have not run out. Anything unreadable is a fresh start (with the reason),
 * never a crash: a wrong R bit costs less than not starting.
 */
export function restartVerdict(text: string | undefined, now: number): RestartVerdict {
  if (text === undefined) return { restarted: false, reason: 'no restart state: a fresh start' };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { restarted: false, reason: 'restart-state: file is not JSON; treated as a fresh start' };
  }
  const state = raw as Partial<RestartState> | null;
  if (typeof state !== 'object' || state === null || typeof state.stoppedAt !== 'number' || typeof state.restartTime !== 'number') {
    return { restarted: false, reason: 'restart-state: file lacks stoppedAt/restartTime; treated as a fresh start' };
  }
  const elapsed = now - state.stoppedAt;
  if (elapsed < 0) return { restarted: false, reason: `restart-state: stoppedAt is ${-elapsed} ms in the future; treated as a fresh start` };
  if (elapsed > state.restartTime * 1000) {
    return { restarted: false, reason: `restart-state: stopped ${Math.round(elapsed / 1000)} s ago, past the ${state.restartTime} s restart time; a fresh start` };
  }
  return { restarted: true, reason: `graceful restart: stopped ${elapsed} ms ago, within the ${state.restartTime} s restart time` };
}
