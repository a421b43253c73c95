// BFDProfiles: the schema already bounds every timer, so this step only turns the defaulted
// spec into the model BGP sessions name.
import type { BFDProfileSpec } from '../kinds/bfdprofile.js';
import type { ReadObject } from './read.js';
import type { BFDProfileConfig } from './types.js';

export function buildBFDProfiles(objects: readonly ReadObject<BFDProfileSpec>[]): Map<string, BFDProfileConfig> {
  const profiles = new Map<string, BFDProfileConfig>();
  for (const { ref, spec, issues } of objects) {
    // Echo (RFC 5880 6.4) is not implemented: say so rather than run without it silently.
    if (spec.echoMode === true) issues.invalid('spec.echoMode', "the BFD echo function is not implemented (Headland's BFD runs in asynchronous mode); remove echoMode or set it false");
    if (spec.echoInterval !== undefined) issues.invalid('spec.echoInterval', "the BFD echo function is not implemented, so there is no echo interval; remove echoInterval");
    if (issues.rejected) continue;
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
