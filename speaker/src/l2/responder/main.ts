#!/usr/bin/env node
// A standalone ARP/NDP responder (for the lab, the benchmark and debugging): answers for the IPs
// given as `--own IFACE=IP`, takes `own|disown IFACE IP` and `stats` on stdin, prints JSON lines.
//
//   node speaker/dist/l2/responder/main.js --own eth0=203.0.113.10 [--announce-count 3]
//        [--announce-interval-ms 500] [--refresh-ms 0]
// SIGTERM/SIGINT or end of stdin: closes the sockets, prints the final counters, exits 0.

import { createInterface } from 'node:readline';
import { PacketResponder } from './responder.js';

const print = (line: Record<string, unknown>): void => void process.stdout.write(`${JSON.stringify(line)}\n`);

function parseArgs(argv: readonly string[]): { own: Array<[string, string]>; numbers: Record<string, number> } {
  const own: Array<[string, string]> = [];
  const numbers: Record<string, number> = {};
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const value = argv[++i];
    if (value === undefined) throw new Error(`l2/responder/main: ${flag} needs a value`);
    if (flag === '--own') {
      const at = value.indexOf('=');
      if (at <= 0) throw new Error(`l2/responder/main: --own ${value} is not IFACE=IP`);
      own.push([value.slice(0, at), value.slice(at + 1)]);
    } else if (['--announce-count', '--announce-interval-ms', '--refresh-ms'].includes(flag)) {
      const n = Number(value);
      if (!Number.isFinite(n) || n < 0) throw new Error(`l2/responder/main: ${flag} ${value} is not a number >= 0`);
      numbers[flag] = n;
    } else {
      throw new Error(`l2/responder/main: unknown flag ${flag}`);
    }
  }
  return { own, numbers };
}

function main(): void {
  let args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(2);
  }
  const responder = new PacketResponder({
    announceCount: args.numbers['--announce-count'] ?? 3,
    announceIntervalMs: args.numbers['--announce-interval-ms'] ?? 500,
    refreshIntervalMs: args.numbers['--refresh-ms'] ?? 0,
    onError: (error) => print({ event: 'error', message: String(error) }),
  });
  const apply = (verb: string, iface: string, ip: string): void => {
    try {
      if (verb === 'own') responder.own(iface, ip);
      else responder.disown(iface, ip);
      print({ event: verb, interface: iface, ip });
    } catch (error) {
      print({ event: 'error', message: (error as Error).message });
    }
  };
  for (const [iface, ip] of args.own) apply('own', iface, ip);
  let done = false;
  const stop = (): void => {
    if (done) return;
    done = true;
    const counters = responder.counters();
    responder.close();
    print({ event: 'stopped', counters });
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  const lines = createInterface({ input: process.stdin });
  lines.on('line', (line) => {
    const [verb, iface, ip] = line.trim().split(/\s+/);
    if (verb === 'stats') print({ event: 'stats', owned: responder.owned(), counters: responder.counters() });
    else if ((verb === 'own' || verb === 'disown') && iface && ip) apply(verb, iface, ip);
    else if (verb) print({ event: 'error', message: `l2/responder/main: unknown command ${JSON.stringify(line)}` });
  });
  lines.on('close', stop);
  print({ event: 'ready', pid: process.pid, owned: responder.owned() });
}

main();
