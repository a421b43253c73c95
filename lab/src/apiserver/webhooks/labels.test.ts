import type { Json } from '../json.js';
import { labelsOf, selects, toLabelSelector } from './labels.js';

const labels = { env: 'prod', tier: 'web' };

describe('LabelSelector objects', () => {
  test.each<[string, Json | undefined, boolean]>([
    ['absent (defaulted to {})', undefined, true],
    ['null', null, true],
    ['empty', {}, true],
    ['matchLabels hit', { matchLabels: { env: 'prod' } }, true],
    ['matchLabels miss', { matchLabels: { env: 'dev' } }, false],
    ['matchLabels all must hold', { matchLabels: { env: 'prod', tier: 'db' } }, false],
    ['In hit', { matchExpressions: [{ key: 'env', operator: 'In', values: ['dev', 'prod'] }] }, true],
    ['In miss', { matchExpressions: [{ key: 'env', operator: 'In', values: ['dev'] }] }, false],
    ['NotIn hit', { matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['dev'] }] }, true],
    ['NotIn on a missing key', { matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['a'] }] }, true],
    ['Exists', { matchExpressions: [{ key: 'tier', operator: 'Exists' }] }, true],
    ['Exists miss', { matchExpressions: [{ key: 'zone', operator: 'Exists' }] }, false],
    ['DoesNotExist', { matchExpressions: [{ key: 'zone', operator: 'DoesNotExist' }] }, true],
    ['DoesNotExist miss', { matchExpressions: [{ key: 'env', operator: 'DoesNotExist' }] }, false],
    ['labels and expressions together', { matchLabels: { tier: 'web' }, matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['prod'] }] }, false],
  ])('%s → %s', (_name, raw, expected) => {
    const conv = toLabelSelector(raw);
    if (!conv.ok) throw new Error(conv.error);
    expect(selects(conv.selector, labels)).toBe(expected);
  });

  test.each<[Json, string]>([
    [{ matchExpressions: [{ key: 'a', operator: 'Equals', values: ['x'] }] }, '"Equals" is not a valid label selector operator'],
    [{ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] }, "values: Invalid value: []string{}: for 'in', 'notin' operators, values set can't be empty"],
    [{ matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] }, 'values: Invalid value: []string{"x"}: values set must be empty for exists and does not exist'],
    ['nope', 'a label selector must be an object'],
  ])('%j is refused', (raw, error) => {
    expect(toLabelSelector(raw)).toEqual({ ok: false, error });
  });

  test.each<[Json | undefined, Record<string, string>]>([
    [{ metadata: { labels: { a: 'b' } } }, { a: 'b' }],
    [{ metadata: {} }, {}],
    [null, {}],
    [undefined, {}],
  ])('labelsOf(%j)', (obj, expected) => {
    expect(labelsOf(obj)).toEqual(expected);
  });
});
