// Community objects: alias names for community values, unique across all Community objects,
// so that an advertisement's "no-export-upstream" means one value only.
import type { CommunitySpec } from '../kinds/community.js';
import { CommunityError, isCommunityLiteral, parseCommunity, type CommunityValue } from './community-value.js';
import { formatRef, type ObjectRef } from './issues.js';
import type { ReadObject } from './read.js';

/** Alias name to value from the valid Community objects (sorted by namespace/name: the later duplicate loses). */
export function buildCommunityAliases(objects: readonly ReadObject<CommunitySpec>[]): Map<string, CommunityValue> {
  const aliases = new Map<string, CommunityValue>();
  const owners = new Map<string, ObjectRef>();
  for (const { ref, spec, issues } of objects) {
    const mine = new Map<string, CommunityValue>();
    spec.communities.forEach(({ name, value }, i) => {
      const field = `spec.communities[${i}]`;
      // An alias that looks like a value would be read as that value, never as the alias.
      if (isCommunityLiteral(name)) {
        issues.invalid(`${field}.name`, `alias ${JSON.stringify(name)} contains ":" or is a well-known community name`);
      } else if (mine.has(name)) {
        issues.invalid(`${field}.name`, `alias ${JSON.stringify(name)} is defined twice in this object`);
      } else {
        const owner = owners.get(name);
        if (owner !== undefined) issues.invalid(`${field}.name`, `alias ${JSON.stringify(name)} is already defined by Community ${formatRef(owner)}`);
      }
      try {
        mine.set(name, parseCommunity(value));
      } catch (err: unknown) {
        issues.invalid(`${field}.value`, err instanceof CommunityError ? err.message : String(err));
      }
    });
    if (issues.rejected) continue;
    for (const [name, value] of mine) {
      aliases.set(name, value);
      owners.set(name, ref);
    }
  }
  return aliases;
}
