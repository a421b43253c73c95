// Owners for contested keys (IPs) among candidate nodes: the nodes that answer for a key now
// (its claimants) keep it while that keeps the balance; the rest fill the least loaded nodes.
import { ElectionError } from './errors.js';
import { compareRanked, digestOf, rankOf } from './rank.js';

export interface Contest {
  /** The IP, formatted canonically: every speaker must spell it the same way. */
  readonly key: string;
  readonly candidates: readonly string[];
  /**
   * Nodes that say they answer for the key now (their ServiceL2Status). Every speaker reads the
   * same objects, so this is an input like any other; claimants that are not candidates are ignored.
   */
  readonly claimants?: readonly string[];
}

export interface Assignment {
  /** Key to owner, for every contest with at least one candidate, in key order. */
  readonly owners: ReadonlyMap<string, string>;
  /** Keys owned per node; candidates that own nothing are present with 0. */
  readonly loads: ReadonlyMap<string, number>;
  /** ceil(M/N) for M contested keys over N candidate nodes: a node takes new keys up to it. */
  readonly cap: number;
  /** Keys placed on a node already at the cap: every candidate was (only when candidate sets differ). */
  readonly overCap: readonly string[];
}

interface Ranked {
  readonly node: string;
  readonly rank: number;
}

interface Open {
  readonly key: string;
  /** Candidates, the highest rank first. */
  readonly ranked: readonly Ranked[];
  /** The first claimant in that order, if any. */
  readonly claimant: string | undefined;
}

/**
 * Three steps, each a pure function of the inputs, so every speaker gets the same answer:
 *
 * 1. Keep: a key stays with its claimant (of several, the one claiming fewest keys) as long as the
 *    claimant holds at most ceil(M/N) + 1, the stated bound. Past it, the claimant keeps the keys
 *    it is most needed for (fewest other candidates, then its rank) and lets the rest go.
 * 2. Place: keys without an owner (new IPs, a gone node's, the ones let go), those with the fewest
 *    candidates first, go to their least loaded candidate under ceil(M/N) (a tie goes to the
 *    claimant, then the rank); when every candidate is full, to the least loaded one anyway.
 * 3. Even out: while a node holds 3 or more keys more than a node that could take one of them,
 *    the most loaded gives the least loaded the key that ranks it highest. This is what gives a
 *    joining node its share: without it a node could join and own nothing.
 *
 * What that buys (the tests check each): fed its own answer back as claims, it returns it. A node
 * leaving moves only its keys: the others keep theirs (the bound only grows) and its keys fill the
 * least loaded nodes, so nothing needs evening out. A node joining takes keys from the most loaded
 * nodes until it is within 2 of them, and nothing else moves. Loads stay within ceil(M/N) + 1.
 */
export function assignOwners(contests: readonly Contest[]): Assignment {
  const sorted = [...contests].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i]?.key === sorted[i - 1]?.key) throw new ElectionError(`the key ${sorted[i]?.key} is contested twice`);
  }
  const claimCounts = new Map<string, number>();
  for (const c of sorted) for (const node of new Set(c.claimants ?? [])) claimCounts.set(node, (claimCounts.get(node) ?? 0) + 1);
  const open: Open[] = sorted.filter((c) => c.candidates.length > 0).map((c) => openOf(c, claimCounts));
  const nodes = new Set<string>();
  for (const c of open) for (const r of c.ranked) nodes.add(r.node);
  const cap = nodes.size === 0 ? 0 : Math.ceil(open.length / nodes.size);
  const bound = cap + 1;

  const owner = new Array<string | undefined>(open.length).fill(undefined);
  const held = new Map<string, number[]>([...nodes].sort().map((n) => [n, []]));
  const load = (node: string): number => held.get(node)?.length ?? 0;
  const give = (index: number, node: string): void => {
    owner[index] = node;
    held.get(node)?.push(index);
  };

  // 1. Keep.
  for (const [index, c] of open.entries()) if (c.claimant !== undefined) give(index, c.claimant);
  for (const [node, keys] of held) {
    if (keys.length <= bound) continue;
    const rankHere = (i: number): number => open[i]?.ranked.find((r) => r.node === node)?.rank ?? 0;
    keys.sort((a, b) => (open[a]?.ranked.length ?? 0) - (open[b]?.ranked.length ?? 0) || rankHere(b) - rankHere(a) || a - b);
    for (const released of keys.splice(bound)) owner[released] = undefined;
  }

  // 2. Place.
  const overCap: string[] = [];
  const homeless = open.map((_, i) => i).filter((i) => owner[i] === undefined);
  homeless.sort((a, b) => (open[a]?.ranked.length ?? 0) - (open[b]?.ranked.length ?? 0) || a - b);
  for (const index of homeless) {
    const c = open[index];
    if (c === undefined) continue;
    let best: string | undefined;
    for (const r of c.ranked) {
      // Ranked order, so the first of equally loaded candidates wins; the claimant beats them all.
      const better = best === undefined || load(r.node) < load(best) || (load(r.node) === load(best) && r.node === c.claimant);
      if (better) best = r.node;
    }
    if (best === undefined) continue;
    if (load(best) >= cap) overCap.push(c.key);
    give(index, best);
  }

  // 3. Even out.
  evenOut(open, owner, held);

  const owners = new Map<string, string>();
  for (const [index, c] of open.entries()) {
    const node = owner[index];
    if (node !== undefined) owners.set(c.key, node);
  }
  const loads = new Map([...held].map(([n, keys]) => [n, keys.length]));
  return { owners, loads, cap, overCap: overCap.sort() };
}

/**
 * Moves one key at a time from the most loaded node that has one the least loaded node may take,
 * while they differ by 3 or more. Each move lowers the sum of squared loads, so it ends.
 */
function evenOut(open: readonly Open[], owner: (string | undefined)[], held: Map<string, number[]>): void {
  const stuck = new Set<string>();
  for (;;) {
    const byLoad = [...held].filter(([n]) => !stuck.has(n)).sort(([a, x], [b, y]) => x.length - y.length || (a < b ? -1 : 1));
    const low = byLoad[0];
    if (low === undefined) return;
    const [taker, takerKeys] = low;
    let moved = false;
    const donors = [...held].filter(([, keys]) => keys.length >= takerKeys.length + 3).sort(([a, x], [b, y]) => y.length - x.length || (a < b ? -1 : 1));
    for (const [, keys] of donors) {
      let pick: { at: number; rank: number } | undefined;
      for (const [at, index] of keys.entries()) {
        const r = open[index]?.ranked.find((x) => x.node === taker);
        if (r !== undefined && (pick === undefined || r.rank > pick.rank)) pick = { at, rank: r.rank };
      }
      if (pick === undefined) continue;
      const [index] = keys.splice(pick.at, 1);
      if (index === undefined) continue;
      owner[index] = taker;
      takerKeys.push(index);
      moved = true;
      break;
    }
    // Nobody can give this node anything: it is done, and so may the next least loaded be.
    if (!moved) stuck.add(taker);
    else stuck.clear();
  }
}

/**
 * Of several claimants (a partition healing: the cut-off node answered for everything on its
 * side), the one claiming the fewest keys keeps the key, then the higher rank: the node the rest
 * of the cluster used keeps serving, and the one that claimed everything lets go.
 */
function openOf(contest: Contest, claimCounts: ReadonlyMap<string, number>): Open {
  const key = digestOf(contest.key);
  const ranked = [...new Set(contest.candidates)].map((node) => ({ node, rank: rankOf(key, digestOf(node)) })).sort(compareRanked);
  const claimants = new Set(contest.claimants ?? []);
  let claimant: string | undefined;
  for (const r of ranked) {
    if (!claimants.has(r.node)) continue;
    if (claimant === undefined || (claimCounts.get(r.node) ?? 0) < (claimCounts.get(claimant) ?? 0)) claimant = r.node;
  }
  return { key: contest.key, ranked, claimant };
}

/** Plain rendezvous: each key to its highest-ranked candidate. The baseline the tests compare with. */
export function assignRendezvous(contests: readonly Contest[]): ReadonlyMap<string, string> {
  const owners = new Map<string, string>();
  for (const c of contests) {
    const key = digestOf(c.key);
    let best: Ranked | undefined;
    for (const node of c.candidates) {
      const ranked = { node, rank: rankOf(key, digestOf(node)) };
      if (best === undefined || compareRanked(ranked, best) < 0) best = ranked;
    }
    if (best !== undefined) owners.set(c.key, best.node);
  }
  return owners;
}
