// The l2 failover trials on the l2-flat lab (three k8s-nodes with a headland-speaker each, a
// client on the same bridge), under the k8s-lab lock: per trial, the owner of a Cluster IP has
// its speaker SIGKILLed and its LAN link cut at the same moment (so it really stops serving), while
// the client opens a TCP connection every 10 ms; the gap comes from _l2-failover.ts.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { lab, programs, speakerLab } from '@headland/lab';
import { failoverGap, type Attempt, type Gap } from './_l2-failover.js';
import { holdLabLock } from './_speaker-lock.js';

const TOPOLOGY = join(programs.REPO_ROOT, 'lab/topologies/l2-flat/l2-flat.clab.yml');
const NODES: Readonly<Record<string, readonly string[]>> = { node1: ['198.18.10.11'], node2: ['198.18.10.12'], node3: ['198.18.10.13'] };
const PODS = {
  'node1-pod-a': { target: 'node1/pod-a', node: 'node1', ips: ['198.18.111.2'] },
  'node2-pod-a': { target: 'node2/pod-a', node: 'node2', ips: ['198.18.112.2'] },
  'node3-pod-a': { target: 'node3/pod-a', node: 'node3', ips: ['198.18.113.2'] },
} as const;
const CONFIG = `
apiVersion: v1
kind: Secret
metadata: { name: headland-memberlist, namespace: headland-system }
stringData: { secretkey: l2-flat-bench-membership-key-0123456789 }
---
apiVersion: headland.io/v1beta1
kind: IPAddressPool
metadata: { name: lan, namespace: headland-system }
spec: { addresses: [203.0.113.0/28] }
---
apiVersion: headland.io/v1beta1
kind: L2Advertisement
metadata: { name: lan, namespace: headland-system }
spec: { ipAddressPools: [lan] }
`;
const PROBE = new URL('./_l2-failover-probe.js', import.meta.url).pathname;
const INTERVAL_MS = 10;
const CONNECT_TIMEOUT_MS = 200;
/** Probing before the kill (the client is warm) and in all. */
const LEAD_MS = 300;
const PROBE_MS = 4_000;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export interface Trial extends Gap {
  readonly from: string;
  readonly to: string | undefined;
}

/** The client's attempts over PROBE_MS (from the client namespace). */
function probe(netns: string, ip: string): Promise<Attempt[]> {
  return new Promise((resolve, reject) => {
    execFile('ip', ['netns', 'exec', netns, process.execPath, PROBE, ip, '80', String(INTERVAL_MS), String(CONNECT_TIMEOUT_MS), String(PROBE_MS)], { timeout: PROBE_MS + 10_000, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) =>
      err === null ? resolve(JSON.parse(stdout) as Attempt[]) : reject(new Error(`bench/l2-failover: probe failed: ${err.message} ${stderr}`)),
    );
  });
}

/** Runs `trials` failovers; takes the k8s-lab lock for the lab's lifetime. */
export async function runFailoverTrials(trials: number): Promise<Trial[]> {
  const lock = await holdLabLock();
  const bench = new speakerLab.SpeakerLab({ topology: TOPOLOGY, lab: 'l2-flat', nodes: NODES, pods: PODS, config: CONFIG, nodeStatus: true });
  const speakers = bench.speakers;
  /** Nodes among `among` whose speaker's last word on ip says it answers for it. */
  const owners = (ip: string, among: readonly string[]): string[] => bench.l2Owners(ip).filter((node) => among.includes(node));
  const all = Object.keys(NODES);
  const oneOwner = (ip: string, among: readonly string[]) =>
    lab.waitFor(async () => owners(ip, among), (o) => o.length === 1, { timeoutMs: 15_000, what: `one owner of ${ip}` }).then((o) => o[0]!);
  const out: Trial[] = [];
  try {
    await bench.start();
    const l = bench.l!;
    await bench.apply(`${bench.service('fail', 'Cluster')}---\n${bench.slice('fail', Object.keys(PODS))}`);
    const [ip] = await bench.ingressOf('fail');
    for (let t = 0; t < trials; t++) {
      const owner = await oneOwner(ip!, all);
      // Pods only on the other nodes: the cut node's pod would be unreachable from the new owner.
      await bench.apply(bench.slice('fail', Object.keys(PODS).filter((p) => !p.startsWith(owner))));
      await lab.waitFor(() => bench.traffic(ip!, 20), (s) => Object.keys(s.failures).length === 0 && !Object.keys(s.perPod).some((p) => p.startsWith(owner)), { timeoutMs: 10_000, what: `traffic to ${ip} avoiding ${owner}'s pod` }).catch(async (error: unknown) => {
        const neigh = await l.exec('client', ['ip', 'neigh']).catch(String);
        throw new Error(`${(error as Error).message}; trial ${t + 1}, owner ${owner}, owners now ${owners(ip!, all).join(',')}, client neighbours: ${neigh.trim().replace(/\n/g, '; ')}`);
      });
      const link = await bench.linkCutter(owner);
      const attempts = probe(l.namespace('client'), ip!);
      await sleep(LEAD_MS);
      const killAt = Date.now();
      await Promise.all([speakers.get(owner)!.stop('SIGKILL'), link.cut()]);
      speakers.delete(owner);
      const gap = failoverGap(await attempts, killAt);
      const others = all.filter((n) => n !== owner);
      const to = owners(ip!, others);
      out.push({ ...gap, from: owner, to: to.length === 1 ? to[0] : undefined });
      // Back to three nodes: the link up, the speaker restarted, one owner again.
      await link.restore();
      bench.startSpeaker(owner);
      await speakers.get(owner)!.waitForLog((x) => x['msg'] === 'first flush done; ready', 20_000, 'ready');
      await oneOwner(ip!, all);
      await sleep(1_000);
    }
  } finally {
    await bench.stop();
    await lock.release();
  }
  return out;
}
