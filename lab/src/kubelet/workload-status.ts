// DaemonSet and Deployment status as their controllers write it, pure: from the owner, the Nodes
// and every Pod. `kubectl rollout status` and `kubectl get ds/deploy` read exactly these fields.
// Every stand-in computes the same from the same view and writes only when the stored status
// differs, so any live stand-in keeps it current (there is no controller-manager in the lab).

import { controllerOf, eligibleNodes, hashOf, isReady, isTerminating } from './plan.js';
import { templateHash } from './hash.js';
import type { DaemonSet, Deployment, Node, Pod, PodCondition } from './model.js';

export interface DaemonSetStatus {
  readonly observedGeneration: number;
  readonly desiredNumberScheduled: number;
  readonly currentNumberScheduled: number;
  readonly numberMisscheduled: number;
  readonly updatedNumberScheduled: number;
  readonly numberReady: number;
  readonly numberAvailable: number;
  readonly numberUnavailable: number;
}

export interface DeploymentCondition extends PodCondition {
  readonly lastUpdateTime: string;
  readonly message: string;
}

export interface DeploymentStatus {
  readonly observedGeneration: number;
  readonly replicas: number;
  readonly updatedReplicas: number;
  readonly readyReplicas: number;
  readonly availableReplicas: number;
  readonly unavailableReplicas: number;
  readonly conditions: readonly DeploymentCondition[];
}

const ownedBy = (uid: string | undefined) => (p: Pod) => uid !== undefined && controllerOf(p)?.uid === uid && !isTerminating(p);

export function daemonSetStatus(ds: DaemonSet, nodes: readonly Node[], pods: readonly Pod[]): DaemonSetStatus {
  const eligible = new Set(eligibleNodes(ds.spec.template, nodes, false));
  const mine = pods.filter(ownedBy(ds.metadata.uid));
  const hash = templateHash(ds.spec.template);
  const nodesWith = (f: (p: Pod) => boolean) => new Set(mine.filter(f).map((p) => p.spec.nodeName ?? ''));
  const scheduled = nodesWith(() => true);
  const current = [...scheduled].filter((n) => eligible.has(n)).length;
  const updated = [...nodesWith((p) => hashOf(p) === hash)].filter((n) => eligible.has(n)).length;
  const ready = [...nodesWith(isReady)].filter((n) => eligible.has(n)).length;
  return {
    observedGeneration: ds.metadata.generation ?? 1,
    desiredNumberScheduled: eligible.size,
    currentNumberScheduled: current,
    numberMisscheduled: scheduled.size - current,
    updatedNumberScheduled: updated,
    numberReady: ready,
    // minReadySeconds is not modelled: a ready daemon pod is an available one.
    numberAvailable: ready,
    numberUnavailable: Math.max(0, eligible.size - ready),
  };
}

function condition(type: string, ok: boolean, reason: string, message: string, prev: readonly DeploymentCondition[] | undefined, now: string): DeploymentCondition {
  const status = ok ? 'True' : 'False';
  const old = prev?.find((c) => c.type === type);
  const same = old?.status === status;
  return {
    type,
    status,
    lastTransitionTime: same && old?.lastTransitionTime !== undefined ? old.lastTransitionTime : now,
    lastUpdateTime: same && old?.reason === reason ? old.lastUpdateTime : now,
    reason,
    message,
  };
}

export function deploymentStatus(d: Deployment, pods: readonly Pod[], now: string): DeploymentStatus {
  const name = d.metadata.name ?? '';
  const want = d.spec.replicas ?? 1;
  const mine = pods.filter(ownedBy(d.metadata.uid));
  const hash = templateHash(d.spec.template, d.status?.collisionCount);
  const updated = mine.filter((p) => hashOf(p) === hash);
  const ready = mine.filter(isReady).length;
  const available = ready;
  const prev = (d.status as { conditions?: readonly DeploymentCondition[] } | undefined)?.conditions;
  const complete = updated.length === want && mine.length === want && available === want;
  return {
    observedGeneration: d.metadata.generation ?? 1,
    replicas: mine.length,
    updatedReplicas: updated.length,
    readyReplicas: ready,
    availableReplicas: available,
    unavailableReplicas: Math.max(0, want - available),
    conditions: [
      available >= want
        ? condition('Available', true, 'MinimumReplicasAvailable', 'Deployment has minimum availability.', prev, now)
        : condition('Available', false, 'MinimumReplicasUnavailable', 'Deployment does not have minimum availability.', prev, now),
      complete
        ? condition('Progressing', true, 'NewReplicaSetAvailable', `Pods with template hash "${hash}" of "${name}" have successfully progressed.`, prev, now)
        : condition('Progressing', true, 'ReplicaSetUpdated', `Pods with template hash "${hash}" of "${name}" are progressing.`, prev, now),
    ],
  };
}

/** True when `stored` already says what `next` says (times of unchanged conditions aside). */
export function sameStatus(stored: unknown, next: DaemonSetStatus | DeploymentStatus): boolean {
  const s = (stored ?? {}) as Record<string, unknown>;
  for (const [k, v] of Object.entries(next)) {
    if (k === 'conditions') {
      const have = (s['conditions'] ?? []) as DeploymentCondition[];
      const want = v as DeploymentCondition[];
      if (have.length !== want.length || want.some((c, i) => have[i]?.type !== c.type || have[i]?.status !== c.status || have[i]?.reason !== c.reason)) return false;
    } else if (s[k] !== v) return false;
  }
  return true;
}
