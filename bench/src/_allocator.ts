// The allocator alone: 10,000 allocations into an IPv4 /16, and the same into an IPv4 /8 and an
// IPv6 /64, whose time must not grow with the pool (ratio to the /16 <= 1.5); one JSON line each.
import { loadavg } from 'node:os';
import { API_VERSION, buildConfig, emptySnapshot, type Pool } from '@headland/api';
import { Allocator, serviceRequest, type ServiceRequest } from '@headland/controller';

const ALLOCATIONS = 10_000;
const WARMUPS = 5;
const RUNS = 15;
const TARGET_MS = 50;
const TARGET_RATIO = 1.5;

function pool(name: string, addresses: string[]): Pool {
  const config = buildConfig({ ...emptySnapshot(), ipAddressPools: [{ apiVersion: API_VERSION, kind: 'IPAddressPool', metadata: { name, namespace: 'headland-system' }, spec: { addresses } }] } as never);
  const built = config.pools.get(name);
  if (built === undefined) throw new Error(`bench: pool ${name} rejected: ${JSON.stringify(config.issues)}`);
  return built;
}

function requests(family: 'IPv4' | 'IPv6'): ServiceRequest[] {
  return Array.from({ length: ALLOCATIONS }, (_, i) => {
    const svc = {
      metadata: { name: `svc-${i}`, namespace: `ns-${i % 50}`, labels: { app: `app-${i % 100}` } },
      spec: { type: 'LoadBalancer', ipFamilies: [family], ports: [{ port: 80, protocol: 'TCP' }], selector: { app: `app-${i % 100}` } },
    };
    const r = serviceRequest(svc, {});
    if (!r.ok) throw new Error(`bench: ${r.error.message}`);
    return r.request;
  });
}

interface Timing {
  /** Wall clock. */
  readonly ms: number;
  /** CPU time of this process (user + system): what the work costs when other processes share the cores. */
  readonly cpuMs: number;
}

function timed(work: () => void): Timing {
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  work();
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const used = process.cpuUsage(cpu);
  return { ms, cpuMs: (used.user + used.system) / 1000 };
}

// One run: a fresh allocator, every request allocated.
function allocateAll(pools: readonly Pool[], reqs: readonly ServiceRequest[]): Timing {
  return timed(() => {
    const allocator = new Allocator(pools);
    for (const req of reqs) {
      const r = allocator.allocate(req);
      if (!r.ok) throw new Error(`bench: ${r.error.message}`);
    }
  });
}

// Half the services leave (every other one) and as many new ones arrive: the free addresses are
// scattered, the case a linear scan from the pool start handles worst.
function churn(pools: readonly Pool[], reqs: readonly ServiceRequest[]): Timing {
  const allocator = new Allocator(pools);
  for (const req of reqs) allocator.allocate(req);
  const again = reqs.map((req) => ({ ...req, key: `${req.key}-again` }));
  return timed(() => {
    for (let i = 0; i < reqs.length; i += 2) allocator.release(reqs[i]?.key ?? '');
    for (let i = 0; i < again.length; i += 2) {
      const req = again[i];
      if (req !== undefined && !allocator.allocate(req).ok) throw new Error('bench: churn allocation failed');
    }
  });
}

interface Figures {
  /** Median wall clock, the figure the targets are about. */
  readonly ms: number;
  readonly minMs: number;
  readonly cpuMs: number;
}

// Rounds run every case in turn, so a burst of load on a shared machine hits all cases alike
// and the ratios stay fair; each case's figure is its median over the rounds.
function measure(cases: readonly (() => Timing)[]): Figures[] {
  for (let i = 0; i < WARMUPS; i++) for (const run of cases) run();
  const runs: Timing[][] = cases.map(() => []);
  for (let i = 0; i < RUNS; i++) {
    // No forced gc() between runs: a full collection shrinks the young generation, and the next
    // run then pays for re-growing it, which a long-running controller never does.
    cases.forEach((run, c) => runs[c]?.push(run()));
  }
  const mid = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
  return runs.map((r) => ({ ms: round(mid(r.map((t) => t.ms))), minMs: round(Math.min(...r.map((t) => t.ms))), cpuMs: round(mid(r.map((t) => t.cpuMs))) }));
}

const round = (ms: number) => Math.round(ms * 100) / 100;

export async function runAllocatorBench(): Promise<void> {
  const v4 = requests('IPv4');
  const v6 = requests('IPv6');
  const cases = [
    { name: 'ipv4-/16', pools: [pool('v4-16', ['198.18.0.0/16'])], reqs: v4 },
    { name: 'ipv4-/8', pools: [pool('v4-8', ['10.0.0.0/8'])], reqs: v4 },
    { name: 'ipv6-/64', pools: [pool('v6-64', ['2001:db8::/64'])], reqs: v6 },
  ];
  // The load average goes with the figures: the machine may be shared, and wall time shows it.
  const load = round(loadavg()[0] ?? NaN);
  const figures = measure([...cases.map((c) => () => allocateAll(c.pools, c.reqs)), () => churn(cases[0]?.pools ?? [], v4)]);
  const base = figures[0];
  cases.forEach((c, i) => {
    const f = figures[i];
    if (f === undefined || base === undefined) return;
    const line: Record<string, unknown> = { bench: 'controller/allocator', case: c.name, allocations: ALLOCATIONS, ...f, runs: RUNS, load };
    if (i > 0) {
      const ratio = f.ms / base.ms;
      Object.assign(line, { ratioTo16: round(ratio), cpuRatioTo16: round(f.cpuMs / base.cpuMs), target: TARGET_RATIO, ok: ratio <= TARGET_RATIO });
    }
    console.log(JSON.stringify(line));
  });
  const total = base?.ms ?? NaN;
  console.log(JSON.stringify({ bench: 'controller/allocator', case: 'total', allocations: ALLOCATIONS, ms: total, cpuMs: base?.cpuMs, targetMs: TARGET_MS, ok: total <= TARGET_MS, cpuOk: (base?.cpuMs ?? NaN) <= TARGET_MS, load }));
  console.log(JSON.stringify({ bench: 'controller/allocator', case: 'ipv4-/16-churn', releases: ALLOCATIONS / 2, allocations: ALLOCATIONS / 2, ...figures[3], load }));
}
