import { describe, expect, test } from '@jest/globals';
import { nodeFromJSON } from './node.js';

describe('nodeFromJSON', () => {
  test.each([
    { name: 'no conditions', conditions: undefined, down: false },
    { name: 'NetworkUnavailable False', conditions: [{ type: 'NetworkUnavailable', status: 'False' }], down: false },
    { name: 'NetworkUnavailable True', conditions: [{ type: 'Ready', status: 'True' }, { type: 'NetworkUnavailable', status: 'True' }], down: true },
    { name: 'NetworkUnavailable Unknown', conditions: [{ type: 'NetworkUnavailable', status: 'Unknown' }], down: false },
  ])('$name', ({ conditions, down }) => {
    const { value, problems } = nodeFromJSON({ metadata: { name: 'n1', labels: { zone: 'a' } }, status: { conditions } });
    expect(problems).toEqual([]);
    expect(value).toEqual({ name: 'n1', labels: { zone: 'a' }, networkUnavailable: down });
  });

  test.each([
    { name: 'no name', obj: { metadata: {} }, path: 'metadata.name', kept: false },
    { name: 'null', obj: null, path: '(object)', kept: false },
    { name: 'conditions not a list', obj: { metadata: { name: 'n1' }, status: { conditions: 'x' } }, path: 'status.conditions', kept: true },
    { name: 'a condition not an object', obj: { metadata: { name: 'n1' }, status: { conditions: [5] } }, path: 'status.conditions[0]', kept: true },
  ])('malformed: $name', ({ obj, path, kept }) => {
    const { value, problems } = nodeFromJSON(obj);
    expect(value !== undefined).toBe(kept);
    expect(problems.map((p) => p.path)).toEqual([path]);
    expect(problems[0]?.message).toMatch(/^model\/node: Node /);
  });
});
