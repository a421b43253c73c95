// openConnections: runs the client script under `ip netns exec CLIENT` so connections start
// from the lab's client namespace, bounded in count and time, and returns its parsed summary.

import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkTrafficOptions, TrafficError, worstCaseMs, type TrafficOptions } from './options.js';
import { parseSummary, type TrafficSummary } from './summary.js';

export interface OpenConnectionsOptions extends TrafficOptions {
  /** The client network namespace. */
  readonly netns: string;
}

const NETNS_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

/**
 * The compiled file `name` of this folder. From sources (jest) it is the twin under dist/,
 * since `ip netns exec` runs plain node, which cannot load TypeScript.
 */
export function compiledScript(moduleUrl: string, name: string): string {
  const here = fileURLToPath(moduleUrl);
  const dir = dirname(here);
  const path = here.endsWith('.js') ? join(dir, name) : join(dir, '..', '..', 'dist', dir.split('/').at(-1)!, name);
  if (!existsSync(path)) throw new TrafficError('traffic/open', `${path} is missing: build the lab package first (npx tsc -b lab)`);
  return path;
}

export async function openConnections(options: OpenConnectionsOptions): Promise<TrafficSummary> {
  if (!NETNS_NAME.test(options.netns)) throw new TrafficError('traffic/open', `"${options.netns}" is not a network namespace name`);
  const opts = checkTrafficOptions(options);
  const script = compiledScript(import.meta.url, 'client.js');
  const args = ['netns', 'exec', options.netns, process.execPath, script, '--target', opts.target, '--count', String(opts.count), '--concurrency', String(opts.concurrency), '--timeout-ms', String(opts.timeoutMs), ...(opts.protocol === 'udp' ? ['--udp'] : [])];
  const output = await new Promise<string>((resolve, reject) => {
    execFile('ip', args, { timeout: worstCaseMs(opts), encoding: 'utf8', maxBuffer: 4 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err === null) return resolve(stdout);
      const last = stdout.trim().split('\n').at(-1) ?? '';
      reject(new TrafficError('traffic/open', `client in ${options.netns} failed (${err.killed ? 'killed after the worst-case time' : `exit ${String(err.code)}`}): ${(last || stderr.trim()).slice(0, 1000)}`));
    });
  });
  return parseSummary(output);
}
