#!/usr/bin/env node
// The script openConnections runs inside a client namespace:
// `node lab/dist/traffic/client.js --target IP:PORT --count N --concurrency C [--timeout-ms T] [--udp]`
// prints one JSON summary line on stdout; exit 2 with a JSON error line on bad flags.

import { parseArgs } from 'node:util';
import { runConnections } from './connect.js';
import { TrafficError } from './options.js';

async function main(): Promise<void> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: process.argv.slice(2),
      strict: true,
      allowPositionals: false,
      options: { target: { type: 'string' }, count: { type: 'string' }, concurrency: { type: 'string' }, 'timeout-ms': { type: 'string' }, udp: { type: 'boolean' } },
    }));
  } catch (err) {
    throw new TrafficError('traffic/client', (err as Error).message);
  }
  const num = (name: string, fallback?: number): number => {
    const v = values[name];
    if (v === undefined && fallback !== undefined) return fallback;
    if (typeof v !== 'string' || !/^\d+$/.test(v)) throw new TrafficError('traffic/client', `--${name} must be a whole number, got ${JSON.stringify(v)}`);
    return Number(v);
  };
  const target = values['target'];
  if (typeof target !== 'string') throw new TrafficError('traffic/client', '--target is required');
  const summary = await runConnections({ target, count: num('count'), concurrency: num('concurrency', 1), timeoutMs: num('timeout-ms', 2000), protocol: values['udp'] === true ? 'udp' : 'tcp' });
  process.stdout.write(`${JSON.stringify(summary)}\n`);
}

main().catch((err: unknown) => {
  process.stdout.write(`${JSON.stringify({ error: (err as Error).message })}\n`);
  process.exit(2);
});
