// Runs the lab's commands (ip, vtysh, birdc, gobgp...) without a shell, with a timeout,
// and turns every failure into a CommandError that shows the argv and stderr.

import { execFile } from 'node:child_process';
import { CommandError } from './errors.js';

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  readonly timeoutMs?: number;
  readonly env?: Readonly<Record<string, string>>;
  readonly input?: string;
}

const DEFAULT_TIMEOUT_MS = 30_000;

/** Runs argv and resolves whatever the exit code; rejects only when it could not run at all. */
export function tryRun(argv: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  const [file, ...args] = argv;
  if (file === undefined) return Promise.reject(new CommandError([], null, '', 'empty command'));
  return new Promise((resolve, reject) => {
    const child = execFile(
      file,
      args,
      {
        timeout: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        maxBuffer: 64 * 1024 * 1024,
        encoding: 'utf8',
        env: { ...process.env, ...opts.env },
      },
      (err, stdout, stderr) => {
        if (err === null) return resolve({ code: 0, stdout, stderr });
        const e = err as NodeJS.ErrnoException & { code?: unknown; killed?: boolean; signal?: string | null };
        if (typeof e.code === 'number') return resolve({ code: e.code, stdout, stderr });
        if (e.killed === true || e.signal != null) {
          return reject(new CommandError(argv, null, stderr, `killed by ${e.signal ?? 'timeout'} (timeout ${opts.timeoutMs ?? DEFAULT_TIMEOUT_MS} ms)`));
        }
        reject(new CommandError(argv, null, stderr, `could not run: ${e.message}`));
      },
    );
    if (opts.input !== undefined) child.stdin?.end(opts.input);
  });
}

/** Runs argv and rejects with a CommandError on a non-zero exit. */
export async function run(argv: readonly string[], opts: RunOptions = {}): Promise<string> {
  const result = await tryRun(argv, opts);
  if (result.code !== 0) throw new CommandError(argv, result.code, result.stderr || result.stdout, `exit code ${result.code}`);
  return result.stdout;
}

/** argv that runs `argv` inside network namespace `ns`. */
export function inNamespace(ns: string, argv: readonly string[]): string[] {
  return ['ip', 'netns', 'exec', ns, ...argv];
}
