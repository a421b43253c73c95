// A Node as plain Kubernetes JSON to NodeInfo: its labels and whether its network is down
// (the NetworkUnavailable condition, set by network plugins until the node's routes exist).
import { ObjectReader, readMeta } from './reader.js';
import type { Converted, NodeInfo } from './types.js';

export function nodeFromJSON(obj: unknown): Converted<NodeInfo> {
  const r = new ObjectReader('model/node', 'Node');
  const id = readMeta(r, obj, false);
  if (id === undefined) return { value: undefined, problems: r.problems };
  const root = obj as Record<string, unknown>;
  const status = r.optObj(root['status'], 'status');
  let networkUnavailable = false;
  r.optList(status['conditions'], 'status.conditions').forEach((c, i) => {
    const condition = r.optObj(c, `status.conditions[${i}]`);
    if (condition['type'] === 'NetworkUnavailable' && condition['status'] === 'True') networkUnavailable = true;
  });
  const labels = r.strings(id.meta['labels'], 'metadata.labels');
  return { value: { name: id.name, labels, networkUnavailable }, problems: r.problems };
}
