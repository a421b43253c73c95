// The note a gracefully stopped speaker leaves for the next one (RFC 4724): when it stopped and
// how long peers keep its routes, so the next start sets the R bit only while they still do.
import { GRACEFUL_RESTART_TIME } from './peers.js';

export interface RestartNote {
  readonly stoppedAt: number;
  /** Seconds peers keep our routes. */
  readonly restartTime: number;
}

export function encodeRestartNote(stoppedAt: number): string {
  return `${JSON.stringify({ stoppedAt, restartTime: GRACEFUL_RESTART_TIME } satisfies RestartNote)}\n`;
}

/**
 * Whether this start follows a graceful stop whose routes peers still keep. Anything unreadable
 * is a fresh start with the reason: a wrong R bit costs less than not starting.
 */
export function isRestart(text: string | undefined, now: number): { restarted: boolean; reason: string } {
  if (text === undefined) return { restarted: false, reason: 'no restart note: a fresh start' };
  let note: Partial<RestartNote> | null;
  try {
    note = JSON.parse(text) as Partial<RestartNote> | null;
  } catch {
    return { restarted: false, reason: 'restart note is not JSON: a fresh start' };
  }
  const { stoppedAt, restartTime } = note ?? {};
  if (typeof stoppedAt !== 'number' || typeof restartTime !== 'number') return { restarted: false, reason: 'restart note lacks stoppedAt/restartTime: a fresh start' };
  const age = now - stoppedAt;
  if (age < 0) return { restarted: false, reason: 'restart note is from the future: a fresh start' };
  if (age >= restartTime * 1000) return { restarted: false, reason: `stopped ${Math.round(age / 1000)} s ago, past the ${restartTime} s peers keep routes: a fresh start` };
  return { restarted: true, reason: `stopped gracefully ${Math.round(age / 1000)} s ago: restarting (R bit set)` };
}
