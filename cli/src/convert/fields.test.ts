import { Fields } from './fields.js';
import { Report } from './report.js';

function reader(value: unknown) {
  const report = new Report();
  const fields = Fields.of(value, report.about({ where: 'f.yaml', object: 'BGPPeer p' }, 'spec'));
  const errors = () => report.entries.map((e) => `${e.field ?? ''}: ${e.message}`);
  return { fields, errors };
}

describe('Fields', () => {
  test.each([
    ['a string', { a: 'x' }, (f: Fields) => f.string('a'), 'x', []],
    ['a wrong string', { a: 5 }, (f: Fields) => f.string('a'), undefined, ['spec.a: must be a string, not an integer (5)']],
    ['an integer', { a: 64512 }, (f: Fields) => f.integer('a'), 64512, []],
    ['a fraction is no integer', { a: 1.5 }, (f: Fields) => f.integer('a'), undefined, ['spec.a: must be an integer, not a number (1.5)']],
    ['a quoted number is no integer', { a: '179' }, (f: Fields) => f.integer('a'), undefined, ['spec.a: must be an integer, not a string ("179")']],
    ['a boolean', { a: false }, (f: Fields) => f.boolean('a'), false, []],
    ['"yes" is no boolean', { a: 'yes' }, (f: Fields) => f.boolean('a'), undefined, ['spec.a: must be true or false, not a string ("yes")']],
    ['null is absent, as in Kubernetes', { a: null }, (f: Fields) => f.string('a'), undefined, []],
    ['absent', {}, (f: Fields) => f.list('a'), undefined, []],
    ['a list of strings, a bad item named by index', { a: ['x', 1, 'y'] }, (f: Fields) => f.strings('a'), ['x', 'y'], ['spec.a[1]: must be a string, not an integer']],
    ['a map of strings', { a: { k: 'v', n: 1 } }, (f: Fields) => f.stringMap('a'), { k: 'v' }, ['spec.a.n: must be a string, not an integer']],
    ['a mapping where a list is wanted', { a: { k: 'v' } }, (f: Fields) => f.list('a'), undefined, ['spec.a: must be a list, not a mapping']],
  ])('%s', (_what, value, read, expected, errors) => {
    const r = reader(value);
    expect(read(r.fields as Fields)).toEqual(expected);
    expect(r.errors()).toEqual(errors);
  });

  test('a value that is not a mapping is an error on the field itself', () => {
    const r = reader(['a']);
    expect(r.fields).toBeUndefined();
    expect(r.errors()).toEqual(['spec: must be a mapping, not a list']);
  });

  test('nested mappings report under their path', () => {
    const r = reader({ passwordSecret: { name: 3 } });
    r.fields?.nested('passwordSecret')?.string('name');
    expect(r.errors()).toEqual(['spec.passwordSecret.name: must be a string, not an integer (3)']);
  });

  test.each([
    ['a field nobody read', { myASN: 1, vfr: 'red' }, ['spec.vfr: unknown field of BGPPeer']],
    ['a hint when only case or dashes differ', { localpref: 100 }, ['spec.localpref: unknown field of BGPPeer; did you mean localPref?']],
    ['v0.12 spelling in a custom resource', { 'peer-address': '10.0.0.1' }, ['spec.peer-address: unknown field of BGPPeer; did you mean peerAddress?']],
  ])('finish reports %s', (_what, value, errors) => {
    const r = reader(value);
    r.fields?.integer('myASN');
    r.fields?.finish(['myASN', 'localPref', 'peerAddress'], 'BGPPeer');
    expect(r.errors()).toEqual(errors);
  });
});
