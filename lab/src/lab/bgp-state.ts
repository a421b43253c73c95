// BGP session state as each router reports it, parsed into one shape, and a wait for
// sessions to reach Established. Parsers are pure; the readers run vtysh, birdc or gobgp.

import { LabError } from './errors.js';
import { birdc, frrVtysh, gobgpCli } from './routers.js';
import { run } from './sh.js';
import type { RouterKind } from './topology.js';
import { waitFor } from './wait.js';

export interface BgpSession {
  /** Neighbor address (FRR, GoBGP) or protocol name (BIRD, which names sessions). */
  readonly peer: string;
  /** The router's own word for the state ("Established", "Active", "start"...). */
  readonly state: string;
  readonly established: boolean;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `vtysh -c 'show bgp summary json'`: one block per address family, each with peers. */
export function parseFrrSummary(json: string): BgpSession[] {
  const doc = parseJson(json, 'FRR bgp summary');
  const sessions = new Map<string, BgpSession>();
  for (const family of Object.values(doc)) {
    if (!isObj(family) || !isObj(family['peers'])) continue;
    for (const [peer, info] of Object.entries(family['peers'])) {
      const state = isObj(info) && typeof info['state'] === 'string' ? info['state'] : 'unknown';
      // A peer shows up once per family; it is established if it is in any of them.
      const known = sessions.get(peer);
      if (known === undefined || (!known.established && state === 'Established')) sessions.set(peer, { peer, state, established: state === 'Established' });
    }
  }
  return [...sessions.values()];
}

/** `birdc show protocols`: a table; BGP rows carry the session state in the Info column. */
export function parseBirdProtocols(text: string): BgpSession[] {
  const out: BgpSession[] = [];
  for (const line of text.split('\n')) {
    const cols = line.trim().split(/\s+/);
    // name proto table state since(date and/or time) info...
    if (cols.length < 5 || cols[1] !== 'BGP') continue;
    const info = cols.slice(5).find((c) => /^[A-Z][A-Za-z]+$/.test(c)) ?? cols[3]!;
    out.push({ peer: cols[0]!, state: info, established: info === 'Established' });
  }
  return out;
}

/** GoBGP's session_state numbers (gobgp.proto PeerState.SessionState). */
const GOBGP_STATES = ['unknown', 'idle', 'connect', 'active', 'opensent', 'openconfirm', 'established'] as const;

/** `gobgp neighbor -j`: an array of peers with state.session_state (number or name). */
export function parseGobgpNeighbors(json: string): BgpSession[] {
  const doc: unknown = parseJson(json, 'GoBGP neighbors', true);
  if (!Array.isArray(doc)) throw new LabError('lab/bgp-state', 'GoBGP neighbors: expected a JSON array');
  return doc.filter(isObj).map((n) => {
    const conf = isObj(n['conf']) ? n['conf'] : {};
    const st = isObj(n['state']) ? n['state'] : {};
    const raw = st['session_state'];
    const state = typeof raw === 'number' ? GOBGP_STATES[raw] ?? `state ${raw}` : typeof raw === 'string' ? raw.toLowerCase().replace(/^session_state_/, '') : 'unknown';
    return { peer: String(conf['neighbor_address'] ?? st['neighbor_address'] ?? '?'), state, established: state === 'established' };
  });
}

function parseJson(text: string, what: string, array: true): unknown;
function parseJson(text: string, what: string): Record<string, unknown>;
function parseJson(text: string, what: string, array = false): unknown {
  let doc: unknown;
  try {
    doc = JSON.parse(text.trim() === '' ? (array ? '[]' : '{}') : text);
  } catch (err) {
    throw new LabError('lab/bgp-state', `${what}: not JSON (${(err as Error).message}): ${text.slice(0, 200)}`);
  }
  if (!array && !isObj(doc)) throw new LabError('lab/bgp-state', `${what}: expected a JSON object`);
  return doc;
}

/** The BGP sessions of a router node in a running lab. */
export async function bgpSessions(lab: string, node: string, kind: RouterKind): Promise<BgpSession[]> {
  switch (kind) {
    case 'frr':
      return parseFrrSummary(await run(frrVtysh(lab, node, 'show bgp summary json')));
    case 'bird':
      return parseBirdProtocols(await run(birdc(lab, node, 'show', 'protocols')));
    case 'gobgp':
      return parseGobgpNeighbors(await run(gobgpCli(lab, node, 'neighbor', '-j')));
    case 'exabgp':
      throw new LabError('lab/bgp-state', `node "${node}": ExaBGP has no state query; watch its log instead`);
  }
}

/** Waits until at least `count` sessions (or the named peers) are Established. */
export function waitEstablished(
  lab: string,
  node: string,
  kind: RouterKind,
  want: { count?: number; peers?: readonly string[] },
  timeoutMs: number,
): Promise<BgpSession[]> {
  const accept = (sessions: BgpSession[]) => {
    const up = new Set(sessions.filter((s) => s.established).map((s) => s.peer));
    return up.size >= (want.count ?? 0) && (want.peers ?? []).every((p) => up.has(p));
  };
  return waitFor(() => bgpSessions(lab, node, kind), accept, { timeoutMs, intervalMs: 300, what: `BGP sessions on ${node} to be Established (${JSON.stringify(want)})` });
}
