// `npm run bench -- bfd`, lab part (root): how fast a dead node leaves the ToR's kernel FIB, with
// BFD at 300 ms x 3 (FRR's default), at 50 ms x 3, and without BFD (the hold timer, 9 s here), in
// one run. The bfd lab (FRR with bfdd and BIRD), two nodes announcing one Service; each trial
// cuts node2's link (`ip link set down`: the node is gone, nothing closes its TCP) and times the
// ToR's FIB (`ip route`, polled every 10 ms) until node2's nexthop is gone; then the link comes
// back and the next trial waits for both nexthops again. A client behind the ToR opens connections
// throughout each trial (three loops, 500 ms connect timeout) through the kube-proxy stand-in to the
// Service's pod on node1: what failed while the ToR still sent some of them to the dead node.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lab, programs, speakerLab } from '@headland/lab';
import { percentile } from './_speaker-stats.js';
import { holdLabLock } from './_speaker-lock.js';

const LAB = 'bfd';
const NODES: Record<string, string[]> = { node1: ['198.18.0.11', '2001:db8:f::11'], node2: ['198.18.0.12', '2001:db8:f::12'] };
const print = (line: Record<string, unknown>): void => console.log(JSON.stringify({ bench: 'bfd/failover', ...line }));

export async function runFailoverBench(trials: number, baselineTrials: number): Promise<boolean> {
  if (process.getuid?.() !== 0 || programs.KUBECTL === undefined) {
    print({ skipped: process.getuid?.() !== 0 ? 'needs root (it builds the bfd lab)' : 'kubectl is not installed' });
    return true;
  }
  const lock = await holdLabLock();
  const base = readFileSync(join(programs.REPO_ROOT, 'lab/topologies/bfd/headland.yaml'), 'utf8').replace('spec: { ipAddressPools: [lab] }', 'spec: { ipAddressPools: [lab], dataPlaneCheck: None }');
  const pods = { 'node1-pod-a': { target: 'node1/pod-a', node: 'node1', ips: ['198.18.101.2'] } };
  const bench = new speakerLab.SpeakerLab({ topology: join(programs.REPO_ROOT, 'lab/topologies/bfd/bfd.clab.yml'), lab: LAB, nodes: NODES, pods, config: base });
  const vtysh = (...c: string[]) => lab.run(lab.frrVtysh(LAB, 'tor', ...c));
  let ok = true;
  try {
    await bench.start();
    await lab.waitEstablished(LAB, 'tor', 'frr', { peers: ['198.18.0.11', '198.18.0.12'] }, 30_000);
    await bench.apply(`${bench.service('fail', 'Cluster')}---\n${bench.slice('fail', ['node1-pod-a'])}`);
    const [ip] = await bench.ingressOf('fail');
    const bfdUp = async (): Promise<number> => (JSON.parse(await vtysh('show bfd peers json')) as { status: string }[]).filter((p) => p.status === 'up').length;
    const gateways = async (): Promise<string[]> => (lab.findRoute(await lab.nodeFib(LAB, 'tor', 4), `${ip!}/32`)?.paths[0]?.nexthops ?? []).flatMap((h) => (h.via === undefined ? [] : [h.via])).sort();
    for (const [name, ms, count] of [['bfd-300ms-x3', 300, trials], ['bfd-50ms-x3', 50, trials], ['no-bfd-hold-9s', 0, baselineTrials]] as const) {
      if (ms === 0) {
        await bench.apply(base.replace(/, bfdProfile: fast/g, ''));
        await vtysh('configure terminal', 'router bgp 64512', 'no neighbor NODES bfd');
      } else {
        await bench.apply(base.replace('spec: { transmitInterval: 300, receiveInterval: 300, detectMultiplier: 3 }', `spec: { transmitInterval: ${ms}, receiveInterval: ${ms}, detectMultiplier: 3 }`));
        await vtysh('configure terminal', 'bfd', 'profile fast', `transmit-interval ${ms}`, `receive-interval ${ms}`);
      }
      const times: number[] = [];
      const failed: number[] = [];
      let connections = 0;
      const cut = await bench.linkCutter('node2');
      for (let t = 0; t < count; t++) {
        await lab.waitFor(gateways, (g) => g.length === 2, { timeoutMs: 60_000, intervalMs: 50, what: 'both nodes in the ToR\'s route' });
        // With BFD, its sessions must be Up again too (after a cut, FRR makes the dynamic neighbour's anew).
        if (ms > 0) await lab.waitFor(bfdUp, (n) => n >= 4, { timeoutMs: 60_000, intervalMs: 100, what: "FRR's four BFD sessions Up" });
        await new Promise((r) => setTimeout(r, 500));
        await bench.dataPlaneSettled();
        let looping = true;
        const rounds = [0, 100, 200].map(async (delay) => {
          await new Promise((r) => setTimeout(r, delay));
          let failedHere = 0;
          let total = 0;
          while (looping) {
            const s = await bench.trafficNow(ip!, 50, 500);
            failedHere += s.failed;
            total += s.count;
          }
          return { failedHere, total };
        });
        await new Promise((r) => setTimeout(r, 300));
        const t0 = Date.now();
        await cut.cut();
        await lab.waitFor(gateways, (g) => !g.includes('198.18.0.12'), { timeoutMs: 30_000, intervalMs: 10, what: "node2's nexthop to leave the ToR's FIB" });
        times.push(Date.now() - t0);
        await new Promise((r) => setTimeout(r, 600));
        looping = false;
        const r = await Promise.all(rounds);
        failed.push(r.reduce((a, x) => a + x.failedHere, 0));
        connections += r.reduce((a, x) => a + x.total, 0);
        await cut.restore();
      }
      const p50 = percentile(times, 50);
      const p99 = percentile(times, 99);
      const target = ms === 300 ? 1_000 : ms === 50 ? 300 : undefined;
      if (target !== undefined && p99 > target) ok = false;
      print({
        case: name, trials: count, p50_ms: p50, p99_ms: p99, max_ms: Math.max(...times), min_ms: Math.min(...times), ...(target === undefined ? {} : { target_ms: target, ok: p99 <= target }),
        failed_connections_p50: percentile(failed, 50), failed_connections_p99: percentile(failed, 99), connections, failed_connections: failed.reduce((a, b) => a + b, 0),
        how: 'ip link set down on node2 -> its nexthop gone from the ToR kernel FIB (polled every 10 ms); a client loop (500 ms connect timeout) from 300 ms before the cut to 600 ms after the nexthop left',
      });
    }
  } catch (error) {
    ok = false;
    print({ error: (error as Error).message.slice(0, 500) });
  } finally {
    await bench.stop();
    await lock.release();
  }
  return ok;
}
