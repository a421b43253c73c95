// The L2 election: for every Service IP, the one node that answers ARP/NDP for it and on which
// interfaces. Every speaker runs it on the same inputs and acts only on the IPs it wins.
import { assignOwners } from './assign.js';
import { contestsOf, type ElectionInput, type ElectionVerdict } from './candidates.js';

export interface L2Owner {
  readonly ip: string;
  readonly family: 4 | 6;
  readonly pool: string;
  readonly node: string;
  /** Undefined: every interface but loopback and virtual ones. */
  readonly interfaces: readonly string[] | undefined;
  /** Services sharing the IP, sorted; all of them are answered for by this node. */
  readonly services: readonly string[];
  /** How many nodes could have won. */
  readonly candidates: number;
}

export interface L2Election {
  /** By IP text, in IP text order. */
  readonly owners: ReadonlyMap<string, L2Owner>;
  /** IPs of our Services nobody answers for, and why. */
  readonly unowned: ReadonlyMap<string, ElectionVerdict & { readonly services: readonly string[] }>;
  /** IPs per candidate node (0 included). */
  readonly loads: ReadonlyMap<string, number>;
  /** No node owns more unless some IP's candidates were all this full. */
  readonly cap: number;
}

export function electL2(input: ElectionInput): L2Election {
  const contests = contestsOf(input);
  const assignment = assignOwners(contests.map((c) => ({ key: c.ip, candidates: c.candidates.map((x) => x.node), claimants: input.claims?.get(c.ip) ?? [] })));
  const owners = new Map<string, L2Owner>();
  const unowned = new Map<string, ElectionVerdict & { readonly services: readonly string[] }>();
  for (const c of contests) {
    const node = assignment.owners.get(c.ip);
    const won = c.candidates.find((x) => x.node === node);
    if (node === undefined || won === undefined) {
      const verdict = c.verdict ?? { reason: 'NoEligibleNode' as const, detail: `no node may answer for ${c.ip}` };
      unowned.set(c.ip, { ...verdict, services: c.services });
      continue;
    }
    owners.set(c.ip, { ip: c.ip, family: c.family, pool: c.pool, node, interfaces: won.interfaces, services: c.services, candidates: c.candidates.length });
  }
  return { owners, unowned, loads: assignment.loads, cap: assignment.cap };
}

/** The IPs one node answers for. */
export function ownedBy(election: L2Election, node: string): L2Owner[] {
  return [...election.owners.values()].filter((o) => o.node === node);
}
