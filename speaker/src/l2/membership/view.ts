// Which speakers the election counts as alive: membership's word where probes work, Node
// readiness where they cannot (no key, no socket, a member never heard, our own port silent).
import { MEMBER_STATE } from './codec.js';
import type { MemberStatus } from './protocol.js';

export const LIVENESS_SOURCE = {
  Probes: 'Probes',
  /** No key in the Secret: nobody can authenticate, so nobody probes. */
  NoKey: 'NoKey',
  /** Our socket would not bind (port taken, no permission). */
  NoSocket: 'NoSocket',
  /** Peers exist and nothing authenticated has arrived for silenceMs: inbound UDP is blocked here. */
  Silent: 'Silent',
} as const;
export type LivenessSource = (typeof LIVENESS_SOURCE)[keyof typeof LIVENESS_SOURCE];

export interface LivenessInput {
  readonly self: string;
  readonly source: LivenessSource;
  /** From Membership.status(); ignored unless source is Probes. */
  readonly members: readonly MemberStatus[];
  /** Nodes whose Ready condition is True. */
  readonly readyNodes: ReadonlySet<string>;
}

/**
 * A member never heard from is judged by its Node's readiness, and so is every member when our
 * probes cannot work. That keeps views alike across the cluster: a node whose port is blocked
 * from the start is never heard by anyone, so everyone (itself included) judges it by readiness.
 * Once heard, a member is judged by probes alone: that is what makes failover sub-second.
 * This speaker counts itself alive: it is running.
 */
export function aliveNodes(input: LivenessInput): Set<string> {
  const alive = new Set<string>([input.self]);
  if (input.source !== LIVENESS_SOURCE.Probes) {
    for (const name of input.readyNodes) alive.add(name);
    return alive;
  }
  for (const m of input.members) {
    if (m.name === input.self) continue;
    if (m.heard ? m.state !== MEMBER_STATE.Dead : input.readyNodes.has(m.name)) alive.add(m.name);
  }
  return alive;
}
