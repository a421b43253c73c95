import { array, boolean, enumOf, integer, labelSelector, object, optional, string, stringMap, type Infer } from './builder.js';
import { ALL_KINDS, ipAddressPoolSpec, type IPAddressPoolSpec } from '../kinds/index.js';

describe('schema builder', () => {
  const thing = object({
    name: string({ minLength: 1 }),
    count: optional(integer({ minimum: 0, default: 1 })),
    mode: enumOf(['a', 'b'] as const),
    tags: optional(array(string())),
    labels: optional(stringMap()),
    on: optional(boolean()),
  });

  test.each([
    ['name', true],
    ['mode', true],
    ['count', false],
    ['tags', false],
    ['labels', false],
    ['on', false],
  ])('%s is required: %s', (prop, required) => {
    expect(thing.json.required?.includes(prop) ?? false).toBe(required);
  });

  test('carries the keywords it was given into the JSON schema', () => {
    expect(thing.json.properties?.['count']).toEqual({ type: 'integer', minimum: 0, default: 1 });
    expect(thing.json.properties?.['mode']).toEqual({ type: 'string', enum: ['a', 'b'] });
    expect(thing.json.properties?.['tags']).toEqual({ type: 'array', items: { type: 'string' } });
    expect(thing.json.properties?.['labels']).toEqual({ type: 'object', additionalProperties: { type: 'string' } });
  });

  test('an object of optional properties only has no required list', () => {
    expect(object({ a: optional(string()) }).json.required).toBeUndefined();
  });

  test('the inferred type follows the schema', () => {
    type Thing = Infer<typeof thing>;
    const ok: Thing = { name: 'x', mode: 'a' };
    // @ts-expect-error mode must be one of the enum values
    const badEnum: Thing = { name: 'x', mode: 'c' };
    // @ts-expect-error name is required
    const missing: Thing = { mode: 'a' };
    expect([ok, badEnum, missing]).toHaveLength(3);
    const pool: IPAddressPoolSpec = { addresses: ['203.0.113.0/24'], serviceAllocation: { priority: 1 } };
    expect(pool.addresses).toHaveLength(1);
  });

  test('label selectors allow exactly the four Kubernetes operators', () => {
    const expr = labelSelector.json.properties?.['matchExpressions']?.items;
    expect(expr?.properties?.['operator']?.enum).toEqual(['In', 'NotIn', 'Exists', 'DoesNotExist']);
    expect(expr?.required).toEqual(['key', 'operator']);
  });
});

describe('kinds', () => {
  test('every kind has a distinct kind, plural and short names, and a spec schema', () => {
    const seen = new Set<string>();
    for (const k of ALL_KINDS) {
      for (const n of [k.kind, k.plural, k.singular, ...k.shortNames]) {
        expect(seen.has(n.toLowerCase()) && n !== k.singular).toBe(false);
        seen.add(n.toLowerCase());
      }
      expect(k.plural).toBe(k.plural.toLowerCase());
      expect(k.spec.json.type).toBe('object');
    }
    expect(ALL_KINDS.map((k) => k.kind)).toEqual(['IPAddressPool', 'BGPPeer', 'BGPAdvertisement', 'L2Advertisement', 'BFDProfile', 'Community']);
  });

  test('pool addresses are required and non-empty', () => {
    expect(ipAddressPoolSpec.json.required).toEqual(['addresses']);
    expect(ipAddressPoolSpec.json.properties?.['addresses']?.minItems).toBe(1);
  });
});
