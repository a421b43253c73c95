// BFDProfiles: the schema already bounds every timer, so this step only turns the defaulted
// spec into the model BGP sessions name.
import type { BFDProfileSpec } from '../kinds/bfdprofile.js';
import type { ReadObject } from './read.js';
import type { BFDProfileConfig } from './types.js';

export function buildBFDProfiles(objects: readonly ReadObject<BFDProfileSpec>[]): Map<string, BFDProfileConfig> {
  const profiles = new Map<string, BFDProfileConfig>();
  for (const { ref, spec } of objects) {
    // applyDefaults has filled every field; the fallbacks only satisfy the type.
    profiles.set(ref.name, {
      ref,
      name: ref.name,
      receiveInterval: spec.receiveInterval ?? 300,
      transmitInterval: spec.transmitInterval ?? 300,
      detectMultiplier: spec.detectMultiplier ?? 3,
      minimumTtl: spec.minimumTtl ?? 254,
      passiveMode: spec.passiveMode === true,
    });
  }
  return profiles;
}
