// What L2 mode reads from Node and Secret JSON beyond the policy's NodeInfo: each Node's
// readiness and membership address, and the membership key from the memberlist Secret.
import { isIPv4, isIPv6 } from 'node:net';
import { MIN_KEY_LENGTH, type Peer } from './membership/index.js';

export interface NodeFacts {
  readonly name: string;
  /** The Ready condition is True. */
  readonly ready: boolean;
  /** First InternalIP of the family asked for (else first of any family); undefined if none. */
  readonly address: string | undefined;
}

interface NodeJSON {
  metadata?: { name?: unknown };
  status?: { conditions?: unknown; addresses?: unknown };
}

export function nodeFacts(obj: unknown, family: 4 | 6 = 4): NodeFacts | undefined {
  if (typeof obj !== 'object' || obj === null) return undefined;
  const node = obj as NodeJSON;
  const name = node.metadata?.name;
  if (typeof name !== 'string' || name === '') return undefined;
  const conditions = Array.isArray(node.status?.conditions) ? (node.status.conditions as { type?: unknown; status?: unknown }[]) : [];
  const ready = conditions.some((c) => typeof c === 'object' && c !== null && c.type === 'Ready' && c.status === 'True');
  const addresses = (Array.isArray(node.status?.addresses) ? (node.status.addresses as { type?: unknown; address?: unknown }[]) : [])
    .filter((a) => typeof a === 'object' && a !== null && a.type === 'InternalIP' && typeof a.address === 'string' && (isIPv4(a.address) || isIPv6(a.address)))
    .map((a) => a.address as string);
  const address = addresses.find((a) => (family === 4 ? isIPv4(a) : isIPv6(a))) ?? addresses[0];
  return { name, ready, address };
}

/** Every other node with an address is a membership peer; the ones not running a speaker are never heard and are judged by readiness. */
export function membershipPeers(facts: readonly NodeFacts[], self: string, port: number): Peer[] {
  return facts
    .filter((f): f is NodeFacts & { address: string } => f.name !== self && f.address !== undefined)
    .map((f) => ({ name: f.name, address: f.address, port }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export type KeyOutcome = { readonly key: Uint8Array; readonly problem?: undefined } | { readonly key?: undefined; readonly problem: string };

/**
 * The membership key: the bytes of `field` in the Secret (data is base64, stringData plain).
 * A missing Secret or a short key is a problem: membership then falls back to Node readiness.
 */
export function membershipKey(secret: unknown, name: string, field: string): KeyOutcome {
  if (typeof secret !== 'object' || secret === null) return { problem: `speaker/l2: Secret ${name} does not exist; failover follows Node readiness` };
  const s = secret as { data?: Record<string, unknown>; stringData?: Record<string, unknown> };
  const b64 = s.data?.[field];
  const plain = s.stringData?.[field];
  let key: Uint8Array | undefined;
  if (typeof b64 === 'string') key = new Uint8Array(Buffer.from(b64, 'base64'));
  else if (typeof plain === 'string') key = new Uint8Array(Buffer.from(plain, 'utf8'));
  if (key === undefined) return { problem: `speaker/l2: Secret ${name} has no key "${field}"; failover follows Node readiness` };
  if (key.length < MIN_KEY_LENGTH) return { problem: `speaker/l2: Secret ${name} key "${field}" has ${key.length} bytes, fewer than ${MIN_KEY_LENGTH}; failover follows Node readiness` };
  return { key };
}
