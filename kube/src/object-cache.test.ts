import type { KubernetesObject } from '@kubernetes/client-node';
import { ObjectCache, objectSkeleton, type WatchEventType } from './object-cache.js';

const o = (name: string, rv: string, namespace: string | null = 'default'): KubernetesObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, resourceVersion: rv, ...(namespace === null ? {} : { namespace }) },
});
const brief = (c: { type: string; obj: KubernetesObject; old: KubernetesObject | undefined } | undefined) =>
  c === undefined ? 'none' : `${c.type} ${c.obj.metadata?.name}@${c.obj.metadata?.resourceVersion}${c.old === undefined ? '' : ` was @${c.old.metadata?.resourceVersion}`}`;

// Each row applies one watch event to the same cache and expects the change it yields and the names held after it.
const sequence: [WatchEventType, KubernetesObject, string, string[]][] = [
  ['ADDED', o('a', '1'), 'add a@1', ['a']],
  ['ADDED', o('b', '2'), 'add b@2', ['a', 'b']],
  ['MODIFIED', o('a', '3'), 'update a@3 was @1', ['a', 'b']],
  ['MODIFIED', o('a', '3'), 'none', ['a', 'b']],
  ['ADDED', o('a', '3'), 'none', ['a', 'b']],
  ['MODIFIED', o('c', '4'), 'add c@4', ['a', 'b', 'c']],
  ['DELETED', o('b', '5'), 'delete b@5 was @2', ['a', 'c']],
  ['DELETED', o('b', '6'), 'none', ['a', 'c']],
  ['ADDED', o('a', '7', 'other'), 'add a@7', ['a', 'a', 'c']],
];

test('watch events, in sequence', () => {
  const cache = new ObjectCache<KubernetesObject>();
  for (const [type, obj, change, names] of sequence) {
    expect(`${type} ${obj.metadata?.name} -> ${brief(cache.apply(type, obj))}`).toBe(`${type} ${obj.metadata?.name} -> ${change}`);
    expect(cache.list().map((x) => x.metadata?.name).sort()).toEqual(names);
  }
  expect(cache.get('other', 'a')?.metadata?.resourceVersion).toBe('7');
  expect(cache.get('default', 'a')?.metadata?.resourceVersion).toBe('3');
  expect(cache.get(undefined, 'a')).toBeUndefined();
});

test('cluster-scoped objects are keyed without a namespace', () => {
  const cache = new ObjectCache<KubernetesObject>();
  cache.apply('ADDED', o('node-1', '1', null));
  expect(cache.get(undefined, 'node-1')?.metadata?.name).toBe('node-1');
  expect(cache.get('default', 'node-1')).toBeUndefined();
});

test.each<[string, KubernetesObject[], KubernetesObject[], string[]]>([
  ['first list adds everything', [], [o('a', '1'), o('b', '1')], ['add a@1', 'add b@1']],
  ['unchanged versions are quiet', [o('a', '1')], [o('a', '1')], []],
  ['a changed version updates', [o('a', '1')], [o('a', '2')], ['update a@2 was @1']],
  ['what the list lacks is deleted, with its last known state', [o('a', '1'), o('b', '1')], [o('b', '1')], ['delete a@1 was @1']],
  ['an empty list deletes all', [o('a', '1'), o('b', '2')], [], ['delete a@1 was @1', 'delete b@2 was @2']],
  ['mixed', [o('a', '1'), o('b', '1')], [o('b', '2'), o('c', '3')], ['update b@2 was @1', 'add c@3', 'delete a@1 was @1']],
  ['same name, other namespace is another object', [o('a', '1')], [o('a', '1', 'x')], ['add a@1', 'delete a@1 was @1']],
])('replace: %s', (_what, before, list, changes) => {
  const cache = new ObjectCache<KubernetesObject>();
  for (const obj of before) cache.apply('ADDED', obj);
  expect(cache.replace(list).map(brief)).toEqual(changes);
  expect(cache.list().map((x) => `${x.metadata?.namespace}/${x.metadata?.name}`).sort()).toEqual(list.map((x) => `${x.metadata?.namespace}/${x.metadata?.name}`).sort());
});

describe('a cache that stores skeletons', () => {
  const full = (name: string, rv: string): KubernetesObject & { spec: unknown } => ({
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name, namespace: 'default', uid: `uid-${name}`, resourceVersion: rv, labels: { big: 'x' }, annotations: { 'last-applied': '{...}' } },
    spec: { endpoints: [{ addresses: ['198.18.0.1'] }] },
  });

  test('objectSkeleton keeps identity only', () => {
    expect(objectSkeleton(full('a', '1'))).toEqual({ apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'a', namespace: 'default', uid: 'uid-a', resourceVersion: '1' } });
  });

  test('changes carry the whole new object, the store and `old` the skeleton, and replays stay quiet', () => {
    const cache = new ObjectCache<KubernetesObject>(objectSkeleton);
    const added = cache.apply('ADDED', full('a', '1'));
    expect(added?.obj).toEqual(full('a', '1'));
    expect(cache.get('default', 'a')).toEqual(objectSkeleton(full('a', '1')));
    expect(cache.apply('MODIFIED', full('a', '1'))).toBeUndefined();
    const updated = cache.apply('MODIFIED', full('a', '2'));
    expect(updated?.obj).toEqual(full('a', '2'));
    expect(updated?.old).toEqual(objectSkeleton(full('a', '1')));
    expect(cache.replace([]).map(brief)).toEqual(['delete a@2 was @2']);
  });
});
