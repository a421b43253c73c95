// The bgp-speaker program's inputs: the JSON config file and the JSON-line commands on stdin,
// checked into typed values (a BgpConfigError names the bad field), and routes rendered as JSON.

import { BgpConfigError } from '../fsm/config.js';
import { bfdSettingsProblem, socketSecurityProblem, type PeerConfig } from '../session/peer-config.js';
import type { RouteAttributes } from '../session/route.js';
import type { DynamicNeighbors, SpeakerOptions } from '../speaker.js';
import type { ReceivedRoute } from '../rib/adj-rib-in.js';
import { formatAsPath, formatCommunity, formatExtendedCommunity } from '../wire/format.js';
import { formatPrefix } from '../wire/nlri.js';

export interface RouteEntry {
  readonly prefix: string;
  readonly attributes: RouteAttributes;
  readonly peers: readonly string[] | undefined;
}

export interface ProgramConfig {
  readonly speaker: Pick<SpeakerOptions, 'localAs' | 'routerId' | 'listen' | 'dynamicNeighbors'>;
  readonly peers: readonly PeerConfig[];
  readonly routes: readonly RouteEntry[];
  /** Where a graceful stop leaves its state for the next start (R bit); none: never "restarted". */
  readonly restartStateFile: string | undefined;
}

export type Command =
  | { readonly kind: 'announce'; readonly route: RouteEntry }
  | { readonly kind: 'withdraw'; readonly prefix: string }
  | { readonly kind: 'status' }
  | { readonly kind: 'restart-exit' };

function fail(where: string, why: string): never {
  throw new BgpConfigError(`cli-config: ${where} ${why}`);
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function routeEntry(value: unknown, where: string): RouteEntry {
  if (!isObject(value)) fail(where, 'must be an object');
  const { prefix, peers, ...attributes } = value;
  if (typeof prefix !== 'string') fail(`${where}.prefix`, 'must be a prefix string');
  if (peers !== undefined && (!Array.isArray(peers) || peers.some((p) => typeof p !== 'string'))) fail(`${where}.peers`, 'must be a list of peer addresses');
  return { prefix, attributes: attributes as RouteAttributes, peers: peers as string[] | undefined };
}

export function parseConfig(text: string): ProgramConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    fail('file', `is not JSON: ${(error as Error).message}`);
  }
  if (!isObject(raw)) fail('file', 'must hold a JSON object');
  const { localAs, routerId, listen, peers = [], routes = [], dynamicNeighbors, restartStateFile } = raw;
  if (typeof localAs !== 'number') fail('localAs', 'must be a number');
  if (typeof routerId !== 'string') fail('routerId', 'must be a dotted quad');
  if (listen !== undefined && (!isObject(listen) || typeof listen.address !== 'string' || (listen.port !== undefined && typeof listen.port !== 'number'))) {
    fail('listen', 'must be { "address": string, "port"?: number }');
  }
  if (!Array.isArray(peers)) fail('peers', 'must be a list');
  peers.forEach((p, i) => {
    if (!isObject(p) || typeof p.address !== 'string') fail(`peers[${i}]`, 'needs an "address"');
    if (p.peerAs === undefined) fail(`peers[${i}]`, 'needs a "peerAs"');
    // "password", "ttl", "gtsm", "gtsmHops": TCP MD5 and TTL security, set through native/.
    const security = socketSecurityProblem(p);
    if (security !== undefined) fail(`peers[${i}]`, security);
    // "bfd": { transmitIntervalMs, receiveIntervalMs, detectMultiplier, passive, multihop, minimumTtl }.
    const bfd = bfdSettingsProblem(p);
    if (bfd !== undefined) fail(`peers[${i}]`, bfd);
  });
  if (!Array.isArray(routes)) fail('routes', 'must be a list');
  if (dynamicNeighbors !== undefined && !Array.isArray(dynamicNeighbors)) fail('dynamicNeighbors', 'must be a list');
  if (restartStateFile !== undefined && (typeof restartStateFile !== 'string' || restartStateFile === '')) fail('restartStateFile', 'must be a file path');
  return {
    speaker: {
      localAs,
      routerId,
      ...(listen ? { listen: listen as { address: string; port?: number } } : {}),
      ...(dynamicNeighbors ? { dynamicNeighbors: dynamicNeighbors as DynamicNeighbors[] } : {}),
    },
    peers: peers as PeerConfig[],
    routes: routes.map((r, i) => routeEntry(r, `routes[${i}]`)),
    restartStateFile,
  };
}

/** One stdin line: {"announce": "203.0.113.1/32", "med": 10, ...}, {"withdraw": "..."}, {"status": true} or {"op": "restart-exit"}. */
export function parseCommand(line: string): Command {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    fail('command', `is not JSON: ${line.slice(0, 80)}`);
  }
  if (!isObject(raw)) fail('command', 'must be a JSON object');
  if (typeof raw.announce === 'string') {
    const { announce, ...rest } = raw;
    return { kind: 'announce', route: routeEntry({ prefix: announce, ...rest }, 'announce') };
  }
  if (typeof raw.withdraw === 'string') return { kind: 'withdraw', prefix: raw.withdraw };
  if (raw.status === true) return { kind: 'status' };
  if (raw.op === 'restart-exit') return { kind: 'restart-exit' };
  fail('command', 'needs "announce": prefix, "withdraw": prefix, "status": true or "op": "restart-exit"');
}

/** A received route as one JSON object, attributes in the usual text forms. */
export function routeToJson(route: ReceivedRoute): Record<string, unknown> {
  const out: Record<string, unknown> = { prefix: formatPrefix(route.prefix), nextHop: route.nextHop };
  if (route.linkLocalNextHop !== undefined) out.linkLocalNextHop = route.linkLocalNextHop;
  for (const a of route.attributes) {
    switch (a.type) {
      case 'origin':
        out.origin = a.value;
        break;
      case 'as-path':
        out.asPath = formatAsPath(a.value);
        break;
      case 'multi-exit-disc':
        out.med = a.value;
        break;
      case 'local-pref':
        out.localPref = a.value;
        break;
      case 'communities':
        out.communities = a.value.map(formatCommunity);
        break;
      case 'large-communities':
        out.largeCommunities = a.value.map((c) => `${c.global}:${c.local1}:${c.local2}`);
        break;
      case 'extended-communities':
        out.extendedCommunities = a.value.map(formatExtendedCommunity);
        break;
      default:
        (out.other ??= []) as unknown[];
        (out.other as string[]).push(a.type === 'unknown' ? `attribute ${a.code}` : a.type);
    }
  }
  return out;
}
