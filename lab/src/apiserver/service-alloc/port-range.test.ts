import { NodePortRange } from './port-range.js';

describe('the default range in sequence', () => {
  const r = new NodePortRange({ first: 30000, last: 32767 }, () => 0);
  test.each([
    ['its own text', () => r.text, '30000-32767'],
    ['a static band of 86 ports', () => r.staticBand, 86],
    ['a random pick starts above the static band', () => r.allocateNext(), 30086],
    ['a user-chosen port is honoured', () => r.allocate(30080), undefined],
    ['but only once', () => r.allocate(30080), 'provided port is already allocated'],
    ['a port below the range is refused', () => r.allocate(80), 'provided port is not in the valid range. The range of valid ports is 30000-32767'],
    ['a port above the range is refused', () => r.allocate(32768), 'provided port is not in the valid range. The range of valid ports is 30000-32767'],
    ['the last port is in range', () => r.allocate(32767), undefined],
    ['what is held', () => r.allocated(), [30080, 30086, 32767]],
    ['release then hold', () => (r.release(30080), r.release(80), r.allocated()), [30086, 32767]],
  ] as const)('%s', (_name, step, want) => {
    expect(step()).toEqual(want);
  });
});

test('a full range hands out nothing more', () => {
  const r = new NodePortRange({ first: 30000, last: 30001 }, () => 0);
  expect([r.allocateNext(), r.allocateNext(), r.allocateNext()]).toEqual([30000, 30001, undefined]);
});

test.each([
  ['reversed', 30010, 30000],
  ['port 0', 0, 10],
  ['past 65535', 65000, 65536],
])('a %s range is refused', (_name, first, last) => {
  expect(() => new NodePortRange({ first, last }, () => 0)).toThrow(RangeError);
});
