import type { Json } from '../json.js';
import { JsonPath, JsonPathError, JsonPathEvalError, PathFloat } from './jsonpath.js';

const pool: Json = {
  metadata: { name: 'blue', labels: { app: 'web', 'app.kubernetes.io/name': 'headland' } },
  spec: {
    autoAssign: true,
    bar: [{ baz: 'first' }, { baz: 'second' }],
    items: [{ name: 'a', n: 1 }, { name: 'b', n: 2 }, { name: 'c', n: 3 }],
    ratios: [{ r: 0.5 }, { r: 1.5 }],
    empty: [],
    nothing: null,
    nested: { deep: { x: 1 } },
  },
  status: {
    conditions: [
      { type: 'Ready', status: 'True', since: 5 },
      { type: 'Synced', status: 'False' },
    ],
    weight: 7,
  },
};

describe('JsonPath.find (client-go jsonpath, missing keys allowed)', () => {
  test.each<[string, Json[]]>([
    ['.status.weight', [7]],
    ['.spec.autoAssign', [true]],
    ['.spec.bar[0].baz', ['first']],
    ['.spec.bar[-1].baz', ['second']],
    ['.metadata.labels.app', ['web']],
    ['.metadata.labels.app\\.kubernetes\\.io/name', ['headland']],
    [".metadata.labels['app']", ['web']],
    ['.spec.items[*].name', ['a', 'b', 'c']],
    ['.spec.items[0:2].name', ['a', 'b']],
    ['.spec.items[::2].name', ['a', 'c']],
    ['.spec.items[0,2].name', ['a', 'c']],
    ['.spec.items.name', []],
    ['.status.missing', []],
    ['.status.missing.deeper', []],
    ['.spec.nothing', [null]],
    ['.spec.nothing.x', []],
    ['.spec.empty[*]', []],
    ['.status.conditions[?(@.type=="Ready")].status', ['True']],
    ['.status.conditions[?(@.type == "Synced")].status', ['False']],
    [".status.conditions[?(@.type!='Ready')].type", ['Synced']],
    ['.status.conditions[?(@.since)].type', ['Ready']],
    ['.status.conditions[?(@.since>4)].type', ['Ready']],
    ['.spec.items[?(@.n<=2)].name', ['a', 'b']],
    ['.spec.ratios[?(@.r>1.0)].r', [1.5]],
    ['.spec.ratios[?(@.r<1.5)].r', [0.5]],
    ['..x', [1]],
    ['.spec.nested.*', [{ x: 1 }]],
    ['.spec.bar[?(@.baz=="\\u0066irst")].baz', ['first']],
  ])('%s', (path, want) => {
    expect(new JsonPath(path).find(pool)).toEqual(want);
  });

  test('a number literal on its own is one value per input, floats kept apart from integers', () => {
    expect(new JsonPath('.spec.items[*].n').find(pool)).toEqual([1, 2, 3]);
    expect(new JsonPath('.spec.items[0].n 2.5').find(pool)).toEqual([new PathFloat(2.5)]);
  });

  test.each([
    ['.spec.bar[5].baz', 'array index out of bounds: index 5, length 2'],
    ['.spec.nested[0]', 'map[string]interface {} is not array or slice'],
    ['.spec.nested[?(@.x)]', 'cannot be filtered'],
    ['.spec.items[?(@.n=="1")]', 'incompatible types for comparison'],
    ['.spec.items[?(@.n==1.0)]', 'incompatible types for comparison'],
    ['.spec.ratios[?(@.r>1)]', 'incompatible types for comparison'],
    ['.status.conditions[?(@.status<true)]', 'incompatible types for comparison'],
    ['.spec.items[::0]', 'step must be > 0'],
    ['.spec.items[?(@.n=1)]', 'unrecognized filter operator ='],
    ['.spec.items[?(@.name==b)]', 'unrecognized identifier b'],
  ])('%s fails while walking: %s', (path, message) => {
    const p = new JsonPath(path);
    expect(() => p.find(pool)).toThrow(JsonPathEvalError);
    expect(() => p.find(pool)).toThrow(message);
  });

  test.each([
    ['.spec.bar[0', 'unterminated array'],
    ['.spec.bar[x]', 'invalid array index x'],
    ['.spec.bar[?(@.x=="a"', 'unterminated filter'],
    ['.spec.bar[?(@.x=="a")', 'unclosed array expect ]'],
    ['.spec.bar[0]#', 'unrecognized character in action: U+0023 \'#\''],
    ['.spec "open', 'unterminated quoted string'],
    ['.a....b', 'invalid multiple recursive descent'],
    ['.spec[?(@.n==1.2.3)]', 'cannot parse number 1.2.3'],
    ['.spec.bar[?(@.baz=="a\\q")]', 'unquote string "a\\q" error invalid syntax'],
  ])('%s does not parse: %s', (path, detail) => {
    expect(() => new JsonPath(path)).toThrow(JsonPathError);
    expect(() => new JsonPath(path)).toThrow(`jsonpath: ${JSON.stringify(path)}: ${detail}`);
  });
});
