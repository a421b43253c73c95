// The allocator: which IPs each service holds, from which pool, and every rule for handing out
// more. Pure state over plain types; the reconcilers turn its results into status and Events.
import { formatIP, type Family, type IPAddress, type Pool } from '@headland/api';
import { FAMILY_POLICY, wantedFamilies, type ServiceRequest } from '../service/request.js';
import { addressSpace, type AddressSpace } from './address-space.js';
import { ALLOCATION_FAILURE, allocationError, type AllocationError } from './failure.js';
import { HoldTable, type Hold } from './holds.js';
import { comparePools, isExplicit, serviceAllocationProblem } from './pool-order.js';
import { sharingProblem } from './sharing.js';
import { UsedRuns } from './used-runs.js';

export interface Assignment {
  readonly pool: string;
  /** In request.families order. */
  readonly ips: readonly IPAddress[];
}

export type AllocationResult = { ok: true; assignment: Assignment; changed: boolean } | { ok: false; error: AllocationError };

export interface Stranded {
  readonly key: string;
  readonly ips: readonly IPAddress[];
  readonly pool: string;
  readonly why: string;
}

export interface FamilyUsage {
  /** Distinct IPs in use (a shared IP counts once). */
  readonly assigned: bigint;
  /** Allocatable and still free. */
  readonly available: bigint;
  /** Allocatable in all: the pool's addresses minus those avoidBuggyIPs skips. */
  readonly total: bigint;
}

interface FamilyState {
  readonly space: AddressSpace;
  readonly used: UsedRuns;
}

interface PoolState {
  readonly pool: Pool;
  readonly families: Partial<Record<Family, FamilyState>>;
}

interface Holding {
  readonly request: ServiceRequest;
  readonly assignment: Assignment;
}

interface Candidate {
  readonly ip: IPAddress;
  readonly index: bigint;
}

type Outcome<T> = { ok: true; value: T } | { ok: false; error: AllocationError };

const FAMILIES = [4, 6] as const;

export class Allocator {
  #pools: PoolState[] = [];
  #byName = new Map<string, PoolState>();
  readonly #held = new Map<string, Holding>();
  readonly #holds = new HoldTable();

  constructor(pools: Iterable<Pool> = []) {
    this.setPools(pools);
  }

  /** Replaces the pools; assignments no longer valid under them are released and returned. */
  setPools(pools: Iterable<Pool>): { stranded: Stranded[] } {
    const states = [...pools].sort(comparePools).map(poolState);
    this.#pools = states;
    this.#byName = new Map();
    for (const state of states) if (!this.#byName.has(state.pool.name)) this.#byName.set(state.pool.name, state);

    // Indices shift when a pool's addresses change, so every hold is rebuilt against the new spaces.
    const holdings = [...this.#held.values()].sort((a, b) => compareKeys(a.request.key, b.request.key));
    this.#held.clear();
    this.#holds.clear();
    const stranded: Stranded[] = [];
    for (const { request, assignment } of holdings) {
      const why = this.#strandedBecause(request, assignment);
      if (why === undefined) this.#take(request, assignment);
      else stranded.push({ key: request.key, ips: assignment.ips, pool: assignment.pool, why });
    }
    return { stranded };
  }

  /** Restart path: takes exactly these IPs (from Service status) if valid for req, else fails and changes nothing. */
  claim(req: ServiceRequest, ips: readonly IPAddress[]): AllocationResult {
    if (ips.length === 0) return { ok: false, error: allocationError(ALLOCATION_FAILURE.InvalidRequest, `${req.key} has no IP to claim`) };
    const located = this.#poolOf(ips);
    if (!located.ok) return located;
    const ordered = inFamilyOrder(req, ips);
    const problem = this.#problem(req, located.value, ordered, true);
    if (problem !== undefined) return { ok: false, error: problem };
    const current = this.#held.get(req.key)?.assignment;
    const changed = current === undefined || !sameAssignment(current, { pool: located.value.pool.name, ips: ordered });
    this.release(req.key);
    return { ok: true, assignment: this.#take(req, { pool: located.value.pool.name, ips: ordered }), changed };
  }

  /** Keeps the current assignment while it is valid for req (changed: false), else releases it and picks anew. */
  allocate(req: ServiceRequest): AllocationResult {
    const current = this.#held.get(req.key);
    if (current !== undefined) {
      const state = this.#byName.get(current.assignment.pool);
      if (state !== undefined && this.#problem(req, state, current.assignment.ips, false) === undefined) {
        // Re-take under the new request, so sharing checks see its current ports and key.
        this.release(req.key);
        const added = this.#missingFamilies(req, state, current.assignment.ips);
        const assignment = added.length === 0 ? current.assignment : { pool: current.assignment.pool, ips: inFamilyOrder(req, [...current.assignment.ips, ...added]) };
        return { ok: true, assignment: this.#take(req, assignment), changed: added.length > 0 };
      }
      this.release(req.key);
    }
    const picked = this.#pick(req);
    if (!picked.ok) return picked;
    return { ok: true, assignment: this.#take(req, picked.value.assignment, picked.value.indices), changed: true };
  }

  release(key: string): void {
    const holding = this.#held.get(key);
    if (holding === undefined) return;
    this.#held.delete(key);
    for (const ip of holding.assignment.ips) {
      const freed = this.#holds.remove(holding.request, ip);
      if (freed !== undefined) this.#byName.get(freed.pool)?.families[ip.family]?.used.remove(freed.index);
    }
  }

  assignmentOf(key: string): Assignment | undefined {
    return this.#held.get(key)?.assignment;
  }

  /** Per pool and family: assigned, available and total, exact. */
  usage(): Map<string, Record<Family, FamilyUsage>> {
    const out = new Map<string, Record<Family, FamilyUsage>>();
    for (const state of this.#byName.values()) {
      const of = (family: Family): FamilyUsage => {
        const f = state.families[family];
        if (f === undefined) return { assigned: 0n, available: 0n, total: 0n };
        return { assigned: f.used.count, available: f.space.size - f.used.count, total: f.space.size };
      };
      out.set(state.pool.name, { 4: of(4), 6: of(6) });
    }
    return out;
  }

  /** The services holding ip, sorted. */
  holders(ip: IPAddress): readonly string[] {
    return (this.#holds.get(ip)?.holders ?? []).map((h) => h.key).sort(compareKeys);
  }

  // `indices`: the IPs' indices when the caller already has them (a fresh pick), saving a search.
  #take(req: ServiceRequest, assignment: Assignment, indices?: readonly bigint[]): Assignment {
    const state = this.#byName.get(assignment.pool);
    for (let i = 0; i < assignment.ips.length; i++) {
      const ip = assignment.ips[i] as IPAddress;
      const held = this.#holds.get(ip);
      const family = state?.families[ip.family];
      const index = held?.index ?? indices?.[i] ?? family?.space.indexOf(ip);
      // Callers validated the IP against this pool; this guards the invariant, not the user.
      if (family === undefined || typeof index !== 'bigint') throw new Error(`allocator: internal: ${formatIP(ip)} is not allocatable in pool ${assignment.pool}`);
      if (this.#holds.add(req, ip, assignment.pool, index)) family.used.add(index);
    }
    this.#held.set(req.key, { request: req, assignment });
    return assignment;
  }

  // Everything that makes `ips` from `state` wrong for req, the first problem found.
  // `claiming`: the IPs come from status, so a mismatch with the request is RequestChanged.
  #problem(req: ServiceRequest, state: PoolState, ips: readonly IPAddress[], claiming: boolean): AllocationError | undefined {
    const { pool } = state;
    const changed = (message: string) => allocationError(claiming ? ALLOCATION_FAILURE.RequestChanged : ALLOCATION_FAILURE.InvalidRequest, message);
    if (req.requestedPool !== undefined && req.requestedPool !== pool.name) {
      return changed(`${ips.map(formatIP).join(', ')} ${ips.length > 1 ? 'are' : 'is'} in pool ${pool.name}, but ${req.key} asks for pool ${req.requestedPool}`);
    }
    if (req.requestedIPs.length > 0 && !sameIPs(req.requestedIPs, ips)) {
      return changed(`${req.key} asks for ${req.requestedIPs.map(formatIP).join(', ')}, not ${ips.map(formatIP).join(', ')}`);
    }
    const wanted = wantedFamilies(req);
    const families = ips.map((ip) => ip.family);
    const familiesFit =
      new Set(families).size === families.length &&
      families.every((f) => wanted.includes(f)) &&
      (req.familyPolicy === FAMILY_POLICY.RequireDualStack ? families.length === wanted.length : families.length >= 1);
    if (!familiesFit) {
      return changed(`${ips.map(formatIP).join(', ')} do not fit ${req.key}'s families (${wanted.map((f) => `IPv${f}`).join(', ')}, ${req.familyPolicy})`);
    }
    const allocation = serviceAllocationProblem(pool, req);
    if (allocation !== undefined) return allocationError(ALLOCATION_FAILURE.PoolNotAllowed, allocation);
    if (!pool.autoAssign && !isExplicit(req)) {
      return allocationError(ALLOCATION_FAILURE.PoolNotAllowed, `pool ${pool.name} has autoAssign: false and ${req.key} names neither the pool nor an IP of it`);
    }
    for (const ip of ips) {
      const index = state.families[ip.family]?.space.indexOf(ip) ?? 'not-in-pool';
      if (index === 'buggy') {
        return allocationError(ALLOCATION_FAILURE.RequestedIPNotInPool, `${formatIP(ip)} ends in .0 or .255, which pool ${pool.name} skips (avoidBuggyIPs)`);
      }
      if (index === 'not-in-pool') return allocationError(ALLOCATION_FAILURE.RequestedIPNotInPool, `${formatIP(ip)} is not in pool ${pool.name}`);
      for (const holder of this.#holds.get(ip)?.holders ?? []) {
        if (holder.key === req.key) continue;
        const sharing = sharingProblem(req, holder, ip);
        if (sharing !== undefined) return sharing;
      }
    }
    return undefined;
  }

  #strandedBecause(req: ServiceRequest, assignment: Assignment): string | undefined {
    const state = this.#byName.get(assignment.pool);
    if (state === undefined) return `pool ${assignment.pool} no longer exists`;
    return this.#problem(req, state, assignment.ips, false)?.message;
  }

  // The one pool that holds every IP, or the failure naming the IP at fault.
  #poolOf(ips: readonly IPAddress[]): Outcome<PoolState> {
    let found: PoolState | undefined;
    for (const ip of ips) {
      const state = this.#pools.find((s) => s.pool.addresses.contains(ip));
      if (state === undefined) return { ok: false, error: allocationError(ALLOCATION_FAILURE.RequestedIPNotInPool, `${formatIP(ip)} is in no IPAddressPool`) };
      if (found !== undefined && found !== state) {
        return {
          ok: false,
          error: allocationError(ALLOCATION_FAILURE.RequestedIPsInDifferentPools, `${ips.map(formatIP).join(', ')} lie in pools ${found.pool.name} and ${state.pool.name}; a service's IPs come from one pool`),
        };
      }
      found = state;
    }
    return found === undefined ? { ok: false, error: allocationError(ALLOCATION_FAILURE.InvalidRequest, 'no IP given') } : { ok: true, value: found };
  }

  #pick(req: ServiceRequest): Outcome<{ assignment: Assignment; indices?: bigint[] }> {
    if (req.requestedPool !== undefined && !this.#byName.has(req.requestedPool)) {
      return { ok: false, error: allocationError(ALLOCATION_FAILURE.PoolNotFound, `no IPAddressPool named ${req.requestedPool} (asked for by ${req.key})`) };
    }
    if (req.requestedIPs.length > 0) {
      const located = this.#poolOf(req.requestedIPs);
      if (!located.ok) return located;
      const state = located.value;
      if (req.requestedPool !== undefined && state.pool.name !== req.requestedPool) {
        return {
          ok: false,
          error: allocationError(ALLOCATION_FAILURE.RequestedIPNotInPool, `${req.requestedIPs.map(formatIP).join(', ')} is in pool ${state.pool.name}, not in the requested pool ${req.requestedPool}`),
        };
      }
      const problem = this.#problem(req, state, req.requestedIPs, false);
      return problem === undefined ? { ok: true, value: { assignment: { pool: state.pool.name, ips: req.requestedIPs } } } : { ok: false, error: problem };
    }

    const named = req.requestedPool === undefined ? undefined : this.#byName.get(req.requestedPool);
    if (named !== undefined) {
      const allocation = serviceAllocationProblem(named.pool, req);
      if (allocation !== undefined) return { ok: false, error: allocationError(ALLOCATION_FAILURE.PoolNotAllowed, allocation) };
    }
    const candidates = named !== undefined ? [named] : this.#pools.filter((s) => s.pool.autoAssign && serviceAllocationProblem(s.pool, req) === undefined);
    if (candidates.length === 0) {
      return { ok: false, error: allocationError(ALLOCATION_FAILURE.NoMatchingPool, `no pool serves ${req.key} (every pool is limited by serviceAllocation or autoAssign: false)`) };
    }

    // PreferDualStack takes both families from one pool if any can, else one family, the first listed first.
    const wanted = wantedFamilies(req);
    const attempts: (readonly Family[])[] = req.familyPolicy === FAMILY_POLICY.PreferDualStack && wanted.length > 1 ? [wanted, ...wanted.map((f) => [f])] : [wanted];
    let exhausted: string | undefined;
    // Plain loops, no closures or spare arrays: this is the hot path of every new allocation.
    for (const families of attempts) {
      for (const state of candidates) {
        if (!hasFamilies(state, families)) continue;
        const ips: IPAddress[] = [];
        const indices: bigint[] = [];
        let full: Family | undefined;
        for (const family of families) {
          const pick = this.#lowestFor(req, state, family);
          if (pick === undefined) {
            full = family;
            break;
          }
          ips.push(pick.ip);
          indices.push(pick.index);
        }
        if (full === undefined) return { ok: true, value: { assignment: { pool: state.pool.name, ips }, indices } };
        exhausted ??= `pool ${state.pool.name} has no free IPv${full} address`;
      }
    }
    if (exhausted !== undefined) {
      const more = candidates.length > 1 ? ` (nor has any other pool that serves ${req.key})` : '';
      return { ok: false, error: allocationError(ALLOCATION_FAILURE.PoolExhausted, `${exhausted}${more}`) };
    }
    return {
      ok: false,
      error: allocationError(
        ALLOCATION_FAILURE.FamilyNotAvailable,
        `no pool that serves ${req.key} has ${wanted.map((f) => `IPv${f}`).join(' and ')} addresses${wanted.length > 1 ? ' together' : ''} (${candidates.map((s) => s.pool.name).join(', ')})`,
      ),
    };
  }

  // PreferDualStack holding one family (it was SingleStack, or the pool had no room): the other
  // family from the same pool once it has room, keeping the IP it has.
  #missingFamilies(req: ServiceRequest, state: PoolState, ips: readonly IPAddress[]): IPAddress[] {
    if (req.familyPolicy !== FAMILY_POLICY.PreferDualStack || req.requestedIPs.length > 0) return [];
    const missing = wantedFamilies(req).filter((f) => !ips.some((ip) => ip.family === f));
    return missing.flatMap((f) => this.#lowestFor(req, state, f)?.ip ?? []);
  }

  // An IP this service may share (same key, compatible) comes first; else the lowest free.
  #lowestFor(req: ServiceRequest, state: PoolState, family: Family): Candidate | undefined {
    const f = state.families[family];
    if (f === undefined) return undefined;
    if (req.sharingKey !== undefined) {
      let best: Hold | undefined;
      for (const hold of this.#holds.sharedUnder(req.sharingKey)) {
        if (hold.pool !== state.pool.name || hold.ip.family !== family) continue;
        if (best !== undefined && best.index < hold.index) continue;
        if (hold.holders.every((h) => h.key === req.key || sharingProblem(req, h, hold.ip) === undefined)) best = hold;
      }
      if (best !== undefined) return best;
    }
    const index = f.used.nextFree(0n);
    const ip = index < f.space.size ? f.space.nth(index) : undefined;
    return ip === undefined ? undefined : { ip, index };
  }
}

function hasFamilies(state: PoolState, families: readonly Family[]): boolean {
  for (const family of families) if (state.families[family] === undefined) return false;
  return true;
}

function poolState(pool: Pool): PoolState {
  const families: Partial<Record<Family, FamilyState>> = {};
  for (const family of FAMILIES) {
    const space = addressSpace(pool.addresses, family, pool.avoidBuggyIPs);
    if (space !== undefined) families[family] = { space, used: new UsedRuns() };
  }
  return { pool, families };
}

function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sameIPs(a: readonly IPAddress[], b: readonly IPAddress[]): boolean {
  return a.length === b.length && a.every((ip) => b.some((other) => other.family === ip.family && other.value === ip.value));
}

function sameAssignment(a: Assignment, b: Assignment): boolean {
  return a.pool === b.pool && sameIPs(a.ips, b.ips);
}

function inFamilyOrder(req: ServiceRequest, ips: readonly IPAddress[]): IPAddress[] {
  const rank = (f: Family) => {
    const i = req.families.indexOf(f);
    return i < 0 ? req.families.length : i;
  };
  return [...ips].sort((a, b) => rank(a.family) - rank(b.family));
}
