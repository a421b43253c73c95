// L2Advertisements: pools, selectors and the interfaces ARP/NDP answers go out on.
import type { L2AdvertisementSpec } from '../kinds/l2advertisement.js';
import { interfaceNameProblem } from './names.js';
import { resolvePools } from './pool-refs.js';
import type { ReadObject } from './read.js';
import { compileSelectors } from './selectors.js';
import type { L2AdvertisementConfig, Pool } from './types.js';

export function buildL2Advertisements(objects: readonly ReadObject<L2AdvertisementSpec>[], pools: ReadonlyMap<string, Pool>): L2AdvertisementConfig[] {
  const out: L2AdvertisementConfig[] = [];
  for (const { ref, spec, issues } of objects) {
    const chosen = resolvePools(spec, pools, issues);
    const serviceSelectors = compileSelectors(spec.serviceSelectors, 'spec.serviceSelectors', issues);
    const nodeSelectors = compileSelectors(spec.nodeSelectors, 'spec.nodeSelectors', issues);
    spec.interfaces?.forEach((name, i) => {
      const problem = interfaceNameProblem(name);
      if (problem !== undefined) issues.invalid(`spec.interfaces[${i}]`, `interface name ${JSON.stringify(name)} ${problem}`);
    });
    if (issues.rejected) continue;
    out.push({
      ref,
      pools: chosen,
      serviceSelectors,
      nodeSelectors,
      interfaces: spec.interfaces === undefined ? undefined : [...new Set(spec.interfaces)],
      dataPlaneCheck: spec.dataPlaneCheck ?? 'KubeProxy',
    });
  }
  return out;
}
