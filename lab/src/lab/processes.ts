// Processes inside lab namespaces: start them detached with a pid file, find them again
// (pid files and `ip netns pids`), and stop them before their namespaces are deleted.

import { spawn } from 'node:child_process';
import { closeSync, openSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LabError } from './errors.js';
import { inNamespace, tryRun } from './sh.js';

export interface SpawnOptions {
  readonly logFile: string;
  readonly pidFile: string;
  readonly env?: Readonly<Record<string, string>>;
}

/**
 * Starts argv in namespace ns, detached from us so a CLI `lab up` can exit and a crashed test
 * leaves something `down` can find; `ip netns exec` execs the command, so the pid is the command's.
 */
export function spawnInNamespace(ns: string, argv: readonly string[], opts: SpawnOptions): number {
  const full = inNamespace(ns, argv);
  const out = openSync(opts.logFile, 'a');
  try {
    const child = spawn(full[0]!, full.slice(1), { detached: true, stdio: ['ignore', out, out], env: { ...process.env, ...opts.env } });
    child.on('error', () => undefined); // reported by the readiness check that follows
    child.unref();
    if (child.pid === undefined) throw new LabError('lab/processes', `could not start ${argv.join(' ')} in ${ns}`);
    writeFileSync(opts.pidFile, `${child.pid}\n`);
    return child.pid;
  } finally {
    closeSync(out);
  }
}

/** Pids named by every *.pid file under dir (any depth). */
export function pidFilePids(dir: string): number[] {
  const out: number[] = [];
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const entry of entries) {
    const path = join(dir, entry);
    let isDir = false;
    try {
      isDir = statSync(path).isDirectory();
    } catch {
      continue;
    }
    if (isDir) out.push(...pidFilePids(path));
    else if (entry.endsWith('.pid')) {
      const pid = Number.parseInt(safeRead(path), 10);
      if (Number.isInteger(pid) && pid > 1) out.push(pid);
    }
  }
  return out;
}

export async function namespacePids(ns: string): Promise<number[]> {
  const r = await tryRun(['ip', 'netns', 'pids', ns]);
  if (r.code !== 0) return [];
  return r.stdout.split(/\s+/).filter((s) => s !== '').map(Number).filter((n) => Number.isInteger(n) && n > 1);
}

function safeRead(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

/** The inode of a process's network namespace, or undefined when the process is gone. */
export function netnsInodeOfPid(pid: number): number | undefined {
  try {
    return statSync(`/proc/${pid}/ns/net`).ino;
  } catch {
    return undefined;
  }
}

export function netnsInodeOfName(ns: string): number | undefined {
  try {
    return statSync(`/run/netns/${ns}`).ino;
  } catch {
    return undefined;
  }
}

export function cmdlineOf(pid: number): string {
  return safeRead(`/proc/${pid}/cmdline`).replace(/\0/g, ' ');
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !safeRead(`/proc/${pid}/stat`).includes(') Z ');
  } catch {
    return false;
  }
}

/** SIGTERM, then SIGKILL for whatever is still there after graceMs. Returns the pids signalled. */
export async function stopProcesses(pids: readonly number[], graceMs = 3000): Promise<number[]> {
  const targets = [...new Set(pids)].filter(isAlive);
  for (const pid of targets) signal(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (targets.some(isAlive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  for (const pid of targets.filter(isAlive)) signal(pid, 'SIGKILL');
  const killDeadline = Date.now() + 2000;
  while (targets.some(isAlive) && Date.now() < killDeadline) await new Promise((r) => setTimeout(r, 20));
  return targets;
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // Already gone.
  }
}
