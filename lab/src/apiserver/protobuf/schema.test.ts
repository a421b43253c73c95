import { allMessageNames, buildSchema, messageSpec, SchemaError } from './schema.js';
import { protobufKinds, messageForKind } from './kinds.js';

const pkg = (body: string): string => `syntax = "proto2"; package t; ${body}`;

test.each(protobufKinds().map((k) => [k.apiVersion, k.kind] as const))('%s %s has a message', (apiVersion, kind) => {
  expect(messageForKind(apiVersion, kind)?.fullName).toMatch(/^k8s\.io\./);
});

test.each([
  ['v1', 'Foo'],
  ['apps/v1', 'Namespace'],
  ['v2', 'Namespace'],
  ['v1', 'StatusList'],
  ['v1', 'List'],
])('%s %s has none', (apiVersion, kind) => {
  expect(messageForKind(apiVersion, kind)).toBeUndefined();
});

test('every declared message resolves, with fields in number order and no number twice', () => {
  for (const name of allMessageNames()) {
    const numbers = messageSpec(name).fields.map((f) => f.no);
    expect([name, numbers]).toEqual([name, [...new Set(numbers)].sort((a, b) => a - b)]);
  }
});

// [declaration, field, presence it gets]
test.each([
  ['message M { optional string s = 1; }', 's', 'omitempty'],
  ['message M { optional string s = 1 [(go) = "always"]; }', 's', 'always'],
  ['message M { optional bool b = 1 [(go) = "ptr"]; }', 'b', 'ptr'],
  ['message M { optional int64 i = 1 [(go) = "nullable"]; }', 'i', 'nullable'],
  ['message M { optional N n = 1 [(go) = "nullable"]; } message N {}', 'n', 'nullable'],
  ['message M { optional N n = 1; } message N {}', 'n', 'struct'],
  ['message M { optional N n = 1 [(go) = "inline"]; } message N {}', 'n', 'inline'],
  ['message M { repeated string l = 1; }', 'l', 'omitempty'],
  ['message M { map<string, string> m = 1 [(go) = "always"]; }', 'm', 'always'],
])('%s gives %s presence %s', (body, field, presence) => {
  expect(buildSchema([pkg(body)]).get('t.M')?.byName.get(field)?.presence).toBe(presence);
});

test.each([
  ['message M { repeated string l = 1 [(go) = "ptr"]; }', /does not fit a repeated scalar field/],
  ['message M { map<string, string> m = 1 [(go) = "nullable"]; }', /does not fit a map scalar field/],
  ['message M { optional string s = 1 [(go) = "inline"]; }', /does not fit a single scalar field/],
  ['message M { optional string s = 1 [(go) = "sometimes"]; }', /option \(go\) = "sometimes"/],
  ['message M { map<int32, string> m = 1; }', /map keys must be strings/],
  ['message M { optional double d = 1; }', /type double is neither/],
  ['message M { optional Missing x = 1; }', /no such type|Missing/],
])('%s is refused', (body, error) => {
  expect(() => buildSchema([pkg(body)])).toThrow(SchemaError);
  expect(() => buildSchema([pkg(body)])).toThrow(error);
});

test('asking for a message we do not declare is a SchemaError', () => {
  expect(() => messageSpec('k8s.io.api.core.v1.Node')).toThrow(SchemaError);
});
