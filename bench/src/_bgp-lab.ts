// The FRR acceptance runs: in the bgp-bench lab, time from session start until FRR's pfxRcd
// for the source equals N, for the bgp-speaker-ts library (node spk) and for BIRD 2 (node
// bird), one source at a time with FRR's table emptied between runs, alternating who goes first.

import { readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { lab } from '@headland/lab';
import { AnnouncerChild } from './_bgp-child.js';
import { BIRD_BGP_PROTOCOL, birdBenchConfig, birdConnectTime } from './_bgp-bird.js';
import { parseFrrIpv4Summary, type FrrIpv4Summary } from './_bgp-frr.js';
import { benchPrefixes } from './_bgp-prefixes.js';

export const LAB = 'bgp-bench';
const TOPOLOGY = new URL('../../lab/topologies/bgp-bench/bgp-bench.clab.yml', import.meta.url).pathname;
const FRR = { address: '198.18.0.1', as: 64512 };
const SPEAKER = { address: '198.18.0.2', as: 64513 };
const BIRD = { address: '198.18.0.3', as: 64514 };
/** Between FRR polls: each vtysh call costs FRR and the machine a little, the same for both sources. */
const POLL_MS = 50;

export type Source = 'speaker' | 'bird';

export interface AcceptRun {
  readonly source: Source;
  readonly count: number;
  /** Session start to FRR's pfxRcd == count. */
  readonly ms: number;
  /** The speaker only: session start to Established, as the library saw it. */
  readonly establishedMs?: number;
  /** BIRD only: from `birdc enable` to its first connect (its own delay, not counted in ms). */
  readonly connectDelayMs?: number;
  readonly load1: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function frrSummary(): Promise<FrrIpv4Summary> {
  return parseFrrIpv4Summary(await lab.run(lab.frrVtysh(LAB, 'frr', 'show bgp summary json')));
}

async function birdc(...words: string[]): Promise<string> {
  const out = await lab.run(lab.birdc(LAB, 'bird', ...words));
  // birdc answers errors on stdout with a status of 0.
  if (/syntax error|error|unknown/i.test(out.split('\n').slice(1).join('\n'))) throw new Error(`bgp-lab: birdc ${words.join(' ')}: ${out.trim()}`);
  return out;
}

const BIRD_LOG = `${lab.naming.nodeRunDir(LAB, 'bird')}/bench.log`;

/** Polls FRR until `peer` has `count` prefixes; returns the milliseconds since t0. */
async function untilAccepted(peer: string, count: number, t0: number, timeoutMs: number): Promise<number> {
  let last: unknown;
  while (performance.now() - t0 < timeoutMs) {
    const pfx = (await frrSummary()).peers.get(peer)?.pfxRcd ?? 0;
    const at = performance.now() - t0;
    if (pfx === count) return at;
    last = pfx;
    await sleep(POLL_MS);
  }
  throw new Error(`bgp-lab: FRR did not accept ${count} prefixes from ${peer} in ${timeoutMs} ms (last pfxRcd ${String(last)})`);
}

/** Waits until FRR has no session up and no route left, so every run starts from the same table. */
async function untilFrrEmpty(timeoutMs = 120_000): Promise<void> {
  const t0 = Date.now();
  for (;;) {
    const s = await frrSummary();
    if (s.ribCount === 0 && [...s.peers.values()].every((p) => p.state !== 'Established')) return;
    if (Date.now() - t0 > timeoutMs) throw new Error(`bgp-lab: FRR still holds ${s.ribCount} routes after ${timeoutMs} ms`);
    await sleep(200);
  }
}

async function loadBird(count: number): Promise<void> {
  const file = `${lab.naming.nodeRunDir(LAB, 'bird')}/bench-${count}.conf`;
  writeFileSync(file, birdBenchConfig({ logFile: BIRD_LOG, routerId: BIRD.address, localAddress: BIRD.address, localAs: BIRD.as, neighbor: FRR.address, neighborAs: FRR.as, prefixes: benchPrefixes(count) }));
  await birdc('configure', `"${file}"`);
  // The static routes must all be in BIRD's table before its clock may start.
  const t0 = Date.now();
  while (!new RegExp(`^${count} of ${count} routes`, 'm').test(await birdc('show', 'route', 'count'))) {
    if (Date.now() - t0 > 60_000) throw new Error(`bgp-lab: BIRD did not load ${count} static routes`);
    await sleep(200);
  }
}

async function runBird(count: number, timeoutMs: number): Promise<AcceptRun> {
  await untilFrrEmpty();
  const load1 = loadavg()[0] ?? 0;
  const enabledAt = Date.now();
  const t0 = performance.now();
  await birdc('enable', BIRD_BGP_PROTOCOL);
  const sinceEnable = await untilAccepted(BIRD.address, count, t0, timeoutMs);
  await birdc('disable', BIRD_BGP_PROTOCOL);
  // The session starts when BIRD connects (after its built-in delay), as the speaker's does on "go".
  const connectedAt = birdConnectTime(readFileSync(BIRD_LOG, 'utf8'));
  if (connectedAt === undefined || connectedAt < enabledAt - 5) throw new Error(`bgp-lab: no "Connecting to" line in ${BIRD_LOG} after enabling ${BIRD_BGP_PROTOCOL}`);
  const connectDelayMs = Math.max(0, connectedAt - enabledAt);
  return { source: 'bird', count, ms: sinceEnable - connectDelayMs, connectDelayMs, load1 };
}

async function runSpeaker(count: number, timeoutMs: number, namespace: string): Promise<AcceptRun> {
  await untilFrrEmpty();
  const child = AnnouncerChild.start(
    {
      count,
      localAs: SPEAKER.as,
      routerId: SPEAKER.address,
      peers: [{ address: FRR.address, peerAs: FRR.as, sourceAddress: SPEAKER.address, holdTime: 30, connectRetry: { initial: 1, max: 2, jitter: 0 } }],
    },
    namespace,
  );
  try {
    await child.waitFor((l) => l.event === 'ready', 120_000);
    const load1 = loadavg()[0] ?? 0;
    const t0 = performance.now();
    child.send('go');
    const ms = await untilAccepted(SPEAKER.address, count, t0, timeoutMs);
    const up = child.lines.find((l) => l.event === 'state' && l['to'] === 'Established');
    return { source: 'speaker', count, ms, load1, ...(typeof up?.['ms'] === 'number' ? { establishedMs: up['ms'] } : {}) };
  } finally {
    await child.stop();
  }
}

export interface AcceptOptions {
  readonly counts: readonly number[];
  readonly rounds: number;
  readonly timeoutMs: number;
  readonly progress: (run: AcceptRun) => void;
}

/** Brings the lab up, runs every count `rounds` times per source, and always takes the lab down. */
export async function measureAcceptance(opts: AcceptOptions): Promise<AcceptRun[]> {
  // A lab left by an interrupted run would make startLab refuse; it is ours to remove.
  if ((await lab.listLabs()).includes(LAB)) await lab.downLab(LAB);
  const running = await lab.startLab(TOPOLOGY);
  const runs: AcceptRun[] = [];
  try {
    const namespace = running.namespace('spk');
    for (const count of opts.counts) {
      await loadBird(count);
      for (let round = 0; round < opts.rounds; round++) {
        const order: Source[] = round % 2 === 0 ? ['bird', 'speaker'] : ['speaker', 'bird'];
        for (const source of order) {
          const run = source === 'bird' ? await runBird(count, opts.timeoutMs) : await runSpeaker(count, opts.timeoutMs, namespace);
          runs.push(run);
          opts.progress(run);
        }
      }
    }
  } finally {
    await running.down();
  }
  return runs;
}
