import { matchesFields, matchesLabels, parseFieldSelector, parseLabelSelector, SelectorError } from './selectors.js';

const labels = { app: 'web', tier: 'front', 'headland.io/pool': 'blue', n: '5' };

describe('label selectors', () => {
  test.each([
    ['', true],
    ['app=web', true],
    ['app==web', true],
    ['app=db', false],
    ['app!=db', true],
    ['app!=web', false],
    ['missing!=x', true],
    ['app in (web,db)', true],
    ['app in (db)', false],
    ['app notin (db, cache)', true],
    ['app notin (web)', false],
    ['missing notin (web)', true],
    ['tier', true],
    ['missing', false],
    ['!missing', true],
    ['!tier', false],
    ['headland.io/pool=blue', true],
    ['app=web,tier=front', true],
    ['app=web,tier=back', false],
    ['app in (web,db),!missing', true],
    ['n>4', true],
    ['n<5', false],
    ['app=', false],
  ])('%s matches: %s', (sel, expected) => {
    expect(matchesLabels(parseLabelSelector(sel), labels)).toBe(expected);
  });

  test('an empty value matches a label set to the empty string', () => {
    expect(matchesLabels(parseLabelSelector('app='), { app: '' })).toBe(true);
  });

  test.each([
    ['a b c', 'unable to parse requirement'],
    ['app in web', 'unable to parse'],
    ['-bad=x', 'invalid label key "-bad"'],
    ['app=we b', 'invalid label value'],
    ['app=web,', 'empty requirement'],
    ['n>x', 'not an integer'],
  ])('%s is rejected naming the problem', (sel, message) => {
    expect(() => parseLabelSelector(sel)).toThrow(SelectorError);
    expect(() => parseLabelSelector(sel)).toThrow(message);
    expect(() => parseLabelSelector(sel)).toThrow(/^selectors: /);
  });
});

describe('field selectors', () => {
  const pod = { metadata: { name: 'p1', namespace: 'default' }, spec: { nodeName: 'node-a' }, status: { phase: 'Running' } };
  const podFields = ['spec.nodeName', 'status.phase'];

  test.each([
    ['', true],
    ['metadata.name=p1', true],
    ['metadata.name==p1', true],
    ['metadata.name=p2', false],
    ['metadata.name!=p2', true],
    ['metadata.namespace=default', true],
    ['spec.nodeName=node-a', true],
    ['spec.nodeName!=node-a', false],
    ['spec.nodeName=node-a,status.phase=Running', true],
    ['spec.nodeName=node-a,status.phase=Pending', false],
    ['spec.nodeName=', false],
  ])('%s matches: %s', (sel, expected) => {
    expect(matchesFields(parseFieldSelector(sel, podFields), pod)).toBe(expected);
  });

  test('a missing field compares as the empty string', () => {
    expect(matchesFields(parseFieldSelector('spec.nodeName=', podFields), { spec: {} })).toBe(true);
  });

  test('escaped separators stay in the value', () => {
    const sel = parseFieldSelector('metadata.name=a\\,b');
    expect(sel).toEqual([{ field: 'metadata.name', op: 'eq', value: 'a,b' }]);
  });

  test.each([
    ['spec.nodeName=x', [], 'field label not supported: spec.nodeName'],
    ['metadata.name', podFields, 'invalid field selector "metadata.name"'],
    ['status.phase in (a)', podFields, 'invalid field selector'],
  ])('%s is rejected', (sel, allowed, message) => {
    expect(() => parseFieldSelector(sel, allowed)).toThrow(message);
  });
});
