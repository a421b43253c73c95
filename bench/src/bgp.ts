// `npm run bench -- bgp`: bgp-speaker-ts figures, one JSON line each. UPDATE encode/decode
// rates and the RSS of 100,000 routes x 2 peers run anywhere; FRR acceptance beside BIRD needs root.
//
// Environment: BGP_BENCH_COUNTS (default "10000,100000"), BGP_BENCH_ROUNDS (default 2),
// BGP_BENCH_SKIP (comma list of codec, rss, frr), BGP_BENCH_SPEAKER_MODULE (another build of
// bgp-speaker-ts for the speaker side, to compare before and after a change).

import { loadavg } from 'node:os';
import { codecFigures } from './_bgp-codec.js';
import { measureAcceptance, type AcceptRun } from './_bgp-lab.js';
import { measureRss } from './_bgp-rss.js';

const print = (line: Record<string, unknown>): void => console.log(JSON.stringify({ bench: 'bgp', ...line }));
const round = (n: number, digits = 0): number => Math.round(n * 10 ** digits) / 10 ** digits;
const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
const load1 = (): number => round(loadavg()[0] ?? 0, 2);

const skip = new Set((process.env['BGP_BENCH_SKIP'] ?? '').split(',').filter(Boolean));
const counts = (process.env['BGP_BENCH_COUNTS'] ?? '10000,100000').split(',').map(Number);
const rounds = Number(process.env['BGP_BENCH_ROUNDS'] ?? 2);
let failed = false;

if (!skip.has('codec')) {
  for (const f of codecFigures(5)) {
    print({
      case: `${f.case}-encode`,
      messages: f.messages,
      prefixes: f.prefixes,
      ms: round(f.encodeMs, 1),
      messages_per_s: round((f.messages / f.encodeMs) * 1000),
      prefixes_per_s: round((f.prefixes / f.encodeMs) * 1000),
      load1: load1(),
    });
    print({
      case: `${f.case}-decode`,
      messages: f.messages,
      prefixes: f.prefixes,
      ms: round(f.decodeMs, 1),
      messages_per_s: round((f.messages / f.decodeMs) * 1000),
      prefixes_per_s: round((f.prefixes / f.decodeMs) * 1000),
      load1: load1(),
    });
  }
}

if (!skip.has('rss')) {
  try {
    const r = await measureRss(100_000, 2, 120_000);
    print({
      case: 'rss-100k-routes-2-peers',
      rss_mb: r.rssMb,
      heap_mb: r.heapMb,
      empty_rss_mb: r.emptyRssMb,
      routes_loaded_rss_mb: r.loadedRssMb,
      bytes_per_route_per_peer: round(((r.rssMb - r.loadedRssMb) * 2 ** 20) / (r.routes * r.peers)),
      load1: load1(),
    });
  } catch (error) {
    failed = true;
    print({ case: 'rss-100k-routes-2-peers', error: (error as Error).message });
  }
}

if (!skip.has('frr')) {
  if (process.getuid?.() !== 0) {
    print({ case: 'frr-accept', skipped: 'needs root (network namespaces for the lab)' });
  } else {
    try {
      const runs = await measureAcceptance({
        counts,
        rounds,
        timeoutMs: 300_000,
        progress: (run) => console.error(`bgp: ${run.source} ${run.count}: ${round(run.ms)} ms (load ${round(run.load1, 2)})`),
      });
      for (const count of counts) {
        const of = (source: AcceptRun['source']) => runs.filter((r) => r.count === count && r.source === source);
        const ms = median(of('speaker').map((r) => r.ms));
        const birdMs = median(of('bird').map((r) => r.ms));
        const established = of('speaker').map((r) => r.establishedMs).filter((x): x is number => x !== undefined);
        print({
          case: `frr-accept-${count >= 1000 ? `${count / 1000}k` : count}`,
          ms: round(ms),
          bird_ms: round(birdMs),
          ratio: round(ms / birdMs, 3),
          target: 1.0,
          runs_ms: of('speaker').map((r) => round(r.ms)),
          bird_runs_ms: of('bird').map((r) => round(r.ms)),
          established_ms: established.length > 0 ? round(median(established)) : null,
          bird_connect_delay_ms: round(median(of('bird').map((r) => r.connectDelayMs ?? 0))),
          load1: round(median(runs.filter((r) => r.count === count).map((r) => r.load1)), 2),
          speaker_module: process.env['BGP_BENCH_SPEAKER_MODULE'] ?? 'bgp-speaker-ts',
          frr: 'bgp no-rib (nothing to zebra or the kernel), passive; BIRD and the speaker send static /32s, extended messages on',
        });
      }
    } catch (error) {
      failed = true;
      print({ case: 'frr-accept', error: (error as Error).message });
    }
  }
}

process.exit(failed ? 1 : 0);
