import { buildConfig } from './build.js';
import { community, isRejected, issuesOf, snapshot } from './fixtures.js';
import { SEVERITY } from './issues.js';

describe('Community objects', () => {
  test('aliases from several objects', () => {
    const config = buildConfig(
      snapshot({ communities: [community('a', { communities: [{ name: 'keep-local', value: 'no-export' }] }), community('b', { communities: [{ name: 'tag', value: 'large:64512:1:2' }, { name: 'std', value: '64512:7' }] })] }),
    );
    expect(config.issues).toEqual([]);
    expect(Object.fromEntries(config.communities)).toEqual({
      'keep-local': { type: 'standard', asn: 65535, value: 65281 },
      tag: { type: 'large', global: 64512, local1: 1, local2: 2 },
      std: { type: 'standard', asn: 64512, value: 7 },
    });
  });

  test.each<[string, unknown, string, RegExp]>([
    ['a value that does not parse', { communities: [{ name: 'x', value: '70000:1' }] }, 'spec.communities[0].value', /^community: .*more than 65535/],
    ['an alias twice in one object', { communities: [{ name: 'x', value: '1:1' }, { name: 'x', value: '1:2' }] }, 'spec.communities[1].name', /defined twice in this object/],
    ['an alias that looks like a value', { communities: [{ name: '1:1', value: '1:2' }] }, 'spec.communities[0].name', /contains ":" or is a well-known/],
    ['an alias named like a well-known community', { communities: [{ name: 'no-export', value: '1:2' }] }, 'spec.communities[0].name', /well-known/],
    ['an empty alias (schema)', { communities: [{ name: '', value: '1:2' }] }, 'spec.communities[0].name', /at least 1 characters/],
    ['no value (schema)', { communities: [{ name: 'x' }] }, 'spec.communities[0].value', /Required value/],
  ])('rejected: %s', (_name, spec, field, message) => {
    const config = buildConfig(snapshot({ communities: [community('c', spec)] }));
    expect(config.communities.size).toBe(0);
    expect(isRejected(config, 'Community', 'c')).toBe(true);
    expect(issuesOf(config, 'Community', 'c')).toContainEqual(expect.objectContaining({ field, message: expect.stringMatching(message), severity: SEVERITY.Invalid }));
  });

  test('an alias defined by an earlier object rejects the later object, the earlier value stands', () => {
    const config = buildConfig(
      snapshot({ communities: [community('b', { communities: [{ name: 'other', value: '1:1' }, { name: 'x', value: '2:2' }] }), community('a', { communities: [{ name: 'x', value: '3:3' }] })] }),
    );
    expect(Object.fromEntries(config.communities)).toEqual({ x: { type: 'standard', asn: 3, value: 3 } });
    expect(issuesOf(config, 'Community', 'b')).toEqual([expect.objectContaining({ field: 'spec.communities[1].name', message: expect.stringMatching(/already defined by Community headland-system\/a/) })]);
  });
});
