// `headland status`, pure: pools (used and free per family, exhausted first), each node's speaker
// (as its SpeakerStatus says), the peers x nodes session matrix, and the objects that are invalid.
import { formatIssue } from '@headland/api';
import { field, nameOf, type ClusterModel } from '../cluster/snapshot.js';

export interface PoolLine {
  readonly name: string;
  readonly usedIPv4: number | undefined;
  readonly freeIPv4: string | undefined;
  readonly usedIPv6: number | undefined;
  readonly freeIPv6: string | undefined;
  /** Highest usage over the families it has (0..1); undefined before the controller counted. */
  readonly usage: number | undefined;
  readonly exhausted: boolean;
}

export interface SpeakerLine {
  readonly node: string;
  /** A SpeakerStatus exists for the node. */
  readonly reporting: boolean;
  readonly version: string;
  readonly sessionsUp: number;
  readonly sessionsTotal: number;
  readonly announcedServices: number;
  readonly l2OwnedIPs: number | undefined;
  readonly notServing: number;
  readonly problems: readonly string[];
}

export interface StatusReport {
  readonly pools: readonly PoolLine[];
  readonly speakers: readonly SpeakerLine[];
  readonly peers: readonly string[];
  /** node -> peer -> BGP state ("" when the node has no session to that peer). */
  readonly sessions: Readonly<Record<string, Readonly<Record<string, string>>>>;
  readonly invalid: readonly string[];
  readonly gaps: readonly string[];
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

export function statusReport(model: ClusterModel): StatusReport {
  const pools = model.objects.config
    .filter((o) => o['kind'] === 'IPAddressPool')
    .map((o): PoolLine => {
      const s = field(o, 'status');
      const usedIPv4 = num(field(s, 'assignedIPv4'));
      const usedIPv6 = num(field(s, 'assignedIPv6'));
      const freeIPv4 = typeof field(s, 'availableIPv4') === 'string' ? String(field(s, 'availableIPv4')) : undefined;
      const freeIPv6 = typeof field(s, 'availableIPv6') === 'string' ? String(field(s, 'availableIPv6')) : undefined;
      const pairs: [number | undefined, string | undefined][] = [[usedIPv4, freeIPv4], [usedIPv6, freeIPv6]];
      const usages = pairs
        .filter((p): p is [number, string] => p[0] !== undefined && p[1] !== undefined && p[0] + Number(p[1]) > 0)
        .map(([u, f]) => u / (u + Number(f)));
      const usage = usages.length === 0 ? undefined : Math.max(...usages);
      const exhausted = (usedIPv4 !== undefined && usedIPv4 > 0 && freeIPv4 === '0') || (usedIPv6 !== undefined && usedIPv6 > 0 && freeIPv6 === '0');
      return { name: nameOf(o), usedIPv4, freeIPv4, usedIPv6, freeIPv6, usage, exhausted };
    })
    .sort((a, b) => Number(b.exhausted) - Number(a.exhausted) || (b.usage ?? -1) - (a.usage ?? -1) || a.name.localeCompare(b.name));

  const byNode = new Map(model.objects.speakerStatuses.map((s) => [String(field(s, 'status', 'node') ?? nameOf(s)), s]));
  const nodes = [...new Set([...model.nodes.keys(), ...byNode.keys()])].sort();
  const peers = new Set<string>();
  const sessions: Record<string, Record<string, string>> = {};
  const speakers = nodes.map((node): SpeakerLine => {
    const s = byNode.get(node);
    const st = field(s, 'status');
    const list = field(st, 'sessions');
    sessions[node] = {};
    for (const x of Array.isArray(list) ? list : []) {
      const peer = String(field(x, 'peer'));
      peers.add(peer);
      sessions[node]![peer] = String(field(x, 'state'));
    }
    const announced = field(st, 'announcedServices');
    const problems = field(st, 'problems');
    return {
      node,
      reporting: s !== undefined,
      version: String(field(st, 'version') ?? '-'),
      sessionsUp: num(field(st, 'sessionsUp')) ?? 0,
      sessionsTotal: num(field(st, 'sessionsTotal')) ?? 0,
      announcedServices: Array.isArray(announced) ? announced.length : 0,
      l2OwnedIPs: num(field(st, 'l2', 'ownedIPs')),
      notServing: num(field(st, 'dataPlane', 'notServingCount')) ?? 0,
      problems: Array.isArray(problems) ? problems.map(String) : [],
    };
  });
  const invalid = model.config.issues.map(formatIssue);
  return { pools, speakers, peers: [...peers].sort(), sessions, invalid, gaps: model.objects.gaps };
}
