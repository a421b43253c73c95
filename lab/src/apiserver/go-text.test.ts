import { goQuote } from './go-text.js';

test.each([
  ['plain', 'services', '"services"'],
  ['empty', '', '""'],
  ['double quote', 'a"b', '"a\\"b"'],
  ['backslash', 'a\\b', '"a\\\\b"'],
  ['newline and tab', 'a\nb\tc', '"a\\nb\\tc"'],
  ['bell and vertical tab', '\u0007\v', '"\\a\\v"'],
  ['other control byte', '\u0001', '"\\x01"'],
  ['DEL', '\u007f', '"\\x7f"'],
  ['printable unicode kept', 'système:ünïcode ☃', '"système:ünïcode ☃"'],
  ['no-break space escaped', 'a\u00a0b', '"a\\u00a0b"'],
  ['astral printable kept', '😀', '"😀"'],
  ['astral private use escaped', '\u{F0000}', '"\\U000f0000"'],
])('%s', (_what, input, expected) => {
  expect(goQuote(input)).toBe(expected);
});
