import { applySchema, validateValue, type JSONSchemaProps } from './schema.js';
import type { Json, JsonObject } from './json.js';

const schema: JSONSchemaProps = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      required: ['addresses'],
      properties: {
        addresses: { type: 'array', minItems: 1, maxItems: 3, items: { type: 'string', pattern: '^[0-9.]+/[0-9]+$' } },
        mode: { type: 'string', enum: ['bgp', 'l2'], default: 'bgp' },
        replicas: { type: 'integer', minimum: 0, maximum: 10 },
        ratio: { type: 'number', minimum: 0, exclusiveMinimum: true },
        name: { type: 'string', minLength: 2, maxLength: 5 },
        port: { 'x-kubernetes-int-or-string': true },
        enabled: { type: 'boolean' },
        extra: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
        labels: { type: 'object', additionalProperties: { type: 'string' } },
        closed: { type: 'object', additionalProperties: false },
        peer: { type: 'object', properties: { asn: { type: 'integer', default: 64512 }, hold: { type: 'integer' } }, default: {} },
        tags: { type: 'array', items: { type: 'string' }, 'x-kubernetes-list-type': 'set' },
        optional: { type: 'string', nullable: true },
        either: { type: 'object', properties: { a: { type: 'integer' }, b: { type: 'integer' } }, oneOf: [{ required: ['a'] }, { required: ['b'] }] },
      },
    },
    status: { type: 'object', properties: { phase: { type: 'string' } } },
  },
};

function cr(spec: JsonObject): JsonObject {
  return { apiVersion: 'lab.headland.io/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { addresses: ['198.18.0.0/24'], ...spec } };
}

const invalid: [string, JsonObject, string][] = [
  ['wrong item type', cr({ addresses: [1] }), 'spec.addresses[0]: Invalid value: 1: must be string'],
  ['required', { apiVersion: 'v', kind: 'K', metadata: {}, spec: {} }, 'spec.addresses: Required value'],
  ['minItems', cr({ addresses: [] }), 'spec.addresses: Invalid value: 0: must have at least 1 items'],
  ['maxItems', cr({ addresses: ['1/1', '2/2', '3/3', '4/4'] }), 'spec.addresses: Too many: 4: must have at most 3 items'],
  ['pattern', cr({ addresses: ['nope'] }), `spec.addresses[0]: Invalid value: "nope": must match pattern '^[0-9.]+/[0-9]+$'`],
  ['enum', cr({ mode: 'ospf' }), 'spec.mode: Unsupported value: "ospf": supported values: "bgp", "l2"'],
  ['maximum', cr({ replicas: 11 }), 'spec.replicas: Invalid value: 11: must be less than or equal to 10'],
  ['minimum', cr({ replicas: -1 }), 'spec.replicas: Invalid value: -1: must be greater than or equal to 0'],
  ['exclusiveMinimum', cr({ ratio: 0 }), 'spec.ratio: Invalid value: 0: must be greater than 0'],
  ['integer given a fraction', cr({ replicas: 1.5 }), 'spec.replicas: Invalid value: 1.5: must be an integer'],
  ['minLength', cr({ name: 'a' }), 'spec.name: Invalid value: "a": must be at least 2 chars long'],
  ['maxLength', cr({ name: 'abcdef' }), 'spec.name: Too long: may not be more than 5 chars'],
  ['int-or-string', cr({ port: true }), 'spec.port: Invalid value: true: must be integer or string'],
  ['boolean', cr({ enabled: 'yes' }), 'spec.enabled: Invalid value: "yes": must be boolean'],
  ['object expected', cr({ peer: 'x' }), 'spec.peer: Invalid value: "x": must be an object'],
  ['map values', cr({ labels: { a: 1 } }), 'spec.labels[a]: Invalid value: 1: must be string'],
  ['closed object', cr({ closed: { x: 1 } }), 'spec.closed.x: Forbidden: field not declared in schema'],
  ['set duplicates', cr({ tags: ['a', 'a'] }), 'spec.tags[1]: Duplicate value: "a"'],
  ['oneOf none', cr({ either: {} }), 'spec.either: Invalid value: {}: must match exactly one schema in oneOf'],
  ['oneOf both', cr({ either: { a: 1, b: 2 } }), 'spec.either: Invalid value: {"a":1,"b":2}: must match exactly one schema in oneOf'],
];

test.each(invalid)('invalid: %s', (_name, obj, message) => {
  const errors = applySchema(obj, schema).errors.map((e) => `${e.field}: ${e.detail}`);
  expect(errors).toContain(message);
});

test('a valid object has no errors', () => {
  const out = applySchema(cr({ mode: 'l2', replicas: 3, port: 'http', either: { a: 1 }, tags: ['a', 'b'], optional: null }), schema);
  expect(out.errors).toEqual([]);
});

const shaped: [string, JsonObject, (o: JsonObject) => Json | undefined, Json | undefined][] = [
  ['default fills a missing field', cr({}), (o) => (o['spec'] as JsonObject)['mode'] ?? null, 'bgp'],
  ['default is not applied over a value', cr({ mode: 'l2' }), (o) => (o['spec'] as JsonObject)['mode'] ?? null, 'l2'],
  ['defaults apply inside a defaulted object', cr({}), (o) => (o['spec'] as JsonObject)['peer'] ?? null, { asn: 64512 }],
  ['defaults apply inside a given object', cr({ peer: { hold: 3 } }), (o) => (o['spec'] as JsonObject)['peer'] ?? null, { hold: 3, asn: 64512 }],
  ['unknown fields are pruned', cr({ colour: 'red' }), (o) => (o['spec'] as JsonObject)['colour'], undefined],
  ['unknown root fields are pruned', { ...cr({}), junk: 1 }, (o) => o['junk'], undefined],
  ['preserve-unknown-fields keeps them', cr({ extra: { anything: [1, { b: 2 }] } }), (o) => (o['spec'] as JsonObject)['extra'] ?? null, { anything: [1, { b: 2 }] }],
  ['metadata is kept whatever the schema', cr({}), (o) => o['metadata'] ?? null, { name: 'w' }],
  ['a null non-nullable field is dropped, then defaulted', cr({ mode: null }), (o) => (o['spec'] as JsonObject)['mode'] ?? null, 'bgp'],
  ['a null nullable field stays', cr({ optional: null }), (o) => (o['spec'] as JsonObject)['optional'], null],
];

test.each(shaped)('shape: %s', (_name, obj, pick, expected) => {
  const before = JSON.stringify(obj);
  expect(pick(applySchema(obj, schema).value)).toEqual(expected);
  expect(JSON.stringify(obj)).toBe(before);
});

test('pruned fields are reported by path', () => {
  expect(applySchema({ ...cr({ colour: 'red', peer: { x: 1 } }), junk: 1 }, schema).pruned.sort()).toEqual(['junk', 'spec.colour', 'spec.peer.x']);
});

test('validateValue checks a bare value at a path', () => {
  expect(validateValue('x', { type: 'integer' }, 'spec.n')).toEqual([{ field: 'spec.n', type: 'FieldValueInvalid', detail: 'Invalid value: "x": must be an integer' }]);
});

test('a pattern that does not compile is reported, not thrown', () => {
  expect(validateValue('x', { type: 'string', pattern: '(' }, 'f')[0]?.detail).toContain('does not compile');
});
