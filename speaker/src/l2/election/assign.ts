// Owners for contested keys (IPs) among candidate nodes: rendezvous ranks with bounded loads,
// solved as the unique stable matching, so the answer depends on the inputs and not their order.
import { ElectionError } from './errors.js';
import { compareRanked, digestOf, rankOf } from './rank.js';

export interface Contest {
  /** The IP, formatted canonically: every speaker must spell it the same way. */
  readonly key: string;
  readonly candidates: readonly string[];
}

export interface Assignment {
  /** Key to owner, for every contest with at least one candidate. */
  readonly owners: ReadonlyMap<string, string>;
  /** IPs owned per node; candidates that own nothing are present with 0. */
  readonly loads: ReadonlyMap<string, number>;
  /** The bound: ceil(M/N) + 1 for M contested keys over N candidate nodes. */
  readonly cap: number;
  /** Keys whose every candidate was full (only when candidate sets differ), placed above the cap. */
  readonly overCap: readonly string[];
}

interface Ranked {
  readonly node: string;
  readonly rank: number;
}

interface Held {
  readonly contest: number;
  readonly rank: number;
  /** How many candidates the key has: a node keeps first the keys that have nowhere else to go. */
  readonly choices: number;
}

/**
 * Every key proposes to its candidates from the highest rank down, and a node keeps the `cap`
 * keys that rank it highest (deferred acceptance). Its answer, the keys' best stable matching,
 * does not depend on the order of proposals, so it is the same on every speaker whatever order
 * the Services came in. Compared with plain rendezvous (what MetalLB does) it trades a few
 * extra moves on membership changes for the bound; the tests measure both.
 *
 * The cap is the most the balance bound allows, ceil(M/N) + 1, not ceil(M/N): the slack halves
 * the keys that overflow past their first choice, and so the keys that move when N changes.
 */
export function assignOwners(contests: readonly Contest[]): Assignment {
  const sorted = [...contests].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i]?.key === sorted[i - 1]?.key) throw new ElectionError(`the key ${sorted[i]?.key} is contested twice`);
  }
  const nodes = new Set<string>();
  const open = sorted.filter((c) => c.candidates.length > 0);
  for (const c of open) for (const node of c.candidates) nodes.add(node);
  const cap = nodes.size === 0 ? 0 : Math.ceil(open.length / nodes.size) + 1;

  const preferences: Ranked[][] = open.map((c) => {
    const key = digestOf(c.key);
    return [...new Set(c.candidates)].map((node) => ({ node, rank: rankOf(key, digestOf(node)) })).sort(compareRanked);
  });
  const held = new Map<string, Held[]>([...nodes].map((n) => [n, []]));
  const nextChoice = new Int32Array(open.length);
  const unplaced: number[] = [];
  const waiting = open.map((_, i) => i).reverse();

  // A node prefers the key with fewer candidates (a Local Service with pods only here must not be
  // pushed over the cap by keys that could go anywhere), then the higher rank, then the smaller key.
  // Any strict order keeps deferred acceptance's answer independent of the proposal order.
  const worse = (a: Held, b: Held): boolean => {
    if (a.choices !== b.choices) return a.choices > b.choices;
    if (a.rank !== b.rank) return a.rank < b.rank;
    return a.contest > b.contest;
  };

  for (let proposer = waiting.pop(); proposer !== undefined; proposer = waiting.pop()) {
    const choices = preferences[proposer] ?? [];
    let accepted = false;
    while (!accepted && (nextChoice[proposer] ?? 0) < choices.length) {
      const choice = choices[nextChoice[proposer] ?? 0];
      nextChoice[proposer] = (nextChoice[proposer] ?? 0) + 1;
      if (choice === undefined) break;
      const keeps = held.get(choice.node) ?? [];
      const offer: Held = { contest: proposer, rank: choice.rank, choices: choices.length };
      if (keeps.length < cap) {
        keeps.push(offer);
        accepted = true;
        continue;
      }
      let worstAt = 0;
      for (let i = 1; i < keeps.length; i++) if (worse(keeps[i] as Held, keeps[worstAt] as Held)) worstAt = i;
      const worst = keeps[worstAt] as Held;
      if (worse(worst, offer)) {
        keeps[worstAt] = offer;
        waiting.push(worst.contest);
        accepted = true;
      }
    }
    if (!accepted) unplaced.push(proposer);
  }

  const owners = new Map<string, string>();
  const loads = new Map<string, number>([...nodes].sort().map((n) => [n, 0]));
  for (const [node, keeps] of held) {
    for (const h of keeps) owners.set(open[h.contest]?.key ?? '', node);
    loads.set(node, keeps.length);
  }
  // Only when candidate sets differ (a Local Service with pods on one node, a nodeSelector) can
  // every candidate be full; such a key still needs an owner, so the least loaded one takes it.
  const overCap: string[] = [];
  for (const index of unplaced.sort((a, b) => a - b)) {
    const contest = open[index];
    const choices = preferences[index];
    if (contest === undefined || choices === undefined) continue;
    let best: Ranked | undefined;
    for (const choice of choices) if (best === undefined || (loads.get(choice.node) ?? 0) < (loads.get(best.node) ?? 0)) best = choice;
    if (best === undefined) continue;
    owners.set(contest.key, best.node);
    loads.set(best.node, (loads.get(best.node) ?? 0) + 1);
    overCap.push(contest.key);
  }
  const ordered = new Map(open.filter((c) => owners.has(c.key)).map((c) => [c.key, owners.get(c.key) ?? '']));
  return { owners: ordered, loads, cap, overCap };
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
