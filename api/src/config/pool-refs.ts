// Which pools an advertisement covers: those it names and those its selectors match; with
// neither, every pool.
import type { LabelSelector } from '../schema/builder.js';
import { matchesAny } from '../selector.js';
import { REFERENCE_EFFECT, type ObjectIssues } from './issues.js';
import { compileSelectors } from './selectors.js';
import type { Pool } from './types.js';

export interface PoolChoice {
  ipAddressPools?: string[];
  ipAddressPoolSelectors?: LabelSelector[];
}

/** The chosen pool names, sorted; missing named pools are reported and skipped. */
export function resolvePools(spec: PoolChoice, pools: ReadonlyMap<string, Pool>, issues: ObjectIssues): string[] {
  const names = spec.ipAddressPools ?? [];
  const selectors = compileSelectors(spec.ipAddressPoolSelectors, 'spec.ipAddressPoolSelectors', issues);
  if (names.length === 0 && (spec.ipAddressPoolSelectors ?? []).length === 0) return [...pools.keys()].sort();

  const chosen = new Set<string>();
  names.forEach((name, i) => {
    // A missing pool only narrows what is announced (its IPs are not assigned while it is
    // missing anyway): keep the advertisement, skip the name, say so.
    if (pools.has(name)) chosen.add(name);
    else issues.missing(`spec.ipAddressPools[${i}]`, `IPAddressPool ${JSON.stringify(name)} does not exist (or is invalid); skipped until it does`, REFERENCE_EFFECT.Skip);
  });
  // A selector list given but empty would match everything; only a non-empty list selects here.
  if (selectors.length > 0) {
    for (const pool of pools.values()) if (matchesAny(selectors, pool.labels)) chosen.add(pool.name);
  }
  return [...chosen].sort();
}
