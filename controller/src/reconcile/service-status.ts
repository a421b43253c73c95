// What a Service's status and pool annotation should say for an assignment, and how that
// compares with what they say now; pure, so the write path decides from data alone.
import { ALLOCATED_FROM_POOL_ANNOTATION, formatIP, parseIP, type IPAddress } from '@headland/api';
import { field, isRecord, labelsOf } from './objects.js';

export interface Ingress {
  readonly ip: string;
  readonly ipMode: 'VIP';
}

/** The IPs in status.loadBalancer.ingress, and the entries that are not IPs (a hostname, garbage). */
export function ingressIPs(svc: unknown): { ips: IPAddress[]; unreadable: string[] } {
  const list = field(svc, 'status', 'loadBalancer', 'ingress');
  const ips: IPAddress[] = [];
  const unreadable: string[] = [];
  if (!Array.isArray(list)) return { ips, unreadable };
  for (const entry of list) {
    const ip = isRecord(entry) ? entry['ip'] : undefined;
    if (typeof ip !== 'string') {
      unreadable.push(JSON.stringify(entry));
      continue;
    }
    try {
      ips.push(parseIP(ip));
    } catch {
      unreadable.push(ip);
    }
  }
  return { ips, unreadable };
}

export function desiredIngress(ips: readonly IPAddress[]): Ingress[] {
  return ips.map((ip) => ({ ip: formatIP(ip), ipMode: 'VIP' }));
}

/** Whether status already says exactly `desired` (order matters: it follows spec.ipFamilies). */
export function ingressMatches(svc: unknown, desired: readonly Ingress[]): boolean {
  const list = field(svc, 'status', 'loadBalancer', 'ingress');
  const current = Array.isArray(list) ? list : [];
  if (current.length !== desired.length) return false;
  return desired.every((d, i) => {
    const c = current[i];
    if (!isRecord(c)) return false;
    // Only the fields we own: other keys (ports) would be a foreign writer's, and we replace them.
    return c['ip'] === d.ip && c['ipMode'] === d.ipMode && c['hostname'] === undefined && c['ports'] === undefined;
  });
}

export function poolAnnotation(svc: unknown): string | undefined {
  return labelsOf(svc, 'annotations')[ALLOCATED_FROM_POOL_ANNOTATION];
}

export function sameIPs(a: readonly IPAddress[], b: readonly IPAddress[]): boolean {
  return a.length === b.length && a.every((ip, i) => ip.family === b[i]?.family && ip.value === b[i]?.value);
}
