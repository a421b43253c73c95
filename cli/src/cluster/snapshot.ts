// The cluster as the operators' commands read it: plain JSON lists, fetched once (read.ts) and
// then used by pure code (explain, status), so tests build a snapshot from YAML alone.
import { ALL_KINDS, buildConfig, snapshotFromObjects, type Config } from '@headland/api';
import { EndpointIndex, nodeFromJSON, serviceFromJSON, sliceFromJSON, type ModelProblem, type NodeInfo, type ServiceInfo } from '@headland/speaker/model';

export type Obj = Record<string, unknown> & { metadata?: { name?: string; namespace?: string; labels?: Record<string, string> } };

export interface ClusterObjects {
  readonly services: readonly Obj[];
  readonly endpointSlices: readonly Obj[];
  readonly nodes: readonly Obj[];
  /** Headland configuration objects of every kind (apiVersion and kind set), and the Secrets they may name. */
  readonly config: readonly Obj[];
  readonly speakerStatuses: readonly Obj[];
  readonly l2Statuses: readonly Obj[];
  /** Set when something could not be read (e.g. Secrets forbidden): said in the output, never fatal. */
  readonly gaps: readonly string[];
}

export interface ClusterModel {
  readonly objects: ClusterObjects;
  readonly config: Config;
  readonly services: ReadonlyMap<string, ServiceInfo>;
  readonly nodes: ReadonlyMap<string, NodeInfo>;
  readonly endpoints: EndpointIndex;
  readonly problems: readonly ModelProblem[];
}

const CONFIG_KINDS = new Set([...ALL_KINDS.map((k) => k.kind), 'Secret']);

export function modelOf(objects: ClusterObjects): ClusterModel {
  const problems: ModelProblem[] = [];
  const services = new Map<string, ServiceInfo>();
  for (const o of objects.services) {
    const r = serviceFromJSON(o);
    problems.push(...r.problems);
    if (r.value !== undefined) services.set(r.value.key, r.value);
  }
  const nodes = new Map<string, NodeInfo>();
  for (const o of objects.nodes) {
    const r = nodeFromJSON(o);
    problems.push(...r.problems);
    if (r.value !== undefined) nodes.set(r.value.name, r.value);
  }
  const endpoints = new EndpointIndex();
  for (const o of objects.endpointSlices) {
    const r = sliceFromJSON(o);
    problems.push(...r.problems);
    if (r.value !== undefined) endpoints.applySlice(r.value);
  }
  const { snapshot } = snapshotFromObjects(objects.config.filter((o) => CONFIG_KINDS.has(String(o['kind']))));
  return { objects, config: buildConfig(snapshot), services, nodes, endpoints, problems };
}

export const nameOf = (o: Obj): string => o.metadata?.name ?? '';
export const keyOf = (o: Obj): string => `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;
export const field = (o: unknown, ...path: string[]): unknown => path.reduce<unknown>((v, k) => (typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[k] : undefined), o);
