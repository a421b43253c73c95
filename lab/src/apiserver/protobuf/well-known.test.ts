import type { Json } from '../json.js';
import { ProtobufError } from './errors.js';
import { fieldsV1ToJson, intOrStringToJson, jsonToFieldsV1, jsonToIntOrString, jsonToQuantity, jsonToTime, quantityToJson, timeToJson } from './well-known.js';

// [empty message, seconds, nanos, micro, JSON]
const TIMES_OUT: [boolean, number, number, boolean, Json][] = [
  [true, 0, 0, false, null],
  [true, 0, 0, true, null],
  [false, 0, 0, false, '1970-01-01T00:00:00Z'],
  [false, 1735689600, 999_999_999, false, '2025-01-01T00:00:00Z'],
  [false, 1735689600, 123_456_789, true, '2025-01-01T00:00:00.123456Z'],
  [false, 1735689600, 1_500_000_000, true, '2025-01-01T00:00:01.500000Z'],
  [false, -62135596800, 0, false, '0001-01-01T00:00:00Z'],
  [false, 253402300799, 0, false, '9999-12-31T23:59:59Z'],
];

test.each(TIMES_OUT)('time on the wire (empty %s, %d s, %d ns, micro %s) is %j', (empty, s, ns, micro, want) => {
  expect(timeToJson(empty, s, ns, micro, 'at')).toEqual(want);
});

test.each([253402300800, -62167219201])('%d seconds is outside the years JSON can carry', (s) => {
  expect(() => timeToJson(false, s, 0, false, 'at')).toThrow(ProtobufError);
});

// [JSON, micro, seconds and nanos]
const TIMES_IN: [Json | undefined, boolean, { seconds: number; nanos: number } | null][] = [
  [null, false, null],
  [undefined, true, null],
  ['2025-01-01T00:00:00Z', false, { seconds: 1735689600, nanos: 0 }],
  ['2025-01-01T00:00:00.987Z', false, { seconds: 1735689600, nanos: 0 }],
  ['2025-01-01T00:00:00.987Z', true, { seconds: 1735689600, nanos: 987_000_000 }],
  ['2025-01-01T00:00:00.1234567Z', true, { seconds: 1735689600, nanos: 123_456_000 }],
  ['2025-01-01T01:30:00+01:30', false, { seconds: 1735689600, nanos: 0 }],
  ['2024-12-31T19:00:00-05:00', false, { seconds: 1735689600, nanos: 0 }],
  ['2024-02-29t00:00:00z', false, { seconds: 1709164800, nanos: 0 }],
  ['0001-01-01T00:00:00Z', false, { seconds: -62135596800, nanos: 0 }],
];

test.each(TIMES_IN)('JSON time %j (micro %s) is written as %j', (json, micro, want) => {
  expect(jsonToTime(json, micro, 'at')).toEqual(want);
});

test.each<Json>(['2025-01-01', '2025-13-01T00:00:00Z', '2023-02-29T00:00:00Z', '2025-01-01T24:00:00Z', '2025-01-01T00:00:60Z', '2025-01-01T00:00:00', 1735689600, true])('%j is no time', (json) => {
  expect(() => jsonToTime(json, false, 'at')).toThrow(/^protobuf: at: /);
});

test.each<[string | undefined, Json]>([
  [undefined, '0'],
  ['100m', '100m'],
  ['1.5Gi', '1.5Gi'],
  ['1e3', '1e3'],
  ['-2', '-2'],
  ['.5', '.5'],
])('quantity %j reads as %j', (text, want) => {
  expect(quantityToJson(text, 'q')).toEqual(want);
});

test.each(['', 'lots', '1Gb', '1 Gi', '--1'])('quantity %j is refused', (text) => {
  expect(() => quantityToJson(text, 'q')).toThrow(ProtobufError);
});

test.each<[Json | undefined, string]>([
  [null, '0'],
  [2, '2'],
  [0.5, '0.5'],
  [' 128Mi ', '128Mi'],
])('JSON quantity %j is written as %j', (json, want) => {
  expect(jsonToQuantity(json, 'q')).toBe(want);
});

test.each<[number, number, string, Json]>([
  [0, 8080, '', 8080],
  [0, -1, 'ignored', -1],
  [1, 0, 'http', 'http'],
  [1, 7, '', ''],
])('IntOrString type %d, int %d, string %j is %j', (type, i, s, want) => {
  expect(intOrStringToJson(type, i, s, 'p')).toEqual(want);
});

test.each<[Json | undefined, { type: number; intVal: number; strVal: string }]>([
  [undefined, { type: 0, intVal: 0, strVal: '' }],
  [80, { type: 0, intVal: 80, strVal: '' }],
  ['25%', { type: 1, intVal: 0, strVal: '25%' }],
  ['80', { type: 1, intVal: 0, strVal: '80' }],
])('JSON %j is IntOrString %j', (json, want) => {
  expect(jsonToIntOrString(json, 'p')).toEqual(want);
});

test.each<Json>([1.5, 2 ** 31, true, {}, []])('%j is no IntOrString', (json) => {
  expect(() => jsonToIntOrString(json, 'p')).toThrow(ProtobufError);
});

test.each<Json>([{ 'f:metadata': { 'f:labels': {} } }, {}, ['x'], 'text'])('fieldsV1 %j survives a trip through its raw bytes', (json) => {
  expect(fieldsV1ToJson(jsonToFieldsV1(json), 'f')).toEqual(json);
});

test('absent fieldsV1 is null both ways', () => {
  expect([jsonToFieldsV1(null), fieldsV1ToJson(undefined, 'f')]).toEqual([undefined, null]);
});
