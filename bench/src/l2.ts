// `npm run bench -- l2`: the ARP responder's reply latency (arping from a client namespace, p50
// and p99, beside the kernel answering for its own address on the same link) and the replies per
// second one responder sustains under a flood. Needs root (network namespaces, packet sockets).
//
// Environment: L2_BENCH_COUNT (arping requests per run, default 100), L2_BENCH_INTERVALS_MS
// (gaps between requests, default "10,100,1000": 1000 is arping's own default, and the coldest
// path; latency depends on how idle the machine got between requests), L2_BENCH_FLOOD_SECONDS
// (default 3).
//
// Then the failover figure (_l2-failover-lab.ts): on the l2-flat lab, which this bench builds
// under the k8s-lab lock (/run/headland-k8s-lab.lock; set HEADLAND_K8S_LAB_LOCK=held when the
// whole run is already under flock), the owner of a Cluster IP has its speaker SIGKILLed and its
// LAN link cut at once while the client opens a TCP connection every 10 ms; the gap (kill to the
// first success after the last failure) per trial, p50 and max against 1 s.
// L2_BENCH_FAILOVER_TRIALS (default 5; 0 skips it).

import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { lab } from '@headland/lab';
import { parseArping, percentile } from './_l2-arping.js';
import { nearestRank } from './_l2-failover.js';
import { runFailoverTrials } from './_l2-failover-lab.js';
import { CLIENT_IF, CLIENT_IP, CLIENT_MAC, CLIENT_NS, KERNEL_IP, NODE_MAC, NODE_IF, ResponderProcess, SERVICE_IP, setup, teardown } from './_l2-lab.js';

const print = (line: Record<string, unknown>): void => console.log(JSON.stringify({ bench: 'l2', ...line }));
const round = (n: number, digits = 1): number => Math.round(n * 10 ** digits) / 10 ** digits;
const load1 = (): number => round(loadavg()[0] ?? 0, 2);

const count = Number(process.env['L2_BENCH_COUNT'] ?? 100);
const intervals = (process.env['L2_BENCH_INTERVALS_MS'] ?? '10,100,1000').split(',').map(Number);
const floodSeconds = Number(process.env['L2_BENCH_FLOOD_SECONDS'] ?? 3);
const failoverTrials = Number(process.env['L2_BENCH_FAILOVER_TRIALS'] ?? 5);
const FAILOVER_TARGET_MS = 1_000;
const FLOOD = new URL('./_l2-flood.js', import.meta.url).pathname;

async function arping(target: string, intervalMs: number): Promise<ReturnType<typeof parseArping>> {
  const timeoutMs = count * (intervalMs + 50) + 30_000;
  const r = await lab.tryRun(['ip', 'netns', 'exec', CLIENT_NS, 'arping', '-i', CLIENT_IF, '-c', String(count), '-W', String(intervalMs / 1000), target], { timeoutMs });
  return parseArping(r.stdout);
}

function flood(): Promise<{ sent: number; refused: number; replies: number; seconds: number }> {
  const args = JSON.stringify({ interface: CLIENT_IF, mac: CLIENT_MAC, ip: CLIENT_IP, target: SERVICE_IP, seconds: floodSeconds });
  return new Promise((resolve, reject) => {
    const child = spawn('ip', ['netns', 'exec', CLIENT_NS, process.execPath, FLOOD, args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    // 'close', not 'exit': the output is whole only once the pipe is closed.
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out) as never) : reject(new Error(`l2 bench: flood exited ${code}: ${out}`))));
  });
}

if (process.getuid?.() !== 0) {
  print({ case: 'arp-latency', skipped: 'needs root (network namespaces and packet sockets)' });
  process.exit(0);
}

let failed = false;
await setup();
const responder = new ResponderProcess([`--own`, `${NODE_IF}=${SERVICE_IP}`, '--announce-count', '1']);
try {
  await responder.next('ready', 15_000);
  for (const intervalMs of intervals) {
    for (const [who, target] of [
      ['kernel', KERNEL_IP],
      ['responder', SERVICE_IP],
    ] as const) {
      const r = await arping(target, intervalMs);
      const wrongMac = r.macs.some((m) => m !== NODE_MAC);
      if (r.timesUs.length === 0 || wrongMac) failed = true;
      print({
        case: 'arp-latency',
        answered_by: who,
        interval_ms: intervalMs,
        sent: r.sent,
        answered: r.timesUs.length,
        p50_us: round(percentile(r.timesUs, 50)),
        p99_us: round(percentile(r.timesUs, 99)),
        ...(who === 'responder' && { target_p50_us: 150 }),
        ...(wrongMac && { error: `answered by ${r.macs.join(', ')}, expected only ${NODE_MAC}` }),
        load1: load1(),
      });
    }
  }
  const before = await responder.stats();
  const f = await flood();
  const after = await responder.stats();
  const replies = (c: Record<string, unknown>) => (c['replies'] as { arp: number }).arp;
  const received = (c: Record<string, unknown>) => (c['received'] as { arp: number }).arp;
  print({
    case: 'arp-replies-per-second',
    seconds: round(f.seconds, 2),
    offered_per_s: Math.round(f.sent / f.seconds),
    responder_received_per_s: Math.round((received(after) - received(before)) / f.seconds),
    responder_replies_per_s: Math.round((replies(after) - replies(before)) / f.seconds),
    client_replies_per_s: Math.round(f.replies / f.seconds),
    kernel_queue_drops: (after['kernelDrops'] as number) - (before['kernelDrops'] as number),
    send_failures: (after['sendFailures'] as number) - (before['sendFailures'] as number),
    load1: load1(),
  });
} catch (error) {
  failed = true;
  print({ case: 'l2', error: (error as Error).message });
} finally {
  await responder.stop();
  await teardown();
}

if (failoverTrials > 0) {
  try {
    const trials = await runFailoverTrials(failoverTrials);
    for (const [i, t] of trials.entries()) print({ case: 'failover-trial', trial: i + 1, from: t.from, to: t.to, gap_ms: t.gapMs, failed_connections: t.failed, ok_connections: t.ok });
    const gaps = trials.map((t) => t.gapMs).filter((g): g is number => g !== undefined);
    const p50 = nearestRank(gaps, 50);
    const max = gaps.length === trials.length ? nearestRank(gaps, 100) : undefined;
    const ok = max !== undefined && max <= FAILOVER_TARGET_MS && trials.every((t) => t.to !== undefined && t.to !== t.from);
    if (!ok) failed = true;
    print({ case: 'failover', how: 'owner speaker SIGKILL + its LAN link down; TCP connect every 10 ms to a Cluster IP', trials: trials.length, recovered: gaps.length, p50_ms: p50, max_ms: max, target_ms: FAILOVER_TARGET_MS, ok, load1: load1() });
  } catch (error) {
    failed = true;
    print({ case: 'failover', error: (error as Error).message });
  }
}
process.exit(failed ? 1 : 0);
