// Explanations for people (the explain tool, status objects): for a Service on a node, each IP
// with its verdict, weight and announcements; for a node, whether it may announce and to whom.
import { combineIP, mergePrefix, type Entry, type IPMember } from './combine.js';
import type { NodeContext, ServiceResult } from './evaluate.js';
import { REASON, type Announcement, type IPExplanation, type NodeExplanation, type ServiceExplanation, type Verdict } from './types.js';

/** `members` gives, for an IP, every Service result holding it (this one included). */
export function explainResult(result: ServiceResult, node: string, members: (ip: string) => readonly IPMember[]): ServiceExplanation {
  if (result.ineligible !== undefined) return { service: result.key, node, verdict: result.ineligible, ips: [] };
  const ips = result.ips.map((r): IPExplanation => {
    const outcome = combineIP(r.ip, members(r.ip));
    const mine = outcome.entries.filter((e) => e.service === result.key);
    const announcements = mergePrefixes(mine).map((a) => ({ prefix: a.prefix, peers: a.peers }));
    return {
      ip: r.ip,
      pool: r.pool,
      reason: r.reason,
      detail: r.detail,
      announced: mine.length > 0,
      ipAnnounced: outcome.entries.length > 0,
      linkBandwidth: outcome.entries.length > 0 ? outcome.linkBandwidth : undefined,
      unweightedBecause: r.weighted ? outcome.unweightedBecause : undefined,
      announcements,
    };
  });
  const announced = ips.find((ip) => ip.announced);
  const first = ips[0];
  const verdict: Verdict = announced ?? first ?? { reason: REASON.NoIP, detail: `service ${result.key} has no IP` };
  return { service: result.key, node, verdict: { reason: verdict.reason, detail: verdict.detail }, ips };
}

export function explainNodeContext(ctx: NodeContext): NodeExplanation {
  if (ctx.ineligible !== undefined) return { node: ctx.name, eligible: false, verdict: ctx.ineligible, peers: ctx.peers };
  const detail = ctx.peers.length > 0 ? `node ${ctx.name} may announce, to peers ${ctx.peers.join(', ')}` : `node ${ctx.name} may announce, but no BGPPeer selects it`;
  return { node: ctx.name, eligible: true, verdict: { reason: REASON.NodeEligible, detail }, peers: ctx.peers };
}

function mergePrefixes(entries: readonly Entry[]): Announcement[] {
  const byPrefix = new Map<string, Entry[]>();
  for (const e of entries) byPrefix.set(e.prefix, [...(byPrefix.get(e.prefix) ?? []), e]);
  return [...byPrefix.values()].flatMap((list) => mergePrefix(list));
}
