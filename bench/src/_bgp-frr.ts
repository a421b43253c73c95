// What the benchmark reads from FRR: per peer the session state and pfxRcd, and the size of
// the BGP table, from `show bgp summary json` (IPv4 unicast block).

export class FrrSummaryError extends Error {
  override readonly name = 'FrrSummaryError';
}

export interface FrrPeerCount {
  readonly state: string;
  readonly pfxRcd: number;
}

export interface FrrIpv4Summary {
  /** Routes in the BGP table (all peers); 0 once a dropped peer's routes are gone. */
  readonly ribCount: number;
  readonly peers: ReadonlyMap<string, FrrPeerCount>;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function parseFrrIpv4Summary(text: string): FrrIpv4Summary {
  let doc: unknown;
  try {
    doc = JSON.parse(text.trim() === '' ? '{}' : text);
  } catch (error) {
    throw new FrrSummaryError(`bgp-frr: summary is not JSON (${(error as Error).message}): ${text.slice(0, 200)}`);
  }
  if (!isObj(doc)) throw new FrrSummaryError('bgp-frr: summary is not a JSON object');
  const block = doc['ipv4Unicast'];
  // FRR prints {} while no peer has the family up yet.
  if (block === undefined) return { ribCount: 0, peers: new Map() };
  if (!isObj(block) || !isObj(block['peers'])) throw new FrrSummaryError('bgp-frr: ipv4Unicast has no peers object');
  const peers = new Map<string, FrrPeerCount>();
  for (const [address, info] of Object.entries(block['peers'])) {
    if (!isObj(info) || typeof info['state'] !== 'string' || typeof info['pfxRcd'] !== 'number') {
      throw new FrrSummaryError(`bgp-frr: peer ${address} lacks state or pfxRcd`);
    }
    peers.set(address, { state: info['state'], pfxRcd: info['pfxRcd'] });
  }
  const ribCount = block['ribCount'];
  if (typeof ribCount !== 'number') throw new FrrSummaryError('bgp-frr: ipv4Unicast has no ribCount');
  return { ribCount, peers };
}
