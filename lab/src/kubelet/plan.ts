// Which Pods this node should run and what to change to get there: pure, from Nodes,
// DaemonSets, Deployments and the Pods already in the API (Pods are created and deleted, never patched).

import { templateHash } from './hash.js';
import {
  CONTROLLER_REVISION_HASH,
  DAEMONSET_POD_GENERATION,
  POD_FINALIZER,
  POD_TEMPLATE_HASH,
  type DaemonSet,
  type Deployment,
  type LabelSelector,
  type Labels,
  type Node,
  type OwnerReference,
  type Pod,
  type PodTemplate,
} from './model.js';

export interface Owner {
  readonly kind: 'DaemonSet' | 'Deployment';
  readonly namespace: string;
  readonly name: string;
  readonly uid: string;
}

/** What one owner wants on this node. */
export interface Desired {
  readonly owner: Owner;
  readonly hash: string;
  readonly want: number;
  readonly template: PodTemplate;
  /** DaemonSet rolling update budget (nodes that may be unavailable at once); Infinity for OnDelete-free cases. */
  readonly maxUnavailable: number;
  readonly onDelete: boolean;
  readonly generation: number | undefined;
}

export interface PlanInput {
  readonly node: string;
  readonly nodes: readonly Node[];
  readonly daemonSets: readonly DaemonSet[];
  readonly deployments: readonly Deployment[];
  /** Every Pod in the API (the rolling update counts other nodes' pods). */
  readonly pods: readonly Pod[];
}

export interface PodChange {
  readonly pod: Pod;
  readonly reason: string;
}

export interface Plan {
  readonly create: readonly Pod[];
  readonly delete: readonly PodChange[];
  /** Fields the plan ignored, once per owner ("tolerations ignored: the lab has no taints"). */
  readonly notes: readonly string[];
}

const keyOf = (o: { metadata: { namespace?: string; name?: string } }): string => `${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`;

export function selectorMatches(selector: LabelSelector, labels: Labels | undefined): boolean {
  const l = labels ?? {};
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (l[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(l, e.key);
    const values = e.values ?? [];
    if (e.operator === 'In' && !(has && values.includes(l[e.key]!))) return false;
    if (e.operator === 'NotIn' && has && values.includes(l[e.key]!)) return false;
    if (e.operator === 'Exists' && !has) return false;
    if (e.operator === 'DoesNotExist' && has) return false;
  }
  return true;
}

/** Nodes (sorted by name) whose labels satisfy the template's nodeSelector; `schedulable` also drops cordoned nodes. */
export function eligibleNodes(template: PodTemplate, nodes: readonly Node[], schedulable: boolean): string[] {
  return nodes
    .filter((n) => selectorMatches({ matchLabels: template.spec.nodeSelector ?? {} }, n.metadata.labels))
    .filter((n) => !schedulable || n.spec?.unschedulable !== true)
    .map((n) => n.metadata.name ?? '')
    .filter((n) => n !== '')
    .sort();
}

/**
 * A Deployment's replicas on `node`: replica i runs on eligible[i mod n]. Every stand-in computes
 * the same split from the same Node list, so no scheduler is needed and no replica runs twice.
 */
export function replicasOn(node: string, replicas: number, eligible: readonly string[]): number {
  const at = eligible.indexOf(node);
  if (at < 0 || replicas <= 0) return 0;
  const n = eligible.length;
  return Math.floor(replicas / n) + (at < replicas % n ? 1 : 0);
}

/** An int-or-percent of `total`, rounded up as the DaemonSet controller does for maxUnavailable. */
export function intOrPercent(value: number | string | undefined, total: number, dflt: number): number {
  if (value === undefined) return dflt;
  if (typeof value === 'number') return value;
  const m = /^(\d+)%$/.exec(value);
  if (m === null) return Number.isInteger(Number(value)) ? Number(value) : dflt;
  return Math.ceil((Number(m[1]) * total) / 100);
}

export function controllerOf(pod: Pod): OwnerReference | undefined {
  return pod.metadata.ownerReferences?.find((r) => r.controller === true);
}

export const isTerminating = (pod: Pod): boolean => pod.metadata.deletionTimestamp !== undefined;

export const isReady = (pod: Pod): boolean => pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;

export const hashOf = (pod: Pod): string | undefined => pod.metadata.labels?.[POD_TEMPLATE_HASH] ?? pod.metadata.labels?.[CONTROLLER_REVISION_HASH];

/** What every owner wants on `node`, with the fields the stand-in does not act on as notes. */
export function desiredOn(input: Pick<PlanInput, 'node' | 'nodes' | 'daemonSets' | 'deployments'>): { desired: Desired[]; notes: string[] } {
  const desired: Desired[] = [];
  const notes: string[] = [];
  for (const ds of input.daemonSets) {
    const owner: Owner = { kind: 'DaemonSet', namespace: ds.metadata.namespace ?? 'default', name: ds.metadata.name ?? '', uid: ds.metadata.uid ?? '' };
    if (ds.metadata.deletionTimestamp !== undefined) continue;
    const eligible = eligibleNodes(ds.spec.template, input.nodes, false);
    if (ds.spec.template.spec['tolerations'] !== undefined) notes.push(`DaemonSet ${keyOf(ds)}: spec.template.spec.tolerations ignored (the lab's nodes have no taints)`);
    const strategy = ds.spec.updateStrategy;
    desired.push({
      owner,
      hash: templateHash(ds.spec.template),
      want: eligible.includes(input.node) ? 1 : 0,
      template: ds.spec.template,
      maxUnavailable: Math.max(1, intOrPercent(strategy?.rollingUpdate?.maxUnavailable, eligible.length, 1)),
      onDelete: strategy?.type === 'OnDelete',
      generation: ds.metadata.generation,
    });
  }
  for (const d of input.deployments) {
    const owner: Owner = { kind: 'Deployment', namespace: d.metadata.namespace ?? 'default', name: d.metadata.name ?? '', uid: d.metadata.uid ?? '' };
    if (d.metadata.deletionTimestamp !== undefined) continue;
    const eligible = eligibleNodes(d.spec.template, input.nodes, true);
    if (d.spec.template.spec['affinity'] !== undefined) notes.push(`Deployment ${keyOf(d)}: spec.template.spec.affinity ignored (replicas are spread round-robin over the eligible nodes)`);
    if (d.spec.template.spec['tolerations'] !== undefined) notes.push(`Deployment ${keyOf(d)}: spec.template.spec.tolerations ignored (the lab's nodes have no taints)`);
    if (d.spec['strategy'] !== undefined) notes.push(`Deployment ${keyOf(d)}: spec.strategy ignored (on each node old Pods are removed before new ones start)`);
    desired.push({
      owner,
      hash: templateHash(d.spec.template, d.status?.collisionCount),
      want: d.spec.paused === true ? -1 : replicasOn(input.node, d.spec.replicas ?? 1, eligible),
      template: d.spec.template,
      maxUnavailable: Infinity,
      onDelete: false,
      generation: undefined,
    });
  }
  return { desired, notes };
}

/** The Pod object a controller would create for `d` on `node` (the API server appends the 5-character suffix to generateName). */
export function podFor(d: Desired, node: string): Pod {
  const t = d.template;
  const hashLabels: Record<string, string> = d.owner.kind === 'DaemonSet' ? { [CONTROLLER_REVISION_HASH]: d.hash, ...(d.generation === undefined ? {} : { [DAEMONSET_POD_GENERATION]: String(d.generation) }) } : { [POD_TEMPLATE_HASH]: d.hash };
  const owner: OwnerReference = { apiVersion: 'apps/v1', kind: d.owner.kind, name: d.owner.name, uid: d.owner.uid, controller: true, blockOwnerDeletion: true };
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: d.owner.kind === 'DaemonSet' ? `${d.owner.name}-` : `${d.owner.name}-${d.hash}-`,
      namespace: d.owner.namespace,
      labels: { ...t.metadata?.labels, ...hashLabels },
      ...(t.metadata?.annotations === undefined ? {} : { annotations: t.metadata.annotations }),
      ownerReferences: [owner],
      finalizers: [POD_FINALIZER],
    },
    spec: { ...t.spec, nodeName: node },
  };
}

/** Fewest-ready, newest first: the pods a scale-down removes. */
function byRemovalOrder(a: Pod, b: Pod): number {
  const r = Number(isReady(a)) - Number(isReady(b));
  if (r !== 0) return r;
  return (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? '') || (b.metadata.name ?? '').localeCompare(a.metadata.name ?? '');
}

/**
 * May `node` replace its old DaemonSet pod now? At most maxUnavailable eligible nodes may be
 * without a ready pod; the free slots go to the nodes with old pods in name order, so two
 * stand-ins deciding at once never both take the last slot.
 */
export function mayRoll(d: Desired, node: string, eligible: readonly string[], pods: readonly Pod[]): boolean {
  const mine = (p: Pod) => controllerOf(p)?.uid === d.owner.uid;
  const byNode = new Map<string, Pod[]>();
  for (const p of pods.filter(mine)) byNode.set(p.spec.nodeName ?? '', [...(byNode.get(p.spec.nodeName ?? '') ?? []), p]);
  const unavailable = eligible.filter((n) => !(byNode.get(n) ?? []).some((p) => !isTerminating(p) && isReady(p))).length;
  const slots = d.maxUnavailable - unavailable;
  if (slots <= 0) return false;
  const rolling = eligible.filter((n) => (byNode.get(n) ?? []).some((p) => !isTerminating(p) && isReady(p) && hashOf(p) !== d.hash));
  return rolling.slice(0, slots).includes(node);
}

/** Creates and deletes that bring this node's Pods to what the owners want. */
export function plan(input: PlanInput): Plan {
  const { desired, notes } = desiredOn(input);
  const create: Pod[] = [];
  const del: PodChange[] = [];
  const here = input.pods.filter((p) => p.spec.nodeName === input.node);
  const owners = new Map(desired.map((d) => [d.owner.uid, d]));
  for (const d of desired) {
    const pods = here.filter((p) => controllerOf(p)?.uid === d.owner.uid);
    const live = pods.filter((p) => !isTerminating(p));
    const current = live.filter((p) => hashOf(p) === d.hash);
    const old = live.filter((p) => hashOf(p) !== d.hash);
    if (d.want < 0) continue; // paused
    for (const p of [...current].sort(byRemovalOrder).slice(0, Math.max(0, current.length - d.want))) del.push({ pod: p, reason: `${d.owner.kind} ${d.owner.namespace}/${d.owner.name} wants ${d.want} here` });
    if (d.owner.kind === 'DaemonSet' && d.want > 0 && old.length > 0 && current.length === 0) {
      const eligible = eligibleNodes(d.template, input.nodes, false);
      // Only ready old pods wait for the budget; a broken one may go at once.
      for (const p of old) {
        if (d.onDelete) continue;
        if (!isReady(p) || mayRoll(d, input.node, eligible, input.pods)) del.push({ pod: p, reason: `DaemonSet ${d.owner.namespace}/${d.owner.name} rolling update to ${d.hash}` });
      }
    } else {
      for (const p of old) del.push({ pod: p, reason: `${d.owner.kind} ${d.owner.namespace}/${d.owner.name} template changed to ${d.hash}` });
    }
    // New pods wait until no old or terminating pod of the owner is left here: hostNetwork pods would clash on their ports, and the plan stays the same for both kinds.
    const blocked = pods.some((p) => isTerminating(p) || hashOf(p) !== d.hash);
    if (!blocked) for (let i = current.length; i < d.want; i++) create.push(podFor(d, input.node));
  }
  // Pods of owners that are gone (the API server collects no garbage) or no longer DaemonSet/Deployment-owned.
  const known = new Set([...input.daemonSets, ...input.deployments].map((o) => o.metadata.uid));
  for (const p of here) {
    const ref = controllerOf(p);
    if (ref === undefined || isTerminating(p) || (ref.kind !== 'DaemonSet' && ref.kind !== 'Deployment')) continue;
    if (!known.has(ref.uid)) del.push({ pod: p, reason: `owner ${ref.kind} ${ref.name} (${ref.uid}) is gone` });
    else if (!owners.has(ref.uid)) del.push({ pod: p, reason: `owner ${ref.kind} ${ref.name} is being deleted` });
  }
  return { create, delete: del, notes: [...new Set(notes)] };
}
