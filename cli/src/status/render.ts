// `headland status` for people: one screen, most urgent first.
import { percent, table, type Cell } from '../table.js';
import type { StatusReport } from './status.js';

const SHORT: Record<string, string> = { Established: 'up', Idle: 'idle', Connect: 'conn', Active: 'active', OpenSent: 'open', OpenConfirm: 'open' };

export function renderStatus(r: StatusReport, colour: boolean): string[] {
  const out: string[] = [];
  out.push('POOLS');
  out.push(
    ...table(
      ['POOL', 'IPv4 USED', 'IPv4 FREE', 'IPv6 USED', 'IPv6 FREE', 'USAGE'],
      r.pools.map((p): (string | Cell)[] => [
        p.name,
        p.usedIPv4 === undefined ? '-' : String(p.usedIPv4),
        p.freeIPv4 ?? '-',
        p.usedIPv6 === undefined ? '-' : String(p.usedIPv6),
        p.freeIPv6 ?? '-',
        p.exhausted ? { text: 'EXHAUSTED', tone: 'bad' } : p.usage === undefined ? '-' : { text: percent(p.usage), tone: p.usage >= 0.9 ? 'warn' : undefined },
      ]),
      colour,
    ),
  );
  out.push('');
  out.push('SPEAKERS');
  const up = r.speakers.filter((s) => s.reporting).length;
  out.push(`${up} of ${r.speakers.length} nodes report; ${r.speakers.reduce((a, s) => a + s.sessionsUp, 0)} of ${r.speakers.reduce((a, s) => a + s.sessionsTotal, 0)} BGP sessions up`);
  out.push(
    ...table(
      ['NODE', 'SPEAKER', 'VERSION', 'SESSIONS', 'SERVICES', 'L2 IPs', 'NOT SERVING', 'PROBLEMS'],
      r.speakers.map((s): (string | Cell)[] => [
        s.node,
        s.reporting ? { text: 'reporting', tone: 'good' } : { text: 'SILENT', tone: 'bad' },
        s.version,
        { text: `${s.sessionsUp}/${s.sessionsTotal}`, tone: s.sessionsUp < s.sessionsTotal ? 'bad' : undefined },
        String(s.announcedServices),
        s.l2OwnedIPs === undefined ? '-' : String(s.l2OwnedIPs),
        s.notServing === 0 ? '0' : { text: String(s.notServing), tone: 'warn' },
        s.problems.join('; ') || '-',
      ]),
      colour,
    ),
  );
  if (r.peers.length > 0) {
    out.push('');
    out.push('SESSIONS (node x peer)');
    out.push(
      ...table(
        ['NODE', ...r.peers],
        Object.entries(r.sessions)
          .filter(([, m]) => Object.keys(m).length > 0)
          .map(([node, m]) => [node, ...r.peers.map((p): Cell => (m[p] === undefined ? { text: '-', tone: 'dim' } : { text: SHORT[m[p]!] ?? m[p]!, tone: m[p] === 'Established' ? 'good' : 'bad' }))]),
        colour,
      ),
    );
  }
  if (r.invalid.length > 0) {
    out.push('');
    out.push(`INVALID OBJECTS (${r.invalid.length})`);
    out.push(...r.invalid.map((i) => `  ${i}`));
  }
  for (const g of r.gaps) out.push(`warning: could not read ${g}`);
  return out;
}
