import { describe, expect, test } from '@jest/globals';
import { EndpointIndex, classifyEndpoint } from './endpoint-index.js';
import type { EndpointRecord, SliceInfo } from './types.js';

const ep = (nodeName: string | undefined, state: 'ready' | 'draining' | 'down' = 'ready'): EndpointRecord => ({
  nodeName,
  ready: state === 'ready',
  serving: state !== 'down',
  terminating: state === 'draining',
});
const slice = (key: string, serviceKey: string, endpoints: EndpointRecord[], family: 4 | 6 = 4): SliceInfo => ({ key, serviceKey, family, endpoints });

describe('classifyEndpoint', () => {
  test.each([
    { e: { ready: true, serving: true, terminating: false }, kind: 'ready' },
    { e: { ready: true, serving: true, terminating: true }, kind: 'ready' },
    { e: { ready: false, serving: true, terminating: true }, kind: 'servingTerminating' },
    { e: { ready: false, serving: true, terminating: false }, kind: undefined },
    { e: { ready: false, serving: false, terminating: true }, kind: undefined },
    { e: { ready: false, serving: false, terminating: false }, kind: undefined },
  ])('%j', ({ e, kind }) => {
    expect(classifyEndpoint({ nodeName: 'n', ...e })).toBe(kind);
  });
});

type Row = { step: string; apply?: SliceInfo; remove?: string; affected: string[]; service: string; family?: 4 | 6; total?: [number, number]; byNode?: Record<string, [number, number]> };

describe('EndpointIndex', () => {
  // One index through every row: each row changes it and checks what it then holds.
  const index = new EndpointIndex();
  test.each<Row>([
    { step: 'first slice of a', apply: slice('ns/a-1', 'ns/a', [ep('n1'), ep('n1'), ep('n2', 'draining'), ep(undefined)]), affected: ['ns/a'], service: 'ns/a', total: [3, 1], byNode: { n1: [2, 0], n2: [0, 1] } },
    { step: 'second slice adds up', apply: slice('ns/a-2', 'ns/a', [ep('n2'), ep('n3', 'down')]), affected: ['ns/a'], service: 'ns/a', total: [4, 1], byNode: { n1: [2, 0], n2: [1, 1] } },
    { step: 'IPv6 slice counted apart', apply: slice('ns/a-6', 'ns/a', [ep('n3')], 6), affected: ['ns/a'], service: 'ns/a', family: 6, total: [1, 0], byNode: { n3: [1, 0] } },
    { step: 'IPv4 unchanged by it', affected: [], service: 'ns/a', total: [4, 1], byNode: { n1: [2, 0], n2: [1, 1] } },
    { step: 'replacing a slice replaces its counts', apply: slice('ns/a-1', 'ns/a', [ep('n1', 'draining')]), affected: ['ns/a'], service: 'ns/a', total: [1, 1], byNode: { n1: [0, 1], n2: [1, 0] } },
    { step: 'a slice moving to another Service affects both', apply: slice('ns/a-2', 'ns/b', [ep('n4')]), affected: ['ns/a', 'ns/b'], service: 'ns/b', total: [1, 0], byNode: { n4: [1, 0] } },
    { step: 'a left with the first slice only', affected: [], service: 'ns/a', total: [0, 1], byNode: { n1: [0, 1] } },
    { step: 'an empty slice keeps its Service known', apply: slice('ns/a-1', 'ns/a', []), affected: ['ns/a'], service: 'ns/a', total: [0, 0], byNode: {} },
    { step: 'deleting the last slice forgets the Service', remove: 'ns/a-1', affected: ['ns/a'], service: 'ns/a' },
    { step: 'deleting an unknown slice changes nothing', remove: 'ns/zzz', affected: [], service: 'ns/b', total: [1, 0], byNode: { n4: [1, 0] } },
  ])('$step', (row) => {
    const affected = row.apply !== undefined ? index.applySlice(row.apply) : row.remove !== undefined ? index.deleteSlice(row.remove) : [];
    expect(affected.sort()).toEqual(row.affected);
    const got = index.endpointsOf(row.service, row.family ?? 4);
    if (row.total === undefined) {
      expect(got).toBeUndefined();
      return;
    }
    expect([got?.total.ready, got?.total.servingTerminating]).toEqual(row.total);
    expect(Object.fromEntries([...(got?.byNode ?? [])].map(([n, c]) => [n, [c.ready, c.servingTerminating]]))).toEqual(row.byNode);
  });
});

describe('EndpointIndex counts', () => {
  test('equal small counts are one shared object; large counts are still right', () => {
    const index = new EndpointIndex();
    index.applySlice(slice('ns/a-1', 'ns/a', [ep('n1'), ep('n1'), ep('n2', 'draining')]));
    index.applySlice(slice('ns/b-1', 'ns/b', [ep('n3'), ep('n1'), ep('n1')]));
    index.applySlice(slice('ns/c-1', 'ns/c', Array.from({ length: 1000 }, () => ep('n1'))));
    const a = index.endpointsOf('ns/a', 4)!;
    const b = index.endpointsOf('ns/b', 4)!;
    expect(a.byNode.get('n1')).toEqual({ ready: 2, servingTerminating: 0 });
    expect(a.byNode.get('n1')).toBe(b.byNode.get('n1'));
    expect(index.endpointsOf('ns/c', 4)?.byNode.get('n1')).toEqual({ ready: 1000, servingTerminating: 0 });
    expect(index.endpointsOf('ns/c', 4)?.total).toEqual({ ready: 1000, servingTerminating: 0 });
    index.deleteSlice('ns/c-1');
    expect(index.endpointsOf('ns/c', 4)).toBeUndefined();
  });
});
