import type { Json } from '../json.js';
import { formatLabels, formatLabelSelector, selectorString } from './labels.js';

describe('formatLabels (labels.FormatLabels)', () => {
  test.each<[Json | undefined, string]>([
    [undefined, '<none>'],
    [{}, '<none>'],
    [{ app: 'web' }, 'app=web'],
    [{ tier: 'front', app: 'web' }, 'app=web,tier=front'],
    // Whole `k=v` strings are sorted: '.' sorts before '='.
    [{ a: 'y', 'a.b': 'x' }, 'a.b=x,a=y'],
  ])('%j is %s', (labels, text) => {
    expect(formatLabels(labels)).toBe(text);
  });
});

describe('LabelSelector strings', () => {
  test.each<[Json | undefined, string | undefined, string]>([
    [undefined, '', '<none>'],
    [{}, '', '<none>'],
    [{ matchLabels: { app: 'web' } }, 'app=web', 'app=web'],
    [
      { matchLabels: { z: '1' }, matchExpressions: [{ key: 'env', operator: 'In', values: ['prod', 'dev'] }, { key: 'a', operator: 'Exists' }] },
      'a,env in (dev,prod),z=1',
      'a,env in (dev,prod),z=1',
    ],
    [{ matchExpressions: [{ key: 'x', operator: 'NotIn', values: ['1'] }, { key: 'y', operator: 'DoesNotExist' }] }, 'x notin (1),!y', 'x notin (1),!y'],
    [{ matchExpressions: [{ key: 'x', operator: 'Near', values: ['1'] }] }, undefined, '<error>'],
    [{ matchExpressions: [{ key: 'x', operator: 'In', values: [] }] }, undefined, '<error>'],
    [{ matchExpressions: [{ key: 'x', operator: 'Exists', values: ['1'] }] }, undefined, '<error>'],
    [{ matchLabels: { 'bad key': 'v' } }, undefined, '<error>'],
    [{ matchLabels: { k: 'bad value' } }, undefined, '<error>'],
  ])('%j', (sel, asSelector, formatted) => {
    expect(selectorString(sel)).toBe(asSelector);
    expect(formatLabelSelector(sel)).toBe(formatted);
  });
});
