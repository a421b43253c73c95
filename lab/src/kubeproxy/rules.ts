// The stand-in's whole decision, pure: Services + EndpointSlices + this node -> the nftables
// script for `nft -f` that makes the node's table match, replacing whatever it held before.

import type { EndpointSlice, NodeInfo, Service } from './model.js';
import { planRules, type PlannedRule } from './plan.js';
import { DEFAULT_TABLE, renderRuleset } from './render.js';

export interface Ruleset {
  readonly rules: readonly PlannedRule[];
  /** The script: creates, deletes and re-creates the table in one transaction. */
  readonly text: string;
}

export function buildRuleset(services: readonly Service[], slices: readonly EndpointSlice[], node: NodeInfo, table: string = DEFAULT_TABLE): Ruleset {
  const rules = planRules(services, slices, node);
  return { rules, text: renderRuleset(rules, node, table) };
}

export { DEFAULT_TABLE, renderDelete, SNAT_MARK } from './render.js';
export type { Backend, Frontend, PlannedRule, Verdict } from './plan.js';
