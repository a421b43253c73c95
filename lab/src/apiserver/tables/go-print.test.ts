import type { Json } from '../json.js';
import { goFloat, goJson, printResult } from './go-print.js';
import { PathFloat, type PathValue } from './jsonpath.js';

describe('goFloat (fmt %v of a float64)', () => {
  test.each([
    [1.5, '1.5'],
    [0.0001, '0.0001'],
    [0.00001, '1e-05'],
    [123456.5, '123456.5'],
    [1234567.5, '1.2345675e+06'],
    [1e21, '1e+21'],
    [-2.5e-7, '-2.5e-07'],
    [1e100, '1e+100'],
    [0, '0'],
  ])('%d prints as %s', (n, text) => {
    expect(goFloat(n)).toBe(text);
  });
});

describe('goJson (encoding/json Marshal)', () => {
  test.each<[Json, string]>([
    [{ b: 1, a: [true, null], 'é': 'x', Z: 0.5 }, '{"Z":0.5,"a":[true,null],"b":1,"é":"x"}'],
    [['<a&b>', 'line\nbreak', '\u2028'], '["\\u003ca\\u0026b\\u003e","line\\nbreak","\\u2028"]'],
    [{ n: 1e21, m: 1e-7 }, '{"m":1e-7,"n":1e+21}'],
  ])('%j', (v, text) => {
    expect(goJson(v)).toBe(text);
  });
});

describe('printResult (jsonpath PrintResults of one value)', () => {
  test.each<[PathValue, string]>([
    ['plain', 'plain'],
    [7, '7'],
    [2.5, '2.5'],
    [5e6 + 0.5, '5.0000005e+06'],
    [true, 'true'],
    [null, '<no value>'],
    [['peer-a', 'peer-b'], '["peer-a","peer-b"]'],
    [{ y: 2, x: 1 }, '{"x":1,"y":2}'],
    [new PathFloat(3), '3'],
  ])('%j prints as %s', (v, text) => {
    expect(printResult(v)).toBe(text);
  });
});
