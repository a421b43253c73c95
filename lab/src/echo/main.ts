#!/usr/bin/env node
// `node lab/dist/echo/main.js --name NAME --port 8080 [--host ADDR] [--no-udp]`, run inside a pod
// namespace; logs one JSON line when listening and exits 0 on SIGTERM.

import { parseEchoFlags } from './flags.js';
import { startEcho } from './server.js';

const log = (entry: Record<string, unknown>) => process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), component: 'headland-echo', ...entry })}\n`);

async function main(): Promise<void> {
  const flags = parseEchoFlags(process.argv.slice(2));
  const server = await startEcho(flags);
  log({ level: 'info', msg: 'listening', pod: flags.name, port: server.port, udp: flags.udp });
  const stop = () => void server.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((err: unknown) => {
  log({ level: 'error', msg: (err as Error).message });
  process.exit(2);
});
