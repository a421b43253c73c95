import type { JSONSchemaProps } from './builder.js';
import { applyDefaults, SchemaDefinitionError, validateSchema, type SchemaViolation } from './validate.js';

const v = (path: string, message: string): SchemaViolation => ({ path, message });

describe('validateSchema: types', () => {
  test.each<[string, JSONSchemaProps, unknown, SchemaViolation[]]>([
    ['integer accepts 3', { type: 'integer' }, 3, []],
    ['integer accepts a bigint', { type: 'integer' }, 3n, []],
    ['integer refuses 1.5', { type: 'integer' }, 1.5, [v('', 'Invalid value: 1.5: must be integer')]],
    ['integer refuses "abc"', { type: 'integer' }, 'abc', [v('', 'Invalid value: "abc": must be integer')]],
    ['integer refuses "3"', { type: 'integer' }, '3', [v('', 'Invalid value: "3": must be integer')]],
    ['number accepts 1.5', { type: 'number' }, 1.5, []],
    ['number accepts 2', { type: 'number' }, 2, []],
    ['number refuses NaN', { type: 'number' }, Number.NaN, [v('', 'Invalid value: NaN: must be number')]],
    ['number refuses Infinity', { type: 'number' }, Infinity, [v('', 'Invalid value: Infinity: must be number')]],
    ['string refuses 5', { type: 'string' }, 5, [v('', 'Invalid value: 5: must be string')]],
    ['string refuses an array', { type: 'string' }, ['a'], [v('', 'Invalid value: array: must be string')]],
    ['boolean refuses "true"', { type: 'boolean' }, 'true', [v('', 'Invalid value: "true": must be boolean')]],
    ['object refuses null', { type: 'object' }, null, [v('', 'Invalid value: null: must be object')]],
    ['object refuses an array', { type: 'object' }, [], [v('', 'Invalid value: array: must be object')]],
    ['array refuses an object', { type: 'array', items: { type: 'string' } }, {}, [v('', 'Invalid value: object: must be array')]],
    ['array refuses a string', { type: 'array' }, 'a', [v('', 'Invalid value: "a": must be array')]],
    ['int-or-string takes 80', { 'x-kubernetes-int-or-string': true }, 80, []],
    ['int-or-string takes "http"', { 'x-kubernetes-int-or-string': true }, 'http', []],
    ['int-or-string refuses 1.5', { 'x-kubernetes-int-or-string': true }, 1.5, [v('', 'Invalid value: 1.5: must be integer or string')]],
    ['int-or-string refuses true', { 'x-kubernetes-int-or-string': true }, true, [v('', 'Invalid value: true: must be integer or string')]],
    ['untyped preserve-unknown takes anything', { 'x-kubernetes-preserve-unknown-fields': true }, { a: [1, { b: 2 }] }, []],
  ])('%s', (_name, schema, value, expected) => {
    expect(validateSchema(schema, value)).toEqual(expected);
  });

  test('the given path names the value', () => {
    expect(validateSchema({ type: 'integer' }, 'x', 'spec.port')).toEqual([v('spec.port', 'Invalid value: "x": must be integer')]);
  });
});

describe('validateSchema: value constraints', () => {
  test.each<[string, JSONSchemaProps, unknown, SchemaViolation[]]>([
    ['enum member', { type: 'string', enum: ['a', 'b'] }, 'a', []],
    ['enum outsider', { type: 'string', enum: ['a', 'b'] }, 'x', [v('', 'Unsupported value: "x": supported values: "a", "b"')]],
    ['enum is case sensitive', { type: 'string', enum: ['Local'] }, 'local', [v('', 'Unsupported value: "local": supported values: "Local"')]],
    ['numeric enum', { type: 'integer', enum: [4, 6] }, 5, [v('', 'Unsupported value: 5: supported values: 4, 6')]],
    ['minimum met', { type: 'integer', minimum: 1 }, 1, []],
    ['below minimum', { type: 'integer', minimum: 1 }, 0, [v('', 'Invalid value: 0: must be greater than or equal to 1')]],
    ['maximum met', { type: 'integer', maximum: 4294967295 }, 4294967295, []],
    ['above maximum', { type: 'integer', maximum: 4294967295 }, 4294967296, [v('', 'Invalid value: 4294967296: must be less than or equal to 4294967295')]],
    ['bigint above maximum', { type: 'integer', maximum: 10 }, 11n, [v('', 'Invalid value: 11: must be less than or equal to 10')]],
    ['int64 fits', { type: 'integer', format: 'int64' }, 2 ** 53, []],
    ['int64 overflow', { type: 'integer', format: 'int64' }, 2 ** 64, [v('', `Invalid value: ${2 ** 64}: must fit in a 64-bit integer`)]],
    ['minLength met', { type: 'string', minLength: 1 }, 'a', []],
    ['below minLength', { type: 'string', minLength: 1 }, '', [v('', 'Invalid value: "": must be at least 1 characters long')]],
    ['maxLength counts characters, not UTF-16 units', { type: 'string', maxLength: 2 }, '😀😀', []],
    ['above maxLength', { type: 'string', maxLength: 2 }, 'abc', [v('', 'Too long: may not be longer than 2')]],
    ['pattern match', { type: 'string', pattern: '^[0-9]+$' }, '42', []],
    ['pattern miss', { type: 'string', pattern: '^[0-9]+$' }, '4x2', [v('', `Invalid value: "4x2": must match '^[0-9]+$'`)]],
    ['unanchored pattern finds a substring', { type: 'string', pattern: '[0-9]' }, 'a1', []],
    ['date-time Z', { type: 'string', format: 'date-time' }, '2024-01-02T15:04:05Z', []],
    ['date-time with offset and fraction', { type: 'string', format: 'date-time' }, '2024-01-02T15:04:05.123+02:00', []],
    ['date-time lowercase t and z', { type: 'string', format: 'date-time' }, '2024-01-02t15:04:05z', []],
    ['date-time without zone', { type: 'string', format: 'date-time' }, '2024-01-02T15:04:05', [v('', 'Invalid value: "2024-01-02T15:04:05": must be a date-time (RFC 3339, like "2024-01-02T15:04:05Z")')]],
    ['date-time month 13', { type: 'string', format: 'date-time' }, '2024-13-02T15:04:05Z', [v('', 'Invalid value: "2024-13-02T15:04:05Z": must be a date-time (RFC 3339, like "2024-01-02T15:04:05Z")')]],
    ['an unknown format is not judged', { type: 'string', format: 'duration' }, 'whenever', []],
    ['minItems met', { type: 'array', minItems: 1, items: { type: 'string' } }, ['a'], []],
    ['below minItems', { type: 'array', minItems: 1, items: { type: 'string' } }, [], [v('', 'Invalid value: 0: must have at least 1 items')]],
    ['above maxItems', { type: 'array', maxItems: 1, items: { type: 'string' } }, ['a', 'b'], [v('', 'Too many: 2: must have at most 1 items')]],
    ['list-type set refuses a repeat', { type: 'array', 'x-kubernetes-list-type': 'set', items: { type: 'string' } }, ['a', 'b', 'a'], [v('[2]', 'Duplicate value: "a"')]],
    [
      'list-type map refuses a repeated key',
      { type: 'array', 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name'], items: { type: 'object', properties: { name: { type: 'string' }, v: { type: 'integer' } } } },
      [{ name: 'a', v: 1 }, { name: 'b', v: 1 }, { name: 'a', v: 2 }],
      [v('[2]', 'Duplicate value: array')],
    ],
    ['several problems of one string are all named', { type: 'string', maxLength: 2, pattern: '^a' }, 'bcd', [v('', 'Too long: may not be longer than 2'), v('', `Invalid value: "bcd": must match '^a'`)]],
  ])('%s', (_name, schema, value, expected) => {
    expect(validateSchema(schema, value)).toEqual(expected);
  });

  test('a broken pattern in the schema is a typed error naming it', () => {
    const run = (): unknown => validateSchema({ type: 'string', pattern: '([a-' }, 'x');
    expect(run).toThrow(SchemaDefinitionError);
    expect(run).toThrow(/^validate: pattern '\(\[a-' is not a valid regular expression/);
  });
});

const pool: JSONSchemaProps = {
  type: 'object',
  properties: {
    addresses: { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } },
    autoAssign: { type: 'boolean', default: true },
    serviceAllocation: {
      type: 'object',
      properties: {
        priority: { type: 'integer', minimum: 0, default: 10 },
        namespaces: { type: 'array', items: { type: 'string' } },
      },
    },
    labels: { type: 'object', additionalProperties: { type: 'string' } },
    extra: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, properties: { known: { type: 'integer' } } },
    opaque: { type: 'object' },
  },
  required: ['addresses'],
};

describe('validateSchema: objects', () => {
  test.each<[string, unknown, SchemaViolation[]]>([
    ['a good object', { addresses: ['203.0.113.0/25'], autoAssign: false, serviceAllocation: { priority: 1, namespaces: ['a'] } }, []],
    ['required missing', { autoAssign: true }, [v('addresses', 'Required value')]],
    ['required given as undefined', { addresses: undefined }, [v('addresses', 'Required value')]],
    ['unknown field named', { addresses: ['x'], autoassign: true }, [v('autoassign', 'unknown field "autoassign"')]],
    ['unknown nested field has its full path', { addresses: ['x'], serviceAllocation: { priorty: 1 } }, [v('serviceAllocation.priorty', 'unknown field "priorty"')]],
    ['item paths use brackets', { addresses: ['a', 7, ''] }, [v('addresses[1]', 'Invalid value: 7: must be string'), v('addresses[2]', 'Invalid value: "": must be at least 1 characters long')]],
    ['nested paths use dots', { addresses: ['a'], serviceAllocation: { priority: -1 } }, [v('serviceAllocation.priority', 'Invalid value: -1: must be greater than or equal to 0')]],
    ['map values are checked, keys in brackets', { addresses: ['a'], labels: { app: 'web', tier: 3 } }, [v('labels[tier]', 'Invalid value: 3: must be string')]],
    ['preserve-unknown keeps unknown fields but checks known ones', { addresses: ['a'], extra: { anything: [1], known: 'x' } }, [v('extra.known', 'Invalid value: "x": must be integer')]],
    ['an object without properties takes any fields', { addresses: ['a'], opaque: { whatever: 1 } }, []],
    ['a field called __proto__ is just unknown', JSON.parse('{"addresses":["a"],"__proto__":{"x":1}}'), [v('__proto__', 'unknown field "__proto__"')]],
    ['a field called constructor is just unknown', { addresses: ['a'], constructor: 1 }, [v('constructor', 'unknown field "constructor"')]],
    [
      'every violation is reported, not just the first',
      { autoAssign: 'yes', serviceAllocation: { priority: 1.5, namespaces: 'a' }, typo: 1 },
      [
        v('addresses', 'Required value'),
        v('autoAssign', 'Invalid value: "yes": must be boolean'),
        v('serviceAllocation.priority', 'Invalid value: 1.5: must be integer'),
        v('serviceAllocation.namespaces', 'Invalid value: "a": must be array'),
        v('typo', 'unknown field "typo"'),
      ],
    ],
  ])('%s', (_name, value, expected) => {
    expect(validateSchema(pool, value)).toEqual(expected);
  });

  test('paths continue from the given prefix', () => {
    expect(validateSchema(pool, { addresses: [1] }, 'spec')).toEqual([v('spec.addresses[0]', 'Invalid value: 1: must be string')]);
  });
});

describe('applyDefaults', () => {
  test.each<[string, unknown, unknown]>([
    ['fills an absent field', { addresses: ['a'] }, { addresses: ['a'], autoAssign: true }],
    ['keeps a given false', { addresses: ['a'], autoAssign: false }, { addresses: ['a'], autoAssign: false }],
    ['replaces a null that has a default', { addresses: ['a'], autoAssign: null }, { addresses: ['a'], autoAssign: true }],
    ['fills nested objects that exist', { addresses: ['a'], serviceAllocation: {} }, { addresses: ['a'], autoAssign: true, serviceAllocation: { priority: 10 } }],
    ['does not create absent parents', { addresses: ['a'], autoAssign: true }, { addresses: ['a'], autoAssign: true }],
    ['leaves a wrong-typed value for validation to report', 'not an object', 'not an object'],
    ['leaves unknown fields alone', { addresses: ['a'], typo: 1 }, { addresses: ['a'], autoAssign: true, typo: 1 }],
  ])('%s', (_name, value, expected) => {
    expect(applyDefaults(pool, value)).toEqual(expected);
  });

  test('fills defaults inside array items and map values', () => {
    const schema: JSONSchemaProps = {
      type: 'object',
      properties: {
        peers: { type: 'array', items: { type: 'object', properties: { port: { type: 'integer', default: 179 } } } },
        byName: { type: 'object', additionalProperties: { type: 'object', properties: { ttl: { type: 'integer', default: 255 } } } },
      },
    };
    expect(applyDefaults(schema, { peers: [{}, { port: 1179 }], byName: { a: {} } })).toEqual({
      peers: [{ port: 179 }, { port: 1179 }],
      byName: { a: { ttl: 255 } },
    });
  });

  test('defaults are themselves defaulted, as the API server does', () => {
    const schema: JSONSchemaProps = {
      type: 'object',
      properties: { timers: { type: 'object', default: {}, properties: { hold: { type: 'integer', default: 90 } } } },
    };
    expect(applyDefaults(schema, {})).toEqual({ timers: { hold: 90 } });
  });

  test('returns a copy: neither the input nor the schema default is changed', () => {
    const schema: JSONSchemaProps = {
      type: 'object',
      properties: { list: { type: 'array', default: ['x'], items: { type: 'string' } }, inner: { type: 'object', properties: { n: { type: 'integer', default: 1 } } } },
    };
    const input = { inner: {} };
    const out = applyDefaults(schema, input) as { list: string[]; inner: { n: number } };
    out.list.push('y');
    expect(input).toEqual({ inner: {} });
    expect(schema.properties?.['list']?.default).toEqual(['x']);
    expect(applyDefaults(schema, {})).toStrictEqual({ list: ['x'] });
  });

  test('survives a cyclic value (YAML anchors can make one)', () => {
    const cyclic: Record<string, unknown> = { addresses: ['a'] };
    cyclic['opaque'] = cyclic;
    const out = applyDefaults(pool, cyclic) as Record<string, unknown>;
    expect(out['autoAssign']).toBe(true);
    expect(out['opaque']).toBe(out);
  });

  test('a "__proto__" key is copied as data, not as a prototype', () => {
    const input = JSON.parse('{"addresses":["a"],"__proto__":{"polluted":1}}') as Record<string, unknown>;
    const out = applyDefaults(pool, input) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.hasOwn(out, '__proto__')).toBe(true);
    expect(out['polluted']).toBeUndefined();
  });
});
