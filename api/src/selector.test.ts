import {
  matches,
  matchesAny,
  parseSelector,
  selectorListKey,
  selectorListsDisjoint,
  selectorsDisjoint,
  type Selector,
} from './selector.js';
import type { LabelSelector } from './schema/builder.js';

function compile(sel: unknown): Selector {
  const result = parseSelector(sel as LabelSelector, 'sel');
  if (!result.ok) throw new Error(`unexpected problems: ${JSON.stringify(result.problems)}`);
  return result.selector;
}

const long = (n: number, c = 'a') => c.repeat(n);

describe('parseSelector accepts', () => {
  test.each<[string, unknown]>([
    ['an empty selector', {}],
    ['undefined', undefined],
    ['plain matchLabels', { matchLabels: { zone: 'a' } }],
    ['a prefixed key', { matchLabels: { 'topology.kubernetes.io/zone': 'eu-1' } }],
    ['an empty value', { matchLabels: { role: '' } }],
    ['63-character name and value', { matchLabels: { [long(63)]: long(63) } }],
    ['253-character prefix', { matchLabels: { [`${long(63)}.${long(63)}.${long(63)}.${long(61)}/x`]: 'v' } }],
    ['name with _ . -', { matchLabels: { 'a_b.c-d': 'X_y.Z-1' } }],
    ['In', { matchExpressions: [{ key: 'k', operator: 'In', values: ['a', 'b'] }] }],
    ['NotIn', { matchExpressions: [{ key: 'k', operator: 'NotIn', values: ['a'] }] }],
    ['Exists', { matchExpressions: [{ key: 'k', operator: 'Exists' }] }],
    ['DoesNotExist with empty values', { matchExpressions: [{ key: 'k', operator: 'DoesNotExist', values: [] }] }],
  ])('%s', (_name, sel) => {
    expect(parseSelector(sel as LabelSelector, 'sel').ok).toBe(true);
  });
});

describe('parseSelector rejects', () => {
  test.each<[string, unknown, string, RegExp]>([
    ['a string', 'zone=a', 'sel', /must be an object/],
    ['a list', [], 'sel', /must be an object/],
    ['an unknown field', { matchLabel: {} }, 'sel.matchLabel', /unknown field "matchLabel"/],
    ['matchLabels not a map', { matchLabels: ['a'] }, 'sel.matchLabels', /map of strings/],
    ['a non-string label value', { matchLabels: { k: 1 } }, 'sel.matchLabels["k"]', /must be a string/],
    ['an empty key', { matchLabels: { '': 'v' } }, 'sel.matchLabels[""]', /empty name/],
    ['a 64-character name', { matchLabels: { [long(64)]: 'v' } }, `sel.matchLabels["${long(64)}"]`, /more than 63/],
    ['a 254-character prefix', { matchLabels: { [`${long(63)}.${long(63)}.${long(63)}.${long(62)}/x`]: 'v' } }, `sel.matchLabels["${long(63)}.${long(63)}.${long(63)}.${long(62)}/x"]`, /prefix .* more than 253/],
    ['an upper-case prefix', { matchLabels: { 'Example.com/x': 'v' } }, 'sel.matchLabels["Example.com/x"]', /prefix/],
    ['an empty name after the prefix', { matchLabels: { 'example.com/': 'v' } }, 'sel.matchLabels["example.com/"]', /empty name/],
    ['a name starting with -', { matchLabels: { '-a': 'v' } }, 'sel.matchLabels["-a"]', /starting and ending/],
    ['two slashes', { matchLabels: { 'a/b/c': 'v' } }, 'sel.matchLabels["a/b/c"]', /name must be/],
    ['a 64-character value', { matchLabels: { k: long(64) } }, 'sel.matchLabels["k"]', /value .* more than 63/],
    ['a value with a space', { matchLabels: { k: 'a b' } }, 'sel.matchLabels["k"]', /label value/],
    ['a value ending in .', { matchLabels: { k: 'a.' } }, 'sel.matchLabels["k"]', /label value/],
    ['matchExpressions not a list', { matchExpressions: {} }, 'sel.matchExpressions', /must be a list/],
    ['an expression that is not an object', { matchExpressions: ['k In a'] }, 'sel.matchExpressions[0]', /must be an object/],
    ['a missing key', { matchExpressions: [{ operator: 'Exists' }] }, 'sel.matchExpressions[0].key', /must be a string/],
    ['a bad key', { matchExpressions: [{ key: 'a b', operator: 'Exists' }] }, 'sel.matchExpressions[0].key', /label key/],
    ['an unknown operator', { matchExpressions: [{ key: 'k', operator: 'Gt', values: ['1'] }] }, 'sel.matchExpressions[0].operator', /unknown operator "Gt"/],
    ['a lower-case operator', { matchExpressions: [{ key: 'k', operator: 'in', values: ['1'] }] }, 'sel.matchExpressions[0].operator', /unknown operator/],
    ['In without values', { matchExpressions: [{ key: 'k', operator: 'In' }] }, 'sel.matchExpressions[0].values', /In needs at least one value/],
    ['NotIn with empty values', { matchExpressions: [{ key: 'k', operator: 'NotIn', values: [] }] }, 'sel.matchExpressions[0].values', /NotIn needs at least one value/],
    ['Exists with values', { matchExpressions: [{ key: 'k', operator: 'Exists', values: ['a'] }] }, 'sel.matchExpressions[0].values', /Exists takes no values/],
    ['DoesNotExist with values', { matchExpressions: [{ key: 'k', operator: 'DoesNotExist', values: ['a'] }] }, 'sel.matchExpressions[0].values', /DoesNotExist takes no values/],
    ['values not a list', { matchExpressions: [{ key: 'k', operator: 'In', values: 'a' }] }, 'sel.matchExpressions[0].values', /list of strings/],
    ['a non-string value', { matchExpressions: [{ key: 'k', operator: 'In', values: ['a', 2] }] }, 'sel.matchExpressions[0].values[1]', /must be a string/],
    ['a bad value', { matchExpressions: [{ key: 'k', operator: 'In', values: ['a', '-b'] }] }, 'sel.matchExpressions[0].values[1]', /label value "-b"/],
  ])('%s', (_name, sel, path, message) => {
    const result = parseSelector(sel as LabelSelector, 'sel');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toContainEqual({ path, message: expect.stringMatching(message) });
    for (const p of result.problems) expect(p.message).toMatch(/^selector: /);
  });
});

describe('matches', () => {
  const labels = { zone: 'a', role: 'edge', empty: '' };
  test.each<[string, unknown, Record<string, string> | undefined, boolean]>([
    ['empty selector, some labels', {}, labels, true],
    ['empty selector, no labels', {}, undefined, true],
    ['matchLabels equal', { matchLabels: { zone: 'a' } }, labels, true],
    ['matchLabels different value', { matchLabels: { zone: 'b' } }, labels, false],
    ['matchLabels missing key', { matchLabels: { rack: '1' } }, labels, false],
    ['matchLabels all must hold', { matchLabels: { zone: 'a', role: 'core' } }, labels, false],
    ['matchLabels empty value present', { matchLabels: { empty: '' } }, labels, true],
    ['matchLabels empty value absent key', { matchLabels: { rack: '' } }, labels, false],
    ['In hit', { matchExpressions: [{ key: 'zone', operator: 'In', values: ['b', 'a'] }] }, labels, true],
    ['In miss', { matchExpressions: [{ key: 'zone', operator: 'In', values: ['b'] }] }, labels, false],
    ['In missing key', { matchExpressions: [{ key: 'rack', operator: 'In', values: ['1'] }] }, labels, false],
    ['NotIn hit', { matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['a'] }] }, labels, false],
    ['NotIn miss', { matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['b'] }] }, labels, true],
    ['NotIn missing key', { matchExpressions: [{ key: 'rack', operator: 'NotIn', values: ['1'] }] }, labels, true],
    ['Exists present', { matchExpressions: [{ key: 'empty', operator: 'Exists' }] }, labels, true],
    ['Exists absent', { matchExpressions: [{ key: 'rack', operator: 'Exists' }] }, labels, false],
    ['DoesNotExist present', { matchExpressions: [{ key: 'zone', operator: 'DoesNotExist' }] }, labels, false],
    ['DoesNotExist absent', { matchExpressions: [{ key: 'rack', operator: 'DoesNotExist' }] }, labels, true],
    ['labels and expressions together', { matchLabels: { zone: 'a' }, matchExpressions: [{ key: 'role', operator: 'In', values: ['core'] }] }, labels, false],
    ['inherited keys do not count', { matchExpressions: [{ key: 'toString', operator: 'Exists' }] }, labels, false],
  ])('%s', (_name, sel, input, expected) => {
    expect(matches(compile(sel), input)).toBe(expected);
  });
});

describe('matchesAny', () => {
  const a = compile({ matchLabels: { zone: 'a' } });
  const b = compile({ matchLabels: { zone: 'b' } });
  test.each<[string, Selector[] | undefined, Record<string, string>, boolean]>([
    ['absent list matches all', undefined, { zone: 'c' }, true],
    ['empty list matches all', [], { zone: 'c' }, true],
    ['first matches', [a, b], { zone: 'a' }, true],
    ['second matches', [a, b], { zone: 'b' }, true],
    ['none matches', [a, b], { zone: 'c' }, false],
  ])('%s', (_name, selectors, labels, expected) => {
    expect(matchesAny(selectors, labels)).toBe(expected);
  });
});

describe('selectorsDisjoint', () => {
  test.each<[string, unknown, unknown, boolean]>([
    ['everything vs something', {}, { matchLabels: { zone: 'a' } }, false],
    ['different values of one key', { matchLabels: { zone: 'a' } }, { matchLabels: { zone: 'b' } }, true],
    ['same value', { matchLabels: { zone: 'a' } }, { matchLabels: { zone: 'a' } }, false],
    ['different keys', { matchLabels: { zone: 'a' } }, { matchLabels: { rack: '1' } }, false],
    ['In sets that share a value', { matchExpressions: [{ key: 'z', operator: 'In', values: ['a', 'b'] }] }, { matchExpressions: [{ key: 'z', operator: 'In', values: ['b', 'c'] }] }, false],
    ['Exists vs DoesNotExist', { matchExpressions: [{ key: 'z', operator: 'Exists' }] }, { matchExpressions: [{ key: 'z', operator: 'DoesNotExist' }] }, true],
    ['DoesNotExist vs In', { matchExpressions: [{ key: 'z', operator: 'DoesNotExist' }] }, { matchLabels: { z: 'a' } }, true],
    ['DoesNotExist vs NotIn', { matchExpressions: [{ key: 'z', operator: 'DoesNotExist' }] }, { matchExpressions: [{ key: 'z', operator: 'NotIn', values: ['a'] }] }, false],
    ['In covered by NotIn', { matchLabels: { z: 'a' } }, { matchExpressions: [{ key: 'z', operator: 'NotIn', values: ['a', 'b'] }] }, true],
    ['NotIn covering In', { matchExpressions: [{ key: 'z', operator: 'NotIn', values: ['a'] }] }, { matchLabels: { z: 'a' } }, true],
    ['In not covered by NotIn', { matchExpressions: [{ key: 'z', operator: 'In', values: ['a', 'c'] }] }, { matchExpressions: [{ key: 'z', operator: 'NotIn', values: ['a'] }] }, false],
  ])('%s', (_name, a, b, expected) => {
    expect(selectorsDisjoint(compile(a), compile(b))).toBe(expected);
    expect(selectorsDisjoint(compile(b), compile(a))).toBe(expected);
  });

  test.each<[string, unknown[], unknown[], boolean]>([
    ['empty list is everything', [], [{ matchLabels: { z: 'a' } }], false],
    ['every pair disjoint', [{ matchLabels: { z: 'a' } }], [{ matchLabels: { z: 'b' } }, { matchLabels: { z: 'c' } }], true],
    ['one pair overlapping', [{ matchLabels: { z: 'a' } }], [{ matchLabels: { z: 'b' } }, { matchLabels: { r: '1' } }], false],
  ])('lists: %s', (_name, a, b, expected) => {
    expect(selectorListsDisjoint(a.map(compile), b.map(compile))).toBe(expected);
  });
});

describe('selectorListKey', () => {
  test.each<[string, unknown[], unknown[], boolean]>([
    ['order of selectors', [{ matchLabels: { a: '1' } }, { matchLabels: { b: '2' } }], [{ matchLabels: { b: '2' } }, { matchLabels: { a: '1' } }], true],
    ['order of labels and values', [{ matchLabels: { a: '1', b: '2' }, matchExpressions: [{ key: 'c', operator: 'In', values: ['x', 'y'] }] }], [{ matchExpressions: [{ key: 'c', operator: 'In', values: ['y', 'x'] }], matchLabels: { b: '2', a: '1' } }], true],
    ['matchLabels equals In of one value', [{ matchLabels: { a: '1' } }], [{ matchExpressions: [{ key: 'a', operator: 'In', values: ['1'] }] }], true],
    ['empty list equals a list holding {}', [], [{}, { matchLabels: { a: '1' } }], true],
    ['different values', [{ matchLabels: { a: '1' } }], [{ matchLabels: { a: '2' } }], false],
    ['different operators', [{ matchExpressions: [{ key: 'a', operator: 'Exists' }] }], [{ matchExpressions: [{ key: 'a', operator: 'DoesNotExist' }] }], false],
  ])('%s', (_name, a, b, same) => {
    expect(selectorListKey(a.map(compile)) === selectorListKey(b.map(compile))).toBe(same);
  });
});
