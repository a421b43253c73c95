// The whole policy in one call: every Service evaluated for this node, shared IPs combined,
// prefixes merged and sorted. The engine computes the same thing incrementally.
import { formatIP } from '@headland/api';
import { combineIP, comparePrefixKeys, mergePrefix, prefixKeyOf, type Entry, type IPMember, type PrefixKey } from './combine.js';
import { evalContext, evaluateService, type ServiceResult } from './evaluate.js';
import { explainNodeContext, explainResult } from './explain.js';
import type { Announcement, NodeExplanation, PolicyInput, ServiceExplanation } from './types.js';

export function announcements(input: PolicyInput): Announcement[] {
  const ctx = evalContext(input);
  const byIP = new Map<string, IPMember[]>();
  for (const service of input.services.values()) addMembers(byIP, evaluateService(ctx, service));
  const byPrefix = new Map<string, { key: PrefixKey; entries: Entry[] }>();
  for (const [ip, members] of byIP) {
    for (const entry of combineIP(ip, members).entries) {
      const group = byPrefix.get(entry.prefix);
      if (group === undefined) byPrefix.set(entry.prefix, { key: prefixKeyOf(entry), entries: [entry] });
      else group.entries.push(entry);
    }
  }
  return [...byPrefix.values()].sort((a, b) => comparePrefixKeys(a.key, b.key)).flatMap((group) => mergePrefix(group.entries));
}

/** Undefined when the Service is not known. */
export function explainService(input: PolicyInput, serviceKey: string): ServiceExplanation | undefined {
  const service = input.services.get(serviceKey);
  if (service === undefined) return undefined;
  const ctx = evalContext(input);
  const ips = new Set(service.ingressIPs.map(formatIP));
  const byIP = new Map<string, IPMember[]>();
  for (const other of input.services.values()) {
    if (other.ingressIPs.some((ip) => ips.has(formatIP(ip)))) addMembers(byIP, evaluateService(ctx, other));
  }
  return explainResult(evaluateService(ctx, service), input.nodeName, (ip) => byIP.get(ip) ?? []);
}

export function explainNode(input: PolicyInput): NodeExplanation {
  return explainNodeContext(evalContext(input).node);
}

function addMembers(byIP: Map<string, IPMember[]>, result: ServiceResult): void {
  for (const r of result.ips) {
    const members = byIP.get(r.ip);
    const member = { service: result.key, result: r };
    if (members === undefined) byIP.set(r.ip, [member]);
    else members.push(member);
  }
}
