import { paint, percent, table } from './table.js';

test('columns are aligned to the widest cell; the last column is not padded', () => {
  expect(table(['NODE', 'ANNOUNCES', 'WHY'], [['node1', 'yes', 'Announced'], ['node10', { text: 'no', tone: 'bad' }, 'NoLocalEndpoint']])).toEqual([
    'NODE    ANNOUNCES  WHY',
    'node1   yes        Announced',
    'node10  no         NoLocalEndpoint',
  ]);
});
test('colour only when asked', () => {
  expect(paint('no', 'bad', false)).toBe('no');
  expect(paint('no', 'bad', true)).toBe('\u001b[31mno\u001b[0m');
  expect(table(['A'], [[{ text: 'x', tone: 'good' }]], true)[1]).toBe('\u001b[32mx\u001b[0m');
});
test('percent', () => expect([percent(0.25), percent(1 / 3), percent(0)]).toEqual(['25.0 %', '33.3 %', '0.0 %']));
