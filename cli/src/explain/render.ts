// `headland explain` for people: the Service, its IPs, a row per node (announces or not and why),
// a row per pod (its expected share), then warnings.
import { percent, table, type Cell } from '../table.js';
import type { ServiceReport } from './explain.js';

export function renderServiceReport(r: ServiceReport, colour: boolean): string[] {
  const out: string[] = [];
  out.push(`Service ${r.service}  type ${r.type}  externalTrafficPolicy ${r.trafficPolicy}`);
  for (const ip of r.ips) {
    const why = ip.requested !== undefined ? `requested ${ip.requested}` : 'assigned from the pool';
    out.push(`  IP ${ip.ip}  pool ${ip.pool ?? '(none)'}  ${why}${ip.sharedKey === undefined ? '' : `  shared with key ${ip.sharedKey}`}`);
  }
  if (r.ips.length === 0) out.push('  no IP yet (the controller has not assigned one, or no pool can)');
  out.push('');
  const nodeRows = r.nodes.map((n): (string | Cell)[] => [
    n.node,
    n.mode,
    { text: n.announces ? 'yes' : 'no', tone: n.announces ? 'good' : 'dim' },
    n.reason,
    n.peers.join(',') || '-',
    n.weight === undefined ? '-' : String(n.weight),
    n.announces ? percent(n.share) : '-',
    `${n.endpoints.ready}/${n.endpoints.servingTerminating}`,
    n.published === undefined ? '?' : n.published === n.announces ? 'agrees' : { text: 'DISAGREES', tone: 'bad' },
    n.detail,
  ]);
  out.push(...table(['NODE', 'MODE', 'ANNOUNCES', 'REASON', 'PEERS', 'WEIGHT', 'TRAFFIC', 'READY/DRAINING', 'SPEAKER', 'WHY'], nodeRows, colour));
  const attrs = r.nodes.filter((n) => n.announces && (n.communities.length > 0 || n.localPref !== undefined));
  for (const n of attrs) out.push(`  ${n.node}: communities ${n.communities.join(' ') || '-'}, local pref ${n.localPref ?? '-'}`);
  if (r.pods.length > 0) {
    out.push('');
    out.push(...table(['POD', 'NODE', 'READY', 'SERVING', 'TERMINATING', 'SHARE'], r.pods.map((p) => [p.pod, p.node, p.ready ? 'yes' : 'no', p.serving ? 'yes' : 'no', p.terminating ? 'yes' : 'no', percent(p.share)]), colour));
  }
  if (r.warnings.length > 0) {
    out.push('');
    for (const w of r.warnings) out.push(`${colour ? '\u001b[33mwarning\u001b[0m' : 'warning'}: ${w}`);
  }
  return out;
}
