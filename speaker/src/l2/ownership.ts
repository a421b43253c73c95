// What this node answers for after an election, and what changed since the last one: the IPs
// gained (gratuitous ARP / unsolicited NA), lost, and the Services whose L2 status or Events differ.
import { ELECTION_REASON, type L2Election, type L2Owner } from './election/index.js';

/** One IP this node answers ARP/NDP for. */
export interface AnsweredIP {
  readonly ip: string;
  readonly family: 4 | 6;
  /** Undefined: every interface but loopback and virtual ones. */
  readonly interfaces: readonly string[] | undefined;
}

export interface OwnershipChange {
  /** IPs this node now answers for and did not (or now on other interfaces), sorted. */
  readonly gained: readonly string[];
  /** IPs this node answered for and no longer does, sorted. */
  readonly lost: readonly string[];
  /** IPs whose owner changed anywhere in the cluster (for the ownership-changes metric). */
  readonly moved: number;
  /** Services whose owner, interfaces or membership of an IP changed: their status and Events. */
  readonly services: ReadonlySet<string>;
}

export function answeredBy(owners: ReadonlyMap<string, L2Owner>, node: string): AnsweredIP[] {
  const out: AnsweredIP[] = [];
  for (const o of owners.values()) if (o.node === node) out.push({ ip: o.ip, family: o.family, interfaces: o.interfaces });
  return out;
}

const sameOwner = (a: L2Owner | undefined, b: L2Owner | undefined): boolean =>
  a !== undefined && b !== undefined && a.node === b.node && JSON.stringify(a.interfaces) === JSON.stringify(b.interfaces) && JSON.stringify(a.services) === JSON.stringify(b.services);

export function ownershipChange(before: ReadonlyMap<string, L2Owner>, after: ReadonlyMap<string, L2Owner>, node: string): OwnershipChange {
  const gained: string[] = [];
  const lost: string[] = [];
  const services = new Set<string>();
  let moved = 0;
  for (const ip of new Set([...before.keys(), ...after.keys()])) {
    const was = before.get(ip);
    const now = after.get(ip);
    if (sameOwner(was, now)) continue;
    for (const s of [...(was?.services ?? []), ...(now?.services ?? [])]) services.add(s);
    if (was?.node !== now?.node) moved++;
    const hadIt = was?.node === node;
    const hasIt = now?.node === node;
    // Other interfaces count as gained: the new ones need their gratuitous announcement.
    if (hasIt && (!hadIt || JSON.stringify(was?.interfaces) !== JSON.stringify(now?.interfaces))) gained.push(ip);
    else if (hadIt && !hasIt) lost.push(ip);
  }
  return { gained: gained.sort(), lost: lost.sort(), moved, services };
}

/** Per Service, the IPs this node answers for (for its status object and Events). */
export function answersOfService(election: L2Election, node: string, service: string): L2Owner[] {
  return [...election.owners.values()].filter((o) => o.node === node && o.services.includes(service));
}

/**
 * IPs that L2 mode should answer for (an L2Advertisement selects the Service and it has endpoints)
 * but that no node may: an outage. IPs left unanswered on purpose (no endpoints, a pool or Service
 * no L2Advertisement takes) are not among them. Every speaker computes the same list.
 */
export function ownerlessIPs(election: L2Election): string[] {
  return [...election.unowned].filter(([, verdict]) => verdict.reason === ELECTION_REASON.NoEligibleNode).map(([ip]) => ip);
}
