// What this speaker believes about each other speaker, and SWIM's rule for which of two beliefs
// wins: kept apart from the protocol so every path that learns something orders it the same way.
import { MEMBER_STATE, VERSION, type MemberState, type NodeDataPlane, type Update, type WireVersion } from './codec.js';

/** Where a member's speaker listens; the address is opaque here (an IP for UDP, a name in a simulation). */
export interface Peer {
  readonly name: string;
  readonly address: string;
  readonly port: number;
}

export interface MemberStatus {
  readonly name: string;
  readonly state: MemberState;
  readonly incarnation: number;
  /** An authenticated message from it has arrived since we started: probes work between us. */
  readonly heard: boolean;
  /** Its interfaces among those L2Advertisements name, from its last message; undefined until heard. */
  readonly interfaces: readonly string[] | undefined;
  /**
   * Its kube-proxy as its last message said (wire version 3); undefined until heard, from a
   * version 2 speaker, or when it publishes none: then it stays a candidate everywhere.
   */
  readonly dataPlane: NodeDataPlane | undefined;
}

export interface Member {
  peer: Peer;
  state: MemberState;
  incarnation: number;
  heard: boolean;
  interfaces: readonly string[] | undefined;
  dataPlane: NodeDataPlane | undefined;
  /** The wire version of its last message (the newest until heard): we answer in it. */
  speaks: WireVersion;
  missed: number;
  /** Seq of the unanswered direct ping, if any. */
  probing: number | undefined;
  /** When the indirect probes give up, while they run. */
  indirectUntil: number | undefined;
  suspectUntil: number | undefined;
}

/** A speaker from the Node list that we have not heard from yet: alive until probes say otherwise. */
export function newMember(peer: Peer): Member {
  return { peer, state: MEMBER_STATE.Alive, incarnation: 0, heard: false, interfaces: undefined, dataPlane: undefined, speaks: VERSION, missed: 0, probing: undefined, indirectUntil: undefined, suspectUntil: undefined };
}

/**
 * SWIM's order: a higher incarnation always wins; at the same incarnation dead beats suspect
 * beats alive. Only the member itself raises its incarnation, which is how it refutes.
 */
export function supersedes(update: Update, current: { readonly state: MemberState; readonly incarnation: number }): boolean {
  if (update.incarnation !== current.incarnation) return update.incarnation > current.incarnation;
  return update.state > current.state;
}
