// Whether the kube-proxy stand-ins have caught up: the ruleset each node's stand-in last applied
// (its --state-file) against what the stand-in's own planner gives for the Services and
// EndpointSlices the API server holds now. Speakers announce as soon as they see a change, so a
// route can reach a router before a node's rules are in (as with kube-proxy); whoever sends
// traffic right after a change waits for this first.
import { endpointSliceFromKubernetes, serviceFromKubernetes } from './convert.js';
import type { EndpointSlice, Service } from './model.js';
import { buildRuleset, DEFAULT_TABLE } from './rules.js';

/**
 * Nodes (sorted) whose stand-in's applied ruleset is not the one `objects` (Services and
 * EndpointSlices as the API returns them, other kinds ignored) give. `applied(node)`: the text of
 * its state file, undefined when there is none yet. Objects the stand-in cannot read, it skips,
 * and so does this.
 */
export function laggingNodes(objects: readonly unknown[], nodes: Readonly<Record<string, readonly string[]>>, applied: (node: string) => string | undefined, table: string = DEFAULT_TABLE): string[] {
  const services: Service[] = [];
  const slices: EndpointSlice[] = [];
  for (const item of objects) {
    const kind = (item as { kind?: unknown } | null)?.kind;
    try {
      if (kind === 'Service') services.push(serviceFromKubernetes(item));
      else if (kind === 'EndpointSlice') {
        const slice = endpointSliceFromKubernetes(item);
        if (slice !== null) slices.push(slice);
      }
    } catch {
      continue;
    }
  }
  return Object.entries(nodes)
    .filter(([name, ips]) => applied(name) !== buildRuleset(services, slices, { name, ips }, table).text)
    .map(([name]) => name)
    .sort();
}
