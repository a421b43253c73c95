// Child program of the bgp benchmark: a BgpSpeaker (the library, in this process) holding N
// /32s, which opens its sessions on "go" from stdin and reports what happens as JSON lines.
//
//   node _bgp-announcer.js '{"count":100000,"localAs":64513,"routerId":"198.18.0.2","peers":[...]}'
//   stdin:  go | rss | stop        stdout: {"event":"ready"|"state"|"rss"|"error"|"stopped", ...}
// BGP_BENCH_SPEAKER_MODULE=/path/to/bgp/dist/index.js runs another build (before/after a change).

import { createInterface } from 'node:readline';
import type { BgpSpeaker as Speaker, PeerConfig } from 'bgp-speaker-ts';
import { benchPrefixes } from './_bgp-prefixes.js';

export interface AnnouncerConfig {
  readonly count: number;
  readonly localAs: number;
  readonly routerId: string;
  readonly peers: readonly PeerConfig[];
}

const say = (line: Record<string, unknown>): void => {
  process.stdout.write(`${JSON.stringify(line)}\n`);
};

const mb = (bytes: number): number => Math.round((bytes / 2 ** 20) * 10) / 10;

function memory(): Record<string, number> {
  // Collect first, so the figure is what is held rather than garbage not yet collected.
  (globalThis as { gc?: () => void }).gc?.();
  const m = process.memoryUsage();
  return { rss_mb: mb(m.rss), heap_mb: mb(m.heapUsed), external_mb: mb(m.external + m.arrayBuffers) };
}

async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2] ?? '{}') as AnnouncerConfig;
  const library = (await import(process.env['BGP_BENCH_SPEAKER_MODULE'] ?? 'bgp-speaker-ts')) as { BgpSpeaker: typeof Speaker };
  const empty = memory();
  const speaker = new library.BgpSpeaker({ localAs: config.localAs, routerId: config.routerId });
  const loadStart = performance.now();
  for (const prefix of benchPrefixes(config.count)) speaker.announce(prefix);
  const loadMs = performance.now() - loadStart;
  let t0 = 0;
  speaker.on('state', (e) => say({ event: 'state', peer: e.peer, to: e.to, reason: e.reason, ms: performance.now() - t0, announced: speaker.peer(e.peer)?.counters.prefixesAnnounced ?? 0 }));
  speaker.on('error', (e) => say({ event: 'error', peer: e.peer, direction: e.direction, message: e.error.message }));
  say({ event: 'ready', load_ms: loadMs, empty, loaded: memory() });

  for await (const line of createInterface({ input: process.stdin })) {
    const command = line.trim();
    if (command === 'go') {
      t0 = performance.now();
      for (const peer of config.peers) speaker.addPeer(peer);
    } else if (command === 'rss') {
      say({ event: 'rss', ...memory(), peers: speaker.status().map((s) => ({ peer: s.address, state: s.state, announced: s.counters.prefixesAnnounced })) });
    } else if (command === 'stop') {
      break;
    }
  }
  await speaker.stop();
  say({ event: 'stopped' });
  // Give the Cease a moment on the wire; the sockets' end() then lets the process exit.
  setTimeout(() => process.exit(0), 200).unref();
}

main().catch((error: unknown) => {
  say({ event: 'fatal', message: error instanceof Error ? error.message : String(error) });
  process.exit(1);
});
