// The Events L2 mode puts on a Service: this node starts answering ARP/NDP for its IPs (which,
// on which interfaces) or stops (and who answers now), so `kubectl describe service` tells the story.
import type { L2Election } from './election/index.js';

export const L2_EVENT = { Answering: 'L2Answering', Stopped: 'L2Stopped' } as const;
export type L2EventReason = (typeof L2_EVENT)[keyof typeof L2_EVENT];

export interface L2ServiceEvent {
  readonly service: string;
  readonly type: 'Normal';
  readonly reason: L2EventReason;
  readonly message: string;
}

const mine = (election: L2Election, node: string, service: string) => [...election.owners.values()].filter((o) => o.node === node && o.services.includes(service));
const where = (interfaces: readonly string[] | undefined): string => (interfaces === undefined ? 'every interface' : interfaces.join(', '));

/** Events for the Services whose ownership changed between two elections, from `node`'s side. */
export function l2Events(before: L2Election, after: L2Election, node: string, services: Iterable<string>): L2ServiceEvent[] {
  const out: L2ServiceEvent[] = [];
  for (const service of [...services].sort()) {
    const was = mine(before, node, service);
    const now = mine(after, node, service);
    const wasIPs = new Set(was.map((o) => o.ip));
    const gained = now.filter((o) => !wasIPs.has(o.ip));
    if (gained.length > 0) {
      const list = gained.map((o) => `${o.ip} on ${where(o.interfaces)}`).join('; ');
      out.push({ service, type: 'Normal', reason: L2_EVENT.Answering, message: `node ${node} answers ARP/NDP for ${list}` });
    }
    const nowIPs = new Set(now.map((o) => o.ip));
    const lost = was.filter((o) => !nowIPs.has(o.ip));
    if (lost.length > 0) {
      const fate = lost.map((o) => {
        const owner = after.owners.get(o.ip);
        if (owner !== undefined) return `${o.ip} (now node ${owner.node})`;
        const why = after.unowned.get(o.ip);
        return `${o.ip} (${why?.detail ?? 'the Service no longer has it'})`;
      });
      out.push({ service, type: 'Normal', reason: L2_EVENT.Stopped, message: `node ${node} stopped answering for ${fate.join('; ')}` });
    }
  }
  return out;
}
