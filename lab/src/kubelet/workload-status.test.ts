import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import type { DaemonSet, Deployment, Node, Pod } from './model.js';
import { podFor, desiredOn } from './plan.js';
import { daemonSetStatus, deploymentStatus, sameStatus } from './workload-status.js';

const repo = new URL('../../../', import.meta.url);
const manifest = <T>(file: string): T => parseAllDocuments(readFileSync(new URL(file, repo), 'utf8'))[0]!.toJSON() as T;
const ds: DaemonSet = (() => {
  const d = manifest<DaemonSet>('manifests/speaker.yaml');
  return { ...d, metadata: { ...d.metadata, uid: 'ds-1', generation: 3 } };
})();
const dep: Deployment = (() => {
  const d = manifest<Deployment>('manifests/controller.yaml');
  return { ...d, metadata: { ...d.metadata, uid: 'dep-1', generation: 2 }, spec: { ...d.spec, replicas: 2 } };
})();
const node = (name: string): Node => ({ metadata: { name, labels: { 'kubernetes.io/os': 'linux' } } });
const nodes = [node('node1'), node('node2'), node('node3')];

/** The pod the plan makes for `owner` on `n`, as the API holds it (ready or not, optionally of an old template). */
function pod(owner: 'ds' | 'dep', n: string, i: number, opts: { ready?: boolean; old?: boolean; terminating?: boolean } = {}): Pod {
  const d = desiredOn({ node: n, nodes, daemonSets: owner === 'ds' ? [ds] : [], deployments: owner === 'dep' ? [dep] : [] }).desired[0]!;
  const p = podFor(opts.old === true ? { ...d, hash: 'oldhash' } : d, n);
  return {
    ...p,
    metadata: { ...p.metadata, name: `${owner}-${n}-${i}`, ...(opts.terminating === true ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}) },
    status: { conditions: [{ type: 'Ready', status: opts.ready === false ? 'False' : 'True' }] },
  };
}

describe('DaemonSet status (what kubectl rollout status reads)', () => {
  test.each<[string, Pod[], Partial<ReturnType<typeof daemonSetStatus>>]>([
    ['none yet', [], { desiredNumberScheduled: 3, currentNumberScheduled: 0, updatedNumberScheduled: 0, numberReady: 0, numberAvailable: 0, numberUnavailable: 3 }],
    ['all up to date and ready', ['node1', 'node2', 'node3'].map((n, i) => pod('ds', n, i)), { currentNumberScheduled: 3, updatedNumberScheduled: 3, numberReady: 3, numberAvailable: 3, numberUnavailable: 0 }],
    ['mid-rollout: one old, one new not ready', [pod('ds', 'node1', 0, { old: true }), pod('ds', 'node2', 1, { ready: false }), pod('ds', 'node3', 2)], { currentNumberScheduled: 3, updatedNumberScheduled: 2, numberReady: 2, numberUnavailable: 1 }],
    ['terminating pods do not count', [pod('ds', 'node1', 0, { terminating: true })], { currentNumberScheduled: 0, numberReady: 0 }],
    ['a pod on a node not eligible is misscheduled', [pod('ds', 'node9', 0)], { currentNumberScheduled: 0, numberMisscheduled: 1 }],
  ])('%s', (_, pods, want) => {
    const s = daemonSetStatus(ds, nodes, pods);
    expect(s).toMatchObject({ observedGeneration: 3, ...want });
  });
});

describe('Deployment status', () => {
  const now = '2026-12-07T00:00:00Z';
  test.each<[string, Pod[], Record<string, unknown>, string]>([
    ['complete', [pod('dep', 'node1', 0), pod('dep', 'node2', 1)], { replicas: 2, updatedReplicas: 2, readyReplicas: 2, availableReplicas: 2, unavailableReplicas: 0 }, 'NewReplicaSetAvailable'],
    ['an old pod left', [pod('dep', 'node1', 0), pod('dep', 'node2', 1, { old: true })], { replicas: 2, updatedReplicas: 1, availableReplicas: 2 }, 'ReplicaSetUpdated'],
    ['one not ready', [pod('dep', 'node1', 0), pod('dep', 'node2', 1, { ready: false })], { replicas: 2, updatedReplicas: 2, availableReplicas: 1, unavailableReplicas: 1 }, 'ReplicaSetUpdated'],
  ])('%s', (_, pods, want, progressing) => {
    const s = deploymentStatus(dep, pods, now);
    expect(s).toMatchObject({ observedGeneration: 2, ...want });
    expect(s.conditions.find((c) => c.type === 'Progressing')?.reason).toBe(progressing);
  });
  test('condition times hold while the condition does', () => {
    const first = deploymentStatus(dep, [pod('dep', 'node1', 0), pod('dep', 'node2', 1)], 'T1');
    const again = deploymentStatus({ ...dep, status: { conditions: first.conditions } } as unknown as Deployment, [pod('dep', 'node1', 0), pod('dep', 'node2', 1)], 'T2');
    expect(again.conditions.map((c) => c.lastTransitionTime)).toEqual(['T1', 'T1']);
    expect(sameStatus(first, again)).toBe(true);
  });
});

test('sameStatus notices a changed count and a changed condition', () => {
  const s = daemonSetStatus(ds, nodes, []);
  expect(sameStatus(s, s)).toBe(true);
  expect(sameStatus({ ...s, numberReady: 1 }, s)).toBe(false);
  expect(sameStatus(undefined, s)).toBe(false);
  const d = deploymentStatus(dep, [], 'T');
  expect(sameStatus({ ...d, conditions: [{ ...d.conditions[0], status: 'True' }, d.conditions[1]] }, d)).toBe(false);
});
