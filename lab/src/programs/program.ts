// Headland's programs as child processes for tests, benchmarks and the demo: JSON log lines
// collected as they come, waiting for a given line, and stopping with a signal and a deadline.
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file is lab/src/programs/ or lab/dist/programs/). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** The built entry point of a workspace program, e.g. distPath('controller', 'main.js'). */
export const distPath = (pkg: string, file: string): string => join(REPO_ROOT, pkg, 'dist', file);

export type LogLine = Record<string, unknown>;

export interface Program {
  readonly name: string;
  readonly proc: ChildProcess;
  /** Parsed JSON log lines so far (stdout); other stdout and stderr lines land in `text`. */
  readonly logs: LogLine[];
  readonly text: string[];
  readonly exited: Promise<number | null>;
  /** Resolves with the first log line (past or future) that matches, or rejects after ms. */
  waitForLog(match: (line: LogLine) => boolean, ms?: number, what?: string): Promise<LogLine>;
  /** Sends the signal and waits for exit; SIGKILL after graceMs. Resolves with the exit code. */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<number | null>;
}

export interface StartOptions {
  readonly name?: string;
  readonly env?: Readonly<Record<string, string>>;
  /** Echo every line to this function (e.g. a file writer) as well. */
  readonly onLine?: (line: string) => void;
}

export function startProgram(argv: readonly string[], opts: StartOptions = {}): Program {
  const [cmd, ...args] = argv;
  if (cmd === undefined) throw new Error('programs: empty command');
  const proc = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...opts.env } });
  const logs: LogLine[] = [];
  const text: string[] = [];
  const waiters: { match: (l: LogLine) => boolean; resolve: (l: LogLine) => void }[] = [];
  const take = (line: string): void => {
    if (line === '') return;
    opts.onLine?.(line);
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      parsed = undefined;
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      text.push(line);
      return;
    }
    const l = parsed as LogLine;
    logs.push(l);
    for (let i = waiters.length - 1; i >= 0; i--) {
      const w = waiters[i]!;
      if (w.match(l)) {
        waiters.splice(i, 1);
        w.resolve(l);
      }
    }
  };
  const lines = (stream: NodeJS.ReadableStream | null): void => {
    let buf = '';
    stream?.on('data', (d: Buffer) => {
      buf += d.toString();
      const parts = buf.split('\n');
      buf = parts.pop() ?? '';
      for (const p of parts) take(p);
    });
    stream?.on('end', () => take(buf));
  };
  lines(proc.stdout);
  lines(proc.stderr);
  // Resolved once the output is read too: 'exit' can come before the last lines (the speaker's
  // "withdrew every route" among them). 'close' waits for the pipes, unless something the program
  // left behind holds them open: then 2 s after 'exit' is enough.
  const exited = new Promise<number | null>((r) => {
    proc.on('exit', (code, signal) => {
      const status = code ?? (signal === null ? null : 128);
      const late = setTimeout(() => r(status), 2_000);
      proc.once('close', () => {
        clearTimeout(late);
        r(status);
      });
    });
    proc.on('error', () => r(null));
  });
  const name = opts.name ?? argv.slice(0, 2).join(' ');
  return {
    name,
    proc,
    logs,
    text,
    exited,
    waitForLog(match, ms = 10_000, what = 'a log line') {
      const found = logs.find(match);
      if (found !== undefined) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const w = { match, resolve: (l: LogLine) => (clearTimeout(t), resolve(l)) };
        const t = setTimeout(() => {
          waiters.splice(waiters.indexOf(w), 1);
          reject(new Error(`${name}: no ${what} within ${ms} ms; last lines:\n${[...logs.slice(-8).map((l) => JSON.stringify(l)), ...text.slice(-8)].join('\n')}`));
        }, ms);
        waiters.push(w);
        void exited.then((code) => {
          if (!waiters.includes(w)) return;
          waiters.splice(waiters.indexOf(w), 1);
          clearTimeout(t);
          reject(new Error(`${name} exited (${code}) before ${what}; last lines:\n${[...logs.slice(-8).map((l) => JSON.stringify(l)), ...text.slice(-8)].join('\n')}`));
        });
      });
    },
    async stop(signal = 'SIGTERM', graceMs = 10_000) {
      if (proc.exitCode !== null || proc.signalCode !== null) return exited;
      proc.kill(signal);
      const t = setTimeout(() => proc.kill('SIGKILL'), graceMs);
      const code = await exited;
      clearTimeout(t);
      return code;
    },
  };
}
