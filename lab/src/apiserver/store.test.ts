import { ApiError } from './errors.js';
import type { StoredEvent } from './history.js';
import type { JsonObject } from './json.js';
import { BUILTIN_TYPES, resourceTypeFromCrd, type ResourceType } from './resources.js';
import { Store } from './store.js';

function type(plural: string, group = ''): ResourceType {
  const t = BUILTIN_TYPES.find((x) => x.plural === plural && x.group === group);
  if (t === undefined) throw new Error(plural);
  return t;
}
const namespaces = type('namespaces');
const configmaps = type('configmaps');
const services = type('services');
const nodes = type('nodes');
const widgets = resourceTypeFromCrd({
  metadata: { name: 'widgets.lab.headland.io' },
  spec: {
    group: 'lab.headland.io',
    scope: 'Namespaced',
    names: { plural: 'widgets', kind: 'Widget' },
    versions: [{ name: 'v1', served: true, storage: true, subresources: { status: {} }, schema: { openAPIV3Schema: { type: 'object' } } }],
  },
});

function newStore(historySize = 100): { store: Store; events: StoredEvent[] } {
  let uid = 0;
  const store = new Store({ historySize, now: () => new Date('2025-03-01T10:00:00.123Z'), newUid: () => `uid-${++uid}`, nameSuffix: () => 'abcde' });
  store.create(namespaces, '', { metadata: { name: 'default' } });
  const events: StoredEvent[] = [];
  store.subscribe((e) => events.push(e));
  return { store, events };
}

function md(o: JsonObject): JsonObject {
  return o['metadata'] as JsonObject;
}

function code(f: () => unknown): number | string {
  try {
    f();
    return 'ok';
  } catch (e) {
    return e instanceof ApiError ? e.code : String(e);
  }
}

describe('create', () => {
  test('fills uid, creationTimestamp, generation and a resourceVersion from the global counter', () => {
    const { store } = newStore();
    const a = store.create(configmaps, 'default', { metadata: { name: 'a' }, data: { x: '1' } });
    const b = store.create(services, 'default', { metadata: { name: 'b' } });
    expect(md(a)).toMatchObject({ name: 'a', namespace: 'default', uid: 'uid-2', creationTimestamp: '2025-03-01T10:00:00Z', generation: 1, resourceVersion: '2' });
    expect(md(b)['resourceVersion']).toBe('3');
    expect(a['apiVersion']).toBe('v1');
    expect(a['kind']).toBe('ConfigMap');
  });

  test.each([
    ['existing name', { metadata: { name: 'dup' } }, 'default', 409],
    ['missing namespace', { metadata: { name: 'x' } }, 'nope', 404],
    ['no name nor generateName', { metadata: {} }, 'default', 422],
    ['bad name', { metadata: { name: 'Bad_Name' } }, 'default', 422],
    ['resourceVersion set', { metadata: { name: 'x', resourceVersion: '5' } }, 'default', 400],
    ['namespace differs from URL', { metadata: { name: 'x', namespace: 'other' } }, 'default', 400],
    ['non-string label', { metadata: { name: 'x', labels: { a: 1 } } }, 'default', 422],
  ] as [string, JsonObject, string, number][])('refuses %s with %s', (_n, obj, ns, expected) => {
    const { store } = newStore();
    store.create(configmaps, 'default', { metadata: { name: 'dup' } });
    expect(code(() => store.create(configmaps, ns, obj))).toBe(expected);
  });

  test('generateName appends a suffix', () => {
    const { store } = newStore();
    expect(md(store.create(configmaps, 'default', { metadata: { generateName: 'web-' } }))['name']).toBe('web-abcde');
  });

  test('status is cleared for types with a status subresource, kept for Node', () => {
    const { store } = newStore();
    expect(store.create(services, 'default', { metadata: { name: 's' }, status: { loadBalancer: {} } })['status']).toBeUndefined();
    expect(store.create(nodes, '', { metadata: { name: 'n' }, status: { addresses: [] } })['status']).toEqual({ addresses: [] });
  });

  test('cluster-scoped objects drop a namespace', () => {
    const { store } = newStore();
    expect(md(store.create(nodes, 'ignored', { metadata: { name: 'n', namespace: 'x' } }))['namespace']).toBeUndefined();
  });
});

describe('update, conflicts and generation (each row builds on the previous)', () => {
  const { store, events } = newStore();
  store.create(services, 'default', { metadata: { name: 's' }, spec: { ports: [{ port: 80 }] } });
  const rows: [string, () => JsonObject, { generation?: number; rv?: string; status?: unknown; error?: number }][] = [
    ['update without resourceVersion is unconditional', () => store.update(services, 'default', 's', { metadata: { name: 's' }, spec: { ports: [{ port: 81 }] } }, undefined), { generation: 2, rv: '3' }],
    ['update with the current resourceVersion', () => store.update(services, 'default', 's', { metadata: { name: 's', resourceVersion: '3' }, spec: { ports: [{ port: 82 }] } }, undefined), { generation: 3, rv: '4' }],
    ['update with a stale resourceVersion conflicts', () => store.update(services, 'default', 's', { metadata: { name: 's', resourceVersion: '3' }, spec: {} }, undefined), { error: 409 }],
    ['a label change does not bump generation', () => store.update(services, 'default', 's', { metadata: { name: 's', labels: { a: 'b' } }, spec: { ports: [{ port: 82 }] } }, undefined), { generation: 3, rv: '5' }],
    ['status on the main resource is ignored', () => store.update(services, 'default', 's', { metadata: { name: 's', labels: { a: 'b' } }, spec: { ports: [{ port: 82 }] }, status: { x: 1 } }, undefined), { generation: 3, rv: '5', status: undefined }],
    ['status subresource changes only status', () => store.update(services, 'default', 's', { metadata: { name: 's', labels: {} }, spec: {}, status: { x: 1 } }, 'status'), { generation: 3, rv: '6', status: { x: 1 } }],
    ['a no-op update keeps the resourceVersion', () => store.update(services, 'default', 's', { metadata: { name: 's', labels: { a: 'b' } }, spec: { ports: [{ port: 82 }] } }, undefined), { generation: 3, rv: '6', status: { x: 1 } }],
    ['a name that differs from the URL is refused', () => store.update(services, 'default', 's', { metadata: { name: 'other' } }, undefined), { error: 400 }],
    ['a missing object is 404', () => store.update(services, 'default', 'nope', { metadata: {} }, undefined), { error: 404 }],
  ];
  test.each(rows)('%s', (_n, act, want) => {
    if (want.error !== undefined) {
      expect(code(act)).toBe(want.error);
      return;
    }
    const out = act();
    if (want.generation !== undefined) expect(md(out)['generation']).toBe(want.generation);
    if (want.rv !== undefined) expect(md(out)['resourceVersion']).toBe(want.rv);
    if ('status' in want) expect(out['status']).toEqual(want.status);
  });
  test('uid and creationTimestamp survive updates; one MODIFIED event per real change', () => {
    const s = store.get(services, 'default', 's');
    expect(md(s)['uid']).toBe('uid-2');
    expect(events.map((e) => `${e.type}@${e.resourceVersion}`)).toEqual(['ADDED@2', 'MODIFIED@3', 'MODIFIED@4', 'MODIFIED@5', 'MODIFIED@6']);
  });
});

describe('generation for kinds without a spec follows every non-metadata change', () => {
  test.each([
    [configmaps, { data: { a: '2' } }, 2],
    [configmaps, { data: { a: '1' }, metadata: { name: 'c', labels: { x: 'y' } } }, 1],
  ] as [ResourceType, JsonObject, number][])('%#', (t, change, gen) => {
    const { store } = newStore();
    store.create(t, 'default', { metadata: { name: 'c' }, data: { a: '1' } });
    expect(md(store.update(t, 'default', 'c', { metadata: { name: 'c' }, ...change }, undefined))['generation']).toBe(gen);
  });

  test('custom resources with a status subresource: status changes do not bump it', () => {
    const { store } = newStore();
    store.create(widgets, 'default', { metadata: { name: 'w' }, spec: { a: 1 } });
    expect(md(store.update(widgets, 'default', 'w', { metadata: { name: 'w' }, status: { ok: true } }, 'status'))['generation']).toBe(1);
    expect(md(store.update(widgets, 'default', 'w', { metadata: { name: 'w' }, spec: { a: 2 } }, undefined))['generation']).toBe(2);
  });
});

test.each<[string, Record<string, unknown>, number | undefined, number]>([
  ['a Pod: what the delete asked', { terminationGracePeriodSeconds: 10 }, 2, 2],
  ['a Pod: its own period', { terminationGracePeriodSeconds: 10 }, undefined, 10],
  ['a Pod: 30 by default', {}, undefined, 30],
  ['a Pod: 0 asked is 0', { terminationGracePeriodSeconds: 10 }, 0, 0],
])('deletionGracePeriodSeconds of a finalized delete: %s', (_, spec, asked, want) => {
  const { store } = newStore();
  const pods = type('pods');
  store.create(pods, 'default', { metadata: { name: 'p', finalizers: ['k'] }, spec: { containers: [{ name: 'c', image: 'i' }], ...spec } });
  const out = store.delete(pods, 'default', 'p', asked === undefined ? {} : { gracePeriodSeconds: asked });
  expect(md(out)['deletionGracePeriodSeconds']).toBe(want);
});

test('deletionGracePeriodSeconds of another kind is 0 whatever was asked', () => {
  const { store } = newStore();
  store.create(configmaps, 'default', { metadata: { name: 'g', finalizers: ['a'] } });
  expect(md(store.delete(configmaps, 'default', 'g', { gracePeriodSeconds: 5 }))['deletionGracePeriodSeconds']).toBe(0);
});

describe('delete and finalizers (sequential)', () => {
  const { store, events } = newStore();
  store.create(configmaps, 'default', { metadata: { name: 'f', finalizers: ['a', 'b'] } });
  test('delete with finalizers only marks deletionTimestamp', () => {
    const out = store.delete(configmaps, 'default', 'f');
    expect(md(out)['deletionTimestamp']).toBe('2025-03-01T10:00:00Z');
    expect(store.get(configmaps, 'default', 'f')).toBeDefined();
  });
  test('no new finalizers while deleting', () => {
    expect(code(() => store.update(configmaps, 'default', 'f', { metadata: { name: 'f', finalizers: ['a', 'b', 'c'] } }, undefined))).toBe(422);
  });
  test('removing one finalizer keeps the object', () => {
    store.update(configmaps, 'default', 'f', { metadata: { name: 'f', finalizers: ['b'] } }, undefined);
    expect(md(store.get(configmaps, 'default', 'f'))['finalizers']).toEqual(['b']);
  });
  test('removing the last finalizer deletes it', () => {
    store.update(configmaps, 'default', 'f', { metadata: { name: 'f', finalizers: [] } }, undefined);
    expect(code(() => store.get(configmaps, 'default', 'f'))).toBe(404);
    expect(events.map((e) => e.type)).toEqual(['ADDED', 'MODIFIED', 'MODIFIED', 'DELETED']);
  });
  test('deleting a missing object is 404', () => {
    expect(code(() => store.delete(configmaps, 'default', 'f'))).toBe(404);
  });
});

describe('delete preconditions', () => {
  test.each([
    [{ uid: 'uid-2' }, 'ok'],
    [{ uid: 'other' }, 409],
    [{ resourceVersion: '2' }, 'ok'],
    [{ resourceVersion: '1' }, 409],
  ] as [{ uid?: string; resourceVersion?: string }, number | string][])('%j', (pre, expected) => {
    const { store } = newStore();
    store.create(configmaps, 'default', { metadata: { name: 'c' } });
    expect(code(() => store.delete(configmaps, 'default', 'c', pre))).toBe(expected);
  });

  test('a DELETED event carries a new resourceVersion', () => {
    const { store, events } = newStore();
    store.create(configmaps, 'default', { metadata: { name: 'c' } });
    const gone = store.delete(configmaps, 'default', 'c');
    expect(md(gone)['resourceVersion']).toBe('3');
    expect(events.at(-1)?.resourceVersion).toBe(3);
  });
});

describe('namespaces, lists, types', () => {
  test('deleting a namespace removes what it held', () => {
    const { store } = newStore();
    store.create(namespaces, '', { metadata: { name: 'team' } });
    store.create(configmaps, 'team', { metadata: { name: 'c' } });
    store.create(configmaps, 'default', { metadata: { name: 'c' } });
    store.delete(namespaces, '', 'team');
    expect(store.list(configmaps, undefined).map((o) => md(o)['namespace'])).toEqual(['default']);
  });

  test('list is per namespace or across all, sorted', () => {
    const { store } = newStore();
    store.create(namespaces, '', { metadata: { name: 'b' } });
    store.create(configmaps, 'default', { metadata: { name: 'z' } });
    store.create(configmaps, 'b', { metadata: { name: 'y' } });
    store.create(configmaps, 'default', { metadata: { name: 'a' } });
    expect(store.list(configmaps, 'default').map((o) => md(o)['name'])).toEqual(['a', 'z']);
    expect(store.list(configmaps, undefined).map((o) => `${String(md(o)['namespace'])}/${String(md(o)['name'])}`)).toEqual(['b/y', 'default/a', 'default/z']);
  });

  test('dropType removes every object with DELETED events', () => {
    const { store, events } = newStore();
    store.create(widgets, 'default', { metadata: { name: 'w1' } });
    store.create(widgets, 'default', { metadata: { name: 'w2' } });
    store.dropType(widgets);
    expect(store.list(widgets, undefined)).toEqual([]);
    expect(events.map((e) => e.type)).toEqual(['ADDED', 'ADDED', 'DELETED', 'DELETED']);
  });

  test('eventsSince is served from the bounded history', () => {
    const { store } = newStore(2);
    for (const n of ['a', 'b', 'c']) store.create(configmaps, 'default', { metadata: { name: n } });
    expect(store.eventsSince(3)?.map((e) => e.resourceVersion)).toEqual([4]);
    expect(store.eventsSince(1)).toBeUndefined();
  });

  test('admit runs on the final object and may refuse it', () => {
    const { store } = newStore();
    const out = store.create(configmaps, 'default', { metadata: { name: 'c' } }, { admit: (o) => ({ ...o, data: { added: 'yes' } }) });
    expect(out['data']).toEqual({ added: 'yes' });
    expect(
      code(() =>
        store.update(configmaps, 'default', 'c', { metadata: { name: 'c' } }, undefined, {
          admit: () => {
            throw new ApiError(422, 'Invalid', 'no');
          },
        }),
      ),
    ).toBe(422);
  });
});

test('the counter can start high, and versions from before the start are gone', () => {
  const store = new Store({ historySize: 10, now: () => new Date(0), newUid: () => 'u', nameSuffix: () => 'x', firstResourceVersion: 5000 });
  expect(md(store.create(namespaces, '', { metadata: { name: 'default' } }))['resourceVersion']).toBe('5001');
  expect(store.eventsSince(4999)).toBeUndefined();
  expect(store.eventsSince(5000)).toHaveLength(1);
});
