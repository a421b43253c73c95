// The demo's long-running processes: started detached (the command returns, they keep running)
// with output to a log file and a pid file that also records the argv, so `down` signals only
// a process that is still the one the demo started, never a reused pid.
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { lab } from '../index.js';
import { DEMO_DIR, DemoError, LOG_DIR, logFile, pidFile, type DemoProcess } from './layout.js';

export interface PidRecord {
  readonly name: string;
  readonly pid: number;
  readonly argv: readonly string[];
}

/** A pid file's text: the pid on the first line (what `kill $(cat f)` wants), the argv as JSON on the second. */
export function formatPidFile(pid: number, argv: readonly string[]): string {
  return `${pid}\n${JSON.stringify(argv)}\n`;
}

/** Undefined for anything that is not a pid file the demo wrote. */
export function parsePidFile(name: string, text: string): PidRecord | undefined {
  const [first, second] = text.split('\n');
  const pid = Number(first);
  if (!Number.isInteger(pid) || pid <= 1) return undefined;
  let argv: unknown;
  try {
    argv = JSON.parse(second ?? '');
  } catch {
    return undefined;
  }
  if (!Array.isArray(argv) || argv.length === 0 || !argv.every((a) => typeof a === 'string')) return undefined;
  return { name, pid, argv };
}

/**
 * True when the live process's command line is the recorded argv, or still `ip netns exec NS`
 * about to exec it (the moment right after the start).
 */
export function sameCommand(cmdline: string, argv: readonly string[]): boolean {
  const own = argv.join('\0') + '\0';
  if (cmdline === own) return true;
  const parts = cmdline.split('\0');
  return parts.length > 4 && parts[0] === 'ip' && parts[1] === 'netns' && parts[2] === 'exec' && parts.slice(4).join('\0') === own;
}

function cmdlineOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return '';
  }
}

/**
 * The process is gone (or a zombie). Not the command-line check of isRunning: right after the
 * spawn, before `ip` has exec'd, the child's command line is still this process's, and a wait
 * that read that as "exited" failed the demo at random.
 */
export function hasExited(pid: number): boolean {
  const stat = readStat(pid);
  return stat === '' || stat.includes(') Z ');
}

/** A recorded process that is still running the command the demo started. */
export const isRunning = (r: PidRecord): boolean => sameCommand(cmdlineOf(r.pid), r.argv) && !readStat(r.pid).includes(') Z ');

function readStat(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return '';
  }
}

/** Starts p detached; returns its pid once the pid file is written. */
export function startDetached(p: DemoProcess, namespaceOf: (target: string) => string): number {
  mkdirSync(DEMO_DIR, { recursive: true });
  mkdirSync(LOG_DIR, { recursive: true });
  // `ip netns exec` execs the command, so the pid and the command line are the program's own.
  const full = p.target === undefined ? [...p.argv] : ['ip', 'netns', 'exec', namespaceOf(p.target), ...p.argv];
  const out = openSync(logFile(p.name), 'w');
  try {
    const child = spawn(full[0]!, full.slice(1), { detached: true, stdio: ['ignore', out, out] });
    child.on('error', () => undefined); // the readiness wait that follows reports it
    child.unref();
    if (child.pid === undefined) throw new DemoError('demo/procs', `could not start ${p.name} (${p.argv.join(' ')})`);
    writeFileSync(pidFile(p.name), formatPidFile(child.pid, p.argv));
    return child.pid;
  } finally {
    closeSync(out);
  }
}

/** Every pid file in the demo dir, readable or not. */
export function readPidFiles(): PidRecord[] {
  let entries: string[];
  try {
    entries = readdirSync(DEMO_DIR);
  } catch {
    return [];
  }
  const out: PidRecord[] = [];
  for (const entry of entries.filter((e) => e.endsWith('.pid')).sort()) {
    let text = '';
    try {
      text = readFileSync(`${DEMO_DIR}/${entry}`, 'utf8');
    } catch {
      continue;
    }
    const r = parsePidFile(entry.slice(0, -'.pid'.length), text);
    if (r !== undefined) out.push(r);
  }
  return out;
}

/**
 * SIGTERM to every record still running its command, SIGKILL after graceMs; removes their pid
 * files. Returns the names that needed SIGKILL (they did not stop cleanly).
 */
export async function stopAll(records: readonly PidRecord[], graceMs: number): Promise<string[]> {
  const live = records.filter(isRunning);
  for (const r of live) signal(r.pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (live.some(isRunning) && Date.now() < deadline) await new Promise((res) => setTimeout(res, 50));
  const killed = live.filter(isRunning);
  for (const r of killed) signal(r.pid, 'SIGKILL');
  const killDeadline = Date.now() + 2_000;
  while (killed.some(isRunning) && Date.now() < killDeadline) await new Promise((res) => setTimeout(res, 20));
  for (const r of records) rmSync(pidFile(r.name), { force: true });
  return killed.map((r) => r.name);
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // Already gone.
  }
}

/** The JSON lines of a log file so far (other lines skipped). */
export function logLines(name: string): Record<string, unknown>[] {
  let text = '';
  try {
    text = readFileSync(logFile(name), 'utf8');
  } catch {
    return [];
  }
  const out: Record<string, unknown>[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      const v = JSON.parse(line) as unknown;
      if (typeof v === 'object' && v !== null && !Array.isArray(v)) out.push(v as Record<string, unknown>);
    } catch {
      // A line cut mid-write: the next poll sees it whole.
    }
  }
  return out;
}

/** Waits until a process's log has a line that matches; fails early when the process died. */
export async function waitForLog(p: DemoProcess, match: (line: Record<string, unknown>) => boolean, timeoutMs: number, what: string): Promise<Record<string, unknown>> {
  const record = readPidFiles().find((r) => r.name === p.name);
  const seen = await lab
    .waitFor(
      () => ({ hit: logLines(p.name).find(match), dead: record !== undefined && hasExited(record.pid) }),
      (s) => s.hit !== undefined || s.dead,
      { timeoutMs, intervalMs: 100, what },
    )
    .catch(() => undefined);
  if (seen?.hit !== undefined) return seen.hit;
  const why = seen?.dead === true ? 'it exited first' : `not within ${timeoutMs / 1000} s`;
  const last = logLines(p.name).at(-1);
  throw new DemoError('demo/procs', `${p.name}: no ${what} (${why})${last === undefined ? '' : `; last log line: ${JSON.stringify(last).slice(0, 300)}`}; see ${logFile(p.name)}`);
}
