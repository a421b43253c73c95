import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { canonicalJson, safeEncode, templateHash } from './hash.js';
import type { DaemonSet, Deployment, Node, Pod } from './model.js';
import { intOrPercent, plan, podFor, replicasOn, selectorMatches, desiredOn, type PlanInput } from './plan.js';

const repo = new URL('../../../', import.meta.url);
const manifest = <T>(file: string): T => parseAllDocuments(readFileSync(new URL(file, repo), 'utf8'))[0]!.toJSON() as T;
const speaker = (uid = 'ds-1'): DaemonSet => {
  const ds = manifest<DaemonSet>('manifests/speaker.yaml');
  return { ...ds, metadata: { ...ds.metadata, uid, generation: 1 } };
};
const controller = (replicas = 2, uid = 'dep-1'): Deployment => {
  const d = manifest<Deployment>('manifests/controller.yaml');
  return { ...d, metadata: { ...d.metadata, uid }, spec: { ...d.spec, replicas } };
};
const node = (name: string, labels: Record<string, string> = { 'kubernetes.io/os': 'linux' }, unschedulable = false): Node => ({ metadata: { name, labels }, spec: { unschedulable } });
const nodes = [node('node1'), node('node2'), node('node3')];

/** A pod as the API would hold it after podFor + create. */
function running(p: Pod, name: string, ready = true, extra: Partial<Pod['metadata']> = {}): Pod {
  return { ...p, metadata: { ...p.metadata, name, ...extra }, status: { conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] } };
}

const input = (over: Partial<PlanInput>): PlanInput => ({ node: 'node1', nodes, daemonSets: [], deployments: [], pods: [], ...over });
const brief = (p: ReturnType<typeof plan>) => ({
  create: p.create.map((x) => `${x.metadata.generateName}@${x.spec.nodeName}`),
  delete: p.delete.map((x) => x.pod.metadata.name),
});

describe('hash', () => {
  test.each([
    ['key order does not matter', { b: 1, a: [1, { d: 2, c: 3 }] }, '{"a":[1,{"c":3,"d":2}],"b":1}'],
    ['undefined fields are dropped', { a: undefined, b: null }, '{"b":null}'],
  ])('%s', (_, v, text) => expect(canonicalJson(v)).toBe(text));
  test('safe encoding uses only the controllers alphabet', () => expect(safeEncode('0123456789')).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]+$/));
  test('a template change changes the hash, the collision count too', () => {
    const t = controller().spec.template;
    expect(templateHash(t)).not.toBe(templateHash({ ...t, metadata: { labels: { x: 'y' } } }));
    expect(templateHash(t)).not.toBe(templateHash(t, 1));
    expect(templateHash(t)).toBe(templateHash(JSON.parse(JSON.stringify(t))));
  });
});

test.each<[string, number, string[], string, number]>([
  ['2 over 3: first node', 2, ['a', 'b', 'c'], 'a', 1],
  ['2 over 3: second node', 2, ['a', 'b', 'c'], 'b', 1],
  ['2 over 3: third node gets none', 2, ['a', 'b', 'c'], 'c', 0],
  ['5 over 2: first gets 3', 5, ['a', 'b'], 'a', 3],
  ['5 over 2: second gets 2', 5, ['a', 'b'], 'b', 2],
  ['not eligible', 3, ['a', 'b'], 'z', 0],
  ['zero replicas', 0, ['a'], 'a', 0],
])('replicasOn: %s', (_, replicas, eligible, me, n) => expect(replicasOn(me, replicas, eligible)).toBe(n));

test.each<[string, number | string | undefined, number, number]>([
  ['default', undefined, 3, 1],
  ['number', 2, 3, 2],
  ['percent rounds up', '34%', 3, 2],
  ['numeric string', '3', 10, 3],
])('intOrPercent: %s', (_, v, total, out) => expect(intOrPercent(v, total, 1)).toBe(out));

test.each<[string, Parameters<typeof selectorMatches>[0], Record<string, string>, boolean]>([
  ['matchLabels', { matchLabels: { a: '1' } }, { a: '1', b: '2' }, true],
  ['matchLabels miss', { matchLabels: { a: '1' } }, { a: '2' }, false],
  ['In', { matchExpressions: [{ key: 'a', operator: 'In', values: ['1', '2'] }] }, { a: '2' }, true],
  ['NotIn', { matchExpressions: [{ key: 'a', operator: 'NotIn', values: ['1'] }] }, { a: '1' }, false],
  ['Exists', { matchExpressions: [{ key: 'a', operator: 'Exists' }] }, {}, false],
  ['DoesNotExist', { matchExpressions: [{ key: 'a', operator: 'DoesNotExist' }] }, {}, true],
])('selector: %s', (_, sel, labels, ok) => expect(selectorMatches(sel, labels)).toBe(ok));

describe('pods as the controllers name them', () => {
  test('DaemonSet pod: NAME- prefix, controller-revision-hash, owner, finalizer, nodeName', () => {
    const { desired } = desiredOn(input({ daemonSets: [speaker()] }));
    const p = podFor(desired[0]!, 'node1');
    expect(p.metadata.generateName).toBe('headland-speaker-');
    expect(p.metadata.labels).toMatchObject({ 'app.kubernetes.io/component': 'speaker', 'controller-revision-hash': templateHash(speaker().spec.template), 'pod-template-generation': '1' });
    expect(p.metadata.ownerReferences).toEqual([{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'headland-speaker', uid: 'ds-1', controller: true, blockOwnerDeletion: true }]);
    expect(p.metadata.finalizers).toEqual(['lab.headland.io/kubelet']);
    expect(p.spec.nodeName).toBe('node1');
    expect(p.spec.hostNetwork).toBe(true);
  });
  test('Deployment pod: NAME-HASH- prefix and pod-template-hash', () => {
    const { desired, notes } = desiredOn(input({ deployments: [controller()] }));
    const hash = templateHash(controller().spec.template);
    const p = podFor(desired[0]!, 'node1');
    expect(p.metadata.generateName).toBe(`headland-controller-${hash}-`);
    expect(p.metadata.labels?.['pod-template-hash']).toBe(hash);
    expect(notes).toEqual([expect.stringContaining('spec.template.spec.affinity ignored'), expect.stringContaining('spec.strategy ignored')]);
  });
  test('tolerations are a note', () => expect(desiredOn(input({ daemonSets: [speaker()] })).notes).toEqual([expect.stringContaining('tolerations ignored')]));
});

describe('plan', () => {
  const ds = speaker();
  const dsPod = (n: string, name: string, ready = true, d = ds): Pod => running(podFor(desiredOn(input({ node: n, daemonSets: [d] })).desired[0]!, n), name, ready);
  const changed: DaemonSet = { ...ds, metadata: { ...ds.metadata, generation: 2 }, spec: { ...ds.spec, template: { ...ds.spec.template, metadata: { labels: { ...ds.spec.template.metadata?.labels, v: '2' } } } } };
  const dep = controller(2);
  const depPod = (n: string, name: string, d = dep, ready = true): Pod => running(podFor(desiredOn(input({ node: n, deployments: [d] })).desired[0]!, n), name, ready);

  test.each<[string, Partial<PlanInput>, { create: string[]; delete: (string | undefined)[] }]>([
    ['DaemonSet: a pod on a matching node', { daemonSets: [ds] }, { create: ['headland-speaker-@node1'], delete: [] }],
    ['DaemonSet: none on a node the nodeSelector skips', { nodes: [node('node1', { 'kubernetes.io/os': 'windows' })], daemonSets: [ds] }, { create: [], delete: [] }],
    ['DaemonSet: already running', { daemonSets: [ds], pods: [dsPod('node1', 'a')] }, { create: [], delete: [] }],
    ['DaemonSet: a second pod is removed', { daemonSets: [ds], pods: [dsPod('node1', 'a'), dsPod('node1', 'b', false)] }, { create: [], delete: ['b'] }],
    ['DaemonSet: other nodes\' pods are theirs', { daemonSets: [ds], pods: [dsPod('node2', 'x')] }, { create: ['headland-speaker-@node1'], delete: [] }],
    ['roll: first node with an old pod goes when all are ready', { daemonSets: [changed], pods: [dsPod('node1', 'a'), dsPod('node2', 'b'), dsPod('node3', 'c')] }, { create: [], delete: ['a'] }],
    ['roll: second node waits for the first', { node: 'node2', daemonSets: [changed], pods: [dsPod('node1', 'a'), dsPod('node2', 'b'), dsPod('node3', 'c')] }, { create: [], delete: [] }],
    ['roll: second node waits while the first is not ready', { node: 'node2', daemonSets: [changed], pods: [dsPod('node1', 'a2', false, changed), dsPod('node2', 'b'), dsPod('node3', 'c')] }, { create: [], delete: [] }],
    ['roll: second node goes once the first is ready again', { node: 'node2', daemonSets: [changed], pods: [dsPod('node1', 'a2', true, changed), dsPod('node2', 'b'), dsPod('node3', 'c')] }, { create: [], delete: ['b'] }],
    ['roll: a broken old pod goes at once', { node: 'node3', daemonSets: [changed], pods: [dsPod('node1', 'a'), dsPod('node2', 'b', false), dsPod('node3', 'c', false)] }, { create: [], delete: ['c'] }],
    ['roll: the new pod waits until the old one is gone', { daemonSets: [changed], pods: [running(dsPod('node1', 'a'), 'a', true, { deletionTimestamp: '2026-01-01T00:00:00Z' })] }, { create: [], delete: [] }],
    ['roll: OnDelete leaves the old pod', { daemonSets: [{ ...changed, spec: { ...changed.spec, updateStrategy: { type: 'OnDelete' } } }], pods: [dsPod('node1', 'a')] }, { create: [], delete: [] }],
    ['DaemonSet gone: its pods go', { pods: [dsPod('node1', 'a')] }, { create: [], delete: ['a'] }],
    ['Deployment: 2 replicas over 3 nodes, one here', { deployments: [dep] }, { create: [`headland-controller-${templateHash(dep.spec.template)}-@node1`], delete: [] }],
    ['Deployment: none on node3', { node: 'node3', deployments: [dep] }, { create: [], delete: [] }],
    ['Deployment: cordoned nodes are skipped', { node: 'node3', nodes: [node('node1', undefined, true), node('node2'), node('node3')], deployments: [dep] }, { create: [`headland-controller-${templateHash(dep.spec.template)}-@node3`], delete: [] }],
    ['Deployment: scale down removes the not-ready newest', { deployments: [controller(1)], nodes: [node('node1')], pods: [depPod('node1', 'p1'), depPod('node1', 'p2', dep, false)] }, { create: [], delete: ['p2'] }],
    ['Deployment: template change removes old pods first', { deployments: [controller(2, 'dep-1')], pods: [depPod('node1', 'old', { ...dep, spec: { ...dep.spec, template: { ...dep.spec.template, metadata: { labels: { a: 'b' } } } } })] }, { create: [], delete: ['old'] }],
    ['Deployment: paused does nothing', { deployments: [{ ...dep, spec: { ...dep.spec, paused: true } }] }, { create: [], delete: [] }],
    ['bare pods bound here are left alone', { pods: [{ metadata: { name: 'bare', namespace: 'default' }, spec: { nodeName: 'node1', containers: [] } }] }, { create: [], delete: [] }],
  ])('%s', (_, over, expected) => expect(brief(plan(input(over)))).toEqual(expected));
});
