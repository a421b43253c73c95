#!/usr/bin/env node
// bgp-speaker --config FILE: a BgpSpeaker from a JSON config; announce/withdraw commands as
// JSON lines on stdin; session events and received routes as JSON lines on stdout; SIGTERM ends it
// cleanly (withdraw, Cease); SIGUSR2 or {"op":"restart-exit"} exits for a graceful restart.

import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { BgpSpeaker } from '../speaker.js';
import { formatPrefix } from '../wire/nlri.js';
import { parseCommand, parseConfig, routeToJson, type ProgramConfig } from './config.js';
import { encodeRestartState, restartVerdict, type RestartVerdict } from './restart-state.js';

function out(record: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), ...record })}\n`);
}

function configPath(argv: readonly string[]): string {
  const i = argv.indexOf('--config');
  const path = i >= 0 ? argv[i + 1] : argv.find((a) => a.startsWith('--config='))?.slice(9);
  if (!path) {
    process.stderr.write('usage: bgp-speaker --config FILE\n');
    process.exit(2);
  }
  return path;
}

/** Reads and removes the previous process's restart state: it is good for one start only. */
function takeRestartState(file: string | undefined): RestartVerdict {
  if (file === undefined || !existsSync(file)) return restartVerdict(undefined, Date.now());
  const verdict = restartVerdict(readFileSync(file, 'utf8'), Date.now());
  rmSync(file, { force: true });
  return verdict;
}

/** The longest restart time any peer was offered (the RFC 4724 default 120 s when unset). */
function longestRestartTime(config: ProgramConfig): number {
  return Math.max(0, ...config.peers.map((p) => (p.gracefulRestart && p.gracefulRestart.enabled !== false ? (p.gracefulRestart.restartTime ?? 120) : 0)));
}

async function main(): Promise<void> {
  const config = parseConfig(readFileSync(configPath(process.argv.slice(2)), 'utf8'));
  const restart = takeRestartState(config.restartStateFile);
  const speaker = new BgpSpeaker({ ...config.speaker, restarted: restart.restarted, log: (e) => out({ event: 'fsm', peer: e.peer, msg: e.msg, reason: e.reason, level: e.level }) });
  speaker.on('state', (e) => out({ event: 'state', peer: e.peer, from: e.from, to: e.to, reason: e.reason }));
  speaker.on('error', (e) => out({ event: 'error', peer: e.peer, direction: e.direction, message: e.error.message }));
  speaker.on('update-received', (e) => {
    for (const route of e.announced) out({ event: 'route', peer: e.peer, action: 'announce', ...routeToJson(route) });
    for (const prefix of e.withdrawn) out({ event: 'route', peer: e.peer, action: 'withdraw', prefix: formatPrefix(prefix) });
    if (e.endOfRib) out({ event: 'end-of-rib', peer: e.peer, family: e.endOfRib });
  });
  speaker.on('graceful-restart', ({ type: _type, ...e }) => out({ event: 'graceful-restart', ...e }));
  speaker.on('bfd', ({ type: _type, ...e }) => out({ event: 'bfd', ...e }));
  for (const route of config.routes) speaker.announce(route.prefix, route.attributes, route.peers);
  await speaker.start();
  for (const peer of config.peers) speaker.addPeer(peer);
  out({ event: 'ready', listenPort: speaker.listenPort, peers: config.peers.length, routes: config.routes.length, restarted: restart.restarted, restartReason: restart.reason });

  const lines = createInterface({ input: process.stdin });
  lines.on('line', (line) => {
    if (line.trim() === '') return;
    try {
      const command = parseCommand(line);
      if (command.kind === 'announce') speaker.announce(command.route.prefix, command.route.attributes, command.route.peers);
      else if (command.kind === 'withdraw') speaker.withdraw(command.prefix);
      else if (command.kind === 'restart-exit') void restartExit();
      else out({ event: 'status', peers: speaker.status() });
      if (command.kind !== 'status') out({ event: 'ok', command: command.kind });
    } catch (error) {
      out({ event: 'command-error', message: (error as Error).message });
    }
  });

  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    await speaker.stop();
    out({ event: 'stopped', graceful: false });
    // Give the withdrawals and Cease NOTIFICATIONs a moment on the wire before the process goes.
    setTimeout(() => process.exit(0), 200);
  };
  // For a restart (upgrade, config change): peers that agreed graceful restart keep our routes and
  // traffic keeps flowing; the state file tells the next process to set the R bit.
  const restartExit = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    const report = await speaker.stop({ graceful: true });
    if (config.restartStateFile !== undefined) {
      writeFileSync(config.restartStateFile, encodeRestartState({ stoppedAt: Date.now(), restartTime: longestRestartTime(config), retainedBy: report.retainedBy }));
    }
    out({ event: 'stopped', graceful: true, retainedBy: report.retainedBy });
    setTimeout(() => process.exit(0), 200);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
  process.on('SIGUSR2', () => void restartExit());
}

main().catch((error: unknown) => {
  out({ event: 'fatal', message: error instanceof Error ? error.message : String(error) });
  process.exit(1);
});
