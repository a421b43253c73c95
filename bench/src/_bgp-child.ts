// Runs the announcer child (optionally inside a lab namespace) and talks to it: commands on
// its stdin, its JSON lines collected, waits for a line with a deadline, and a sure stop.

import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { AnnouncerConfig } from './_bgp-announcer.js';

export type ChildLine = Record<string, unknown> & { readonly event: string };

const PROGRAM = new URL('./_bgp-announcer.js', import.meta.url).pathname;

export class AnnouncerChild {
  readonly lines: ChildLine[] = [];
  private waiters: (() => void)[] = [];
  private stderr = '';

  private constructor(private readonly child: ChildProcessWithoutNullStreams) {
    createInterface({ input: child.stdout }).on('line', (text) => {
      try {
        this.lines.push(JSON.parse(text) as ChildLine);
      } catch {
        this.lines.push({ event: 'unparsed', text });
      }
      this.wake();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString()).slice(-4000);
    });
    child.on('exit', () => this.wake());
  }

  /** Starts the announcer; in `namespace` (ip netns exec) when given. */
  static start(config: AnnouncerConfig, namespace?: string): AnnouncerChild {
    const argv = [process.execPath, '--expose-gc', PROGRAM, JSON.stringify(config)];
    const full = namespace === undefined ? argv : ['ip', 'netns', 'exec', namespace, ...argv];
    return new AnnouncerChild(spawn(full[0]!, full.slice(1), { stdio: ['pipe', 'pipe', 'pipe'] }));
  }

  send(command: 'go' | 'rss' | 'stop'): void {
    if (this.child.exitCode === null) this.child.stdin.write(`${command}\n`);
  }

  /** The first line from index `from` that matches; rejects on timeout or if the child exits. */
  async waitFor(match: (line: ChildLine) => boolean, timeoutMs: number, from = 0): Promise<ChildLine> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.lines.slice(from).find(match);
      if (found) return found;
      const fatal = this.lines.find((l) => l.event === 'fatal');
      if (fatal || this.child.exitCode !== null || Date.now() >= deadline) {
        const why = fatal ? `failed: ${String(fatal['message'])}` : this.child.exitCode !== null ? `exited ${this.child.exitCode}` : `timed out after ${timeoutMs} ms`;
        throw new Error(`bgp-child: announcer ${why}; said: ${this.lines.slice(-8).map((l) => JSON.stringify(l)).join(' ')} ${this.stderr.slice(-600)}`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(500, Math.max(1, deadline - Date.now())));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** "stop" (Cease to its peers), then SIGKILL if it has not exited within 3 s. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.send('stop');
    this.child.stdin.end();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
  }

  private wake(): void {
    this.waiters.splice(0).forEach((w) => w());
  }
}
